"""The fast views agree with slow, obviously correct references on a synthetic dataset of a few thousand events.

The reference filter walks the rows in Python, one event at a time, following the rule written in
filter_dataset's docstring; the map, timeline and table aggregates are recounted from the filtered rows.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from data.model.claims import add_claim_status
from data.model.dataset import load_dataset
from data.views.filters import filter_dataset
from data.views.map_view import count_unplaced, grid_cell_deg, places_for_map
from bench.synth import generate, write_tables
from data.views.table import SORTS, claim_page, sorted_claim_positions
from data.model.taxonomy import EVENT_TYPES, SIDES, STATUSES
from data.views.timeline import MAX_EVENT_MARKS, bin_starts, build_timeline
from data.views.view import ViewState

N_EVENTS = 4000
N_VIEWS = 50
SEARCH_WORDS = ("siege", "MOSQUE", "water station", "denies", "killed", "Spokesman", "x", "zzqq", "ain", "brigade 7")


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    folder = tmp_path_factory.mktemp("aggregates")
    write_tables(generate(N_EVENTS, seed=11), folder)
    return load_dataset(folder, dataset_id="synth")


@pytest.fixture(scope="module")
def reference(synth):
    return _Reference(synth)


class _Reference:
    """filter_dataset written the slow way: a loop over events and claims, strings compared as strings."""

    def __init__(self, ds):
        self.ds = ds
        status_frame = ds.events[["event_id", "against_camp"]].copy()
        add_claim_status(status_frame, ds.claims)  # the rule as written in data/model/claims.py
        self.status = dict(zip(status_frame["event_id"], status_frame["status"].astype(str)))
        self.side_of = dict(zip(ds.actors["actor_id"], ds.actors["side"]))
        self.outlet_of = dict(zip(ds.sources["source_id"], ds.sources["outlet"]))
        self.events = list(ds.events[["event_id", "date_start", "date_end", "place_id", "event_type", "sub_event_type",
                                      "actor1_id", "actor2_id", "summary"]].itertuples(index=False))
        self.claims = list(ds.claims[["claim_id", "event_id", "source_id", "claimant", "claimant_actor_id", "statement",
                                      "claim_date"]].itertuples(index=False))
        self.claims_of: dict[str, list] = {}
        for claim in self.claims:
            self.claims_of.setdefault(claim.event_id, []).append(claim)

    @staticmethod
    def _matches(text: str, needle: str) -> bool:
        return needle.lower() in text.lower()  # the synthetic text is ASCII, where this is the definition

    def _claim_text(self, claim) -> str:
        return f"{claim.statement} \u2016 {claim.claimant}"

    def select(self, view: ViewState) -> tuple[set[str], set[str]]:
        ds = self.ds
        members = ds.actor_index.expand(view.actors) if view.actors else set()
        inside = set().union(*(ds.place_tree.descendants(p) for p in view.places)) if view.places else set()
        start = pd.Timestamp(view.date_from) if view.date_from else None
        end = pd.Timestamp(view.date_to) if view.date_to else None

        def claim_ok(claim) -> bool:  # the claim-level tests shared by events' claims and loose claims
            if view.outlets and self.outlet_of[claim.source_id] not in view.outlets:
                return False
            if view.sources and claim.source_id not in view.sources:
                return False
            return True

        kept_events = set()
        for event in self.events:
            claims = self.claims_of.get(event.event_id, [])
            if start is not None and event.date_end < start:
                continue
            if end is not None and event.date_start > end:
                continue
            if view.sides and not (
                self.side_of.get(event.actor1_id) in view.sides
                or self.side_of.get(event.actor2_id) in view.sides
                or any(self.side_of.get(c.claimant_actor_id) in view.sides for c in claims)
            ):
                continue
            if view.actors and not (
                event.actor1_id in members or event.actor2_id in members or any(c.claimant_actor_id in members for c in claims)
            ):
                continue
            if view.event_types and event.event_type not in view.event_types:
                continue
            if view.sub_event_types and event.sub_event_type not in view.sub_event_types:
                continue
            if view.places and event.place_id not in inside:
                continue
            if view.selected_place and event.place_id != view.selected_place:
                continue
            if view.statuses and self.status[event.event_id] not in view.statuses:
                continue
            if view.outlets and not any(self.outlet_of[c.source_id] in view.outlets for c in claims):
                continue
            if view.sources and not any(c.source_id in view.sources for c in claims):
                continue
            if view.text and not (
                self._matches(event.summary, view.text) or any(self._matches(self._claim_text(c), view.text) for c in claims)
            ):
                continue
            kept_events.add(event.event_id)

        event_only = view.event_types or view.sub_event_types or view.places or view.selected_place or view.statuses
        kept_claims = set()
        for claim in self.claims:
            if claim.event_id:
                if claim.event_id in kept_events and claim_ok(claim):
                    kept_claims.add(claim.claim_id)
                continue
            if event_only or not claim_ok(claim):
                continue
            dated = not pd.isna(claim.claim_date)
            if start is not None and not (dated and claim.claim_date >= start):
                continue
            if end is not None and not (dated and claim.claim_date <= end):
                continue
            if view.sides and self.side_of.get(claim.claimant_actor_id) not in view.sides:
                continue
            if view.actors and claim.claimant_actor_id not in members:
                continue
            if view.text and not self._matches(self._claim_text(claim), view.text):
                continue
            kept_claims.add(claim.claim_id)
        return kept_events, kept_claims


def _random_views(ds, n: int, seed: int) -> list[ViewState]:
    rng = np.random.default_rng(seed)
    first = ds.events["date_start"].min().date()
    span = (ds.events["date_end"].max().date() - first).days
    place_ids = ds.places["place_id"].to_numpy(dtype=object)
    busy = ds.events.loc[ds.events["place_id"] != "", "place_id"].value_counts().index.to_numpy(dtype=object)
    actor_ids = ds.actors["actor_id"].to_numpy(dtype=object)
    outlets = sorted(set(ds.sources["outlet"]))
    views = []
    for _ in range(n):
        kw: dict = {}
        if rng.random() < 0.5:
            begin = first + timedelta(days=int(rng.integers(0, span)))
            if rng.random() < 0.7:
                kw["date_from"] = begin
            if rng.random() < 0.7:
                kw["date_to"] = begin + timedelta(days=int(rng.choice([0, 6, 40, 400, 2000])))
        if rng.random() < 0.25:
            kw["sides"] = tuple(rng.choice(SIDES, size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.2:
            kw["actors"] = tuple(rng.choice(actor_ids, size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.2:
            kw["event_types"] = tuple(rng.choice(list(EVENT_TYPES), size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.1:
            kind = str(rng.choice(list(EVENT_TYPES)))
            kw["sub_event_types"] = (str(rng.choice(EVENT_TYPES[kind])),)
        if rng.random() < 0.2:
            kw["places"] = (str(rng.choice(place_ids if rng.random() < 0.5 else busy[:20])),)
        if rng.random() < 0.1:
            kw["selected_place"] = str(rng.choice(busy[:30]))
        if rng.random() < 0.2:
            kw["statuses"] = tuple(rng.choice(STATUSES, size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.15:
            kw["outlets"] = (str(rng.choice(outlets)),)
        if rng.random() < 0.1:
            kw["sources"] = tuple(str(s) for s in rng.choice(ds.sources["source_id"].to_numpy(dtype=object), size=3))
        if rng.random() < 0.35:
            kw["text"] = str(rng.choice(SEARCH_WORDS))
        views.append(ViewState(**kw))
    return views


def test_claim_status_equals_the_written_rule(synth, reference):
    assert dict(zip(synth.events["event_id"], synth.events["status"].astype(str))) == reference.status
    assert list(synth.events["status"].cat.categories) == ["conceded", "corroborated", "contested", "single-source", "unclaimed"]


@pytest.mark.parametrize("seed", range(5))
def test_filter_equals_reference_on_random_views(synth, reference, seed):
    for view in _random_views(synth, N_VIEWS // 5, seed):
        selection = filter_dataset(synth, view)
        events, claims = reference.select(view)
        assert set(selection.events["event_id"]) == events, view
        assert set(selection.claims["claim_id"]) == claims, view


def test_default_view_keeps_everything(synth):
    selection = filter_dataset(synth, ViewState())
    assert selection.n_events == len(synth.events) and selection.n_claims == len(synth.claims)


def test_search_is_case_insensitive_literal_and_repeatable(synth):
    once = filter_dataset(synth, ViewState(text="Water Station"))
    again = filter_dataset(synth, ViewState(text="water station"))  # served from the cache of recent needles
    assert once.n_events == again.n_events > 0
    assert (once.event_mask == again.event_mask).all() and (once.claim_mask == again.claim_mask).all()
    assert filter_dataset(synth, ViewState(text="w.ter")).n_events == 0  # a dot is a dot, not a wildcard


@pytest.mark.parametrize("seed", range(3))
def test_map_counts_per_place_equal_filtered_rows(synth, seed):
    for view in _random_views(synth, 8, 100 + seed):
        selection = filter_dataset(synth, view)
        places = places_for_map(selection)
        expected = selection.events.loc[selection.events["place_id"] != "", "place_id"].value_counts()
        assert dict(zip(places["place_id"], places["n_events"])) == expected.to_dict()
        assert places["n_events"].sum() + count_unplaced(selection) == selection.n_events
        by_status = places[["n_conceded", "n_corroborated", "n_contested", "n_single_source", "n_unclaimed"]].sum(axis=1)
        assert (by_status == places["n_events"]).all()


def test_map_grid_counts_equal_filtered_rows(synth):
    for view in _random_views(synth, 10, 200):
        selection = filter_dataset(synth, view)
        cells = places_for_map(selection, max_places=20)
        placed = selection.events[selection.events["place_id"] != ""]
        if placed["place_id"].nunique() <= 20:
            assert not (cells["kind"] == "grid cell").any()
            continue
        assert (cells["kind"] == "grid cell").all()
        assert cells["n_events"].sum() + count_unplaced(selection) == selection.n_events
        where = synth.places.set_index("place_id").loc[placed["place_id"], ["lat", "lon"]]
        size = grid_cell_deg(selection)
        keys = list(zip(np.floor(where["lat"].to_numpy() / size).astype(int), np.floor(where["lon"].to_numpy() / size).astype(int)))
        expected = pd.Series(keys).value_counts()
        got = {(int(np.floor(lat / size)), int(np.floor(lon / size))): n for lat, lon, n in zip(cells["lat"], cells["lon"], cells["n_events"])}
        assert got == expected.to_dict()


@pytest.mark.parametrize("seed", range(3))
def test_timeline_bins_equal_filtered_rows(synth, seed):
    for view in _random_views(synth, 8, 300 + seed):
        selection = filter_dataset(synth, view)
        timeline = build_timeline(selection)
        if selection.n_events <= MAX_EVENT_MARKS:
            assert timeline.mode == "events" and len(timeline.marks) == selection.n_events
            continue
        assert timeline.mode == "bins"
        events = selection.events
        mid = (events["day_start"].astype(np.int64) + events["day_end"].astype(np.int64)) // 2
        first = (np.datetime64("1970-01-01") + bin_starts(mid.to_numpy(), timeline.bin_unit).astype("timedelta64[D]")).astype(str)
        expected = pd.DataFrame({"bin_start": first, "side": events["lead_side"].astype(str).to_numpy()}).value_counts()
        got = timeline.bins.set_index(["bin_start", "side"])["n_events"]
        assert got.to_dict() == expected.to_dict()
        assert timeline.bins["n_events"].sum() == selection.n_events
        ranged = (events["day_end"] > events["day_start"]).sum()
        assert timeline.bins["n_ranged"].sum() == ranged
        # the bin size follows the range on screen: the filtered events' own span
        span = int(events["day_end"].max()) - int(events["day_start"].min()) + 1
        assert timeline.bin_unit == ("day" if span <= 160 else "week" if span / 7 <= 160 else "month")


def test_table_page_and_download_agree_with_filter(synth):
    for view in _random_views(synth, 10, 400):
        selection = filter_dataset(synth, view)
        for sort in SORTS:
            positions = sorted_claim_positions(selection, sort)
            assert len(positions) == selection.n_claims
            assert set(synth.claims["claim_id"].to_numpy()[positions]) == set(selection.claims["claim_id"])
            page = claim_page(selection, sort=sort, page=1)
            assert list(page["claim_id"]) == list(synth.claims["claim_id"].to_numpy()[positions[:100]])


def test_sort_orders_equal_sorting_the_filtered_rows(synth):
    """Cached whole-dataset orders, filtered, equal a sort of the filtered claims alone."""
    from data.model.taxonomy import STANCES

    for view in _random_views(synth, 6, 500):
        selection = filter_dataset(synth, view)
        claims = selection.claims
        events = synth.events.set_index("event_id")
        linked = claims["event_id"] != ""
        event_day = np.where(linked, events["day_start"].reindex(claims["event_id"]).fillna(0).to_numpy(), 0)
        claim_day = np.where(claims["claim_day"] == np.iinfo(np.int32).min, np.iinfo(np.int32).max, claims["claim_day"])
        day = np.where(linked, event_day, claim_day)
        frame = pd.DataFrame({
            "pos": np.flatnonzero(selection.claim_mask), "day": day, "event": claims["event_pos"].to_numpy(),
            "stance": claims["stance"].map({s: i for i, s in enumerate(STANCES)}).to_numpy(),
            "outlet": claims["outlet"].astype(str).to_numpy(), "claimant": claims["claimant"].astype(str).to_numpy(),
        })
        by_date = frame.sort_values(["day", "event", "stance", "pos"], kind="stable")["pos"].to_numpy()
        assert (sorted_claim_positions(selection, "date") == by_date).all()
        by_outlet = frame.sort_values(["outlet", "day", "event", "stance", "pos"], kind="stable")["pos"].to_numpy()
        assert (sorted_claim_positions(selection, "outlet") == by_outlet).all()
        by_claimant = frame.sort_values(["claimant", "day", "pos"], kind="stable")["pos"].to_numpy()
        assert (sorted_claim_positions(selection, "claimant") == by_claimant).all()


def test_download_is_the_whole_filtered_set(synth):
    from pages.ui.panels import _claims_csv, _events_csv

    selection = filter_dataset(synth, ViewState(statuses=("contested",), date_from=date(2015, 1, 1)))
    events_csv = pd.read_csv(pd.io.common.BytesIO(_events_csv(selection)), dtype=str, keep_default_na=False)
    claims_csv = pd.read_csv(pd.io.common.BytesIO(_claims_csv(selection)), dtype=str, keep_default_na=False)
    assert set(events_csv["event_id"]) == set(selection.events["event_id"]) and len(events_csv) == selection.n_events
    assert set(claims_csv["claim_id"]) == set(selection.claims["claim_id"]) and len(claims_csv) == selection.n_claims
