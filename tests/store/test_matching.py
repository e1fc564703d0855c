"""Cross-dataset matching: the rule on the fixtures, agreement with a brute-force check, and the phrasing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data.importers import import_file
from data.importers.resolve import haversine_m
from data.store.matching import DATE_SLACK_DAYS, describe_events, match_events
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)


def test_acled_and_ucdp_fixtures_match_on_ramouseh_only():
    acled = import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN).dataset
    ged = import_file(FIXTURES / "ucdp_ged.csv", geocoder=None, known_actors=KNOWN).dataset
    pairs = match_events(acled.events, acled.places, ged.events, ged.places)
    assert pairs[["left_event_id", "right_event_id"]].values.tolist() == [["acled:syr900001", "ucdp:900101"]]
    assert pairs.loc[0, "days_apart"] == 0 and pairs.loc[0, "distance_km"] == 0.0
    matched = ged.events[ged.events["event_id"].isin(pairs["right_event_id"])]
    assert describe_events(matched, ged.places, source="UCDP") == "UCDP records 1 event in Ramouseh on 6 August 2016, 35 deaths best estimate"
    assert describe_events(acled.events.iloc[:2], acled.places, source="ACLED") == (
        "ACLED records 2 events in Aleppo - Ramouseh and Idleb on 6-23 August 2016, at least 15 deaths"
    )


def random_events(rng, n, prefix):
    start = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")
    precision = rng.choice(["day", "week", "month", "range"], size=n, p=[0.7, 0.15, 0.1, 0.05])
    length = np.select([precision == "week", precision == "month", precision == "range"], [6, 30, 60], 0)
    events = pd.DataFrame(
        {
            "event_id": [f"{prefix}{i}" for i in range(n)],
            "date_start": start,
            "date_end": start + pd.to_timedelta(length, unit="D"),
            "date_precision": precision,
            "place_id": [f"{prefix}p{i % 50}" if i % 17 else "" for i in range(n)],
        }
    )
    places = pd.DataFrame(
        {
            "place_id": [f"{prefix}p{i}" for i in range(50)],
            "name": [f"Place {i}" for i in range(50)],
            "lat": 36 + rng.random(50),
            "lon": 37 + rng.random(50),
            "precision_m": rng.choice([2_000.0, 5_000.0, 25_000.0], size=50),
        }
    )
    return events, places


def brute_force(left, lp, right, rp):
    lp, rp = lp.set_index("place_id"), rp.set_index("place_id")
    out = set()
    for a in left.itertuples():
        if not a.place_id:
            continue
        for b in right.itertuples():
            if not b.place_id:
                continue
            sa, sb = DATE_SLACK_DAYS[a.date_precision], DATE_SLACK_DAYS[b.date_precision]
            if a.date_start - pd.Timedelta(days=sa) > b.date_end + pd.Timedelta(days=sb):
                continue
            if b.date_start - pd.Timedelta(days=sb) > a.date_end + pd.Timedelta(days=sa):
                continue
            pa_, pb = lp.loc[a.place_id], rp.loc[b.place_id]
            if haversine_m(lat1=pa_.lat, lon1=pa_.lon, lat2=pb.lat, lon2=pb.lon) <= pa_.precision_m + pb.precision_m:
                out.add((a.event_id, b.event_id))
    return out


def test_vectorised_matching_agrees_with_brute_force():
    rng = np.random.default_rng(3)
    left, lp = random_events(rng, 300, "l")
    right, rp = random_events(rng, 300, "r")
    pairs = match_events(left, lp, right, rp, chunk_size=37)
    found = set(zip(pairs["left_event_id"], pairs["right_event_id"]))
    assert found == brute_force(left, lp, right, rp)
    assert len(found) > 50


def test_events_without_place_or_with_no_overlap_never_match():
    rng = np.random.default_rng(5)
    left, lp = random_events(rng, 20, "l")
    right = left.assign(event_id=lambda d: "r" + d["event_id"], date_start=left["date_start"] + pd.Timedelta(days=400), date_end=left["date_end"] + pd.Timedelta(days=400))
    assert match_events(left, lp, right, lp).empty
    assert match_events(left.assign(place_id=""), lp, left, lp).empty
