"""Column readers: what each returns and refuses, table-driven."""

from __future__ import annotations

import pandas as pd
import pytest

from data.importers.readers import LATITUDE, TEXT, Codes, Dates, EventIds, Numbers
from data.importers.rejections import Rejections

ACLED_IDS = EventIds("acled", r"[a-z0-9][a-z0-9._-]{0,150}", "not an ACLED event id", match_lower_case=True)
GED_IDS = EventIds("ucdp", r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}", "not a GED event id", drop_decimal=True)


def read(reader, cells):
    """The values a reader returns for these cells, and its refusals as (line, reason)."""
    raw = pd.DataFrame({"col": pd.Series(cells, dtype=str)})
    found = Rejections("f.csv", raw)
    values = reader.read(raw["col"], "col", found)
    return values, sorted((p.line, p.reason) for p in found.problems)


@pytest.mark.parametrize(
    ("reader", "cells", "expected", "refused"),
    [
        (GED_IDS, ["318776", " 318777.0 ", "SYR9"], ["ucdp:318776", "ucdp:318777", "ucdp:syr9"], []),
        (GED_IDS, ["", "a b", "7", "7.0"], ["ucdp:", "ucdp:a b", "ucdp:7", "ucdp:7"],
         [(2, "required value is blank"), (3, "not a GED event id"), (5, "duplicate event id (the first row with it is kept)")]),
        (ACLED_IDS, ["SYR1", "syr1", "SYR 2"], ["acled:syr1", "acled:syr1", "acled:syr 2"],
         [(3, "duplicate event id (the first row with it is kept)"), (4, "not an ACLED event id")]),
        (Numbers(low=0, high=10, whole=True, blank_allowed=True), ["3", "", "2.5", "11"], [3.0, None, None, None],
         [(4, "not a whole number"), (5, "out of range [0, 10]")]),
        (LATITUDE, ["36.2", "", "north"], [36.2, None, None], [(3, "required value is blank"), (4, "not a number")]),
        (Codes({"1": "day", "2": "week"}, "time precision"), ["1", "2.0", "9"], ["day", "week", None],
         [(4, "unknown time precision; expected one of 1, 2")]),
        (TEXT, [" caf\u00c3\u00a9 ", "a &amp; b"], ["café", "a & b"], []),
    ],
    ids=["ids", "bad-ids", "ids-any-case", "whole-numbers", "latitude", "codes", "text"],
)
def test_readers(reader, cells, expected, refused):
    values, problems = read(reader, cells)
    assert [None if pd.isna(v) else v for v in values.tolist()] == expected
    assert problems == refused


def test_dates_try_each_format_and_refuse_placeholders():
    values, problems = read(Dates(("%Y-%m-%d", "%d/%m/%Y"), "an ISO date"), ["2016-05-16", "16/05/2016", "1900-01-01", "soon"])
    assert values.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2016-05-16", "2016-05-16"]
    assert problems == [(4, "placeholder date (a database default, not a real date)"), (5, "not a date; expected an ISO date")]
