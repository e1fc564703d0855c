"""Streamed imports on both backends: chunk by chunk into one transaction, the same dataset, refusals and line
numbers as importing the whole file at once; a file that breaks in a later chunk leaves nothing stored."""

from __future__ import annotations

import pandas as pd
import pytest

from data.importers import ImportFormatError, import_file
from data.model.schema import id_column
from data.store.datasets import stored_frame
from data.store.imports import save_file
from tests.store.test_store import FIXTURES, KNOWN, row_counts

TABLES = ("sources", "places", "actors", "events", "claims")


@pytest.fixture(scope="module")
def repeated_acled(tmp_path_factory):
    """The ACLED fixture three times over: its rows, the same rows again (repeated ids), then with new ids."""
    text = (FIXTURES / "acled_2023.csv").read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    body = body if body.endswith("\n") else body + "\n"
    path = tmp_path_factory.mktemp("streamed") / "acled_repeated.csv"
    path.write_text(header + "\n" + body + body + body.replace("SYR9", "SYR8"), encoding="utf-8")
    return path


@pytest.mark.parametrize("fixture", ["acled_2023.csv", "ucdp_ged.csv", "acled_old.csv", "repeated"])
def test_a_streamed_import_stores_what_a_whole_import_builds(store, fixture, repeated_acled):
    path = repeated_acled if fixture == "repeated" else FIXTURES / fixture
    whole = import_file(path, geocoder=None, known_actors=KNOWN)
    dataset_id, streamed = save_file(store, path, name="streamed", geocoder=None, known_actors=KNOWN, chunk_rows=4)
    assert dataset_id == whole.dataset.dataset_id
    loaded = store.load(dataset_id)
    for table in TABLES:  # the same rows (chunks may write places, actors and sources in another order)
        key = id_column(table)
        expected = stored_frame(whole.dataset, table).sort_values(key).reset_index(drop=True)
        got = stored_frame(loaded, table).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=table)
    assert streamed.rejected == whole.rejected  # same rows refused, same lines, columns and reasons
    assert streamed.warnings == whole.warnings
    assert streamed.summary(dataset_id) == whole.summary(dataset_id)
    assert store.info(dataset_id).counts["events"] == len(whole.dataset.events)
    if fixture == "repeated":
        assert sum("duplicate event id" in p.reason for p in streamed.rejected) >= 5


def test_the_same_file_streamed_twice_stores_it_once(store):
    first, _ = save_file(store, FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN, chunk_rows=3)
    before = row_counts(store)
    again, result = save_file(store, FIXTURES / "acled_2023.csv", name="again", geocoder=None, known_actors=KNOWN, chunk_rows=3)
    assert again == first and row_counts(store) == before and result.rows_stored == 5


def test_a_file_that_breaks_in_a_later_chunk_leaves_nothing(store, tmp_path):
    from bench.import_acled import generate

    path = tmp_path / "acled_broken_late.csv"
    generate(path, 60_000)  # about 21 MB: read in two pieces, the first written before the second breaks
    with path.open("ab") as handle:
        handle.write(b"SYR999999,06 August 2016,2016,1,\xff\xfe broken bytes\n")
    with pytest.raises(ImportFormatError, match="cannot be read as CSV"):
        save_file(store, path, geocoder=None, known_actors=KNOWN, chunk_rows=5_000)
    assert store.list() == [] and set(row_counts(store).values()) <= {0}
