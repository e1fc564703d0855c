"""The shipped gazetteer CSVs and the places-table merge rule; coordinates checked against independent sources."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from geopy.distance import geodesic

from geo.errors import PlacesTableError
from geo.geonames import load_geonames_places
from geo.names import fold_key
from geo.places import PLACE_COLUMNS, SHIPPED_DIR, merge_places, read_places, shipped_places
from tests.conftest import ROOT

REFERENCE = ROOT.parent / "shared" / "reference"
TINY_PLACES = ROOT / "tests" / "fixtures" / "tiny" / "places.csv"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@pytest.fixture(scope="module")
def shipped():
    return {p.place_id: p for p in shipped_places()}


@pytest.fixture(scope="module")
def geonames_sy():
    return load_geonames_places(("SY",), min_population=500)


def _km(a, b) -> float:
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).km


def test_shipped_csvs_follow_the_data_model(shipped):
    for path in SHIPPED_DIR.glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            assert tuple(csv.DictReader(handle).fieldnames) == PLACE_COLUMNS, path.name
    for place in shipped.values():
        assert SLUG.match(place.place_id), place.place_id
        assert place.lat is not None and place.precision_m and place.precision_m > 0
        assert place.coord_source, place.place_id
        assert not place.parent_id or place.parent_id in shipped, (place.place_id, place.parent_id)
        assert place.kind in {"country", "governorate", "city", "town", "neighbourhood", "camp", "area"}


def test_counts_and_pcodes(shipped):
    kinds = [p for p in shipped.values() if p.parent_id == "aleppo"]
    assert len(kinds) == 109
    assert len([p for p in shipped.values() if p.parent_id == "homs"]) == 36
    governorates = [p for p in shipped.values() if p.kind == "governorate"]
    assert sorted(p.pcode for p in governorates) == [f"SY{n:02d}" for n in range(1, 15)]
    neighbourhood_pcodes = [p.pcode for p in shipped.values() if p.parent_id in ("aleppo", "homs")]
    assert len(set(neighbourhood_pcodes)) == 145 and all(re.match(r"^N\d{4}$", c) for c in neighbourhood_pcodes)
    assert any(re.search(r"[\u0600-\u06ff]", a) for a in shipped["aleppo-ramouseh"].aliases), "Arabic name kept"


def test_towns_and_cities_within_5_km_of_geonames(shipped, geonames_sy):
    """Independent check: our towns (placed from OCHA) against GeoNames points of the same name."""
    by_fold: dict[str, list] = {}
    for g in geonames_sy:
        for spelling in g.spellings:
            by_fold.setdefault(fold_key(spelling), []).append(g)
    checked = []
    for place in shipped.values():
        if place.kind not in ("town", "city") or place.coord_source.startswith("GeoNames"):
            continue
        same_name = {g.geonameid: g for s in (place.name, *place.aliases) for g in by_fold.get(fold_key(s), [])}
        if not same_name:
            continue
        nearest = min(_km(place, g) for g in same_name.values())
        assert nearest <= 5.0, f"{place.place_id} is {nearest:.1f} km from the GeoNames point of the same name"
        checked.append(place.place_id)
    assert len(checked) >= 25, checked
    assert {"aleppo", "homs", "azaz", "manbij", "nubl", "tal-rifaat", "hreitan", "al-bab"} <= set(checked)


@pytest.mark.parametrize("city", ["aleppo", "homs"])
def test_neighbourhoods_lie_within_their_city(shipped, city):
    centre = shipped[city]
    parts = [p for p in shipped.values() if p.parent_id == city]
    for part in parts:
        distance_m = _km(centre, part) * 1000
        assert distance_m <= centre.precision_m, part.place_id
        assert distance_m <= 12_000, part.place_id


def test_neighbourhoods_inside_the_bounding_box_of_the_ocha_layer(shipped):
    path = REFERENCE / "ocha" / "syria_city_neighbourhoods.geojson"
    if not path.is_file():
        pytest.skip(f"reference data not found at {path} (../shared/reference is absent)")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for city_en, city_id in (("Aleppo", "aleppo"), ("Homs", "homs")):
        points = [(y, x) for f in features if f["properties"]["city_en"] == city_en
                  for ring in f["geometry"]["coordinates"] for x, y in ring]
        lat_lo, lat_hi = min(p[0] for p in points), max(p[0] for p in points)
        lon_lo, lon_hi = min(p[1] for p in points), max(p[1] for p in points)
        parts = [p for p in shipped.values() if p.parent_id == city_id]
        for part in parts:
            assert lat_lo <= part.lat <= lat_hi and lon_lo <= part.lon <= lon_hi, part.place_id
        by_pcode = {f["properties"]["pcode"]: f["properties"] for f in features}
        for part in parts:
            ocha = by_pcode[part.pcode]
            assert abs(ocha["centroid_lat"] - part.lat) < 1e-5 and abs(ocha["centroid_lon"] - part.lon) < 1e-5


def test_towns_lie_in_their_governorate(shipped):
    for place in shipped.values():
        if place.kind == "town":
            governorate = shipped[place.parent_id]
            assert _km(place, governorate) * 1000 <= governorate.precision_m, place.place_id


def test_approximate_places_say_so(shipped):
    approximate = [p for p in shipped.values() if p.coord_source.startswith("approximate")]
    assert approximate and all(p.precision_m >= 4000 for p in approximate)


def _table(tmp_path, name: str, rows: list[dict]) -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLACE_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in PLACE_COLUMNS})
    return path


def test_passed_table_wins_and_gains_our_aliases(tmp_path):
    seed = _table(tmp_path, "places.csv", [
        {"place_id": "aleppo-ramouseh", "name": "Ramouseh", "aliases": "Ramouseh district", "kind": "neighbourhood",
         "parent_id": "aleppo", "lat": "36.158", "lon": "37.129", "precision_m": "1500", "coord_source": "seed"},
        # same pcode as our Sheikh Maqsoud, another id: it is the same place, and the seed's id is kept
        {"place_id": "aleppo-sheikh-maqsood", "name": "Sheikh Maqsood", "kind": "neighbourhood", "parent_id": "aleppo",
         "lat": "36.237", "lon": "37.154", "precision_m": "1200", "coord_source": "seed", "pcode": "N0123"},
    ])
    merged = {p.place_id: p for p in merge_places([read_places(seed), shipped_places()])}
    ramouseh = merged["aleppo-ramouseh"]
    assert (ramouseh.lat, ramouseh.precision_m, ramouseh.coord_source) == (36.158, 1500, "seed")
    assert "Ramouseh district" in ramouseh.aliases and "Ar-Ramouseh Indusrtial District" in ramouseh.aliases
    assert ramouseh.pcode == "N0226", "a blank cell is filled from our gazetteer"
    assert "aleppo-sheikh-maqsoud" not in merged
    assert "Sheikh Maqsoud" in merged["aleppo-sheikh-maqsood"].aliases


def test_several_tables_earliest_wins(tmp_path):
    first = _table(tmp_path, "a.csv", [{"place_id": "nubl", "name": "Nubbul", "lat": "36.38", "lon": "36.99"}])
    second = _table(tmp_path, "b.csv", [{"place_id": "nubl", "name": "Nabl", "lat": "10", "lon": "10"},
                                        {"place_id": "x-site", "name": "X site", "parent_id": "nubl",
                                         "lat": "36.4", "lon": "37.0"}])
    merged = {p.place_id: p for p in merge_places([read_places(first), read_places(second), shipped_places()])}
    assert merged["nubl"].name == "Nubbul" and merged["nubl"].lat == 36.38
    assert {"Nabl", "Nubl"} <= set(merged["nubl"].aliases)
    assert merged["x-site"].parent_id == "nubl"


def test_parent_ids_follow_a_merged_away_id(tmp_path):
    seed = _table(tmp_path, "places.csv", [
        {"place_id": "aleppo-city", "name": "Aleppo", "kind": "city", "lat": "36.2", "lon": "37.15", "pcode": "C1007"},
    ])
    merged = {p.place_id: p for p in merge_places([read_places(seed), shipped_places()])}
    assert "aleppo" not in merged
    assert merged["aleppo-ramouseh"].parent_id == "aleppo-city"


def test_dataframe_tables_work_too():
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(TINY_PLACES, dtype=str, keep_default_na=False)
    places = read_places(frame)
    assert [p.place_id for p in places][:2] == ["northland", "rivertown"]
    assert places[1].aliases == ("River Town", "Ar-Rivertown")


@pytest.mark.parametrize("row, message", [
    ({"place_id": "", "name": "x"}, "place_id is blank"),
    ({"place_id": "x", "name": "x", "lat": "north", "lon": "1"}, "lat must be a number"),
    ({"place_id": "x", "name": "x", "lat": "95", "lon": "1"}, "lat must be between"),
    ({"place_id": "x", "name": "x", "lat": "36"}, "both be given"),
])
def test_bad_tables_say_what_is_wrong(tmp_path, row, message):
    with pytest.raises(PlacesTableError, match=message):
        read_places(_table(tmp_path, "bad.csv", [row]))


def test_missing_column_and_missing_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,title\na,b\n", encoding="utf-8")
    with pytest.raises(PlacesTableError, match="missing column"):
        read_places(path)
    with pytest.raises(PlacesTableError, match="not a file"):
        read_places(tmp_path / "nope.csv")


def _spellings_that_miss_their_place(geocoder) -> list[str]:
    misses = []
    for place in geocoder.places.values():
        for spelling in (place.name, *place.aliases):
            match = geocoder.geocode(spelling)
            if match is None or place.place_id not in {c.place_id for c in match.candidates}:
                misses.append(f"{place.place_id}: {spelling!r} -> {match and (match.place_id or match.name)}")
    return misses


def test_every_spelling_of_ours_finds_its_place_even_with_geonames():
    from geo import Geocoder

    assert _spellings_that_miss_their_place(Geocoder(live=False)) == []


def test_every_spelling_of_the_seed_table_finds_its_place():
    from geo import Geocoder
    from geo.geocoder import SEED_PLACES

    if not SEED_PLACES.is_file():
        pytest.skip(f"seed places table not found at {SEED_PLACES}")
    assert _spellings_that_miss_their_place(Geocoder(SEED_PLACES, live=False)) == []
