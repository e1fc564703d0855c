"""Places tables in the docs/DATA-MODEL.md layout: read, check and merge them into one gazetteer.

A table is a CSV path or a DataFrame-like object (anything with ``to_dict("records")``).
pandas is not imported here, so the geocoder starts fast.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from geo.errors import PlacesTableError

PLACE_COLUMNS = ("place_id", "name", "aliases", "kind", "parent_id", "lat", "lon",
                 "precision_m", "coord_source", "pcode")
REQUIRED_COLUMNS = ("place_id", "name")
SHIPPED_DIR = Path(__file__).resolve().parent / "gazetteer"
# country place ids of the data model -> ISO 3166-1 alpha-2
COUNTRY_CODES = {"syria": "SY", "turkey": "TR", "turkiye": "TR", "lebanon": "LB", "iraq": "IQ",
                 "jordan": "JO", "israel": "IL", "palestine": "PS"}


@dataclass(frozen=True, slots=True)
class Place:
    """One row of a places table with typed coordinates (lat/lon None when unknown)."""

    place_id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    parent_id: str
    lat: float | None
    lon: float | None
    precision_m: float | None
    coord_source: str
    pcode: str


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(row: dict, column: str, *, where: str, low: float, high: float) -> float | None:
    text = _cell(row.get(column))
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise PlacesTableError(f"{where}: {column} must be a number, got {text!r}") from None
    if not low <= number <= high:
        raise PlacesTableError(f"{where}: {column} must be between {low:g} and {high:g}, got {number:g}")
    return number


def _records(source: Any) -> tuple[list[dict], str]:
    if hasattr(source, "to_dict"):
        return source.to_dict("records"), "places table"
    path = Path(source)
    if not path.is_file():
        raise PlacesTableError(f"places table {str(path)!r} is not a file")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle)), path.name


def read_places(source: Any) -> list[Place]:
    """Read and check a places table (CSV path or DataFrame); raise PlacesTableError saying which row is wrong."""
    rows, label = _records(source)
    if rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        if missing:
            raise PlacesTableError(f"{label}: missing column(s) {', '.join(missing)}; expected {', '.join(PLACE_COLUMNS)}")
    places, seen = [], set()
    for number, row in enumerate(rows, start=2):
        place_id = _cell(row.get("place_id"))
        where = f"{label} row {number} ({place_id or 'no id'})"
        if not place_id:
            raise PlacesTableError(f"{where}: place_id is blank")
        if place_id in seen:
            raise PlacesTableError(f"{where}: place_id {place_id!r} appears twice")
        seen.add(place_id)
        lat = _number(row, "lat", where=where, low=-90, high=90)
        lon = _number(row, "lon", where=where, low=-180, high=180)
        if (lat is None) != (lon is None):
            raise PlacesTableError(f"{where}: lat and lon must both be given or both be blank")
        places.append(Place(
            place_id=place_id,
            name=_cell(row.get("name")) or place_id,
            aliases=tuple(a.strip() for a in _cell(row.get("aliases")).split("|") if a.strip()),
            kind=_cell(row.get("kind")),
            parent_id=_cell(row.get("parent_id")),
            lat=lat,
            lon=lon,
            precision_m=_number(row, "precision_m", where=where, low=0, high=25_000_000),
            coord_source=_cell(row.get("coord_source")),
            pcode=_cell(row.get("pcode")),
        ))
    return places


def shipped_places() -> list[Place]:
    """Our own gazetteer: every geo/gazetteer/*.csv, in file-name order."""
    places: list[Place] = []
    for path in sorted(SHIPPED_DIR.glob("*.csv")):
        places.extend(read_places(path))
    return places


def _merge_into(target: Place, other: Place) -> Place:
    """Keep target's values, fill its blanks from other, and add other's spellings to target's aliases."""
    spellings = list(target.aliases)
    known = {s.casefold() for s in (target.name, *spellings)}
    for spelling in (other.name, *other.aliases):
        if spelling.casefold() not in known:
            spellings.append(spelling)
            known.add(spelling.casefold())
    has_point = target.lat is not None
    return Place(
        place_id=target.place_id,
        name=target.name,
        aliases=tuple(spellings),
        kind=target.kind or other.kind,
        parent_id=target.parent_id or other.parent_id,
        lat=target.lat if has_point else other.lat,
        lon=target.lon if has_point else other.lon,
        precision_m=target.precision_m if target.precision_m is not None else other.precision_m,
        coord_source=target.coord_source if has_point else (other.coord_source or target.coord_source),
        pcode=target.pcode or other.pcode,
    )


def merge_places(tables: Iterable[list[Place]]) -> list[Place]:
    """Merge places tables, earliest first: the same place (same place_id, or same pcode) keeps the
    earlier table's values, gains the later table's aliases, and fills its blank cells from it.
    Parent ids that pointed at a merged-away id are rewritten to the id that was kept."""
    merged: dict[str, Place] = {}
    by_pcode: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for table in tables:
        for place in table:
            target_id = place.place_id if place.place_id in merged else by_pcode.get(place.pcode) if place.pcode else None
            if target_id is None:
                merged[place.place_id] = place
                if place.pcode:
                    by_pcode.setdefault(place.pcode, place.place_id)
                continue
            merged[target_id] = _merge_into(merged[target_id], place)
            if place.pcode:
                by_pcode.setdefault(place.pcode, target_id)
            if place.place_id != target_id:
                renamed[place.place_id] = target_id
    out = []
    for place in merged.values():
        parent = renamed.get(place.parent_id, place.parent_id)
        out.append(place if parent == place.parent_id else _replace_parent(place, parent))
    return out


def _replace_parent(place: Place, parent_id: str) -> Place:
    values = {name: getattr(place, name) for name in Place.__slots__}
    values["parent_id"] = parent_id
    return Place(**values)


def country_of(place_id: str, places: dict[str, Place]) -> str | None:
    """ISO2 country of a place, found by walking up its parents to a country (None when unknown)."""
    seen = set()
    current = places.get(place_id)
    while current is not None and current.place_id not in seen:
        seen.add(current.place_id)
        if current.kind == "country":
            if len(current.pcode) == 2 and current.pcode.isalpha():
                return current.pcode.upper()
            return COUNTRY_CODES.get(current.place_id)
        current = places.get(current.parent_id)
    return None


def ancestors_of(place_id: str, places: dict[str, Place]) -> list[str]:
    """Parent ids, nearest first (stops on a cycle)."""
    chain: list[str] = []
    current = places.get(place_id)
    while current is not None and current.parent_id and current.parent_id not in chain and current.parent_id != place_id:
        chain.append(current.parent_id)
        current = places.get(current.parent_id)
    return chain
