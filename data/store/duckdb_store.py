"""The embedded backend: every saved dataset in one DuckDB file, no server (the default, `make run`).

Several processes: DuckDB lets one process open a database file at a time. Every operation opens the file,
works in one transaction and closes it again; a process that finds the file locked waits and retries
(up to `lock_timeout` seconds). Inside one process a lock serialises operations on the same file, so two
imports in one app run one after the other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from data.store.base import Store, default_path, quote_name, schema_statements

_SQL_TYPE = {"date": "DATE", "int": "BIGINT", "float": "DOUBLE"}
IMPORT_MEMORY_LIMIT = "128MB"
_process_locks: dict[str, threading.RLock] = {}
_process_locks_guard = threading.Lock()


class DuckDBSession:
    """One open DuckDB connection (see data.store.base.Session)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def rows(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def run(self, sql: str, params: list | tuple = ()) -> None:
        self.con.execute(sql, list(params))

    def begin(self) -> None:
        self.con.begin()

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        self.con.rollback()

    def add_columns(self, table: str, names: list[str]) -> None:
        for name in names:
            self.con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {quote_name(name)} VARCHAR")

    def write_rows(self, table: str, frame: pd.DataFrame) -> None:
        """Insert through DuckDB's scan of a local Arrow table.

        A registered DataFrame (`con.register`) kept every chunk's Arrow string buffers alive until the commit
        (memory grew with the file, about 100 MB per 100,000 ACLED rows); the scan of a local variable copies.
        """
        atlas_chunk = pa.Table.from_pandas(frame, preserve_index=False)  # noqa: F841 (read by name by DuckDB)
        self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM atlas_chunk")

    def read_table(self, table: str, columns: list[str], dataset_id: str) -> pd.DataFrame:
        select = ", ".join(f"COALESCE(CAST({quote_name(c)} AS VARCHAR), '') AS {quote_name(c)}" for c in columns)
        return self.con.sql(
            f"SELECT {select} FROM {table} WHERE dataset_id = $id ORDER BY row_no", params={"id": dataset_id}
        ).to_arrow_table().to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow", na_value=np.nan))

    def claim_import(self, dataset_id: str) -> bool:
        """Always granted: one process holds the file, and the process lock serialises its imports.

        DuckDB keeps an open transaction's rows in its buffer pool, which may use most of the machine's memory;
        an import's connection is held to IMPORT_MEMORY_LIMIT and spills the rest to a temporary file.
        """
        self.con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")
        return True

    def announce_change(self) -> None:
        pass  # other readers see the raised version number

    def lock(self, name: str) -> None:
        pass  # one process holds the file at a time, and the process lock serialises this process's writers


class DuckDBStore(Store):
    """Saved datasets in one DuckDB file (see the module docstring for locking)."""

    backend = "duckdb"

    def __init__(self, path: Path | str | None = None, *, lock_timeout: float = 30.0, chunk_rows: int = 200_000, **_options):
        self.path = Path(path) if path is not None else default_path()
        self.lock_timeout = lock_timeout
        self.chunk_rows = chunk_rows
        with _process_locks_guard:
            self._lock = _process_locks.setdefault(str(self.path.resolve()), threading.RLock())

    def describe(self) -> str:
        return f"the DuckDB file {self.path.name}"

    def cache_key(self) -> str:
        return str(self.path.resolve())

    def _is_empty(self) -> bool:
        return not self.path.exists()

    @contextmanager
    def _session(self) -> Iterator[DuckDBSession]:
        """Open the file (waiting while another process holds it), ensure the schema, close afterwards."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            deadline = time.monotonic() + self.lock_timeout
            pause = 0.05
            while True:
                try:
                    con = duckdb.connect(str(self.path))
                    break
                except duckdb.IOException as exc:
                    if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                        raise
                    time.sleep(pause)
                    pause = min(pause * 2, 1.0)
            try:
                for statement in schema_statements(_SQL_TYPE, "VARCHAR"):
                    con.execute(statement)
                yield DuckDBSession(con)
            finally:
                con.close()
