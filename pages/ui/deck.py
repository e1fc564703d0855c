"""The map as data: a pydeck Deck built from the places view model, readable with no tiles."""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from data.views.map_view import GRID_KIND
from data.views.palette import SIDE_COLOURS
from geo.basemap import ALEPPO_BOX, CREDITS, feature_boxes, load_layer, river_label_points, road_ref_points
from geo.outlines import load_outline

PLACES_LAYER = "places"
GRID_LAYER = "grid-cells"
MAX_LABELS = 150  # the busiest places get a label record; the collision filter decides which are drawn
SYRIA_VIEW = {"latitude": 35.0, "longitude": 38.5, "zoom": 5.6}
MAP_WIDTH_PX, MAP_HEIGHT_PX = 540, 480  # the map column is about 550 px wide in a 1400 px window
MAX_FIT_PAD_M = 20_000  # a country-wide radius should not zoom the map out to a continent
BROAD_KINDS = ("country", "governorate")
TOOLTIP = {"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "fontSize": "12px", "maxWidth": "420px"}}
# A token-free vector basemap (Carto) drawn under the outlines when the operator turns it on with
# ATLAS_BASEMAP=carto; the default draws outlines only and makes no request.
BASEMAP_ENV = "ATLAS_BASEMAP"
ONLINE_KEPT = ("governorates", "neighbourhoods")
# What the licences of the shipped layers ask the map to show (OSM's ODbL requires its line on every view).
BASEMAP_CREDIT = "Basemap: " + " · ".join(CREDITS)
WINDOW_FROM_ZOOM = 8.0  # from this zoom on, only basemap features near the view are sent
STREETS_FROM_ZOOM = 9.25  # minor streets only when the view is the city itself (they are a third of its bytes)
CITY_FROM_ZOOM = 9.0  # from this zoom on, a view near Aleppo gets the city's streets, built-up area and landmarks
FONT_FAMILY = '"Source Sans", "Source Sans Pro", Helvetica, Arial, sans-serif'  # Streamlit's own font, loaded offline
FONT_SETTINGS = {"sdf": True, "fontSize": 64, "buffer": 8, "radius": 16}  # a signed-distance atlas, for the white halo
OUTLINE_WIDTH = 5  # in the atlas's units (64 px glyphs): about a 1 px halo at 13 px text
LAND, LAND_ABROAD = (247, 245, 240), (235, 233, 227)
BUILTUP, WATER, RIVER = [228, 221, 210], [176, 206, 228], [120, 168, 210]


_SERIALISED: dict[int, tuple[pdk.Layer, str]] = {}  # basemap layers' JSON, written once: they are the same every rerun


def _compact_json(value) -> str:
    return json.dumps(value, sort_keys=True, default=default_serialize, separators=(",", ":"))


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation (pydeck pretty-prints, about 5x larger) and whose basemap layers are
    serialised once, not on every rerun (about 25 ms of a rerun at country scale)."""

    def to_json(self) -> str:
        original, stand_ins = self.layers, {}
        shown = []
        for index, layer in enumerate(original):
            cached = _SERIALISED.get(id(layer))
            if cached is not None and cached[0] is layer:
                stand_ins[f"__serialised_layer_{index}__"] = cached[1]
                shown.append(f"__serialised_layer_{index}__")
            else:
                shown.append(layer)
        self.layers = shown
        try:
            text = _compact_json(self)
        finally:
            self.layers = original
        for stand_in, layer_json in stand_ins.items():
            text = text.replace(f'"{stand_in}"', layer_json, 1)
        return text


def fit_view(places: pd.DataFrame) -> dict:
    """A view that shows every place with its uncertainty: Syria for none, the radius for one."""
    if places.empty:
        return dict(SYRIA_VIEW)
    lat_pad = places["precision_m"].astype(float).clip(upper=MAX_FIT_PAD_M) / 111_320
    lon_pad = lat_pad / max(math.cos(math.radians(float(places["lat"].mean()))), 0.01)
    south = float((places["mark_lat"] - lat_pad).min())
    north = float((places["mark_lat"] + lat_pad).max())
    west = float((places["mark_lon"] - lon_pad).min())
    east = float((places["mark_lon"] + lon_pad).max())
    lon_span = max(east - west, 0.005)
    lat_span = max(north - south, 0.005)
    # deck.gl's Web Mercator world is 512 px wide at zoom 0 (a 256 px world framed everything twice too close)
    zoom = min(math.log2(MAP_WIDTH_PX * 360 / (512 * lon_span)), math.log2(MAP_HEIGHT_PX * 360 * math.cos(math.radians((south + north) / 2)) / (512 * lat_span)))
    return {"latitude": (south + north) / 2, "longitude": (west + east) / 2, "zoom": round(max(3.0, min(zoom - 0.3, 14.0)), 2)}


def _characters(texts) -> list[str]:
    """Every character the labels use: deck.gl draws only characters in its font atlas (ASCII by default)."""
    return "".join(sorted(set("".join(texts)) | set(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'().")))


def _view_window(view: dict) -> tuple[float, float, float, float] | None:
    """The box of basemap features worth sending: three times what the initial view shows, or None (all) at country scale."""
    if view["zoom"] < WINDOW_FROM_ZOOM:
        return None
    degrees_per_px = 360 / (512 * 2 ** view["zoom"])
    half_lon = 1.5 * MAP_WIDTH_PX * degrees_per_px
    half_lat = 1.5 * MAP_HEIGHT_PX * degrees_per_px * math.cos(math.radians(view["latitude"]))
    return (view["longitude"] - half_lon, view["latitude"] - half_lat, view["longitude"] + half_lon, view["latitude"] + half_lat)


def _is_city_view(view: dict) -> bool:
    """Whether the initial view is close enough to Aleppo for the city layers (streets, landmarks) to be sent."""
    window = _view_window(view)
    if window is None or view["zoom"] < CITY_FROM_ZOOM:
        return False
    lon_min, lat_min, lon_max, lat_max = ALEPPO_BOX
    return window[0] <= lon_max and window[2] >= lon_min and window[1] <= lat_max and window[3] >= lat_min


def _clipped(name: str, window) -> dict:
    """A shipped layer, keeping only features that reach into the window (all of them when window is None)."""
    layer = load_layer(name)
    if window is None:
        return layer
    return {"type": "FeatureCollection", "features": [f for f, box in zip(layer["features"], feature_boxes(name))
                                                       if box[0] <= window[2] and box[2] >= window[0]
                                                       and box[1] <= window[3] and box[3] >= window[1]]}


def _path_layer(layer_id: str, data: dict, colour, width_px, **kwargs) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", data, id=layer_id, stroked=True, filled=False, get_line_color=colour,
                     line_width_min_pixels=width_px, line_cap_rounded=True, line_joint_rounded=True, pickable=False, **kwargs)


def _area_layer(layer_id: str, data: dict, colour, **kwargs) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", data, id=layer_id, stroked=False, filled=True, get_fill_color=colour, pickable=False, **kwargs)


def _basemap_layers(window, city: bool, streets: bool) -> list[pdk.Layer]:
    """The basemap layers for a window, built and serialised once per window (the same on every rerun)."""
    return list(_serialised_basemap(window, city, streets))


_BASEMAPS: OrderedDict[tuple, tuple[pdk.Layer, ...]] = OrderedDict()
_BASEMAPS_KEPT = 32
_BASEMAPS_LOCK = threading.Lock()


def _serialised_basemap(window, city: bool, streets: bool) -> tuple[pdk.Layer, ...]:
    """The last few windows' basemap layers, each serialised once; a window dropped takes its JSON with it."""
    key = (window, city, streets)
    with _BASEMAPS_LOCK:
        if key in _BASEMAPS:
            _BASEMAPS.move_to_end(key)
            return _BASEMAPS[key]
    layers = tuple(_build_basemap_layers(window, city, streets))
    serialised = {id(layer): (layer, _compact_json(layer)) for layer in layers}
    with _BASEMAPS_LOCK:
        _SERIALISED.update(serialised)
        _BASEMAPS[key] = layers
        while len(_BASEMAPS) > _BASEMAPS_KEPT:
            for old in _BASEMAPS.popitem(last=False)[1]:
                _SERIALISED.pop(id(old), None)
    return layers


def _build_basemap_layers(window, city: bool, streets: bool) -> list[pdk.Layer]:
    """Land, water, built-up areas and lines under the events, in quiet colours; city detail only near Aleppo.

    City streets and roads are sized in metres: they thin out to nothing as the map zooms out, instead of
    turning the city into a grey blot.
    """
    empty = {"type": "FeatureCollection", "features": []}
    city_layer = (lambda name: _clipped(name, window)) if city else (lambda name: empty)
    return [
        pdk.Layer("GeoJsonLayer", load_outline("countries"), id="countries", stroked=True, filled=True,
                  get_fill_color=f"properties.name == 'Syria' ? {list(LAND)} : {list(LAND_ABROAD)}",
                  get_line_color=[120, 120, 120], line_width_min_pixels=1.2),
        _area_layer("basemap-builtup", _clipped("builtup", window), BUILTUP),
        _area_layer("city-landuse", city_layer("aleppo_landuse"),
                    "properties.class == 'military' ? [224, 214, 230] : properties.class == 'cemetery' ? [214, 228, 212] : [230, 226, 220]"),
        _area_layer("city-builtup", city_layer("aleppo_builtup"), BUILTUP),
        _area_layer("basemap-water", _clipped("water", window), WATER),
        pdk.Layer("GeoJsonLayer", load_outline("governorates"), id="governorates", stroked=True, filled=False,
                  get_line_color=[170, 170, 170], line_width_min_pixels=0.8),
        pdk.Layer("GeoJsonLayer", load_outline("neighbourhoods"), id="neighbourhoods", stroked=True, filled=False,
                  get_line_color=[200, 196, 190], line_width_min_pixels=0.4),
        _path_layer("basemap-rivers", _clipped("rivers", window), RIVER, 1.2),
        _path_layer("city-water", city_layer("aleppo_water"), RIVER, 1.0),
        _path_layer("basemap-railways", _clipped("railways", window), [168, 160, 160], 0.7),
        _path_layer("city-streets", city_layer("aleppo_streets") if streets else empty, [222, 216, 208], 0, get_line_width=7, line_width_units="'meters'"),
        _path_layer("city-roads", city_layer("aleppo_roads"), [208, 200, 190], 0.6,
                    get_line_width="properties.class == 'secondary' ? 16 : 11", line_width_units="'meters'"),
        _path_layer("basemap-roads", _clipped("roads", window) if not city else _roads_outside_city(window),
                    "properties.class == 'motorway' ? [196, 150, 118] : properties.class == 'trunk' ? [206, 170, 140] : [214, 192, 168]",
                    0, get_line_width="properties.class == 'primary' ? 1 : properties.class == 'trunk' ? 1.5 : 2",
                    line_width_units="'pixels'"),
        _path_layer("city-major-roads", city_layer("aleppo_major_roads"),
                    "properties.class == 'motorway' ? [196, 150, 118] : properties.class == 'trunk' ? [206, 170, 140] : [214, 192, 168]",
                    1, get_line_width="properties.class == 'primary' ? 22 : 30", line_width_units="'meters'",
                    line_width_max_pixels=4),
    ]


def _roads_outside_city(window) -> dict:
    """Country roads that reach into the window, less those wholly inside the city box: the city's finer roads replace them."""
    lon_min, lat_min, lon_max, lat_max = ALEPPO_BOX
    return {"type": "FeatureCollection", "features": [
        f for f, box in zip(load_layer("roads")["features"], feature_boxes("roads"))
        if not (box[0] >= lon_min and box[2] <= lon_max and box[1] >= lat_min and box[3] <= lat_max)
        and (window is None or (box[0] <= window[2] and box[2] >= window[0] and box[1] <= window[3] and box[3] >= window[1]))]}


def _neighbourhood_labels(city: bool, view: dict, taken: list) -> pdk.Layer:
    """Neighbourhood names, faint and only in a city view; they avoid each other but give way to every other label."""
    labels = [] if not city else [
        label for label in (
            {"name": f["properties"]["name"], "lat": f["properties"]["label_lat"], "lon": f["properties"]["label_lon"],
             "size": 10.5, "offset": [0, 0]}
            for f in load_outline("neighbourhoods")["features"])
        if not any(_overlaps(_screen_box(label, view), box) for box in taken)  # under another label or a mark: left out
    ]
    layer = pdk.Layer("TextLayer", labels, id="neighbourhood-labels", get_position=["lon", "lat"], get_text="name",
                      get_size=10.5, get_color=[150, 144, 138], font_weight=400, font_settings=FONT_SETTINGS,
                      outline_width=OUTLINE_WIDTH, outline_color=[250, 249, 246, 200],
                      extensions=[{"@@type": "CollisionFilterExtension"}], collision_test_props={"sizeScale": 1.8})
    layer.collision_group = "neighbourhoods"
    return layer


# Okabe-Ito colours for datasets, in the order of their ids (the seed first when shown).
DATASET_PALETTE = ((0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233), (0, 0, 0))


def colour_keys(places: pd.DataFrame) -> tuple[str, dict[str, tuple[int, int, int]]]:
    """Which column colours the marks ('side', or 'dataset' when the view asks and places carry it) and its palette."""
    if "dataset" in places.columns and len(places):
        ids = sorted(set(places["dataset"]), key=lambda d: (d != "seed", d))
        return "dataset", {d: DATASET_PALETTE[i % len(DATASET_PALETTE)] for i, d in enumerate(ids)}
    return "side", SIDE_COLOURS


def _short_label(name: str) -> str:
    """A map label: the name without its parenthesised gloss, which stays in the tooltip."""
    return re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name)


def _broad_areas(places: pd.DataFrame, palette: dict, key: str) -> list[dict]:
    """The outline of each broad place's area (the country or governorate it stands for), in its mark's colour."""
    shapes = {f["properties"]["name"].lower(): f for f in load_outline("countries")["features"]}
    shapes.update({_governorate_key(f["properties"]["name"]): f for f in load_outline("governorates")["features"]})
    out = []
    for row in places.itertuples(index=False):
        if row.kind not in BROAD_KINDS:
            continue
        shape = shapes.get(_governorate_key(row.name) if row.kind == "governorate" else str(row.name).lower())
        if shape:
            colour = palette.get(getattr(row, key), SIDE_COLOURS["unknown"])
            out.append({"type": "Feature", "geometry": shape["geometry"],
                        "properties": {"line": [*colour, 190]}})
    return out


def _governorate_key(name: str) -> str:
    """'Aleppo governorate', 'Idlib governorate' and OCHA's 'Aleppo', 'Idleb' meet on one spelling."""
    folded = re.sub(r"\s*governorate$", "", str(name).lower()).replace("idlib", "idleb").replace("tartus", "tartous")
    return folded.replace("daraa", "dar'a").replace("latakia", "lattakia").replace("raqqa", "ar-raqqa").replace("ar-ar-", "ar-")


def _sides(text: str, radius_px: float, size: float) -> list[list[float]]:
    """Pixel offsets that put a label above, right of, left of or below its mark (the layer centres the text)."""
    half_w, gap = 0.29 * size * len(text) + 2, radius_px + 4
    return [[0, -gap - 6], [gap + half_w, 0], [-gap - half_w, 0], [0, gap + 6]]


def _ring_alpha(precision_m: float) -> int:
    """Rings fade as they grow: a 300 m radius is a claim about a street, a 10 km one only says 'somewhere around here'."""
    return int(max(22, min(170, 170 - 95 * math.log10(max(precision_m, 300) / 300))))


def _place_layers(places: pd.DataFrame, selected_place: str | None) -> tuple[list[pdk.Layer], list[dict]]:
    """Uncertainty rings, broad places' areas and clickable marks, plus the places' label records.

    pydeck serialises each layer's data separately, so one shared record per place would be sent three
    times; broad places (a governorate, the country) get their area's outline instead of a ring.
    """
    rings, marks, labels = [], [], []
    key, palette = colour_keys(places)
    for rank, row in enumerate(places.itertuples(index=False)):
        colour = palette.get(getattr(row, key), SIDE_COLOURS["unknown"])
        selected = row.place_id == selected_place
        broad = row.kind in BROAD_KINDS
        radius_px = round(5 + 4 * math.sqrt(int(row.n_events)), 1)
        mark = {"lon": round(float(row.mark_lon), 5), "lat": round(float(row.mark_lat), 5)}
        if not broad:
            rings.append({"lon": round(float(row.lon), 5), "lat": round(float(row.lat), 5), "precision_m": float(row.precision_m),
                          "fill": [*colour, 22 if selected else 0], "ring": [*colour, 220 if selected else _ring_alpha(row.precision_m)],
                          "width": 2 if selected else 1})
        marks.append({"place_id": row.place_id, "name": row.name, **mark, "n_events": int(row.n_events),
                      "radius_px": radius_px if not broad else 6, "colour": [*colour, 235],
                      "outline": [20, 20, 20, 255] if selected else [*(int(c * 0.85) for c in colour), 255], "outline_px": 3 if selected else 1,
                      "tooltip": row.tooltip})
        if rank < MAX_LABELS or selected:
            text = _short_label(row.name) + (f" · {int(row.n_events)} events, no nearer place" if broad else "")
            labels.append({"name": text, **mark, "priority": 1000 if selected else max(600, 990 - rank),
                           "size": 15 if selected or rank < 5 else 14, "colour": [20, 20, 20, 255] if not broad else [70, 70, 70, 255],
                           "offset": [0, -(radius_px if not broad else 6) - 10], "sides": _sides(text, radius_px if not broad else 6, 15 if selected or rank < 5 else 14)})
    layers = [
        pdk.Layer("ScatterplotLayer", rings, id="uncertainty", get_position=["lon", "lat"], get_radius="precision_m",
                  radius_units="'meters'", get_fill_color="fill", get_line_color="ring", get_line_width="width",
                  line_width_units="'pixels'", stroked=True, filled=True, pickable=False),
        pdk.Layer("GeoJsonLayer", _broad_areas(places, palette, key), id="broad-areas", stroked=True, filled=False,
                  get_line_color="properties.line", line_width_min_pixels=2, pickable=False),
    ]
    marks_layer = pdk.Layer("ScatterplotLayer", marks, id=PLACES_LAYER, get_position=["lon", "lat"],
                            get_radius="radius_px", radius_units="'pixels'", get_fill_color="colour", get_line_color="outline",
                            get_line_width="outline_px", line_width_units="'pixels'", stroked=True, pickable=True, auto_highlight=True)
    return layers + [marks_layer], labels


def _basemap_labels(city: bool, window, places: pd.DataFrame) -> list[dict]:
    """Towns (by population), airfields, rivers, road numbers and, in a city view, landmarks; English names only.

    A town that is also a place with events is labelled once, as the place.
    """
    taken = {_short_label(n).lower() for n in places["name"]} if len(places) else set()

    def inside(lon, lat):
        return window is None or (window[0] <= lon <= window[2] and window[1] <= lat <= window[3])

    labels = []
    for f in load_layer("towns")["features"]:
        p, (lon, lat) = f["properties"], f["geometry"]["coordinates"]
        if p["name"].lower() in taken or not inside(lon, lat):
            continue
        population = p["population"]
        abroad = p["country"] != "SY"
        labels.append({"name": p["name"], "lon": lon, "lat": lat, "offset": [0, 0],
                       "priority": int(min(500, 90 * math.log10(max(population, 100)) - 150 - (120 if abroad else 0))),
                       "size": 14 if population >= 500_000 else 13 if population >= 50_000 else 12,
                       "colour": [95, 90, 85, 255] if not abroad else [150, 146, 140, 255]})
    for f in load_layer("airfields")["features"]:
        lon, lat = f["geometry"]["coordinates"]
        if inside(lon, lat):
            labels.append({"name": f["properties"]["name"], "lon": lon, "lat": lat, "offset": [0, 0], "priority": 120,
                           "size": 11, "colour": [105, 100, 140, 255]})
    for name, lon, lat in river_label_points():
        if inside(lon, lat):
            labels.append({"name": name, "lon": lon, "lat": lat, "offset": [0, 0], "priority": 60, "size": 12,
                           "colour": [60, 110, 165, 255]})
    for ref, lon, lat in road_ref_points():
        if inside(lon, lat):
            labels.append({"name": ref, "lon": lon, "lat": lat, "offset": [0, 0], "priority": 20, "size": 11,
                           "colour": [150, 100, 60, 255]})
    if city:
        for f in load_layer("aleppo_landmarks")["features"]:
            lon, lat = f["geometry"]["coordinates"]
            if f["properties"]["name"].lower() not in taken:
                labels.append({"name": f["properties"]["name"], "lon": lon, "lat": lat, "offset": [0, 0], "priority": 300,
                               "size": 12, "colour": [125, 85, 55, 255]})
    return labels


def _screen_box(label: dict, view: dict) -> tuple[float, float, float, float]:
    """A label's box in pixels at the initial view (Web Mercator, 512-px world), from an average glyph width."""
    x, y = _mercator_px(label["lat"], label["lon"], view["zoom"])
    x, y = x + label["offset"][0], y + label["offset"][1]
    half_w, half_h = 0.29 * label["size"] * len(label["name"]) + 2, 0.62 * label["size"] + 1
    return x - half_w, y - half_h, x + half_w, y + half_h


def _mercator_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    size = 512 * 2 ** zoom
    lat = max(min(lat, 85.0), -85.0)
    return (lon + 180) / 360 * size, (math.pi - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))) / (2 * math.pi) * size


def cut_labels(labels: list[dict], view: dict, obstacles: list[tuple[float, float, float, float]] = ()) -> list[dict]:
    """The labels that fit at the initial view, highest priority first: a label overlapping a kept one or an
    obstacle (a mark) is tried on the other sides of its point (label["sides"], offsets in pixels), then dropped.

    Deck.gl's collision filter tests a label at its anchor, which a label beside its mark does not cover, so the
    places' own labels are placed here instead.
    """
    kept, boxes = [], list(obstacles)
    cx, cy = _mercator_px(view["latitude"], view["longitude"], view["zoom"])
    frame = (cx - MAP_WIDTH_PX / 2, cy - MAP_HEIGHT_PX / 2, cx + MAP_WIDTH_PX / 2, cy + MAP_HEIGHT_PX / 2)
    for label in sorted(labels, key=lambda item: -item["priority"]):
        for offset in label.get("sides", [label["offset"]]):
            placed = {key: value for key, value in label.items() if key != "sides"} | {"offset": offset}
            box = _screen_box(placed, view)
            cut_by_edge = _overlaps(box, frame) and not (frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3])
            if not cut_by_edge and not any(_overlaps(box, b) for b in boxes):
                kept.append(placed)
                boxes.append(box)
                break
    return kept


def _mark_boxes(places: pd.DataFrame, view: dict) -> list[tuple[float, float, float, float]]:
    boxes = []
    for row in places.itertuples(index=False):
        x, y = _mercator_px(float(row.mark_lat), float(row.mark_lon), view["zoom"])
        r = 6 if row.kind in BROAD_KINDS else 5 + 4 * math.sqrt(int(row.n_events))
        boxes.append((x - r, y - r, x + r, y + r))
    return boxes


def _label_layers(place_labels: list[dict], basemap_labels: list[dict], places: pd.DataFrame, view: dict) -> tuple[list[pdk.Layer], list]:
    """The places' labels (cut in Python at the initial view), then the basemap's, which also give way to marks
    and place labels and, through deck.gl's collision filter, to each other at every zoom."""
    marks = _mark_boxes(places, view)
    shown = cut_labels(place_labels, view, [(a + 2, b + 2, c - 2, d - 2) for a, b, c, d in marks])  # marks hide labels under them
    obstacles = marks + [_screen_box(label, view) for label in shown]
    basemap_kept = cut_labels(basemap_labels, view, obstacles) if basemap_labels else []
    kept_names = {(label["name"], label["lon"], label["lat"]) for label in basemap_kept}
    # Labels that do not fit now are still sent when they are near the view: they appear as the map zooms in.
    basemap_sent = [label for label in basemap_labels
                    if (label["name"], label["lon"], label["lat"]) in kept_names or not any(
                        _overlaps(_screen_box(label, view), b) for b in obstacles)]
    common = dict(get_position=["lon", "lat"], get_text="name", get_size="size", get_color="colour",
                  font_weight=600, font_settings=FONT_SETTINGS, outline_width=OUTLINE_WIDTH, outline_color=[255, 255, 255, 235])
    basemap_layer = pdk.Layer("TextLayer", basemap_sent, id="basemap-labels", **common,
                              extensions=[{"@@type": "CollisionFilterExtension"}], get_collision_priority="priority",
                              collision_test_props={"sizeScale": 1.5})
    basemap_layer.collision_group = "basemap-labels"
    places_layer = pdk.Layer("TextLayer", shown, id="place-labels", **common, get_pixel_offset="offset")
    return [basemap_layer, places_layer], obstacles + [_screen_box(label, view) for label in basemap_kept]


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _grid_layer(cells: pd.DataFrame) -> pdk.Layer:
    """Grid cells of many places: one disc per cell at its events' centre, sized by its share of the busiest cell."""
    busiest = max(int(cells["n_events"].max()), 1) if len(cells) else 1
    records = [
        {"lon": round(float(row.mark_lon), 4), "lat": round(float(row.mark_lat), 4), "n_events": int(row.n_events),
         "radius_px": round(3 + 15 * math.sqrt(int(row.n_events) / busiest), 1),
         "colour": [*SIDE_COLOURS.get(row.side, SIDE_COLOURS["unknown"]), 200], "tooltip": row.tooltip}
        for row in cells.itertuples(index=False)
    ]
    return pdk.Layer("ScatterplotLayer", records, id=GRID_LAYER, get_position=["lon", "lat"], get_radius="radius_px",
                     radius_units="'pixels'", get_fill_color="colour", get_line_color=[255, 255, 255, 255],
                     line_width_min_pixels=0.5, stroked=True, pickable=True, auto_highlight=True)


def build_deck(places: pd.DataFrame, *, selected_place: str | None = None, basemap: str | None = None) -> pdk.Deck:
    """The shipped basemap, each place's uncertainty ring, and one clickable mark per place sized by its events.

    Rows of kind "grid cell" (data.views.map_view, when too many places hold events) are drawn as one disc per
    cell in their own layer; clicking one selects no place. Marks are drawn last, over every label.
    """
    is_cell = places["kind"].eq(GRID_KIND).to_numpy() if len(places) else np.zeros(0, dtype=bool)
    view = fit_view(places)
    window, city = _view_window(view), _is_city_view(view)
    basemap = os.environ.get(BASEMAP_ENV, "") if basemap is None else basemap
    online = basemap == "carto"
    layers = _basemap_layers(window, city, city and view["zoom"] >= STREETS_FROM_ZOOM)
    if online:  # Carto draws land, water, roads and towns itself: keep only what it lacks
        layers = [layer for layer in layers if layer.id in ONLINE_KEPT]
    place_layers, place_labels = _place_layers(places[~is_cell], selected_place)
    basemap_labels = [] if online else _basemap_labels(city, window, places[~is_cell])
    if is_cell.any():
        layers.append(_grid_layer(places[is_cell]))
    label_layers, taken = _label_layers(place_labels, basemap_labels, places[~is_cell], view)
    layers += [_neighbourhood_labels(city, view, taken)] + place_layers[:-1] + label_layers + [place_layers[-1]]
    for layer in layers:
        if layer.type == "TextLayer":
            # Set after construction: pydeck turns string and list keyword arguments into JS expressions.
            layer.character_set = _characters(str(row["name"]) for row in layer.data)
            layer.font_family = FONT_FAMILY
    if online:
        return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**view), map_provider="carto",
                           map_style=pdk.map_styles.CARTO_LIGHT, tooltip=TOOLTIP)
    # No provider and pydeck's default style marker: the frontend draws no basemap and requests nothing
    # (map_style=None would make Streamlit fetch a Carto style, which fails offline).
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**view), map_provider=None, tooltip=TOOLTIP)


def legend_items(places: pd.DataFrame) -> list[tuple[str, tuple[int, int, int]]]:
    """Sides (or datasets) present on the map with their colours, most frequent first."""
    if places.empty:
        return []
    key, palette = colour_keys(places)
    order = places.groupby(key)["n_events"].sum().sort_values(ascending=False).index
    return [(value, palette.get(value, SIDE_COLOURS["unknown"])) for value in order]
