"""Names in new spellings resolve to the seed's ids; renamed groups resolve by date."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("JABHAT AL NUSRA", "2015-06-01", "jabhat-al-nusra"),
        ("al-nusra front", "2014-05-22", "jabhat-al-nusra"),
        ("Jabhat al-Nuṣra", "2013-01-01", "jabhat-al-nusra"),
        # the old name used after the July 2016 rename means the renamed group
        ("Nusra Front", "2016-08-06", "jabhat-fateh-al-sham"),
        ("Jabhat Fatah al Sham", "2016-10-01", "jabhat-fateh-al-sham"),
        # the new name used about the time before it existed means the group under its name then
        ("JFS", "2015-01-01", "jabhat-al-nusra"),
        ("jabhat-fateh-al-sham", None, "jabhat-fateh-al-sham"),
        ("Hizbullah", None, "hezbollah"),
        ("ARMY OF CONQUEST", None, "jaish-al-fath"),
        ("Jaysh al Fatah", None, "jaish-al-fath"),
        ("Daesh", None, "isis"),
        ("Syrian Observatory For Human Rights", None, "sohr"),
        ("syrian arab news agency", None, "sana"),
        ("Nobody Brigade", None, None),
    ],
)
def test_actor_names(seed, name, on, expected):
    assert seed.actor_index.resolve(name, on) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AR-RAMOUSEH", {"aleppo-ramouseh"}),
        ("Ramoussa", set()),  # a spelling the gazetteer lacks: the geocoder's fuzzy layer handles it
        ("al Hamdaniyah", {"aleppo-hamdaniya"}),
        ("El-Hamdaniya", {"aleppo-hamdaniya"}),
        ("Nubbul", {"nubl"}),
        ("NABBUL", {"nubl"}),
        ("Castello Road", {"aleppo-castello-road"}),
    ],
)
def test_place_names(seed, name, expected):
    assert seed.place_tree.resolve(name) == expected


def test_a_city_contains_its_districts_and_sites(seed):
    inside = seed.place_tree.descendants("aleppo")
    assert {"aleppo-ramouseh", "aleppo-ramouseh-military-academies", "aleppo-hamdaniya"} <= inside
    assert "nubl" not in inside
    assert "aleppo" in seed.place_tree.ancestors("aleppo-ramouseh")


def test_coalition_filter_reaches_members_and_renames(seed):
    members = seed.actor_index.expand(["jaish-al-fath"])
    assert {"jabhat-al-nusra", "jabhat-fateh-al-sham", "ahrar-al-sham"} <= members
