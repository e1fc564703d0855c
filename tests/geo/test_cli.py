"""The `python -m geo` command line, run as a subprocess with the project's Python."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import CSV_COLUMNS, main
from tests.conftest import ROOT

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT.parent), "PYTHONPATH": str(ROOT)}  # live geocoder: off
    return subprocess.run([PYTHON, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_json_lines_for_names():
    result = run("geocode", "Ramousah", "Nubbul", "Qwxzzy plorf", "--near", "aleppo", "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in lines] == ["Ramousah", "Nubbul", "Qwxzzy plorf"]
    assert [r.get("place_id") for r in lines] == ["aleppo-ramouseh", "nubl", None]
    assert [r["status"] for r in lines] == ["matched", "matched", "unmatched"]
    assert lines[0]["provider"] == "gazetteer" and -90 <= lines[0]["lat"] <= 90


def test_ambiguous_name_lists_its_candidates():
    result = run("geocode", "Zahraa", "--json", "--no-seed", "--no-geonames")
    record = json.loads(result.stdout)
    assert record["status"] == "ambiguous" and record["is_ambiguous"] is True
    tied = {record["place_id"]} | {a["place_id"] for a in record["alternatives"] if a["tied"]}
    assert {"zahraa", "aleppo-zahraa"} <= tied
    near = json.loads(run("geocode", "Zahraa", "--json", "--no-seed", "--no-geonames",
                          "--near", "lat=36.37,lon=37.0").stdout)
    assert near["place_id"] == "zahraa" and near["status"] == "matched"


def test_bad_near_and_country_exit_1_with_a_message():
    bare = run("geocode", "Zahraa", "--near", "36.37,37.0", "--no-geonames")
    assert bare.returncode == 1 and "lat=<degrees>,lon=<degrees>" in bare.stderr
    country = run("geocode", "Zahraa", "--country", "Syria", "--no-geonames")
    assert country.returncode == 1 and "two-letter" in country.stderr


def test_usage_errors_exit_2():
    assert run("geocode").returncode == 2
    assert run("geocode", "--csv", "x.csv").returncode == 2


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_csv_gets_geo_columns(tmp_path):
    source, out = tmp_path / "events.csv", tmp_path / "out.csv"
    _write_csv(source, [
        {"event": "e1", "location": "Er Ramousse"},
        {"event": "e2", "location": "Zahraa"},
        {"event": "e3", "location": ""},
        {"event": "e4", "location": "Qwxzzy plorf"},
        {"event": "e5", "location": "Gaziantep"},
    ])
    result = run("geocode", "--csv", str(source), "--column", "location", "--out", str(out), "--no-seed")
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["event", "location", *CSV_COLUMNS]
        rows = list(reader)
    assert [r["geo_status"] for r in rows] == ["matched", "ambiguous", "unmatched", "unmatched", "matched"]
    assert rows[0]["geo_place_id"] == "aleppo-ramouseh" and float(rows[0]["geo_lat"]) == pytest.approx(36.157415)
    assert rows[1]["geo_lat"] == "" and "aleppo-zahraa" in rows[1]["geo_candidates"].split("|")
    assert rows[4]["geo_provider"] == "geonames" and rows[4]["geo_place_id"] == "" and rows[4]["geo_lat"]


def test_csv_to_stdout_with_progress_bar(tmp_path):
    source = tmp_path / "many.csv"
    _write_csv(source, [{"location": name} for name in ["Nebel", "Hanano", "Sakhur"] * 1_000])
    result = run("geocode", "--csv", str(source), "--column", "location", "--progress", "--no-geonames")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3_000 and {r["geo_status"] for r in rows} == {"matched"}
    assert "geocoding [" in result.stderr and "100%" in result.stderr and "3,000/3,000" in result.stderr


def test_missing_column_exits_2(tmp_path):
    source = tmp_path / "events.csv"
    _write_csv(source, [{"place": "Nubl"}])
    result = run("geocode", "--csv", str(source), "--column", "location", "--no-geonames")
    assert result.returncode == 2 and "its columns are: place" in result.stderr


def test_main_in_process_text_output():
    out, err = io.StringIO(), io.StringIO()
    assert main(["geocode", "Hamdaniyyeh", "--no-geonames", "--no-seed"], stdout=out, stderr=err) == 0
    assert out.getvalue().startswith("Hamdaniyyeh\tmatched\taleppo-hamdaniya\t")
