"""Reading an input CSV: every cell as text, fast (Arrow), and its header checked against the layout asked for."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data.errors import RowProblem
from data.importers.errors import ImportFormatError


def read_csv_text(source: Path | str | bytes, file_label: str) -> pd.DataFrame:
    """Read a CSV as text cells (blank = ""), headers trimmed and lower-cased; unreadable files raise ImportFormatError.

    pyarrow's multi-threaded reader is 4x faster than pandas' here (1M ACLED rows: 3.8 s vs 13+ s). The count of
    line breaks in the file is kept in `attrs["newlines"]`, so line numbers need no per-cell work when no quoted
    cell holds a line break.
    """
    # A path is streamed by pyarrow (the file's bytes are never all in memory at once); bytes are wrapped as is.
    if isinstance(source, bytes):
        head, open_input = source[: 1 << 16], lambda: pa.BufferReader(source)
    else:
        with open(source, "rb") as handle:
            head = handle.read(1 << 16)
        open_input = lambda: pa.memory_map(str(source), "r")  # noqa: E731
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]  # pyarrow skips the byte order mark itself
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        raise ImportFormatError(
            f"{file_label} is not UTF-8 text",
            [RowProblem(file_label, 1, "*", "", "not UTF-8 text (it looks like UTF-16); save the file as UTF-8")],
        )
    try:
        header = next(csv.reader(io.StringIO(head.decode("utf-8", errors="replace"))), []) if head.strip() else []
        if not header:
            raise pa.ArrowInvalid("the file is empty")
        table = pacsv.read_csv(
            open_input(),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0][:200]
        reason = "not UTF-8 text; save the file as UTF-8" if "UTF8" in message or "utf-8" in message.lower() else f"unreadable CSV: {message}"
        raise ImportFormatError(f"{file_label} cannot be read as CSV", [RowProblem(file_label, 1, "*", "", reason)]) from None
    raw = table.to_pandas(types_mapper=lambda _type: pd.StringDtype("pyarrow", na_value=np.nan))
    raw.columns = [str(name).strip().lower() for name in raw.columns]
    raw.attrs["newlines"] = _count_newlines(source)
    return raw


def _count_newlines(source: Path | str | bytes) -> int:
    """Line breaks in a file, as lines (a last line without a break counts too), read 16 MiB at a time."""
    if isinstance(source, bytes):
        return source.count(b"\n") + (0 if source.endswith(b"\n") else 1)
    count, last = 0, b"\n"
    with open(source, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (0 if last == b"\n" else 1)


def require_columns(raw: pd.DataFrame, required: tuple[str, ...], optional: tuple[str, ...], file_label: str, layout: str) -> None:
    """Refuse a file whose header lacks a required column, naming what was expected and what was found."""
    missing = [name for name in required if name not in raw.columns]
    if missing:
        expected = ", ".join(required)
        found = ", ".join(raw.columns) or "(none)"
        raise ImportFormatError(
            f"{file_label} is not in the {layout} layout: missing {', '.join(missing)}",
            [
                RowProblem(
                    file_label,
                    1,
                    ",".join(missing),
                    "",
                    f"missing required columns {', '.join(missing)}; the {layout} layout needs {expected}"
                    f" (optional: {', '.join(optional)}); found {found}",
                )
            ],
        )
    for name in optional:
        if name not in raw.columns:
            raw[name] = ""
