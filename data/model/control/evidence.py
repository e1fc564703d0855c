"""What speaks to control: a dataset's territory changes and sieges, and editors' control claims, as Evidence items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.model.claims import AGAINST_STANCES, camp_of
from data.model.control.rule import CHANGE_SUB_TYPES, MAX_PLACE_RADIUS_M, SIEGE_END_WORDS, SIEGE_WORDS, UNPAINTED_KINDS

EPOCH = dt.date(1970, 1, 1)
KIND_ORDER = {"siege": 0, "change": 1, "siege_end": 1, "claim": 2}  # same first day: a siege, then what ends it


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about one place: a change (or siege end) effective from `last_day` after a window from
    `first_day`; a siege over [first_day, last_day]; or a control claim. Days are days since 1970-01-01."""

    place_id: str
    kind: str              # "change", "siege_end", "siege", "claim"
    first_day: int
    last_day: int
    side: str              # the camp that holds it after (change, siege end, claim) or the besieged holder (siege)
    previous_side: str     # the camp that held it before ('' when the evidence does not say)
    disputed: bool         # a claimant denies or disputes it
    event_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    state: str = "held"    # a claim's state (held, besieged, contested)
    denies: bool = False   # a claim that the camp did NOT hold the place
    persists: bool = True  # holds on after last_day until later evidence (a claim with a date_end does not)

    @property
    def order(self) -> tuple:
        return self.first_day, KIND_ORDER[self.kind], self.last_day


def day_number(value) -> int:
    """Days since 1970-01-01 of a date, Timestamp or ISO text."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - EPOCH).days


def to_date(day: int | None) -> dt.date | None:
    """The date of a day number (None stays None)."""
    return None if day is None else EPOCH + dt.timedelta(days=int(day))


def camp_or_side(side: str) -> str:
    """The camp a side fights in (government allies are the government's), else the side itself."""
    side = str(side or "")
    return camp_of(side) or side


def _informative_places(places: pd.DataFrame) -> set[str]:
    precise = pd.to_numeric(places["precision_m"], errors="coerce").fillna(0).le(MAX_PLACE_RADIUS_M)
    return set(places.loc[precise & ~places["kind"].isin(UNPAINTED_KINDS), "place_id"])


def evidence_from_events(events: pd.DataFrame, claims: pd.DataFrame, places: pd.DataFrame) -> list[Evidence]:
    """Changes, sieges and siege ends of a dataset's events (a Dataset's tables: side1/side2, day_start/day_end, status)."""
    at_place = events["place_id"].isin(_informative_places(places)).to_numpy()
    is_change = events["sub_event_type"].isin(CHANGE_SUB_TYPES).to_numpy()
    mentions_siege = np.zeros(len(events), dtype=bool)
    says_ended = np.zeros(len(events), dtype=bool)
    rough = np.flatnonzero(at_place)  # a literal search first (fast on Arrow strings), the exact words on what it finds
    rough = rough[events["summary"].iloc[rough].fillna("").astype(str).str.contains("sieg|ncircl|ring", case=False).to_numpy()]
    summary = events["summary"].iloc[rough].astype(str)
    mentions_siege[rough] = summary.str.contains(SIEGE_WORDS).to_numpy()
    says_ended[rough] = mentions_siege[rough] & summary.str.contains(SIEGE_END_WORDS).to_numpy()
    ends_siege = is_change & says_ended
    is_siege = ~is_change & mentions_siege & ~says_ended  # a siege ending in passing is another place's news
    relevant = (is_change | is_siege) & at_place
    if not relevant.any():
        return []
    picked = events[relevant]
    linked = claims[claims["event_id"].isin(set(picked["event_id"]))]
    claim_ids: dict[str, tuple[str, ...]] = {}
    for event_id, claim_id in zip(linked["event_id"].tolist(), linked["claim_id"].tolist()):
        claim_ids[event_id] = claim_ids.get(event_id, ()) + (claim_id,)
    denying = set(linked.loc[linked["stance"].isin(AGAINST_STANCES), "event_id"].tolist())
    has_status = "status" in picked  # the claim-status rule decides (a concession outweighs a third party's denial)
    status = picked["status"].astype(str) if has_status else pd.Series("", index=picked.index)
    out = []
    for row, change, ends, state in zip(picked.to_dict("records"), is_change[relevant], ends_siege[relevant], status):
        first, last = int(row["day_start"]), int(row["day_end"])
        winner, loser = camp_or_side(row["side1"]), camp_or_side(row["side2"])
        common = dict(place_id=row["place_id"], first_day=first, last_day=last, event_ids=(row["event_id"],),
                      claim_ids=claim_ids.get(row["event_id"], ()),
                      disputed=state == "contested" if has_status else row["event_id"] in denying)
        if ends:  # the besieged camp, relieved or breaking out: besieged before, held after
            out.append(Evidence(kind="siege_end", side=winner, previous_side=winner, **common))
        elif change:
            out.append(Evidence(kind="change", side=winner, previous_side=loser, **common))
        elif loser:  # a siege: the second actor holds the place and is besieged in it
            out.append(Evidence(kind="siege", side=loser, previous_side="", **{**common, "disputed": False}))
    return out


def evidence_from_control_claims(table: pd.DataFrame, actor_sides: dict[str, str]) -> list[Evidence]:
    """Editors' control claims (checked rows of control_claims.csv) as evidence."""
    out = []
    for row in table.to_dict("records"):
        side = camp_or_side(row["side"] or actor_sides.get(row["actor_id"], ""))
        first = day_number(row["date_start"])
        last = day_number(row["date_end"]) if row["date_end"] else first
        out.append(Evidence(
            place_id=row["place_id"], kind="claim", first_day=first, last_day=last, side=side, previous_side="",
            disputed=False, claim_ids=(row["control_claim_id"],), state=row["state"], denies=row["stance"] == "denies",
            persists=not row["date_end"],
        ))
    return out

