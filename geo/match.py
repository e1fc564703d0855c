"""What a geocoder answers: a point, a match with its candidates, a place near a point.

Its own module so that the geocoder and the live layer both use these types without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from geo.errors import CoordinateError

_LATLON_TEXT = re.compile(r"^\s*lat\s*=\s*(?P<lat>[-+0-9.eE]+)\s*[,;\s]\s*lon\s*=\s*(?P<lon>[-+0-9.eE]+)\s*$")


@dataclass(frozen=True)
class LatLon:
    """A WGS84 point, always built by name: LatLon(lat=36.2, lon=37.1)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        for axis, value, limit in (("lat", self.lat, 90), ("lon", self.lon, 180)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
                raise CoordinateError(f"{axis} must be a number between -{limit} and {limit}, got {value!r}")

    @classmethod
    def parse(cls, text: str) -> "LatLon":
        """Read 'lat=36.37,lon=37.0' (axis names required, so the order can never be mistaken).

        >>> LatLon.parse("lat=36.37, lon=37.0")
        LatLon(lat=36.37, lon=37.0)
        >>> LatLon.parse("36.37,37.0")
        Traceback (most recent call last):
        ...
        geo.errors.CoordinateError: a point must be written 'lat=<degrees>,lon=<degrees>', got '36.37,37.0'
        """
        found = _LATLON_TEXT.match(text)
        if not found:
            raise CoordinateError(f"a point must be written 'lat=<degrees>,lon=<degrees>', got {text!r}")
        return cls(lat=float(found["lat"]), lon=float(found["lon"]))


@dataclass(frozen=True)
class Candidate:
    """A competing or rejected candidate for a name."""

    place_id: str | None
    name: str
    lat: float
    lon: float
    score: float
    provider: str
    kind: str = ""
    precision_m: float | None = None
    tied: bool = False

    def to_dict(self) -> dict:
        """Plain JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Match:
    """The answer for one name. place_id is set for places of our gazetteer, None for GeoNames/live hits;
    country is ISO2 when known (GeoNames, or a gazetteer place whose parents reach a country)."""

    place_id: str | None
    name: str
    lat: float
    lon: float
    kind: str
    precision_m: float | None
    provider: str
    score: float
    coord_source: str
    parent_id: str | None
    alternatives: tuple[Candidate, ...] = ()
    is_ambiguous: bool = False
    query: str = ""
    country: str | None = None

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """The places this name may be: this match, then (if ambiguous) the alternatives tied with it."""
        return (self.as_candidate(), *(c for c in self.alternatives if c.tied))

    def as_candidate(self) -> Candidate:
        """This match reduced to a Candidate."""
        return Candidate(place_id=self.place_id, name=self.name, lat=self.lat, lon=self.lon, score=self.score,
                         provider=self.provider, kind=self.kind, precision_m=self.precision_m, tied=self.is_ambiguous)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (alternatives as a list of dicts)."""
        out = asdict(self)
        out["alternatives"] = [c.to_dict() for c in self.alternatives]
        return out


@dataclass(frozen=True)
class Nearby:
    """A place found by a reverse lookup, with its geodesic distance from the asked point."""

    match: Match
    distance_m: float
