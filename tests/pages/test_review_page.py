"""The Review page ranks candidates by their calibrated confidence: a default threshold, a stricter one hides rows."""

from __future__ import annotations

import math

from streamlit.testing.v1 import AppTest

from data.extract.confidence import DEFAULT_REVIEW_THRESHOLD
from tests.conftest import ROOT

REPORT = (ROOT / "tests" / "extract" / "devset" / "23-longform-october.txt").read_text(encoding="utf-8")


def _logged_in(monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "secret")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at = at.switch_page("pages/review.py").run()
    at.text_input(key="editor_login_password").input("secret")
    at.button[0].click().run()
    at.text_area(key="paste").input(REPORT)
    at.button[0].click().run()
    assert not at.exception
    return at


def _event_table(at):
    return next(frame.value for frame in at.dataframe if "event_type" in frame.value.columns)


def test_candidates_come_highest_confidence_first_above_the_default(monkeypatch, tmp_path):
    at = _logged_in(monkeypatch, tmp_path)
    assert at.slider(key="review_threshold").value == DEFAULT_REVIEW_THRESHOLD
    confidences = list(_event_table(at)["confidence"])
    assert len(confidences) >= 5
    assert confidences == sorted(confidences, reverse=True)
    assert min(confidences) >= DEFAULT_REVIEW_THRESHOLD


def test_a_stricter_threshold_hides_candidates_and_says_so(monkeypatch, tmp_path):
    at = _logged_in(monkeypatch, tmp_path)
    shown = _event_table(at)
    stricter = math.floor(min(shown["confidence"]) / 0.05 + 1) * 0.05  # the first slider step above the weakest row
    at.slider(key="review_threshold").set_value(round(stricter, 2)).run()
    assert not at.exception
    after = _event_table(at)
    assert 0 < len(after) < len(shown)
    assert all(value >= stricter - 1e-9 for value in after["confidence"])
    assert any("hidden and will not be saved" in caption.value for caption in at.caption)
    at.selectbox(key="review_order").set_value("as they appear in the article").run()
    ordered = _event_table(at)
    assert list(ordered["span_start"]) == sorted(ordered["span_start"])
