"""The map as data: a pydeck Deck built from the places view model, readable with no tiles."""

from __future__ import annotations

import json
import math
import os
import re

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
from streamlit.components.v1 import declare_component
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data.views.city import neighbourhood_features
from data.views.map_frame import BROAD_KINDS, MAP_HEIGHT_PX, MAP_WIDTH_PX, SYRIA_VIEW, MapFrame, frame_map, mercator_px, outline_feature
from data.views.map_view import GRID_KIND
from data.views.palette import SIDE_COLOURS
from geo.basemap import ALEPPO_BOX, BASEMAP_DIR, CREDITS, load_layer, river_label_points, road_ref_points
from geo.outlines import OUTLINE_DIR, load_outline

PLACES_LAYER = "places"
GRID_LAYER = "grid-cells"
MAX_LABELS = 150  # the busiest places get a label record; the collision filter decides which are drawn
CHOROPLETH_LAYER = "city-choropleth"
BASEMAP_FILES, OUTLINE_FILES = "basemap", "outlines"  # the folders the browser fetches layers from (serve_map_files)
TOOLTIP = {"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "fontSize": "12px", "maxWidth": "420px"}}
# A token-free vector basemap (Carto) drawn under the outlines when the operator turns it on with
# ATLAS_BASEMAP=carto; the default draws outlines only and makes no request.
BASEMAP_ENV = "ATLAS_BASEMAP"
ONLINE_KEPT = ("governorates", "neighbourhoods")
# What the licences of the shipped layers ask the map to show (OSM's ODbL requires its line on every view).
BASEMAP_CREDIT = "Basemap: " + " · ".join(CREDITS)
WINDOW_FROM_ZOOM = 8.0  # from this zoom on, only basemap labels near the view are sent
CITY_FROM_ZOOM = 9.0  # from this zoom on, a view near Aleppo gets the names of its landmarks and neighbourhoods
FONT_FAMILY = '"Source Sans", "Source Sans Pro", Helvetica, Arial, sans-serif'  # Streamlit's own font, loaded offline
FONT_SETTINGS = {"sdf": True, "fontSize": 64, "buffer": 8, "radius": 16}  # a signed-distance atlas, for the white halo
OUTLINE_WIDTH = 5  # in the atlas's units (64 px glyphs): about a 1 px halo at 13 px text
LAND, LAND_ABROAD = (247, 245, 240), (235, 233, 227)
BUILTUP, WATER, RIVER = [228, 221, 210], [176, 206, 228], [120, 168, 210]


def _compact_json(value) -> str:
    return json.dumps(value, sort_keys=True, default=default_serialize, separators=(",", ":"))


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation (pydeck pretty-prints it, about 5x larger)."""

    def to_json(self) -> str:
        return _compact_json(self)


def serve_map_files() -> None:
    """Let the browser fetch the shipped basemap and outline files itself, once, instead of receiving them inside
    every rerun's chart JSON (they were 0.3-0.7 MB per rerun).

    Streamlit serves a declared component's folder at `component/<module>.<name>/<file>` with
    `Cache-Control: public`; deck.gl loads a layer whose data is a URL once and keeps it while the URL is unchanged.
    Declaring needs a running script; elsewhere (benchmarks, unit tests) it does nothing.
    """
    if get_script_run_ctx(suppress_warning=True) is None:
        return
    declare_component(BASEMAP_FILES, path=str(BASEMAP_DIR))
    declare_component(OUTLINE_FILES, path=str(OUTLINE_DIR))


def file_url(folder: str, name: str) -> str:
    """A shipped layer's address, relative to the page (so it also works under a server.baseUrlPath)."""
    return f"component/{__name__}.{folder}/{name}.geojson"


def fit_view(places: pd.DataFrame, *, selected: dict | None = None, position=None) -> dict:
    """The map's opening view for these places (data.views.map_frame decides; see frame_map)."""
    return frame_map(places, selected=selected, position=position).view()


def _characters(texts) -> list[str]:
    """Every character the labels use: deck.gl draws only characters in its font atlas (ASCII by default)."""
    return "".join(sorted(set("".join(texts)) | set(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'().")))


def _view_window(view: dict) -> tuple[float, float, float, float] | None:
    """The box whose basemap labels are worth sending: three times what the opening view shows, or None (all) at
    country scale."""
    if view["zoom"] < WINDOW_FROM_ZOOM:
        return None
    degrees_per_px = 360 / (512 * 2 ** view["zoom"])
    half_lon = 1.5 * MAP_WIDTH_PX * degrees_per_px
    half_lat = 1.5 * MAP_HEIGHT_PX * degrees_per_px * math.cos(math.radians(view["latitude"]))
    return (view["longitude"] - half_lon, view["latitude"] - half_lat, view["longitude"] + half_lon, view["latitude"] + half_lat)


def _is_city_view(view: dict) -> bool:
    """Whether the opening view is close enough to Aleppo for the city's landmark and neighbourhood names."""
    window = _view_window(view)
    if window is None or view["zoom"] < CITY_FROM_ZOOM:
        return False
    lon_min, lat_min, lon_max, lat_max = ALEPPO_BOX
    return window[0] <= lon_max and window[2] >= lon_min and window[1] <= lat_max and window[3] >= lat_min


def _path_layer(layer_id: str, data, colour, width_px, **kwargs) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", data, id=layer_id, stroked=True, filled=False, get_line_color=colour,
                     line_width_min_pixels=width_px, line_cap_rounded=True, line_joint_rounded=True, pickable=False, **kwargs)


def _area_layer(layer_id: str, data, colour, **kwargs) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", data, id=layer_id, stroked=False, filled=True, get_fill_color=colour, pickable=False, **kwargs)


ROAD_COLOURS = ((196, 150, 118), (206, 170, 140), (214, 192, 168))  # motorway, trunk, primary
ROAD_COLOUR = (f"properties.class == 'motorway' ? {list(ROAD_COLOURS[0])} : properties.class == 'trunk' ? {list(ROAD_COLOURS[1])}"
               f" : {list(ROAD_COLOURS[2])}")


EMPTY_LAYER = {"type": "FeatureCollection", "features": []}


def basemap_layers(city: bool = True) -> list[pdk.Layer]:
    """Land, water, built-up areas and lines under the events, in quiet colours, each loaded by the browser from
    its file (the same JSON on every rerun, a few hundred bytes).

    Aleppo's own layers (streets, roads, landuse, built-up area, water: 0.55 MB) are named only when the map opens
    near the city; elsewhere the browser would fetch and tessellate them to draw nothing visible. City streets and
    roads are sized in metres: they thin out to nothing as the map zooms out, instead of turning the city into a
    grey blot; country roads inside the city are left to the city's own, finer ones.
    """
    base, outline = (lambda name: file_url("basemap", name)), (lambda name: file_url("outlines", name))
    if not city:
        base = lambda name: EMPTY_LAYER if name.startswith("aleppo_") else file_url("basemap", name)  # noqa: E731
    return [
        pdk.Layer("GeoJsonLayer", outline("countries"), id="countries", stroked=True, filled=True,
                  get_fill_color=f"properties.name == 'Syria' ? {list(LAND)} : {list(LAND_ABROAD)}",
                  get_line_color=[120, 120, 120], line_width_min_pixels=1.2),
        _area_layer("basemap-builtup", base("builtup"), BUILTUP),
        _area_layer("city-landuse", base("aleppo_landuse"),
                    "properties.class == 'military' ? [224, 214, 230] : properties.class == 'cemetery' ? [214, 228, 212] : [230, 226, 220]"),
        _area_layer("city-builtup", base("aleppo_builtup"), BUILTUP),
        _area_layer("basemap-water", base("water"), WATER),
        pdk.Layer("GeoJsonLayer", outline("governorates"), id="governorates", stroked=True, filled=False,
                  get_line_color=[170, 170, 170], line_width_min_pixels=0.8),
        pdk.Layer("GeoJsonLayer", outline("neighbourhoods"), id="neighbourhoods", stroked=True, filled=False,
                  get_line_color=[200, 196, 190], line_width_min_pixels=0.4),
        _path_layer("basemap-rivers", base("rivers"), RIVER, 1.2),
        _path_layer("city-water", base("aleppo_water"), RIVER, 1.0),
        _path_layer("basemap-railways", base("railways"), [168, 160, 160], 0.7),
        _path_layer("city-streets", base("aleppo_streets"), [222, 216, 208], 0, get_line_width=7, line_width_units="'meters'"),
        _path_layer("city-roads", base("aleppo_roads"), [208, 200, 190], 0, get_line_width="properties.class == 'secondary' ? 16 : 11",
                    line_width_units="'meters'"),
        _path_layer("basemap-roads", base("roads_outside_aleppo"), ROAD_COLOUR, 0,
                    get_line_width="properties.class == 'primary' ? 1 : properties.class == 'trunk' ? 1.5 : 2", line_width_units="'pixels'"),
        _path_layer("city-major-roads", base("aleppo_major_roads"), ROAD_COLOUR, 1,
                    get_line_width="properties.class == 'primary' ? 22 : 30", line_width_units="'meters'", line_width_max_pixels=4),
    ]


def _choropleth(hoods: pd.DataFrame | None, palette: dict) -> pdk.Layer:
    """City neighbourhoods holding filtered events, filled in their leading side's colour, stronger with more events."""
    features = []
    if hoods is not None and len(hoods):
        shapes = neighbourhood_features()
        busiest = max(int(hoods["n_events"].max()), 1)
        for row in hoods.itertuples(index=False):
            colour = palette.get(row.side, SIDE_COLOURS["unknown"])
            alpha = int(45 + 95 * math.sqrt(int(row.n_events) / busiest))
            features.append({"type": "Feature", "geometry": shapes[int(row.feature)]["geometry"],
                             "properties": {"fill": [*colour, alpha], "line": [*colour, 200], "place_id": getattr(row, "place_id", ""),
                                            "tooltip": f"{row.name} ({row.city} neighbourhood, OCHA {row.pcode})\n"
                                                       f"{int(row.n_events)} events at places in it"}})
    return pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=CHOROPLETH_LAYER,
                     stroked=True, filled=True, get_fill_color="properties.fill", get_line_color="properties.line",
                     line_width_min_pixels=1, pickable=True)


def _neighbourhood_labels(city: bool, view: dict, taken: list, hoods: pd.DataFrame | None = None) -> pdk.Layer:
    """Neighbourhood names in a city view: those holding filtered events first and darker, the rest faint; they
    avoid each other and give way to every other label."""
    busy = set(hoods["pcode"]) if hoods is not None and len(hoods) else set()
    candidates = [] if not city else sorted((
        {"name": f["properties"]["name"], "lat": f["properties"]["label_lat"], "lon": f["properties"]["label_lon"],
         "size": 12 if f["properties"]["pcode"] in busy else 10.5, "offset": [0, 0],
         "colour": [90, 84, 78, 255] if f["properties"]["pcode"] in busy else [150, 144, 138, 255],
         "priority": 2 if f["properties"]["pcode"] in busy else 1}
        for f in load_outline("neighbourhoods")["features"]), key=lambda label: -label["priority"])
    labels = [label for label in candidates if not any(_overlaps(_screen_box(label, view), box) for box in taken)]
    layer = pdk.Layer("TextLayer", labels, id="neighbourhood-labels", get_position=["lon", "lat"], get_text="name",
                      get_size="size", get_color="colour", font_weight=400, font_settings=FONT_SETTINGS,
                      outline_width=OUTLINE_WIDTH, outline_color=[250, 249, 246, 200], get_collision_priority="priority",
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


def _broad_areas(places: pd.DataFrame, palette: dict, key: str, selected_place: str | None) -> list[dict]:
    """The outline of each broad place's area (the country or governorate it stands for), in its side's colour;
    the map draws these instead of a point in the middle of the area, which would read as an event there."""
    out = []
    for row in places.itertuples(index=False):
        shape = outline_feature(row.kind, row.name) if row.kind in BROAD_KINDS else None
        if shape:
            colour = palette.get(getattr(row, key), SIDE_COLOURS["unknown"])
            selected = row.place_id == selected_place
            out.append({"type": "Feature", "geometry": shape["geometry"],
                        "properties": {"line": [*colour, 230 if selected else 150], "width": 3 if selected else 1.5}})
    return out


def _sides(text: str, radius_px: float, size: float) -> list[list[float]]:
    """Pixel offsets that put a label above, right of, left of or below its mark (the layer centres the text)."""
    half_w, gap = 0.29 * size * len(text) + 2, radius_px + 4
    return [[0, -gap - 6], [gap + half_w, 0], [-gap - half_w, 0], [0, gap + 6]]


def mark_radius_px(n_events: int, busiest: int, n_places: int) -> float:
    """A place mark's radius: its area grows with its share of the busiest place's events, and the largest mark
    shrinks as places multiply, so that a thousand places do not cover the map (nor each other) entirely."""
    largest = 18 if n_places <= 40 else 14 if n_places <= 300 else 10
    return round(4 + (largest - 4) * math.sqrt(max(n_events, 0) / max(busiest, 1)), 1)


def _ring_alpha(precision_m: float) -> int:
    """Rings fade as they grow: a 300 m radius is a claim about a street, a 10 km one only says 'somewhere around here'."""
    return int(max(22, min(170, 170 - 95 * math.log10(max(precision_m, 300) / 300))))


def _place_layers(places: pd.DataFrame, selected_place: str | None) -> tuple[list[pdk.Layer], list[dict]]:
    """Uncertainty rings, broad places' areas and clickable marks, plus the places' label records.

    pydeck serialises each layer's data separately, so one shared record per place would be sent three
    times; broad places (a governorate, the country) get their area's outline, no ring, mark or label: the page
    lists them beside the map with their counts.
    """
    rings, marks, labels = [], [], []
    key, palette = colour_keys(places)
    points = places[~places["kind"].isin(BROAD_KINDS)]
    busiest = int(points["n_events"].max()) if len(points) else 1
    for rank, row in enumerate(points.itertuples(index=False)):
        colour = palette.get(getattr(row, key), SIDE_COLOURS["unknown"])
        selected = row.place_id == selected_place
        radius_px = mark_radius_px(int(row.n_events), busiest, len(points))
        mark = {"lon": round(float(row.mark_lon), 5), "lat": round(float(row.mark_lat), 5)}
        rings.append({"lon": round(float(row.lon), 5), "lat": round(float(row.lat), 5), "precision_m": float(row.precision_m),
                      "fill": [*colour, 22 if selected else 0], "ring": [*colour, 220 if selected else _ring_alpha(row.precision_m)],
                      "width": 2 if selected else 1})
        marks.append({"place_id": row.place_id, "name": row.name, **mark, "n_events": int(row.n_events),
                      "radius_px": radius_px, "colour": [*colour, 235],
                      "outline": [20, 20, 20, 255] if selected else [*(int(c * 0.85) for c in colour), 255], "outline_px": 3 if selected else 1,
                      "tooltip": row.tooltip})
        if rank < MAX_LABELS or selected:
            text = _short_label(row.name)
            size = 15 if selected or rank < 5 else 14
            labels.append({"name": text, **mark, "priority": 1000 if selected else max(600, 990 - rank), "size": size,
                           "colour": [20, 20, 20, 255], "offset": [0, -radius_px - 10], "sides": _sides(text, radius_px, size)})
    layers = [
        pdk.Layer("ScatterplotLayer", rings, id="uncertainty", get_position=["lon", "lat"], get_radius="precision_m",
                  radius_units="'meters'", get_fill_color="fill", get_line_color="ring", get_line_width="width",
                  line_width_units="'pixels'", stroked=True, filled=True, pickable=False),
        pdk.Layer("GeoJsonLayer", _broad_areas(places, palette, key, selected_place), id="broad-areas", stroked=True, filled=False,
                  get_line_color="properties.line", get_line_width="properties.width", line_width_units="'pixels'", pickable=False),
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
    x, y = mercator_px(label["lat"], label["lon"], view["zoom"])
    x, y = x + label["offset"][0], y + label["offset"][1]
    half_w, half_h = 0.29 * label["size"] * len(label["name"]) + 2, 0.62 * label["size"] + 1
    return x - half_w, y - half_h, x + half_w, y + half_h


def cut_labels(labels: list[dict], view: dict, obstacles: list[tuple[float, float, float, float]] = ()) -> list[dict]:
    """The labels that fit at the initial view, highest priority first: a label overlapping a kept one or an
    obstacle (a mark) is tried on the other sides of its point (label["sides"], offsets in pixels), then dropped.

    Deck.gl's collision filter tests a label at its anchor, which a label beside its mark does not cover, so the
    places' own labels are placed here instead.
    """
    kept, boxes = [], list(obstacles)
    cx, cy = mercator_px(view["latitude"], view["longitude"], view["zoom"])
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
    points = places[~places["kind"].isin(BROAD_KINDS)]
    busiest = int(points["n_events"].max()) if len(points) else 1
    for row in points.itertuples(index=False):
        x, y = mercator_px(float(row.mark_lat), float(row.mark_lon), view["zoom"])
        r = mark_radius_px(int(row.n_events), busiest, len(points))
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


CONTROL_LAYER = "control-places"  # the control marks' id when events are drawn too (PLACES_LAYER when they are not)
CONTROL_AREAS_LAYER = "control-areas"  # shaded OCHA neighbourhoods; a click selects the polygon's place_id
CLICKABLE_LAYERS = (PLACES_LAYER, CONTROL_LAYER, CONTROL_AREAS_LAYER, CHOROPLETH_LAYER)  # objects carrying a place to select
CONTROL_DARK, CONTROL_GAP, CONTROL_SELECTED = (60, 60, 60), (255, 255, 255), (20, 20, 20)
CONTROL_MARK_PX = 10
CONTROL_FILLED_EXTENT_M = 2500  # places known to this radius or better show it filled; wider ones only outlined


def _control_style(state: str, colour) -> dict:
    """Fill and outline of a control mark, area or extent by state (deck.gl cannot hatch): held filled; besieged pale
    inside a dark ring; contested unfilled with a double outline (a white line drawn over a wide coloured one);
    unknown a thin grey outline."""
    if state == "held":
        return {"fill": [*colour, 200], "area": [*colour, 110], "extent": [*colour, 45], "line": [*(int(c * 0.8) for c in colour), 230], "width": 1.5}
    if state == "besieged":
        return {"fill": [*colour, 110], "area": [*colour, 55], "extent": [*colour, 28], "line": [*CONTROL_DARK, 235], "width": 4}
    if state == "contested":
        return {"fill": [255, 255, 255, 170], "area": [255, 255, 255, 0], "extent": [255, 255, 255, 0], "line": [*colour, 235], "width": 5}
    return {"fill": [255, 255, 255, 120], "area": [255, 255, 255, 0], "extent": [255, 255, 255, 0], "line": [150, 150, 150, 200], "width": 1.2}


def control_layers(control, selected_place: str | None = None) -> list[pdk.Layer]:
    """The control layer of a data.views.control_view.ControlMap: place extents (their radius in metres, cities
    excepted), OCHA neighbourhood polygons at city scale, and one mark per place, last; contested ones get the inner
    white line that makes their outline double, the selected place a dark ring around its mark. A click on a mark selects its place, on a polygon the place it stands
    for (control_view.polygon_place); the marks take the event marks' id (PLACES_LAYER) when events are not drawn."""
    extents, marks, gaps = [], [], []
    rows = sorted(control.places.itertuples(index=False), key=lambda r: r.kind != "city")  # a city's ring under its districts
    for row in rows:
        colour = SIDE_COLOURS.get(row.camp, SIDE_COLOURS["unknown"]) if row.camp else (130, 130, 130)
        style = _control_style(row.state, colour)
        selected = row.place_id == selected_place
        where = {"lon": round(float(row.lon), 5), "lat": round(float(row.lat), 5)}
        radius = CONTROL_MARK_PX + (3 if selected else 0) + (4 if not control.only else 0) + (6 if row.kind == "city" else 0)
        if row.kind == "city":  # a wider, lighter ring: the districts' own marks stay readable inside it
            style = style | {"fill": style["fill"][:3] + [min(style["fill"][3], 60)]}
        if row.kind != "city":  # a wide radius is an uncertainty, not an extent: outlined only, never filled
            wide = float(row.precision_m) > CONTROL_FILLED_EXTENT_M
            extents.append({**where, "precision_m": float(row.precision_m), "fill": [0, 0, 0, 0] if wide else style["extent"],
                            "line": style["line"][:3] + [110 if wide else 150], "width": 1.5 if wide else min(style["width"], 3)})
        marks.append({"place_id": row.place_id, "name": row.name, **where, "radius_px": radius, "fill": style["fill"],
                      "line": [20, 20, 20, 255] if selected and row.state == "held" else style["line"],
                      "width": style["width"] + (1 if selected else 0), "state": row.state, "camp": row.camp, "tooltip": row.tooltip})
        if row.state == "contested":
            gaps.append({**where, "radius_px": radius, "precision_m": float(row.precision_m), "extent": row.kind != "city",
                         "line": [*CONTROL_GAP, 255], "width": 1.5})
        if selected:  # a dark ring just outside the mark: a contested or unknown mark's own outline cannot say "selected"
            gaps.append({**where, "radius_px": radius + 5, "precision_m": 0.0, "extent": False, "line": [*CONTROL_SELECTED, 255], "width": 3})
    features, gap_features = [], []
    shapes = neighbourhood_features() if len(control.neighbourhoods) else []
    for row in control.neighbourhoods.itertuples(index=False):
        colour = SIDE_COLOURS.get(row.camp, SIDE_COLOURS["unknown"]) if row.camp else (130, 130, 130)
        style = _control_style(row.state, colour)
        geometry = shapes[int(row.feature)]["geometry"]
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"fill": style["area"], "line": style["line"], "width": style["width"], "state": row.state,
                                        "place_id": row.place_id, "tooltip": row.tooltip}})
        if row.state == "contested":
            gap_features.append({"type": "Feature", "geometry": geometry, "properties": {}})
    marks_id = PLACES_LAYER if control.only else CONTROL_LAYER
    return [
        pdk.Layer("ScatterplotLayer", extents, id="control-extents", get_position=["lon", "lat"], get_radius="precision_m",
                  radius_units="'meters'", get_fill_color="fill", get_line_color="line", get_line_width="width",
                  line_width_units="'pixels'", stroked=True, filled=True, pickable=False),
        pdk.Layer("ScatterplotLayer", [g for g in gaps if g["extent"]], id="control-extent-gaps", get_position=["lon", "lat"],
                  get_radius="precision_m", radius_units="'meters'", get_line_color=[*CONTROL_GAP, 255], get_line_width=1.2,
                  line_width_units="'pixels'", stroked=True, filled=False, pickable=False),
        pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=CONTROL_AREAS_LAYER, stroked=True,
                  filled=True, get_fill_color="properties.fill", get_line_color="properties.line",
                  get_line_width="properties.width", line_width_units="'pixels'", pickable=True),
        pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": gap_features}, id="control-area-gaps", stroked=True,
                  filled=False, get_line_color=[*CONTROL_GAP, 255], get_line_width=1.5, line_width_units="'pixels'", pickable=False),
        pdk.Layer("ScatterplotLayer", marks, id=marks_id, get_position=["lon", "lat"], get_radius="radius_px",
                  radius_units="'pixels'", get_fill_color="fill", get_line_color="line", get_line_width="width",
                  line_width_units="'pixels'", stroked=True, filled=True, pickable=True, auto_highlight=True),
        pdk.Layer("ScatterplotLayer", gaps, id="control-mark-gaps", get_position=["lon", "lat"], get_radius="radius_px",
                  radius_units="'pixels'", get_line_color="line", get_line_width="width", line_width_units="'pixels'",
                  stroked=True, filled=False, pickable=False),
    ]


def control_legend_items() -> list[tuple[str, dict]]:
    """Each control state with the style its mark takes in a neutral camp colour (for the legend's swatches)."""
    grey = (110, 110, 110)
    return [(state, _control_style(state, grey)) for state in ("held", "besieged", "contested", "unknown")]


def build_deck(places: pd.DataFrame, *, selected_place: str | None = None, frame: MapFrame | None = None,
               neighbourhoods: pd.DataFrame | None = None, basemap: str | None = None, control=None) -> pdk.Deck:
    """The shipped basemap, city neighbourhoods shaded by their events, each place's uncertainty ring, and one
    clickable mark per place sized by its events, opening on `frame` (data.views.map_frame; fitted when None).

    Rows of kind "grid cell" (data.views.map_view, when too many places hold events) are drawn as one disc per
    cell in their own layer; clicking one selects no place. Marks are drawn last, over every label.
    `control` (data.views.control_view.ControlMap) adds who held what on its day: instead of the event marks
    (`places` are then its places, for the frame and labels) or under them.
    """
    serve_map_files()
    is_cell = places["kind"].eq(GRID_KIND).to_numpy() if len(places) else np.zeros(0, dtype=bool)
    view = (frame or frame_map(places)).view()
    window, city = _view_window(view), _is_city_view(view)
    basemap = os.environ.get(BASEMAP_ENV, "") if basemap is None else basemap
    online = basemap == "carto"
    layers = basemap_layers(city)
    if online:  # Carto draws land, water, roads and towns itself: keep only what it lacks
        layers = [layer for layer in layers if layer.id in ONLINE_KEPT]
    key, palette = colour_keys(places[~is_cell])
    layers.append(_choropleth(neighbourhoods if key == "side" else None, palette))
    place_layers, place_labels = _place_layers(places[~is_cell], selected_place)
    basemap_labels = [] if online else _basemap_labels(city, window, places[~is_cell])
    if is_cell.any():
        layers.append(_grid_layer(places[is_cell]))
    if control is not None:
        shown = control_layers(control, selected_place)
        place_layers = shown if control.only else shown[:-2] + place_layers[:-1] + shown[-2:] + place_layers[-1:]
    label_layers, taken = _label_layers(place_labels, basemap_labels, places[~is_cell], view)
    layers += [_neighbourhood_labels(city, view, taken, neighbourhoods)] + place_layers[:-1] + label_layers + [place_layers[-1]]
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
