"""The event detail: dates and place with their precision, claims in stance order, and matches in overlaid datasets."""

from __future__ import annotations

import pandas as pd

from data.views.detail import event_detail
from data.store.overlay import combine


def test_detail_of_a_contested_event(seed):
    detail = event_detail(seed, "2016-08-06-aleppo-siege-broken")
    assert detail.when == "06 Aug 2016" and detail.date_precision == "day"
    assert detail.place.startswith("Ramouseh, Aleppo") and "within" in detail.place_precision
    assert detail.status == "contested"
    stances = list(detail.claims["stance"])
    assert stances == sorted(stances, key=["asserts", "denies", "disputes", "uncertain"].index)
    assert detail.claims["evidence"].str.match(r"^\d{3}_[0-9a-f]{16}\.txt \[\d+:\d+\]$").all()
    assert detail.elsewhere == ()  # one dataset: nothing to compare with


def test_unknown_event_has_no_detail(seed):
    assert event_detail(seed, "no-such-event") is None


def test_overlay_reports_matching_events_of_the_other_dataset(seed, tiny_copy):
    from data.model.dataset import load_dataset

    places = tiny_copy / "places.csv"
    text = places.read_text().replace("rivertown-base,Artillery Base,,base,rivertown-south,36.165,37.125,1500",
                                      "rivertown-base,Artillery Base,,base,rivertown-south,36.1785,37.1195,1500")
    places.write_text(text)  # put the fixture's base at Ramouseh, the fixture's siege on 6 Aug 2016
    other = load_dataset(tiny_copy, dataset_id="acled-0123456789ab")
    both = combine([seed, other])
    detail = event_detail(both, "2016-08-06-aleppo-siege-broken")
    # the base is within both radii on the day; the month-long strikes on the whole city overlap too
    assert detail.elsewhere == (
        "ACLED (acled-0123456789ab) records 2 events in Artillery Base and Rivertown on 1-31 August 2016, at least 10 deaths",
    )
    hill = event_detail(both, "e-hill")
    # a governorate-wide event is within reach of any town in it: broad places match broadly, by design
    assert hill.elsewhere[0].startswith("The curated news dataset records 4 events in Aleppo governorate, Nubl")
    vote = event_detail(both, "e-vote")  # no place: never matched
    assert vote.elsewhere == ("The curated news dataset records no matching event",)
    assert pd.Series(both.events["dataset_id"]).nunique() == 2
