"""Offline geocoding: a curated gazetteer, then GeoNames, then (only if switched on) a cached live geocoder.

    >>> from geo import Geocoder
    >>> g = Geocoder(geonames=False, live=False)
    >>> g.geocode("Shaykh Maqsud").place_id
    'aleppo-sheikh-maqsoud'
    >>> g.geocode("Zahraa", near="nubl").place_id
    'zahraa'
    >>> g.geocode("Zahraa", near=LatLon(lat=36.21, lon=37.13)).place_id
    'aleppo-zahraa'
    >>> g.geocode("Qwxzzy") is None
    True

Policies (each a named, documented choice):
- Layers: the curated gazetteer answers first, then GeoNames, then OpenStreetMap (geo/osm/osm-places.csv: OSM
  place nodes, Aleppo's named points of interest, airfields); a later layer wins only when its best score is
  CLEARLY_BETTER points higher; the live geocoder is asked only when the offline layers find nothing. A later
  layer's candidate within SAME_PLACE_M (GeoNames) or OSM_SAME_PLACE_M (OSM), or within either radius, of an
  earlier layer's candidate is the same place and is dropped.
- Ambiguity: candidates within TIE_MARGIN points of the best are a tie. `near` breaks a tie when one
  candidate is at most half as far as the next (a candidate inside the `near` place counts as 0 m away);
  `country` keeps only that country's candidates (and those of unknown country) when it has any; the
  others stay in `alternatives`. An unbroken tie returns a Match with
  `is_ambiguous=True`: its own fields are the first candidate's (best score, then layer order) and the
  others are in `alternatives`. Treat it as a list of candidates, not as a location.
- A name that finds nothing whole gets two offline second chances, each PARTIAL_PENALTY points lower:
  'Sheikh Maqsoud, Aleppo' is the head looked up near the tail (or, failing that, the tail alone, returned
  at the tail's own kind and radius), and 'northern Aleppo' / 'near Nubl' is the name without the qualifier
  ('near', 'around', 'outskirts of', 'east of' widen the radius by OUTSIDE_EXTRA_M: around X, not in it).
- No match above the thresholds returns None; a nonsense name never raises.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from geo.errors import CoordinateError, GeocodeError, UnknownPlaceError
from geo.geonames import (GEONAMES_CREDIT, REGION_COUNTRIES, geonames_precision_m, kind_from_population,
                          load_geonames_places)
from geo.index import Entry, NameIndex
from geo.match import Candidate, LatLon, Match, Nearby
from geo.names import fold_key, name_key, skeleton_key
from geo.osm_places import load_osm_places
from geo.places import Place, ancestors_of, country_of, merge_places, read_places, shipped_places

TIE_MARGIN = 5.0
CLEARLY_BETTER = 10.0
MAX_ALTERNATIVES = 8
SAME_PLACE_M = 5_000  # a GeoNames hit this close to a curated hit of the same name is the same place
OSM_SAME_PLACE_M = 1_500  # OSM points mark buildings and village centres: same place only when this close
GEONAMES_FUZZY_MIN_RATIO = 87.0  # stricter than our gazetteer's: 17,000 multilingual keys make near misses cheap
NEAR_CLEAR_RATIO = 2.0
NEAR_MIN_GAP_M = 1_000
EARTH_RADIUS_M = 6_371_008.8
REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_PLACES = REPO_ROOT / "data" / "seed" / "places.csv"
PARTIAL_PENALTY = 10.0
OUTSIDE_EXTRA_M = 10_000  # 'near X', 'east of X', 'outskirts of X': somewhere around X, not inside it
_OUTSIDE_WORDS = frozenset({"near", "around", "outskirts", "outside", "of"})
_QUALIFIERS = re.compile(r"^\s*(?:(?:the|near|around|outskirts|of|north|south|east|west|northern|southern|eastern|"
                         r"western|central|rural|greater|countryside|outside)\s+)+(?P<rest>\S.{3,})$", re.IGNORECASE)


@dataclass(frozen=True)
class _Near:
    lat: float
    lon: float
    ref: str | None = None


@dataclass
class _Scored:
    layer: int
    entry_index: int
    entry: Entry
    score: float
    distance_m: float = field(default=math.inf)


def _haversine_m(lat1: float, lon1: float, lat2: np.ndarray | float, lon2: np.ndarray | float):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def _as_tables(places: Any) -> list[Any]:
    if places is None:
        return []
    if isinstance(places, (list, tuple)):
        return list(places)
    return [places]


class Geocoder:
    """Geocode names offline against a curated gazetteer and GeoNames, with an optional cached live layer.

    places: one places table or a list of them (CSV paths or DataFrames in the DATA-MODEL.md layout);
    earlier tables win over later ones and all win over our shipped geo/gazetteer/*.csv (aliases are
    pooled). shipped=False leaves our CSVs out; geonames=False leaves the GeoNames layer out.
    live: None reads ATLAS_LIVE_GEOCODER from the environment; False or "off" switches it off; a
    provider name ("nominatim") switches it on. osm=False leaves the OpenStreetMap layer out. live_geocoder: an object with a geopy-style
    .geocode(query, ...) method to use instead of building the provider's (tests pass a fake).
    cache_dir: where the live cache lives (default: ATLAS_GEOCODE_CACHE_DIR, else the user's data dir).
    live_cache_only: answer live lookups from the cache only, never the network (what a page should use).
    min_delay_seconds: RateLimiter's pause between live requests (Nominatim's policy: at least 1 s).
    env: the environment to read settings from (default os.environ; tests pass a dict).
    """

    def __init__(
        self,
        places: Any = None,
        *,
        shipped: bool = True,
        geonames: bool = True,
        geonames_countries: Sequence[str] = REGION_COUNTRIES,
        geonames_min_population: int = 500,
        osm: bool = True,
        live: str | bool | None = None,
        live_geocoder: Any = None,
        cache_dir: str | Path | None = None,
        live_cache_only: bool = False,
        min_delay_seconds: float = 1.0,
        env: Mapping[str, str] | None = None,
    ):
        tables = [read_places(t) for t in _as_tables(places)]
        if shipped:
            tables.append(shipped_places())
        self.places: dict[str, Place] = {p.place_id: p for p in merge_places(tables)}
        self.unplaced_ids: tuple[str, ...] = tuple(p for p, row in self.places.items() if row.lat is None)
        self.layers: list[NameIndex] = [self._curated_index()]
        self._curated_position = {e.ref: i for i, e in enumerate(self.layers[0].entries)}
        self.layer_names: list[str] = ["gazetteer"]
        if geonames:
            self.layers.append(self._geonames_index(tuple(geonames_countries), geonames_min_population))
            self.layer_names.append("geonames")
        if osm:
            self.layers.append(self._osm_index())
            self.layer_names.append("osm")
        from geo.live import live_layer_from_config  # late: keeps geopy's import off the offline path

        self.live = live_layer_from_config(live=live, live_geocoder=live_geocoder, cache_dir=cache_dir,
                                           min_delay_seconds=min_delay_seconds, cache_only=live_cache_only,
                                           env=os.environ if env is None else env)
        self._memo: dict[tuple, Match | None] = {}
        self._coords = np.array([[e.lat, e.lon] for layer in self.layers for e in layer.entries]).reshape(-1, 2)
        self._flat = [(li, i) for li, layer in enumerate(self.layers) for i in range(len(layer.entries))]

    # --- building -----------------------------------------------------------------------------

    def _curated_index(self) -> NameIndex:
        entries, spellings = [], []
        for place in self.places.values():
            if place.lat is None or place.lon is None:
                continue
            entries.append(Entry(
                ref=place.place_id, place_id=place.place_id, name=place.name, kind=place.kind,
                parent_id=place.parent_id or None, lat=place.lat, lon=place.lon, precision_m=place.precision_m,
                coord_source=place.coord_source, provider="gazetteer",
                country=country_of(place.place_id, self.places),
                ancestors=tuple(ancestors_of(place.place_id, self.places)),
            ))
            spellings.append((place.name, *place.aliases, place.place_id.replace("-", " ")))
        return NameIndex(entries, spellings)

    @staticmethod
    def _geonames_index(countries: tuple[str, ...], min_population: int) -> NameIndex:
        entries, spellings = [], []
        for place in load_geonames_places(countries, min_population=min_population):
            entries.append(Entry(
                ref=f"geonames:{place.geonameid}", place_id=None, name=place.name,
                kind=kind_from_population(place.population), parent_id=None, lat=place.lat, lon=place.lon,
                precision_m=geonames_precision_m(place),
                coord_source=f"GeoNames {place.geonameid} point, population {place.population or 'unknown'} ({GEONAMES_CREDIT})",
                provider="geonames", country=place.country,
            ))
            spellings.append(place.spellings)
        return NameIndex(entries, spellings, use_skeleton=False, fuzzy_min_ratio=GEONAMES_FUZZY_MIN_RATIO)

    @staticmethod
    def _osm_index() -> NameIndex:
        places = load_osm_places()
        entries = [Entry(ref=p.ref, place_id=None, name=p.name, kind=p.kind, parent_id=None, lat=p.lat, lon=p.lon,
                         precision_m=p.precision_m, coord_source=p.coord_source, provider="osm", country=p.country)
                   for p in places]
        return NameIndex(entries, [p.spellings for p in places], use_skeleton=False,
                         fuzzy_min_ratio=GEONAMES_FUZZY_MIN_RATIO)

    # --- forward geocoding --------------------------------------------------------------------

    def geocode(self, name: str, *, near: Any = None, country: str | None = None) -> Match | None:
        """The best match for a name, an ambiguous Match listing the tie, or None."""
        return self.geocode_many([name], near=near, country=country)[0]

    def geocode_many(self, names: Iterable[str], *, near: Any = None, country: str | None = None) -> list[Match | None]:
        """geocode() for many names at once: keys are cached and the fuzzy pass runs in one batch."""
        names = list(names)
        context = self._near_context(near)
        country = self._check_country(country)
        memo_tail = (context.ref if context and context.ref else (context.lat, context.lon) if context else None, country)
        todo: dict[str, tuple[str, str, str]] = {}
        for raw in names:
            text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
            if (text, *memo_tail) not in self._memo and text not in todo:
                todo[text] = (name_key(text), fold_key(text), skeleton_key(text))
        if todo:
            self._resolve_batch(todo, context, country, memo_tail)
        out = []
        for raw in names:
            text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
            out.append(self._memo[(text, *memo_tail)])
        return out

    def _resolve_batch(self, todo: dict[str, tuple[str, str, str]], context: _Near | None, country: str | None,
                       memo_tail: tuple) -> None:
        texts = list(todo)
        hits: list[list[dict[int, float]]] = [[{} for _ in self.layers] for _ in texts]
        for t, text in enumerate(texts):
            key, folded, skeleton = todo[text]
            if not key:
                continue
            if text in self._curated_position:  # a place id of our gazetteer
                hits[t][0][self._curated_position[text]] = 100.0
            for li, layer in enumerate(self.layers):
                for i, score in layer.exact(key=key, folded=folded, skeleton=skeleton).items():
                    hits[t][li][i] = max(score, hits[t][li].get(i, 0.0))
        need_fuzzy = [t for t, text in enumerate(texts) if todo[text][0] and not any(hits[t])]
        if need_fuzzy:
            for li, layer in enumerate(self.layers):
                found = layer.fuzzy([todo[texts[t]][1] for t in need_fuzzy])
                for t, scores in zip(need_fuzzy, found):
                    hits[t][li].update(scores)
        if len(self._memo) > 200_000:
            self._memo.clear()
        for t, text in enumerate(texts):
            match = self._decide(text, hits[t], context, country)
            if match is None and todo[text][0]:
                match = self._fallback(text, context, country)
            if match is None and self.live is not None and todo[text][0]:
                match = self.live.lookup(text, country=country)
            self._memo[(text, *memo_tail)] = match

    def _fallback(self, text: str, context: _Near | None, country: str | None) -> Match | None:
        """Second chances for a name that found nothing whole (offline only):
        'Sheikh Maqsoud, Aleppo' -> the head near the tail, else the tail alone at its own precision;
        'northern Aleppo', 'near Nubl' -> the place without the qualifier. Both cost PARTIAL_PENALTY points."""
        head, _, tail = text.partition(",")
        if tail.strip() and head.strip():
            outer = self.geocode(tail.strip(), near=context, country=country)
            if outer is not None and not outer.is_ambiguous:
                inner = self.geocode(head.strip(), near=outer, country=country)
                if inner is not None:
                    return replace(inner, query=text)
                return replace(outer, score=round(max(outer.score - PARTIAL_PENALTY, 1.0), 1), query=text)
            inner = self.geocode(head.strip(), near=context, country=country)
            return None if inner is None else replace(inner, query=text)
        bare = _QUALIFIERS.match(text)
        if bare:
            found = self.geocode(bare["rest"], near=context, country=country)
            if found is None:
                return None
            qualifier = text[:bare.start("rest")].lower().split()
            score = round(max(found.score - PARTIAL_PENALTY, 1.0), 1)
            if not _OUTSIDE_WORDS.intersection(qualifier):  # "northern Aleppo" lies inside Aleppo's circle
                return replace(found, score=score, query=text)
            return replace(found, score=score, query=text, precision_m=(found.precision_m or 0) + OUTSIDE_EXTRA_M,
                           coord_source=f"{found.coord_source}; radius widened by {OUTSIDE_EXTRA_M} m for "
                                        f"'{' '.join(qualifier)}'")
        return None

    def _decide(self, text: str, hits: list[dict[int, float]], context: _Near | None, country: str | None) -> Match | None:
        scored = [_Scored(li, i, self.layers[li].entries[i], s) for li, layer_hits in enumerate(hits)
                  for i, s in layer_hits.items()]
        if not scored:
            return None
        kept: list[_Scored] = []
        for layer in sorted({c.layer for c in scored}):
            here = [c for c in scored if c.layer == layer]
            kept += [c for c in here if not self._same_as_earlier(c, kept)]
        scored = kept
        eligible = scored
        if country:
            in_country = [c for c in scored if c.entry.country == country]
            if in_country:
                eligible = in_country + [c for c in scored if c.entry.country is None]
        best_by_layer: dict[int, float] = {}
        for c in eligible:
            best_by_layer[c.layer] = max(best_by_layer.get(c.layer, 0.0), c.score)
        layers_in_order = sorted(best_by_layer)
        chosen_layer = layers_in_order[0]
        for li in layers_in_order[1:]:
            if best_by_layer[li] >= best_by_layer[chosen_layer] + CLEARLY_BETTER:
                chosen_layer = li
        pool = [c for c in eligible if c.layer == chosen_layer]
        top = max(c.score for c in pool)
        tie = [c for c in pool if c.score >= top - TIE_MARGIN]
        if context is not None:
            for c in scored:
                c.distance_m = self._distance_for_near(c.entry, context)
        tie.sort(key=lambda c: (-c.score, c.layer, c.distance_m, c.entry_index))
        if len(tie) > 1 and context is not None:
            by_distance = sorted(tie, key=lambda c: c.distance_m)
            first, second = by_distance[0].distance_m, by_distance[1].distance_m
            if first * NEAR_CLEAR_RATIO <= second and second - first >= NEAR_MIN_GAP_M:
                tie = [by_distance[0]] + [c for c in tie if c is not by_distance[0]]
                winner, ambiguous = tie[0], False
            else:
                winner, ambiguous = tie[0], True
        else:
            winner, ambiguous = tie[0], len(tie) > 1
        if ambiguous:
            rest_first = tie[1:]
        else:
            rest_first = []
        seen = {winner.entry.ref} | {c.entry.ref for c in rest_first}
        rest = sorted((c for c in scored if c.entry.ref not in seen), key=lambda c: (-c.score, c.layer, c.distance_m))
        alternatives = tuple([self._candidate(c, tied=True) for c in rest_first]
                             + [self._candidate(c) for c in rest[:max(MAX_ALTERNATIVES - len(rest_first), 0)]])
        e = winner.entry
        return Match(place_id=e.place_id, name=e.name, lat=e.lat, lon=e.lon, kind=e.kind, precision_m=e.precision_m,
                     provider=e.provider, score=round(winner.score, 1), coord_source=e.coord_source,
                     parent_id=e.parent_id, alternatives=alternatives, is_ambiguous=ambiguous, query=text,
                     country=e.country)

    @staticmethod
    def _candidate(c: _Scored, *, tied: bool = False) -> Candidate:
        e = c.entry
        return Candidate(place_id=e.place_id, name=e.name, lat=e.lat, lon=e.lon, score=round(c.score, 1),
                         provider=e.provider, kind=e.kind, precision_m=e.precision_m, tied=tied)

    def _same_as_earlier(self, c: _Scored, earlier: list[_Scored]) -> bool:
        is_osm = self.layer_names[c.layer] == "osm"
        for k in earlier:
            if is_osm:  # a point of interest 3 km from the curated place of that name is another place
                limit = max(OSM_SAME_PLACE_M, k.entry.precision_m or 0, c.entry.precision_m or 0)
            else:
                limit = max(SAME_PLACE_M, k.entry.precision_m or 0)
            if float(_haversine_m(k.entry.lat, k.entry.lon, c.entry.lat, c.entry.lon)) <= limit:
                return True
        return False

    @staticmethod
    def _distance_for_near(entry: Entry, context: _Near) -> float:
        if context.ref is not None and (entry.ref == context.ref or context.ref in entry.ancestors):
            return 0.0
        return float(_haversine_m(context.lat, context.lon, entry.lat, entry.lon))

    # --- arguments ----------------------------------------------------------------------------

    @staticmethod
    def _check_country(country: str | None) -> str | None:
        if country is None or country == "":
            return None
        if not isinstance(country, str) or len(country.strip()) != 2 or not country.strip().isalpha():
            raise GeocodeError(f"country must be an ISO 3166 two-letter code like 'SY', got {country!r}")
        return country.strip().upper()

    def _near_context(self, near: Any) -> _Near | None:
        if near is None:
            return None
        if isinstance(near, _Near):
            return near
        if isinstance(near, (Match, Candidate)):
            ref = near.place_id if near.place_id in self.places else None
            return _Near(lat=near.lat, lon=near.lon, ref=ref)
        if isinstance(near, str):
            place = self.places.get(near.strip())
            if place is not None and place.lat is not None:
                return _Near(lat=place.lat, lon=place.lon, ref=place.place_id)
            match = self.geocode(near)
            if match is None:
                raise UnknownPlaceError(f"near={near!r} is neither a place id nor a name we can find")
            if match.is_ambiguous:
                options = ", ".join(c.place_id or c.name for c in match.candidates[:5])
                raise UnknownPlaceError(f"near={near!r} is ambiguous ({options}); pass a place id or LatLon(lat=, lon=)")
            return _Near(lat=match.lat, lon=match.lon, ref=match.place_id)
        if isinstance(near, (tuple, list)):
            raise CoordinateError("near takes a point by name, e.g. near=LatLon(lat=36.37, lon=37.0) or "
                                  f"near={{'lat': 36.37, 'lon': 37.0}}, not a bare tuple: got {near!r}")
        if isinstance(near, Mapping) and "lat" in near and "lon" in near:
            point = LatLon(lat=near["lat"], lon=near["lon"])
            return _Near(lat=point.lat, lon=point.lon)
        if hasattr(near, "lat") and hasattr(near, "lon"):
            point = LatLon(lat=near.lat, lon=near.lon)
            return _Near(lat=point.lat, lon=point.lon)
        if hasattr(near, "latitude") and hasattr(near, "longitude"):  # geopy Point / Location
            point = LatLon(lat=near.latitude, lon=near.longitude)
            return _Near(lat=point.lat, lon=point.lon)
        raise GeocodeError(f"near must be a place id, a Match, LatLon(lat=, lon=) or {{'lat':, 'lon':}}; got {near!r}")

    # --- reverse lookups ----------------------------------------------------------------------

    def _entry_match(self, entry: Entry) -> Match:
        return Match(place_id=entry.place_id, name=entry.name, lat=entry.lat, lon=entry.lon, kind=entry.kind,
                     precision_m=entry.precision_m, provider=entry.provider, score=100.0,
                     coord_source=entry.coord_source, parent_id=entry.parent_id, country=entry.country)

    def _mask(self, kinds: Iterable[str] | None, providers: Iterable[str] | None) -> np.ndarray:
        kinds = set(kinds) if kinds is not None else None
        providers = set(providers) if providers is not None else None
        return np.array([
            (kinds is None or self.layers[li].entries[i].kind in kinds)
            and (providers is None or self.layer_names[li] in providers)
            for li, i in self._flat
        ], dtype=bool)

    def places_within(self, *, lat: float, lon: float, radius_m: float, kinds: Iterable[str] | None = None,
                      providers: Iterable[str] | None = None) -> list[Nearby]:
        """Places whose point lies within radius_m (geodesic) of the point, nearest first."""
        from geopy.distance import geodesic

        point = LatLon(lat=lat, lon=lon)
        if not radius_m >= 0:
            raise GeocodeError(f"radius_m must be a distance in metres >= 0, got {radius_m!r}")
        if not len(self._coords):
            return []
        rough = _haversine_m(point.lat, point.lon, self._coords[:, 0], self._coords[:, 1])
        mask = self._mask(kinds, providers) & (rough <= radius_m * 1.005 + 50)
        found = []
        for k in np.nonzero(mask)[0]:
            li, i = self._flat[k]
            entry = self.layers[li].entries[i]
            distance = geodesic((point.lat, point.lon), (entry.lat, entry.lon)).meters
            if distance <= radius_m:
                found.append(Nearby(match=self._entry_match(entry), distance_m=round(distance, 1)))
        return sorted(found, key=lambda n: n.distance_m)

    def nearest_place(self, *, lat: float, lon: float, kinds: Iterable[str] | None = None,
                      providers: Iterable[str] | None = None) -> Nearby | None:
        """The place whose point is nearest (geodesic) to the given point, or None if no place qualifies."""
        from geopy.distance import geodesic

        point = LatLon(lat=lat, lon=lon)
        mask = self._mask(kinds, providers)
        if not mask.any():
            return None
        rough = np.where(mask, _haversine_m(point.lat, point.lon, self._coords[:, 0], self._coords[:, 1]), np.inf)
        best = None
        for k in np.argsort(rough)[:8]:  # haversine and geodesic differ by <0.5%: refine the few closest
            if not np.isfinite(rough[k]):
                break
            li, i = self._flat[k]
            entry = self.layers[li].entries[i]
            distance = geodesic((point.lat, point.lon), (entry.lat, entry.lon)).meters
            if best is None or distance < best.distance_m:
                best = Nearby(match=self._entry_match(entry), distance_m=round(distance, 1))
        return best

    def ancestors(self, place_id: str) -> list[str]:
        """Parent ids of a gazetteer place, nearest first: neighbourhood -> city -> governorate -> country."""
        self.place(place_id)
        return ancestors_of(place_id, self.places)

    def place(self, place_id: str) -> Place:
        """A place of the merged gazetteer by id (UnknownPlaceError if absent)."""
        try:
            return self.places[place_id]
        except KeyError:
            raise UnknownPlaceError(f"no place with id {place_id!r} in the gazetteer") from None


# --- module-level convenience functions on a default instance ---------------------------------

_default: Geocoder | None = None


def default_geocoder() -> Geocoder:
    """The shared Geocoder: our gazetteer, data/seed/places.csv when it exists, GeoNames, live per env."""
    global _default
    if _default is None:
        _default = Geocoder(SEED_PLACES if SEED_PLACES.is_file() else None)
    return _default


def set_default_geocoder(geocoder: Geocoder | None) -> None:
    """Replace (or with None, reset) the instance the module-level functions use."""
    global _default
    _default = geocoder


def geocode(name: str, *, near: Any = None, country: str | None = None) -> Match | None:
    """Geocode one name with the default Geocoder."""
    return default_geocoder().geocode(name, near=near, country=country)


def geocode_many(names: Iterable[str], *, near: Any = None, country: str | None = None) -> list[Match | None]:
    """Geocode many names with the default Geocoder (batched)."""
    return default_geocoder().geocode_many(names, near=near, country=country)


def nearest_place(*, lat: float, lon: float, kinds: Iterable[str] | None = None,
                  providers: Iterable[str] | None = None) -> Nearby | None:
    """The nearest place to a point, with the default Geocoder."""
    return default_geocoder().nearest_place(lat=lat, lon=lon, kinds=kinds, providers=providers)


def places_within(*, lat: float, lon: float, radius_m: float, kinds: Iterable[str] | None = None,
                  providers: Iterable[str] | None = None) -> list[Nearby]:
    """Places within radius_m of a point, nearest first, with the default Geocoder."""
    return default_geocoder().places_within(lat=lat, lon=lon, radius_m=radius_m, kinds=kinds, providers=providers)
