"""Review logic (candidates as tables, merge suggestions, accepted rows to a valid dataset) and the review page's wiring."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from data.extract import extract
from data.extract.review import Article, build_dataset, claims_frame, dataset_hash, events_frame, merge_suggestions
from tests.conftest import ROOT

REPORT = ("Rebels broke the siege of Hilltown on Tuesday, a monitor said.\n"
          "State News denied the claim and said 40 fighters were killed.\n")


@pytest.fixture
def article(tiny):
    return Article("report.txt", REPORT, extract(REPORT, outlet="Paper B", published="2016-02-04", actors=tiny.actor_index))


def test_frames_carry_evidence_as_plain_text(article):
    events, claims = events_frame(article), claims_frame(article)
    assert list(events["candidate_id"]) == [e.candidate_id for e in article.extraction.events]
    for frame in (events, claims):
        for row in frame.itertuples():
            assert REPORT[row.span_start : row.span_end].startswith(row.evidence[:20])


def test_merge_suggestions_by_place_and_date(tiny):
    row = {"place_id": "hilltown", "date_start": date(2016, 2, 3), "date_end": date(2016, 2, 3),
           "event_type": "Battles", "sub_event_type": "Government regains territory"}
    assert merge_suggestions(row, tiny) == ["e-hill"]
    assert merge_suggestions({**row, "date_start": date(2016, 5, 1), "date_end": date(2016, 5, 2)}, tiny) == []
    # a place inside the event's place counts: the base sits inside the city's south quarter
    inside = {**row, "place_id": "rivertown", "date_start": date(2016, 8, 6), "date_end": date(2016, 8, 6)}
    assert "e-siege" in merge_suggestions(inside, tiny)


def test_accepted_rows_build_a_valid_dataset(tiny, article):
    events, claims = events_frame(article), claims_frame(article)
    events["accept"] = True
    events.loc[:, "place_id"] = "hilltown"
    claims["accept"] = True
    dataset = build_dataset([(article, events, claims)], tiny, dataset_id="review-test")
    assert dataset.problems == ()
    assert len(dataset.sources) == 1 and dataset.sources.iloc[0]["document"] == "report.txt"
    assert len(dataset.events) == len(events)
    assert set(dataset.claims["stance"]) >= {"asserts", "denies"}
    assert "hilltown" in set(dataset.places["place_id"]) and "northland" in set(dataset.places["place_id"])  # with its parent


def test_merge_points_claims_at_the_existing_event(tiny, article):
    events, claims = events_frame(article), claims_frame(article)
    events["merge_into"] = "e-hill"
    claims["accept"] = True
    dataset = build_dataset([(article, events, claims)], tiny)
    assert list(dataset.events["event_id"]) == ["e-hill"]
    assert set(dataset.claims["event_id"]) == {"e-hill"}


def test_rejected_rows_are_not_saved_and_the_hash_follows_the_review(tiny, article):
    events, claims = events_frame(article), claims_frame(article)
    events["accept"], claims["accept"] = False, False
    dataset = build_dataset([(article, events, claims)], tiny)
    assert dataset.events.empty and dataset.claims.empty
    before = dataset_hash([(article, events, claims)])
    claims["accept"] = True
    assert dataset_hash([(article, events, claims)]) != before


def _page(monkeypatch, tmp_path, password):
    from streamlit.testing.v1 import AppTest

    if password:
        monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", password)
    else:
        monkeypatch.delenv("ATLAS_EDITOR_PASSWORD", raising=False)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()  # pages run inside app.py's navigation
    return at.switch_page("pages/review.py")


def test_page_is_closed_without_editor_password(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, None).run()
    assert not at.exception
    assert not at.text_area  # no input offered
    assert any("Editing is off" in info.value for info in at.info)


def test_page_extracts_shows_evidence_and_saves(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, "secret").run()
    at.text_input(key="editor_login_password").input("secret")
    at.button[0].click().run()
    hostile = "Title\nWednesday 05 October 2016 18:25\nRebels seized the town of Eastgate on Monday, a monitor said. <script>alert(1)</script> [x](javascript:alert(1)) was posted.\n"
    at.text_area(key="paste").input(hostile)
    at.button[0].click().run()
    assert not at.exception
    assert any("2016-10-05" in t.value for t in at.text)
    assert any("seized" in code.value for code in at.code)
    assert all("<script>" not in md.value for md in at.markdown)  # the article never reaches markdown
    at.button(key="save").click().run()
    assert not at.exception
    assert any("Saved" in s.value for s in at.success)
    from data.store.datasets import DatasetStore

    [info] = [i for i in DatasetStore(tmp_path / "atlas.duckdb").list()]
    assert info.dataset_id.startswith("review-")


def test_an_undated_candidate_gets_suggestions_by_place_without_failing(tiny):
    import pandas as pd

    row = {"place_id": "hilltown", "date_start": pd.NaT, "date_end": pd.NaT,
           "event_type": "Battles", "sub_event_type": "Government regains territory"}
    assert merge_suggestions(row, tiny) == ["e-hill"]  # no dates to compare: the place decides


def test_rank_candidates_filters_and_orders_a_real_extraction(article):
    from data.extract.review import rank_candidates

    claims = claims_frame(article)
    shown, hidden = rank_candidates(claims, threshold=0.0)
    assert hidden == 0 and list(shown["confidence"]) == sorted(shown["confidence"], reverse=True)
    top = shown["confidence"].max()
    strict, hidden = rank_candidates(claims, threshold=top)
    assert hidden == len(claims) - len(strict) and (strict["confidence"] >= top).all()
    with pytest.raises(ValueError, match="between 0 and 1"):
        rank_candidates(claims, threshold=1.5)
