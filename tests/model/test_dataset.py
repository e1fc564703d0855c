"""Loading and validation: every invalid row is reported with file, line, column and reason."""

from __future__ import annotations

import warnings

import pytest

from data.model.dataset import SEED_DIR, load_dataset
from data.errors import DatasetError


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_tiny_loads_typed(tiny):
    assert len(tiny.events) == 4 and len(tiny.claims) == 7
    assert str(tiny.events["date_start"].dtype).startswith("datetime64")
    assert tiny.events.loc[tiny.events.event_id == "e-strikes", "fatalities_high"].item() == 40
    assert tiny.places["lat"].dtype == "float64"


def test_seed_loads_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = load_dataset(SEED_DIR)
    assert len(ds.events) > 10 and not ds.problems


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "column", "reason"),
    [
        ("events.csv", "e-hill,2016-02-03,2016-02-03,day,hilltown", "e-hill,2016-02-03,2016-02-03,day,nowhere", 4, "place_id", "unknown place id"),
        ("events.csv", "e-hill,2016-02-03,2016-02-03", "e-hill,2016-02-03,2016-01-03", 4, "date_end", "end before start"),
        ("events.csv", "e-hill,2016-02-03,", "e-hill,03/02/2016,", 4, "date_start", "not a date"),
        ("places.csv", "hilltown,Hilltown,Hill Town,town,northland,36.40", "hilltown,Hilltown,Hill Town,town,northland,96.40", 6, "lat", "out of range"),
        ("claims.csv", "c5,e-hill,wire-a,army,army,,asserts", "c5,e-hill,wire-a,army,army,,claims", 6, "stance", "unknown stance"),
        ("actors.csv", "monitor,Watch Monitor,,monitor", "monitor,Watch Monitor,,watcher", 8, "side", "unknown side"),
        ("events.csv", "Battles,Government regains territory", "Battles,Air/drone strike", 4, "sub_event_type", "does not belong"),
        ("claims.csv", "c2,e-siege,wire-a", "c1,e-siege,wire-a", 3, "claim_id", "duplicate id"),
        ("sources.csv", "paper-b,,Paper B,stated,Denials from the capital,2016-08-08", "paper-b,,,stated,Denials from the capital,2016-08-08", 3, "outlet", "required value is blank"),
    ],
)
def test_invalid_row_reported_with_line_column_reason(tiny_copy, file, old, new, line, column, reason):
    _replace(tiny_copy / file, old, new)
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny_copy)
    problem = next(p for p in caught.value.problems if p.column == column)
    assert (problem.file, problem.line) == (file, line)
    assert reason in problem.reason
    assert f"{file}:{line}: {column}=" in str(caught.value)


def test_drop_policy_keeps_whole_rows_and_cascades(tiny_copy):
    _replace(tiny_copy / "events.csv", "e-siege,2016-08-06,2016-08-06,day,rivertown-base", "e-siege,2016-08-06,2016-08-06,day,atlantis")
    ds = load_dataset(tiny_copy, on_invalid="drop")
    assert "e-siege" not in set(ds.events.event_id)
    # the three claims on the refused event are refused too, each with its own line
    refused_claims = [p for p in ds.problems if p.file == "claims.csv"]
    assert [p.line for p in refused_claims] == [2, 3, 4]
    assert set(ds.claims.claim_id) == {"c4", "c5", "c6", "c7"}


def test_line_numbers_count_newlines_inside_quoted_cells(tiny_copy):
    _replace(tiny_copy / "events.csv", "Air raids on the eastern quarters", '"Air raids\non the eastern\nquarters')
    _replace(tiny_copy / "events.csv", "through the month.,10,40", 'through the month.",10,40')
    _replace(tiny_copy / "events.csv", "e-hill,2016-02-03,2016-02-03,day,hilltown", "e-hill,2016-02-03,2016-02-03,day,nowhere")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny_copy)
    assert [p.line for p in caught.value.problems if p.file == "events.csv"] == [6]


def test_missing_column_names_expected_and_found(tiny_copy):
    text = (tiny_copy / "events.csv").read_text().replace("date_start", "start_date", 1)
    (tiny_copy / "events.csv").write_text(text)
    with pytest.raises(DatasetError, match="missing required columns; expected event_id, date_start.*found event_id, start_date"):
        load_dataset(tiny_copy)


def test_missing_file_and_binary_file(tiny_copy):
    (tiny_copy / "claims.csv").unlink()
    (tiny_copy / "places.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny_copy)
    reasons = {p.file: p.reason for p in caught.value.problems}
    assert "file not found" in reasons["claims.csv"]
    assert "unreadable CSV" in reasons["places.csv"]


def test_places_given_by_name_resolve_and_unresolved_are_reported(tiny_copy):
    events = tiny_copy / "events.csv"
    _replace(events, "e-hill,2016-02-03,2016-02-03,day,hilltown", "e-hill,2016-02-03,2016-02-03,day,Hill Town")
    _replace(events, "e-vote,2016-08-10,2016-08-10,day,,", "e-vote,2016-08-10,2016-08-10,day,Nebbel,")
    _replace(events, "e-strikes,2016-08-01,2016-08-31,month,rivertown", "e-strikes,2016-08-01,2016-08-31,month,Qwzxv Plains")
    ds = load_dataset(tiny_copy, on_invalid="drop")
    place_of = dict(zip(ds.events.event_id, ds.events.place_id))
    assert place_of["e-hill"] == "hilltown"  # an alias of the dataset's own place
    assert place_of["e-vote"] == "nubl"  # a new spelling, found by the geocoder in the gazetteer
    nubl = ds.places.set_index("place_id").loc["nubl"]
    assert abs(nubl.lat - 36.37) < 0.05 and "Nebbel" in nubl.aliases.split("|") and nubl.coord_source
    assert {"aleppo-governorate"} <= set(ds.place_tree.ancestors("nubl"))
    [problem] = [p for p in ds.problems if p.file == "events.csv"]
    assert (problem.line, problem.column, problem.value) == (3, "place_id", "Qwzxv Plains")
    assert problem.reason.startswith("unknown place id") and "no place of that name" in problem.reason


def test_ambiguous_place_name_lists_candidates(tiny_copy):
    _replace(tiny_copy / "events.csv", "e-hill,2016-02-03,2016-02-03,day,hilltown", "e-hill,2016-02-03,2016-02-03,day,Zahraa")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tiny_copy)
    [problem] = caught.value.problems[:1]
    assert "ambiguous" in problem.reason and "zahraa" in problem.reason and "aleppo-zahraa" in problem.reason
