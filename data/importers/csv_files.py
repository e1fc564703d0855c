"""An input CSV's header checked against the layout asked for (data/importers/readers.py reads the file in chunks)."""

from __future__ import annotations

import pandas as pd

from data.errors import RowProblem
from data.importers.errors import ImportFormatError


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
