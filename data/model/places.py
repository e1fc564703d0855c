"""The place hierarchy of a dataset: a city contains its districts, a governorate its cities."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from geo.names import name_key


class PlaceTree:
    """Parent links of places, with descendant and ancestor lookups and alias resolution."""

    def __init__(self, places: pd.DataFrame):
        self.parent: dict[str, str] = {p: q for p, q in zip(places["place_id"], places["parent_id"]) if q}
        self.children: dict[str, set[str]] = defaultdict(set)
        for child, parent in self.parent.items():
            self.children[parent].add(child)
        self.names: dict[str, str] = dict(zip(places["place_id"], places["name"]))
        self._by_key: dict[str, set[str]] = defaultdict(set)
        for place_id, name, aliases in zip(places["place_id"], places["name"], places["aliases"]):
            for spelling in [place_id, name, *str(aliases).split("|")]:
                key = name_key(spelling.replace("-", " "))
                if key:
                    self._by_key[key].add(place_id)

    def descendants(self, place_id: str) -> set[str]:
        """The place and everything inside it."""
        seen, todo = {place_id}, [place_id]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen

    def ancestors(self, place_id: str) -> list[str]:
        """The chain of parents, nearest first (stops on a cycle)."""
        chain: list[str] = []
        current = self.parent.get(place_id)
        while current and current not in chain and current != place_id:
            chain.append(current)
            current = self.parent.get(current)
        return chain

    def resolve(self, name: str) -> set[str]:
        """Place ids whose name or alias has the same spelling key (empty when unknown)."""
        return set(self._by_key.get(name_key(str(name).replace("-", " ")), set()))
