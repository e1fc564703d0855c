"""The one filter: a view state applied to a dataset gives the events and claims every view shows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from data.dataset import Dataset, day_numbers
from data.view import ViewState


@dataclass
class Selection:
    """The filtered events and claims of one view, as masks over the dataset's tables."""

    dataset: Dataset
    view: ViewState
    event_mask: np.ndarray
    claim_mask: np.ndarray

    @cached_property
    def events(self) -> pd.DataFrame:
        return self.dataset.events[self.event_mask]

    @cached_property
    def claims(self) -> pd.DataFrame:
        return self.dataset.claims[self.claim_mask]

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


def _day(value) -> int:
    return int(day_numbers(pd.Series([pd.Timestamp(value)]))[0])


def _events_with(claim_mask: np.ndarray, event_pos: np.ndarray, n_events: int) -> np.ndarray:
    """Events that have at least one claim in the mask."""
    out = np.zeros(n_events, dtype=bool)
    hits = event_pos[claim_mask]
    out[hits[hits >= 0]] = True
    return out


def _search_mask(texts: pd.Series, needle: str) -> np.ndarray:
    return texts.str.contains(needle, case=False, regex=False).to_numpy(dtype=bool)


def filter_dataset(ds: Dataset, view: ViewState) -> Selection:
    """Apply every filter of the view: the map, the timeline and the claim table all use this result.

    Events are kept when they satisfy every active filter. A date range keeps events whose own
    range overlaps it. Sides and actors match an event's actors or any of its claimants; an actor
    includes its coalition members and renames; a place includes everything inside it. Claims
    shown are those of the kept events (only the chosen outlets' when outlets are filtered), plus
    claims about no single event when no event-only filter is active. Outlet and source filters
    also narrow the claims shown to those reports.
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
        claim_day = claims["claim_day"].to_numpy()
        loose_keep &= claim_day >= first
    if view.date_to is not None:
        last = _day(view.date_to)
        keep &= events["day_start"].to_numpy() <= last
        claim_day = claims["claim_day"].to_numpy()
        loose_keep &= (claim_day <= last) & (claim_day > np.iinfo(np.int32).min)
    if view.sides:
        sides = list(view.sides)
        by_actor = events["side1"].isin(sides).to_numpy() | events["side2"].isin(sides).to_numpy()
        claim_hit = claims["side"].isin(sides).to_numpy()
        keep &= by_actor | _events_with(claim_hit, event_pos, n_events)
        loose_keep &= claim_hit
    if view.actors:
        members = list(ds.actor_index.expand(view.actors))
        by_actor = events["actor1_id"].isin(members).to_numpy() | events["actor2_id"].isin(members).to_numpy()
        claim_hit = claims["claimant_actor_id"].isin(members).to_numpy()
        keep &= by_actor | _events_with(claim_hit, event_pos, n_events)
        loose_keep &= claim_hit
    if view.event_types:
        keep &= events["event_type"].isin(view.event_types).to_numpy()
        loose_keep[:] = False
    if view.sub_event_types:
        keep &= events["sub_event_type"].isin(view.sub_event_types).to_numpy()
        loose_keep[:] = False
    if view.places:
        inside = set().union(*(ds.place_tree.descendants(p) for p in view.places))
        keep &= events["place_id"].isin(list(inside)).to_numpy()
        loose_keep[:] = False
    if view.selected_place:
        keep &= events["place_id"].eq(view.selected_place).to_numpy()
        loose_keep[:] = False
    if view.statuses:
        keep &= events["status"].isin(view.statuses).to_numpy()
        loose_keep[:] = False
    if view.outlets:
        from_outlets = claims["outlet"].isin(view.outlets).to_numpy()
        keep &= _events_with(from_outlets, event_pos, n_events)
        claim_keep &= from_outlets
        loose_keep &= from_outlets
    if view.sources:
        from_sources = claims["source_id"].isin(view.sources).to_numpy()
        keep &= _events_with(from_sources, event_pos, n_events)
        claim_keep &= from_sources
        loose_keep &= from_sources
    if view.text:
        in_claims = _search_mask(claims["search_text"], view.text)
        keep &= _search_mask(events["summary"], view.text) | _events_with(in_claims, event_pos, n_events)
        loose_keep &= in_claims

    linked_keep = np.zeros(len(claims), dtype=bool)
    linked_keep[~unlinked] = keep[event_pos[~unlinked]]
    claim_mask = claim_keep & (linked_keep | loose_keep)
    return Selection(ds, view, keep, claim_mask)
