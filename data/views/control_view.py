"""Who held what on the map's "as of" day: control places, city neighbourhoods, a place's history and what imported
data can tell, as view models built from data/model/control (the rule is CONTROL_RULE; nothing is painted by hand).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.model.control import CONTROL_RULE, STATES, Control, ControlInterval, infer_control
from data.model.control.rule import CHANGE_SUB_TYPES, MAX_PLACE_RADIUS_M, UNPAINTED_KINDS
from data.model.taxonomy import SIDE_LABELS
from data.views.view import ViewState

__all__ = ["CONTROL_LEGEND", "CONTROL_RULE", "ControlMap", "HistoryStep", "as_of_day", "control_claims_for", "control_for", "has_control", "control_history",
           "control_map", "control_neighbourhoods", "control_places", "neighbourhood_mates", "new_claim_row", "polygon_place",
           "precision_note", "steps_around"]

# How each state is drawn (deck.gl has no hatching): the words the legend shows, in STATES order.
CONTROL_LEGEND = {
    "held": "filled in the colour of the camp holding it",
    "besieged": "pale fill in the holder's colour inside a dark ring (encircled)",
    "contested": "no fill, a double outline in the colour of the camp whose claim is disputed (grey when divided)",
    "unknown": "a thin grey outline: evidence speaks to this place on other days, not this one",
}
CITY_KINDS = ("city",)  # drawn as a mark only: a city's radius would cover its own districts


def camp_label(camp: str) -> str:
    """'Government camp', 'Opposition camp'; blank stays blank."""
    return f"{SIDE_LABELS.get(camp, camp)} camp" if camp else ""


def state_words(state: str, camp: str) -> str:
    """'held by the Government camp', 'contested (Jihadist camp's claim)', 'contested (divided)', 'unknown'."""
    if state == "held":
        return f"held by the {camp_label(camp)}"
    if state == "besieged":
        return f"besieged, held by the {camp_label(camp)}"
    if state == "contested":
        return f"contested ({camp_label(camp)}'s claim)" if camp else "contested (divided)"
    return "unknown"


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


# --- which day ------------------------------------------------------------------------------------------------


def as_of_day(view: ViewState, ds) -> tuple[dt.date, str]:
    """The control layer's day and why: the day the link picks, else the end of the date filter, else the data's last day."""
    if view.control_day:
        return view.control_day, "the day picked"
    if view.date_to:
        return view.date_to, "the end of the date filter"
    ends = pd.to_datetime(ds.events["date_end"], errors="coerce") if len(ds.events) else pd.Series(dtype="datetime64[ns]")
    last = ends.max() if len(ends) else pd.NaT
    if pd.isna(last):
        return dt.date.today(), "today (the data holds no dated event)"
    return last.date(), "the data's last day"


# --- the inference, once per dataset and set of control claims --------------------------------------------------

_CACHE: dict[int, tuple[weakref.ref, dict]] = {}
_LOCK = threading.Lock()
# Above this many events the page asks before inferring: 1,000,000 synthetic events took 38 s of CPU (100,000: 1.7 s).
AUTO_INFER_MAX_EVENTS = 200_000


def _signature(claims: pd.DataFrame | None) -> int:
    return int(pd.util.hash_pandas_object(claims, index=False).sum()) if claims is not None and len(claims) else 0


def has_control(ds, claims: pd.DataFrame | None = None) -> bool:
    """Whether control_for(ds, claims) is already inferred (it then returns at once)."""
    entry = _CACHE.get(id(ds))
    return entry is not None and entry[0]() is ds and _signature(claims) in entry[1]


def control_for(ds, claims: pd.DataFrame | None = None) -> Control:
    """infer_control for a loaded dataset and its control claims, kept while the dataset lives (reruns reuse it)."""
    signature = _signature(claims)
    key = id(ds)
    with _LOCK:
        entry = _CACHE.get(key)
        if entry is None or entry[0]() is not ds:
            entry = (weakref.ref(ds, lambda _ref, key=key: _CACHE.pop(key, None)), {})
            _CACHE[key] = entry
        known = entry[1]
        if signature not in known:
            if len(known) > 8:
                known.clear()
            known[signature] = infer_control(ds, control_claims=claims)
        return known[signature]


# --- the map -------------------------------------------------------------------------------------------------


def _covering(intervals: tuple[ControlInterval, ...], day: dt.date) -> ControlInterval:
    return next(i for i in intervals if i.covers(day))


def control_places(ds, control: Control, day: dt.date) -> pd.DataFrame:
    """Every place that evidence speaks to on some day, with its state on `day`: place_id, name, kind, lat, lon,
    precision_m, camp, side (the camp, or 'unknown' for the palette), state, since, until, basis, event_ids,
    claim_ids, tooltip; shaped like the places view model (mark_lat, mark_lon, n_events) so the map can frame it."""
    places = ds.places
    names = dict(zip(places["place_id"], places["name"]))
    rows = []
    for place in places.itertuples(index=False):
        if place.kind in UNPAINTED_KINDS:
            continue
        intervals = control.intervals.get(place.place_id, ())
        if not any(i.state != "unknown" for i in intervals):
            continue
        found = _covering(intervals, day)
        lat, lon = float(place.lat), float(place.lon)
        if lat != lat or lon != lon:
            continue
        rows.append({
            "place_id": place.place_id, "name": str(place.name), "kind": str(place.kind), "pcode": _text(getattr(place, "pcode", "")),
            "lat": lat, "lon": lon,
            "mark_lat": lat, "mark_lon": lon, "precision_m": float(place.precision_m), "n_events": 1,
            "camp": found.side, "side": found.side or "unknown", "state": found.state,
            "since": found.start.isoformat() if found.start else "", "until": found.end.isoformat() if found.end else "",
            "basis": found.basis, "event_ids": found.event_ids, "claim_ids": found.claim_ids,
            "tooltip": _tooltip(names.get(place.place_id, place.place_id), found, day),
        })
    columns = ["place_id", "name", "kind", "pcode", "lat", "lon", "mark_lat", "mark_lon", "precision_m", "n_events", "camp", "side",
               "state", "since", "until", "basis", "event_ids", "claim_ids", "tooltip"]
    return pd.DataFrame(rows, columns=columns)


def _text(value) -> str:
    return "" if value is None or value != value else str(value)


def _tooltip(name: str, interval: ControlInterval, day: dt.date) -> str:
    since = f" since {_day(interval.start)}" if interval.start else ""
    until = f" until {_day(interval.end)}" if interval.end else ""
    rests = f"{len(interval.event_ids)} events, {len(interval.claim_ids)} claims" if interval.state != "unknown" else "no evidence on this day"
    return (f"{name}\n{_day(day)}: {state_words(interval.state, interval.side)}{since}{until}\n"
            f"Rests on: {rests}\n{interval.basis[:300]}")


def control_neighbourhoods(places: pd.DataFrame, place_hoods: np.ndarray, place_ids: list[str], features: list[dict]) -> pd.DataFrame:
    """The city neighbourhood polygons of places whose control is known on the day: feature (index), pcode, name,
    camp, side, state, places, place_id (the place a click on the polygon selects: see polygon_place). Places in one
    polygon that disagree make it contested (divided, or one camp's claim)."""
    columns = ["feature", "pcode", "name", "city", "camp", "side", "state", "places", "place_id", "tooltip"]
    if places.empty:
        return pd.DataFrame(columns=columns)
    position = {p: i for i, p in enumerate(place_ids)}
    known = places[places["state"] != "unknown"]
    groups: dict[int, list] = {}
    for row in known.itertuples(index=False):
        hood = int(place_hoods[position[row.place_id]]) if row.place_id in position and len(place_hoods) else -1
        if hood >= 0:
            groups.setdefault(hood, []).append(row)
    rows = []
    for hood, members in sorted(groups.items()):
        camps = {m.camp for m in members}
        states = {m.state for m in members}
        camp = camps.pop() if len(camps) == 1 else ""
        if len(states) == 1 and camp:
            state = states.pop()
        else:
            state = "contested" if (not camp or "contested" in states) else ("besieged" if "besieged" in states else "held")
        props = features[hood]["properties"]
        who = "; ".join(f"{m.name}: {state_words(m.state, m.camp)}" for m in members)
        rows.append({"feature": hood, "pcode": props.get("pcode", ""), "name": props.get("name", ""), "city": props.get("city", ""),
                     "camp": camp, "side": camp or "unknown", "state": state, "places": tuple(m.place_id for m in members),
                     "place_id": polygon_place(members, props.get("pcode", "")),
                     "tooltip": f"{props.get('name', '')} (OCHA {props.get('pcode', '')}): {state_words(state, camp)}\n{who}"})
    return pd.DataFrame(rows, columns=columns)


def polygon_place(members, pcode: str) -> str:
    """The place a click on a shaded neighbourhood selects: the gazetteer's own entry for that neighbourhood (same
    OCHA pcode), whose history is the neighbourhood's; else the place in it with the most evidence on the day (ties:
    the gazetteer's order). One place, not a filter on all of them: a selection opens one place's history, and the
    history lists the polygon's other places (neighbourhood_mates) one click away."""
    own = [m for m in members if pcode and getattr(m, "pcode", "") == pcode]
    if own:
        return own[0].place_id
    weight = lambda m: len(getattr(m, "event_ids", ()) or ()) + len(getattr(m, "claim_ids", ()) or ())  # noqa: E731
    return max(members, key=weight).place_id


def neighbourhood_mates(ds, control: Control, place_id: str, place_hoods: np.ndarray, features: list[dict]) -> tuple[str, list[tuple[str, str]]]:
    """The OCHA neighbourhood a place lies in and the other places in it that evidence speaks to on some day, as
    (place_id, name): the places whose control shades that polygon with this one. ('', []) outside any polygon."""
    ids = ds.places["place_id"].tolist()
    if place_id not in ids or not len(place_hoods):
        return "", []
    hood = int(place_hoods[ids.index(place_id)])
    if hood < 0:
        return "", []
    names = ds.places["name"].tolist()
    mates = [(ids[k], str(names[k])) for k in np.flatnonzero(place_hoods == hood)
             if ids[k] != place_id and any(i.state != "unknown" for i in control.intervals.get(ids[k], ()))]
    return str(features[hood]["properties"].get("name", "")), mates


@dataclass(frozen=True)
class ControlMap:
    """The control layer of one day: its places, its neighbourhood polygons, what the map shows and why that day."""

    day: dt.date
    day_basis: str
    shows: str  # "control" or "both"
    places: pd.DataFrame
    neighbourhoods: pd.DataFrame
    n_without_evidence: int
    note: str = ""
    counts: dict = field(default_factory=dict)

    def states(self) -> dict[str, str]:
        """Each drawn place's control on the day in words ('held by the SDF camp'), e.g. for what lies outside the map."""
        return {row.place_id: state_words(row.state, row.camp) for row in self.places.itertuples(index=False)}

    @property
    def only(self) -> bool:
        """True when control replaces the event marks."""
        return self.shows == "control"

    def caption(self) -> str:
        """'Control as of 20 Aug 2016 (the day picked): 3 held, 1 besieged, 2 contested, 1 unknown; 17 places ...'."""
        parts = ", ".join(f"{self.counts[s]} {s}" for s in STATES if self.counts.get(s))
        parts = parts or "no place has evidence"
        hoods = f"; {len(self.neighbourhoods)} city neighbourhoods shaded" if len(self.neighbourhoods) else ""
        return (f"Control as of {_day(self.day)} ({self.day_basis}): {parts}{hoods}. "
                f"{self.n_without_evidence} places with no evidence on any day are unknown and not drawn.")


def control_map(ds, control: Control, view: ViewState, *, place_hoods: np.ndarray, features: list[dict]) -> ControlMap | None:
    """The control layer the view asks for (None when the map shows events only)."""
    if view.map_shows not in ("control", "both"):
        return None
    day, basis = as_of_day(view, ds)
    places = control_places(ds, control, day)
    hoods = control_neighbourhoods(places, place_hoods, list(ds.places["place_id"]), features)
    counts = places["state"].value_counts().to_dict() if len(places) else {}
    painted = ds.places[~ds.places["kind"].isin(UNPAINTED_KINDS)]
    return ControlMap(day, basis, view.map_shows, places, hoods, int(len(painted) - len(places)), precision_note(ds, control), counts)


def precision_note(ds, control: Control) -> str:
    """What the data's places and event types let the rule tell: how many territory changes, how many filed precisely
    enough to say anything, how many places it informs."""
    events, places = ds.events, ds.places
    changes = events[events["sub_event_type"].isin(CHANGE_SUB_TYPES)]
    informed = sum(1 for intervals in control.intervals.values() if any(i.state != "unknown" for i in intervals))
    if changes.empty:
        return (f"No event here says territory changed hands (only {', '.join(CHANGE_SUB_TYPES)} do; sieges are read from "
                f"summaries): {informed} of {len(places)} places have any evidence of control, from sieges or control claims. "
                "UCDP, for one, codes deadly violence, not who holds ground.")
    precision = dict(zip(places["place_id"], pd.to_numeric(places["precision_m"], errors="coerce")))
    kinds = dict(zip(places["place_id"], places["kind"]))
    usable = [p for p in changes["place_id"] if precision.get(p, np.inf) <= MAX_PLACE_RADIUS_M and kinds.get(p) not in UNPAINTED_KINDS]
    coarse = len(changes) - len(usable)
    text = (f"{len(usable)} of {len(changes)} territory changes are filed under places known to "
            f"{MAX_PLACE_RADIUS_M // 1000} km or better and inform control")
    if coarse:
        text += (f"; {coarse} filed under a governorate, the country or a place known less well say nothing about control "
                 "(ACLED's geo_precision 2 and 3, UCDP's where_prec above 2)")
    return text + f". {informed} of {len(places)} places have evidence of control on some day; the rest are unknown, never guessed."


# --- one place's history --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryStep:
    """One interval of a place's control, in words, with the events and claims it rests on: the first few as
    (id, label), and how many there are in all."""

    start: str
    end: str
    state: str
    camp: str
    when: str
    what: str
    basis: str
    events: tuple[tuple[str, str], ...]
    claims: tuple[tuple[str, str], ...]
    n_events: int = 0
    n_claims: int = 0


HISTORY_ITEMS = 6  # events and claims listed per step; the rest are counted


def _event_labels(ds, wanted: set[str]) -> dict[str, str]:
    events = ds.events[ds.events["event_id"].isin(wanted)]
    starts = pd.to_datetime(events["date_start"], errors="coerce")
    days = [_day(d.date()) if pd.notna(d) else "undated" for d in starts]
    return {e: f"{d} · {str(s)[:160]}" for e, d, s in zip(events["event_id"], days, events["summary"])}


def _claim_labels(ds, wanted: set[str], corrections: pd.DataFrame | None) -> dict[str, str]:
    claims = ds.claims[ds.claims["claim_id"].isin(wanted)]
    labels = {c: f"{who} ({stance}): {str(said)[:200]}"
              for c, who, stance, said in zip(claims["claim_id"], claims["claimant"], claims["stance"], claims["statement"])}
    if corrections is not None and len(corrections):
        for row in corrections[corrections["control_claim_id"].isin(wanted)].to_dict("records"):
            said = "asserts" if row["stance"] == "asserts" else "denies"
            labels.setdefault(row["control_claim_id"],
                              f"control claim by {row['claimant'] or row['claimant_actor_id']} in {row['source_id']} "
                              f"({said} {row['state']}, entered by {row['editor'] or 'an editor'}): {str(row['statement'])[:200]}")
    return labels


def control_history(ds, control: Control, place_id: str, control_claims: pd.DataFrame | None = None, *,
                    max_items: int = HISTORY_ITEMS) -> list[HistoryStep]:
    """A place's intervals, oldest first, each with its first `max_items` events as (id, 'date · summary') and
    claims as (id, 'who (stance): says'), and their totals (a busy synthetic town had 1,162 steps and 23,661 events)."""
    intervals = control.history(place_id)
    wanted_events = {e for i in intervals for e in i.event_ids[:max_items]}
    wanted_claims = {c for i in intervals for c in i.claim_ids[:max_items]}
    event_labels = _event_labels(ds, wanted_events)
    claim_labels = _claim_labels(ds, wanted_claims, control_claims)
    steps = []
    for interval in intervals:
        if interval.start and interval.end:
            when = f"{_day(interval.start)} to {_day(interval.end)}"
        elif interval.start:
            when = f"from {_day(interval.start)}"
        elif interval.end:
            when = f"until {_day(interval.end)}"
        else:
            when = "on every day"
        events = tuple((e, event_labels[e]) for e in interval.event_ids[:max_items] if e in event_labels)
        claims = tuple((c, claim_labels.get(c, c)) for c in interval.claim_ids[:max_items])
        steps.append(HistoryStep(interval.start.isoformat() if interval.start else "", interval.end.isoformat() if interval.end else "",
                                 interval.state, interval.side, when, state_words(interval.state, interval.side), interval.basis,
                                 events, claims, len(interval.event_ids), len(interval.claim_ids)))
    return steps


def steps_around(steps: list[HistoryStep], day: dt.date | None, limit: int = 12) -> tuple[int, list[HistoryStep]]:
    """At most `limit` steps to show: those around the one covering `day` (the latest ones when no day), and the
    index of the first shown."""
    if len(steps) <= limit:
        return 0, steps
    if day is None:
        first = len(steps) - limit
    else:
        iso = day.isoformat()
        at = next((k for k, s in enumerate(steps) if (not s.start or s.start <= iso) and (not s.end or iso <= s.end)), len(steps) - 1)
        first = min(max(at - limit // 2, 0), len(steps) - limit)
    return first, steps[first:first + limit]


# --- an editor's claim ----------------------------------------------------------------------------------------


def new_claim_row(*, place_id: str, camp: str, state: str, stance: str, date_start, date_end, source_id: str,
                  claimant: str, statement: str, editor: str, span_start: str = "", span_end: str = "",
                  taken_ids=()) -> dict:
    """A control_claims row from the editor's form, with a fresh id ('editor-<place>-<day>-<n>'); checked when stored."""
    start = date_start.isoformat() if isinstance(date_start, dt.date) else str(date_start or "").strip()
    end = date_end.isoformat() if isinstance(date_end, dt.date) else str(date_end or "").strip()
    stem = f"editor-{place_id}-{start}"[:180]
    taken = set(taken_ids)
    number = 1
    while f"{stem}-{number}" in taken:
        number += 1
    return {"control_claim_id": f"{stem}-{number}", "place_id": place_id, "side": camp, "actor_id": "", "state": state,
            "date_start": start, "date_end": end, "stance": stance, "source_id": source_id,
            "claimant": " ".join(str(claimant or "").split())[:200], "claimant_actor_id": "",
            "span_start": str(span_start or "").strip(), "span_end": str(span_end or "").strip(),
            "statement": " ".join(str(statement or "").split())[:1000], "editor": " ".join(str(editor or "").split())[:100]}


def control_claims_for(ds, dataset_ids, *, seed_folder=None, store_path=None) -> tuple[pd.DataFrame, list[str]]:
    """Every control claim of the datasets a view shows: the seed folder's own file and the editors' claims in the
    store's control_claims table (data/store/control_claims.py); a set with a bad row is left out whole and named."""
    from data.model.control import ControlError, control_claims_of, empty_control_claims
    from data.store.control_claims import read_editor_claims

    tables, problems = [], []
    for dataset_id in dataset_ids:
        if dataset_id == "seed" and seed_folder is not None:
            try:
                tables.append(control_claims_of(ds, seed_folder))
            except ControlError as error:
                problems.append(f"the seed's {error}")
        try:
            table, bad = read_editor_claims(ds, dataset_id, store_path)
        except ValueError as error:
            problems.append(str(error))
            continue
        if bad:
            problems.append(f"editors' control claims of {dataset_id} not used, fix them first: " + "; ".join(str(p) for p in bad[:3]))
        tables.append(table)
    tables = [t for t in tables if len(t)]
    if not tables:
        return empty_control_claims(), problems
    merged = pd.concat(tables, ignore_index=True).drop_duplicates("control_claim_id", keep="first")
    return merged.reset_index(drop=True), problems
