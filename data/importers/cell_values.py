"""Numbers and codes in cells: numbers range-checked, codes mapped once per distinct value, unknown ones refused."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from data.importers.rejections import Rejections


def parse_numbers(values: pd.Series, column: str, found: Rejections, *, low: float, high: float, required: bool, whole: bool = False) -> pd.Series:
    """Numbers with range checks; blank is refused only when required."""
    text = values.astype(str).str.strip()
    blank = text.eq("").to_numpy()
    numbers = pd.to_numeric(text.where(~blank), errors="coerce")
    if required:
        found.reject(blank, column, "required value is blank")
    failed = ~blank & numbers.isna().to_numpy()
    found.reject(failed, column, "not a whole number" if whole else "not a number")
    if whole:
        fraction = ~blank & ~failed & (numbers.fillna(0) % 1 != 0).to_numpy()
        found.reject(fraction, column, "not a whole number")
        failed |= fraction
    outside = ~blank & ~failed & ((numbers < low) | (numbers > high)).to_numpy()
    found.reject(outside, column, f"out of range [{low:g}, {high:g}]")
    return numbers.where(~(failed | outside))


def map_distinct(values: pd.Series, mapping, *, clean=None) -> pd.Series:
    """Map each distinct value once (a dict or a function; `clean` first normalises the text); missing keys give NaN.

    >>> map_distinct(pd.Series(["A", "b", "A"]), {"a": 1}, clean=str.casefold).tolist()
    [1.0, nan, 1.0]
    """
    codes, uniques = pd.factorize(values.astype(str))
    keys = [clean(u) if clean else u for u in uniques]
    mapped = [mapping.get(k) if isinstance(mapping, dict) else mapping(k) for k in keys]
    table = pd.Series([*mapped, None])
    taken = table.iloc[np.where(codes < 0, len(uniques), codes)]
    return pd.Series(taken.to_numpy(), index=values.index)


def check_codes(values: pd.Series, column: str, found: Rejections, allowed: dict[str, object], what: str) -> pd.Series:
    """Map precision codes through `allowed`; unknown or blank codes are refused."""
    mapped = map_distinct(values, allowed, clean=lambda v: re.sub(r"\.0$", "", v.strip()))
    found.reject(mapped.isna().to_numpy(), column, f"unknown {what}; expected one of {', '.join(allowed)}")
    return mapped
