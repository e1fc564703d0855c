"""geo/ stays a pure core: no Streamlit, no data layer, nothing about events or claims; never raises on odd names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Geocoder
from geo.names import fold_key, name_key, skeleton_key
from tests.conftest import ROOT

GEO = ROOT / "geo"


def test_importing_geo_pulls_in_no_streamlit_and_no_data_layer():
    code = ("import sys, geo, geo.cli, geo.live, geo.geonames, geo.build_gazetteer, geo.progress; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'data', 'pydeck', 'plotly')); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], cwd=GEO.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_geo_source_mentions_no_events_or_claims():
    # outlines.py belongs to the map layer's author; the rule still holds for every module here
    for path in GEO.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(data|streamlit)\b", text, re.MULTILINE), path.name
        assert not re.search(r"\b(event_id|claim_id|events\.csv|claims\.csv)\b", text), path.name


CURATED = Geocoder(geonames=False, live=False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_geocodes_without_raising(text):
    match = CURATED.geocode(text)
    assert match is None or (0 < match.score <= 100 and -90 <= match.lat <= 90)
    assert isinstance(fold_key(text), str) and isinstance(skeleton_key(text), str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Zs", "Pd")), max_size=30))
def test_spelling_key_ignores_case(text):
    assert name_key(text.upper()) == name_key(text.lower()) or not text.isascii()
