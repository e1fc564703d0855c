"""The shared backend: saved datasets in PostgreSQL, so several app replicas (and machines) see one truth.

Chosen when a database URL is configured (data/store/config.py). Writes use COPY inside one transaction: other
sessions see an import all at once, at its commit, or never. A session-level advisory lock per dataset id keeps
two replicas from importing the same file at once (the second is refused with a clear message, not left waiting);
different files import side by side. Every save, rename and delete raises `store_version` and sends
`NOTIFY atlas_datasets` in its transaction, so replicas notice within the second they next look.
Psycopg 3 (no SQLAlchemy: the store needs COPY and a few statements, not an ORM); one connection per operation.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import sql

from data.model.schema import TABLES
from data.store.config import database_url, libpq_url, redacted
from data.store.base import Store, StoreBusy, StoreError, StoreUnavailable, quote_name, schema_statements

_SQL_TYPE = {"date": "DATE", "int": "BIGINT", "float": "DOUBLE PRECISION"}
_SCHEMA_LOCK = 7_411_001  # advisory lock key: one replica creates the tables, the others wait
_ready: set[str] = set()
CHANNEL = "atlas_datasets"
UNREACHABLE = "The shared database cannot be reached right now, so saved datasets are unavailable; they come back as soon as it does."
_KINDS = {table: {col.name: col.kind for col in columns} for table, columns in TABLES.items()}


def _lock_key(dataset_id: str) -> int:
    """A signed 64-bit advisory lock key for a dataset id."""
    return int.from_bytes(hashlib.blake2b(dataset_id.encode(), digest_size=8).digest(), "big", signed=True)


class PostgresSession:
    """One open psycopg connection in autocommit mode, transactions opened explicitly (see Session)."""

    def __init__(self, conn: psycopg.Connection, store: "PostgresStore"):
        self.conn = conn
        self.store = store
        self.written: set[str] = set()  # tables this session's transaction has written to

    def rows(self, statement: str, params: list | tuple = ()) -> list[tuple]:
        return self.conn.execute(statement.replace("?", "%s"), list(params)).fetchall()

    def run(self, statement: str, params: list | tuple = ()) -> None:
        self.conn.execute(statement.replace("?", "%s"), list(params))

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if not self.conn.closed:
            self.conn.execute("ROLLBACK")

    def add_columns(self, table: str, names: list[str]) -> None:
        """Add the extra text columns missing so far (a format's first import only).

        An ALTER holds the table's strongest lock until its transaction ends; inside the import's transaction it
        would stop every reader of the table until the import commits. So a table this import has not written to
        yet is altered on a connection of its own, committed at once (an empty column left by a failed import is
        harmless).
        """
        present = {r[0] for r in self.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", [table])}
        missing = [name for name in names if name not in present]
        if not missing:
            return
        statements = [f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {quote_name(name)} TEXT" for name in missing]
        try:
            if table in self.written:
                self.run("SET LOCAL lock_timeout = '20s'")
                for statement in statements:
                    self.run(statement)
                return
            with self.store.connect() as other:
                other.execute("SET lock_timeout = '20s'")
                with other.transaction():
                    for statement in statements:
                        other.execute(statement)
        except psycopg.errors.LockNotAvailable:
            raise StoreBusy("another import is writing the same kind of data right now; try again when it has finished") from None

    def write_rows(self, table: str, frame: pd.DataFrame) -> None:
        """COPY the rows in as CSV written by Arrow (quoted text is a value, an unquoted blank is NULL)."""
        kinds = _KINDS[table]
        arrays = []
        for name in frame.columns:
            values = frame[name]
            if kinds.get(name) == "date":
                arrays.append(pa.array(values.to_numpy(dtype="datetime64[D]"), type=pa.date32(), mask=values.isna().to_numpy()))
            else:
                array = pa.Array.from_pandas(values)
                # pyarrow 26's CSV writer emits NUL bytes for a chunked column whose first chunk is empty: one chunk
                arrays.append(array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array)
        data = pa.Table.from_arrays(arrays, names=list(frame.columns))
        buffer = pa.BufferOutputStream()
        pacsv.write_csv(data, buffer, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
        with self.conn.cursor() as cursor:
            with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(sql.Identifier(table), columns)) as copy:
                copy.write(buffer.getvalue())
        self.written.add(table)

    def read_table(self, table: str, columns: list[str], dataset_id: str) -> pd.DataFrame:
        """COPY the rows out as CSV into a temporary file that Arrow reads: no Python object per cell."""
        select = sql.SQL(", ").join(sql.SQL("COALESCE(CAST({} AS TEXT), '')").format(sql.Identifier(c)) for c in columns)
        query = sql.SQL("COPY (SELECT {} FROM {} WHERE dataset_id = {} ORDER BY row_no) TO STDOUT (FORMAT csv)").format(
            select, sql.Identifier(table), sql.Literal(dataset_id)
        )
        with tempfile.TemporaryFile() as spool:
            with self.conn.cursor() as cursor, cursor.copy(query) as copy:
                for block in copy:
                    spool.write(block)
            if spool.tell() == 0:
                return pd.DataFrame({c: pd.Series(dtype=pd.StringDtype("pyarrow", na_value=np.nan)) for c in columns})
            spool.seek(0)
            data = pacsv.read_csv(
                spool,
                read_options=pacsv.ReadOptions(column_names=columns),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in columns}, strings_can_be_null=False,
                                                     quoted_strings_can_be_null=False, null_values=[]),
            )
        return data.to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow", na_value=np.nan))

    def claim_import(self, dataset_id: str) -> bool:
        """Hold this dataset's advisory lock until the connection closes (a killed replica's lock goes with it)."""
        return bool(self.rows("SELECT pg_try_advisory_lock(?)", [_lock_key(dataset_id)])[0][0])

    def announce_change(self) -> None:
        self.run(f"NOTIFY {CHANNEL}")

    def lock(self, name: str) -> None:
        """Wait for, then hold until this transaction ends, the lock of one kind of write (e.g. one dataset's
        control claims): a replica reading what it is about to check and write sees every earlier writer's commit."""
        self.run("SELECT pg_advisory_xact_lock(?)", [_lock_key("write:" + name)])


class PostgresStore(Store):
    """Saved datasets in a PostgreSQL database named by a URL (see the module docstring)."""

    backend = "postgresql"

    def __init__(self, path=None, *, url: str | None = None, chunk_rows: int = 200_000, connect_timeout: int = 3, **_options):
        url = url or database_url()
        if not url:
            raise StoreError("no database URL is configured (ATLAS_DATABASE_URL or [connections.atlas] in secrets)")
        self.url = url
        self.conninfo = libpq_url(url)
        self.chunk_rows = chunk_rows
        self.connect_timeout = connect_timeout

    def describe(self) -> str:
        return f"the PostgreSQL database {redacted(self.url)}"

    def cache_key(self) -> str:
        return self.conninfo

    def connect(self) -> psycopg.Connection:
        """A new autocommit connection; StoreUnavailable (a message fit for users) when the server is away."""
        try:
            return psycopg.connect(self.conninfo, autocommit=True, connect_timeout=self.connect_timeout, application_name="claim-atlas")
        except psycopg.OperationalError:
            raise StoreUnavailable(UNREACHABLE) from None

    @contextmanager
    def _session(self) -> Iterator[PostgresSession]:
        conn = self.connect()
        try:
            if self.conninfo not in _ready:
                _create_schema(conn)
                _ready.add(self.conninfo)
            yield PostgresSession(conn, self)
        except (psycopg.OperationalError, psycopg.errors.AdminShutdown):
            if conn.closed or conn.broken:
                raise StoreUnavailable(UNREACHABLE) from None
            raise
        finally:
            conn.close()


def _create_schema(conn: psycopg.Connection) -> None:
    """The tables, once per process; replicas starting together take turns under an advisory lock.

    When the last index and the tables added since exist nothing is run: CREATE INDEX IF NOT EXISTS would still
    wait for every import in progress (it locks the table against writers), and a replica starting meanwhile would
    hang. A database made by an earlier version (no control_claims table yet) gets the new tables once.
    """
    last_index = f"{list(TABLES)[-1]}_by_dataset"
    present = conn.execute("SELECT to_regclass(%s) IS NOT NULL AND to_regclass('narratives') IS NOT NULL "
                           "AND to_regclass('control_claims') IS NOT NULL", [last_index]).fetchone()[0]
    if present:
        return
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
        for statement in schema_statements(_SQL_TYPE, "TEXT"):
            conn.execute(statement)
        for table in TABLES:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_by_dataset ON {table} (dataset_id, row_no)")
