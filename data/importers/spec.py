"""A CSV layout as data: the header that identifies it, how each column is read, how a row becomes our tables.

`import_csv` (data/importers/pipeline.py) runs any ImportFormat; a new format is one module that defines one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from data.importers.readers import CellReader, Text
from data.importers.rows import ImportRows


@dataclass(frozen=True)
class Column:
    """A column of the layout (any case in the file): whether a file must have it and how its cells are read."""

    name: str
    required: bool = False
    reader: CellReader | None = None  # None: kept as written, for the layout's own functions


@dataclass(frozen=True, eq=False)
class EventDates:
    """Each valid row's event dates (first and last day) and how precise they are ("day", "week", "range"...)."""

    start: pd.Series
    end: pd.Series
    precision: pd.Series


@dataclass(frozen=True, eq=False)
class EventActors:
    """Who acted in each valid row: event columns of actor ids, the known actors used, rows for the new ones."""

    columns: dict[str, pd.Series]  # actor1_id, actor2_id (and any extra column such as assoc_actor1_ids)
    known_ids: set[str]
    new_rows: pd.DataFrame


def no_checks(rows: ImportRows) -> None:
    """A layout whose columns are checked one by one only."""


@dataclass(frozen=True)
class ImportFormat:
    """An input layout: how to recognise it, what each column holds, and how each valid row becomes our tables.

    The pipeline reads and checks every column, then calls the functions below in the order they are listed: first
    `check_rows` on every row (it may refuse some), then the others on the valid rows only.
    """

    name: str  # "acled": the --format value, the dataset id's prefix, and the namespace of place ids ("acled-place:")
    label: str  # "ACLED": how messages name the layout
    signature: frozenset[str]  # lower-case header columns that together identify the layout
    columns: tuple[Column, ...]  # required ones first, in the order refusals list them
    coord_source: str  # where a place's point comes from, followed by its precision code: "ACLED file, geo_precision"
    check_rows: Callable[[ImportRows], None]  # checks across columns, after each column's own (or no_checks)
    event_dates: Callable[[ImportRows], EventDates]
    # Rows to place candidates: name, lat, lon, precision_m, code, kind, country, admin*, cand_* (see resolve_places).
    place_rows: Callable[[ImportRows], pd.DataFrame]
    # The place of each valid row in words, for generated summaries and statements ('' becomes "an unnamed place").
    place_in_words: Callable[[ImportRows, pd.DataFrame], pd.Series]
    actors: Callable[[ImportRows, EventDates, pd.DataFrame], EventActors]  # (rows, dates, known actors)
    # (rows, dates, place id per row, actors, place in words) -> the events table (data.importers.tables.fill_table)
    events: Callable[[ImportRows, EventDates, pd.Series, EventActors, pd.Series], pd.DataFrame]
    # (rows, events, place in words, known actors) -> the sources and claims tables
    sources_and_claims: Callable[[ImportRows, pd.DataFrame, pd.Series, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]

    @property
    def required(self) -> tuple[str, ...]:
        """Columns a file must have."""
        return tuple(column.name for column in self.columns if column.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """Columns a file may lack (they are then blank)."""
        return tuple(column.name for column in self.columns if not column.required)

    @property
    def text_columns(self) -> tuple[Column, ...]:
        """Columns of free text, cleaned before anything is checked."""
        return tuple(column for column in self.columns if isinstance(column.reader, Text))

    @property
    def parsed_columns(self) -> tuple[Column, ...]:
        """Columns read into values (ids, dates, codes, numbers), in the order given."""
        return tuple(column for column in self.columns if column.reader is not None and not isinstance(column.reader, Text))

    def matches_header(self, columns: list[str]) -> bool:
        """Whether a header (any case) looks like this layout."""
        return self.signature <= {c.strip().lower() for c in columns}
