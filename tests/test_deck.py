"""The map as data: Deck JSON with stable layer ids, plain-text tooltips, ISO dates, and sane views for 0, 1, many places."""

from __future__ import annotations

import json
import re

import pytest

from data.views.filters import filter_dataset
from data.views.map_view import places_for_map
from data.views.view import ViewState
from data.views.city import neighbourhood_counts, neighbourhood_features
from geo.containment import locate_points
from data.views.derived import derived
from geo.basemap import BASEMAP_DIR, load_layer
from geo.outlines import OUTLINE_DIR
from pages.ui.deck import BASEMAP_CREDIT, SYRIA_VIEW, basemap_layers, build_deck, cut_labels, fit_view

LAYER_IDS = [
    "countries", "basemap-builtup", "city-landuse", "city-builtup", "basemap-water", "governorates", "neighbourhoods",
    "basemap-rivers", "city-water", "basemap-railways", "city-streets", "city-roads", "basemap-roads", "city-major-roads",
    "city-choropleth", "neighbourhood-labels", "uncertainty", "broad-areas", "basemap-labels", "place-labels", "places",
]


def _spec(ds, view=ViewState(), **kwargs):
    return json.loads(build_deck(places_for_map(filter_dataset(ds, view)), **kwargs).to_json())


def test_layer_ids_are_stable_and_json_is_compact(seed):
    deck = build_deck(places_for_map(filter_dataset(seed, ViewState())))
    text = deck.to_json()
    assert "\n" not in text  # compact: pydeck's indentation made payloads about five times larger
    assert text == build_deck(places_for_map(filter_dataset(seed, ViewState()))).to_json()
    assert [layer["id"] for layer in json.loads(text)["layers"]] == LAYER_IDS  # marks last: over every label, clickable
    city = _spec(seed, ViewState(places=("aleppo",)))
    assert [layer["id"] for layer in city["layers"]] == LAYER_IDS  # the same ids at city scale, only the data differs


def test_tooltips_are_plain_text_with_iso_dates(seed):
    places = next(layer for layer in _spec(seed)["layers"] if layer["id"] == "places")["data"]
    tooltips = [p["tooltip"] for p in places]
    assert all(re.search(r"\b\d{4}-\d{2}-\d{2}\b", t) for t in tooltips)
    assert "{}" not in json.dumps(places)  # pandas Timestamps would serialise as {}


def test_hostile_names_stay_data_not_expressions(tiny_copy):
    from data.model.dataset import load_dataset

    text = (tiny_copy / "places.csv").read_text().replace("Hilltown,Hill Town", '"<img src=x onerror=alert(1)>",Hill Town')
    (tiny_copy / "places.csv").write_text(text)
    spec = _spec(load_dataset(tiny_copy))
    marks = next(layer for layer in spec["layers"] if layer["id"] == "places")
    assert any(p["name"] == "<img src=x onerror=alert(1)>" for p in marks["data"])
    accessors = [v for layer in spec["layers"] for k, v in layer.items() if isinstance(v, str) and v.startswith("@@=")]
    assert all("onerror" not in a for a in accessors)


def test_units_are_constants_not_expressions(seed):
    for layer in _spec(seed)["layers"]:
        for key in ("radiusUnits", "sizeUnits", "lineWidthUnits"):
            if key in layer:
                assert layer[key] in ("meters", "pixels"), (layer["id"], key, layer[key])


def test_view_for_zero_one_and_many_places(seed):
    assert fit_view(places_for_map(filter_dataset(seed, ViewState(text="no such words anywhere")))) == SYRIA_VIEW
    one = places_for_map(filter_dataset(seed, ViewState(selected_place="nubl")))
    view = fit_view(one)
    assert len(one) == 1 and 9 <= view["zoom"] <= 14
    assert view["latitude"] == pytest.approx(one.lat.iloc[0], abs=0.01)
    many = fit_view(places_for_map(filter_dataset(seed, ViewState(places=("aleppo",)))))
    assert 9 <= many["zoom"] <= 13


def test_no_basemap_request_unless_asked(seed, monkeypatch):
    monkeypatch.delenv("ATLAS_BASEMAP", raising=False)
    assert _spec(seed).get("mapStyle") in (None, "__MAP_STYLE__") and "mapProvider" not in _spec(seed)
    online = _spec(seed, basemap="carto")
    assert online["mapProvider"] == "carto" and "countries" not in [layer["id"] for layer in online["layers"]]


def _layer(spec, layer_id):
    return next(layer for layer in spec["layers"] if layer["id"] == layer_id)


@pytest.mark.parametrize("view, name", [(ViewState(), "country"), (ViewState(places=("aleppo",)), "aleppo"),
                                        (ViewState(date_from=__import__("datetime").date(2016, 8, 1),
                                                   date_to=__import__("datetime").date(2016, 8, 31)), "august-2016")])
def test_payload_bytes_per_rerun(seed, view, name):
    text = build_deck(places_for_map(filter_dataset(seed, view))).to_json()
    print(f"deck JSON per rerun, {name}: {len(text.encode()):,} bytes")  # printed, not asserted: see the report
    assert "@@=@@=" not in text


def test_basemap_layers_are_files_the_browser_fetches_once(seed):
    """Every basemap layer names a shipped file by a page-relative URL; the chart JSON carries no basemap geometry."""
    folders = {"basemap": BASEMAP_DIR, "outlines": OUTLINE_DIR}
    for layer in basemap_layers(city=True):
        url = layer.data
        assert isinstance(url, str) and url.startswith("component/pages.ui.deck.") and not url.startswith("/"), layer.id
        folder, name = url.split("/")[1].rsplit(".", 1)[1], url.split("/")[2]
        assert (folders[folder] / name).is_file(), url
    country, city = _spec(seed, ViewState(selected_place="syria")), _spec(seed, ViewState(places=("aleppo",)))
    assert all(isinstance(layer["data"], str) for layer in city["layers"][:14])
    # away from Aleppo its street-level layers are not fetched at all (nothing of them would be visible)
    assert {layer["id"] for layer in country["layers"][:14] if not isinstance(layer["data"], str)} == {
        "city-landuse", "city-builtup", "city-water", "city-streets", "city-roads", "city-major-roads"}


def test_landmark_names_only_in_a_city_view(seed):
    country, city = _spec(seed), _spec(seed, ViewState(places=("aleppo",)))
    landmarks = {f["properties"]["name"] for f in load_layer("aleppo_landmarks")["features"]}
    assert landmarks & {label["name"] for label in _layer(city, "basemap-labels")["data"]}  # those not under a mark or label
    assert not landmarks & {label["name"] for label in _layer(country, "basemap-labels")["data"]}


def test_city_neighbourhoods_are_shaded_by_their_events_and_named(seed):
    selection = filter_dataset(seed, ViewState(places=("aleppo",)))
    places = places_for_map(selection)
    hoods = neighbourhood_counts(seed, selection.event_mask, derived(seed).place_neighbourhoods)
    spec = json.loads(build_deck(places, neighbourhoods=hoods).to_json())
    shaded = _layer(spec, "city-choropleth")["data"]["features"]
    assert len(shaded) == len(hoods) >= 3
    assert {f["properties"]["tooltip"].split(" (")[0] for f in shaded} == set(hoods["name"])
    alphas = sorted(f["properties"]["fill"][3] for f in shaded)
    assert alphas[0] < alphas[-1]  # more events, stronger fill
    # every shaded neighbourhood is named: by its own label, or by the label of a place inside it (which took its spot)
    names = {label["name"] for label in _layer(spec, "neighbourhood-labels")["data"]}
    place_labels = _layer(spec, "place-labels")["data"]
    holding = locate_points(neighbourhood_features(), [label["lat"] for label in place_labels], [label["lon"] for label in place_labels])
    unnamed = [row.name for row in hoods.itertuples() if row.name not in names and row.feature not in set(holding.tolist())]
    assert not unnamed
    # a click on a shaded neighbourhood selects a place in it, as a click on its mark would
    from pages.ui.clicks import clicked_place

    chosen = [clicked_place({"selection": {"objects": {"city-choropleth": [feature]}}}) for feature in shaded]
    assert chosen == list(hoods["place_id"]) and "aleppo-ramouseh" in chosen


def test_credits_name_every_source():
    for source in ("OpenStreetMap contributors", "Natural Earth", "GeoNames", "OCHA"):
        assert source in BASEMAP_CREDIT


def test_labels_are_english_sans_serif_with_a_halo_and_never_arabic(seed):
    spec = _spec(seed, ViewState(places=("aleppo",)))
    for layer_id in ("place-labels", "basemap-labels", "neighbourhood-labels"):
        layer = _layer(spec, layer_id)
        assert "sans-serif" in layer["fontFamily"] and "monospace" not in layer["fontFamily"]
        assert layer["fontSettings"]["sdf"] is True and layer["outlineWidth"] > 0
        assert not any("\u0600" <= ch <= "\u06ff" for label in layer["data"] for ch in label["name"])


def test_basemap_labels_use_the_collision_filter_and_place_labels_the_priority_cut(seed):
    spec = _spec(seed)
    basemap = _layer(spec, "basemap-labels")
    assert basemap["extensions"] == [{"@@type": "CollisionFilterExtension"}]
    assert basemap["getCollisionPriority"] == "@@=priority" and basemap["collisionGroup"] == "basemap-labels"
    labels = _layer(spec, "place-labels")["data"]
    assert [label["priority"] for label in labels] == sorted((label["priority"] for label in labels), reverse=True)
    assert labels and not any("(" in label["name"] for label in labels)  # the parenthesised gloss is left to the tooltip
    city = [label["name"] for label in _layer(_spec(seed, ViewState(places=("aleppo",))), "place-labels")["data"]]
    assert city[0] == "East Aleppo"  # the busiest place first
    assert "Aleppo" not in [label["name"] for label in basemap["data"]]  # a town with events is labelled once, as the place


def test_priority_cut_keeps_the_higher_label_and_tries_other_sides():
    view = {"latitude": 36.0, "longitude": 37.0, "zoom": 8}
    high = {"name": "High", "lon": 37.0, "lat": 36.0, "size": 14, "offset": [0, 0], "priority": 10}
    low = {"name": "Low", "lon": 37.0, "lat": 36.0, "size": 14, "offset": [0, 0], "priority": 1}
    assert [label["name"] for label in cut_labels([low, high], view)] == ["High"]
    moved = dict(low, sides=[[0, 0], [60, 0]])
    kept = cut_labels([moved, high], view)
    assert [label["name"] for label in kept] == ["High", "Low"] and kept[1]["offset"] == [60, 0] and "sides" not in kept[1]


def test_broad_places_get_their_area_not_a_point(seed):
    spec = _spec(seed)
    assert len(_layer(spec, "broad-areas")["data"]) == 2  # Syria and Aleppo governorate
    marked = {mark["place_id"] for mark in _layer(spec, "places")["data"]}
    labelled = {label["name"] for label in _layer(spec, "place-labels")["data"]}
    assert not marked & {"syria", "aleppo-governorate"} and not labelled & {"Syria", "Aleppo governorate"}
    rings = _layer(spec, "uncertainty")["data"]
    assert all(ring["precision_m"] < 100_000 for ring in rings)
    assert all(ring["fill"][3] == 0 for ring in rings)  # outline-only unless selected


@pytest.mark.parametrize("view, name", [(ViewState(), "country"), (ViewState(places=("aleppo",)), "aleppo")])
def test_chart_json_is_small_without_the_basemap(seed, view, name):
    text = build_deck(places_for_map(filter_dataset(seed, view))).to_json()
    assert len(text.encode()) < 120_000, f"{name}: {len(text):,} bytes; the basemap must travel as files, not in the chart"


@pytest.mark.parametrize("shows", ["control", "both"])
def test_every_pickable_control_object_names_the_place_a_click_selects(seed, shows):
    """A click reports the picked object of the topmost pickable layer: each must carry a place (or be a grid cell),
    and clicked_place must read it from marks (a record) and shaded neighbourhoods (a GeoJSON feature) alike."""
    from data.model.dataset import SEED_DIR
    from data.views.control_view import control_claims_for, control_for, control_map
    from pages.ui.clicks import clicked_place
    from pages.ui.deck import CLICKABLE_LAYERS, CONTROL_AREAS_LAYER

    claims, _ = control_claims_for(seed, ("seed",), seed_folder=SEED_DIR, store_path="/nonexistent/atlas.duckdb")
    view = ViewState(map_shows=shows, control_day=__import__("datetime").date(2016, 8, 20))
    control = control_map(seed, control_for(seed, claims), view, place_hoods=derived(seed).place_neighbourhoods,
                          features=neighbourhood_features())
    places = control.places if control.only else places_for_map(filter_dataset(seed, view))
    spec = json.loads(build_deck(places, control=control).to_json())
    pickable = {layer["id"]: layer["data"] for layer in spec["layers"] if layer.get("pickable")}
    assert set(pickable) - {"city-choropleth"} == set(CLICKABLE_LAYERS) - {"city-choropleth"} - ({"control-places"} if shows == "control" else set())
    known = set(seed.places["place_id"])
    for layer_id, data in pickable.items():
        objects = data["features"] if isinstance(data, dict) else data
        for index, picked in enumerate(objects):
            selected = clicked_place({"selection": {"indices": {layer_id: [index]}, "objects": {layer_id: [picked]}}})
            assert selected in known, (layer_id, picked)
    ramouseh = next(f for f in pickable[CONTROL_AREAS_LAYER]["features"] if "N0226" in f["properties"]["tooltip"])
    assert clicked_place({"selection": {"objects": {CONTROL_AREAS_LAYER: [ramouseh]}}}) == "aleppo-ramouseh"
    assert clicked_place({"selection": {"objects": {"grid-cells": [{"name": "12 places"}]}}}) is None


def test_the_selected_control_place_wears_a_dark_ring_whatever_its_state(seed):
    """A contested mark's outline is its camp's colour and an unknown one's grey: the selection needs a ring of its own."""
    from data.model.dataset import SEED_DIR
    from data.views.control_view import control_claims_for, control_for, control_map
    from pages.ui.deck import CONTROL_SELECTED

    claims, _ = control_claims_for(seed, ("seed",), seed_folder=SEED_DIR, store_path="/nonexistent/atlas.duckdb")
    view = ViewState(map_shows="control", control_day=__import__("datetime").date(2016, 8, 20))
    control = control_map(seed, control_for(seed, claims), view, place_hoods=derived(seed).place_neighbourhoods,
                          features=neighbourhood_features())
    ramouseh = control.places.set_index("place_id").loc["aleppo-ramouseh"]
    assert ramouseh["state"] == "contested"

    def rings(selected):
        spec = json.loads(build_deck(control.places, control=control, selected_place=selected).to_json())
        return [g for g in _layer(spec, "control-mark-gaps")["data"] if g["line"][:3] == list(CONTROL_SELECTED)]

    assert rings(None) == []
    (ring,) = rings("aleppo-ramouseh")
    assert (ring["lat"], ring["lon"]) == (round(ramouseh["lat"], 5), round(ramouseh["lon"], 5))
