"""Refused rows and warnings, each with the file's line, column, value and reason, so users can fix their file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.errors import RowProblem


class Rejections:
    """Row problems of one input file, gathered vectorised: a mask of rows, a column, a reason."""

    def __init__(self, file_label: str, raw: pd.DataFrame):
        self.file = file_label
        self.raw = raw
        self.lines = fast_line_numbers(raw)
        self.bad = np.zeros(len(raw), dtype=bool)
        self.problems: list[RowProblem] = []
        self.warnings: list[RowProblem] = []

    def reject(self, mask, column: str, reason: str | pd.Series, values: pd.Series | None = None) -> None:
        """Refuse the rows in `mask`; `reason` may be one string or a per-row Series."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        shown = values if values is not None else self.raw[column] if column in self.raw else pd.Series("", index=self.raw.index)
        positions = np.flatnonzero(mask)
        cells = shown.iloc[positions].astype(str).tolist()
        reasons = reason.iloc[positions].tolist() if isinstance(reason, pd.Series) else [reason] * len(positions)
        for pos, value, why in zip(positions, cells, reasons):
            self.problems.append(RowProblem(self.file, int(self.lines[pos]), column, value, why))

    def warn(self, positions: np.ndarray, column: str, values: list[str], reason: str | list[str]) -> None:
        """Keep the rows at `positions` but tell the user why their values were changed or doubted."""
        reasons = reason if isinstance(reason, list) else [reason] * len(values)
        for pos, value, why in zip(positions, values, reasons):
            self.warnings.append(RowProblem(self.file, int(self.lines[pos]), column, value, why))


def fast_line_numbers(raw: pd.DataFrame) -> np.ndarray:
    """File line of each record, like data.model.validate.line_numbers, counting only in columns that hold a line break."""
    if raw.empty:
        return np.zeros(0, dtype=np.int64)
    if raw.attrs.get("newlines") == len(raw) + 1:  # one line per record: no quoted cell holds a line break
        return np.arange(len(raw), dtype=np.int64) + 2
    inner = np.zeros(len(raw), dtype=np.int64)
    for name in raw.columns:
        column = raw[name]
        if column.str.contains("\n", regex=False).any():
            inner += column.str.count("\n").to_numpy(dtype=np.int64)
    before = np.concatenate(([0], np.cumsum(inner)[:-1]))
    return np.arange(len(raw), dtype=np.int64) + 2 + before


def problems_frame(problems: list[RowProblem] | tuple[RowProblem, ...]) -> pd.DataFrame:
    """Problems as a table of file, line, column, value, reason (what the Import page offers for download)."""
    return pd.DataFrame(
        {
            "file": [p.file for p in problems],
            "line": pd.array([p.line for p in problems], dtype="int64"),
            "column": [p.column for p in problems],
            "value": [p.value for p in problems],
            "reason": [p.reason for p in problems],
        }
    )


def problems_csv(problems: list[RowProblem] | tuple[RowProblem, ...]) -> str:
    """The rejected rows as CSV text (line, column, value, reason)."""
    return problems_frame(problems)[["line", "column", "value", "reason"]].to_csv(index=False)
