"""AppTest wiring: pages render on the seed data, URLs set widgets and counts, bad URLs warn, views survive page switches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from pages.ui.clicks import MAP_KEY

APP = str(ROOT / "app.py")
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")


def _app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    """Pages never touch the user's real data directory in tests."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "atlas-data"))
    monkeypatch.delenv("ATLAS_SEED_DIR", raising=False)
    monkeypatch.delenv("ATLAS_EDITOR_PASSWORD", raising=False)
    monkeypatch.delenv("ATLAS_VIEWER_PASSWORD", raising=False)


def test_main_view_renders_everything_on_the_seed():
    at = _app()
    assert not at.exception
    assert at.caption[0].value.startswith("36 of 36 events") or " of " in at.caption[0].value
    assert at.get("deck_gl_json_chart") and at.get("vega_lite_chart")
    table = at.dataframe[0].value
    assert {"claimant", "stance", "statement", "outlet", "status"} <= set(table.columns)
    assert not at.warning


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, f"{page}: {at.exception}"


def _count(at) -> int:
    return int(at.caption[0].value.split(" of ")[0].replace(",", ""))


@pytest.mark.parametrize(
    ("query", "widget", "value"),
    [
        ({"status": "contested"}, "status", ["contested"]),
        ({"place": "aleppo"}, "place", ["aleppo"]),
        ({"from": "2016-08-01", "to": "2016-08-31"}, "from", "2016-08-01"),
        ({"q": "siege"}, "q", "siege"),
        ({"type": "Battles"}, "type", ["Battles"]),
        ({"side": "opposition"}, "side", ["opposition"]),
    ],
)
def test_url_sets_widgets_and_counts(query, widget, value):
    at = _app(**query)
    assert not at.exception and not at.warning
    shown = at.text_input(key=widget).value if widget in ("q", "from", "to") else at.multiselect(key=widget).value
    assert shown == value
    everything = _count(_app())
    assert 0 < _count(at) < everything
    assert dict(at.query_params) == {k: v for k, v in query.items()}  # the app keeps the URL canonical


def test_url_filters_combine_like_the_data_layer(seed):
    from data.views.filters import filter_dataset
    from data.views.view import ViewState

    at = _app(status="contested", place="aleppo")
    expected = filter_dataset(seed, ViewState(statuses=("contested",), places=("aleppo",)))
    assert at.caption[0].value.startswith(f"{expected.n_events} of {len(seed.events)} events, {expected.n_claims} claims")
    assert sorted(at.dataframe[0].value["claim_id"]) == sorted(expected.claims["claim_id"])


def test_selected_event_opens_its_detail(seed):
    event_id = seed.events.loc[seed.events["status"] == "contested", "event_id"].iloc[0]
    at = _app(ev=event_id)
    assert not at.exception
    assert any("Selected event" in m.value for m in at.markdown)
    assert len(at.dataframe) == 2  # the event's claims, then the claim table


BAD_QUERIES = [
    {"from": "yesterday"},
    {"from": "2016-13-45"},
    {"from": "2016-09-01", "to": "2016-08-01"},
    {"to": "99999-01-01"},
    {"side": "rebels"},
    {"actor": "no-such-actor"},
    {"actor": "<script>alert(1)</script>"},
    {"place": "atlantis"},
    {"place": "../../etc/passwd"},
    {"at": "javascript:alert(1)"},
    {"ev": "not-an-event"},
    {"type": "Battle"},
    {"sub": "Airstrike"},
    {"status": "maybe"},
    {"outlet": "[click](javascript:alert(1))"},
    {"src": "x" * 5000},
    {"q": "y" * 5000},
    {"q": "nul\x00byte"},
    {"ds": "somebody-elses-dataset"},
    {"zoom": "12"},
    {"**bold**": "1"},
    {"status": ["contested"] * 60},
]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: json.dumps(q)[:40])
def test_bad_url_warns_and_falls_back(query):
    at = _app(**query)
    assert not at.exception
    assert len(at.warning) == 1
    assert "were not understood" in at.warning[0].value
    assert _count(at) == 36 or "ds" in query or _count(at) == _count(_app())


def test_page_links_carry_the_view_and_switching_back_restores_it():
    at = _app(status="contested", place="aleppo")
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert links["Places"] == "place=aleppo&status=contested"
    before = at.caption[0].value
    at.switch_page("pages/places.py").run()
    assert not at.exception
    at.switch_page("pages/atlas.py").run()
    assert at.caption[0].value == before
    assert at.multiselect(key="status").value == ["contested"]


def test_map_click_selects_a_place_and_filters_the_table(seed):
    at = _app()
    at.session_state[MAP_KEY] = {"selection": {"indices": {"places": [0]}, "objects": {"places": [{"place_id": "aleppo-ramouseh-military-academies"}]}}}
    at.run()
    assert not at.exception
    assert at.query_params["at"] == "aleppo-ramouseh-military-academies"
    places = set(at.dataframe[0].value["place"])
    assert places == {seed.place_tree.names["aleppo-ramouseh-military-academies"]}


def _timeline(at) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def _timeline_rows(at) -> list[dict]:
    """The timeline's records (Streamlit sends a spec's inline data as an Arrow table beside it)."""
    import pyarrow as pa

    return pa.ipc.open_stream(at.get("vega_lite_chart")[0].proto.data.data).read_all().to_pylist()


def test_timeline_drag_sets_the_date_filter():
    at = _app()
    drag = {"selection": {"pick": {}, "span": {"mid_ms": [1470009600000, 1470830400000]}}}  # 1 Aug .. 10 Aug 2016, as Vega sends it
    at.session_state["timeline"] = drag
    at.run()
    assert not at.exception
    assert (at.query_params["from"], at.query_params["to"]) == ("2016-08-01", "2016-08-10")
    assert at.text_input(key="from").value == "2016-08-01"
    domain = _timeline(at)["layer"][-1]["encoding"]["x"]["scale"]["domain"]
    assert domain[0] <= 1470009600000 < 1470873600000 <= domain[1] < 1470873600000 + 86400000  # the axis follows the filter


@pytest.mark.parametrize("bounds", [
    ["2016-08-04 12:00", "2016-08-20 06:30:00.5"],  # strings with a time of day
    [-9e15, 9e15],  # far outside the data: clipped to the axis shown
    [1470009600000.75, 1470009600000.75],  # a drag of no width: one day
])
def test_timeline_drag_in_any_form_never_fails(bounds):
    at = _app()
    at.session_state["timeline"] = {"selection": {"pick": {}, "span": {"mid_ms": bounds}}}
    at.run()
    assert not at.exception and not at.warning
    assert "from" in at.query_params and "to" in at.query_params
    assert at.query_params["from"] <= at.query_params["to"]


def test_timeline_click_opens_the_event(seed):
    event_id = seed.events["event_id"].iloc[0]
    at = _app()
    at.session_state["timeline"] = {"selection": {"pick": [{"event_id": event_id}], "span": {}}}
    at.run()
    assert not at.exception
    assert at.query_params["ev"] == event_id
    selected = [row for row in _timeline_rows(at) if row["selected"]]
    assert [row["event_id"] for row in selected] == [event_id]


def test_timeline_axis_is_never_less_than_a_day(seed):
    event = seed.events[seed.events["date_precision"] == "day"].iloc[0]
    at = _app(ev=event["event_id"], **{"from": event["date_start"].strftime("%Y-%m-%d"), "to": event["date_start"].strftime("%Y-%m-%d")})
    low, high = _timeline(at)["layer"][-1]["encoding"]["x"]["scale"]["domain"]
    assert high - low >= 86_400_000


@pytest.mark.parametrize(("typed", "param", "expected"), [
    ("2016-08-06", "from", "2016-08-06"),
    ("2016-08", "from", "2016-08-01"),
    ("2016-08", "to", "2016-08-31"),
    ("2016", "to", "2016-12-31"),
])
def test_typed_dates_apply(typed, param, expected):
    at = _app()
    at.text_input(key=param).set_value(typed).run()
    assert not at.exception and not at.warning
    assert at.query_params[param] == expected


def test_a_typed_date_that_cannot_be_read_is_explained_and_changes_nothing():
    at = _app(**{"from": "2016-08-01"})
    at.text_input(key="from").set_value("6 August").run()
    assert not at.exception
    assert at.query_params["from"] == "2016-08-01"
    assert any("`from` must be a date like 2016-08-06" in w.value.replace("\\", "") for w in at.warning)


def test_map_spec_has_stable_layer_ids_and_plain_tooltips():
    at = _app()
    chart = at.get("deck_gl_json_chart")[0].proto
    spec = json.loads(chart.json)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids == ["countries", "basemap-builtup", "city-landuse", "city-builtup", "basemap-water", "governorates", "neighbourhoods",
                   "basemap-rivers", "city-water", "basemap-railways", "city-streets", "city-roads", "basemap-roads",
                   "city-major-roads", "city-choropleth", "neighbourhood-labels", "uncertainty", "broad-areas", "basemap-labels", "place-labels",
                   "places"]  # basemap under the events; the clickable marks drawn last, over every label
    tooltip = json.loads(chart.tooltip)
    assert tooltip["text"] == "{tooltip}" and "html" not in tooltip
    assert "mapStyle" not in spec or spec["mapStyle"] == "__MAP_STYLE__"  # no basemap request offline
    again = json.loads(_app().get("deck_gl_json_chart")[0].proto.json)
    assert again == spec  # the same view gives the same spec, so the browser does not redraw for nothing


def test_a_saved_dataset_overlays_the_seed_from_a_link(tiny):
    from data.store.datasets import DatasetStore

    saved = DatasetStore().save(tiny, "tiny fixture", file_hash="0123456789abcdef0123")
    at = _app(ds=["seed", saved])
    assert not at.exception and not at.warning
    assert at.caption[0].value.startswith("40 of 40 events")  # 36 seed + 4 tiny
    assert at.query_params["ds"] == ["seed", saved]  # the link keeps both datasets
    only_tiny = _app(ds=saved)
    assert only_tiny.caption[0].value.startswith("4 of 4 events")


def test_clicking_a_grid_cell_selects_nothing():
    at = _app()
    at.session_state[MAP_KEY] = {"selection": {"indices": {"places": [0]}, "objects": {"places": [{"place_id": "", "name": "12 places"}]}}}
    at.run()
    assert not at.exception and not at.warning
    assert "at" not in at.query_params


def test_overlay_can_colour_marks_by_dataset(tiny):
    from data.store.datasets import DatasetStore

    saved = DatasetStore().save(tiny, "tiny fixture", file_hash="fedcba9876543210fedc")
    at = _app(ds=["seed", saved], colour="dataset")
    assert not at.exception and not at.warning
    assert at.radio(key="colour").value == "dataset"
    marks = next(layer for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"] if layer["id"] == "places")
    colours = {tuple(mark["colour"][:3]) for mark in marks["data"]}
    assert len(colours) == 2  # one colour per dataset
    assert "coloured by dataset" in at.caption[0].value
    by_side = _app(ds=["seed", saved])
    assert by_side.radio(key="colour").value == "side" and "colour" not in by_side.query_params
