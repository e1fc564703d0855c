"""One file's rows while they are imported: cells as written, cleaned and parsed, and which rows are valid."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.importers.rejections import Rejections


class ImportRows:
    """What a layout's functions read: `raw` cells as written, `text` cleaned, `values` parsed, refusals in `found`."""

    def __init__(self, raw: pd.DataFrame, found: Rejections):
        self.raw = raw  # the file's cells as text; a free-text column leaves once cleaned into `text`
        self.found = found
        self.text: dict[str, pd.Series] = {}
        self.values: dict[str, pd.Series] = {}
        self.valid: slice | np.ndarray = slice(None)  # the rows imported, once select_valid() has run

    def select_valid(self) -> int:
        """Keep the rows nothing refused; their count."""
        keep = ~self.found.bad
        # Every row valid (the usual case): select with a slice, which copies nothing.
        self.valid = slice(None) if keep.all() else keep
        return int(keep.sum())

    @property
    def index(self) -> pd.Index:
        """The file's row positions of the valid rows (every Series below carries it)."""
        return self.raw.index[self.valid]

    def clean(self, column: str) -> pd.Series:
        """A free-text column of the valid rows, cleaned."""
        return self.text[column][self.valid]

    def parsed(self, column: str) -> pd.Series:
        """A parsed column (or a value a layout's check_rows made) of the valid rows."""
        return self.values[column][self.valid]

    def written(self, column: str) -> pd.Series:
        """A column of the valid rows as the file wrote it, trimmed."""
        return self.raw[column][self.valid].astype(str).str.strip()

    def kept(self, column: str) -> pd.Series:
        """A column as the events keep it: cleaned when it is free text, else as written."""
        return self.clean(column) if column in self.text else self.written(column)
