"""The live geocoder layer, with a fake geopy geocoder at its boundary: never the network."""

from __future__ import annotations

import sqlite3

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location

from geo import Geocoder
from geo.errors import LiveGeocoderError
from geo.live import CACHE_FILE, USER_AGENT, default_cache_dir, live_layer_from_config


class FakeGeocoder:
    """Stands in for geopy's Nominatim: answers from a dict, counts every call."""

    def __init__(self, answers: dict[str, tuple[float, float, str]] | None = None, *, fail: bool = False):
        self.answers = answers or {}
        self.calls: list[tuple[str, dict]] = []
        self.fail = fail

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        if self.fail:
            raise GeocoderUnavailable("no network in tests")
        if query not in self.answers:
            return None
        lat, lon, address = self.answers[query]
        raw = {"osm_id": 1, "type": "village", "addresstype": "village",
               "boundingbox": [str(lat - 0.01), str(lat + 0.01), str(lon - 0.01), str(lon + 0.01)]}
        return Location(address, (lat, lon, 0.0), raw)


ANSWERS = {"Ratyan": (36.335, 37.036, "Ratyan, Aleppo Governorate, Syria")}


def _geocoder(tmp_path, fake, **kwargs) -> Geocoder:
    return Geocoder(geonames=False, live_geocoder=fake, cache_dir=tmp_path, min_delay_seconds=0, **kwargs)


def test_live_is_off_by_default(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    geocoder = _geocoder(tmp_path, fake, env={})
    assert geocoder.live is None
    assert geocoder.geocode("Ratyan") is None
    assert fake.calls == []
    assert not (tmp_path / CACHE_FILE).exists()


@pytest.mark.parametrize("value", ["", "off", "0", "false"])
def test_env_words_that_mean_off(tmp_path, value):
    assert _geocoder(tmp_path, FakeGeocoder(), env={"ATLAS_LIVE_GEOCODER": value}).live is None


def test_env_switches_it_on_and_answers_are_cached(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    geocoder = _geocoder(tmp_path, fake, env={"ATLAS_LIVE_GEOCODER": "nominatim"})
    first = geocoder.geocode("Ratyan")
    assert first.provider == "nominatim" and first.place_id is None
    assert (first.lat, first.lon) == (36.335, 37.036)
    assert first.kind == "town" and 500 < first.precision_m < 3000  # from the bounding box
    assert "cached" in first.coord_source and 50 <= first.score <= 90
    assert geocoder.geocode("Ratyan") == first
    assert geocoder.geocode("ratyan ").lat == first.lat  # same spelling key: not asked again
    assert len(fake.calls) == 1


def test_offline_layers_answer_first(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    geocoder = _geocoder(tmp_path, fake, live="nominatim", env={})
    assert geocoder.geocode("Ramouseh").provider == "gazetteer"
    assert fake.calls == []


def test_a_miss_is_cached_too(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    geocoder = _geocoder(tmp_path, fake, live="nominatim", env={})
    assert geocoder.geocode("Qwxzzy plorf") is None
    assert geocoder.geocode("Qwxzzy plorf") is None
    again = _geocoder(tmp_path, fake, live="nominatim", env={})
    assert again.geocode("Qwxzzy plorf") is None
    assert [q for q, _ in fake.calls] == ["Qwxzzy plorf"]


def test_cache_survives_a_new_geocoder(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    first = _geocoder(tmp_path, fake, live="nominatim", env={}).geocode("Ratyan")
    other_fake = FakeGeocoder({})
    second = _geocoder(tmp_path, other_fake, live="nominatim", env={}).geocode("Ratyan")
    assert second == first
    assert other_fake.calls == []
    rows = sqlite3.connect(tmp_path / CACHE_FILE).execute("SELECT provider, query_key, answer IS NULL FROM geocode_cache").fetchall()
    assert rows == [("nominatim", "ratyan|", 0)]


def test_country_is_passed_and_part_of_the_key(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    geocoder = _geocoder(tmp_path, fake, live="nominatim", env={})
    geocoder.geocode("Ratyan", country="SY")
    geocoder.geocode("Ratyan")
    assert fake.calls == [("Ratyan", {"exactly_one": True, "country_codes": "sy"}), ("Ratyan", {"exactly_one": True})]


def test_network_errors_are_not_cached_as_misses(tmp_path):
    failing = FakeGeocoder(ANSWERS, fail=True)
    assert _geocoder(tmp_path, failing, live="nominatim", env={}).geocode("Ratyan") is None
    working = FakeGeocoder(ANSWERS)
    assert _geocoder(tmp_path, working, live="nominatim", env={}).geocode("Ratyan") is not None
    assert len(working.calls) == 1


def test_batch_asks_each_unknown_name_once(tmp_path):
    fake = FakeGeocoder(ANSWERS)
    geocoder = _geocoder(tmp_path, fake, live="nominatim", env={})
    results = geocoder.geocode_many(["Ratyan", "Ratyan", "Nubl", "Qwxzzy", "Ratyan", "Qwxzzy"])
    assert [r and r.provider for r in results] == ["nominatim", "nominatim", "gazetteer", None, "nominatim", None]
    assert sorted(q for q, _ in fake.calls) == ["Qwxzzy", "Ratyan"]


def test_unknown_provider_is_refused(tmp_path):
    with pytest.raises(LiveGeocoderError, match="nominatim"):
        Geocoder(geonames=False, live="gogle", cache_dir=tmp_path, env={})


def test_real_provider_is_built_with_our_user_agent_but_not_called(tmp_path):
    layer = live_layer_from_config(live="nominatim", live_geocoder=None, cache_dir=tmp_path, min_delay_seconds=1.0, env={})
    nominatim = layer._geocode.func.__self__
    assert nominatim.headers["User-Agent"] == USER_AGENT
    assert layer._geocode.min_delay_seconds == 1.0  # geopy's RateLimiter wraps it


def test_default_cache_dir(tmp_path):
    assert default_cache_dir({"ATLAS_GEOCODE_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert default_cache_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "claim-atlas"
    assert default_cache_dir({}).parts[-3:] == (".local", "share", "claim-atlas")


def test_cache_only_mode_reads_the_cache_and_never_asks(tmp_path):
    filler = FakeGeocoder(ANSWERS)
    _geocoder(tmp_path, filler, live="nominatim", env={}).geocode("Ratyan")
    page_fake = FakeGeocoder(ANSWERS)
    page = _geocoder(tmp_path, page_fake, live="nominatim", env={}, live_cache_only=True)
    assert page.geocode("Ratyan").provider == "nominatim"
    assert page.geocode("Kafr Naha") is None
    assert page_fake.calls == []
