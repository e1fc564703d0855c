"""The optional live geocoder (geopy, e.g. Nominatim) behind a rate limiter and a persistent SQLite cache.

Off unless configured: ATLAS_LIVE_GEOCODER=nominatim (or Geocoder(live="nominatim")). Every answer,
misses included, is written to the cache, so no name is sent twice, across processes and restarts.
Network errors are not misses: they are logged and not cached, so the name is asked again later.
With cache_only=True (for pages: geocoding never blocks a page) names are answered from the cache
alone; a batch run such as `python -m geo geocode --live nominatim --csv ...` fills it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Mapping

from rapidfuzz import fuzz

from geo.errors import LiveGeocoderError
from geo.names import name_key

USER_AGENT = "claim-atlas/0.1"
ENV_PROVIDER = "ATLAS_LIVE_GEOCODER"
ENV_CACHE_DIR = "ATLAS_GEOCODE_CACHE_DIR"
CACHE_FILE = "geocode-cache.sqlite"
PROVIDERS = ("nominatim",)
OFF_WORDS = ("", "0", "off", "false", "no", "none")
DEFAULT_LIVE_PRECISION_M = 5_000
log = logging.getLogger(__name__)

# Nominatim's addresstype/type -> our kinds
_KINDS = {
    "country": "country", "state": "governorate", "province": "governorate", "county": "district",
    "city": "city", "town": "town", "village": "town", "hamlet": "town", "suburb": "neighbourhood",
    "quarter": "neighbourhood", "neighbourhood": "neighbourhood", "city_district": "neighbourhood",
}


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """ATLAS_GEOCODE_CACHE_DIR, else $XDG_DATA_HOME/claim-atlas, else ~/.local/share/claim-atlas."""
    env = os.environ if env is None else env
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR]).expanduser()
    base = Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "claim-atlas"


class GeocodeCache:
    """A small SQLite table of (provider, query key) -> JSON answer, NULL for a miss."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS geocode_cache (provider TEXT NOT NULL, query_key TEXT NOT NULL, "
                             "query TEXT NOT NULL, answer TEXT, fetched_at REAL NOT NULL, "
                             "PRIMARY KEY (provider, query_key))")

    def get(self, provider: str, query_key: str) -> tuple[bool, dict | None]:
        """(found, answer): found is False when never asked; answer is None for a cached miss."""
        with self._lock:
            row = self._db.execute("SELECT answer FROM geocode_cache WHERE provider = ? AND query_key = ?",
                                   (provider, query_key)).fetchone()
        if row is None:
            return False, None
        return True, (json.loads(row[0]) if row[0] is not None else None)

    def put(self, provider: str, query_key: str, query: str, answer: dict | None) -> None:
        """Store an answer (None = the provider found nothing)."""
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO geocode_cache VALUES (?, ?, ?, ?, ?)",
                             (provider, query_key, query, None if answer is None else json.dumps(answer), time.time()))

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM geocode_cache").fetchone()[0]

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()


def _bbox_radius_m(bbox: Any) -> float | None:
    """Half the diagonal of a Nominatim boundingbox [south, north, west, east]."""
    try:
        south, north, west, east = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return None
    from geopy.distance import geodesic

    return geodesic((south, west), (north, east)).meters / 2


class LiveLayer:
    """Asks a geopy geocoder through RateLimiter, remembering every answer in a GeocodeCache."""

    def __init__(self, provider: str, geocoder: Any, cache: GeocodeCache, *, min_delay_seconds: float = 1.0,
                 cache_only: bool = False):
        from geopy.extra.rate_limiter import RateLimiter

        self.provider = provider
        self.cache = cache
        self.cache_only = cache_only
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=1,
                                    error_wait_seconds=max(min_delay_seconds, 1.0), swallow_exceptions=False)

    @staticmethod
    def cache_key(query: str, country: str | None) -> str:
        """Spelling key of the query plus the country filter ('ramouseh|SY')."""
        return f"{name_key(query)}|{country or ''}"

    def lookup(self, query: str, *, country: str | None = None):
        """A Match from the cache or the provider, or None (a miss, also cached)."""
        from geopy.exc import GeopyError

        key = self.cache_key(query, country)
        found, answer = self.cache.get(self.provider, key)
        if not found and self.cache_only:  # a page reads what a batch run fetched; it never waits on the network
            return None
        if not found:
            kwargs = {"exactly_one": True}
            if country:
                kwargs["country_codes"] = country.lower()
            try:
                location = self._geocode(query, **kwargs)
            except GeopyError as error:  # unreachable or refused: not a miss, ask again another time
                log.warning("live geocoder %s failed for %r: %s", self.provider, query, error)
                return None
            answer = None if location is None else {
                "address": location.address, "lat": location.latitude, "lon": location.longitude,
                "raw": {k: location.raw.get(k) for k in ("osm_id", "osm_type", "type", "addresstype", "boundingbox",
                                                         "importance") if isinstance(location.raw, dict)},
            }
            self.cache.put(self.provider, key, query, answer)
        return None if answer is None else self._match(query, answer)

    def _match(self, query: str, answer: dict):
        from geo.match import Match

        raw = answer.get("raw") or {}
        address = answer.get("address") or query
        first = address.split(",")[0]
        radius = _bbox_radius_m(raw.get("boundingbox"))
        score = max(50.0, min(90.0, fuzz.ratio(name_key(query), name_key(first))))
        return Match(
            place_id=None, name=first, lat=float(answer["lat"]), lon=float(answer["lon"]),
            kind=_KINDS.get(raw.get("addresstype") or raw.get("type") or "", ""),
            precision_m=round(radius) if radius else DEFAULT_LIVE_PRECISION_M, provider=self.provider,
            score=round(score, 1), coord_source=f"{self.provider} live geocoder (cached): {address}",
            parent_id=None, query=query,
        )


def _build_provider(provider: str) -> Any:
    if provider == "nominatim":
        from geopy.geocoders import Nominatim

        return Nominatim(user_agent=USER_AGENT, timeout=10)
    raise LiveGeocoderError(f"live geocoder must be one of {', '.join(PROVIDERS)} (or off), got {provider!r}")


def live_layer_from_config(*, live: str | bool | None, live_geocoder: Any, cache_dir: str | Path | None,
                           min_delay_seconds: float, env: Mapping[str, str], cache_only: bool = False) -> LiveLayer | None:
    """The live layer the configuration asks for, or None when it is off (the default)."""
    if live is None:
        live = env.get(ENV_PROVIDER, "")
    if live is False or (isinstance(live, str) and live.strip().lower() in OFF_WORDS):
        return None
    if live is True:
        provider = getattr(live_geocoder, "provider_name", None) or "nominatim"
    else:
        provider = str(live).strip().lower()
    geocoder = live_geocoder if live_geocoder is not None else _build_provider(provider)
    directory = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir(env)
    return LiveLayer(provider, geocoder, GeocodeCache(directory / CACHE_FILE), min_delay_seconds=min_delay_seconds,
                     cache_only=cache_only)
