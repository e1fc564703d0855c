"""AppTest of the control layer on the Atlas page: the link sets the day and the layer, the map draws control marks,
the rule is shown, a place's history opens its evidence, and editors (only editors) add a control claim."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data.model.control import CONTROL_CLAIMS_FILE
from data.store.control_claims import claims_folder
from data.store.duckdb_store import DuckDBStore
from pages.ui.clicks import MAP_KEY
from pages.ui.deck import CONTROL_AREAS_LAYER, CONTROL_LAYER, PLACES_LAYER
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
PASSWORD = "control-editor-pw"
pytestmark = pytest.mark.usefixtures("isolated_store")  # tests/pages/conftest.py; `atlas` opens the page on a link


def _layers(at) -> dict[str, list]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer.get("data") for layer in spec["layers"]}


def _marks(at, layer_id: str = PLACES_LAYER) -> dict[str, tuple[str, str]]:
    return {mark["place_id"]: (mark["state"], mark["camp"]) for mark in _layers(at)[layer_id]}


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]).replace("\\", "")


@pytest.mark.parametrize("day, ramouseh, east", [
    ("2016-07-20", ("held", "government"), ("besieged", "opposition")),
    ("2016-08-20", ("contested", "jihadist"), ("unknown", "")),
    ("2016-10-10", ("contested", "jihadist"), ("besieged", "opposition")),
])
def test_the_link_sets_the_day_and_the_map_draws_control(atlas, day, ramouseh, east):
    at = atlas(show="control", asof=day)
    assert not at.exception and not at.warning
    assert at.radio(key="show").value == "control" and at.text_input(key="asof").value == day
    marks = _marks(at)
    assert marks["aleppo-ramouseh"] == ramouseh and marks["aleppo-east"] == east
    layers = _layers(at)
    assert {f["properties"]["state"] for f in layers["control-areas"]["features"]} >= {ramouseh[0]}
    assert layers["city-choropleth"]["features"] == []  # event counts give way to control
    assert "(the day picked)" in _texts(at)
    assert any(e.label == "How control is inferred (the rule)" for e in at.expander)
    assert dict(at.query_params) == {"show": "control", "asof": day}


def test_without_a_picked_day_control_follows_the_end_of_the_date_filter(atlas):
    at = atlas(show="control", to="2016-07-20")
    assert "Control as of 20 Jul 2016 (the end of the date filter)" in _texts(at)
    assert _marks(at)["aleppo-ramouseh"] == ("held", "government")


def test_both_layers_keep_the_event_marks_and_add_control_under_them(atlas):
    at = atlas(show="both", asof="2016-08-20")
    layers = _layers(at)
    assert {m["place_id"] for m in layers[PLACES_LAYER]} >= {"aleppo", "aleppo-ramouseh"}  # event marks
    assert "state" not in layers[PLACES_LAYER][0]
    assert _marks(at, CONTROL_LAYER)["aleppo-ramouseh"] == ("contested", "jihadist")
    ids = list(layers)
    assert ids.index(CONTROL_LAYER) < ids.index(PLACES_LAYER)


def test_a_bad_day_warns_and_the_layer_falls_back_to_the_data(atlas):
    at = atlas(show="control", asof="last week")
    assert not at.exception
    assert any("`asof` must be a date like 2016-08-06" in w.value.replace("\\", "") for w in at.warning)
    assert "(the data's last day)" in _texts(at)


def test_the_events_map_is_unchanged_by_default(atlas):
    at = atlas()
    assert CONTROL_LAYER not in _layers(at) and "control-areas" not in _layers(at)
    assert "state" not in _layers(at)[PLACES_LAYER][0]


def test_a_place_history_lists_its_steps_and_opens_its_evidence(atlas):
    at = atlas(at="aleppo-ramouseh")
    text = _texts(at)
    assert "Control of Ramouseh" in text and "from 6 Aug 2016" in text and "contested (Jihadist camp's claim)" in text
    assert "7 Aug 2015 to 5 Aug 2016" in text and "held by the Government camp" in text
    evidence = [b for b in at.button if b.key and b.key.startswith("control_ev_")]
    assert evidence and "6 Aug 2016" in evidence[-1].label.replace("\\", "")
    evidence[-1].click().run()
    assert at.query_params["ev"] in ("2016-08-06-aleppo-siege-broken", ["2016-08-06-aleppo-siege-broken"])
    assert any("Selected event" in m.value for m in at.markdown)


def test_the_step_on_the_map_day_is_marked_in_the_history(atlas):
    at = atlas(at="aleppo-ramouseh", show="control", asof="2016-07-20")
    marked = [t for t in (m.value.replace("\\", "") for m in at.markdown) if "on the map's day" in t]
    assert len(marked) == 1 and marked[0].startswith("**7 Aug 2015 to 5 Aug 2016**") and "(20 Jul 2016)" in marked[0]


def test_a_place_with_no_evidence_says_unknown_not_guessed(atlas):
    at = atlas(at="aleppo-cement-factory")
    assert "it is unknown, not guessed" in _texts(at)


def test_viewers_cannot_add_a_control_claim(atlas):
    at = atlas(at="aleppo-east")
    assert any("Editing is off" in i.value for i in at.info)
    with pytest.raises(KeyError):
        at.text_input(key="cc_from")  # no claim form


def _fill(at, **values):
    for key, value in values.items():
        widget = at.text_input(key=key) if key not in ("cc_statement",) else at.text_area(key=key)
        widget.set_value(value)
    return at


def _editor_on(monkeypatch, **query) -> AppTest:
    """The Atlas on aleppo-east (plus `query`) in a session that has unlocked editing."""
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["at"] = "aleppo-east"
    for name, value in query.items():
        at.query_params[name] = value
    at.session_state["_access_editor"] = True
    return at.run()


def test_an_editor_adds_a_claim_that_the_rule_uses(monkeypatch, tmp_path):
    at = _editor_on(monkeypatch, show="control", asof="2016-09-01")
    assert _marks(at)["aleppo-east"] == ("unknown", "")
    at.selectbox(key="cc_camp").set_value("opposition")
    at.selectbox(key="cc_source").set_value("maltatoday-2016-08-07")
    _fill(at, cc_from="2016-08-20", cc_claimant="an editor reading the Reuters copy", cc_editor="tester",
          cc_statement="The rebels hold the east after the breakthrough.")
    at.button(key="FormSubmitter:control_claim_form-Add control claim").click().run()
    assert not at.exception and not at.error
    assert any("Added control claim editor-aleppo-east-2016-08-20-1" in s.value.replace("\\", "") for s in at.success)
    assert _marks(at)["aleppo-east"] == ("held", "opposition")  # the same rule, fed by the new claim
    assert "control claim by an editor reading the Reuters copy" in _texts(at)
    stored = DuckDBStore(tmp_path / "atlas-data" / "atlas.duckdb").control_claims("seed")  # in the store's table
    assert list(stored["control_claim_id"]) == ["editor-aleppo-east-2016-08-20-1"]


def test_an_editor_claim_with_a_bad_day_is_refused_and_nothing_is_stored(monkeypatch, tmp_path):
    at = _editor_on(monkeypatch)
    _fill(at, cc_from="soon", cc_claimant="someone", cc_editor="tester", cc_statement="<b>words</b>")
    at.button(key="FormSubmitter:control_claim_form-Add control claim").click().run()
    assert not at.exception
    assert any("nothing was stored" in e.value.replace("\\", "") and "date_start" in e.value.replace("\\", "") for e in at.error)
    assert not claims_folder("seed", tmp_path / "atlas-data" / "atlas.duckdb").exists()
    assert DuckDBStore(tmp_path / "atlas-data" / "atlas.duckdb").control_claims("seed").empty


SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.mark.parametrize("sample, fmt, says", [
    ("acled_syria_sample.csv", "acled", "3 of 5 territory changes are filed under places known to 10 km"),
    ("ucdp_ged_syria_sample.csv", "ucdp", "No event here says territory changed hands"),
])
def test_an_imported_dataset_gets_the_same_inference_and_says_what_its_precision_tells(atlas, sample, fmt, says):
    from data.importers import import_file
    from data.store.datasets import DatasetStore

    if not (SAMPLES / sample).is_file():
        pytest.skip(f"{sample} not found")
    result = import_file(SAMPLES / sample, fmt)
    dataset_id = DatasetStore().save(result.dataset, f"{fmt} sample", file_hash=result.file_hash, fmt=fmt, file_name=sample)
    at = atlas(ds=dataset_id, show="control")
    assert not at.exception and not at.warning
    text = _texts(at)
    assert says in text and "(the data's last day)" in text
    marks = _marks(at)
    assert len(marks) == (3 if fmt == "acled" else 0)
    assert all(state == "held" for state, _ in marks.values())


def test_a_big_dataset_asks_before_inferring_control(atlas, monkeypatch):
    """Above AUTO_INFER_MAX_EVENTS (1,000,000 events took 38 s of CPU) the page offers a button instead of stalling;
    the seed stands in for a big dataset by lowering the limit."""
    import data.views.control_view as control_view

    monkeypatch.setattr(control_view, "AUTO_INFER_MAX_EVENTS", 10)
    monkeypatch.setattr(control_view, "_CACHE", {})
    at = atlas(show="control", asof="2016-08-20", at="aleppo-ramouseh")
    assert not at.exception
    buttons = [b for b in at.button if b.key and b.key.startswith("control_infer_")]
    assert buttons and "from these 36 events" in buttons[0].label
    assert "state" not in _layers(at)[PLACES_LAYER][0] if _layers(at)[PLACES_LAYER] else True
    assert "Control of Ramouseh" not in _texts(at)
    buttons[0].click().run()
    assert _marks(at)["aleppo-ramouseh"] == ("contested", "jihadist") and "Control of Ramouseh" in _texts(at)


def _click(at, layer_id: str, index: int, picked: dict):
    """What the map chart reports when a mark or polygon is clicked (AppTest cannot click; the browser tests do)."""
    at.session_state[MAP_KEY] = {"selection": {"indices": {layer_id: [index]}, "objects": {layer_id: [picked]}}}
    return at.run()


def _query(at, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("show", ["control", "both"])
def test_a_click_on_a_control_mark_selects_its_place(atlas, show):
    at = atlas(show=show, asof="2016-08-20")
    layer = PLACES_LAYER if show == "control" else CONTROL_LAYER
    marks = _layers(at)[layer]
    index = next(k for k, mark in enumerate(marks) if mark["place_id"] == "aleppo-farafra")
    _click(at, layer, index, marks[index])
    assert not at.exception
    assert _query(at, "at") == "aleppo-farafra" and _query(at, "show") == show
    assert "Control of Farafra" in _texts(at) and any(b.key == "clear_place" for b in at.button)


@pytest.mark.parametrize("show", ["control", "both"])
def test_a_click_on_a_shaded_neighbourhood_selects_the_place_it_stands_for(atlas, show):
    """The Ramouseh polygon (OCHA N0226) is shaded by Ramouseh and the academies: a click selects Ramouseh, the
    gazetteer's own entry for that neighbourhood, and its history offers the academies one click away."""
    at = atlas(show=show, asof="2016-08-20")
    features = _layers(at)[CONTROL_AREAS_LAYER]["features"]
    index = next(k for k, f in enumerate(features) if "N0226" in f["properties"]["tooltip"])
    _click(at, CONTROL_AREAS_LAYER, index, features[index])
    assert not at.exception and _query(at, "at") == "aleppo-ramouseh"
    text = _texts(at)
    assert "Control of Ramouseh" in text and "Also in the OCHA neighbourhood Ar-Ramouseh Indusrtial District" in text
    mate = at.button(key="control_mate_aleppo-ramouseh-military-academies")
    mate.click().run()
    assert _query(at, "at") == "aleppo-ramouseh-military-academies"
    assert "Control of Ramouseh military academies" in _texts(at)


def test_outside_the_map_counts_places_not_events_in_control_mode(atlas):
    at = atlas(show="control", asof="2016-08-20")
    outside = next(c.value for c in at.caption if c.value.startswith("Outside the map")).replace("\\", "")
    assert outside.startswith("Outside the map (3 places): ") and "event" not in outside
    assert "Manbij (held by the SDF / Kurdish camp, 80 km E)" in outside
    both = atlas(show="both", asof="2016-08-20")  # event marks drawn: events counted as before
    assert "Outside the map (4 places, 5 events): Old City of Homs (2 events, 188 km S)" in _texts(both)


def test_the_claim_form_offers_fighting_camps_only(atlas, monkeypatch):
    at = _editor_on(monkeypatch)
    camp = at.selectbox(key="cc_camp")
    assert camp.options == ["Government", "Opposition", "Jihadist", "ISIS", "SDF / Kurdish", "Other"]
    assert "Camps are the fighting parties only" in _texts(at)
