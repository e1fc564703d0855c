"""The one import pipeline for CSV layouts: read, clean, check, map, resolve, check again; all valid rows or an error.

Every step a layout shares lives here; what differs (the columns, and how a row becomes events, actors, places,
sources and claims) is the layout's ImportFormat (data/importers/spec.py).

A file is read in chunks of rows (data/importers/readers.py `csv_chunks`) and every chunk goes through the one
function `_import_chunk`, whatever becomes of its rows:
- `import_csv` gathers the chunks' tables into one Dataset in memory (the tests, the review page, small files);
- `stream_csv` writes them into a store's ImportBatch, which commits all of them in one transaction at the end (or
  nothing, on any error): memory follows the chunk, not the file.
What spans chunks is kept in `FileState`: event ids already seen (a repeat in a later chunk is refused like one in
the same chunk), places already resolved (each distinct place looked up once per file), the ids of places, actors and
sources already given out (each written once, and later chunks' references to them checked), line numbers (counted
on), and the counts shown to users.

Two helper threads keep both cores busy on a streamed import: one parses the next CSV piece (`read_ahead`), one
writes the previous chunk into the store (`BackgroundWriter`); checking stays on the calling thread, which is also
the only one that reports progress. Measured in bench/import_acled.py.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data.errors import RowProblem
from data.importers.csv_files import require_columns
from data.importers.progress import Progress, report
from data.importers.readers import EventIds, csv_chunks
from data.importers.rejections import Rejections
from data.importers.resolve import PlaceMatcher, actor_closure, resolve_places, seed_actors
from data.importers.result import ImportResult
from data.importers.rows import ImportRows
from data.importers.spec import ImportFormat
from data.importers.tables import checked_tables, empty_table, typed_table
from data.model.dataset import Dataset
from data.model.schema import LOAD_ORDER, id_column
from data.model.text import removal_warnings, strip_invisible_frame

STREAM_CHUNK_ROWS = 50_000
SHARED_TABLES = ("sources", "places", "actors")  # rows several chunks may point to: each written once


def import_csv(
    layout: ImportFormat,
    source: Path | str | bytes,
    *,
    dataset_id: str,
    file_label: str,
    file_hash: str = "",
    geocoder=None,
    known_actors: pd.DataFrame | None = None,
    progress: Progress | None = None,
    chunk_rows: int = STREAM_CHUNK_ROWS,
) -> ImportResult:
    """Read a CSV in `layout` into a Dataset of its valid rows; refused rows are listed with line, column, value, reason.

    geocoder=None resolves no places; known_actors=None resolves actor names through the seed dataset's actors.
    """
    gathered: dict[str, list[pd.DataFrame]] = {table: [] for table in LOAD_ORDER}
    state = _read_chunks(layout, source, lambda table, frame: gathered[table].append(frame), dataset_id=dataset_id,
                         file_label=file_label, geocoder=geocoder, known_actors=known_actors, progress=progress, chunk_rows=chunk_rows)
    report(progress, 1.0, "building the dataset")
    tables = {table: _joined(table, frames) for table, frames in gathered.items()}
    del gathered
    dataset = Dataset(dataset_id, **tables)
    report(progress, 1.0, "done")
    return ImportResult(dataset=dataset, **state.summary(file_hash))


def _joined(table: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One table of the chunks' typed rows (a column only some chunks have is blank in the others)."""
    if not frames:
        return empty_table(table)
    if len(frames) == 1:
        return frames[0]
    return typed_table(table, pd.concat(frames, ignore_index=True))


@dataclass
class Streamed(ImportResult):
    """What a streamed import stored: counts instead of a Dataset (the rows are in the store, not in memory)."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows_stored(self) -> int:
        """Rows that became events (all stored in one transaction, or none)."""
        return self.counts.get("events", 0)


def stream_csv(
    layout: ImportFormat,
    source: Path | str | bytes,
    batch,
    *,
    dataset_id: str,
    file_label: str,
    file_hash: str = "",
    geocoder=None,
    known_actors: pd.DataFrame | None = None,
    progress: Progress | None = None,
    chunk_rows: int = STREAM_CHUNK_ROWS,
) -> Streamed:
    """Read, check and write a CSV chunk by chunk into `batch` (a store's ImportBatch, inside its transaction).

    `batch.write(table, frame)` takes each chunk's new rows of a table, typed as stored (data/store/base.py).
    Each chunk's tables are checked (ids unique, every reference resolves) before any of its rows is written; an
    error anywhere raises, and the store's transaction then keeps nothing of the file.
    """
    writer = BackgroundWriter(batch.write)
    try:
        state = _read_chunks(layout, source, writer.put, dataset_id=dataset_id, file_label=file_label, geocoder=geocoder,
                             known_actors=known_actors, progress=progress, chunk_rows=chunk_rows)
    except BaseException:
        writer.close(raise_error=False)  # the writer stops before the store rolls back; the first error is the one shown
        raise
    writer.close()  # every write done before the store commits
    report(progress, 1.0, "done")
    return Streamed(dataset=None, counts=state.counts, **state.summary(file_hash))


class BackgroundWriter:
    """Hands tables to `write` on a thread of its own, so the store writes one chunk while the next is checked.

    DuckDB's insert and PostgreSQL's COPY (whose server does most of the work) release the GIL: on two cores the
    writing overlaps the checking instead of following it. One table waits while another is written, so memory stays
    about one chunk ahead. The first error of a write is raised in the importing thread at its next call or at `close`; later
    tables are then dropped, and the store's transaction rolls back.
    """

    def __init__(self, write):
        self.write = write
        self.waiting: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="atlas-import-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.waiting.get()) is not None:
            if self.error is None:
                try:
                    self.write(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the importing thread
                    self.error = exc

    def put(self, table: str, frame: pd.DataFrame) -> None:
        """Queue one table's rows (waits while the writer is a chunk behind)."""
        self._raise()
        self.waiting.put((table, frame))

    def close(self, *, raise_error: bool = True) -> None:
        """Wait until everything queued is written (or dropped after an error); raise the first error a write met."""
        if self.thread.is_alive():
            self.waiting.put(None)
            self.thread.join()
        if raise_error:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


def read_ahead(items: Iterator, *, wait: float = 0.2) -> Iterator:
    """The items of `items`, the next one produced on a thread of its own while the caller works on this one.

    Arrow parses a CSV piece without holding the GIL, so reading overlaps checking on a free core; one item waits at
    most. An error raised while producing an item is raised here, in its place. A caller that stops early stops the
    producer at its next item.
    """
    waiting: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        waiting.put((item, None), timeout=wait)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            outcome = (done, None)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, in the item's place
            outcome = (done, exc)
        while not stop.is_set():
            try:
                waiting.put(outcome, timeout=wait)
                return
            except queue.Full:
                continue

    producer = threading.Thread(target=produce, name="atlas-import-reader", daemon=True)
    producer.start()
    try:
        while True:
            item, error = waiting.get()
            if error is not None:
                raise error
            if item is done:
                return
            yield item
    finally:
        stop.set()
        producer.join()
        close = getattr(items, "close", None)
        if close is not None:
            close()  # a generator stopped early closes its file now


@dataclass
class FileState:
    """What one file's chunks share: refusals so far, ids already given out, places already resolved, counts."""

    layout: ImportFormat
    file_label: str
    dataset_id: str
    geocoder: object
    known_actors: pd.DataFrame
    seen_events: "SeenIds" = field(default_factory=lambda: SeenIds())
    places: "PlacesSoFar" = field(default_factory=lambda: PlacesSoFar())
    written: dict[str, list[str]] = field(default_factory=lambda: {table: [] for table in SHARED_TABLES})
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOAD_ORDER, 0))
    rows_read: int = 0
    lines: int = 0  # physical lines of the file the chunks so far took, header excepted
    resolved: int = 0
    unresolved: int = 0

    def summary(self, file_hash: str) -> dict:
        """What an import result says of the file, whole or streamed."""
        return {"format": self.layout.name, "file_name": self.file_label, "file_hash": file_hash,
                "rejected": self.problems, "warnings": self.warnings, "rows_read": self.rows_read,
                "places_resolved": self.resolved, "places_unresolved": self.unresolved}


class _Steps:
    """A chunk's steps reported within its share of the file, never going backwards."""

    def __init__(self, progress: Progress | None):
        self.progress, self.low, self.high, self.last = progress, 0.0, 0.0, 0.0

    def __call__(self, fraction: float, message: str) -> None:
        self.at(self.low + (self.high - self.low) * fraction, message)

    def at(self, fraction: float, message: str) -> None:
        self.last = max(self.last, fraction)
        report(self.progress, self.last, message)


def _read_chunks(
    layout: ImportFormat,
    source: Path | str | bytes,
    write,
    *,
    dataset_id: str,
    file_label: str,
    geocoder,
    known_actors: pd.DataFrame | None,
    progress: Progress | None,
    chunk_rows: int,
) -> FileState:
    """Run every chunk of the file through `_import_chunk`, handing each chunk's checked tables to `write(table, frame)`."""
    state = FileState(layout, file_label, dataset_id, geocoder, seed_actors() if known_actors is None else known_actors)
    steps = _Steps(progress)
    steps.at(0.02, "reading the file")
    for number, (raw, share) in enumerate(read_ahead(csv_chunks(source, file_label, chunk_rows=chunk_rows))):
        if number == 0:
            require_columns(raw, layout.required, layout.optional, file_label, layout.label)
        else:
            for name in layout.optional:
                if name not in raw.columns:
                    raw[name] = ""
        steps.low, steps.high = steps.high, max(steps.high, share)
        tables = _import_chunk(raw, state, steps)
        del raw
        for table, frame in tables.items():
            write(table, frame)
            state.counts[table] += len(frame)
        del tables
        steps.at(steps.high, f"{state.rows_read:,} rows read, {state.counts['events']:,} events checked")
    return state


def _import_chunk(raw: pd.DataFrame, state: FileState, steps: _Steps) -> dict[str, pd.DataFrame]:
    """One chunk's rows (its first record `state.lines` lines below the header) into checked, typed tables of new rows.

    Refusals and warnings go to `state`; an empty dict when no row of the chunk is valid.
    """
    layout, file_label = state.layout, state.file_label
    raw, invisible = strip_invisible_frame(raw)  # bidi controls and zero-width characters, in every column
    found = Rejections(file_label, raw)
    found.lines = found.lines + state.lines
    lines_used = int(found.lines[-1] - state.lines - 1 + _breaks_in_last(raw)) if len(raw) else 0
    found.warnings.extend(removal_warnings(invisible, file_label, found.lines))
    rows = ImportRows(raw, found)
    rows_read = len(raw)
    steps(0.15, "checking rows")
    for column in layout.text_columns:
        rows.text[column.name] = column.reader.read(raw[column.name], column.name, found)
        del raw[column.name]  # the cleaned text replaces the file's: one copy in memory, not two

    steps(0.2, "checking ids, dates and codes")
    for column in layout.parsed_columns:
        rows.values[column.name] = column.reader.read(raw[column.name], column.name, found)
        if isinstance(column.reader, EventIds):
            _refuse_seen(rows.values[column.name], raw[column.name], column.name, found, state.seen_events)
    layout.check_rows(rows)

    valid = rows.select_valid()
    state.lines += lines_used
    state.rows_read += rows_read
    state.problems.extend(found.problems)
    state.warnings.extend(found.warnings)
    if valid == 0:  # a chunk of refused rows only: nothing to build or write
        return {}
    steps(0.3, f"{valid:,} valid rows; dating events")
    dates = layout.event_dates(rows)

    steps(0.4, "resolving places")
    place_rows = layout.place_rows(rows)
    options = {"prefix": f"{layout.name}-place", "coord_label": lambda d: f"{layout.coord_source} " + d["code"].astype(str), "geocoder": state.geocoder}
    places, place_id = state.places.resolve(place_rows, **options)
    where = layout.place_in_words(rows, place_rows).replace("", "an unnamed place")

    steps(0.55, "resolving actors")
    known = state.known_actors
    actors = layout.actors(rows, dates, known)

    steps(0.65, "building events and claims")
    events = layout.events(rows, dates, place_id, actors, where)
    steps(0.7, "building sources and claims")
    sources, claims = layout.sources_and_claims(rows, events, where, known)
    del rows, dates, place_rows, where
    used = actors.known_ids | set(claims["claimant_actor_id"].unique()) - {""}
    actor_table = pd.concat([actor_closure(used, known), actors.new_rows], ignore_index=True).drop_duplicates("actor_id")
    tables = {"sources": sources, "places": places, "actors": actor_table, "events": events, "claims": claims}
    earlier = {}
    for table in SHARED_TABLES:  # rows earlier chunks gave out are not given again (they may still be pointed to)
        key, ids = id_column(table), pd.Series(state.written[table], dtype=str)
        earlier[table] = ids
        if len(ids):
            frame = tables[table]
            tables[table] = frame[~frame[key].isin(state.written[table]).to_numpy()].reset_index(drop=True)
    steps(0.75, "checking the tables")
    checked = checked_tables(tables, dataset_id=state.dataset_id, earlier=earlier)
    for table in SHARED_TABLES:
        state.written[table].extend(checked[table][id_column(table)].tolist())
    own = checked["places"]
    own = own[own["place_id"].str.startswith(f"{layout.name}-place:").to_numpy()]  # the file's own places, each once
    matched = int(own["gazetteer_match"].ne("").sum()) if "gazetteer_match" in own else 0
    state.resolved, state.unresolved = state.resolved + matched, state.unresolved + len(own) - matched
    return checked


class PlacesSoFar:
    """The places earlier chunks resolved: a distinct place is matched against the gazetteer once per file, not per chunk.

    A place row's key (resolve_places' key columns) is kept as a 64-bit hash of its cells; two different places
    share one with odds of about 1 in 10^11 for a file of 20,000 distinct places. The geocoder's answers for names
    are kept too (one PlaceMatcher per file), so a name met again with other coordinates is not looked up again.
    """

    def __init__(self):
        self.hashes = pd.Index(np.zeros(0, dtype=np.uint64))
        self.ids = np.zeros(0, dtype=object)
        self.matcher: PlaceMatcher | None = None

    def resolve(self, place_rows: pd.DataFrame, **options) -> tuple[pd.DataFrame, pd.Series]:
        """(rows of the places not resolved before, with their gazetteer copies; the place id of every row)."""
        key_columns = ["name", "lat", "lon", "precision_m", "code", "kind", "country", *[c for c in place_rows.columns if c.startswith("cand_")]]
        keys = pd.util.hash_pandas_object(place_rows[key_columns], index=False).to_numpy()
        where = self.hashes.get_indexer(keys)
        new = where < 0
        place_id = np.where(new, "", self.ids[np.where(new, 0, where)] if len(self.ids) else "").astype(object)
        if not new.any():
            return empty_table("places"), pd.Series(place_id, index=place_rows.index, dtype=str)
        if self.matcher is None:
            self.matcher = PlaceMatcher(options["geocoder"])
        places, new_ids, _, _ = resolve_places(place_rows[new], matcher=self.matcher, **options)
        place_id[new] = new_ids.to_numpy(dtype=object)
        new_keys, first = np.unique(keys[new], return_index=True)
        self.hashes = self.hashes.append(pd.Index(new_keys))
        self.ids = np.concatenate([self.ids, new_ids.to_numpy(dtype=object)[first]])
        return places, pd.Series(place_id, index=place_rows.index, dtype=str)


def _breaks_in_last(raw: pd.DataFrame) -> int:
    """Line breaks inside the last record's cells (it takes that many more lines)."""
    last = raw.iloc[-1]
    return sum(str(value).count("\n") for value in last.to_numpy())


class SeenIds:
    """Event ids of earlier chunks as sorted 64-bit hashes: 8 bytes an id (a set of a million strings took ~100 MB).

    Two different ids share a hash with odds of about 1 in 10^7 for a million-row file; the later row would then be
    refused as a repeat, with the reason saying so, never stored wrongly.
    """

    def __init__(self):
        self.hashes = np.zeros(0, dtype=np.uint64)

    @staticmethod
    def hashed(ids: pd.Series) -> np.ndarray:
        """The 64-bit hash of each id."""
        return pd.util.hash_pandas_object(ids, index=False).to_numpy()

    def find(self, hashed: np.ndarray) -> np.ndarray:
        """Which of these hashed ids an earlier chunk had."""
        if not len(self.hashes):
            return np.zeros(len(hashed), dtype=bool)
        where = np.searchsorted(self.hashes, hashed).clip(max=len(self.hashes) - 1)
        return self.hashes[where] == hashed

    def add(self, hashed: np.ndarray) -> None:
        """Remember hashed ids (a stable sort of two sorted runs is one linear merge)."""
        merged = np.concatenate([self.hashes, np.sort(hashed)])
        merged.sort(kind="stable")
        self.hashes = merged


def _refuse_seen(event_ids: pd.Series, written: pd.Series, column: str, found: Rejections, seen: SeenIds) -> None:
    """Refuse rows whose event id an earlier chunk had (as a repeat in one chunk is), then remember this chunk's."""
    fresh = ~found.bad
    hashed = seen.hashed(event_ids)
    repeat = seen.find(hashed) & fresh
    found.reject(repeat, column, "duplicate event id (the first row with it is kept)", values=written)
    seen.add(hashed[fresh & ~repeat])
