"""The Narratives page (AppTest): the list, a step beside the map, timeline and claims, stepping, bad links, editing rights."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.narratives.model import Narrative, Step
from data.narratives.reading import seed_narratives
from data.store.datasets import DatasetStore
from data.store.narratives import NarrativeStore
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
PAGE = "pages/narratives.py"
STORY = "aleppo-2014-2016"
HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "atlas-data"))
    monkeypatch.setenv("ATLAS_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    monkeypatch.delenv("ATLAS_SEED_DIR", raising=False)
    monkeypatch.delenv("ATLAS_EDITOR_PASSWORD", raising=False)
    monkeypatch.delenv("ATLAS_VIEWER_PASSWORD", raising=False)


def open_page(query: dict | None = None, **session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    for key, value in session.items():
        at.session_state[key] = value
    at.switch_page(PAGE)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def plain(markdown: str) -> str:
    """What escaped markdown shows."""
    return markdown.replace("\\", "")


def texts(at) -> str:
    return "\n".join(str(el.value) for kind in ("markdown", "caption", "subheader", "title", "warning", "info")
                     for el in getattr(at, kind))


def test_the_list_shows_the_seed_narrative_linking_to_its_first_step():
    at = open_page()
    assert not at.exception
    links = {el.proto.query_string: el.proto.label for el in at.get("page_link")}
    assert links[f"story={STORY}&step=1"].startswith("Aleppo, 2014")
    assert "9 steps" in texts(at)


def test_a_step_shows_its_title_text_progress_and_the_atlas_panels_on_its_view():
    at = open_page({"story": STORY, "step": "7"})
    assert not at.exception
    assert plain(at.subheader[0].value) == "6 August 2016: a breach, and a denial"  # escaped, shown as typed
    assert "Step 7 of 9" in str(at.get("progress")[0].proto.text)
    assert at.get("deck_gl_json_chart") and at.get("vega_lite_chart")
    evidence = at.dataframe[0].value
    assert list(evidence["what"]) == ["event"] + ["claim"] * 5 and "denies" in set(evidence["stance"])
    claims = at.dataframe[1].value  # the claim table, filtered as the step's view says
    assert set(claims["status"]) == {"contested"}
    explore = next(el for el in at.get("page_link") if el.proto.label == "Explore from here")
    assert "ev=2016-08-06-aleppo-siege-broken" in explore.proto.query_string and "status=contested" in explore.proto.query_string
    step_links = [el.proto.query_string for el in at.get("page_link") if el.proto.query_string.startswith("story=")]
    assert step_links == [f"story={STORY}&step={n}" for n in range(1, 10)]


def test_next_and_previous_move_through_the_steps_and_write_the_url():
    at = open_page({"story": STORY, "step": "1"})
    assert at.button(key="step_previous").disabled
    at.button(key="step_next").click().run()
    assert at.query_params["step"] == "2" and plain(at.subheader[0].value).startswith("22 May 2014")
    at.button(key="step_previous").click().run()
    assert at.query_params["step"] == "1"
    last = open_page({"story": STORY, "step": "9"})
    assert last.button(key="step_next").disabled


@pytest.mark.parametrize("query, warning", [
    ({"story": STORY, "step": "99"}, "past the last step; showing step 9 of 9"),
    ({"story": STORY, "step": "x"}, "must be a step number like 2"),
    ({"story": "no-such-story"}, "There is no narrative with the id"),
])
def test_a_bad_link_warns_and_shows_something_sensible(query, warning):
    at = open_page(query)
    assert not at.exception
    assert any(warning in w.value.replace("\\", "") for w in at.warning)


def test_hostile_text_in_a_stored_narrative_is_shown_as_text():
    NarrativeStore(DatasetStore()).save(Narrative("hostile", HOSTILE, HOSTILE, HOSTILE, ("seed",), (Step(HOSTILE, HOSTILE),)))
    at = open_page({"story": "hostile", "step": "1"})
    assert not at.exception
    shown = [at.title[0].value, at.subheader[0].value] + [m.value for m in at.markdown if "img" in m.value]
    for value in shown:
        assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in value and "\\*\\*bold\\*\\*" in value
    assert not any(getattr(el.proto, "unsafe_allow_html", False) for el in at.markdown)


def test_editing_needs_the_editor_rights():
    at = open_page({"story": STORY, "step": "2"})
    assert "step_delete" not in [b.key for b in at.button]
    assert any("Editing is off" in el.value for el in at.info)


def test_an_editor_moves_and_deletes_a_step_and_the_store_keeps_it(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "s3cret")
    at = open_page({"story": STORY, "step": "2"}, _access_editor=True)
    at.button(key="step_earlier").click().run()
    assert not at.exception and at.query_params["step"] == "1"
    stored, revision = NarrativeStore(DatasetStore()).get(STORY)
    assert revision == 1 and stored.steps[0].title.startswith("22 May 2014")
    at.button(key="step_delete").click().run()
    stored, revision = NarrativeStore(DatasetStore()).get(STORY)
    assert revision == 2 and len(stored.steps) == 8 and not stored.steps[0].title.startswith("22 May 2014")


def test_an_editor_adds_the_atlas_view_as_a_step(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "s3cret")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["place"] = "manbij"
    at.run()
    at.session_state["_access_editor"] = True
    at.run()
    form_inputs = [t for t in at.text_input if t.label == "Step title"]
    form_inputs[0].input("Manbij, August 2016")
    [t for t in at.text_area if t.label.startswith("Step text")][0].input("The SDF takes the town.")
    next(b for b in at.button if b.label == "Add step").click().run()
    assert not at.exception
    stored, _ = NarrativeStore(DatasetStore()).get(STORY)
    assert stored.steps[-1].title == "Manbij, August 2016" and stored.steps[-1].view == {"place": ("manbij",)}


def test_a_zoom_on_the_steps_map_leaves_for_the_atlas_with_the_step_view_zoomed():
    at = open_page({"story": STORY, "step": "8"})
    at.button(key="map_zoom_in").click().run()
    assert not at.exception
    assert at.title[0].value == "Claim Atlas"  # the Atlas page, not the narrative
    assert at.query_params["ev"] == "2016-09-22-aleppo-air-campaign" and at.query_params["at"] == "aleppo-east"
    assert at.query_params["from"] == "2016-09-22" and "map" in at.query_params


def test_served_data_that_the_shipped_narrative_does_not_fit_leaves_it_out_with_a_reason(monkeypatch):
    monkeypatch.setenv("ATLAS_SEED_DIR", str(ROOT / "tests" / "fixtures" / "tiny"))
    at = open_page({"story": STORY, "step": "1"})
    assert not at.exception
    assert any("do not fit the data served as the seed" in w.value for w in at.warning)


def test_an_editor_starts_a_narrative(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "s3cret")
    at = open_page(_access_editor=True)
    [t for t in at.text_input if t.label == "Title"][0].input("Homs <i>2014</i>")
    [t for t in at.text_input if t.label == "Author"][0].input("Me")
    next(b for b in at.button if b.label == "Create").click().run()
    assert not at.exception
    assert at.query_params["story"] == "homs-i-2014-i" and at.query_params["step"] == "1"
    stored, revision = NarrativeStore(DatasetStore()).get("homs-i-2014-i")
    assert stored.title == "Homs <i>2014</i>" and revision == 1 and len(stored.steps) == 1
    assert "\\<i\\>" in at.title[0].value


def test_an_editor_rewrites_a_step_and_a_blank_title_is_refused_without_saving(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "s3cret")
    at = open_page({"story": STORY, "step": "3"}, _access_editor=True)
    [t for t in at.text_input if t.label == "Step title"][0].input("   ")
    next(b for b in at.button if b.label == "Save step").click().run()
    assert any("title cannot be blank" in e.value for e in at.error)
    assert NarrativeStore(DatasetStore()).get(STORY) is None  # nothing saved: the shipped narrative stands
    [t for t in at.text_input if t.label == "Step title"][0].input("The corridor is cut")
    [t for t in at.text_area if t.label == "Step text"][0].input("New words.\n\nSecond paragraph.")
    next(b for b in at.button if b.label == "Save step").click().run()
    stored, revision = NarrativeStore(DatasetStore()).get(STORY)
    assert revision == 1 and stored.steps[2].title == "The corridor is cut" and stored.steps[2].text == "New words.\n\nSecond paragraph."
    assert stored.steps[2].view == seed_narratives()[0].steps[2].view  # the view and claims are kept
    assert stored.steps[2].claims == seed_narratives()[0].steps[2].claims
    assert plain(at.subheader[0].value) == "The corridor is cut"
