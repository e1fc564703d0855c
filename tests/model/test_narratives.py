"""Narratives: the model, its JSON file (round trip, clear errors, nothing half-read) and the seed's own narrative."""

from __future__ import annotations

import json
import re

import pytest

from data.narratives.model import (
    MAX_STEP_TEXT_CHARS, MAX_TITLE_CHARS, Narrative, NarrativeError, Step, from_json, make_step, to_json,
)
from data.narratives.reading import (
    SEED_FILE, claim_ids_of, read_step_number, seed_narratives, step_evidence, step_link, step_view, vocabulary_of,
)
from data.views.filters import filter_dataset
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed_vocab(seed):
    return vocabulary_of(seed, frozenset({"seed"})), claim_ids_of(seed)


def _file(*narratives: dict) -> str:
    return json.dumps({"format": "claim-atlas-narratives", "version": 1, "narratives": list(narratives)})


GOOD_STEP = {"title": "The breach", "text": "Rebels say they broke through.",
             "view": {"ev": ["2016-08-06-aleppo-siege-broken"], "from": "2016-08-06", "map": ["36.158,37.128,12.5"]},
             "claims": ["aleppo-siege-broken-sana-1"]}


def test_a_narrative_round_trips_through_json_with_its_views_in_link_spelling(seed_vocab):
    vocab, claims = seed_vocab
    [narrative] = from_json(_file({"id": "test-story", "title": "T", "summary": "S", "author": "A", "steps": [GOOD_STEP]}), vocab, claims)
    step = narrative.steps[0]
    assert step.view == {"from": ("2016-08-06",), "ev": ("2016-08-06-aleppo-siege-broken",), "map": ("36.158,37.128,12.5",)}
    assert step.view_state(vocab).map_position == (36.158, 37.128, 12.5)
    assert from_json(to_json([narrative]), vocab, claims) == [narrative]


@pytest.mark.parametrize("change, expected", [
    ({"view": {"ev": ["no-such-event"]}}, "steps[0].view: `ev` names no known event id: 'no-such-event'"),
    ({"view": {"from": ["yesterday"]}}, "`from` must be a date like 2016-08-06, got 'yesterday'"),
    ({"view": {"zoom": ["3"]}}, "`zoom` is not a parameter of this page"),
    ({"view": {"map": ["36.2,37.1"]}}, "`map` must be latitude,longitude,zoom"),
    ({"claims": ["invented-claim"]}, "steps[0].claims names no known claim: 'invented-claim'"),
    ({"title": "   "}, "steps[0].title cannot be blank"),
    ({"title": "x" * (MAX_TITLE_CHARS + 1)}, f"at most {MAX_TITLE_CHARS} are allowed"),
    ({"text": "y" * (MAX_STEP_TEXT_CHARS + 1)}, f"at most {MAX_STEP_TEXT_CHARS} are allowed"),
    ({"text": 42}, "steps[0].text must be text, got int"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_a_bad_step_is_refused_naming_where_and_what(seed_vocab, change, expected):
    vocab, claims = seed_vocab
    bad = {**GOOD_STEP, **change}
    with pytest.raises(NarrativeError) as caught:
        from_json(_file({"id": "s", "title": "T", "steps": [GOOD_STEP, bad][1:]}), vocab, claims)
    assert expected in str(caught.value)
    assert "nothing was saved" in str(caught.value)


@pytest.mark.parametrize("data, expected", [
    (b"\xff\xfe{", "not UTF-8"),
    ('{"narratives": [', "not valid JSON (line 1, column 17)"),
    ('[1, 2]', "not a narrative file"),
    ('{"format": "claim-atlas-narratives", "version": 9, "narratives": []}', "version 9; this app reads version 1"),
    ('{"format": "claim-atlas-narratives", "version": 1, "narratives": {}}', '"narratives" must be a list'),
    ("[" * 100_000 + "]" * 100_000, "nests too deeply"),
    (b"x" * 3_000_001, "narrative files are at most"),
])
def test_a_file_that_is_not_a_narrative_file_says_so(data, expected):
    with pytest.raises(NarrativeError, match=re.escape(expected)):
        from_json(data)


def test_every_problem_of_a_file_is_listed_and_no_narrative_comes_back(seed_vocab):
    vocab, claims = seed_vocab
    text = _file({"id": "a", "title": "A", "steps": [GOOD_STEP]},
                 {"id": "Bad Id!", "title": "", "steps": [{**GOOD_STEP, "view": {"ev": ["nope"]}}]},
                 {"id": "a", "title": "again", "datasets": ["acled-unknown"]})
    with pytest.raises(NarrativeError) as caught:
        from_json(text, vocab, claims)
    problems = caught.value.problems
    assert any("narratives[1].id must be lowercase" in p for p in problems)
    assert any("narratives[1].title cannot be blank" in p for p in problems)
    assert any("narratives[1].steps[0].view" in p for p in problems)
    assert any("narratives[2].datasets names a dataset that is not here: 'acled-unknown'" in p for p in problems)
    assert any("the id 'a' is used by more than one narrative" in p for p in problems)


def test_text_is_kept_as_plain_text_with_invisible_and_control_characters_removed():
    step = make_step({"title": "  <b>evil</b>\u202e  [x](javascript:alert(1)) ", "text": "line one\x07\n\n\n\nline\u200b two\r\n"})
    assert step.title == "<b>evil</b> [x](javascript:alert(1))"  # markup stays literal text: pages escape it
    assert step.text == "line one\n\nline two"


def test_editing_moves_replaces_and_deletes_steps_and_widens_the_datasets():
    one, two, three = (Step(title=t) for t in ("one", "two", "three"))
    story = Narrative("s", "S", steps=(one, two))
    assert [s.title for s in story.with_step(three).steps] == ["one", "two", "three"]
    assert [s.title for s in story.with_step(three, at=0).steps] == ["three", "one", "two"]
    assert [s.title for s in story.with_step(three).with_step_moved(2, -1).steps] == ["one", "three", "two"]
    assert story.with_step_moved(0, -1) == story  # already first
    assert [s.title for s in story.without_step(0).steps] == ["two"]
    assert [s.title for s in story.with_step_replaced(1, three).steps] == ["one", "three"]
    assert story.with_step(Step("x", view={"ds": ("seed", "acled-1")})).datasets == ("seed", "acled-1")


@pytest.mark.parametrize("raw, expected", [
    (None, (1, None)), ("2", (2, None)), ("0", (1, "`step` must be 1 or more, got 0; showing step 1")),
    ("two", (1, "`step` must be a step number like 2, got 'two'; showing step 1")),
    ("99", (9, "`step` 99 is past the last step; showing step 9 of 9")),
])
def test_a_step_number_from_the_url_falls_back_with_a_reason(raw, expected):
    assert read_step_number(raw, 9) == expected


def test_step_links_point_at_the_narrative_page():
    assert step_link("aleppo-2014-2016", 4, "http://127.0.0.1:8501/atlas?ev=x") == "http://127.0.0.1:8501/narratives?story=aleppo-2014-2016&step=4"
    assert step_link("a", 1, "http://h:1/") == "http://h:1/narratives?story=a&step=1"


# ---------------------------------------------------------------- the seed's narrative


def test_the_seed_ships_one_aleppo_narrative_of_six_to_ten_steps_each_on_an_event_and_claims(seed):
    [story] = seed_narratives(seed)  # checked against the seed's vocabulary and claim ids
    assert story.narrative_id == "aleppo-2014-2016" and 6 <= len(story.steps) <= 10
    for step in story.steps:
        view = step_view(step, seed)
        assert view.selected_event and view.date_from and step.claims, step.title
        selection = filter_dataset(seed, view)
        assert view.selected_event in set(selection.events["event_id"]), f"{step.title}: its event is outside its own filters"
        evidence = step_evidence(seed, step, view)
        assert list(evidence["what"]).count("claim") == len(step.claims)
    years = [step_view(s, seed).date_from.year for s in story.steps]
    assert years == sorted(years) and years[0] == 2013 and years[-1] == 2016
    events = {step_view(s, seed).selected_event for s in story.steps}
    assert {"2014-05-22-aleppo-central-prison-siege-broken", "2016-07-east-aleppo-siege-begins",
            "2016-08-06-aleppo-siege-broken", "2016-09-22-aleppo-air-campaign"} <= events


def test_the_seed_narrative_is_in_our_own_words():
    if not SEEDS.is_dir():
        pytest.skip(f"the articles are not here ({SEEDS}); the wording check needs them")

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())

    grams = set()
    for path in sorted(SEEDS.glob("*.txt")):
        toks = words(path.read_text(encoding="utf-8"))
        grams |= {tuple(toks[i : i + 6]) for i in range(len(toks) - 5)}
    document = json.loads(SEED_FILE.read_text(encoding="utf-8"))["narratives"][0]
    for text in [document["title"], document["summary"]] + [s["title"] + " " + s["text"] for s in document["steps"]]:
        toks = words(text)
        copied = [" ".join(toks[i : i + 6]) for i in range(len(toks) - 5) if tuple(toks[i : i + 6]) in grams]
        assert not copied, f"repeats article wording: {copied[0]!r}"
