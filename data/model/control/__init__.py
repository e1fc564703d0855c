"""Who held what, when: control of each place over time, inferred from a dataset's events, claims and control claims.

    >>> from data.model.dataset import load_dataset
    >>> control = infer_control(load_dataset())
    >>> [(s.state, s.side, s.since) for s in control.on("2016-10-10") if s.place_id == "aleppo-farafra"]
    [('held', 'government', '2016-10-05')]

The rule is written once, in CONTROL_RULE (rule.py), for the app to show. Pure: pandas and numpy only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data.errors import AtlasError
from data.model.control.claims_table import (CONTROL_CLAIM_COLUMNS, CONTROL_CLAIMS_FILE, ControlClaimProblem,
                                             check_control_claims, empty_control_claims, read_control_claims)
from data.model.control.evidence import Evidence, evidence_from_control_claims, evidence_from_events
from data.model.control.rule import CONTROL_RULE, DEFAULT_LOOKBACK_DAYS, STATES
from data.model.control.timeline import ControlInterval, apply_place_rule, paint_place

__all__ = [
    "CONTROL_CLAIM_COLUMNS", "CONTROL_CLAIMS_FILE", "CONTROL_RULE", "STATES", "Control", "ControlClaimProblem",
    "ControlError", "ControlInterval", "ControlState", "Evidence", "check_control_claims", "control_claims_of",
    "empty_control_claims", "infer_control", "parse_day", "read_control_claims",
]


class ControlError(AtlasError, ValueError):
    """A control question the data cannot answer as asked (a bad day, an unknown place, bad control claims)."""


@dataclass(frozen=True)
class ControlState:
    """One place on one day: the camp holding it (blank when unknown or divided), the state, since when, and why."""

    place_id: str
    side: str
    state: str
    since: str       # ISO date, blank when the state has held since before any evidence
    evidence: tuple[str, ...]
    claims: tuple[str, ...]

    def to_dict(self) -> dict:
        """The JSON line of `python -m data control --at`."""
        return {"place_id": self.place_id, "side": self.side, "state": self.state, "since": self.since,
                "evidence": list(self.evidence), "claims": list(self.claims)}


def parse_day(text) -> dt.date:
    """A day from 'YYYY-MM-DD' text (or a date), with a message that says what was expected.

    >>> parse_day("2016-08-06")
    datetime.date(2016, 8, 6)
    >>> parse_day("August")
    Traceback (most recent call last):
    ...
    data.model.control.ControlError: the day must be a date like 2016-08-06, got 'August'
    """
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ControlError(f"the day must be a date like 2016-08-06, got {str(text)[:40]!r}") from None


class Control:
    """Every place's intervals, in the dataset's place order."""

    def __init__(self, intervals: dict[str, list[ControlInterval]], place_ids: list[str]):
        self.intervals = {p: tuple(intervals.get(p) or paint_place(p, [])) for p in place_ids}

    def history(self, place_id: str) -> tuple[ControlInterval, ...]:
        """One place's intervals, oldest first (ControlError for a place the dataset lacks)."""
        if place_id not in self.intervals:
            raise ControlError(f"no place with id {place_id[:80]!r} in this dataset")
        return self.intervals[place_id]

    def on(self, day) -> list[ControlState]:
        """Every place's state on a day."""
        day = parse_day(day)
        out = []
        for place_id, intervals in self.intervals.items():
            found = next(i for i in intervals if i.covers(day))
            out.append(ControlState(place_id, found.side, found.state, found.start.isoformat() if found.start else "",
                                    found.event_ids, found.claim_ids))
        return out


def control_claims_of(dataset, folder: Path | str | None) -> pd.DataFrame:
    """The control claims stored beside a dataset folder (empty when there are none); ControlError naming the bad rows."""
    if folder is None:
        return empty_control_claims()
    table, problems = read_control_claims(folder, places=dataset.places["place_id"], sources=dataset.sources["source_id"],
                                          actors=dataset.actors["actor_id"])
    if problems:
        listed = "; ".join(str(p) for p in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise ControlError(f"control claims not used, fix them first: {listed}{more}")
    return table


def infer_control(dataset, *, control_claims: pd.DataFrame | None = None,
                  lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> Control:
    """Control of every place of a loaded Dataset, by CONTROL_RULE; control_claims: checked control_claims rows."""
    if lookback_days < 0:
        raise ControlError(f"lookback_days must be 0 or more, got {lookback_days}")
    evidence = evidence_from_events(dataset.events, dataset.claims, dataset.places)
    if control_claims is not None and len(control_claims):
        sides = dict(zip(dataset.actors["actor_id"], dataset.actors["side"]))
        evidence += evidence_from_control_claims(control_claims, sides)
    by_place: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_place.setdefault(item.place_id, []).append(item)
    own = {place_id: paint_place(place_id, items, lookback_days=lookback_days) for place_id, items in by_place.items()}
    places = dataset.places
    kinds = dict(zip(places["place_id"], places["kind"]))
    parents = dict(zip(places["place_id"], places["parent_id"]))
    return Control(apply_place_rule(own, kinds, parents), list(places["place_id"]))
