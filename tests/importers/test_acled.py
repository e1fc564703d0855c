"""ACLED importer: both layouts, every quirk, field by field; the real sample imports whole."""

from __future__ import annotations

import pandas as pd

from data.model.quantities import DATASET_FIGURES_PREFIX
import pytest

from data.importers import ImportFormatError, detect_format, import_file, problems_csv
from data.importers.text_repair import repair_mojibake
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
SAMPLES = ROOT.parent / "shared" / "samples"

# Known actors for these tests, so results do not depend on the seed dataset's current aliases.
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(
    valid_from=pd.NaT, valid_to=pd.NaT
)


@pytest.fixture(scope="module")
def acled_2023():
    return import_file(FIXTURES / "acled_2023.csv", "acled", geocoder=None, known_actors=KNOWN)


@pytest.fixture(scope="module")
def acled_old():
    return import_file(FIXTURES / "acled_old.csv", geocoder=None, known_actors=KNOWN)


def event(result, event_id):
    events = result.dataset.events
    return events[events["event_id"] == event_id].iloc[0]


def test_counts_and_rejections_name_line_column_value_reason(acled_2023):
    assert acled_2023.summary() | {"dataset_id": ""} == {
        "dataset_id": "",
        "rows_read": 10,
        "rows_stored": 5,
        "rows_rejected": 5,
        "places_resolved": 0,
        "places_unresolved": 5,
    }
    found = {(p.line, p.column, p.value): p.reason for p in acled_2023.rejected}
    assert found[(5, "event_date", "01 January 1753")].startswith("placeholder date")
    assert found[(6, "latitude", "95.2")] == "out of range [-90, 90]"
    assert found[(7, "geo_precision", "4")].startswith("unknown geo precision")
    assert found[(8, "event_date", "31 Febtember 2018")].startswith("not a date")
    # Row 9 holds a line break inside its notes, so the next record starts on line 11.
    assert found[(11, "time_precision", "7")].startswith("unknown time precision")
    assert len(found) == 5


def test_rejected_rows_download_as_csv(acled_2023):
    table = pd.read_csv(pd.io.common.StringIO(problems_csv(acled_2023.rejected)), dtype=str)
    assert list(table.columns) == ["line", "column", "value", "reason"]
    assert table["line"].tolist() == ["5", "6", "7", "8", "11"]


def test_day_precision_event_field_by_field(acled_2023):
    row = event(acled_2023, "acled:syr900001")
    assert row["date_start"] == row["date_end"] == pd.Timestamp("2016-08-06")
    assert row["date_precision"] == "day"
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Armed clash")
    assert row["actor1_id"] == "acled-actor:military-forces-of-syria-2000"
    assert row["side1"] == "government"  # text category "State forces"
    assert row["actor2_id"] == "acled-actor:jaish-al-fateh" and row["side2"] == "opposition"
    assert row["assoc_actor1_ids"] == "hezbollah|acled-actor:militia-pro-government"
    assert row["fatalities_low"] == 12 and pd.isna(row["fatalities_high"])
    assert row["summary"].endswith("artillery college & the Ramouseh road.")  # &amp; unescaped
    assert row["summary_origin"] == "ACLED notes"
    assert row["acled_interaction"] == "State forces-Rebel group"
    place = acled_2023.dataset.places.set_index("place_id").loc[row["place_id"]]
    assert row["place_id"].startswith("acled-place:aleppo-ramouseh-")
    assert (place["lat"], place["lon"], place["precision_m"]) == (36.1712, 37.1398, 5000.0)
    assert place["coord_source"] == "ACLED file, geo_precision 1"


def test_one_claim_per_outlet_and_event(acled_2023):
    claims = acled_2023.dataset.claims
    outlets = claims[~claims["source_id"].str.startswith(DATASET_FIGURES_PREFIX)]  # ACLED's own toll: test below
    mine = outlets[outlets["event_id"] == "acled:syr900001"].sort_values("claim_id")
    # "SOHR; Reuters; SOHR": SOHR once.
    assert mine["claim_id"].tolist() == ["acled:syr900001:reuters", "acled:syr900001:sohr"]
    assert mine["stance"].eq("asserts").all()
    sohr = mine.iloc[1]
    assert sohr["claimant"] == "SOHR" and sohr["claimant_actor_id"] == "sohr" and sohr["source_id"] == "acled-source:sohr"
    assert sohr["statement"] == "SOHR reports: Armed clash in Aleppo - Ramouseh"
    sources = acled_2023.dataset.sources.set_index("source_id")
    assert sources.loc["acled-source:sohr", "outlet"] == "SOHR"
    # "Aleppo Media Center;Step News Agency" (no space) splits too.
    assert set(claims.loc[claims["event_id"] == "acled:syr900008", "claimant"]) == {"Aleppo Media Center", "Step News Agency"}


def test_acled_toll_is_a_claim_of_acled(acled_2023):
    ds = acled_2023.dataset
    own = ds.claims[ds.claims["source_id"] == "dataset-figures:acled"].set_index("event_id")
    first = own.loc["acled:syr900001"]
    assert (first["claimant"], first["claimant_actor_id"], first["quantity"], first["unit"]) == (
        "ACLED", "", 12.0, "killed (ACLED: lowest reported figure)")
    assert own.loc["acled:syr900003", "quantity"] == 0  # a zero is a figure
    assert "acled:syr900008" not in own.index and "acled:syr900010" not in own.index  # blank fatalities: no claim
    assert ds.sources.set_index("source_id").loc["dataset-figures:acled", "outlet"] == "ACLED"
    event = ds.events.set_index("event_id").loc["acled:syr900001"]
    assert (event["claimed_fatalities_low"], pd.isna(event["claimed_fatalities_high"])) == (12, True)  # a lowest figure: open above
    assert event["status"] == "single-source"  # SOHR; Reuters is no actor of these data, and ACLED itself is no independent voice


def test_week_and_month_precision_become_ranges(acled_2023):
    week = event(acled_2023, "acled:syr900002")
    assert (week["date_start"], week["date_end"], week["date_precision"]) == (pd.Timestamp("2016-08-17"), pd.Timestamp("2016-08-23"), "week")
    month = event(acled_2023, "acled:syr900003")
    assert (month["date_start"], month["date_end"], month["date_precision"]) == (pd.Timestamp("2017-03-01"), pd.Timestamp("2017-03-31"), "month")
    assert month["summary"] == 'Residents protested against "rising prices" in the town centre.'
    assert month["side1"] == "civilian" and month["actor2_id"] == ""


def test_mojibake_is_repaired_and_reported(acled_2023):
    assert event(acled_2023, "acled:syr900002")["summary"] == "Air strikes hit a café near the market; the owner’s son was hurt."
    (warning,) = [w for w in acled_2023.warnings if w.column == "notes"]
    assert warning.line == 3 and warning.reason.startswith("mojibake repaired")


def test_blank_notes_get_a_generated_summary_and_qualified_names_resolve(acled_2023):
    row = event(acled_2023, "acled:syr900010")
    assert row["summary"] == "Non-state actor overtakes territory in Tadmor (no notes in the ACLED file)"
    assert row["actor1_id"] == "isis"  # "Islamic State (Syria)" resolves as "Islamic State"
    assert pd.isna(row["fatalities_low"])
    assert acled_2023.dataset.claims["event_id"].ne("acled:syr900010").all()  # no source, no claim


def test_multiline_notes_survive(acled_2023):
    assert event(acled_2023, "acled:syr900008")["summary"] == "Shops were looted.\nA second line of notes inside one quoted cell."


def test_old_layout_upper_case_headers_numeric_codes_and_date_formats(acled_old):
    assert acled_old.rows_read == 4 and acled_old.rows_stored == 3
    (problem,) = acled_old.rejected
    assert (problem.line, problem.column, problem.value) == (5, "inter1", "9")
    first = event(acled_old, "acled:syr800001")
    assert first["date_start"] == pd.Timestamp("2018-02-09")  # 09-02-2018 is day-month-year
    assert (first["side1"], first["side2"]) == ("government", "opposition")
    assert event(acled_old, "acled:syr800002")["date_start"] == pd.Timestamp("2018-02-10")
    assert (event(acled_old, "acled:syr800002")["side1"], event(acled_old, "acled:syr800002")["side2"]) == ("other", "civilian")
    third = event(acled_old, "acled:syr800003")
    assert third["date_start"] == pd.Timestamp("2018-02-11") and third["actor2_id"] == ""
    assert set(acled_old.dataset.claims.loc[acled_old.dataset.claims["event_id"] == "acled:syr800001", "claimant"]) == {"SANA", "SOHR", "ACLED"}


def test_missing_column_rejects_the_file_naming_expected_and_found():
    with pytest.raises(ImportFormatError) as caught:
        import_file(FIXTURES / "acled_missing_column.csv", "acled", geocoder=None, known_actors=KNOWN)
    (problem,) = caught.value.problems
    assert problem.line == 1 and problem.column == "latitude"
    assert "needs event_id_cnty, event_date" in problem.reason and "found event_id_cnty, event_date, year" in problem.reason


def test_wrong_layout_is_rejected():
    with pytest.raises(ImportFormatError, match="not in the ACLED layout"):
        import_file(FIXTURES / "ucdp_ged.csv", "acled", geocoder=None)


def test_format_is_detected():
    assert detect_format(FIXTURES / "acled_2023.csv") == "acled"
    assert detect_format(FIXTURES / "acled_old.csv") == "acled"
    assert detect_format(FIXTURES / "ucdp_ged.csv") == "ucdp"
    assert detect_format(ROOT / "tests" / "fixtures" / "tiny") == "atlas"
    assert detect_format(ROOT / "pytest.ini") is None


@pytest.mark.parametrize(
    ("text", "repaired"),
    [("caf\u00c3\u00a9", "café"), ("Dar\u00e2\u20ac\u2122a", "Dar’a"), ("plain ? quotes", "plain ? quotes"), ("Ḥalab", "Ḥalab")],
)
def test_repair_mojibake(text, repaired):
    assert repair_mojibake(text) == repaired


def test_ids_are_stable_across_imports():
    first = import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN)
    again = import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN)
    assert first.dataset.dataset_id == again.dataset.dataset_id
    for table in ("events", "claims", "places", "actors", "sources"):
        id_col = getattr(first.dataset, table).columns[0]
        assert getattr(first.dataset, table)[id_col].tolist() == getattr(again.dataset, table)[id_col].tolist()


def test_places_link_to_the_gazetteer_when_the_geocoder_agrees():
    pytest.importorskip("geo.geocoder", reason="the geocoder (geo/geocoder.py) is not available")
    result = import_file(FIXTURES / "acled_2023.csv", known_actors=KNOWN)
    places = result.dataset.places.set_index("place_id")
    ramouseh = event(result, "acled:syr900001")["place_id"]
    parent = places.loc[ramouseh, "parent_id"]
    assert parent, places.loc[ramouseh, "gazetteer_match"]
    assert parent in places.index  # the gazetteer place is copied in, so the reference resolves
    assert places.loc[ramouseh, "coord_source"] == "ACLED file, geo_precision 1"  # the file's point is kept
    assert result.places_resolved >= 3


@pytest.mark.skipif(not (SAMPLES / "acled_syria_sample.csv").exists(), reason="../shared/samples/acled_syria_sample.csv is absent (not redistributable)")
def test_real_acled_sample_imports_all_40_rows():
    result = import_file(SAMPLES / "acled_syria_sample.csv")
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (40, 40, 0), result.rejected[:3]
    events = result.dataset.events
    assert events["event_id"].str.startswith("acled:syr").all()
    assert events["date_start"].notna().all() and events["place_id"].ne("").all()
    assert (result.dataset.claims.groupby("event_id").size() >= 1).all()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("event_id_cnty,event_date\nSYR1,09 February 2018\n".encode("utf-16"), "not UTF-8"),
        ("event_id_cnty,event_date\nSYR1,Dar\u2019a\n".encode("cp1252"), "not UTF-8"),
        (b"event_id_cnty,event_date\nSYR1,09 February 2018,extra,cells\n", "unreadable CSV"),
        (b"", "unreadable CSV: the file is empty"),
    ],
    ids=["utf-16", "cp1252", "ragged-row", "empty"],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as caught:
        import_file(path, "acled", geocoder=None, known_actors=KNOWN)
    assert caught.value.problems[0].reason.startswith(reason)


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path):
    text = (FIXTURES / "acled_old.csv").read_text(encoding="utf-8")
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = import_file(path, geocoder=None, known_actors=KNOWN)
    assert (result.rows_read, result.rows_stored) == (4, 3)
    assert [p.line for p in result.rejected] == [5]
