"""Forward geocoding against the curated gazetteer: spelling variants, ambiguity, near/country, misses."""

from __future__ import annotations

import pytest

from geo import Geocoder, LatLon
from geo.errors import CoordinateError, GeocodeError, UnknownPlaceError
from geo.names import name_key


@pytest.fixture(scope="module")
def curated():
    """Our shipped gazetteer only (no GeoNames, no seed table, live off): fast and deterministic."""
    return Geocoder(geonames=False, live=False)


# Spellings written for this test, not copied from the seed articles; many are in no alias list,
# so they pass only through folding (articles, ou/u, ei/ay, q/k, -iyeh, doubled letters) or fuzzy matching.
VARIANTS = [
    # Aleppo neighbourhoods
    ("Er Ramousse", "aleppo-ramouseh"),
    ("al-Ramousah", "aleppo-ramouseh"),
    ("Ramousseh", "aleppo-ramouseh"),
    ("Shaykh Maqsud", "aleppo-sheikh-maqsoud"),
    ("Cheikh Maksoud", "aleppo-sheikh-maqsoud"),
    ("Sheikh Maqsood", "aleppo-sheikh-maqsoud"),
    ("Hamdaniyyeh", "aleppo-hamdaniya"),
    ("al-Hamadaniya", "aleppo-hamdaniya"),
    ("Hanano", "aleppo-hanano"),
    ("Masakin Hananu", "aleppo-hanano"),
    ("Salah al-Din", "aleppo-salaheddine"),
    ("Salah ad-Deen", "aleppo-salaheddine"),
    ("Salahaddin", "aleppo-salaheddine"),
    ("Sakhur", "aleppo-sakhour"),
    ("Al-Sakhoor", "aleppo-sakhour"),
    ("Bustan al-Qasr", "aleppo-bustan-al-qasr"),
    ("Bostan el-Kaser", "aleppo-bustan-al-qasr"),
    ("Kerm el-Jabal", "aleppo-karm-al-jabal"),
    ("Seif el-Dawla", "aleppo-saif-al-dawla"),
    ("Ansari Sharki", "aleppo-ansari-east"),
    ("Kadi Asker", "aleppo-qadi-askar"),
    ("Jabal Badrou", "aleppo-jabal-badro"),
    ("Layramun", "aleppo-layramoun"),
    ("Kallase", "aleppo-kallaseh"),
    ("Boustan el-Pasha", "aleppo-bustan-al-basha"),
    ("Haidariyeh", "aleppo-haidariya"),
    ("Sheikh Khodor", "aleppo-sheikh-khodr"),
    ("Jabriya", "aleppo-jabriyeh"),
    ("Ashrafiyyeh", "aleppo-ashrafiyah"),
    ("Midane", "aleppo-midan"),
    ("Mukhayyam Handarat", "aleppo-handarat-camp"),
    ("Teshreen", "aleppo-tishreen"),
    ("Zibdiyah", "aleppo-zebdiyeh"),
    ("Sheikh Saeed", "aleppo-sheikh-said"),
    ("al-Ameriyya", "aleppo-amiriyah"),
    ("Salihine", "aleppo-salihin"),
    ("Souq al-Medina", "aleppo-old-souq"),
    ("Bab Qinnesrine", "aleppo-bab-qinnasrin"),
    ("الشيخ مقصود", "aleppo-sheikh-maqsoud"),
    # Homs neighbourhoods
    ("Baba Amru", "homs-baba-amr"),
    ("Bab Amr", "homs-baba-amr"),
    ("Jouret al-Shayah", "homs-jouret-al-shiyah"),
    ("Bab al-Sbaa", "homs-bab-al-sibaa"),
    ("Karm el-Zeitoun", "homs-karm-al-zeitoun"),
    ("Ekrimah", "homs-akrama"),
    ("Al-Qussour", "homs-qusour"),
    ("El Waer", "homs-waer"),
    ("Wadi al-Zahab", "homs-wadi-al-dhahab"),
    # towns of Aleppo governorate
    ("Nebel", "nubl"),
    ("Nubbol", "nubl"),
    ("Tel Rifat", "tal-rifaat"),
    ("Tell Refaat", "tal-rifaat"),
    ("Menbej", "manbij"),
    ("Jarabulous", "jarabulus"),
    ("Huraitan", "hreitan"),
    ("Anadaan", "anadan"),
    ("Bayyanoun", "bayanoun"),
    ("Haiyan", "hayan"),
    ("Kafar Hamra", "kafr-hamra"),
    ("Maarrat al-Artik", "maarat-al-artiq"),
    ("Khan Toumane", "khan-tuman"),
    ("Dair Hafir", "dayr-hafir"),
    ("Es Safira", "al-safira"),
    ("Kweiris", "kuweires"),
    ("Deir Jammal", "deir-jamal"),
    ("Zarba", "zarbah"),
    ("Maier", "mayer"),
    ("El Atarib", "al-atarib"),
    ("Darat Izzah", "daret-azza"),
    ("Kubani", "kobani"),
    ("Al-Baab", "al-bab"),
    ("Tal Daman", "tal-al-daman"),
    # cities, governorates, country
    ("Halab", "aleppo"),
    ("Hims", "homs"),
    ("حلب", "aleppo"),
    ("Aleppo Province", "aleppo-governorate"),
    ("Homs countryside", "homs-governorate"),
    ("Rural Damascus", "rif-dimashq-governorate"),
    ("Idleb province", "idlib-governorate"),
    ("Syria", "syria"),
]


def test_variant_table_is_large_and_mostly_not_aliases(curated):
    assert len(VARIANTS) >= 60
    known = {name_key(s) for p in curated.places.values() for s in (p.name, *p.aliases)}
    not_literal = [v for v, _ in VARIANTS if name_key(v) not in known]
    assert len(not_literal) >= 45, "most variants must need folding or fuzzy matching, not a literal alias"


@pytest.mark.parametrize("variant, place_id", VARIANTS)
def test_variant_resolves(curated, variant, place_id):
    match = curated.geocode(variant)
    assert match is not None, variant
    assert not match.is_ambiguous, (variant, [c.place_id for c in match.candidates])
    assert match.place_id == place_id
    assert match.provider == "gazetteer"
    assert 0 < match.score <= 100


AMBIGUOUS = [
    ("Zahraa", {"zahraa", "aleppo-zahraa"}),
    ("Az-Zahra", {"zahraa", "aleppo-zahraa", "homs-zahra"}),
    ("Sabil", {"aleppo-sabil", "homs-sabil"}),
    ("Ghouta", {"eastern-ghouta", "homs-ghouta"}),
    ("Khaldiya", {"aleppo-khalidiyah", "homs-khalidiyah"}),
    ("Deir Baalba", {"homs-deir-baalba-north", "homs-deir-baalba-south"}),
    ("Ferdaws", {"aleppo-firdous", "homs-firdous"}),
    ("Bayyadah", {"aleppo-bayada", "homs-bayada"}),
    ("Hamidiyya", {"aleppo-hamidiyah", "homs-hamidiyah"}),
]


@pytest.mark.parametrize("name, expected", AMBIGUOUS)
def test_ambiguous_name_returns_its_candidates(curated, name, expected):
    match = curated.geocode(name)
    assert match is not None and match.is_ambiguous
    tied = {c.place_id for c in match.candidates}
    assert expected <= tied


@pytest.mark.parametrize("nonsense", ["Qwxzzy plorf", "", "   ", "12345", "!!!", "xx", "Atlantis"])
def test_nonsense_returns_none(curated, nonsense):
    assert curated.geocode(nonsense) is None


@pytest.mark.parametrize("near, expected", [
    ("nubl", "zahraa"),
    (LatLon(lat=36.37, lon=37.0), "zahraa"),
    ({"lat": 36.37, "lon": 37.0}, "zahraa"),
    ("aleppo", "aleppo-zahraa"),
    (LatLon(lat=36.2012, lon=37.1612), "aleppo-zahraa"),
    ("homs", "homs-zahra"),
])
def test_near_breaks_the_zahraa_tie(curated, near, expected):
    match = curated.geocode("Zahraa", near=near)
    assert match.place_id == expected
    assert not match.is_ambiguous
    assert match.alternatives, "the losing candidates stay visible"


def test_near_accepts_a_match(curated):
    nubl = curated.geocode("Nubl")
    assert curated.geocode("Zahraa", near=nubl).place_id == "zahraa"


def test_near_inside_a_region_that_holds_both_stays_ambiguous(curated):
    match = curated.geocode("Zahraa", near="aleppo-governorate")
    assert match.is_ambiguous
    assert {"zahraa", "aleppo-zahraa"} <= {c.place_id for c in match.candidates}


def test_near_as_bare_tuple_is_refused(curated):
    with pytest.raises(CoordinateError, match="lat="):
        curated.geocode("Zahraa", near=(36.37, 37.0))
    with pytest.raises(ValueError):  # domain errors are ValueErrors too
        curated.geocode("Zahraa", near=[36.37, 37.0])


def test_near_out_of_range_and_unknown(curated):
    with pytest.raises(CoordinateError, match="lat must be"):
        curated.geocode("Zahraa", near={"lat": 137.0, "lon": 37.0})
    with pytest.raises(UnknownPlaceError):
        curated.geocode("Zahraa", near="Qwxzzy plorf")


def test_country_must_be_iso2(curated):
    with pytest.raises(GeocodeError, match="two-letter"):
        curated.geocode("Aleppo", country="Syria")
    assert curated.geocode("Aleppo", country="sy").place_id == "aleppo"


def test_place_ids_resolve_to_themselves(curated):
    assert curated.geocode("aleppo-ramouseh").place_id == "aleppo-ramouseh"
    assert curated.geocode("homs-zahra").place_id == "homs-zahra"


def test_match_carries_hierarchy_and_precision(curated):
    ramouseh = curated.geocode("Ramouseh")
    assert ramouseh.parent_id == "aleppo" and ramouseh.kind == "neighbourhood"
    assert "OCHA" in ramouseh.coord_source and "N0226" in ramouseh.coord_source
    aleppo = curated.geocode("Aleppo")
    assert aleppo.kind == "city" and aleppo.parent_id == "aleppo-governorate"
    assert aleppo.precision_m > ramouseh.precision_m
    governorate = curated.geocode("Aleppo governorate")
    assert governorate.kind == "governorate" and governorate.precision_m > aleppo.precision_m


def test_geocode_many_matches_geocode_one_by_one(curated):
    names = [v for v, _ in VARIANTS] + ["Zahraa", "Qwxzzy plorf", None, ""] + [v for v, _ in VARIANTS[:5]]
    batch = curated.geocode_many(names)
    fresh = Geocoder(geonames=False, live=False)
    assert batch == [fresh.geocode(n) if n is not None else None for n in names]


def test_match_is_frozen_and_serialisable(curated):
    import dataclasses
    import json

    match = curated.geocode("Zahraa")
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.lat = 0.0
    data = json.loads(json.dumps(match.to_dict()))
    assert data["is_ambiguous"] is True and data["alternatives"][0]["provider"] == "gazetteer"


@pytest.mark.parametrize("text, place_id, kind", [
    ("Sheikh Maqsoud, Aleppo", "aleppo-sheikh-maqsoud", "neighbourhood"),
    ("Zahraa, Nubl", "zahraa", "town"),
    ("Zahraa, Aleppo", "aleppo-zahraa", "neighbourhood"),
    ("Sabil, Homs", "homs-sabil", "neighbourhood"),
    ("Hamdaniyeh, Aleppo, Syria", "aleppo-hamdaniya", "neighbourhood"),
    ("Qwxzzy plorf, Aleppo", "aleppo", "city"),  # only the city resolves: the city, at the city's radius
    ("northern Aleppo countryside", "aleppo-governorate", "governorate"),
])
def test_comma_and_qualifier_second_chances(curated, text, place_id, kind):
    match = curated.geocode(text)
    assert (match.place_id, match.kind, match.is_ambiguous) == (place_id, kind, False)
    assert match.query == text


def test_partial_answers_cost_points_and_outside_widens_the_radius(curated):
    aleppo = curated.geocode("Aleppo")
    only_city = curated.geocode("Qwxzzy plorf, Aleppo")
    assert only_city.score < aleppo.score and only_city.precision_m == aleppo.precision_m
    inside = curated.geocode("eastern Aleppo")
    assert inside.place_id == "aleppo" and inside.precision_m == aleppo.precision_m
    around = curated.geocode("east of Aleppo")
    assert around.place_id == "aleppo" and around.precision_m > aleppo.precision_m
    assert curated.geocode("near Qwxzzy plorf") is None


def test_hierarchy_walks_up_to_the_country(curated):
    assert curated.ancestors("aleppo-ramouseh") == ["aleppo", "aleppo-governorate", "syria"]
    assert curated.ancestors("nubl") == ["aleppo-governorate", "syria"]
    with pytest.raises(UnknownPlaceError):
        curated.ancestors("nowhere")
