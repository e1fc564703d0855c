"""Every link of the generated table through AppTest: no crash, a warning naming exactly the bad parameters, and the
URL the app settles on reopens the same view."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from data.views.view import PARAMS
from tests.conftest import ROOT
from tests.link_table import (
    Link,
    browser_sample,
    build_table,
    expected_settled,
    named_params,
    parser_verdict,
)

APP = str(ROOT / "app.py")
TABLE = build_table()
CAPTION = re.compile(r"^[\d,]+ of [\d,]+ events, [\d,]+ claims")
LEAKS = ("Traceback", "site-packages", f"{ROOT.parent}/")  # what an error page must never show
WIDGETS = {"date_input", "multiselect", "text_input", "text_area", "selectbox", "radio", "number_input", "checkbox",
           "toggle", "slider", "select_slider", "pills", "segmented_control", "time_input", "color_picker"}
NO_EVENTS = "no events"  # "No events match these filters", "No events in these dates: ..."


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    """The app sees only the seed: no saved datasets, no passwords, whatever the developer's machine holds."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "atlas-data"))
    for name in ("ATLAS_SEED_DIR", "ATLAS_EDITOR_PASSWORD", "ATLAS_VIEWER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _open(query: dict[str, list[str]]) -> AppTest:
    """A fresh session of the app opened on this query (a new browser tab, as far as the app can tell)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, values in query.items():
        at.query_params[name] = list(values)
    return at.run()


def _nodes(node):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)
    else:
        yield node


def _unescaped(markdown: str) -> str:
    """Undo pages/ui/text.escape_markdown, which backslash-escapes every punctuation mark."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _as_lists(query: dict) -> dict[str, list[str]]:
    return {name: [value] if isinstance(value, str) else list(value) for name, value in query.items()}


def _view(at: AppTest) -> dict:
    """What an analyst sees of the view: the caption, every widget's value, the selected event, the empty-result note."""
    captions = [_unescaped(c.value) for c in at.caption if CAPTION.match(_unescaped(c.value))]
    widgets = {(n.type, getattr(n, "key", None) or getattr(n, "label", "")): n.value
               for n in _nodes(at._tree) if n.type in WIDGETS}
    return {
        "caption": captions[0] if captions else None,
        "widgets": widgets,
        "detail": any("Selected event" in m.value for m in at.markdown),
        "no_events": any(NO_EVENTS in _unescaped(i.value).lower() for i in at.info),
    }


def _leaks(at: AppTest) -> list[str]:
    """Elements whose content shows a traceback or a server path."""
    return [f"{n.type}: {needle}" for n in _nodes(at._tree) for needle in LEAKS if needle in str(n.proto)]


def test_the_table_is_big_and_covers_the_vocabulary():
    """The issue asks for 200+ links over every parameter: valid, bad and empty, for each one of PARAMS."""
    assert len(TABLE) >= 200
    for spec in PARAMS:
        uses = [row for row in TABLE if spec.name in row.query]
        assert any(not row.bad and row.query[spec.name] != [""] for row in uses), f"no valid link uses {spec.name}"
        assert any(spec.name in row.bad for row in uses), f"no link gives {spec.name} a bad value"
        assert any(row.query[spec.name] == [""] for row in uses), f"no link leaves {spec.name} empty"
    kinds = Counter(row.kind for row in TABLE)
    assert {kind for kind in kinds if kinds[kind] >= 4} == set(kinds), kinds
    sample = browser_sample(TABLE)
    assert len(sample) >= 30 and {row.kind for row in sample} == set(kinds)


def test_the_table_agrees_with_the_parser():
    """The rows' expected warnings are written by hand; data/views/view.py must report exactly those names."""
    disagreements = [f"{row.id}: table says {sorted(row.bad)}, parser says {sorted(parser_verdict(row))}"
                     for row in TABLE if set(row.bad) != parser_verdict(row)]
    assert not disagreements, "\n".join(disagreements)


@pytest.mark.parametrize("link", TABLE, ids=[row.id for row in TABLE])
def test_link_warns_settles_and_reopens(link: Link):
    """A shared link never crashes, names each parameter it could not use, and its settled URL reopens the same view."""
    at = _open(link.query)
    assert not at.exception, f"exception: {[e.message for e in at.exception]}"
    assert not _leaks(at), _leaks(at)
    warnings = [_unescaped(w.value) for w in at.warning]
    assert len(warnings) == (1 if link.bad else 0), f"expected {'one warning' if link.bad else 'no warning'}, got {warnings}"
    named = named_params(warnings)
    assert named == set(link.bad), f"warning names {sorted(named)}, expected {sorted(link.bad)}: {warnings}"

    first = _view(at)
    assert first["caption"], "no 'N of M events, K claims' caption"
    assert first["no_events"] == first["caption"].startswith("0 of"), f"empty result and its note disagree: {first['caption']}"
    if link.empty:
        assert first["no_events"], f"dates outside the data should match nothing: {first['caption']}"

    settled = _as_lists(at.query_params)
    expected = expected_settled(link)
    assert {k: sorted(v) for k, v in settled.items()} == {k: sorted(v) for k, v in expected.items()}, (
        f"the URL kept {settled}, expected every understood parameter and nothing else: {expected}")

    second = _reopened(settled)
    differences = {key: (first[key], second[key]) for key in first if first[key] != second[key]}
    assert not differences, f"reopening {settled} shows another view (first, second): {differences}"


_REOPENED: dict[tuple, dict] = {}


def _reopened(settled: dict[str, list[str]]) -> dict:
    """The view a fresh session shows on a settled URL, checked once per URL (half the table settles on the default)."""
    key = tuple((name, tuple(values)) for name, values in settled.items())
    if key not in _REOPENED:
        again = _open(settled)
        assert not again.exception, f"exception on reopening {settled}: {[e.message for e in again.exception]}"
        assert not again.warning, f"reopening {settled} warns: {[_unescaped(w.value) for w in again.warning]}"
        assert _as_lists(again.query_params) == settled, f"the settled URL {settled} changed on reopening: {again.query_params}"
        _REOPENED[key] = _view(again)
    return _REOPENED[key]
