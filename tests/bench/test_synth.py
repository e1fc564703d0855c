"""The synthetic dataset generator: same seed, same files; loads cleanly; the shape the benchmarks rely on."""

from __future__ import annotations

import numpy as np
import pytest

from data.model.dataset import load_dataset
from data.model.schema import LOAD_ORDER, column_names
from bench.synth import generate, synth_main, write_tables

N_EVENTS = 3000


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    assert synth_main(["--events", str(N_EVENTS), "--seed", "5", "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def synth(synth_dir):
    return load_dataset(synth_dir, dataset_id="synth")


def test_same_seed_same_files_other_seed_other_files(tmp_path, synth_dir):
    write_tables(generate(N_EVENTS, seed=5), tmp_path / "again")
    write_tables(generate(N_EVENTS, seed=6), tmp_path / "other")
    for table in LOAD_ORDER:
        assert (tmp_path / "again" / f"{table}.csv").read_bytes() == (synth_dir / f"{table}.csv").read_bytes(), table
    assert (tmp_path / "other" / "events.csv").read_bytes() != (synth_dir / "events.csv").read_bytes()


def test_tables_have_the_contract_columns():
    tables = generate(200, seed=1)
    assert list(tables) == list(LOAD_ORDER)
    for table in LOAD_ORDER:
        assert list(tables[table].columns) == column_names(table)


def test_loads_without_problems(synth):
    assert not synth.problems
    assert len(synth.events) == N_EVENTS


def test_claims_per_event_and_loose_claims(synth):
    claims = synth.claims
    linked = claims[claims["event_id"].ne("")]
    per_event = linked.groupby("event_id").size()
    assert per_event.min() >= 1 and per_event.max() <= 3
    assert 1.4 <= len(linked) / N_EVENTS <= 1.6
    assert 0 < (claims["event_id"] == "").sum() < 0.05 * len(claims)  # some claims about no single event
    assert set(claims["stance"]) >= {"asserts", "denies", "disputes"}
    assert set(synth.events["status"].astype(str)) >= {"contested", "corroborated", "single-source"}


def test_dates_span_2011_to_2024_with_mixed_precision(synth):
    events = synth.events
    assert events["date_start"].min().year == 2011 and events["date_end"].max().year == 2024
    assert (events["date_end"] >= events["date_start"]).all()
    shares = events["date_precision"].value_counts(normalize=True)
    assert shares["day"] > 0.5 and shares["week"] > 0.05 and shares["month"] > 0.05
    week = events[events["date_precision"] == "week"]
    assert (week["date_start"].dt.day_of_week == 0).mean() > 0.95  # weeks start on Monday (a few clipped at 2011-01-01)


def test_places_heavy_tail_mixed_precision_and_unplaced(synth):
    events = synth.events
    unplaced = (events["place_id"] == "").mean()
    assert 0.02 < unplaced < 0.1
    counts = events.loc[events["place_id"] != "", "place_id"].value_counts().to_numpy()
    top_share = counts[: max(1, len(counts) // 10)].sum() / counts.sum()
    assert top_share > 0.4  # the busiest tenth of places holds a large share of events
    kinds = synth.places.set_index("place_id").loc[events.loc[events["place_id"] != "", "place_id"].unique(), "kind"]
    assert kinds.nunique() >= 3  # events at towns, neighbourhoods, governorates...
    assert synth.places["precision_m"].max() / synth.places["precision_m"].min() > 100


def test_several_outlets_and_sources(synth):
    assert synth.sources["outlet"].nunique() >= 5
    assert synth.claims["source_id"].nunique() >= 10
    assert np.isin(synth.claims["outlet"].unique(), synth.sources["outlet"].unique()).all()
