"""Check raw tables against the contract, cell by cell, and say exactly which rows are wrong and why."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from data.errors import RowProblem
from data.model.schema import LOAD_ORDER, REFERENCES, TABLES, Column, id_column
from data.model.taxonomy import SUB_EVENT_TYPES

ID_PATTERN = r"[a-z0-9][a-z0-9._:-]{0,199}"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_DATE = pd.Timestamp("1900-01-01")
LATEST_DATE = pd.Timestamp("2100-12-31")
_FACTORIZE_FROM = 5_000  # rows; below this, checking every cell is as quick as finding the distinct values


def line_numbers(raw: pd.DataFrame) -> np.ndarray:
    """File line of each record (header is line 1), counting newlines inside quoted cells."""
    if raw.empty:
        return np.zeros(0, dtype=np.int64)
    inner = np.zeros(len(raw), dtype=np.int64)
    for name in raw.columns:
        inner += raw[name].str.count("\n").to_numpy(dtype=np.int64)
    before = np.concatenate(([0], np.cumsum(inner)[:-1]))
    return np.arange(len(raw), dtype=np.int64) + 2 + before


class _Collector:
    """Accumulates problems of one table as (row positions, column, reason) batches.

    Line numbers are counted only when a problem is found: on a valid table of a million rows,
    counting newlines in every cell would be most of the validation time.
    """

    def __init__(self, file: str, raw: pd.DataFrame, lines: np.ndarray | None = None):
        self.file, self.raw, self._lines = file, raw, lines
        self.bad = np.zeros(len(raw), dtype=bool)
        self.problems: list[RowProblem] = []

    @property
    def lines(self) -> np.ndarray:
        if self._lines is None:
            self._lines = line_numbers(self.raw)
        return self._lines

    def flag(self, mask: np.ndarray | pd.Series, column: str, reason: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        values = self.raw[column].to_numpy() if column in self.raw else np.full(len(self.raw), "")
        for pos in np.flatnonzero(mask):
            self.problems.append(RowProblem(self.file, int(self.lines[pos]), column, str(values[pos]), reason))


class _Recorder:
    """Stands in for a _Collector while a column is checked on its distinct values only."""

    def __init__(self) -> None:
        self.flags: list[tuple[np.ndarray, str, str]] = []

    def flag(self, mask: np.ndarray | pd.Series, column: str, reason: str) -> None:
        self.flags.append((np.asarray(mask, dtype=bool), column, reason))


def _isin(values: pd.Series, known) -> np.ndarray:
    """values.isin(known) as a bool array, hashed in Arrow when the strings are Arrow strings.

    pandas' isin on Arrow strings turns every element of `known` into a Python object first, which takes
    seconds for a million ids; Arrow's is_in hashes the buffers directly. Anything else goes to pandas.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        if hasattr(values.array, "__arrow_array__") and pd.api.types.is_string_dtype(values.dtype):
            needles = values.array.__arrow_array__().cast(pa.large_string())
            if isinstance(known, pd.Series) and hasattr(known.array, "__arrow_array__"):
                haystack = known.array.__arrow_array__().cast(pa.large_string())
            else:
                haystack = pa.array(np.asarray(known, dtype=object), type=pa.large_string(), from_pandas=True)
            if isinstance(haystack, pa.ChunkedArray):
                haystack = haystack.combine_chunks()
            return pc.is_in(needles, value_set=haystack).fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    except (ImportError, TypeError, ValueError):  # pyarrow's conversion errors subclass these: use pandas
        pass
    return values.isin(known).to_numpy(dtype=bool)


def _parse_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """ISO dates to datetime64; returns the parsed series and a mask of non-blank cells that failed."""
    blank = values.eq("").to_numpy()
    parsed = pd.to_datetime(values.where(~blank), format="%Y-%m-%d", errors="coerce")
    shaped = values.str.match(_ISO_DATE).to_numpy()
    out_of_range = (parsed < EARLIEST_DATE) | (parsed > LATEST_DATE)
    failed = ~blank & (parsed.isna().to_numpy() | ~shaped | out_of_range.to_numpy())
    return parsed.where(~failed), failed


def _check_column(col: Column, raw: pd.DataFrame, found: _Collector) -> pd.Series:
    """Parse one column, flag bad cells, return the typed values (NaN/NaT where blank or bad).

    Dates, numbers and choices repeat a lot (a million events fall on a few thousand days), so a
    long column is checked on its distinct values and the verdicts are spread back to every row.
    """
    values = raw[col.name]
    if col.kind in ("date", "int", "float", "choice") and len(values) > _FACTORIZE_FROM and not values.isna().any():
        codes, uniques = pd.factorize(values)
        distinct = pd.DataFrame({col.name: pd.Series(np.asarray(uniques, dtype=object), dtype=values.dtype)})
        if len(distinct) < len(values) // 2:
            recorder = _Recorder()
            typed = _check_values(col, distinct, recorder)
            for mask, column, reason in recorder.flags:
                found.flag(mask[codes], column, reason)
            return typed.take(codes).set_axis(values.index)
    return _check_values(col, raw, found)


def _check_values(col: Column, raw: pd.DataFrame, found: _Collector | _Recorder) -> pd.Series:
    """The checks of one column, cell by cell."""
    values = raw[col.name]
    blank = values.eq("").to_numpy()
    if col.required:
        found.flag(blank, col.name, "required value is blank")
    if col.kind in ("id", "ref"):
        shaped = values.str.fullmatch(ID_PATTERN).to_numpy()
        found.flag(~blank & ~shaped, col.name, "not an id (lowercase letters, digits, '-', '.', '_', ':')")
        return values
    if col.kind == "choice":
        allowed = _isin(values, list(col.choices))  # hashed; np.isin on object arrays is quadratic
        shown = ", ".join(col.choices[:8]) + (", ..." if len(col.choices) > 8 else "")
        found.flag(~blank & ~allowed, col.name, f"unknown {col.name.replace('_', ' ')}; expected one of: {shown}")
        return values
    if col.kind == "date":
        parsed, failed = _parse_dates(values)
        found.flag(failed, col.name, "not a date like 2016-08-06 (between 1900 and 2100)")
        return parsed
    if col.kind in ("int", "float"):
        numbers = pd.to_numeric(values.where(~blank), errors="coerce")
        failed = ~blank & numbers.isna().to_numpy()
        if col.kind == "int":
            failed |= ~blank & ~failed & (numbers.fillna(0) % 1 != 0).to_numpy()
        found.flag(failed, col.name, f"not {'a whole number' if col.kind == 'int' else 'a number'}")
        low = col.low if col.low is not None else -np.inf
        high = col.high if col.high is not None else np.inf
        outside = (~blank & ~failed) & ((numbers < low) | (numbers > high)).to_numpy()
        found.flag(outside, col.name, f"out of range [{low:g}, {high:g}]")
        numbers = numbers.where(~(failed | outside))
        return numbers.astype("Int64") if col.kind == "int" else numbers.astype("float64")
    return values


def _check_rules(table: str, typed: pd.DataFrame, found: _Collector) -> None:
    """Rules that involve more than one cell of a row."""
    if table == "events":
        found.flag((typed["date_end"] < typed["date_start"]).fillna(False), "date_end", "end before start")
        sub_kind = typed["sub_event_type"].map(SUB_EVENT_TYPES)
        mismatch = typed["sub_event_type"].ne("") & sub_kind.notna() & sub_kind.ne(typed["event_type"])
        found.flag(mismatch, "sub_event_type", "sub-event type does not belong to the event type")
        found.flag((typed["fatalities_high"] < typed["fatalities_low"]).fillna(False), "fatalities_high", "high below low")
    elif table == "claims":
        start, end = typed["span_start"], typed["span_end"]
        found.flag((end <= start).fillna(False), "span_end", "span ends before it starts")
        found.flag((start.isna() ^ end.isna()).to_numpy(), "span_end", "give both span_start and span_end, or neither")
    elif table == "actors":
        found.flag((typed["valid_to"] < typed["valid_from"]).fillna(False), "valid_to", "valid_to before valid_from")


def validate_tables(raw_tables: dict[str, pd.DataFrame], files: dict[str, str]) -> tuple[dict[str, pd.DataFrame], list[RowProblem]]:
    """Validate raw string tables; return typed tables of the valid rows and the problems of the others.

    A row that points at a refused row of another table is refused too, so what is kept is always whole.
    """
    typed_tables: dict[str, pd.DataFrame] = {}
    problems: list[RowProblem] = []
    for table in LOAD_ORDER:
        raw = raw_tables[table]
        found = _Collector(files[table], raw)
        typed = pd.DataFrame({col.name: _check_column(col, raw, found) for col in TABLES[table]})
        extra = [name for name in raw.columns if name not in typed.columns]
        for name in extra:
            typed[name] = raw[name]
        _check_rules(table, typed, found)
        key = id_column(table)
        if _has_duplicates(raw[key]):
            found.flag(raw[key].duplicated(keep="first").to_numpy() & raw[key].ne("").to_numpy(), key, "duplicate id")
        for (source_table, column), target in REFERENCES.items():
            if source_table != table:
                continue
            if target == table:
                known = raw[key][~found.bad] if found.bad.any() else raw[key]
            else:
                known = typed_tables[target][id_column(target)]
            values = raw[column]
            dangling = values.ne("").to_numpy() & ~_isin(values, known)
            found.flag(dangling, column, f"unknown {target[:-1]} id")
        problems.extend(found.problems)
        typed_tables[table] = typed[~found.bad].reset_index(drop=True) if found.bad.any() else typed.reset_index(drop=True)
    problems.sort(key=lambda p: (LOAD_ORDER.index(_table_of(p.file, files)), p.line, p.column))
    return typed_tables, problems


def _has_duplicates(ids: pd.Series) -> bool:
    """Quick test before the slower duplicated(): are there fewer distinct ids than rows?"""
    return bool(ids.nunique(dropna=False) < len(ids))


def _table_of(file: str, files: dict[str, str]) -> str:
    return next(table for table, name in files.items() if name == file)
