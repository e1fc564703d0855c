"""Places: name matching, the gazetteer, geocoding and reference outlines (no Streamlit here).

Public API (see geo.geocoder for the policies):
    Geocoder(places=None, *, shipped=True, geonames=True, live=None, live_geocoder=None, cache_dir=None)
    geocode(name, *, near=None, country=None) -> Match | None
    geocode_many(names, *, near=None, country=None) -> list[Match | None]
    nearest_place(*, lat, lon, kinds=None, providers=None) -> Nearby | None
    places_within(*, lat, lon, radius_m, kinds=None, providers=None) -> list[Nearby]
    to_acled_precision / from_acled_precision / to_ucdp_precision / from_ucdp_precision
"""

from geo.geocoder import (Geocoder, default_geocoder, geocode, geocode_many, nearest_place, places_within,
                          set_default_geocoder)
from geo.match import Candidate, LatLon, Match, Nearby
from geo.precision import from_acled_precision, from_ucdp_precision, to_acled_precision, to_ucdp_precision

__all__ = [
    "Candidate", "Geocoder", "LatLon", "Match", "Nearby", "default_geocoder", "geocode", "geocode_many",
    "nearest_place", "places_within", "set_default_geocoder",
    "from_acled_precision", "from_ucdp_precision", "to_acled_precision", "to_ucdp_precision",
]
