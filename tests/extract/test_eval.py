"""The evaluation script: its matching is one-to-one and maximal, and the extractor keeps its floors on the seed articles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
_spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "bench" / "extract_eval.py")
extract_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(extract_eval)


def test_max_matching_finds_the_larger_assignment():
    # a greedy pass would give c1 to e1 (better score) and leave e2 unmatched
    pairs = [(3, 0.9, "e1", "c1"), (2, 0.9, "e1", "c2"), (3, 0.5, "e2", "c1")]
    assert extract_eval.max_matching(pairs) == [("e1", "c2"), ("e2", "c1")]
    assert extract_eval.max_matching([]) == []


def test_place_compatibility_uses_the_tree(tiny):
    assert extract_eval.place_compatible(tiny.place_tree, "rivertown-base", "rivertown")  # the city contains the base
    assert extract_eval.place_compatible(tiny.place_tree, "rivertown", "rivertown-south")
    assert not extract_eval.place_compatible(tiny.place_tree, "rivertown", "hilltown")
    assert extract_eval.place_compatible(tiny.place_tree, "", None)  # no place on the ground


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed articles are not beside the repository")
def test_floors_on_the_seed_articles():
    figures = extract_eval.evaluate(SEEDS, extract_eval.SEED_DIR)
    assert figures["counts"]["events_curated"] > 0
    assert figures["event_recall"] >= 0.8 and figures["event_precision"] >= 0.7
    assert figures["claim_recall"] >= 0.7
    assert figures["quantity_recall"] == 1.0
