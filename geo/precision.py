"""Precision radii: from population, and to/from ACLED `geo_precision` and UCDP `where_prec` codes."""

from __future__ import annotations

from geo.errors import GeocodeError

# Kinds that name one spot on the ground (a settlement or a site), as opposed to a region.
POINT_KINDS = frozenset({"neighbourhood", "town", "city", "camp", "facility", "base", "crossing", "village"})
LINEAR_KINDS = frozenset({"border", "road", "river", "front", "frontline"})

# Default radius in metres when all we know is the code. ACLED: 1 exact town/neighbourhood,
# 2 near a town or part of a region, 3 only the province (its capital stands in).
ACLED_DEFAULT_RADIUS_M = {1: 5_000, 2: 25_000, 3: 100_000}
# UCDP where_prec: 1 exact location, 2 within 25 km, 3 second-order admin (district), 4 first-order
# admin (governorate), 5 linear feature or border, 6 country, 7 international waters or airspace.
UCDP_DEFAULT_RADIUS_M = {1: 2_000, 2: 25_000, 3: 50_000, 4: 150_000, 5: 50_000, 6: 450_000, 7: 100_000}


def parse_precision_code(value: object, *, scheme: str) -> int:
    """Read an ACLED or UCDP precision code from a CSV cell or a number.

    >>> parse_precision_code("2", scheme="acled")
    2
    >>> parse_precision_code(" 6.0 ", scheme="ucdp")
    6
    >>> parse_precision_code("4", scheme="acled")
    Traceback (most recent call last):
    ...
    geo.errors.GeocodeError: acled precision code must be one of 1, 2, 3; got '4'
    """
    table = {"acled": ACLED_DEFAULT_RADIUS_M, "ucdp": UCDP_DEFAULT_RADIUS_M}.get(scheme)
    if table is None:
        raise GeocodeError(f"scheme must be 'acled' or 'ucdp', got {scheme!r}")
    try:
        number = float(str(value).strip())
    except ValueError:
        number = float("nan")
    if number != number or number != int(number) or int(number) not in table:
        allowed = ", ".join(str(code) for code in table)
        raise GeocodeError(f"{scheme} precision code must be one of {allowed}; got {value!r}")
    return int(number)


def to_acled_precision(*, precision_m: float | None, kind: str = "") -> int:
    """ACLED `geo_precision` for a place: 1 a named town/neighbourhood/site, 2 near/part of a region, 3 a province or wider."""
    if kind in ("governorate", "country"):
        return 3
    if kind in ("district", "area") or kind in LINEAR_KINDS:
        return 2
    if kind in POINT_KINDS and (precision_m is None or precision_m <= 25_000):
        return 1
    if precision_m is None:
        return 3
    if precision_m <= 10_000:
        return 1
    return 2 if precision_m <= 50_000 else 3


def to_ucdp_precision(*, precision_m: float | None, kind: str = "") -> int:
    """UCDP `where_prec` for a place (1 exact ... 6 country; 7 international waters)."""
    if kind == "country":
        return 6
    if kind == "governorate":
        return 4
    if kind == "district":
        return 3
    if kind in LINEAR_KINDS:
        return 5
    if kind in ("sea", "international waters"):
        return 7
    if precision_m is None:
        return 6
    if kind in POINT_KINDS and precision_m <= 15_000:
        return 1
    if precision_m <= 5_000:
        return 1
    if precision_m <= 25_000:
        return 2
    return 3 if precision_m <= 60_000 else 4 if precision_m <= 200_000 else 6


def from_acled_precision(code: object) -> int:
    """Default radius in metres for an ACLED `geo_precision` code (1, 2 or 3)."""
    return ACLED_DEFAULT_RADIUS_M[parse_precision_code(code, scheme="acled")]


def from_ucdp_precision(code: object) -> int:
    """Default radius in metres for a UCDP `where_prec` code (1 to 7)."""
    return UCDP_DEFAULT_RADIUS_M[parse_precision_code(code, scheme="ucdp")]


def precision_from_population(population: int | None, feature_code: str | None = None) -> int:
    """Radius in metres for a populated place: the true place lies within it, so bigger places get more.

    >>> precision_from_population(2_000_000), precision_from_population(130_000), precision_from_population(0)
    (15000, 6000, 2500)
    """
    if not population:
        return 5_000 if feature_code in ("PPLC", "PPLA") else 2_500
    if population >= 1_000_000:
        return 15_000
    if population >= 300_000:
        return 8_000
    if population >= 100_000:
        return 6_000
    if population >= 20_000:
        return 3_000
    if population >= 5_000:
        return 2_000
    return 1_500


def town_precision_m(population: int | None) -> int:
    """Radius for a town of the curated gazetteer given its GeoNames population, if known.

    >>> town_precision_m(130_000), town_precision_m(25_000), town_precision_m(None)
    (4000, 2500, 2000)
    """
    if population is None:
        return 2000
    if population >= 100_000:
        return 4000
    if population >= 20_000:
        return 2500
    return 2000
