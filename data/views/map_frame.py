"""Where the map opens: the filtered places with a margin, the city that tells the story, or one place in its surroundings.

The browser does not tell the server how wide the map is, so frames are computed for the narrowest map the page
lays out (MAP_WIDTH_PX in a 1280 px window) and leave a margin; a wider map shows more around the same centre.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from geo.outlines import load_outline

MAP_WIDTH_PX, MAP_HEIGHT_PX = 500, 480  # the map column in a 1280 px window (wider windows only add margin)
SYRIA_VIEW = {"latitude": 35.0, "longitude": 38.5, "zoom": 5.6}
BROAD_KINDS = ("country", "governorate")  # places that stand for an area: drawn as their outline, never as a point
MARGIN = 0.12  # of the framed span, on each side
MAX_PAD_M = 20_000  # a place's uncertainty pads the frame up to this (a governorate-wide radius would zoom out to a continent)
SURROUNDINGS_M = 12_000  # one place alone is shown with at least this much around it: towns, roads, the city edge
STORY_RADIUS_KM = 50.0  # a "city and its surroundings" cluster: places within this of the cluster's busiest place
STORY_SHARE = 0.75  # the cluster holds at least this share of the events...
STORY_SPREAD = 4.0  # ...and the whole extent is at least this many times the cluster's: frame the cluster
MIN_ZOOM, MAX_ZOOM = 3.0, 14.0
MAX_OUTSIDE_NAMED = 5


@dataclass(frozen=True)
class OutsidePlace:
    """A filtered place the frame leaves out: its name, events and where it lies from the frame's centre."""

    place_id: str
    name: str
    n_events: int
    distance_km: float
    direction: str


@dataclass(frozen=True)
class MapFrame:
    """The map's opening view, why it was chosen, and the filtered places outside it."""

    latitude: float
    longitude: float
    zoom: float
    basis: str  # "link" (the URL's map position), "place" (one selected place), "story" (one cluster), "all", "none"
    outside: tuple[OutsidePlace, ...] = field(default=())
    fit_all: tuple[float, float, float] | None = None  # the frame that shows every filtered place, when this one does not

    def view(self) -> dict:
        return {"latitude": self.latitude, "longitude": self.longitude, "zoom": self.zoom}

    def position(self) -> tuple[float, float, float]:
        return (round(self.latitude, 5), round(self.longitude, 5), round(self.zoom, 2))

    def outside_caption(self, *, states: Mapping[str, str] | None = None) -> str:
        """'Outside the map (2 places, 4 events): Manbij (3 events, 85 km NE), Tartus (1 event, 190 km SW)'; blank
        when nothing is. With `states` (place id -> its control in words, when the map draws control instead of
        events) each place says its state and nothing counts events: 'Outside the map (2 places): Manbij (held by the
        SDF / Kurdish camp, 80 km E), ...'."""
        if not self.outside:
            return ""
        if states is None:
            named = [f"{o.name} ({o.n_events} event{'s' if o.n_events != 1 else ''}, {o.distance_km:.0f} km {o.direction})"
                     for o in self.outside[:MAX_OUTSIDE_NAMED]]
            tally = f", {sum(o.n_events for o in self.outside)} events"
        else:
            named = [f"{o.name} ({states[o.place_id] + ', ' if states.get(o.place_id) else ''}{o.distance_km:.0f} km {o.direction})"
                     for o in self.outside[:MAX_OUTSIDE_NAMED]]
            tally = ""
        more = len(self.outside) - len(named)
        head = f"Outside the map ({len(self.outside)} place{'s' if len(self.outside) != 1 else ''}{tally}): "
        return head + ", ".join(named) + (f" and {more} more" if more > 0 else "")


def frame_map(places: pd.DataFrame, *, selected: dict | None = None, position: tuple[float, float, float] | None = None) -> MapFrame:
    """The opening view for the filtered places (rows of data.views.map_view.places_for_map).

    In order: the link's own map position; one selected place (`selected`: name, kind, lat, lon, precision_m)
    in its surroundings, or its area's outline when it is a country or governorate; the cluster holding most
    events when a few places lie far away (they are listed as outside); else every place with its uncertainty.
    """
    if position is not None:
        lat, lon, zoom = position
        return _with_outside(MapFrame(lat, lon, zoom, "link"), places)
    if selected is not None:
        return _with_outside(MapFrame(*_fit_box(_place_box(selected)), "place"), places)
    if places.empty:
        return MapFrame(SYRIA_VIEW["latitude"], SYRIA_VIEW["longitude"], SYRIA_VIEW["zoom"], "none")
    everything = MapFrame(*_fit_box(_places_box(places)), "all")
    story = _story_cluster(places)
    if story is None:
        return everything
    return _with_outside(MapFrame(*_fit_box(_places_box(story)), "story", fit_all=everything.position()), places)


def in_frame(frame: MapFrame, lat: float, lon: float, *, width_px: float = MAP_WIDTH_PX, height_px: float = MAP_HEIGHT_PX) -> bool:
    """Whether a point falls inside the frame drawn on a map of this size."""
    x, y = mercator_px(lat, lon, frame.zoom)
    cx, cy = mercator_px(frame.latitude, frame.longitude, frame.zoom)
    return abs(x - cx) <= width_px / 2 and abs(y - cy) <= height_px / 2


def mercator_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """A point's pixel position in deck.gl's Web Mercator world (512 px wide at zoom 0)."""
    size = 512 * 2 ** zoom
    lat = max(min(lat, 85.0), -85.0)
    return (lon + 180) / 360 * size, (math.pi - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))) / (2 * math.pi) * size


def _with_outside(frame: MapFrame, places: pd.DataFrame) -> MapFrame:
    """The frame with the filtered places it does not show, farthest-reaching (most events) first."""
    if places.empty:
        return frame
    outside = []
    for row in places.itertuples(index=False):
        if row.kind in BROAD_KINDS or in_frame(frame, float(row.mark_lat), float(row.mark_lon)):
            continue
        km, direction = _bearing(frame.latitude, frame.longitude, float(row.lat), float(row.lon))
        outside.append(OutsidePlace(str(row.place_id), str(row.name), int(row.n_events), km, direction))
    outside.sort(key=lambda o: (-o.n_events, o.distance_km))
    if not outside:
        return frame
    fit_all = frame.fit_all or MapFrame(*_fit_box(_places_box(places)), "all").position()
    return MapFrame(frame.latitude, frame.longitude, frame.zoom, frame.basis, tuple(outside), fit_all)


def _story_cluster(places: pd.DataFrame) -> pd.DataFrame | None:
    """The places near the busiest one, when they hold most events and the rest lie far away (else None)."""
    points = places[~places["kind"].isin(BROAD_KINDS)]
    if len(points) < 3:
        return None
    total = float(points["n_events"].sum())
    best = None
    for centre in points.nlargest(5, "n_events").itertuples(index=False):
        near = points[_km(points["lat"], points["lon"], float(centre.lat), float(centre.lon)) <= STORY_RADIUS_KM]
        share = float(near["n_events"].sum()) / total
        if best is None or share > best[0]:
            best = (share, near)
    share, cluster = best
    if share < STORY_SHARE or len(cluster) == len(points):
        return None
    whole, part = _places_box(points), _places_box(cluster)
    spread = max(_box_km(whole) / max(_box_km(part), 5.0), 1.0)
    return cluster if spread >= STORY_SPREAD else None


def _places_box(places: pd.DataFrame) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the places' marks with their uncertainty; broad places give their outline only
    when there are no others (they are listed beside the map, not drawn as points)."""
    points = places[~places["kind"].isin(BROAD_KINDS)]
    boxes = []
    if points.empty:  # areas alone: their outlines (beside points, a country's outline would zoom out to a continent)
        boxes = [_outline_box(row.kind, row.name) for row in places.itertuples(index=False)]
        boxes = [box for box in boxes if box]
    else:
        pad_lat = points["precision_m"].astype(float).clip(upper=MAX_PAD_M) / 111_320
        cos = max(math.cos(math.radians(float(points["lat"].mean()))), 0.01)
        boxes.append((float((points["mark_lat"] - pad_lat).min()), float((points["mark_lon"] - pad_lat / cos).min()),
                      float((points["mark_lat"] + pad_lat).max()), float((points["mark_lon"] + pad_lat / cos).max())))
    if not boxes:  # broad places whose outline is not shipped: their points
        return (float(places["lat"].min()), float(places["lon"].min()), float(places["lat"].max()), float(places["lon"].max()))
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _place_box(place: dict) -> tuple[float, float, float, float]:
    """One place in its surroundings: its outline for an area, else its uncertainty with SURROUNDINGS_M at least."""
    if place.get("kind") in BROAD_KINDS:
        box = _outline_box(place["kind"], place["name"])
        if box:
            return box
    radius = max(float(place.get("precision_m") or 0) * 1.2, SURROUNDINGS_M)
    lat, lon = float(place["lat"]), float(place["lon"])
    d_lat = radius / 111_320
    d_lon = d_lat / max(math.cos(math.radians(lat)), 0.01)
    return (lat - d_lat, lon - d_lon, lat + d_lat, lon + d_lon)


def _fit_box(box: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """Centre and zoom that show the box with MARGIN on each side on a MAP_WIDTH_PX x MAP_HEIGHT_PX map."""
    south, west, north, east = box
    lon_span = max(east - west, 0.005) * (1 + 2 * MARGIN)
    x_south, y_south = mercator_px(south, west, 0)
    x_north, y_north = mercator_px(north, east, 0)
    y_span = max(abs(y_south - y_north), 1e-6) * (1 + 2 * MARGIN)
    zoom = min(math.log2(MAP_WIDTH_PX * 360 / (512 * lon_span)), math.log2(MAP_HEIGHT_PX / y_span))
    centre_y = (y_south + y_north) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(math.pi - 2 * math.pi * centre_y / 512)) - math.pi / 2)
    return round(centre_lat, 5), round((west + east) / 2, 5), round(max(MIN_ZOOM, min(zoom, MAX_ZOOM)), 2)


@lru_cache(maxsize=1)
def _outline_boxes() -> dict[tuple[str, str], tuple[float, float, float, float]]:
    """(kind, folded name) -> (south, west, north, east) for the shipped country and governorate outlines."""
    boxes = {}
    for kind, layer in (("country", "countries"), ("governorate", "governorates")):
        for feature in load_outline(layer)["features"]:
            geometry = feature["geometry"]
            rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [r for p in geometry["coordinates"] for r in p]
            lons = [pt[0] for ring in rings for pt in ring]
            lats = [pt[1] for ring in rings for pt in ring]
            boxes[(kind, fold_area_name(feature["properties"]["name"]))] = (min(lats), min(lons), max(lats), max(lons))
    return boxes


def outline_feature(kind: str, name: str) -> dict | None:
    """The shipped outline feature of a country or governorate place, by its name (None when not shipped)."""
    layer = "countries" if kind == "country" else "governorates"
    wanted = fold_area_name(name)
    return next((f for f in load_outline(layer)["features"] if fold_area_name(f["properties"]["name"]) == wanted), None)


def _outline_box(kind: str, name: str) -> tuple[float, float, float, float] | None:
    return _outline_boxes().get((kind, fold_area_name(name)))


def fold_area_name(name: str) -> str:
    """'Aleppo governorate', 'Idlib governorate' and OCHA's 'Aleppo', 'Idleb' meet on one spelling."""
    folded = str(name).lower().strip()
    folded = folded[: -len(" governorate")] if folded.endswith(" governorate") else folded
    for ours, ocha in (("idlib", "idleb"), ("tartus", "tartous"), ("daraa", "dar'a"), ("latakia", "lattakia"), ("raqqa", "ar-raqqa")):
        if folded == ours:
            return ocha
    return folded


def _km(lat, lon, lat0: float, lon0: float):
    """Equirectangular distance in km from one point (vectorised; exact enough within a country)."""
    cos = math.cos(math.radians(lat0))
    return ((lat - lat0) ** 2 + ((lon - lon0) * cos) ** 2) ** 0.5 * 111.32


def _box_km(box: tuple[float, float, float, float]) -> float:
    south, west, north, east = box
    return float(_km(north, east, south, west))


def _bearing(lat0: float, lon0: float, lat: float, lon: float) -> tuple[float, str]:
    """Distance (km) and compass direction (N, NE, ...) from the frame's centre to a point."""
    d_north = (lat - lat0) * 111.32
    d_east = (lon - lon0) * 111.32 * math.cos(math.radians(lat0))
    angle = (math.degrees(math.atan2(d_east, d_north)) + 360) % 360
    return math.hypot(d_north, d_east), ("N", "NE", "E", "SE", "S", "SW", "W", "NW")[int((angle + 22.5) // 45) % 8]
