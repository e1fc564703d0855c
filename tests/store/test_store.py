"""Saved datasets on both backends (a real DuckDB file under tmp_path, a real PostgreSQL cluster): round trip,
idempotent saves, all-or-nothing writes, rename and delete seen by a second store object, overlay."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from data.model.dataset import load_dataset
from data.importers import import_file
from data.store.overlay import combine, open_datasets
from data.store.base import Store
from data.store.datasets import DatasetStore, StoreError, default_path
from data.store.duckdb_store import DuckDBStore
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
TINY_DIR = ROOT / "tests" / "fixtures" / "tiny"
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)


@pytest.fixture(scope="module")
def acled():
    return import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN)


@pytest.fixture(scope="module")
def ged():
    return import_file(FIXTURES / "ucdp_ged.csv", geocoder=None, known_actors=KNOWN)


def save(store, result, name="test"):
    return store.save(result.dataset, name, file_hash=result.file_hash, fmt=result.format, file_name=result.file_name)


TABLE_NAMES = ("datasets", "sources", "places", "actors", "events", "claims")


def row_counts(store) -> dict[str, int]:
    """Rows per table, counted by a connection of our own (not through the store)."""
    if store.backend == "duckdb":
        con = duckdb.connect(str(store.path), read_only=True)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLE_NAMES}
        finally:
            con.close()
    import psycopg

    with psycopg.connect(store.conninfo) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}


def test_default_location_follows_atlas_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ATLAS_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    store = DatasetStore()
    assert store.path == tmp_path / "data" / "atlas.duckdb" == default_path()
    assert store.list() == []


def test_an_empty_store_lists_nothing(store):
    assert store.list() == [] and not store.exists("acled-000000000000")


def test_round_trip_keeps_every_field(store, acled):
    dataset_id = save(store, acled, "ACLED fixture")
    assert dataset_id == acled.dataset.dataset_id and dataset_id.startswith("acled-")
    loaded = store.load(dataset_id)
    for table in ("sources", "places", "actors", "events", "claims"):
        pd.testing.assert_frame_equal(getattr(loaded, table), getattr(acled.dataset, table), check_dtype=False, obj=table)
    (info,) = store.list()
    assert (info.dataset_id, info.name, info.format, info.file_name) == (dataset_id, "ACLED fixture", "acled", "acled_2023.csv")
    assert info.file_hash == acled.file_hash and info.counts["events"] == 5 and info.counts["claims"] == 9  # 6 outlet claims and ACLED's own toll on 3 events


def test_same_file_twice_is_one_dataset_without_duplicate_rows(store, acled, tmp_path):
    first = save(store, acled)
    before = row_counts(store)
    again = import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN)
    assert save(store, again, "another name") == first
    assert row_counts(store) == before
    assert [i.dataset_id for i in store.list()] == [first]


def test_a_failure_midway_leaves_the_store_unchanged(store, acled, ged, monkeypatch):
    kept = save(store, ged)
    before = row_counts(store)
    small = DatasetStore()
    small.chunk_rows = 2
    calls = {"n": 0}
    original = Store._write_rows

    def fail_halfway(self, batch, table, chunk):
        calls["n"] += 1
        if calls["n"] > 4:  # sources, places and part of the actors are written by now
            raise RuntimeError("disk unplugged")
        original(self, batch, table, chunk)

    monkeypatch.setattr(Store, "_write_rows", fail_halfway)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        save(small, acled)
    assert calls["n"] == 5
    monkeypatch.setattr(Store, "_write_rows", original)
    assert row_counts(store) == before
    assert [i.dataset_id for i in store.list()] == [kept]
    assert not store.exists(acled.dataset.dataset_id)
    # and the same import then succeeds in full
    assert save(store, acled) == acled.dataset.dataset_id
    assert len(store.load(acled.dataset.dataset_id).events) == 5


def test_rename_and_delete(store, acled, ged):
    a, g = save(store, acled), save(store, ged)
    store.rename(a, "  Aleppo   clashes ")
    assert store.info(a).name == "Aleppo clashes"
    store.delete(a)
    assert [i.dataset_id for i in store.list()] == [g]
    assert row_counts(store)["events"] == 3
    with pytest.raises(StoreError):
        store.load(a)
    with pytest.raises(StoreError):
        store.delete(a)
    with pytest.raises(LookupError):
        store.rename(a, "x")
    with pytest.raises(ValueError):
        store.rename(g, "   ")


def test_the_seed_is_never_in_the_store(store):
    with pytest.raises(StoreError, match="seed"):
        store.delete("seed")
    with pytest.raises(StoreError, match="seed"):
        store.load("seed")


@pytest.fixture
def duckdb_store(tmp_path):
    return DuckDBStore(tmp_path / "data" / "atlas.duckdb")


def test_a_locked_file_is_waited_for(duckdb_store, acled):
    store = duckdb_store
    save(store, acled)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(store.path)!r}); print('held', flush=True); time.sleep(1.5); c.close()"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        assert [i.dataset_id for i in DatasetStore(store.path, lock_timeout=20).list()] == [acled.dataset.dataset_id]
        assert time.monotonic() - started > 0.3
    finally:
        holder.wait(timeout=20)


def test_combine_keeps_each_rows_origin(acled):
    tiny = load_dataset(TINY_DIR, dataset_id="tiny")
    combined = combine([tiny, acled.dataset])
    assert combined.dataset_id == f"tiny+{acled.dataset.dataset_id}"
    assert combined.events["dataset_id"].value_counts().to_dict() == {acled.dataset.dataset_id: 5, "tiny": 4}
    assert set(combined.claims["dataset_id"]) == {"tiny", acled.dataset.dataset_id}
    assert combined.places["place_id"].is_unique and combined.actors["actor_id"].is_unique
    assert len(combined.claims) == len(tiny.claims) + len(acled.dataset.claims)
    # A combined dataset combines again without losing origins.
    again = combine([combined, tiny])
    assert again.events["dataset_id"].value_counts().to_dict() == {acled.dataset.dataset_id: 5, "tiny": 4}


def test_open_datasets_reads_the_seed_and_the_store(store, acled):
    dataset_id = save(store, acled)
    opened = open_datasets(["seed", dataset_id], store=store)
    assert set(opened.events["dataset_id"]) == {"seed", dataset_id}
    with pytest.raises(StoreError):
        open_datasets(["acled-000000000000"], store=store)
