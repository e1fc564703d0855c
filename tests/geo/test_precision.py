"""Precision radii and their ACLED geo_precision / UCDP where_prec codes, both ways."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import Geocoder, from_acled_precision, from_ucdp_precision, to_acled_precision, to_ucdp_precision
from geo.errors import GeocodeError
from geo.precision import parse_precision_code
from tests.conftest import ROOT

SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.mark.parametrize("kind, precision_m, acled, ucdp", [
    ("neighbourhood", 1_000, 1, 1),
    ("camp", 2_100, 1, 1),
    ("facility", 800, 1, 1),
    ("town", 2_500, 1, 1),
    ("city", 10_500, 1, 1),
    ("area", 4_000, 2, 1),
    ("area", 15_000, 2, 2),
    ("district", 40_000, 2, 3),
    ("governorate", 132_000, 3, 4),
    ("country", 435_000, 3, 6),
    ("border", 60_000, 2, 5),
    ("sea", 50_000, 2, 7),
    ("", 3_000, 1, 1),
    ("", 20_000, 2, 2),
    ("", 55_000, 3, 3),
    ("", 150_000, 3, 4),
    ("", 900_000, 3, 6),
])
def test_codes_for_kind_and_radius(kind, precision_m, acled, ucdp):
    assert to_acled_precision(precision_m=precision_m, kind=kind) == acled
    assert to_ucdp_precision(precision_m=precision_m, kind=kind) == ucdp


@pytest.mark.parametrize("code", [1, 2, 3])
def test_acled_round_trip(code):
    assert to_acled_precision(precision_m=from_acled_precision(code)) == code
    assert from_acled_precision(str(code)) == from_acled_precision(code)


@pytest.mark.parametrize("code, kind", [(1, ""), (2, ""), (3, ""), (4, ""), (5, "border"), (6, ""), (7, "sea")])
def test_ucdp_round_trip(code, kind):
    assert to_ucdp_precision(precision_m=from_ucdp_precision(code), kind=kind) == code


def test_default_radii_grow_with_the_code():
    assert [from_acled_precision(c) for c in (1, 2, 3)] == sorted(from_acled_precision(c) for c in (1, 2, 3))
    assert [from_ucdp_precision(c) for c in (1, 2, 3, 4, 6)] == sorted(from_ucdp_precision(c) for c in (1, 2, 3, 4, 6))


@given(st.floats(min_value=0, max_value=2e6), st.floats(min_value=0, max_value=2e6))
def test_a_wider_radius_never_gets_a_finer_code(a, b):
    small, large = sorted((a, b))
    assert to_acled_precision(precision_m=small) <= to_acled_precision(precision_m=large)
    assert to_ucdp_precision(precision_m=small) <= to_ucdp_precision(precision_m=large)


@pytest.mark.parametrize("value, scheme", [("4", "acled"), ("0", "ucdp"), ("8", "ucdp"), ("x", "acled"), ("", "ucdp"),
                                           ("1.5", "acled"), (None, "acled")])
def test_bad_codes_say_what_is_allowed(value, scheme):
    with pytest.raises(GeocodeError, match="must be one of"):
        parse_precision_code(value, scheme=scheme)
    with pytest.raises(ValueError):
        parse_precision_code(value, scheme=scheme)


def test_unknown_scheme():
    with pytest.raises(GeocodeError, match="scheme"):
        parse_precision_code("1", scheme="gdelt")


@pytest.mark.parametrize("filename, column, scheme", [
    ("acled_syria_sample.csv", "geo_precision", "acled"),
    ("ucdp_ged_syria_sample.csv", "where_prec", "ucdp"),
])
def test_every_code_in_the_real_samples_parses(filename, column, scheme):
    path = SAMPLES / filename
    if not path.is_file():
        pytest.skip(f"format sample not found at {path} (../shared/samples is absent)")
    with path.open(encoding="utf-8") as handle:
        codes = [row[column] for row in csv.DictReader(handle)]
    assert codes and all(parse_precision_code(c, scheme=scheme) >= 1 for c in codes)


def test_matches_of_the_gazetteer_map_to_codes():
    geocoder = Geocoder(geonames=False, live=False)
    codes = {name: (to_acled_precision(precision_m=m.precision_m, kind=m.kind),
                    to_ucdp_precision(precision_m=m.precision_m, kind=m.kind))
             for name in ("Ramouseh", "Nubl", "Aleppo", "Aleppo province", "Syria")
             for m in [geocoder.geocode(name)]}
    assert codes == {"Ramouseh": (1, 1), "Nubl": (1, 1), "Aleppo": (1, 1), "Aleppo province": (3, 4), "Syria": (3, 6)}
