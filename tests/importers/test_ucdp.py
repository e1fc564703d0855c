"""UCDP GED importer: codes mapped, sources split into articles and claims, quirks tolerated; the real sample whole."""

from __future__ import annotations

import pandas as pd
import pytest

from data.importers import ImportFormatError, import_file
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture(scope="module")
def ged():
    return import_file(FIXTURES / "ucdp_ged.csv", "ucdp", geocoder=None, known_actors=KNOWN)


def event(result, event_id):
    events = result.dataset.events
    return events[events["event_id"] == event_id].iloc[0]


def test_rejections(ged):
    assert (ged.rows_read, ged.rows_stored, ged.rows_rejected) == (6, 3, 3)
    found = {(p.line, p.column, p.value): p.reason for p in ged.rejected}
    assert found[(5, "date_start", "1753-01-01")].startswith("placeholder date")
    assert found[(5, "date_end", "1753-01-01")].startswith("placeholder date")
    assert found[(6, "where_prec", "9")].startswith("unknown place precision (where_prec); expected one of 1, 2, 3, 4, 5, 6, 7")
    assert found[(7, "longitude", "-200.5")] == "out of range [-180, 180]"


def test_state_based_event_field_by_field(ged):
    row = event(ged, "ucdp:900101")
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Armed clash")
    assert row["date_start"] == row["date_end"] == pd.Timestamp("2016-08-06") and row["date_precision"] == "day"
    assert (row["fatalities_low"], row["fatalities_high"], row["fatalities_best"]) == (30, 41, "35")
    assert row["actor1_id"] == "ucdp-actor:government-of-syria" and row["side1"] == "government"
    assert row["actor2_id"] == "ucdp-actor:syrian-insurgents" and row["side2"] == "opposition"
    assert row["summary"] == "Government of Syria vs Syrian insurgents at Ramouseh (state-based violence, conflict: Syria: Government; UCDP GED)"
    place = ged.dataset.places.set_index("place_id").loc[row["place_id"]]
    assert row["place_id"].startswith("ucdp-place:ramouseh-")
    assert (place["name"], place["kind"], place["precision_m"]) == ("Ramouseh", "neighbourhood", 2000.0)
    assert place["coord_source"] == "UCDP GED file, where_prec 1"


def test_each_article_is_a_source_and_a_claim(ged):
    claims = ged.dataset.claims.set_index("claim_id")
    articles = claims[~claims["source_id"].str.startswith("dataset-figures:")]  # UCDP's own figures: test below
    assert list(articles.index[articles["event_id"] == "ucdp:900101"]) == ["ucdp:900101:1", "ucdp:900101:2"]
    reuters = claims.loc["ucdp:900101:2"]
    assert (reuters["claimant"], reuters["claim_date"], reuters["stance"]) == ("Reuters", pd.Timestamp("2016-08-07"), "asserts")
    assert claims.loc["ucdp:900101:1", "claimant_actor_id"] == "sohr"
    source = ged.dataset.sources.set_index("source_id").loc[reuters["source_id"]]
    assert (source["outlet"], source["title"], source["published"]) == ("Reuters", "Insurgents say they broke the siege", pd.Timestamp("2016-08-07"))


def test_ucdp_low_best_high_are_claims_of_ucdp(ged):
    ds = ged.dataset
    own = ds.claims[ds.claims["source_id"] == "dataset-figures:ucdp"]
    first = own[own["event_id"] == "ucdp:900101"].set_index("claim_id")
    assert first["quantity"].to_dict() == {"ucdp:900101:ucdp-low": 30, "ucdp:900101:ucdp-best": 35, "ucdp:900101:ucdp-high": 41}
    assert first.loc["ucdp:900101:ucdp-best", "unit"] == "killed (UCDP best estimate)"
    assert set(first["claimant"]) == {"UCDP GED"} and first["claimant_actor_id"].eq("").all()
    event = ds.events.set_index("event_id").loc["ucdp:900101"]
    assert not event["numbers_disagree"]  # one origin's low and high never disagree
    assert (event["claimed_fatalities_low"], event["claimed_fatalities_high"]) == (30, 41)


def test_an_article_printing_one_original_source_relays_it(ged):
    claims = ged.dataset.claims.set_index("claim_id")
    assert claims.loc["ucdp:900102:1", "relayed_by"] == "local activists"  # Airwars printing what activists said
    assert claims.loc["ucdp:900101:1", "relayed_by"] == ""  # "SOHR; rebel commanders": which article used which is unknown
    assert claims.loc["ucdp:900102:1", "origin"] == "local activists"


def test_one_sided_violence_with_a_time_of_day_and_lost_quotes(ged):
    row = event(ged, "ucdp:900102")
    assert (row["event_type"], row["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (pd.Timestamp("2016-08-08"), pd.Timestamp("2016-08-12"), "week")
    assert row["side2"] == "civilian"
    title = ged.dataset.sources.set_index("outlet").loc["Airwars", "title"]
    assert title == "Reported civilian deaths from ?precision? strikes & shelling"  # '?' kept, &amp; unescaped


def test_non_state_month_precision(ged):
    row = event(ged, "ucdp:900103")
    assert (row["date_precision"], row["actor1_id"], row["actor2_id"]) == ("month", "isis", "ucdp-actor:sdf")
    place = ged.dataset.places.set_index("place_id").loc[row["place_id"]]
    assert (place["kind"], place["precision_m"]) == ("governorate", 150000.0)


def test_optional_columns_may_be_missing():
    result = import_file(FIXTURES / "ucdp_minimal.csv", "ucdp", geocoder=None, known_actors=KNOWN)
    assert result.rows_stored == 1 and result.dataset.claims["claim_id"].tolist() == ["ucdp:900101:ucdp-best"]  # no article claims
    row = result.dataset.events.iloc[0]
    assert pd.isna(row["fatalities_low"]) and row["fatalities_best"] == "35"


def test_wrong_layout_names_expected_and_found_columns():
    with pytest.raises(ImportFormatError) as caught:
        import_file(FIXTURES / "acled_2023.csv", "ucdp", geocoder=None)
    reason = caught.value.problems[0].reason
    assert "missing required columns id, type_of_violence" in reason and "found event_id_cnty" in reason


@pytest.mark.skipif(not (SAMPLES / "ucdp_ged_syria_sample.csv").exists(), reason="../shared/samples/ucdp_ged_syria_sample.csv is absent (not redistributable)")
def test_real_ucdp_sample_imports_all_40_rows():
    result = import_file(SAMPLES / "ucdp_ged_syria_sample.csv")
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (40, 40, 0), result.rejected[:3]
    # One GED row has high < low: kept, with a warning, as the widest range of its estimates.
    assert all(w.column == "high" for w in result.warnings)
    events = result.dataset.events
    assert (events["fatalities_high"] >= events["fatalities_low"]).all()
    assert len(result.dataset.claims) >= 40
