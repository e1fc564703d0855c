"""Numbers as claims: figures grouped per event and unit, ranges with who said each, disagreements flagged."""

from __future__ import annotations

import pandas as pd
import pytest

from data.model.quantities import disagrees, fatality_range, hedge_of, is_fatality_unit, is_lower_bound, number_groups, unit_key
from tests.model.test_claims import _dataset


@pytest.mark.parametrize(
    ("unit", "key", "hedge", "deaths", "minimum"),
    [
        ("militants killed (more than)", "militants killed", "more than", True, True),
        ("People  Killed", "people killed", "", True, False),
        ("killed (ACLED: lowest reported figure)", "killed", "ACLED: lowest reported figure", True, True),
        ("killed (UCDP high estimate)", "killed", "UCDP high estimate", True, False),
        ("civilians trapped", "civilians trapped", "", False, False),
        ("air strikes in one day (more than)", "air strikes in one day", "more than", False, True),
    ],
)
def test_units(unit, key, hedge, deaths, minimum):
    assert (unit_key(unit), hedge_of(unit), is_fatality_unit(unit), is_lower_bound(unit)) == (key, hedge, deaths, minimum)


def test_numbers_that_disagree_are_flagged_only_across_origins():
    assert disagrees([300, 100], ["army", "monitor"])
    assert not disagrees([300, 160], ["army", "monitor"])
    assert not disagrees([2, 10], ["ucdp", "ucdp"])  # one dataset's low and high estimates
    assert disagrees([0, 4], ["a", "b"])


def test_an_event_with_disagreeing_tolls():
    ds = _dataset([("army", "", "denies", "paper-a", "300", "militants killed (more than)"),
                   ("monitor", "", "asserts", "paper-b", "90", "militants killed"),
                   ("rebels", "Wire X", "asserts", "paper-c", "12", "fighters wounded")])
    event = ds.events.iloc[0]
    assert bool(event["numbers_disagree"])
    assert event["claimed_fatalities_low"] == 90 and pd.isna(event["claimed_fatalities_high"])  # open: 300 is a minimum
    assert fatality_range(None, None, event["claimed_fatalities_low"], event["claimed_fatalities_high"]) == ("at least 90", "its claims")
    groups = number_groups(ds.claims.assign(origin_id=ds.claims["origin_id"].astype(str)), lambda row: row["claimant"])
    tolls, wounded = groups
    assert (tolls.unit, tolls.range, tolls.disagree, tolls.fatalities) == ("militants killed", "at least 90", True, True)
    assert tolls.said_by == "300 (more than): army (denies); 90: monitor"
    assert (wounded.unit, wounded.range, wounded.disagree) == ("fighters wounded", "12", False)


def test_figures_of_one_origin_do_not_disagree():
    ds = _dataset([("monitor", "Wire X", "asserts", "paper-a", "10", "people killed"),
                   ("monitor", "Wire Y", "asserts", "paper-b", "40", "people killed"),
                   ("second-monitor", "", "asserts", "paper-c", "15", "people killed")])
    event = ds.events.iloc[0]
    assert bool(event["numbers_disagree"])  # 40 (first monitor) against 15 (second)
    ds = _dataset([("monitor", "Wire X", "asserts", "paper-a", "10", "people killed"),
                   ("monitor", "Wire Y", "asserts", "paper-b", "40", "people killed")])
    assert not bool(ds.events.iloc[0]["numbers_disagree"])
    assert (ds.events.iloc[0]["claimed_fatalities_low"], ds.events.iloc[0]["claimed_fatalities_high"]) == (10, 40)


def test_curated_fatalities_win_over_claims():
    assert fatality_range(10, 40, 3, 500) == ("10 to 40", "the event's own figures")
    assert fatality_range(None, None, 500, 500) == ("500", "its claims")
    assert fatality_range(None, None, float("nan"), float("nan")) == ("unknown", "")


def test_seed_air_campaign_toll_comes_from_its_claim(seed):
    event = seed.events.set_index("event_id").loc["2016-09-22-aleppo-air-campaign"]
    assert pd.isna(event["fatalities_low"])  # blank in events.csv: the figure is the volunteer's claim
    assert (event["claimed_fatalities_low"], event["claimed_fatalities_high"]) == (500, 500)
    assert not seed.events["numbers_disagree"].any()  # no two origins give the seed's figures far apart
