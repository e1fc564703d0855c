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


def test_every_devset_report_has_a_gold_file_that_fits_it():
    reports = extract_eval.load_devset()
    assert len(reports) >= 25
    geocoder = extract_eval._load_geocoder(extract_eval.SEED_DIR)
    for name, text, gold in reports:
        assert text.strip(), name
        assert gold["events"] or gold["claimants"], name
        for event in gold["events"]:
            start, end = extract_eval._gold_window(event)
            assert start <= end, (name, event)
            if event["place"]:
                geocoder.place(event["place"])  # a gazetteer id, or this raises
            else:
                assert event["place_name"] in text or event["place_name"].split()[-1] in text, (name, event)
        for claimant in gold["claimants"]:
            assert claimant["stance"] in ("asserts", "denies", "disputes", "uncertain"), (name, claimant)


def test_devset_matching_by_place_allows_a_city_not_a_country():
    geocoder = extract_eval._load_geocoder(extract_eval.SEED_DIR)
    gold = {"place": "aleppo-hanano", "place_name": "Hanano"}

    class Candidate:
        def __init__(self, place_id, place_name=""):
            self.place_id, self.place_name = place_id, place_name

    assert extract_eval.devset_place_matches(geocoder, gold, Candidate("aleppo"))  # the city holding the district
    assert not extract_eval.devset_place_matches(geocoder, gold, Candidate("syria"))  # a country says nothing
    assert not extract_eval.devset_place_matches(geocoder, gold, Candidate("aleppo-sakhour"))  # a neighbour
    unknown = {"place": None, "place_name": "Tariq al-Bab", "within": "aleppo"}
    assert extract_eval.devset_place_matches(geocoder, unknown, Candidate(None, "Tariq al-Bab"))
    assert extract_eval.devset_place_matches(geocoder, unknown, Candidate("aleppo"))


def test_floors_on_the_development_set():
    figures = extract_eval.evaluate_devset()
    assert figures["reports"] >= 25
    assert figures["event_recall"] >= 0.9 and figures["event_precision"] >= 0.8
    assert figures["claimant_recall"] >= 0.9 and figures["claimant_precision"] >= 0.8
    assert figures["quantity_recall"] >= 0.9 and figures["quantity_precision"] >= 0.8
    # reports 28-30: wire copy printed by papers; every matched claimant's relay chain as the gold gives it
    assert figures["counts"]["relays_gold"] >= 8 and figures["relay_recall"] >= 0.9 and figures["relay_agreement"] >= 0.9


def test_relay_chains_compare_report_by_report():
    assert extract_eval.same_chain("Syrian state media|Reuters", "Syrian state media|Reuters")
    assert extract_eval.same_chain("AP", "The Associated Press") and extract_eval.same_chain("", "")
    assert not extract_eval.same_chain("Reuters|Syrian state media", "Syrian state media|Reuters")
    assert not extract_eval.same_chain("Reuters", "")


def test_calibration_table_counts_what_matched():
    table = extract_eval.calibration([("event", 0.45, False), ("event", 0.85, True), ("event", 0.82, False)])["event"]
    assert table["bins"]["0.4-0.5"] == {"n": 1, "precision": 0.0}
    assert table["bins"]["0.8-0.9"] == {"n": 2, "precision": 0.5}
    assert table["at_or_above"][">=0.8"] == {"n": 2, "precision": 0.5}
