"""Claim status: contested beats corroborated; allies are one camp; no claims is 'unclaimed'."""

from __future__ import annotations

import pandas as pd
import pytest

from data.model.claims import add_claim_status


def _status(stances_and_sides):
    events = pd.DataFrame({"event_id": ["e"]})
    claims = pd.DataFrame(
        {
            "event_id": ["e"] * len(stances_and_sides),
            "stance": [s for s, _ in stances_and_sides],
            "side": [side for _, side in stances_and_sides],
        }
    )
    add_claim_status(events, claims)
    return events["status"].iloc[0]


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ([("asserts", "opposition")], "single-source"),
        ([("asserts", "opposition"), ("asserts", "opposition")], "single-source"),
        ([("asserts", "opposition"), ("asserts", "monitor")], "corroborated"),
        ([("asserts", "government"), ("asserts", "government_ally")], "single-source"),
        ([("asserts", "government"), ("asserts", "opposition")], "corroborated"),
        ([("asserts", "opposition"), ("asserts", "monitor"), ("denies", "government")], "contested"),
        ([("asserts", "opposition"), ("disputes", "")], "contested"),
        ([("uncertain", "international")], "single-source"),
        ([("asserts", "opposition"), ("asserts", "")], "single-source"),
        ([], "unclaimed"),
    ],
)
def test_status_rule(claims, expected):
    assert _status(claims) == expected


def test_tiny_statuses(tiny):
    status = dict(zip(tiny.events.event_id, tiny.events.status))
    assert status == {"e-siege": "contested", "e-strikes": "single-source", "e-hill": "single-source", "e-vote": "unclaimed"}
