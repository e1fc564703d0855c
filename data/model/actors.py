"""Actor names to ids: aliases, coalitions, and renames resolved by date."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pandas as pd

from geo.names import name_key


class ActorIndex:
    """Looks actors up by any alias and expands coalitions and rename lineages."""

    def __init__(self, actors: pd.DataFrame):
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._valid: dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]] = {}
        self._children: dict[str, set[str]] = defaultdict(set)
        self._lineage_links: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, str] = {}
        self.sides: dict[str, str] = {}
        for row in actors.itertuples(index=False):
            actor_id = row.actor_id
            self.names[actor_id] = row.name
            self.sides[actor_id] = row.side
            spellings = [actor_id, row.name, *[a for a in str(row.aliases).split("|") if a.strip()]]
            for spelling in spellings:
                key = name_key(spelling.replace("-", " "))
                if key:
                    self._by_key[key].add(actor_id)
            self._valid[actor_id] = (_none_if_nat(row.valid_from), _none_if_nat(row.valid_to))
            if row.parent_id:
                self._children[row.parent_id].add(actor_id)
            if row.predecessor_id:
                self._lineage_links[actor_id].add(row.predecessor_id)
                self._lineage_links[row.predecessor_id].add(actor_id)

    def lineage(self, actor_id: str) -> set[str]:
        """The actor and every earlier or later name of the same organisation."""
        seen, todo = {actor_id}, [actor_id]
        while todo:
            for linked in self._lineage_links.get(todo.pop(), ()):
                if linked not in seen:
                    seen.add(linked)
                    todo.append(linked)
        return seen

    def resolve(self, name: str, on: date | pd.Timestamp | None = None) -> str | None:
        """The actor id a name stands for on a date (a renamed group resolves to the name in use then).

        Returns None when the name is unknown or matches two unrelated actors.
        """
        ids = self._by_key.get(name_key(str(name).replace("-", " ")), set())
        if not ids:
            return None
        organisations = {frozenset(self.lineage(actor_id)) for actor_id in ids}
        if len(organisations) > 1:
            return None
        if on is None:
            return sorted(ids)[0] if len(ids) == 1 else sorted(ids)[0]
        when = pd.Timestamp(on)
        members = next(iter(organisations))
        in_use = [a for a in sorted(members) if _covers(self._valid[a], when)]
        if len(in_use) == 1:
            return in_use[0]
        named = sorted(ids & set(in_use)) or sorted(ids)
        return named[0]

    def expand(self, actor_ids: list[str] | tuple[str, ...]) -> set[str]:
        """The actors a filter on these ids matches: themselves, coalition members, and their renames."""
        out: set[str] = set()
        todo = list(actor_ids)
        while todo:
            actor_id = todo.pop()
            for member in self.lineage(actor_id):
                if member not in out:
                    out.add(member)
                    todo.extend(self._children.get(member, ()))
        return out


def _none_if_nat(value) -> pd.Timestamp | None:
    return None if pd.isna(value) else pd.Timestamp(value)


def _covers(valid: tuple[pd.Timestamp | None, pd.Timestamp | None], when: pd.Timestamp) -> bool:
    start, end = valid
    return (start is None or start <= when) and (end is None or when < end)
