"""The map as data: Deck JSON with stable layer ids, plain-text tooltips, ISO dates, and sane views for 0, 1, many places."""

from __future__ import annotations

import json
import re

import pytest

from data.views.filters import filter_dataset
from data.views.map_view import places_for_map
from data.views.view import ViewState
from pages.ui.deck import SYRIA_VIEW, build_deck, fit_view


def _spec(ds, view=ViewState(), **kwargs):
    return json.loads(build_deck(places_for_map(filter_dataset(ds, view)), **kwargs).to_json())


def test_layer_ids_are_stable_and_json_is_compact(seed):
    deck = build_deck(places_for_map(filter_dataset(seed, ViewState())))
    text = deck.to_json()
    assert "\n" not in text  # compact: pydeck's indentation made payloads about five times larger
    assert text == build_deck(places_for_map(filter_dataset(seed, ViewState()))).to_json()
    assert [layer["id"] for layer in json.loads(text)["layers"]][-4:] == ["uncertainty", "places", "place-labels", "site-labels"]


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
