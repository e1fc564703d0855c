"""How one column's cells are read: cleaned as text, made event ids, or parsed as dates, codes or numbers.

Each reader refuses the cells it cannot read (through the file's Rejections) and returns a Series the size of the
file, so a layout (data/importers/spec.py) only names a reader per column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from data.importers.cell_values import check_codes, parse_numbers
from data.importers.dates import check_dates, parse_dates
from data.importers.rejections import Rejections
from data.importers.text_repair import clean_text


class CellReader(Protocol):
    """Reads a column's cells (text as in the file) into values, refusing the rows it cannot read."""

    def read(self, cells: pd.Series, column: str, found: Rejections) -> pd.Series:
        """One value per row of the file (refused rows included: they are dropped later, all at once)."""
        ...


@dataclass(frozen=True)
class Text:
    """Free text (names, notes, outlets): trimmed, HTML entities unescaped, mojibake repaired and reported."""

    def read(self, cells: pd.Series, column: str, found: Rejections) -> pd.Series:
        """The cleaned text; repairs are warnings, never refusals."""
        return clean_text(cells, column, found)


@dataclass(frozen=True)
class EventIds:
    """The file's own event id as ours, `<namespace>:<id in lower case>`; blank, malformed and repeated ids refused."""

    namespace: str  # "acled" makes SYR21274 acled:syr21274
    pattern: str  # what an id looks like as written (trimmed), or lower-cased with `match_lower_case`
    malformed: str  # the reason given for an id that does not fit `pattern`
    drop_decimal: bool = False  # "318776.0" is 318776: a spreadsheet wrote the id as a number
    match_lower_case: bool = False  # check the id as it is kept (lower case) rather than as written

    def read(self, cells: pd.Series, column: str, found: Rejections) -> pd.Series:
        """Our event id of every row; the first of rows with one id is kept."""
        written = cells.astype(str).str.strip()
        if self.drop_decimal:
            written = written.str.replace(r"\.0$", "", regex=True)
        lowered = written.str.lower()
        event_id = f"{self.namespace}:" + lowered
        blank = written.eq("").to_numpy()
        found.reject(blank, column, "required value is blank")
        checked = lowered if self.match_lower_case else written
        found.reject(~blank & ~checked.str.fullmatch(self.pattern).to_numpy(), column, self.malformed)
        found.reject(~blank & event_id.duplicated(keep="first").to_numpy(), column, "duplicate event id (the first row with it is kept)")
        return event_id


@dataclass(frozen=True)
class Dates:
    """A required date, tried against each format in turn; `expected` shows users what a date should look like."""

    formats: tuple[str, ...]
    expected: str

    def read(self, cells: pd.Series, column: str, found: Rejections) -> pd.Series:
        """Days (datetime64[s]); blank, unparseable, placeholder and out-of-range dates refused."""
        parsed = parse_dates(cells, self.formats)
        check_dates(parsed, cells, column, found, self.expected)
        return parsed


@dataclass(frozen=True)
class Codes:
    """A code from the layout's fixed list (a precision code), mapped to what it means; blank and unknown refused."""

    meanings: dict[str, object]
    what: str  # how refusals name the code: "unknown <what>; expected one of ..."

    def read(self, cells: pd.Series, column: str, found: Rejections) -> pd.Series:
        """The meaning of each row's code (NaN where refused)."""
        return check_codes(cells, column, found, self.meanings, self.what)


@dataclass(frozen=True)
class Numbers:
    """A number within [low, high], whole if asked; a blank cell is refused unless `blank_allowed`."""

    low: float
    high: float
    whole: bool = False
    blank_allowed: bool = False

    def read(self, cells: pd.Series, column: str, found: Rejections) -> pd.Series:
        """Floats, NaN where blank or refused."""
        return parse_numbers(cells, column, found, low=self.low, high=self.high, required=not self.blank_allowed, whole=self.whole)


TEXT = Text()
LATITUDE = Numbers(low=-90, high=90)
LONGITUDE = Numbers(low=-180, high=180)
