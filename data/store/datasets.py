"""Saved datasets: save an import once, list, load, rename and delete it, on the backend the configuration names.

- DuckDB (data/store/duckdb_store.py), the embedded default: one file, no server (`make run`).
- PostgreSQL (data/store/postgres_store.py), when a database URL is configured (data/store/config.py): several app
  replicas share it, so a link made on one opens on every other.

`DatasetStore()` is the configured backend; `DatasetStore(path)` is always the DuckDB file at `path`;
`DatasetStore(url=...)` is that PostgreSQL database. Both share the interface in data/store/base.py.

Why DuckDB as the default (measured on this machine, 1,000,000 event rows): DuckDB inserted a DataFrame in 0.8 s
into a 22 MB file; SQLite (stdlib, WAL, executemany) took 5.7 s and 205 MB, and reading back took 2.4 s vs 4.5 s.
"""

from __future__ import annotations

from pathlib import Path

from data.store.base import (
    DEFAULT_FILE,
    SEED_ID,
    DatasetInfo,
    ImportBatch,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    default_path,
    derived_columns,
    stored_frame,
    stored_table,
)
from data.store.config import database_url

__all__ = [
    "DEFAULT_FILE", "SEED_ID", "DatasetInfo", "DatasetStore", "ImportBatch", "Store", "StoreBusy", "StoreError",
    "StoreUnavailable", "default_path", "derived_columns", "open_store", "stored_frame", "stored_table",
]


def open_store(path: Path | str | None = None, *, url: str | None = None, **options) -> Store:
    """The store at `path` (DuckDB), at `url` (PostgreSQL), else the configured one (ATLAS_DATABASE_URL, secrets)."""
    url = url or (None if path is not None else database_url())
    if url:
        from data.store.postgres_store import PostgresStore

        return PostgresStore(url=url, **options)
    from data.store.duckdb_store import DuckDBStore

    return DuckDBStore(path, **options)


class DatasetStore(Store):
    """`DatasetStore(...)` is `open_store(...)`: callers written before there were two backends keep working."""

    def __new__(cls, path: Path | str | None = None, **options) -> Store:  # type: ignore[misc]
        return open_store(path, **options)
