"""The one import pipeline for CSV layouts: read, clean, check, map, resolve, assemble; all valid rows or an error.

Every step a layout shares lives here; what differs (the columns, and how a row becomes events, actors, places,
sources and claims) is the layout's ImportFormat (data/importers/spec.py).

Two ways to run it:
- `import_csv` builds one Dataset of the whole file in memory (the tests, the review page, small files);
- `stream_csv` reads, checks and writes the file in chunks of rows into a store's ImportBatch, which commits all
  of them in one transaction at the end (or nothing, on any error): memory follows the chunk, not the file.
A chunk is run through the same steps as a whole file; what spans chunks is kept in `Streamed`: event ids already
seen (a repeat in a later chunk is refused like one in the same chunk), the ids of places, actors and sources
already written (each written once), line numbers (counted on), and the counts shown to users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers.csv_files import read_csv_text, require_columns
from data.importers.progress import Progress, report
from data.importers.readers import EventIds, csv_chunks
from data.importers.rejections import Rejections
from data.importers.resolve import actor_closure, resolve_places, seed_actors
from data.importers.result import ImportResult
from data.importers.rows import ImportRows
from data.importers.spec import ImportFormat
from data.importers.tables import assemble_dataset
from data.model.schema import LOAD_ORDER, id_column
from data.model.text import removal_warnings, strip_invisible_frame

STREAM_CHUNK_ROWS = 50_000


@dataclass
class _Part:
    """One chunk's (or the whole file's) tables and counts."""

    tables: dict[str, pd.DataFrame]
    found: Rejections
    rows_read: int
    resolved: int
    unresolved: int
    lines_used: int  # physical lines of the file its records took (a quoted line break adds one)


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
) -> ImportResult:
    """Read a CSV in `layout` into a Dataset of its valid rows; refused rows are listed with line, column, value, reason.

    geocoder=None resolves no places; known_actors=None resolves actor names through the seed dataset's actors.
    """
    report(progress, 0.02, "reading the file")
    part = _build_tables(layout, _read_whole(source, file_label, layout), file_label, geocoder=geocoder,
                         known_actors=known_actors, progress=progress)
    report(progress, 0.75, "validating the dataset")
    dataset = assemble_dataset(part.tables, dataset_id=dataset_id)
    report(progress, 1.0, "done")
    return ImportResult(
        format=layout.name,
        file_name=file_label,
        file_hash=file_hash,
        dataset=dataset,
        rejected=part.found.problems,
        warnings=part.found.warnings,
        rows_read=part.rows_read,
        places_resolved=part.resolved,
        places_unresolved=part.unresolved,
    )


def _read_whole(source: Path | str | bytes, file_label: str, layout: ImportFormat) -> pd.DataFrame:
    raw = read_csv_text(source, file_label)
    require_columns(raw, layout.required, layout.optional, file_label, layout.label)
    return raw


def _build_tables(
    layout: ImportFormat,
    raw: pd.DataFrame,
    file_label: str,
    *,
    geocoder,
    known_actors: pd.DataFrame | None,
    progress: Progress | None = None,
    line_offset: int = 0,
    seen_event_ids: "SeenIds | None" = None,
    places_so_far: "PlacesSoFar | None" = None,
) -> _Part:
    """Rows of a file (or of one chunk, its first record `line_offset` lines further down) into our five tables."""
    raw, invisible = strip_invisible_frame(raw)  # bidi controls and zero-width characters, in every column
    found = Rejections(file_label, raw)
    found.lines = found.lines + line_offset
    lines_used = int(found.lines[-1] - line_offset - 1 + _breaks_in_last(raw)) if len(raw) else 0
    found.warnings.extend(removal_warnings(invisible, file_label, found.lines))
    rows = ImportRows(raw, found)
    report(progress, 0.15, "checking rows")
    for column in layout.text_columns:
        rows.text[column.name] = column.reader.read(raw[column.name], column.name, found)
        del raw[column.name]  # the cleaned text replaces the file's: one copy in memory, not two

    report(progress, 0.2, "checking ids, dates and codes")
    for column in layout.parsed_columns:
        rows.values[column.name] = column.reader.read(raw[column.name], column.name, found)
        if seen_event_ids is not None and isinstance(column.reader, EventIds):
            _refuse_seen(rows.values[column.name], raw[column.name], column.name, found, seen_event_ids)
    layout.check_rows(rows)

    valid = rows.select_valid()
    if valid == 0 and seen_event_ids is not None:  # a chunk of refused rows only: nothing to build or write
        return _Part({}, found, len(raw), 0, 0, lines_used)
    report(progress, 0.3, f"{valid:,} valid rows; dating events")
    dates = layout.event_dates(rows)

    report(progress, 0.4, "resolving places")
    place_rows = layout.place_rows(rows)
    options = {"prefix": f"{layout.name}-place", "coord_label": lambda d: f"{layout.coord_source} " + d["code"].astype(str), "geocoder": geocoder}
    if places_so_far is None:
        places, place_id, resolved, unresolved = resolve_places(place_rows, **options)
    else:
        places, place_id, resolved, unresolved = places_so_far.resolve(place_rows, **options)
    where = layout.place_in_words(rows, place_rows).replace("", "an unnamed place")

    report(progress, 0.55, "resolving actors")
    known = seed_actors() if known_actors is None else known_actors
    actors = layout.actors(rows, dates, known)

    report(progress, 0.65, "building events and claims")
    events = layout.events(rows, dates, place_id, actors, where)
    report(progress, 0.7, "building sources and claims")
    sources, claims = layout.sources_and_claims(rows, events, where, known)
    used = actors.known_ids | set(claims["claimant_actor_id"]) - {""}
    actor_table = pd.concat([actor_closure(used, known), actors.new_rows], ignore_index=True).drop_duplicates("actor_id")
    tables = {"sources": sources, "places": places, "actors": actor_table, "events": events, "claims": claims}
    return _Part(tables, found, len(raw), resolved, unresolved, lines_used)


class PlacesSoFar:
    """The places earlier chunks resolved: a place is matched against the gazetteer once per file, not per chunk.

    A chunk's places table holds its new places plus every earlier one (a few thousand rows), so its references
    are checked like a whole file's; the store writes each place once.
    """

    def __init__(self):
        self.place_of: dict[str, str] = {}  # a place row's key (resolve_places' key columns) -> place id ('' = none)
        self.table: pd.DataFrame | None = None

    def resolve(self, place_rows: pd.DataFrame, **options) -> tuple[pd.DataFrame, pd.Series, int, int]:
        key_columns = ["name", "lat", "lon", "precision_m", "code", "kind", "country", *[c for c in place_rows.columns if c.startswith("cand_")]]
        keys = place_rows[key_columns[0]].astype(str)
        for column in key_columns[1:]:
            keys = keys + "\x1f" + place_rows[column].astype(str)
        known = keys.map(self.place_of)
        new = known.isna().to_numpy()
        resolved = unresolved = 0
        place_id = known.astype(object).where(~new, "").astype(str)
        if new.any():
            places, new_ids, resolved, unresolved = resolve_places(place_rows[new], **options)
            self.place_of.update(zip(keys[new].tolist(), new_ids.tolist()))
            place_id[new] = new_ids.to_numpy()
            self.table = places if self.table is None else pd.concat([self.table, places], ignore_index=True).drop_duplicates("place_id").reset_index(drop=True)
        return self.table.copy(), place_id, resolved, unresolved


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

    def find(self, ids: pd.Series) -> np.ndarray:
        hashed = pd.util.hash_array(ids.to_numpy(dtype=object))
        where = np.searchsorted(self.hashes, hashed).clip(max=max(len(self.hashes) - 1, 0))
        return (self.hashes[where] == hashed) if len(self.hashes) else np.zeros(len(ids), dtype=bool)

    def add(self, ids: pd.Series) -> None:
        self.hashes = np.union1d(self.hashes, pd.util.hash_array(ids.to_numpy(dtype=object)))


def _refuse_seen(event_ids: pd.Series, written: pd.Series, column: str, found: Rejections, seen: SeenIds) -> None:
    """Refuse rows whose event id an earlier chunk had (as a repeat in one chunk is), then remember this chunk's."""
    fresh = ~found.bad
    repeat = seen.find(event_ids) & fresh
    found.reject(repeat, column, "duplicate event id (the first row with it is kept)", values=written)
    seen.add(event_ids[fresh & ~repeat])


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

    `batch.write_table(table, frame)` takes each chunk's new rows of a table (data/store/base.py).

    Each chunk's tables are checked like a whole file's (ids unique, every reference resolves) before any of its
    rows is written; an error anywhere raises, and the store's transaction then keeps nothing of the file.
    """
    known = seed_actors() if known_actors is None else known_actors
    seen_events = SeenIds()
    places_so_far = PlacesSoFar()
    written: dict[str, set[str]] = {table: set() for table in ("sources", "places", "actors")}
    problems, warnings = [], []
    rows_read = resolved = unresolved = lines = 0
    counts = dict.fromkeys(LOAD_ORDER, 0)
    report(progress, 0.01, "reading the file")
    for number, (raw, share) in enumerate(csv_chunks(source, file_label, chunk_rows=chunk_rows)):
        if number == 0:
            require_columns(raw, layout.required, layout.optional, file_label, layout.label)
        else:
            for name in layout.optional:
                if name not in raw.columns:
                    raw[name] = ""
        part = _build_tables(layout, raw, file_label, geocoder=geocoder, known_actors=known, line_offset=lines, seen_event_ids=seen_events,
                             places_so_far=places_so_far)
        del raw
        lines += part.lines_used
        rows_read += part.rows_read
        problems.extend(part.found.problems)
        warnings.extend(part.found.warnings)
        if not part.tables:
            continue
        checked = assemble_dataset(part.tables, dataset_id=dataset_id)  # this chunk's contract check
        for table in LOAD_ORDER:
            frame = getattr(checked, table)
            if table in written:
                key = id_column(table)
                new = ~frame[key].isin(written[table]).to_numpy()
                frame = frame[new]
                written[table].update(frame[key].tolist())
                if table == "places":  # the file's own places, each counted once: matched to a known place or not
                    own = frame[frame[key].str.startswith(f"{layout.name}-place:")]
                    matched = int(own["gazetteer_match"].ne("").sum())
                    resolved, unresolved = resolved + matched, unresolved + len(own) - matched
            batch.write_table(table, frame)
            counts[table] += len(frame)
        del part, checked
        report(progress, 0.05 + 0.9 * share, f"{rows_read:,} rows read, {counts['events']:,} events written")
    report(progress, 1.0, "done")
    return Streamed(
        format=layout.name,
        file_name=file_label,
        file_hash=file_hash,
        dataset=None,
        rejected=problems,
        warnings=warnings,
        rows_read=rows_read,
        places_resolved=resolved,
        places_unresolved=unresolved,
        counts=counts,
    )
