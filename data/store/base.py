"""The store's interface and what both backends share: list, load, save (in one transaction), rename, delete.

A backend (data/store/duckdb_store.py, data/store/postgres_store.py) only opens a `Session`: SQL with `?`
parameters, transactions, bulk writes and reads. data/store/datasets.py picks the backend the configuration names.

Layout (both backends): a `datasets` table (one row per saved dataset), a one-row `store_version` counter that
every save, rename and delete raises in the same transaction (replicas compare it to know when to re-list), and
one table per contract table (sources, places, actors, events, claims) holding every dataset's rows, keyed by
`dataset_id` and `row_no` (the row order). Contract columns are typed (DATE, BIGINT, DOUBLE, text); columns a
format brings beyond the contract (e.g. `fatalities_best`, `acled_tags`) are added as text on first use and listed
per dataset. Rows are written through an `ImportBatch` inside one transaction: nothing of an import is visible
before its commit, and a failure (or a killed process) leaves nothing.
The seed dataset (id "seed") is never stored: it is always read from data/seed/.

Beside the datasets the store keeps what editors write, shared by every replica like the datasets themselves:
`narratives` (one JSON document per narrative, with a revision that a save must name, so no edit is silently
overwritten) and `control_claims` (editors' claims of who held a place, per dataset, in the columns of
data/model/control/claims_table.py, checked whole before anything is written). Every write of either raises
`store_version` too, and a dataset's control claims go with it when it is deleted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from data.errors import AtlasError
from data.importers.ids import dataset_id_for
from data.model.control.claims_table import CONTROL_CLAIM_COLUMNS
from data.model.dataset import Dataset, from_tables
from data.model.schema import LOAD_ORDER, TABLES, column_names

DEFAULT_FILE = "atlas.duckdb"
SEED_ID = "seed"
MAX_NAME_LENGTH = 200


class StoreError(AtlasError, LookupError):
    """A saved dataset that does not exist, or an operation the store refuses (e.g. deleting the seed)."""


class StoreBusy(StoreError):
    """The same file is being imported right now (on this or another replica): try again when it is done."""


class StoreUnavailable(StoreError):
    """The database cannot be reached; the message is safe to show (no host, password or path)."""


class NarrativeConflict(StoreError):
    """The narrative was changed by someone else since it was opened: reload it and make the change again."""


@dataclass(frozen=True)
class NarrativeDocument:
    """One narrative as the store keeps it: its id, title and author (for listing) and its JSON document."""

    narrative_id: str
    title: str
    author: str
    body: str
    revision: int = 0  # as stored (0: not stored yet)


@dataclass(frozen=True)
class DatasetInfo:
    """One saved dataset as listed: id, name, format, source file, content hash, when saved, row counts."""

    dataset_id: str
    name: str
    format: str
    file_name: str
    file_hash: str
    created: datetime
    counts: dict[str, int]


def default_path() -> Path:
    """`$ATLAS_DATA_DIR/atlas.duckdb`, else `~/.local/share/claim-atlas/atlas.duckdb`."""
    folder = os.environ.get("ATLAS_DATA_DIR")
    base = Path(folder).expanduser() if folder else Path.home() / ".local" / "share" / "claim-atlas"
    return base / DEFAULT_FILE


_DERIVED: dict[str, set[str]] | None = None


def derived_columns() -> dict[str, set[str]]:
    """Columns Dataset adds at load (day numbers, sides, status...): never stored, recomputed on load."""
    global _DERIVED
    if _DERIVED is None:
        empty = {t: pd.DataFrame({c: pd.Series(dtype=str) for c in column_names(t)}) for t in LOAD_ORDER}
        probe = from_tables(empty, dataset_id="probe")
        _DERIVED = {t: set(getattr(probe, t).columns) - set(column_names(t)) for t in LOAD_ORDER}
    return _DERIVED


def stored_frame(dataset: Dataset, table: str) -> pd.DataFrame:
    """A table of a Dataset as it is stored: contract columns typed, extra columns as text, derived ones dropped."""
    return stored_table(getattr(dataset, table), table)


def stored_table(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """One contract table as it is stored (see stored_frame); works on any slice of rows."""
    contract = column_names(table)
    skip = derived_columns()[table] | {"dataset_id"}
    extras = [c for c in frame.columns if c not in contract and c not in skip]
    out = {}
    for col in TABLES[table]:
        values = frame[col.name]
        if col.kind == "date":
            out[col.name] = pd.to_datetime(values)
        elif col.kind == "int":
            out[col.name] = values.astype("Int64")
        elif col.kind == "float":
            out[col.name] = values.astype("float64")
        else:
            out[col.name] = values.fillna("").astype(str)
    for name in extras:
        out[name] = frame[name].fillna("").astype(str)
    return pd.DataFrame(out, index=frame.index)


def clean_name(name: str) -> str:
    """A display name with runs of spaces folded; blank or over-long names refused with a clear message."""
    name = " ".join(str(name).split())
    if not name:
        raise ValueError("a dataset name cannot be blank")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"a dataset name has at most {MAX_NAME_LENGTH} characters, got {len(name)}")
    return name


class Session(Protocol):
    """One open connection of a backend: SQL with `?` parameters, transactions, bulk writes and reads."""

    def rows(self, sql: str, params: list | tuple = ()) -> list[tuple]: ...
    def run(self, sql: str, params: list | tuple = ()) -> None: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def add_columns(self, table: str, names: list[str]) -> None: ...
    def write_rows(self, table: str, frame: pd.DataFrame) -> None: ...
    def read_table(self, table: str, columns: list[str], dataset_id: str) -> pd.DataFrame: ...
    def claim_import(self, dataset_id: str) -> bool: ...
    def announce_change(self) -> None: ...
    def lock(self, name: str) -> None: ...


@dataclass
class ImportBatch:
    """Rows of one dataset being written inside one transaction; the datasets row is added at commit."""

    session: Session
    dataset_id: str
    already_saved: bool = False  # the same file was saved before: writes are skipped, the id is the same
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOAD_ORDER, 0))
    extras: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in LOAD_ORDER})

    def write_table(self, table: str, frame: pd.DataFrame) -> None:
        """Append rows of a contract table as a Dataset or an importer holds them (typed here as stored)."""
        self.write(table, stored_table(frame, table))

    def write(self, table: str, frame: pd.DataFrame) -> None:
        """Append rows (typed as `stored_table` makes them) to a table; row numbers continue across calls."""
        if self.already_saved or frame.empty:
            return
        new = [c for c in frame.columns if c not in column_names(table) and c not in self.extras[table]]
        if new:
            self.session.add_columns(table, new)
            self.extras[table].extend(new)
        frame = frame.reset_index(drop=True)
        frame.insert(0, "row_no", np.arange(self.counts[table], self.counts[table] + len(frame), dtype=np.int64))
        frame.insert(0, "dataset_id", self.dataset_id)
        self.session.write_rows(table, frame)
        self.counts[table] += len(frame)


class Store:
    """Saved datasets (see the module docstring); a backend provides `_session`, `describe` and `_is_empty`."""

    backend = "abstract"
    chunk_rows: int = 200_000

    # --- what a backend provides ---------------------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[Session]:
        raise NotImplementedError

    def _is_empty(self) -> bool:
        """True when nothing was ever stored (no database file yet): reads then answer without connecting."""
        return False

    def describe(self) -> str:
        """Where the datasets are, safe to show (no password)."""
        raise NotImplementedError

    def cache_key(self) -> str:
        """A string naming this store's database, for caches in the app (never shown: it may hold a password)."""
        raise NotImplementedError

    # --- reading -------------------------------------------------------------------------------------------------

    def list(self) -> list[DatasetInfo]:
        """Saved datasets, newest first (an absent database file lists nothing)."""
        if self._is_empty():
            return []
        with self._session() as session:
            rows = session.rows(
                "SELECT dataset_id, name, format, file_name, file_hash, created, counts FROM datasets ORDER BY created DESC, dataset_id"
            )
        return [
            DatasetInfo(r[0], r[1], r[2], r[3], r[4], r[5].replace(tzinfo=timezone.utc), json.loads(r[6]))
            for r in rows
        ]

    def info(self, dataset_id: str) -> DatasetInfo:
        """One saved dataset's listing; StoreError when absent."""
        for item in self.list():
            if item.dataset_id == dataset_id:
                return item
        raise StoreError(f"no saved dataset with id {dataset_id!r}")

    def exists(self, dataset_id: str) -> bool:
        """Whether a dataset with this id is saved."""
        if self._is_empty():
            return False
        with self._session() as session:
            return _has(session, dataset_id)

    def version(self) -> int:
        """A number raised by every save, rename and delete: replicas re-list their datasets when it moves."""
        if self._is_empty():
            return 0
        with self._session() as session:
            return int(session.rows("SELECT version FROM store_version WHERE id = 1")[0][0])

    def load(self, dataset_id: str) -> Dataset:
        """A saved dataset, validated again through `from_tables` so every derived column exists."""
        if dataset_id == SEED_ID:
            raise StoreError("the seed dataset is not in the store; load it with data.model.dataset.load_dataset()")
        if self._is_empty():
            raise StoreError(f"no saved dataset with id {dataset_id!r} (nothing is saved in {self.describe()})")
        with self._session() as session:
            rows = session.rows("SELECT extra_columns FROM datasets WHERE dataset_id = ?", [dataset_id])
            if not rows:
                raise StoreError(f"no saved dataset with id {dataset_id!r}")
            extras = json.loads(rows[0][0])
            raw = {
                table: session.read_table(table, [*column_names(table), *extras.get(table, [])], dataset_id)
                for table in LOAD_ORDER
            }
        return from_tables(raw, dataset_id=dataset_id, on_invalid="raise")

    # --- writing -------------------------------------------------------------------------------------------------

    @contextmanager
    def importing(self, dataset_id: str, name: str, *, fmt: str, file_name: str = "", file_hash: str = "") -> Iterator[ImportBatch]:
        """Write one dataset's rows in one transaction: committed with its `datasets` row when the block ends.

        Any exception rolls everything back. A file already saved yields a batch with `already_saved` set whose
        writes do nothing. The same dataset imported at the same moment elsewhere raises StoreBusy.
        """
        name = clean_name(name)
        with self._session() as session:
            if not session.claim_import(dataset_id):
                raise StoreBusy(f"{file_name or dataset_id} is being imported right now by someone else; it will be listed when that import ends")
            if _has(session, dataset_id):
                yield ImportBatch(session, dataset_id, already_saved=True)
                return
            session.begin()
            try:
                batch = ImportBatch(session, dataset_id)
                yield batch
                session.run(
                    "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [dataset_id, name, fmt, file_name, file_hash, datetime.now(timezone.utc).replace(tzinfo=None),
                     json.dumps(batch.counts), json.dumps(batch.extras)],
                )
                _bump_version(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def save(
        self,
        dataset: Dataset,
        name: str,
        *,
        file_hash: str,
        fmt: str = "atlas",
        file_name: str = "",
        progress: Callable[[float, str], None] | None = None,
    ) -> str:
        """Store every row of a dataset in one transaction; returns its id, `<format>-<12 hex of file_hash>`.

        Saving a file already saved (same format and content hash) stores nothing again and returns the same id.
        """
        if not file_hash:
            raise ValueError("file_hash is required: the dataset id is derived from it")
        dataset_id = dataset_id_for(fmt, file_hash)
        frames = {table: stored_frame(dataset, table) for table in LOAD_ORDER}
        total = sum(len(f) for f in frames.values()) or 1
        done = 0
        with self.importing(dataset_id, name, fmt=fmt, file_name=file_name, file_hash=file_hash) as batch:
            if batch.already_saved:
                return dataset_id
            for table, frame in frames.items():
                if frame.empty:
                    batch.write(table, frame)
                for start in range(0, len(frame), self.chunk_rows):
                    chunk = frame.iloc[start : start + self.chunk_rows]
                    self._write_rows(batch, table, chunk)
                    done += len(chunk)
                    if progress:
                        progress(done / total, f"saving {table}")
        return dataset_id

    def _write_rows(self, batch: ImportBatch, table: str, chunk: pd.DataFrame) -> None:
        """Append one chunk of rows to a table (inside the batch's transaction)."""
        batch.write(table, chunk)

    def delete(self, dataset_id: str) -> None:
        """Remove a saved dataset, all its rows and its editors' control claims (one transaction); StoreError when
        absent or the seed."""
        if dataset_id == SEED_ID:
            raise StoreError("the seed dataset is bundled with the app and cannot be deleted")
        with self._session() as session:
            if not _has(session, dataset_id):
                raise StoreError(f"no saved dataset with id {dataset_id!r}")
            session.begin()
            try:
                session.run("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])
                for table in (*LOAD_ORDER, "control_claims"):
                    session.run(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])
                _bump_version(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def rename(self, dataset_id: str, name: str) -> None:
        """Give a saved dataset a new display name (the id never changes)."""
        name = clean_name(name)
        with self._session() as session:
            if not _has(session, dataset_id):
                raise StoreError(f"no saved dataset with id {dataset_id!r}")
            session.begin()
            try:
                session.run("UPDATE datasets SET name = ? WHERE dataset_id = ?", [name, dataset_id])
                _bump_version(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # --- narratives ----------------------------------------------------------------------------------------------

    def narratives(self) -> list[NarrativeDocument]:
        """Every stored narrative document with its revision, by title then id (none when nothing was ever stored)."""
        if self._is_empty():
            return []
        with self._session() as session:
            rows = session.rows("SELECT narrative_id, title, author, body, revision FROM narratives ORDER BY title, narrative_id")
        return [NarrativeDocument(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4])) for r in rows]

    def save_narratives(self, documents: list[NarrativeDocument], *, check_revisions: bool = True) -> dict[str, int]:
        """Store narrative documents in one transaction, all or none; returns each one's new revision.

        With `check_revisions`, each document's `revision` is the one its editor opened (0: new) and a narrative
        stored since at another revision raises NarrativeConflict, changing nothing. Without, an import replaces
        what is stored under the same ids.
        """
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        saved: dict[str, int] = {}
        with self._write(lock="narratives") as session:
            for document in documents:
                found = session.rows("SELECT revision FROM narratives WHERE narrative_id = ?", [document.narrative_id])
                current = int(found[0][0]) if found else 0
                if check_revisions and document.revision != current:
                    raise NarrativeConflict(f"the narrative '{document.narrative_id}' was changed by someone else meanwhile; "
                                            "reload it and make your change again")
                values = [document.title, document.author, now, current + 1, document.body, document.narrative_id]
                if found:
                    session.run("UPDATE narratives SET title = ?, author = ?, updated = ?, revision = ?, body = ? WHERE narrative_id = ?", values)
                else:
                    session.run("INSERT INTO narratives (title, author, updated, revision, body, narrative_id) VALUES (?, ?, ?, ?, ?, ?)", values)
                saved[document.narrative_id] = current + 1
        return saved

    def delete_narrative(self, narrative_id: str) -> None:
        """Remove a stored narrative; StoreError when there is none with this id."""
        with self._write(lock="narratives") as session:
            if not session.rows("SELECT count(*) FROM narratives WHERE narrative_id = ?", [narrative_id])[0][0]:
                raise StoreError(f"no stored narrative with id {narrative_id!r}")
            session.run("DELETE FROM narratives WHERE narrative_id = ?", [narrative_id])

    # --- editors' control claims ---------------------------------------------------------------------------------

    def control_claims(self, dataset_id: str) -> pd.DataFrame:
        """A dataset's editors' control claims as stored (text, CONTROL_CLAIM_COLUMNS, in the order they were added)."""
        if self._is_empty():
            return _no_control_claims()
        with self._session() as session:
            return _read_control_claims(session, dataset_id)

    def add_control_claims(self, dataset_id: str, rows: pd.DataFrame,
                           check: Callable[[pd.DataFrame], list]) -> list:
        """Append claims to a dataset's, after `check` passed the whole table they make (the stored rows first).

        `check` returns the problems of a table (empty when all rows can be used); with any, nothing is written and
        they are returned. One transaction, and one writer per dataset at a time, so two editors adding at once on
        two replicas each check against the other's claim.
        """
        rows = rows.reindex(columns=CONTROL_CLAIM_COLUMNS).fillna("").astype(str)
        columns = ", ".join(["dataset_id", "row_no", *(quote_name(c) for c in CONTROL_CLAIM_COLUMNS)])
        marks = ", ".join(["?"] * (len(CONTROL_CLAIM_COLUMNS) + 2))
        try:
            with self._write(lock=f"control-claims:{dataset_id}") as session:
                stored = _read_control_claims(session, dataset_id)
                problems = check(pd.concat([stored, rows], ignore_index=True))
                if problems:
                    raise _Refused(problems)  # rolled back: nothing written, the version unchanged
                for offset, values in enumerate(rows.itertuples(index=False, name=None)):
                    session.run(f"INSERT INTO control_claims ({columns}) VALUES ({marks})", [dataset_id, len(stored) + offset, *values])
        except _Refused as refused:
            return refused.problems
        return []

    @contextmanager
    def _write(self, *, lock: str) -> Iterator[Session]:
        """One transaction holding `lock` (one writer of that name at a time on every replica), raising store_version
        at its commit; any exception rolls it back."""
        with self._session() as session:
            session.begin()
            try:
                session.lock(lock)
                yield session
                _bump_version(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise


class _Refused(Exception):
    """Raised inside a write to roll it back when a check refused what was to be written."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _has(session: Session, dataset_id: str) -> bool:
    return session.rows("SELECT count(*) FROM datasets WHERE dataset_id = ?", [dataset_id])[0][0] > 0


def _no_control_claims() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in CONTROL_CLAIM_COLUMNS})


def _read_control_claims(session: Session, dataset_id: str) -> pd.DataFrame:
    select = ", ".join(quote_name(c) for c in CONTROL_CLAIM_COLUMNS)
    rows = session.rows(f"SELECT {select} FROM control_claims WHERE dataset_id = ? ORDER BY row_no", [dataset_id])
    if not rows:
        return _no_control_claims()
    return pd.DataFrame([["" if v is None else str(v) for v in row] for row in rows], columns=list(CONTROL_CLAIM_COLUMNS))


def _bump_version(session: Session) -> None:
    session.run("UPDATE store_version SET version = version + 1 WHERE id = 1")
    session.announce_change()


def quote_name(name: str) -> str:
    """An SQL identifier in double quotes (both backends)."""
    return '"' + name.replace('"', '""') + '"'


def schema_statements(types: dict[str, str], text: str) -> list[str]:
    """CREATE statements of the layout, in a backend's type names (`types` by column kind, `text` for the rest)."""
    statements = [
        f"CREATE TABLE IF NOT EXISTS datasets (dataset_id {text} PRIMARY KEY, name {text}, format {text}, "
        f"file_name {text}, file_hash {text}, created TIMESTAMP, counts {text}, extra_columns {text})",
        "CREATE TABLE IF NOT EXISTS store_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
        "INSERT INTO store_version VALUES (1, 0) ON CONFLICT DO NOTHING",
        f"CREATE TABLE IF NOT EXISTS narratives (narrative_id {text} PRIMARY KEY, title {text} NOT NULL, "
        f"author {text} NOT NULL, updated TIMESTAMP NOT NULL, revision BIGINT NOT NULL, body {text} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS control_claims (dataset_id {text} NOT NULL, row_no BIGINT NOT NULL, "
        + ", ".join(f"{quote_name(c)} {text} NOT NULL" for c in CONTROL_CLAIM_COLUMNS)
        + ", PRIMARY KEY (dataset_id, row_no))",
    ]
    for table in LOAD_ORDER:
        columns = ", ".join(f"{quote_name(c.name)} {types.get(c.kind, text)}" for c in TABLES[table])
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} (dataset_id {text} NOT NULL, row_no BIGINT NOT NULL, {columns})")
    return statements
