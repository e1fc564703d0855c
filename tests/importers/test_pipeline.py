"""The one CSV pipeline runs any layout: a made-up format, written as one spec here, imports like ACLED and UCDP."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from data.importers.errors import ImportConsistencyError, ImportFormatError
from data.importers.ids import to_slugs
from data.importers.pipeline import BackgroundWriter, import_csv, read_ahead
from data.importers.readers import LATITUDE, LONGITUDE, TEXT, Dates, EventIds, Numbers
from data.importers.resolve import new_actor_rows, resolve_actor_names
from data.importers.spec import Column, EventActors, EventDates, ImportFormat, no_checks
from data.importers.tables import fill_table
from data.model.schema import LOAD_ORDER
from data.model.validate import validate_tables
from tests.conftest import ROOT
from tests.importers.test_contract import as_text

KNOWN = pd.read_csv(ROOT / "tests" / "fixtures" / "import" / "known_actors.csv", dtype=str, keep_default_na=False).assign(
    valid_from=pd.NaT, valid_to=pd.NaT
)
INCIDENTS_CSV = b"""Ref,Day,Place,Lat,Lon,Attacker,Outlet,Killed
R1,2016-08-06,Ramouseh,36.17,37.14,Daesh,SOHR,3
R2,2016-08-07,,36.2,37.1,Unknown gunmen,Reuters,
,2016-08-08,X,36,37,A,B,1
R1,2016-08-09,Y,36,37,A,B,1
R3,someday,Z,36,37,A,B,1
R4,2016-08-10,Z,95,37,A,B,x
"""


def _dates(rows):
    day = rows.parsed("day")
    return EventDates(start=day, end=day, precision=pd.Series("day", index=rows.index, dtype=str))


def _place_rows(rows):
    place = rows.clean("place")
    return pd.DataFrame(
        {"name": place, "lat": rows.parsed("lat"), "lon": rows.parsed("lon"), "precision_m": 1000.0, "code": "1", "kind": "town", "country": "Syria", "cand_place": place}
    )


def _actors(rows, dates, known):
    names = rows.clean("attacker")
    known_ids = resolve_actor_names(names, dates.start, known)
    new_rows, new_ids = new_actor_rows(names.where(known_ids.eq(""), ""), pd.Series("other", index=names.index), prefix="incident-actor", note="test")
    return EventActors(columns={"actor1_id": known_ids.where(known_ids.ne(""), new_ids)}, known_ids=set(known_ids) - {""}, new_rows=new_rows)


def _events(rows, dates, place_id, actors, where):
    return fill_table(
        "events",
        {
            "event_id": rows.parsed("ref"),
            "date_start": dates.start.astype("datetime64[us]"),
            "date_end": dates.end.astype("datetime64[us]"),
            "date_precision": dates.precision,
            "place_id": place_id,
            "event_type": "Violence against civilians",
            "sub_event_type": "Attack",
            "actor1_id": actors.columns["actor1_id"],
            "summary": "Attack in " + where,
            "fatalities_low": rows.parsed("killed").astype("Int64"),
        },
        rows.index,
    )


def _sources_and_claims(rows, events, where, known):
    outlet = rows.clean("outlet").reset_index(drop=True)
    source_id = "incident-source:" + to_slugs(outlet)
    sources = fill_table("sources", {"source_id": source_id, "outlet": outlet, "outlet_basis": "stated"}, outlet.index)
    claims = fill_table(
        "claims",
        {
            "claim_id": events["event_id"] + ":1",
            "event_id": events["event_id"],
            "source_id": source_id,
            "claimant": outlet,
            "stance": "asserts",
            "statement": outlet + " reports an attack in " + where.reset_index(drop=True),
        },
        events.index,
    )
    return sources, claims


INCIDENTS = ImportFormat(
    name="incident",
    label="incident list",
    signature=frozenset({"ref", "day", "attacker"}),
    columns=(
        Column("ref", required=True, reader=EventIds("incident", r"[A-Za-z0-9]+", "not an incident reference")),
        Column("day", required=True, reader=Dates(("%Y-%m-%d",), "a date like 2016-08-06")),
        Column("lat", required=True, reader=LATITUDE),
        Column("lon", required=True, reader=LONGITUDE),
        Column("place", reader=TEXT),
        Column("attacker", reader=TEXT),
        Column("outlet", reader=TEXT),
        Column("killed", reader=Numbers(low=0, high=100_000, whole=True, blank_allowed=True)),
    ),
    coord_source="incident list, precision",
    check_rows=no_checks,
    event_dates=_dates,
    place_rows=_place_rows,
    place_in_words=lambda rows, places: places["name"],
    actors=_actors,
    events=_events,
    sources_and_claims=_sources_and_claims,
)


@pytest.fixture(scope="module")
def incidents():
    return import_csv(INCIDENTS, INCIDENTS_CSV, dataset_id="incident-test", file_label="incidents.csv", known_actors=KNOWN)


def test_refused_rows_name_line_column_value_reason(incidents):
    assert (incidents.format, incidents.rows_read, incidents.rows_stored, incidents.rows_rejected) == ("incident", 6, 2, 4)
    found = [(p.line, p.column, p.value, p.reason) for p in incidents.rejected]
    assert found == [
        (4, "ref", "", "required value is blank"),
        (5, "ref", "R1", "duplicate event id (the first row with it is kept)"),
        (6, "day", "someday", "not a date; expected a date like 2016-08-06"),
        (7, "killed", "x", "not a whole number"),
        (7, "lat", "95", "out of range [-90, 90]"),
    ]


def test_valid_rows_become_namespaced_events_places_actors_sources_and_claims(incidents):
    dataset = incidents.dataset
    events = dataset.events.set_index("event_id")
    assert list(events.index) == ["incident:r1", "incident:r2"]
    assert events.loc["incident:r1", "actor1_id"] == "isis"  # "Daesh" resolves through the known actors
    assert events.loc["incident:r2", "actor1_id"] == "incident-actor:unknown-gunmen"
    assert events.loc["incident:r2", "summary"] == "Attack in an unnamed place"
    assert events.loc["incident:r1", "fatalities_low"] == 3 and pd.isna(events.loc["incident:r2", "fatalities_low"])
    place = dataset.places.set_index("place_id").loc[events.loc["incident:r1", "place_id"]]
    assert (place["name"], place["coord_source"], place["precision_code"]) == ("Ramouseh", "incident list, precision 1", "incident:1")
    assert dataset.claims["statement"].tolist() == ["SOHR reports an attack in Ramouseh", "Reuters reports an attack in an unnamed place"]
    assert set(dataset.actors["actor_id"]) == {"isis", "incident-actor:unknown-gunmen"}


def test_output_passes_the_data_layer_validation(incidents):
    raw = {table: as_text(getattr(incidents.dataset, table), table) for table in LOAD_ORDER}
    _, problems = validate_tables(raw, {table: f"{table}.csv" for table in LOAD_ORDER})
    assert problems == []


def test_a_file_without_a_required_column_is_refused_naming_the_layout():
    with pytest.raises(ImportFormatError, match="not in the incident list layout: missing lat") as caught:
        import_csv(INCIDENTS, INCIDENTS_CSV.replace(b",Lat,", b",Latitude,"), dataset_id="x", file_label="incidents.csv", known_actors=KNOWN)
    assert caught.value.problems[0].reason.startswith("missing required columns lat; the incident list layout needs ref, day, lat, lon")


def test_a_layout_whose_tables_break_the_contract_builds_no_dataset():
    def dangling_claims(rows, events, where, known):
        sources, claims = _sources_and_claims(rows, events, where, known)
        return sources.iloc[:0], claims

    broken = dataclasses.replace(INCIDENTS, sources_and_claims=dangling_claims)
    with pytest.raises(ImportConsistencyError, match="claims.source_id points to unknown source"):
        import_csv(broken, INCIDENTS_CSV, dataset_id="x", file_label="incidents.csv", known_actors=KNOWN)


def test_progress_is_reported_from_reading_to_done():
    steps = []
    import_csv(INCIDENTS, INCIDENTS_CSV, dataset_id="x", file_label="incidents.csv", known_actors=KNOWN, progress=lambda f, m: steps.append((f, m)))
    fractions = [fraction for fraction, _ in steps]
    assert fractions == sorted(fractions) and steps[0] == (0.02, "reading the file") and steps[-1] == (1.0, "done")
    assert (0.3, "2 valid rows; dating events") in steps


def test_a_file_read_in_chunks_imports_as_read_whole(incidents):
    """Every chunk goes through the same steps: two rows at a time gives the same rows, refusals, lines and counts."""
    chunked = import_csv(INCIDENTS, INCIDENTS_CSV, dataset_id="incident-test", file_label="incidents.csv", known_actors=KNOWN, chunk_rows=2)
    assert chunked.rejected == incidents.rejected  # R1 repeated in the second chunk is refused on its own line
    assert chunked.summary() == incidents.summary()
    for table in LOAD_ORDER:
        got, expected = getattr(chunked.dataset, table), getattr(incidents.dataset, table)
        key = got.columns[0]
        pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True), expected.sort_values(key).reset_index(drop=True), obj=table)


def test_a_write_that_fails_on_the_writer_thread_is_raised_to_the_importer():
    written = []

    def write(table, frame):
        if table == "events":
            raise OSError("disk full")
        written.append(table)

    writer = BackgroundWriter(write)
    writer.put("sources", pd.DataFrame({"a": [1]}))
    writer.put("events", pd.DataFrame({"a": [1]}))
    with pytest.raises(OSError, match="disk full"):
        for _ in range(3):  # the error surfaces at the next call once the writer has met it
            writer.put("claims", pd.DataFrame({"a": [1]}))
        writer.close()
    assert written == ["sources"]  # nothing after the failure is written
    with pytest.raises(OSError, match="disk full"):
        writer.close()


def test_reading_ahead_keeps_the_order_raises_a_later_error_in_its_place_and_stops_early():
    def pieces(fail_at=None):
        for number in range(5):
            if number == fail_at:
                raise ImportFormatError("piece 3 cannot be read as CSV", [])
            yield number

    assert list(read_ahead(pieces())) == [0, 1, 2, 3, 4]
    got = []
    with pytest.raises(ImportFormatError, match="piece 3"):
        for number in read_ahead(pieces(fail_at=3)):
            got.append(number)
    assert got == [0, 1, 2]
    source = pieces()
    for number in read_ahead(source):
        break
    assert list(source) == []  # the reader stopped and closed the generator when the caller left
