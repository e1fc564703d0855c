"""The one filter: a view state applied to a dataset gives the events and claims every view shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from data.model.dataset import Dataset, day_numbers
from data.model.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES
from data.views.derived import derived
from data.views.view import ViewState


@dataclass
class Selection:
    """The filtered events and claims of one view, as masks over the dataset's tables."""

    dataset: Dataset
    view: ViewState
    event_mask: np.ndarray
    claim_mask: np.ndarray

    @cached_property
    def events(self) -> pd.DataFrame:
        return self.dataset.events.iloc[np.flatnonzero(self.event_mask)]

    @cached_property
    def claims(self) -> pd.DataFrame:
        return self.dataset.claims.iloc[np.flatnonzero(self.claim_mask)]

    @property
    def n_events(self) -> int:
        return int(self.event_mask.sum())

    @property
    def n_claims(self) -> int:
        return int(self.claim_mask.sum())

    @property
    def n_total_events(self) -> int:
        return len(self.dataset.events)

    def caption(self) -> str:
        """'N of M events, K claims: <filters in words>'."""
        words = self.view.describe(actor_names=self.dataset.actor_index.names, place_names=self.dataset.place_tree.names)
        return f"{self.n_events:,} of {self.n_total_events:,} events, {self.n_claims:,} claims · {words}"

    def empty_message(self) -> str:
        """Why nothing matches, in words an analyst can act on (the data's own dates when the filter lies outside)."""
        events = self.dataset.events
        if events.empty:
            return "This dataset holds no events."
        first, last = events["date_start"].min().date(), events["date_end"].max().date()
        view = self.view
        span = f"this dataset's events run from {first:%-d %b %Y} to {last:%-d %b %Y}"
        if (view.date_from and view.date_from > last) or (view.date_to and view.date_to < first):
            return f"No events in these dates: {span}. Widen the dates or reset the filters."
        return f"No events match these filters ({span}). Widen the dates or clear a filter (sidebar: Reset all filters)."


def _day(value) -> int:
    return int(day_numbers(pd.Series([pd.Timestamp(value)]))[0])


def _events_with(claim_mask: np.ndarray, event_pos: np.ndarray, n_events: int) -> np.ndarray:
    """Events that have at least one claim in the mask."""
    out = np.zeros(n_events, dtype=bool)
    hits = event_pos[claim_mask]
    out[hits[hits >= 0]] = True
    return out


def _lookup(names, wanted, positions: np.ndarray) -> np.ndarray:
    """wanted-membership of names[position] for every row, blank ("") where the position is -1.

    One boolean per distinct name, then one array lookup per row: the row's strings are never compared.
    """
    table = np.fromiter((name in wanted for name in names), dtype=bool, count=len(names))
    return np.append(table, "" in wanted)[positions]


def filter_dataset(ds: Dataset, view: ViewState) -> Selection:
    """Apply every filter of the view: the map, the timeline and the claim table all use this result.

    Events are kept when they satisfy every active filter. A date range keeps events whose own
    range overlaps it. Sides and actors match an event's actors or any of its claimants; an actor
    includes its coalition members and renames; a place includes everything inside it. Claims
    shown are those of the kept events (only the chosen outlets' when outlets are filtered), plus
    claims about no single event when no event-only filter is active. Outlet, source and origin filters
    also narrow the claims shown to those reports or origins. `several_voices` keeps events that at least two
    independent voices take a position on (asserting, denying or disputing; data/model/claims.py), and
    `numbers_disagree` events whose figures of one unit differ by more than 2x between origins.

    Every test is an array lookup on integer columns computed at load (positions of actors, places,
    sources; type and status codes; day numbers), so a rerun never compares strings row by row.
    """
    events, claims = ds.events, ds.claims
    n_events = len(events)
    event_pos = claims["event_pos"].to_numpy()
    keep = np.ones(n_events, dtype=bool)
    claim_keep = np.ones(len(claims), dtype=bool)
    unlinked = event_pos < 0
    loose_keep = unlinked.copy()  # claims about no single event

    if view.date_from is not None:
        first = _day(view.date_from)
        keep &= events["day_end"].to_numpy() >= first
        loose_keep &= claims["claim_day"].to_numpy() >= first
    if view.date_to is not None:
        last = _day(view.date_to)
        keep &= events["day_start"].to_numpy() <= last
        claim_day = claims["claim_day"].to_numpy()
        loose_keep &= (claim_day <= last) & (claim_day > np.iinfo(np.int32).min)
    if view.sides:
        sides = set(view.sides)
        actor_sides = ds.actors["side"].to_numpy(dtype=object)
        by_actor = _lookup(actor_sides, sides, events["actor1_pos"].to_numpy()) | _lookup(actor_sides, sides, events["actor2_pos"].to_numpy())
        claim_hit = _lookup(actor_sides, sides, claims["actor_pos"].to_numpy())
        keep &= by_actor | _events_with(claim_hit, event_pos, n_events)
        loose_keep &= claim_hit
    if view.actors:
        members = ds.actor_index.expand(view.actors)
        actor_ids = ds.actors["actor_id"].to_numpy(dtype=object)
        by_actor = _lookup(actor_ids, members, events["actor1_pos"].to_numpy()) | _lookup(actor_ids, members, events["actor2_pos"].to_numpy())
        claim_hit = _lookup(actor_ids, members, claims["actor_pos"].to_numpy())
        keep &= by_actor | _events_with(claim_hit, event_pos, n_events)
        loose_keep &= claim_hit
    if view.event_types:
        keep &= _lookup(tuple(EVENT_TYPES), set(view.event_types), events["type_code"].to_numpy())
        loose_keep[:] = False
    if view.sub_event_types:
        keep &= _lookup(tuple(SUB_EVENT_TYPES), set(view.sub_event_types), events["sub_code"].to_numpy())
        loose_keep[:] = False
    place_ids = ds.places["place_id"].to_numpy(dtype=object)
    if view.places:
        inside = set().union(*(ds.place_tree.descendants(p) for p in view.places))
        keep &= _lookup(place_ids, inside, events["place_pos"].to_numpy())
        loose_keep[:] = False
    if view.selected_place:
        keep &= _lookup(place_ids, {view.selected_place}, events["place_pos"].to_numpy())
        loose_keep[:] = False
    if view.statuses:
        status = events["status"]
        keep &= _lookup(list(status.cat.categories), set(view.statuses), status.cat.codes.to_numpy())
        loose_keep[:] = False
    source_pos = claims["source_pos"].to_numpy()
    if view.outlets:
        from_outlets = _lookup(ds.sources["outlet"].to_numpy(dtype=object), set(view.outlets), source_pos)
        keep &= _events_with(from_outlets, event_pos, n_events)
        claim_keep &= from_outlets
        loose_keep &= from_outlets
    if view.sources:
        from_sources = _lookup(ds.sources["source_id"].to_numpy(dtype=object), set(view.sources), source_pos)
        keep &= _events_with(from_sources, event_pos, n_events)
        claim_keep &= from_sources
        loose_keep &= from_sources
    if view.origins:
        origin = claims["origin"]
        from_origins = _lookup(list(origin.cat.categories), set(view.origins), origin.cat.codes.to_numpy())
        keep &= _events_with(from_origins, event_pos, n_events)
        claim_keep &= from_origins
        loose_keep &= from_origins
    if view.several_voices:
        keep &= events["n_voices"].to_numpy() >= 2
        loose_keep[:] = False
    if view.numbers_disagree:
        keep &= events["numbers_disagree"].to_numpy(dtype=bool)
        loose_keep[:] = False
    if view.text:
        in_events, in_claims = derived(ds).search.hits(view.text)
        keep &= in_events | _events_with(in_claims, event_pos, n_events)
        loose_keep &= in_claims

    linked_keep = np.append(keep, False)[event_pos]  # position -1 (no event) picks the appended False
    claim_mask = claim_keep & (linked_keep | loose_keep)
    return Selection(ds, view, keep, claim_mask)
