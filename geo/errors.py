"""Domain errors of the geo package; each also subclasses the builtin it resembles, so callers catch either."""

from __future__ import annotations


class GeocodeError(ValueError):
    """Base of every geo error: a value the geocoder cannot use, said with what arrived and what was expected."""


class CoordinateError(GeocodeError):
    """A latitude/longitude that is missing, out of range, or passed as a bare tuple instead of by name."""


class PlacesTableError(GeocodeError):
    """A places table that does not follow docs/DATA-MODEL.md (missing column, bad number, duplicate id)."""


class UnknownPlaceError(GeocodeError, LookupError):
    """A place id or `near` name that the gazetteer does not hold or cannot resolve unambiguously."""


class LiveGeocoderError(GeocodeError):
    """A live geocoder asked for by configuration that cannot be set up (unknown provider name)."""
