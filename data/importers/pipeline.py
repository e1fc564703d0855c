"""The one import pipeline for CSV layouts: read, clean, check, map, resolve, assemble; all valid rows or an error.

Every step a layout shares lives here; what differs (the columns, and how a row becomes events, actors, places,
sources and claims) is the layout's ImportFormat (data/importers/spec.py). Nothing is saved here: the Dataset either
holds every valid row or is not built (ImportFormatError, ImportConsistencyError), and the store saves it whole.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.importers.csv_files import read_csv_text, require_columns
from data.importers.progress import Progress, report
from data.importers.rejections import Rejections
from data.importers.resolve import actor_closure, resolve_places, seed_actors
from data.importers.result import ImportResult
from data.importers.rows import ImportRows
from data.importers.spec import ImportFormat
from data.importers.tables import assemble_dataset
from data.model.text import removal_warnings, strip_invisible_frame


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
    raw = read_csv_text(source, file_label)
    require_columns(raw, layout.required, layout.optional, file_label, layout.label)
    raw, invisible = strip_invisible_frame(raw)  # bidi controls and zero-width characters, in every column
    found = Rejections(file_label, raw)
    found.warnings.extend(removal_warnings(invisible, file_label, found.lines))
    rows = ImportRows(raw, found)
    report(progress, 0.15, "checking rows")
    for column in layout.text_columns:
        rows.text[column.name] = column.reader.read(raw[column.name], column.name, found)
        del raw[column.name]  # the cleaned text replaces the file's: one copy in memory, not two

    report(progress, 0.2, "checking ids, dates and codes")
    for column in layout.parsed_columns:
        rows.values[column.name] = column.reader.read(raw[column.name], column.name, found)
    layout.check_rows(rows)

    valid = rows.select_valid()
    report(progress, 0.3, f"{valid:,} valid rows; dating events")
    dates = layout.event_dates(rows)

    report(progress, 0.4, "resolving places")
    place_rows = layout.place_rows(rows)
    places, place_id, resolved, unresolved = resolve_places(
        place_rows, prefix=f"{layout.name}-place", coord_label=lambda d: f"{layout.coord_source} " + d["code"].astype(str), geocoder=geocoder
    )
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

    report(progress, 0.75, "validating the dataset")
    tables = {"sources": sources, "places": places, "actors": actor_table, "events": events, "claims": claims}
    rows_read = len(raw)
    del raw, rows, dates, place_rows, where, actors  # free the file's columns before the Dataset is built
    dataset = assemble_dataset(tables, dataset_id=dataset_id)
    report(progress, 1.0, "done")
    return ImportResult(
        format=layout.name,
        file_name=file_label,
        file_hash=file_hash,
        dataset=dataset,
        rejected=found.problems,
        warnings=found.warnings,
        rows_read=rows_read,
        places_resolved=resolved,
        places_unresolved=unresolved,
    )
