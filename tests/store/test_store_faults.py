"""Faults on both backends: an import killed midway leaves nothing, one in progress is invisible and refuses a
second import of the same file, another store object (a replica) sees every change, an absent server is explained."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import pytest

from data.importers import import_file
from data.store.datasets import DatasetStore, StoreBusy, StoreUnavailable, stored_frame
from data.store.postgres_store import PostgresStore
from tests.conftest import ROOT
from tests.store.test_store import FIXTURES, KNOWN, row_counts, save

HOLD_AN_IMPORT = """
import sys, time
sys.path.insert(0, {root!r})
from data.importers import import_file
from data.store.datasets import DatasetStore, stored_frame
import pandas as pd
known = pd.read_csv({known!r}, dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)
result = import_file({path!r}, geocoder=None, known_actors=known)
with DatasetStore().importing(result.dataset.dataset_id, "held", fmt=result.format, file_hash=result.file_hash) as batch:
    for table in ("sources", "places", "actors", "events"):
        batch.write(table, stored_frame(result.dataset, table))
    print("written", flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def acled():
    return import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN)


def test_every_change_is_seen_by_another_store_object_and_raises_the_version(store, acled):
    replica = DatasetStore()  # a second app process opens its own store from the same configuration
    start = replica.version()
    dataset_id = save(store, acled, "first name")
    assert [i.name for i in replica.list()] == ["first name"] and replica.version() > start
    seen = replica.version()
    store.rename(dataset_id, "second name")
    assert replica.info(dataset_id).name == "second name" and replica.version() > seen
    seen = replica.version()
    store.delete(dataset_id)
    assert replica.list() == [] and not replica.exists(dataset_id) and replica.version() > seen


def test_an_import_killed_midway_leaves_nothing_and_the_file_imports_again(store, acled):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_AN_IMPORT.format(root=str(ROOT), known=str(FIXTURES / "known_actors.csv"), path=str(FIXTURES / "acled_2023.csv"))],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert child.stdout.readline().strip() == "written"
        if store.backend == "postgresql":  # DuckDB's file is held by the child: only PostgreSQL can look meanwhile
            assert set(row_counts(store).values()) == {0}  # nothing partial is visible, and reading is not blocked
            assert store.list() == []
            with pytest.raises(StoreBusy, match="being imported right now"):
                save(store, acled)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert store.list() == [] and all(count == 0 for count in row_counts(store).values())
    assert save(store, acled) == acled.dataset.dataset_id
    assert len(store.load(acled.dataset.dataset_id).events) == 5


def test_two_imports_of_different_files_at_once_both_succeed(store, acled):
    ged = import_file(FIXTURES / "ucdp_ged.csv", geocoder=None, known_actors=KNOWN)
    errors, ids = [], []

    def run(result):
        try:
            ids.append(save(DatasetStore(), result))
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r,)) for r in (acled, ged)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(ids) == sorted([acled.dataset.dataset_id, ged.dataset.dataset_id])
    assert sorted(i.dataset_id for i in store.list()) == sorted(ids)
    assert len(store.load(acled.dataset.dataset_id).events) == 5 and len(store.load(ged.dataset.dataset_id).events) == 3


def test_the_same_file_imported_twice_at_once_is_refused_clearly_once(pg_url, acled):
    """PostgreSQL only: DuckDB has one writing process, whose imports run one after the other."""
    holder, other = PostgresStore(url=pg_url), PostgresStore(url=pg_url)
    with holder.importing(acled.dataset.dataset_id, "first", fmt="acled", file_name="acled_2023.csv") as batch:
        batch.write("events", stored_frame(acled.dataset, "events").iloc[:2])
        with pytest.raises(StoreBusy, match="acled_2023.csv is being imported right now by someone else"):
            save(other, acled)
    assert other.info(acled.dataset.dataset_id).counts["events"] == 2  # the first import was not disturbed


def test_a_server_that_is_not_there_gives_a_message_without_host_or_password():
    from deploy.cluster import free_port

    away = PostgresStore(url=f"postgresql+psycopg://atlas:s3cret-pw@127.0.0.1:{free_port()}/atlas", connect_timeout=2)
    for action in (away.list, away.version, lambda: away.load("acled-000000000000")):
        with pytest.raises(StoreUnavailable) as caught:
            action()
        message = str(caught.value)
        assert "cannot be reached" in message and "s3cret" not in message and "127.0.0.1" not in message
