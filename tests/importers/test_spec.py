"""Formats as specs: the columns they need (in the order refusals name them), and how a header is recognised."""

from __future__ import annotations

import pytest

from data.importers import CSV_FORMATS, FORMATS
from data.importers.acled import ACLED
from data.importers.ucdp import UCDP


def test_formats_are_the_csv_specs_then_our_own_layout():
    assert [layout.name for layout in CSV_FORMATS] == ["acled", "ucdp"]
    assert FORMATS == ("acled", "ucdp", "atlas")


def test_required_columns_in_the_order_refusals_list_them():
    assert ACLED.required == (
        "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "location",
        "latitude", "longitude", "geo_precision", "fatalities",
    )
    assert UCDP.required == (
        "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude", "date_prec",
        "date_start", "date_end", "best",
    )
    assert "notes" in ACLED.optional and "source_headline" in UCDP.optional


def test_free_text_is_cleaned_and_ids_dates_codes_numbers_are_parsed():
    assert {c.name for c in ACLED.text_columns} >= {"notes", "location", "actor1", "source"}
    assert [c.name for c in UCDP.parsed_columns][:2] == ["id", "where_prec"]
    assert not {c.name for c in ACLED.text_columns} & {c.name for c in ACLED.parsed_columns}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["event_id_cnty", "event_date", "geo_precision"], "acled"),
        (["EVENT_ID_CNTY", " Event_Date ", "GEO_PRECISION", "NOTES"], "acled"),
        (["id", "where_prec", "date_prec", "type_of_violence"], "ucdp"),
        (["event_id_cnty", "event_date"], None),
    ],
)
def test_a_header_is_recognised_in_any_case(header, expected):
    matches = [layout.name for layout in CSV_FORMATS if layout.matches_header(header)]
    assert matches == ([expected] if expected else [])
