"""The map as data: a pydeck Deck built from the places view model, readable with no tiles."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from data.views.map_view import GRID_KIND
from data.views.palette import SIDE_COLOURS
from geo.outlines import load_outline

PLACES_LAYER = "places"
GRID_LAYER = "grid-cells"
MAX_LABELS = 150  # the busiest places get a label; more would pile up and only add bytes
SYRIA_VIEW = {"latitude": 35.0, "longitude": 38.5, "zoom": 5.6}
MAP_WIDTH_PX, MAP_HEIGHT_PX = 640, 480
MAX_FIT_PAD_M = 20_000  # a country-wide radius should not zoom the map out to a continent
BROAD_KINDS = ("country", "governorate")
SITE_KINDS = ("neighbourhood", "area", "camp", "facility", "base", "crossing", "road", "village")  # their radius is a region, drawn as its outline, not as a disc
TOOLTIP = {"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "fontSize": "12px", "maxWidth": "420px"}}
# A token-free vector basemap (Carto) drawn under the outlines when the operator turns it on with
# ATLAS_BASEMAP=carto; the default draws outlines only and makes no request.
BASEMAP_ENV = "ATLAS_BASEMAP"


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck pretty-prints, which makes every rerun's payload about 5x larger."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


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
    zoom = min(math.log2(MAP_WIDTH_PX * 360 / (256 * lon_span)), math.log2(MAP_HEIGHT_PX * 180 / (256 * lat_span)))
    return {"latitude": (south + north) / 2, "longitude": (west + east) / 2, "zoom": round(max(3.0, min(zoom - 0.4, 14.0)), 2)}


def _characters(texts) -> list[str]:
    """Every character the labels use: deck.gl draws only characters in its font atlas (ASCII by default)."""
    return "".join(sorted(set("".join(texts)) | set(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'().")))


def _outline_layers() -> list[pdk.Layer]:
    neighbourhoods = load_outline("neighbourhoods")
    labels = [
        {"name": f["properties"]["name"], "lat": f["properties"]["label_lat"], "lon": f["properties"]["label_lon"]}
        for f in neighbourhoods["features"]
    ]
    return [
        pdk.Layer("GeoJsonLayer", load_outline("countries"), id="countries", stroked=True, filled=True,
                  get_fill_color=[246, 244, 238], get_line_color=[150, 150, 150], line_width_min_pixels=1),
        pdk.Layer("GeoJsonLayer", load_outline("governorates"), id="governorates", stroked=True, filled=False,
                  get_line_color=[185, 185, 185], line_width_min_pixels=0.6),
        pdk.Layer("GeoJsonLayer", neighbourhoods, id="neighbourhoods", stroked=True, filled=False,
                  get_line_color=[205, 205, 205], line_width_min_pixels=0.4),
        pdk.Layer("TextLayer", labels, id="neighbourhood-labels", get_position=["lon", "lat"], get_text="name",
                  get_size=110, size_units="'meters'", size_max_pixels=11, get_color=[130, 130, 130]),
    ]


# Okabe-Ito colours for datasets, in the order of their ids (the seed first when shown).
DATASET_PALETTE = ((0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233), (0, 0, 0))


def colour_keys(places: pd.DataFrame) -> tuple[str, dict[str, tuple[int, int, int]]]:
    """Which column colours the marks ('side', or 'dataset' when the view asks and places carry it) and its palette."""
    if "dataset" in places.columns and len(places):
        ids = sorted(set(places["dataset"]), key=lambda d: (d != "seed", d))
        return "dataset", {d: DATASET_PALETTE[i % len(DATASET_PALETTE)] for i, d in enumerate(ids)}
    return "side", SIDE_COLOURS


def _place_layers(places: pd.DataFrame, selected_place: str | None) -> list[pdk.Layer]:
    """Uncertainty discs, clickable marks and labels; each layer gets only the fields it draws.

    pydeck serialises each layer's data separately, so one shared record per place would be sent three
    times; broad places (whose discs are transparent) get no disc, and only the busiest places a label.
    """
    discs, marks, labels, site_labels = [], [], [], []
    key, palette = colour_keys(places)
    for row in places.itertuples(index=False):
        colour = palette.get(getattr(row, key), SIDE_COLOURS["unknown"])
        selected = row.place_id == selected_place
        broad = row.kind in BROAD_KINDS
        if not broad:
            discs.append({"lon": round(float(row.lon), 5), "lat": round(float(row.lat), 5), "precision_m": float(row.precision_m),
                          "halo": [*colour, 10 if row.precision_m >= 3000 else 22], "ring": [*colour, 160]})
        mark = {"lon": round(float(row.mark_lon), 5), "lat": round(float(row.mark_lat), 5)}
        marks.append({"place_id": row.place_id, "name": row.name, **mark, "n_events": int(row.n_events),
                      "radius_px": round(5 + 4 * math.sqrt(int(row.n_events)), 1), "colour": [*colour, 225],
                      "outline": [20, 20, 20, 255] if selected else [255, 255, 255, 255], "outline_px": 3 if selected else 1,
                      "tooltip": row.tooltip})
        if len(labels) + len(site_labels) < MAX_LABELS or selected:
            (site_labels if row.kind in SITE_KINDS else labels).append({"name": row.name, **mark})
    return [
        pdk.Layer("ScatterplotLayer", discs, id="uncertainty", get_position=["lon", "lat"], get_radius="precision_m",
                  radius_units="'meters'", get_fill_color="halo", get_line_color="ring", stroked=True, filled=True,
                  line_width_min_pixels=1, pickable=False),
        pdk.Layer("ScatterplotLayer", marks, id=PLACES_LAYER, get_position=["lon", "lat"],
                  get_radius="radius_px", radius_units="'pixels'", get_fill_color="colour", get_line_color="outline",
                  get_line_width="outline_px", line_width_units="'pixels'", stroked=True, pickable=True, auto_highlight=True),
        pdk.Layer("TextLayer", labels, id="place-labels", get_position=["lon", "lat"], get_text="name", get_size=12,
                  get_color=[40, 40, 40], get_pixel_offset=[0, -18]),
        # Labels of sites inside a city are sized in metres: they appear as the map zooms in, instead of piling up.
        pdk.Layer("TextLayer", site_labels, id="site-labels", get_position=["lon", "lat"], get_text="name", get_size=260,
                  size_units="'meters'", size_max_pixels=13, get_color=[40, 40, 40], get_pixel_offset=[0, -16]),
    ]


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
    """Outlines, each place's uncertainty circle, and one clickable mark per place sized by its events.

    Rows of kind "grid cell" (data.views.map_view, when too many places hold events) are drawn as one disc per
    cell in their own layer; clicking one selects no place.
    """
    is_cell = places["kind"].eq(GRID_KIND).to_numpy() if len(places) else np.zeros(0, dtype=bool)
    layers = _outline_layers()
    if is_cell.any():
        layers.append(_grid_layer(places[is_cell]))
    layers += _place_layers(places[~is_cell], selected_place)
    for layer in layers:
        if layer.type == "TextLayer":
            # Set after construction: pydeck turns string and list keyword arguments into JS expressions.
            layer.character_set = _characters(str(row["name"]) for row in layer.data)
    basemap = os.environ.get(BASEMAP_ENV, "") if basemap is None else basemap
    online = basemap == "carto"
    if online:
        layers = [layer for layer in layers if layer.id != "countries"]
    if online:
        return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**fit_view(places)), map_provider="carto",
                           map_style=pdk.map_styles.CARTO_LIGHT, tooltip=TOOLTIP)
    # No provider and pydeck's default style marker: the frontend draws no basemap and requests nothing
    # (map_style=None would make Streamlit fetch a Carto style, which fails offline).
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**fit_view(places)), map_provider=None, tooltip=TOOLTIP)


def legend_items(places: pd.DataFrame) -> list[tuple[str, tuple[int, int, int]]]:
    """Sides (or datasets) present on the map with their colours, most frequent first."""
    if places.empty:
        return []
    key, palette = colour_keys(places)
    order = places.groupby(key)["n_events"].sum().sort_values(ascending=False).index
    return [(value, palette.get(value, SIDE_COLOURS["unknown"])) for value in order]
