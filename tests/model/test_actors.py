"""Actor names resolve by any alias, and a renamed group resolves by date."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("State Army", None, "army"),
        ("the army", None, "army"),
        ("STATE-ARMY", None, "army"),
        ("Front of Old", "2016-01-05", "front"),
        ("Front of Old", "2016-09-01", "new-front"),  # the old name, used after the rename
        ("NF", "2015-03-01", "front"),  # the new name, used before it existed
        ("New Front", "2016-07-28", "new-front"),
        ("Army of Conquest", None, "coalition"),
        ("Nobody", None, None),
    ],
)
def test_resolve(tiny, name, on, expected):
    assert tiny.actor_index.resolve(name, on) == expected


def test_expand_includes_members_and_renames(tiny):
    assert tiny.actor_index.expand(["coalition"]) == {"coalition", "front", "new-front", "rebels"}
    assert tiny.actor_index.expand(["front"]) == {"front", "new-front"}
    assert tiny.actor_index.expand(["army"]) == {"army"}
