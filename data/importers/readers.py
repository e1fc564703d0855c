"""How a file is read: its rows in chunks (`csv_chunks`), and each column's cells cleaned as text, made event ids,
or parsed as dates, codes or numbers.

Each cell reader refuses the cells it cannot read (through the file's Rejections) and returns a Series the size of
the chunk, so a layout (data/importers/spec.py) only names a reader per column.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data.errors import RowProblem

from data.importers.cell_values import check_codes, parse_numbers
from data.importers.dates import check_dates, parse_dates
from data.importers.errors import ImportFormatError
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


def csv_chunks(source: Path | str | bytes, file_label: str, *, block_bytes: int = 16 << 20, chunk_rows: int = 50_000) -> Iterator[tuple[pd.DataFrame, float]]:
    """A CSV as frames of at most `chunk_rows` text cells (headers trimmed, lower-cased) and the share of the file read.

    The file is read `block_bytes` at a time and cut after the last complete record (a line break outside quotes:
    an even count of `"` before it), and each piece is parsed by Arrow. Arrow's own streaming reader was not used: it
    reads ahead most of the file into memory. A file that is not UTF-8 or not CSV raises ImportFormatError, at its
    first piece or later (the caller then saves nothing).
    """
    data = source if isinstance(source, bytes) else None
    size = len(data) if data is not None else os.path.getsize(source)
    with (io.BytesIO(data) if data is not None else open(source, "rb")) as handle:
        head = handle.read(min(block_bytes, 1 << 16))
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
            raise ImportFormatError(
                f"{file_label} is not UTF-8 text",
                [RowProblem(file_label, 1, "*", "", "not UTF-8 text (it looks like UTF-16); save the file as UTF-8")],
            )
        header_end = head.find(b"\n")
        while header_end < 0 and len(head) < size:  # a header longer than 64 KiB
            more = handle.read(1 << 16)
            if not more:
                break
            head += more
            header_end = head.find(b"\n")
        header_line = head if header_end < 0 else head[: header_end + 1]
        header = next(csv.reader(io.StringIO(header_line.decode("utf-8", errors="replace"))), []) if header_line.strip() else []
        if not header:
            raise ImportFormatError(f"{file_label} cannot be read as CSV", [RowProblem(file_label, 1, "*", "", "unreadable CSV: the file is empty")])
        names = [str(name).strip().lower() for name in header]
        carry = b"" if header_end < 0 else head[header_end + 1 :]
        done = handle.tell() >= size
        yielded = False
        while carry or not done:
            block = carry + (b"" if done else handle.read(block_bytes))
            done = done or handle.tell() >= size
            cut = len(block) if done else _last_record_end(block)
            if cut == 0 and not done:  # one record longer than a block: read on
                carry = block
                continue
            piece, carry = block[:cut], block[cut:]
            frame = _parse_piece(piece, header, names, file_label)
            share = handle.tell() / size if size else 1.0
            # One line per record (no quoted line break): say so as read_csv_text does, so line numbers cost nothing.
            one_line = piece.count(b"\n") + (0 if piece.endswith(b"\n") else 1) == len(frame)
            for start in range(0, len(frame), chunk_rows):
                yielded = True
                chunk = frame.iloc[start : start + chunk_rows].reset_index(drop=True)
                if one_line:
                    chunk.attrs["newlines"] = len(chunk) + 1  # its records' lines and a header's
                yield chunk, share
            if done and not carry:
                break
        if not yielded:
            yield _parse_piece(b"", header, names, file_label), 1.0


def _last_record_end(block: bytes) -> int:
    """Just past the last line break of `block` that lies outside quotes (0 when there is none)."""
    position = len(block)
    quotes = block.count(b'"')
    while True:
        newline = block.rfind(b"\n", 0, position)
        if newline < 0:
            return 0
        quotes -= block.count(b'"', newline, position)
        if quotes % 2 == 0:
            return newline + 1
        position = newline


def _parse_piece(piece: bytes, header: list[str], names: list[str], file_label: str) -> pd.DataFrame:
    """Whole records (no header) as text cells under the file's column names."""
    if not piece.strip():
        return pd.DataFrame({name: pd.Series(dtype=pd.StringDtype("pyarrow", na_value=np.nan)) for name in names})
    try:
        table = pacsv.read_csv(
            pa.BufferReader(piece),
            read_options=pacsv.ReadOptions(column_names=header),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header}, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, null_values=[]),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0][:200]
        reason = "not UTF-8 text; save the file as UTF-8" if "UTF8" in message or "utf-8" in message.lower() else f"unreadable CSV: {message}"
        raise ImportFormatError(f"{file_label} cannot be read as CSV", [RowProblem(file_label, 1, "*", "", reason)]) from None
    frame = table.to_pandas(types_mapper=lambda _type: pd.StringDtype("pyarrow", na_value=np.nan))
    frame.columns = names
    return frame
