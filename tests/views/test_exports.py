"""Exports of a view: CSV, GeoJSON (RFC 7946), ACLED 2023 layout, and our zip that re-imports to the same events."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from data.model.dataset import load_dataset
from data.views.exports import (
    ACLED_2023_COLUMNS,
    claims_to_csv,
    events_to_acled,
    events_to_csv,
    events_to_geojson,
    view_tables,
    view_to_zip,
)
from data.importers import import_file
from data.importers.acled import is_acled_header
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
TINY_DIR = ROOT / "tests" / "fixtures" / "tiny"
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)
CONTRACT = ["event_id", "date_start", "date_end", "date_precision", "place_id", "event_type", "sub_event_type", "actor1_id", "actor2_id", "summary", "fatalities_low", "fatalities_high"]


@pytest.fixture(scope="module")
def acled():
    return import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN).dataset


@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY_DIR, dataset_id="tiny")


def tables_of(ds, events=None):
    events = ds.events if events is None else events
    return view_tables(events, ds.claims, sources=ds.sources, places=ds.places, actors=ds.actors)


def test_events_csv_has_our_columns_origin_and_status(tiny):
    table = pd.read_csv(io.StringIO(events_to_csv(tiny.events)), dtype=str, keep_default_na=False)
    assert list(table.columns[:12]) == CONTRACT
    assert {"dataset_id", "status", "n_claims"} <= set(table.columns)
    assert not {"day_start", "place_pos"} & set(table.columns)
    assert table.loc[0, "date_start"] == "2016-08-06"
    claims = pd.read_csv(io.StringIO(claims_to_csv(tiny.claims)), dtype=str, keep_default_na=False)
    assert len(claims) == len(tiny.claims) and "search_text" not in claims


def test_geojson_follows_rfc_7946(tiny):
    collection = events_to_geojson(tiny.events, tiny.places)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(tiny.events)
    json.dumps(collection)  # serialisable as is
    by_id = {f["id"]: f for f in collection["features"]}
    siege = by_id["e-siege"]
    place = tiny.places.set_index("place_id").loc[tiny.events.set_index("event_id").loc["e-siege", "place_id"]]
    assert siege["geometry"] == {"type": "Point", "coordinates": [place["lon"], place["lat"]]}  # lon first
    assert siege["properties"]["date_start"] == "2016-08-06" and siege["properties"]["status"]
    unplaced = [f for f in collection["features"] if f["properties"]["place_id"] is None]
    assert unplaced and all(f["geometry"] is None for f in unplaced)
    strikes = by_id["e-strikes"]["properties"]
    assert (strikes["fatalities_low"], strikes["fatalities_high"]) == (10, 40)


def test_our_layout_round_trip_gives_the_same_events(acled, tmp_path):
    archive = tmp_path / "view.zip"
    archive.write_bytes(view_to_zip(tables_of(acled)))
    again = import_file(archive, "atlas").dataset
    columns = [c for c in acled.events.columns if c not in ("dataset_id",)]
    pd.testing.assert_frame_equal(again.events[columns], acled.events[columns], check_dtype=False)
    pd.testing.assert_frame_equal(again.claims[list(acled.claims.columns)], acled.claims, check_dtype=False)


def test_a_filtered_view_exports_whole(tiny, tmp_path):
    view = tiny.events[tiny.events["event_id"] == "e-siege"]
    tables = tables_of(tiny, view)
    assert set(tables["claims"]["event_id"]) <= {"e-siege", ""}
    archive = tmp_path / "one.zip"
    archive.write_bytes(view_to_zip(tables))
    result = import_file(archive, "atlas")
    assert result.rows_rejected == 0 and result.dataset.events["event_id"].tolist() == ["e-siege"]
    assert not result.dataset.problems


def test_acled_layout_round_trip(acled, tmp_path):
    out = events_to_acled(acled.events, acled.places, acled.actors, acled.claims)
    assert list(out.columns) == ACLED_2023_COLUMNS and is_acled_header(list(out.columns))
    path = tmp_path / "back.csv"
    out.to_csv(path, index=False)
    again = import_file(path, "acled", geocoder=None, known_actors=KNOWN).dataset
    assert again.events["event_id"].tolist() == acled.events["event_id"].tolist()
    for column in ("date_start", "date_end", "date_precision", "event_type", "sub_event_type", "summary", "fatalities_low", "side1", "side2", "assoc_actor1_ids"):
        assert again.events[column].tolist() == acled.events[column].tolist(), column
    first = out.iloc[0]
    assert (first["event_id_cnty"], first["event_date"], first["inter1"], first["source"]) == ("SYR900001", "06 August 2016", "State forces", "SOHR; Reuters")
    places = again.places.set_index("place_id")
    before = acled.places.set_index("place_id")
    for a, b in zip(again.events["place_id"], acled.events["place_id"]):
        assert (places.loc[a, "lat"], places.loc[a, "lon"], places.loc[a, "precision_m"]) == (before.loc[b, "lat"], before.loc[b, "lon"], before.loc[b, "precision_m"])


def test_events_csv_says_why_each_status(seed):
    table = pd.read_csv(io.StringIO(events_to_csv(seed.events, seed.claims, seed.actor_index.names)), dtype=str, keep_default_na=False)
    columns = list(table.columns)
    assert columns[columns.index("status") + 1] == "status_reason"
    row = table.set_index("event_id").loc["2014-05-22-aleppo-central-prison-siege-broken"]
    assert row["status"] == "conceded" and row["status_reason"].startswith("conceded: Syrian opposition")
    assert all(reason.startswith(status + ":") for status, reason in zip(table["status"], table["status_reason"]))


def test_seed_export_and_reimport_keeps_every_claim_field(seed, tmp_path):
    from data.model.schema import column_names

    archive = tmp_path / "seed.zip"
    archive.write_bytes(view_to_zip(tables_of(seed)))
    again = import_file(archive, "atlas").dataset
    fields = column_names("claims")
    pd.testing.assert_frame_equal(again.claims[fields], seed.claims[fields], check_dtype=False)
    assert "Syrian state media|Reuters" in set(again.claims["relayed_by"])
    assert again.events["status"].astype(str).tolist() == seed.events["status"].astype(str).tolist()
    assert not {"origin", "voice", "n_voices"} & (set(again.claims.columns) - set(seed.claims.columns))


def test_acled_export_leaves_acleds_own_figures_out_of_source(acled):
    out = events_to_acled(acled.events, acled.places, acled.actors, acled.claims)
    assert not out["source"].str.contains("ACLED").any()
