"""Test doubles shared by the extractor tests (no tests here): a small alias table and a dictionary geocoder."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from data.model.actors import ActorIndex
from geo.names import name_key

ACTOR_ROWS = [
    # actor_id, name, aliases, side, parent_id, valid_from, valid_to, predecessor_id
    ("state-army", "State Army", "government forces|the army|troops|pro-government forces", "government", "", None, None, ""),
    ("state-news", "State News Agency", "state media|state news agency", "government", "", None, None, ""),
    ("hill-rebels", "Hill Rebels", "rebels|rebel fighters|insurgents", "opposition", "", None, None, ""),
    ("old-front", "Old Front", "Old Front|Front of Old", "jihadist", "", None, "2016-07-28", ""),
    ("new-front", "New Front", "New Front", "jihadist", "", "2016-07-28", None, "old-front"),
    ("watch", "Watch Observatory", "Watch Observatory|the observatory|monitoring group", "monitor", "", None, None, ""),
    ("wire", "Wire Agency", "Wire Agency", "media", "", None, None, ""),
]


def actor_index() -> ActorIndex:
    frame = pd.DataFrame(ACTOR_ROWS, columns=["actor_id", "name", "aliases", "side", "parent_id", "valid_from", "valid_to", "predecessor_id"])
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column])
    return ActorIndex(frame)


PLACES = {
    # name: (place_id, kind, lat, lon, precision_m)
    "Rivertown": ("rivertown", "city", 36.20, 37.15, 9000.0),
    "Millbrook": ("millbrook", "neighbourhood", 36.21, 37.16, 800.0),
    "Stonefield": ("stonefield", "town", 36.40, 37.00, 3000.0),
    "Eastgate": ("eastgate", "neighbourhood", 36.19, 37.17, 700.0),
    "Northland": ("northland", "country", 35.0, 38.0, 400000.0),
}


class DictGeocoder:
    """A geocoder over a fixed table with the Match fields the extractor reads."""

    def __init__(self, places: dict = PLACES):
        self._by_key = {name_key(name): (name, row) for name, row in places.items()}
        self.asked: list[str] = []

    def geocode(self, name, *, near=None, country=None):
        self.asked.append(name)
        hit = self._by_key.get(name_key(name))
        if hit is None:
            return None
        display, (place_id, kind, lat, lon, precision_m) = hit
        return SimpleNamespace(place_id=place_id, name=display, lat=lat, lon=lon, kind=kind, precision_m=precision_m,
                               provider="test", score=100.0, alternatives=(), is_ambiguous=False, parent_id=None)
