"""`python -m data`: import prints one JSON line of counts, datasets lists, export writes files; run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"


def run(tmp_path, *args, check=True):
    env = {**os.environ, "ATLAS_DATA_DIR": str(tmp_path / "store"), "ATLAS_LIVE_GEOCODER": "off"}
    done = subprocess.run([sys.executable, "-m", "data", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def test_import_prints_one_json_line_then_lists_and_exports(tmp_path):
    done = run(tmp_path, "import", str(FIXTURES / "acled_2023.csv"), "--format", "acled", "--name", "Fixture", "--rejected-out", str(tmp_path / "rejected.csv"))
    (line,) = done.stdout.strip().splitlines()
    summary = json.loads(line)
    assert set(summary) == {"dataset_id", "rows_read", "rows_stored", "rows_rejected", "places_resolved", "places_unresolved"}
    assert (summary["rows_read"], summary["rows_stored"], summary["rows_rejected"]) == (10, 5, 5)
    assert summary["places_resolved"] + summary["places_unresolved"] == 5
    assert "100.0%" in done.stderr and "rejected: acled_2023.csv:5: event_date" in done.stderr
    assert (tmp_path / "rejected.csv").read_text().splitlines()[0] == "line,column,value,reason"

    again = json.loads(run(tmp_path, "import", str(FIXTURES / "acled_2023.csv")).stdout)
    assert again["dataset_id"] == summary["dataset_id"]  # same file, same dataset

    listed = [json.loads(x) for x in run(tmp_path, "datasets").stdout.splitlines()]
    assert [(d["dataset_id"], d["name"], d["counts"]["events"]) for d in listed] == [(summary["dataset_id"], "Fixture", 5)]

    for fmt, name in (("geojson", "view.geojson"), ("acled", "view.csv"), ("atlas", "view.zip")):
        run(tmp_path, "export", "--dataset", summary["dataset_id"], "--format", fmt, "--out", str(tmp_path / name))
    assert len(json.loads((tmp_path / "view.geojson").read_text())["features"]) == 5
    assert (tmp_path / "view.csv").read_text().startswith("event_id_cnty,event_date,year")
    assert sorted(zipfile.ZipFile(tmp_path / "view.zip").namelist()) == ["actors.csv", "claims.csv", "events.csv", "places.csv", "sources.csv"]


def test_wrong_layout_fails_with_the_columns_named(tmp_path):
    done = run(tmp_path, "import", str(FIXTURES / "acled_missing_column.csv"), "--format", "acled", check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert "missing required columns latitude" in done.stderr


def test_extract_is_dispatched(tmp_path):
    pytest.importorskip("data.extract.cli", reason="the extractor is not in this tree")
    done = run(tmp_path, "extract", "--help", check=False)
    assert done.returncode == 0 and "usage" in done.stdout.lower()


def test_control_at_a_day_prints_every_place_once(tmp_path):
    lines = [json.loads(x) for x in run(tmp_path, "control", "--dataset", "seed", "--at", "2016-08-07", "--json").stdout.splitlines()]
    by_place = {line["place_id"]: line for line in lines}
    assert len(by_place) == len(lines) == 31 and all(set(line) >= {"place_id", "side", "state", "since", "evidence"} for line in lines)
    assert by_place["aleppo-ramouseh"] | {"claims": []} == {"place_id": "aleppo-ramouseh", "side": "jihadist", "state": "contested",
                                                          "since": "2016-08-06", "evidence": ["2016-08-06-aleppo-siege-broken"], "claims": []}
    assert by_place["aleppo-furqan"] == {"place_id": "aleppo-furqan", "side": "", "state": "unknown", "since": "", "evidence": [], "claims": []}


def test_control_history_of_one_place_and_bad_input(tmp_path):
    history = [json.loads(x) for x in run(tmp_path, "control", "--dataset", "seed", "--place", "aleppo-farafra", "--json").stdout.splitlines()]
    assert [(h["state"], h["side"], h["from"], h["to"]) for h in history] == [
        ("unknown", "", "", "2015-09-28"), ("held", "opposition", "2015-09-29", "2016-09-27"),
        ("contested", "government", "2016-09-28", "2016-10-04"), ("held", "government", "2016-10-05", "")]
    assert all(h["evidence"] == ["2016-10-farafra-retaken"] for h in history[1:])
    bad_day = run(tmp_path, "control", "--dataset", "seed", "--at", "2016-02-30", check=False)
    assert bad_day.returncode == 1 and "like 2016-08-06, got '2016-02-30'" in bad_day.stderr and "Traceback" not in bad_day.stderr
    no_place = run(tmp_path, "control", "--dataset", "seed", "--place", "atlantis", check=False)
    assert no_place.returncode == 1 and "no place with id 'atlantis'" in no_place.stderr
    neither = run(tmp_path, "control", "--dataset", "seed", check=False)
    assert neither.returncode == 2 and "--at" in neither.stderr and neither.stdout == ""


def test_control_over_an_imported_dataset(tmp_path):
    summary = json.loads(run(tmp_path, "import", str(FIXTURES / "acled_2023.csv"), "--format", "acled").stdout)
    lines = run(tmp_path, "control", "--dataset", summary["dataset_id"], "--at", "2024-01-01").stdout.splitlines()
    assert lines and all(len(line.split("\t")) == 5 for line in lines)


def test_control_uses_the_editors_control_claims_of_a_saved_dataset(tmp_path, monkeypatch):
    from data.store.control_claims import add_editor_claim
    from data.store.overlay import open_datasets

    summary = json.loads(run(tmp_path, "import", str(FIXTURES / "acled_2023.csv"), "--format", "acled").stdout)
    dataset_id = summary["dataset_id"]
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "store"))
    ds = open_datasets([dataset_id])
    place_id, source_id = ds.places["place_id"].iloc[0], ds.sources["source_id"].iloc[0]
    before = {row["place_id"]: row for row in map(json.loads, run(tmp_path, "control", "--dataset", dataset_id, "--at", "2031-06-01", "--json").stdout.splitlines())}
    assert before[place_id]["side"] != "jihadist" or before[place_id]["state"] != "held"

    problems = add_editor_claim(ds, dataset_id, {
        "control_claim_id": "cli-test-1", "place_id": place_id, "side": "jihadist", "state": "held",
        "date_start": "2031-01-01", "date_end": "", "stance": "asserts", "source_id": source_id,
        "claimant": "an editor", "statement": "An editor's reading, for the test.", "editor": "test"})
    assert problems == []
    after = {row["place_id"]: row for row in map(json.loads, run(tmp_path, "control", "--dataset", dataset_id, "--at", "2031-06-01", "--json").stdout.splitlines())}
    assert (after[place_id]["side"], after[place_id]["state"]) == ("jihadist", "held")
