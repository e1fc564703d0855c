"""Editors' control claims in the store, on both backends: added after a whole check (a bad one stores nothing and
each bad row is named), seen by another store object, kept through a rename, deleted with their dataset, raising the
store's version; two editors adding at once both keep their claim; an earlier version's CSV is imported once."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from data.importers import import_file
from data.model.control import CONTROL_CLAIM_COLUMNS, CONTROL_CLAIMS_FILE, check_control_claims
from data.store.control_claims import add_editor_claim, claims_folder, read_editor_claims
from data.store.datasets import default_path
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture(scope="module")
def acled():
    known = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)
    return import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=known)


def again(store):
    """A second store object on the same database, as another replica would open it."""
    return type(store)(**({"url": store.url} if store.backend == "postgresql" else {"path": store.path}))


def claim(ds, number: int, **changes) -> dict:
    row = {"control_claim_id": f"editor-test-{number}", "place_id": ds.places["place_id"].iloc[0], "side": "opposition",
           "actor_id": "", "state": "held", "date_start": "2016-08-20", "date_end": "", "stance": "asserts",
           "source_id": ds.sources["source_id"].iloc[0], "claimant": "an editor's reading", "claimant_actor_id": "",
           "span_start": "", "span_end": "", "statement": "Held, in our words.", "editor": "tester"}
    return row | changes


def test_a_claim_is_stored_in_the_table_and_seen_by_another_replica(store, seed):
    before = store.version()
    assert add_editor_claim(seed, "seed", claim(seed, 1), store=store) == []
    assert store.version() > before
    table, problems = read_editor_claims(seed, "seed", store=again(store))
    assert problems == [] and list(table.columns) == list(CONTROL_CLAIM_COLUMNS)
    assert table.to_dict("records") == [claim(seed, 1)]
    assert not claims_folder("seed", default_path()).exists()  # nothing beside the store any more


def test_a_bad_claim_stores_nothing_and_each_bad_row_is_named(store, seed):
    add_editor_claim(seed, "seed", claim(seed, 1), store=store)
    before = (store.control_claims("seed"), store.version())
    problems = add_editor_claim(seed, "seed", claim(seed, 2, place_id="atlantis", date_start="soon"), store=store)
    assert sorted(p.column for p in problems) == ["date_start", "place_id"] and {p.line for p in problems} == {3}
    repeated = add_editor_claim(seed, "seed", claim(seed, 1), store=store)  # the stored row's id again
    assert [(p.column, p.reason) for p in repeated] == [("control_claim_id", "blank or repeated")]
    two_bad = store.add_control_claims("seed", pd.DataFrame([claim(seed, 3, state="owned"), claim(seed, 4, source_id="nowhere")]),
                                       lambda table: check_control_claims(table, places=seed.places["place_id"],
                                                                          sources=seed.sources["source_id"], actors=seed.actors["actor_id"]))
    assert [(p.line, p.column) for p in two_bad] == [(3, "state"), (4, "source_id")]
    pd.testing.assert_frame_equal(store.control_claims("seed"), before[0])
    assert store.version() == before[1]


def test_claims_are_kept_through_a_rename_and_deleted_with_their_dataset(store, acled):
    ds = acled.dataset
    dataset_id = store.save(ds, "ACLED", file_hash=acled.file_hash, fmt="acled", file_name="acled_2023.csv")
    loaded = store.load(dataset_id)
    assert add_editor_claim(loaded, dataset_id, claim(loaded, 1), store=store) == []
    assert add_editor_claim(loaded, "seed-like-other", claim(loaded, 1), store=store) == []  # another dataset's claims
    store.rename(dataset_id, "ACLED, renamed")
    assert list(read_editor_claims(loaded, dataset_id, store=again(store))[0]["control_claim_id"]) == ["editor-test-1"]
    version = store.version()
    store.delete(dataset_id)
    assert store.version() > version
    assert store.control_claims(dataset_id).empty and len(store.control_claims("seed-like-other")) == 1
    store.save(ds, "ACLED", file_hash=acled.file_hash, fmt="acled", file_name="acled_2023.csv")  # saved again: no old claims
    assert store.control_claims(dataset_id).empty


def test_two_editors_adding_at_once_both_keep_their_claim(store, seed):
    store.control_claims("seed")  # the schema exists before the race
    results: dict[int, list] = {}

    def add(number: int) -> None:
        results[number] = add_editor_claim(seed, "seed", claim(seed, number), store=again(store))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == {1: [], 2: [], 3: [], 4: []}
    assert sorted(store.control_claims("seed")["control_claim_id"]) == [f"editor-test-{n}" for n in range(1, 5)]


def test_an_earlier_versions_csv_is_imported_once_and_a_broken_one_is_named_and_kept(store, seed):
    folder = claims_folder("seed", getattr(store, "path", None))  # beside the DuckDB file; the data folder with PostgreSQL
    folder.mkdir(parents=True)
    pd.DataFrame([claim(seed, 1), claim(seed, 2)]).to_csv(folder / CONTROL_CLAIMS_FILE, index=False)
    table, problems = read_editor_claims(seed, "seed", store=store)
    assert problems == [] and list(table["control_claim_id"]) == ["editor-test-1", "editor-test-2"]
    assert not (folder / CONTROL_CLAIMS_FILE).exists() and (folder / (CONTROL_CLAIMS_FILE + ".imported")).is_file()
    assert len(read_editor_claims(seed, "seed", store=again(store))[0]) == 2  # not imported twice
    assert add_editor_claim(seed, "seed", claim(seed, 3), store=store) == []

    pd.DataFrame([claim(seed, 4, place_id="atlantis")]).to_csv(folder / CONTROL_CLAIMS_FILE, index=False)  # a second, broken file
    version = store.version()
    table, problems = read_editor_claims(seed, "seed", store=store)
    assert [p.column for p in problems] == ["place_id"] and "earlier version" in str(problems[0])
    assert list(table["control_claim_id"]) == ["editor-test-1", "editor-test-2", "editor-test-3"]  # the stored ones still count
    assert (folder / CONTROL_CLAIMS_FILE).is_file() and store.version() == version
    assert [p.column for p in add_editor_claim(seed, "seed", claim(seed, 5), store=store)] == ["place_id"]  # fix the file first
    assert len(store.control_claims("seed")) == 3


def test_a_postgresql_database_of_an_earlier_version_gets_the_new_tables(pg_url, seed, monkeypatch):
    import psycopg

    from data.store import postgres_store
    from data.store.postgres_store import PostgresStore

    old = PostgresStore(url=pg_url)
    old.list()  # the tables of the earlier version, then the two it did not have are taken away
    with psycopg.connect(old.conninfo, autocommit=True) as conn:
        conn.execute("DROP TABLE control_claims")
        conn.execute("DROP TABLE narratives")
    monkeypatch.setattr(postgres_store, "_ready", set())  # a replica of the new version starting
    new = PostgresStore(url=pg_url)
    assert new.control_claims("seed").empty and new.narratives() == []
    assert add_editor_claim(seed, "seed", claim(seed, 1), store=new) == []
