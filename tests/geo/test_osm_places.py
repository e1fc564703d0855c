"""The OpenStreetMap layer: names read on the map resolve to the points they label, with OSM's provenance."""

from __future__ import annotations

import collections
import json
import math

import pytest

from geo import Geocoder, LatLon
from geo.basemap import BASEMAP_DIR
from geo.geocoder import MAX_ALTERNATIVES, SEED_PLACES
from geo.osm_places import OSM_PLACES, SOURCE_DIR, build_osm_places, load_osm_places


def _km(lat1, lon1, lat2, lon2) -> float:
    return math.hypot((lat2 - lat1) * 111.2, (lon2 - lon1) * 111.2 * math.cos(math.radians(lat1)))


def _labels(layer: str) -> list[tuple[str, float, float, dict]]:
    features = json.loads((BASEMAP_DIR / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]
    return [(f["properties"]["name"], *f["geometry"]["coordinates"][:2][::-1], f["properties"]) for f in features]


def _at(match, lat: float, lon: float, *, slack_km: float = 0.0, with_alternatives: bool = False) -> bool:
    options = list(match.candidates) + (list(match.alternatives) if with_alternatives else [])
    return any(_km(c.lat, c.lon, lat, lon) <= (c.precision_m or 0) / 1000 + slack_km for c in options)


@pytest.fixture(scope="module")
def geocoder():
    return Geocoder(live=False)


@pytest.fixture(scope="module")
def with_seed():
    return Geocoder(SEED_PLACES, live=False)


def test_shipped_file_is_what_the_build_writes(tmp_path):
    if not SOURCE_DIR.is_dir():
        pytest.skip(f"{SOURCE_DIR} (shared/reference/basemap) not found")
    counts = build_osm_places(SOURCE_DIR, tmp_path / "osm-places.csv")
    assert (tmp_path / "osm-places.csv").read_bytes() == OSM_PLACES.read_bytes(), "run python -m geo.osm_places"
    assert counts["place"] == 9187 and counts["poi"] == 1158 and counts["airfield"] >= 30
    assert counts["bytes"] < 700_000


@pytest.mark.parametrize("layer", ["aleppo_landmarks", "airfields"])
def test_every_osm_label_on_the_map_resolves_to_the_point_it_labels(geocoder, layer):
    """The OSM point itself, or a curated place whose radius holds it (the University neighbourhood)."""
    labels = [label for label in _labels(layer) if label[3].get("source", "OSM") == "OSM"]
    assert len(labels) >= 10
    for name, lat, lon, _ in labels:
        match = geocoder.geocode(name)
        assert match is not None and not match.is_ambiguous, name
        assert _at(match, lat, lon), (name, match.lat, match.lon)
        assert match.provider == "gazetteer" or _km(match.lat, match.lon, lat, lon) < 0.01, name


def test_every_town_on_the_map_is_found_at_its_point(geocoder):
    """GeoNames towns come through the GeoNames layer; a few share a name with a better-known curated place,
    which answers first: the map's town is then among the alternatives, never lost."""
    labels = _labels("towns")
    matches = geocoder.geocode_many([name for name, *_ in labels])
    direct = [_at(m, lat, lon, slack_km=5) for m, (_, lat, lon, _) in zip(matches, labels)]
    assert all(_at(m, lat, lon, slack_km=5, with_alternatives=True) for m, (_, lat, lon, _) in zip(matches, labels))
    assert sum(direct) / len(labels) > 0.98


def test_osm_place_names_in_arabic_find_their_point(geocoder):
    places = [p for p in load_osm_places() if p.ref.startswith("osm:place")]
    shared = collections.Counter(p.name for p in places)
    testable = [p for p in places if shared[p.name] < MAX_ALTERNATIVES]
    matches = geocoder.geocode_many([p.name for p in testable])
    missed = [p.name for p, m in zip(testable, matches)
              if m is None or not _at(m, p.lat, p.lon, slack_km=1.5, with_alternatives=True)]
    capped = [name for name in missed if name in {"الطيبة", "طيبة", "Yeniköy"}]  # 9+ namesakes in GeoNames too
    assert len(testable) > 9000 and missed == capped


@pytest.mark.parametrize("spelling, expected_name", [
    ("قلعة حلب", "Citadel"),
    ("Citadel of Aleppo", "Citadel"),
    ("الاكاديمية العسكرية", "Military Academy"),     # hamza on the alif dropped
    ("مشفى الكندى", "al-Kindi Hospital"),            # final yaa written as alif maqsura
    ("Kweires airbase", "Kuweires Air Base"),
    ("OSAP", "Aleppo Int'l Airport"),                # ICAO code
    ("T4 airbase", "Tiyas (T4) Air Base"),
    ("حيلان", "حيلان"),                              # a village only OSM knows, named in Arabic only
])
def test_spellings_resolve_through_the_name_normalisation(geocoder, spelling, expected_name):
    match = geocoder.geocode(spelling)
    assert match is not None and match.name == expected_name and match.provider == "osm"


def test_matches_carry_osm_provenance(geocoder):
    match = geocoder.geocode("Artillery College")
    assert match.provider == "osm" and match.place_id is None and match.kind == "facility"
    assert "aleppo_pois" not in match.coord_source  # the file is ours; it cites the OSM object itself
    assert "point of interest 'كلية المدفعية'" in match.coord_source
    assert "lat 36.16030 lon 37.11749" in match.coord_source
    assert "© OpenStreetMap contributors, ODbL 1.0" in match.coord_source
    village = geocoder.geocode("حيلان")
    assert village.kind == "village" and village.country == "SY" and "place node" in village.coord_source


def test_curated_places_answer_first_and_osm_points_elsewhere_stay_alternatives(with_seed):
    college = with_seed.geocode("Artillery College")
    assert college.place_id == "aleppo-ramouseh-military-academies" and not college.alternatives  # same point
    academy = with_seed.geocode("Military Academy")  # the reports' name for the Ramouseh complex ...
    assert academy.place_id == "aleppo-ramouseh-military-academies" and not academy.is_ambiguous
    other = [c for c in academy.alternatives if c.provider == "osm"]  # ... and OSM's academy 3 km north-west
    assert [c.name for c in other] == ["Military Academy"] and _km(other[0].lat, other[0].lon, 36.18149, 37.09472) < 0.01


def test_osm_layer_can_be_left_out_and_filtered():
    without = Geocoder(live=False, osm=False)
    assert "osm" not in without.layer_names and without.geocode("قلعة حلب") is None
    near = Geocoder(geonames=False, live=False).nearest_place(lat=36.1994, lon=37.1628, providers=["osm"])
    assert near.match.name == "Citadel" and near.distance_m < 5


def test_near_picks_the_village_by_its_point(geocoder):
    same_name = [p for p in load_osm_places() if p.name == "جديدة"]
    assert len(same_name) > MAX_ALTERNATIVES
    target = same_name[5]
    match = geocoder.geocode("جديدة", near=LatLon(lat=target.lat, lon=target.lon))
    assert match is not None
    assert any(_km(c.lat, c.lon, target.lat, target.lon) < 0.01 for c in (*match.candidates, *match.alternatives))


def test_gazetteer_towns_placed_by_osm_sit_on_the_node_they_cite():
    import csv
    import re

    from geo.places import shipped_places

    with OSM_PLACES.open(encoding="utf-8") as handle:
        nodes = {(row["name"], row["lat"], row["lon"]): row["osm_class"] for row in csv.DictReader(handle)}
    cited = [p for p in shipped_places() if p.coord_source.startswith("OpenStreetMap")]
    assert {p.place_id for p in cited} == {"khan-tuman", "anadan", "zahraa", "mayer", "bayanoun", "hayan", "kafr-hamra"}
    for place in cited:
        found = re.match(r"OpenStreetMap place node '([^']+)' \((\w+)\) at lat ([0-9.]+) lon ([0-9.]+)", place.coord_source)
        assert found and nodes.get((found[1], found[3], found[4])) == found[2], place.place_id
        assert (place.lat, place.lon) == (float(found[3]), float(found[4]))
        assert found[1] in place.aliases and place.precision_m in (1000, 2000)
