"""The OpenStreetMap layer of the geocoder: Syria's OSM places, Aleppo's named points of interest and the airfields.

Built once from ../shared/reference/basemap (the same August 2021 OSM extract the basemap draws) by
`python -m geo.osm_places`, which writes geo/osm/osm-places.csv; the geocoder reads only that file. OSM names are
the `name` tag (mostly Arabic); the English names are the ones the map shows for airfields and landmarks
(geo.basemap's tables), so a name read on the map resolves to the point it labels. The vector tiles carry no OSM
ids: an entry is identified by its layer, its name and its coordinates, which is how coord_source cites it.
The file is a derivative database of OpenStreetMap: © OpenStreetMap contributors, ODbL 1.0 (see README Credits).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OSM_DIR = Path(__file__).resolve().parent / "osm"
OSM_PLACES = OSM_DIR / "osm-places.csv"
SOURCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "basemap"
COLUMNS = ("layer", "osm_class", "name", "english", "lat", "lon", "adm1_pcode")
OSM_CREDIT = "© OpenStreetMap contributors, ODbL 1.0"
EXTRACT = "OSM extract of Aug 2021 (tokenless-tiles/syria 0377d31, tiles without OSM ids)"

# Radius of uncertainty by OSM place class: a node marks a settlement's centre, the settlement spreads around it.
PRECISION_BY_CLASS = {"city": 6_000, "town": 2_000, "suburb": 1_500, "village": 1_000, "hamlet": 500,
                      "neighbourhood": 700, "quarter": 700, "locality": 700}
KIND_BY_CLASS = {"city": "city", "town": "town", "village": "village", "hamlet": "village", "suburb": "neighbourhood",
                 "neighbourhood": "neighbourhood", "quarter": "neighbourhood", "locality": "area"}
POI_PRECISION_M = 300       # a point of interest marks one building or compound
AIRFIELD_PRECISION_M = 2_500  # an airfield label sits somewhere on a field whose runways run 2-3 km
LAYER_LABELS = {"place": "place node", "poi": "point of interest", "airfield": "aerodrome label"}
# Spellings of our own for the map's English names, beside the generic "X airbase / airport / airfield" forms.
EXTRA_SPELLINGS = {
    "Citadel": ("Aleppo Citadel", "Citadel of Aleppo", "Qalaat Halab"),
    "Aleppo Int'l Airport": ("Aleppo International Airport", "Aleppo airport", "Nayrab airport"),
    "Kuweires Air Base": ("Kweires airbase", "Kuwayris airbase", "Kuweires military airport"),
    "Menagh Air Base": ("Minakh airbase", "Mennagh airbase"),
    "Hmeimim Air Base": ("Khmeimim airbase", "Hmeymim airbase"),
    "Tiyas (T4) Air Base": ("T4 airbase", "T-4 airbase", "Tiyas airbase", "Tayfur airbase"),
    "Shayrat Air Base": ("Shairat airbase",),
    "Jirah Air Base": ("al-Jarrah airbase", "Jarrah airbase"),
    "al-Kindi Hospital": ("al-Kindi hospital", "Kindi hospital"),
}


@dataclass(frozen=True, slots=True)
class OsmPlace:
    """One OSM point the geocoder can answer with, its spellings and where it comes from."""

    ref: str
    name: str
    spellings: tuple[str, ...]
    kind: str
    lat: float
    lon: float
    precision_m: float
    coord_source: str
    country: str | None


def _english_spellings(english: str) -> list[str]:
    spellings = [english, *EXTRA_SPELLINGS.get(english, ())]
    for suffix in (" Air Base", " Airport"):
        if english.endswith(suffix):
            stem = english[: -len(suffix)].replace(" (T4)", "")
            spellings += [f"{stem} airbase", f"{stem} air base", f"{stem} airport", f"{stem} airfield",
                          f"{stem} military airport"]
    return spellings


def _coord_source(row: dict) -> str:
    what = LAYER_LABELS[row["layer"]]
    return (f"OpenStreetMap {what} '{row['name']}' ({row['osm_class'] or 'unclassed'}) at lat {row['lat']} "
            f"lon {row['lon']}, {EXTRACT}; {OSM_CREDIT}")


def _precision(row: dict) -> float:
    if row["layer"] == "place":
        return PRECISION_BY_CLASS.get(row["osm_class"], 1_000)
    return AIRFIELD_PRECISION_M if row["layer"] == "airfield" else POI_PRECISION_M


def _kind(row: dict) -> str:
    if row["layer"] == "place":
        return KIND_BY_CLASS.get(row["osm_class"], "village")
    if row["layer"] == "airfield":
        return "base" if "Air Base" in row["english"] else "facility"
    return "facility"


@lru_cache(maxsize=2)
def load_osm_places(path: Path = OSM_PLACES) -> tuple[OsmPlace, ...]:
    """The shipped OSM layer (empty when the file is absent, so a trimmed install still geocodes)."""
    if not path.is_file():
        return ()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    places = []
    for number, row in enumerate(rows):
        english = [e for e in row["english"].split("|") if e]
        spellings = [row["name"], *(s for e in english for s in _english_spellings(e))]
        places.append(OsmPlace(
            ref=f"osm:{row['layer']}:{number}",
            name=english[0] if english else row["name"],
            spellings=tuple(dict.fromkeys(s for s in spellings if s)),
            kind=_kind(row),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            precision_m=_precision(row),
            coord_source=_coord_source(row),
            country="SY" if row["adm1_pcode"].startswith("SY") else None,
        ))
    return tuple(places)


# --- build -----------------------------------------------------------------------------------


def _read(source_dir: Path, name: str) -> list[dict]:
    return json.loads((source_dir / f"{name}.geojson").read_text(encoding="utf-8"))["features"]


def _row(layer: str, osm_class: str, name: str, english: list[str], lon: float, lat: float, adm1: str = "") -> dict:
    return {"layer": layer, "osm_class": osm_class or "", "name": " ".join(name.split()), "english": "|".join(english),
            "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "adm1_pcode": adm1 or ""}


def _landmark_names(pois: list[dict]) -> dict[int, str]:
    """POI index -> the English name the map gives it: the same name-and-nearest rule as geo.basemap's landmarks."""
    from geo.basemap import LANDMARKS

    named = {}
    for english, osm_name, lon, lat in LANDMARKS:
        found = [(i, f["geometry"]["coordinates"]) for i, f in enumerate(pois)
                 if osm_name and f["properties"].get("name") == osm_name]
        best = min(found, key=lambda item: math.hypot(item[1][0] - lon, item[1][1] - lat), default=None)
        if best and math.hypot(best[1][0] - lon, best[1][1] - lat) < 0.01:
            named[best[0]] = english
    return named


def build_rows(source_dir: Path = SOURCE_DIR) -> list[dict]:
    """Every row of the shipped file: OSM place nodes, named Aleppo POIs, named airfield labels."""
    from geo.basemap import AIRFIELD_BY_POSITION, AIRFIELD_NAMES

    rows = []
    for f in _read(source_dir, "syria_places_osm"):
        p = f["properties"]
        if p.get("name"):
            rows.append(_row("place", p["class"], p["name"], [], *f["geometry"]["coordinates"][:2], p.get("adm1_pcode")))
    pois = _read(source_dir, "aleppo_pois")
    english_of = _landmark_names(pois)
    for i, f in enumerate(pois):
        p = f["properties"]
        if p.get("name"):
            rows.append(_row("poi", p.get("class") or "", p["name"], [english_of[i]] if i in english_of else [],
                             *f["geometry"]["coordinates"][:2], "SY02"))
    for f in _read(source_dir, "syria_aerodromes"):
        p = f["properties"]
        if f["geometry"]["type"] != "Point" or p.get("kind") != "aerodrome_label":
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        english = AIRFIELD_NAMES.get(p.get("name", "")) or AIRFIELD_BY_POSITION.get((round(lon, 4), round(lat, 4)))
        codes = [c for c in (p.get("icao"), p.get("iata")) if c]
        if p.get("name") or english:
            rows.append(_row("airfield", p.get("class") or "", p.get("name") or english,
                             ([english] if english else []) + codes, lon, lat))
    return rows


def build_osm_places(source_dir: Path = SOURCE_DIR, out: Path = OSM_PLACES) -> dict[str, int]:
    """Write geo/osm/osm-places.csv; returns rows per layer and the file's size in bytes."""
    rows = build_rows(source_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    load_osm_places.cache_clear()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["layer"]] = counts.get(row["layer"], 0) + 1
    return {**counts, "bytes": out.stat().st_size}


if __name__ == "__main__":
    print(json.dumps(build_osm_places(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE_DIR)))
