"""Dates in the forms files write them, parsed once per distinct text; blank, placeholder and out-of-range ones refused."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.importers.rejections import Rejections
from data.model.validate import EARLIEST_DATE, LATEST_DATE


# Dates some databases write when the real date is missing (SQL Server's minimum, Unix and Excel epochs).
PLACEHOLDER_DATES = ("1753-01-01", "1900-01-01", "1899-12-30", "1970-01-01")


def parse_dates(values: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """Parse dates trying each format in turn (vectorised); cells that fit none become NaT.

    >>> parse_dates(pd.Series(["09 February 2018", "13-01-2018", "2018-01-13", "2018-01-13 00:00:00", "Feb 9"]),
    ...             ("%d %B %Y", "%d-%m-%Y", "%Y-%m-%d")).dt.strftime("%Y-%m-%d").tolist()
    ['2018-02-09', '2018-01-13', '2018-01-13', '2018-01-13', nan]
    """
    codes, uniques = pd.factorize(values.astype(str), sort=False)  # dates repeat: parse each distinct one once
    text = pd.Series(uniques, dtype=str).str.strip()
    # A time of day after an ISO date ("2018-01-13 00:00:00.000") carries nothing: dates are days here.
    text = text.str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", r"\1", regex=True)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    for fmt in formats:
        todo = parsed.isna() & text.ne("")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[s]")
    lookup = np.append(parsed.to_numpy(), np.datetime64("NaT", "s"))
    return pd.Series(lookup[codes], index=values.index, dtype="datetime64[s]")


def check_dates(parsed: pd.Series, raw_values: pd.Series, column: str, found: Rejections, expected: str) -> None:
    """Refuse blank, unparseable, placeholder and out-of-range dates, each with its own reason."""
    blank = raw_values.astype(str).str.strip().eq("").to_numpy()
    found.reject(blank, column, "required date is blank")
    failed = ~blank & parsed.isna().to_numpy()
    found.reject(failed, column, f"not a date; expected {expected}")
    iso = parsed.dt.strftime("%Y-%m-%d")
    placeholder = iso.isin(PLACEHOLDER_DATES).to_numpy()
    found.reject(placeholder, column, "placeholder date (a database default, not a real date)")
    outside = ~placeholder & ((parsed < EARLIEST_DATE) | (parsed > LATEST_DATE)).fillna(False).to_numpy()
    found.reject(outside, column, "date outside 1900-2100")
