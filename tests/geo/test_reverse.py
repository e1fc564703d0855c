"""Reverse lookups: nearest place and places within a radius, by keyword coordinates only."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic

from geo import Geocoder
from geo.errors import CoordinateError, GeocodeError

ALEPPO_CENTRE = {"lat": 36.2012, "lon": 37.1612}


@pytest.fixture(scope="module")
def curated():
    return Geocoder(geonames=False, osm=False, live=False)


def test_nearest_to_a_neighbourhood_centroid_is_that_neighbourhood(curated):
    found = curated.nearest_place(lat=36.157415, lon=37.128751)
    assert found.match.place_id == "aleppo-ramouseh"
    assert found.distance_m < 5


def test_nearest_with_kinds_and_providers(curated):
    found = curated.nearest_place(lat=36.37, lon=37.0, kinds={"town"}, providers=["gazetteer"])
    assert found.match.place_id in {"nubl", "zahraa"} and found.distance_m < 2_500
    assert curated.nearest_place(lat=36.37, lon=37.0, kinds={"no-such-kind"}) is None
    assert curated.nearest_place(lat=36.37, lon=37.0, providers=["geonames"]) is None


def test_places_within_agrees_with_brute_force(curated):
    radius = 3_000
    found = curated.places_within(**ALEPPO_CENTRE, radius_m=radius, kinds={"neighbourhood"})
    distances = [n.distance_m for n in found]
    assert distances == sorted(distances) and all(d <= radius for d in distances)
    expected = {p.place_id for p in curated.places.values()
                if p.kind == "neighbourhood" and p.lat is not None
                and geodesic((ALEPPO_CENTRE["lat"], ALEPPO_CENTRE["lon"]), (p.lat, p.lon)).meters <= radius}
    assert {n.match.place_id for n in found} == expected
    assert len(expected) > 20


def test_places_within_zero_and_far_away(curated):
    assert curated.places_within(lat=0.0, lon=0.0, radius_m=10_000) == []
    assert curated.places_within(lat=36.157415, lon=37.128751, radius_m=0)[0].match.place_id == "aleppo-ramouseh"


def test_geonames_layer_is_searched_too():
    geocoder = Geocoder(live=False)
    kilis = geocoder.nearest_place(lat=36.7161, lon=37.115, providers=["geonames"])
    assert kilis.match.name == "Kilis" and kilis.match.provider == "geonames" and kilis.distance_m < 1_000


def test_coordinates_only_by_keyword(curated):
    with pytest.raises(TypeError):
        curated.nearest_place(36.2, 37.1)
    with pytest.raises(TypeError):
        curated.places_within(36.2, 37.1, 1000)


@pytest.mark.parametrize("lat, lon", [(91.0, 37.0), (36.0, 181.0), ("36", 37.0), (float("nan"), 37.0)])
def test_bad_points_are_refused(curated, lat, lon):
    with pytest.raises(CoordinateError):
        curated.nearest_place(lat=lat, lon=lon)


def test_bad_radius(curated):
    with pytest.raises(GeocodeError, match="radius_m"):
        curated.places_within(**ALEPPO_CENTRE, radius_m=-5)
