"""The one filter on the tiny fixture: each filter alone and combined, and what the views built on it show."""

from __future__ import annotations

from datetime import date

import pytest

from data.views.filters import filter_dataset
from data.views.map_view import count_unplaced, places_for_map
from data.views.table import claim_page, sorted_claim_positions
from data.views.timeline import build_timeline, count_by_bin
from data.views.view import ViewState


def _ids(selection):
    return sorted(selection.events["event_id"]), sorted(selection.claims["claim_id"])


@pytest.mark.parametrize(
    ("view", "events", "claims"),
    [
        (ViewState(), ["e-hill", "e-siege", "e-strikes", "e-vote"], ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]),
        # a month-long event overlaps a one-day window in its month
        (ViewState(date_from=date(2016, 8, 20), date_to=date(2016, 8, 20)), ["e-strikes"], ["c4"]),
        (ViewState(date_from=date(2016, 8, 7)), ["e-strikes", "e-vote"], ["c4", "c7"]),
        (ViewState(date_to=date(2016, 7, 31)), ["e-hill"], ["c5", "c6"]),
        # sides match event actors or claimants; a monitor claimed e-siege and the loose claim c7
        (ViewState(sides=("monitor",)), ["e-siege"], ["c1", "c2", "c3", "c7"]),
        # a coalition includes its members and their renames
        (ViewState(actors=("coalition",)), ["e-hill", "e-siege", "e-strikes"], ["c1", "c2", "c3", "c4", "c5", "c6"]),
        (ViewState(actors=("front",)), ["e-hill", "e-siege"], ["c1", "c2", "c3", "c5", "c6"]),
        (ViewState(event_types=("Battles",)), ["e-hill", "e-siege"], ["c1", "c2", "c3", "c5", "c6"]),
        (ViewState(sub_event_types=("Air/drone strike",)), ["e-strikes"], ["c4"]),
        # a city includes its districts and the sites inside them
        (ViewState(places=("rivertown",)), ["e-siege", "e-strikes"], ["c1", "c2", "c3", "c4"]),
        (ViewState(places=("northland",)), ["e-hill", "e-siege", "e-strikes"], ["c1", "c2", "c3", "c4", "c5", "c6"]),
        (ViewState(selected_place="rivertown"), ["e-strikes"], ["c4"]),
        (ViewState(statuses=("contested",)), ["e-siege"], ["c1", "c2", "c3"]),
        (ViewState(statuses=("unclaimed",)), ["e-vote"], []),
        # claims by origin: the monitor's own claims (one relayed by Wire A), its loose claim too
        (ViewState(origins=("Watch Monitor",)), ["e-siege"], ["c2", "c7"]),
        (ViewState(origins=("a local doctor", "State Army")), ["e-hill", "e-strikes"], ["c4", "c5"]),
        # only e-siege is spoken to by more than one voice (army and ally are one camp; the doctor is no actor)
        (ViewState(several_voices=True), ["e-siege"], ["c1", "c2", "c3"]),
        (ViewState(numbers_disagree=True), [], []),
        # an outlet filter narrows the claims to that outlet's
        (ViewState(outlets=("Paper B",)), ["e-hill", "e-siege", "e-strikes"], ["c3", "c4", "c6", "c7"]),
        (ViewState(sources=("wire-a",)), ["e-hill", "e-siege"], ["c1", "c2", "c5"]),
        (ViewState(text="CORRIDOR"), ["e-siege"], ["c1", "c2", "c3"]),
        (ViewState(text="displacement"), [], ["c7"]),
        (ViewState(text="council vote"), ["e-vote"], []),
        # combined
        (ViewState(places=("rivertown",), statuses=("contested",), outlets=("Paper B",)), ["e-siege"], ["c3"]),
        (ViewState(date_from=date(2016, 8, 1), actors=("army",), event_types=("Battles",)), ["e-siege"], ["c1", "c2", "c3"]),
        (ViewState(places=("hilltown",), date_from=date(2016, 8, 1)), [], []),
    ],
)
def test_filter(tiny, view, events, claims):
    assert _ids(filter_dataset(tiny, view)) == (events, claims)


def test_caption_counts_and_words(tiny):
    selection = filter_dataset(tiny, ViewState(statuses=("contested",)))
    assert selection.caption() == "1 of 4 events, 3 claims · contested only"


def test_map_counts_equal_filtered_rows(tiny):
    selection = filter_dataset(tiny, ViewState())
    places = places_for_map(selection)
    assert dict(zip(places.place_id, places.n_events)) == {"rivertown": 1, "rivertown-base": 1, "hilltown": 1}
    assert places["n_events"].sum() + count_unplaced(selection) == selection.n_events
    row = places.set_index("place_id").loc["rivertown-base"]
    assert (row.n_contested, row.side) == (1, "jihadist")


def test_map_tooltip_is_plain_text(tiny):
    places = places_for_map(filter_dataset(tiny, ViewState()))
    tip = places.set_index("place_id").loc["rivertown-base", "tooltip"]
    assert tip.startswith("Artillery Base (base, ±1.5 km)\n1 event: 1 contested")
    assert "<" not in "".join(places["tooltip"])


def test_places_sharing_coordinates_get_distinct_marks(tiny_copy):
    from data.model.dataset import load_dataset

    text = (tiny_copy / "places.csv").read_text().replace("36.165,37.125", "36.20,37.15")
    (tiny_copy / "places.csv").write_text(text)
    places = places_for_map(filter_dataset(load_dataset(tiny_copy), ViewState()))
    same = places[places.place_id.isin(["rivertown", "rivertown-base"])]
    assert (same.lat.nunique(), same.lon.nunique()) == (1, 1)
    assert len(set(zip(same.mark_lat.round(6), same.mark_lon.round(6)))) == 2


def test_timeline_marks_keep_ranges(tiny):
    timeline = build_timeline(filter_dataset(tiny, ViewState()))
    assert timeline.mode == "events"
    strikes = timeline.marks.set_index("event_id").loc["e-strikes"]
    assert (strikes.date_start, strikes.date_end, strikes.date_precision) == ("2016-08-01", "2016-08-31", "month")
    assert len(timeline.marks) == 4


def test_bins_count_every_event_once():
    import numpy as np

    start = np.array([0, 1, 8, 40, 40], dtype=np.int32)  # 1970-01-01 is a Thursday
    end = np.array([0, 1, 8, 70, 40], dtype=np.int32)
    bins = count_by_bin(start, end, np.array([0, 0, 1, 0, 0]), "week")
    assert bins["n_events"].sum() == 5
    assert bins.iloc[0].to_dict() == {"bin_start": "1969-12-29", "side": "government", "n_events": 2, "n_ranged": 0}


def test_table_puts_assertions_before_denials_of_the_same_event(tiny):
    rows = claim_page(filter_dataset(tiny, ViewState()))
    siege = rows[rows.event_id == "e-siege"]
    assert list(siege.stance) == ["asserts", "asserts", "denies"]
    assert list(siege.index) == list(range(siege.index[0], siege.index[0] + 3))  # contiguous
    assert rows.iloc[0]["date"] == "2016-02-03"


def test_table_page_and_download_agree_with_filter(tiny):
    selection = filter_dataset(tiny, ViewState(outlets=("Paper B",)))
    positions = sorted_claim_positions(selection)
    assert sorted(selection.dataset.claims.iloc[positions]["claim_id"]) == sorted(selection.claims["claim_id"])
    first = claim_page(selection, page=1, page_size=3)
    second = claim_page(selection, page=2, page_size=3)
    assert len(first) == 3 and len(second) == 1
    assert set(first.claim_id) | set(second.claim_id) == set(selection.claims.claim_id)
    assert claim_page(selection, page=99, page_size=3).claim_id.tolist() == second.claim_id.tolist()


def test_downloads_defuse_spreadsheet_formulas(tiny):
    import pandas as pd

    from data.views.table import spreadsheet_safe

    rows = claim_page(filter_dataset(tiny, ViewState()))
    rows.loc[0, "statement"] = '=HYPERLINK("http://x","y")'
    rows.loc[1, "claimant"] = "@SUM(A1)"
    safe = spreadsheet_safe(rows)
    assert safe.loc[0, "statement"] == "'" + '=HYPERLINK("http://x","y")' and safe.loc[1, "claimant"] == "'@SUM(A1)"
    assert (safe.iloc[2:] == rows.iloc[2:]).all().all()  # other cells untouched
    assert spreadsheet_safe(pd.DataFrame({"n": [-5]}))["n"].tolist() == [-5]


def test_events_whose_numbers_disagree(tiny_copy):
    """The monitor counts 40 dead where state news says 300: more than twice apart, from two origins."""
    from data.model.dataset import load_dataset

    claims = tiny_copy / "claims.csv"
    claims.write_text(claims.read_text() + "c8,e-siege,wire-a,monitor,monitor,,asserts,The monitor counts forty fighters dead.,2016-08-07,40,fighters killed,,\n")
    ds = load_dataset(tiny_copy, dataset_id="tiny")
    selection = filter_dataset(ds, ViewState(numbers_disagree=True))
    assert _ids(selection) == (["e-siege"], ["c1", "c2", "c3", "c8"])
    assert filter_dataset(ds, ViewState(numbers_disagree=True, statuses=("single-source",))).n_events == 0
