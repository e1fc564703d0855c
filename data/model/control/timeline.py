"""Evidence painted onto each place's days, read back as non-overlapping intervals; then the district/city rule.

Each place's evidence is applied in order of its first day onto a canvas of days (later evidence overwrites
earlier, except a losing camp's earlier hold, which only fills days nothing else speaks to). Runs of equal
(side, state) become intervals listing the events and claims painted on their days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import numpy as np

from data.model.control.evidence import Evidence, to_date
from data.model.control.rule import DEFAULT_LOOKBACK_DAYS, INHERITING_KINDS, SUMMARY_KINDS

HOLDING_STATES = ("held", "besieged")


@dataclass(frozen=True)
class ControlInterval:
    """One place's control over [start, end] (dates, both included); start None = before any evidence, end None =
    still so at the latest evidence. `side` is the camp (blank when unknown or divided)."""

    place_id: str
    start: dt.date | None
    end: dt.date | None
    side: str
    state: str
    event_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    basis: str = ""

    def covers(self, day: dt.date) -> bool:
        """Whether the interval holds on that day."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def to_dict(self) -> dict:
        """JSON-ready: ISO dates, blanks for open ends."""
        out = asdict(self)
        out["start"] = self.start.isoformat() if self.start else ""
        out["end"] = self.end.isoformat() if self.end else ""
        out["event_ids"], out["claim_ids"] = list(self.event_ids), list(self.claim_ids)
        return out


@dataclass
class _Op:
    event_ids: tuple[str, ...]
    claim_ids: tuple[str, ...]
    basis: str
    persists: bool = False


@dataclass
class _Canvas:
    """The days [lo, hi] of one place, each with a side, a state and the paint operation that set them."""

    lo: int
    hi: int
    ops: list[_Op] = field(default_factory=list)
    support: list[tuple[int, int, int, str, str]] = field(default_factory=list)  # agreeing evidence: days, op, side, state

    def __post_init__(self) -> None:
        n = self.hi - self.lo + 1
        self.side = np.full(n, "", dtype=object)
        self.state = np.full(n, "unknown", dtype=object)
        self.op = np.full(n, -1, dtype=np.int64)

    def _op(self, ev: Evidence, basis: str, *, persists: bool = False, also: int = -1) -> int:
        events, claims = ev.event_ids, ev.claim_ids
        if also >= 0:  # evidence that contradicts what was there lists both
            events, claims = self.ops[also].event_ids + events, self.ops[also].claim_ids + claims
        self.ops.append(_Op(tuple(dict.fromkeys(events)), tuple(dict.fromkeys(claims)), basis, persists))
        return len(self.ops) - 1

    def _slice(self, first: int, last: int) -> slice | None:
        first, last = max(first, self.lo), min(last, self.hi)
        return slice(first - self.lo, last - self.lo + 1) if first <= last else None

    def paint(self, first: int, last: int, side: str, state: str, op: int) -> None:
        where = self._slice(first, last)
        if where is None:
            return
        same = (self.side[where] == side) & (self.state[where] == state)
        for old in set(self.op[where][same].tolist()) - {-1}:  # evidence painted over by evidence that agrees
            days = np.flatnonzero(same & (self.op[where] == old)) + where.start + self.lo
            self.support.append((int(days.min()), int(days.max()), int(old), side, state))
        self.side[where], self.state[where], self.op[where] = side, state, op

    def fill(self, first: int, last: int, side: str, state: str, op: int) -> None:
        """Paint only the days nothing speaks to; days already saying the same count it as support."""
        where = self._slice(first, last)
        if where is None:
            return
        unknown = self.state[where] == "unknown"
        same = (self.side[where] == side) & (self.state[where] == state)
        self.side[where][unknown], self.state[where][unknown], self.op[where][unknown] = side, state, op
        if same.any():
            self.support.append((first, last, op, side, state))

    def at(self, day: int) -> tuple[str, str, int]:
        k = day - self.lo
        return (self.side[k], self.state[k], int(self.op[k])) if 0 <= k < len(self.state) else ("", "unknown", -1)

    def intervals(self, place_id: str) -> list[ControlInterval]:
        out: list[ControlInterval] = []
        n = len(self.state)
        if self.state[0] != "unknown":
            out.append(ControlInterval(place_id, None, to_date(self.lo - 1), "", "unknown", basis="no evidence"))
        cuts = np.flatnonzero((self.side[1:] != self.side[:-1]) | (self.state[1:] != self.state[:-1])) + 1
        for start, stop in zip([0, *cuts.tolist()], [*cuts.tolist(), n]):
            out.append(self._interval(place_id, start, stop - 1, open_start=not out, open_end=stop == n))
        if self.state[-1] != "unknown" and not self._persists_at_end():
            out[-1] = _replace_end(out[-1], to_date(self.hi))
            out.append(ControlInterval(place_id, to_date(self.hi + 1), None, "", "unknown", basis="no evidence"))
        return out

    def _persists_at_end(self) -> bool:
        last = int(self.op[-1])
        return last >= 0 and self.ops[last].persists

    def _interval(self, place_id: str, a: int, b: int, *, open_start: bool, open_end: bool) -> ControlInterval:
        painted, first_seen = np.unique(self.op[a:b + 1], return_index=True)
        ops = [int(o) for o in painted[np.argsort(first_seen)] if o >= 0]
        ops += [o for first, last, o, side, state in self.support if first <= self.lo + b and last >= self.lo + a
                and (side, state) == (self.side[a], self.state[a]) and o not in ops]
        events = tuple(dict.fromkeys(e for o in ops for e in self.ops[o].event_ids))
        claims = tuple(dict.fromkeys(c for o in ops for c in self.ops[o].claim_ids))
        basis = "; ".join(dict.fromkeys(self.ops[o].basis for o in ops if self.state[a] != "unknown")) or "no evidence"
        return ControlInterval(place_id, None if open_start else to_date(self.lo + a),
                               None if open_end else to_date(self.lo + b), str(self.side[a]), str(self.state[a]),
                               events if self.state[a] != "unknown" else (), claims if self.state[a] != "unknown" else (),
                               basis)


def _replace_end(interval: ControlInterval, end: dt.date | None) -> ControlInterval:
    values = asdict(interval)
    values["end"] = end
    return ControlInterval(**values)


def paint_place(place_id: str, evidence: list[Evidence], *, lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> list[ControlInterval]:
    """One place's intervals from its own evidence, by the rule (see rule.CONTROL_RULE)."""
    if not evidence:
        return [ControlInterval(place_id, None, None, "", "unknown", basis="no evidence")]
    lo = min(ev.first_day - (lookback_days if ev.kind in ("change", "siege_end") else 0) for ev in evidence)
    hi = max(ev.last_day for ev in evidence)
    canvas = _Canvas(lo, hi)
    for ev in sorted(evidence, key=lambda e: e.order):
        what = ", ".join(ev.event_ids or ev.claim_ids)
        if ev.kind == "siege":
            canvas.paint(ev.first_day, ev.last_day, ev.side, "besieged", canvas._op(ev, f"besieged ({what})"))
        elif ev.kind in ("change", "siege_end"):
            before = "besieged" if ev.kind == "siege_end" else "held"
            if ev.previous_side:
                canvas.fill(ev.first_day - lookback_days, ev.first_day - 1, ev.previous_side, before,
                            canvas._op(ev, f"{before} by {ev.previous_side} before the change ({what})"))
            if ev.last_day > ev.first_day:
                canvas.paint(ev.first_day, ev.last_day - 1, ev.side, "contested",
                             canvas._op(ev, f"changing hands on a day within the event's dates ({what})"))
            after = "contested" if ev.disputed else "held"
            basis = f"a claimant denies the change ({what})" if ev.disputed else f"{'siege ended' if before == 'besieged' else 'taken'} ({what})"
            canvas.paint(ev.last_day, hi, ev.side, after, canvas._op(ev, basis, persists=True))
        else:
            _paint_claim(canvas, ev, hi)
    return canvas.intervals(place_id)


def _paint_claim(canvas: _Canvas, ev: Evidence, hi: int) -> None:
    last = hi if ev.persists else ev.last_day
    side, state, op = canvas.at(ev.first_day)
    what = ", ".join(ev.claim_ids)
    if ev.denies:
        if state in HOLDING_STATES and side == ev.side:
            canvas.paint(ev.first_day, last, side, "contested",
                         canvas._op(ev, f"a control claim denies this hold ({what})", persists=ev.persists, also=op))
        else:
            canvas.support.append((ev.first_day, ev.last_day, canvas._op(ev, f"control claim ({what})"), side, state))
    elif state in HOLDING_STATES and side and side != ev.side:
        canvas.paint(ev.first_day, last, ev.side, "contested",
                     canvas._op(ev, f"a control claim contradicts the events ({what})", persists=ev.persists, also=op))
    elif (side, state) == (ev.side, ev.state):
        canvas.support.append((ev.first_day, ev.last_day, canvas._op(ev, f"control claim ({what})"), side, state))
    else:
        canvas.paint(ev.first_day, last, ev.side, ev.state, canvas._op(ev, f"control claim ({what})", persists=ev.persists))


# --- the district / city rule ----------------------------------------------------------------------


def inherit(child_id: str, town_id: str, town: list[ControlInterval]) -> list[ControlInterval]:
    """A place with no evidence of its own inside a town or village that changed hands: the town's intervals."""
    return [ControlInterval(child_id, i.start, i.end, i.side, i.state, i.event_ids, i.claim_ids,
                            f"follows {town_id}: {i.basis}" if i.state != "unknown" else i.basis) for i in town]


def _boundaries(lists: list[list[ControlInterval]]) -> list[dt.date]:
    days = set()
    for intervals in lists:
        for i in intervals:
            if i.start is not None:
                days.add(i.start)
            if i.end is not None:
                days.add(i.end + dt.timedelta(days=1))
    return sorted(days)


def _covering(intervals: list[ControlInterval], day: dt.date | None) -> ControlInterval:
    if day is None:
        return intervals[0]
    return next(i for i in intervals if i.covers(day))


def summarise_divided(place_id: str, own: list[ControlInterval], children: list[list[ControlInterval]]) -> list[ControlInterval]:
    """A settlement's own intervals, with its unknown days called contested (divided) where its districts are held
    by more than one camp on that day."""
    cuts = _boundaries([own, *children])
    starts: list[dt.date | None] = [None, *cuts]
    pieces: list[ControlInterval] = []
    for k, start in enumerate(starts):
        end = cuts[k] - dt.timedelta(days=1) if k < len(cuts) else None
        mine = _covering(own, start)
        piece = ControlInterval(place_id, start, end, mine.side, mine.state, mine.event_ids, mine.claim_ids, mine.basis)
        if mine.state == "unknown":
            holding = [_covering(c, start) for c in children]
            holding = [i for i in holding if i.state in HOLDING_STATES and i.side]
            if len({i.side for i in holding}) >= 2:
                piece = ControlInterval(place_id, start, end, "", "contested",
                                        tuple(dict.fromkeys(e for i in holding for e in i.event_ids)),
                                        tuple(dict.fromkeys(c for i in holding for c in i.claim_ids)),
                                        "divided: its districts are held by more than one camp")
        pieces.append(piece)
    return _merge(pieces)


def _merge(pieces: list[ControlInterval]) -> list[ControlInterval]:
    out: list[ControlInterval] = []
    for piece in pieces:
        if out and (out[-1].side, out[-1].state) == (piece.side, piece.state):
            last = out[-1]
            out[-1] = ControlInterval(last.place_id, last.start, piece.end, last.side, last.state,
                                      tuple(dict.fromkeys(last.event_ids + piece.event_ids)),
                                      tuple(dict.fromkeys(last.claim_ids + piece.claim_ids)),
                                      last.basis if last.basis == piece.basis else f"{last.basis}; {piece.basis}")
        else:
            out.append(piece)
    return out


def apply_place_rule(own: dict[str, list[ControlInterval]], kinds: dict[str, str],
                     parents: dict[str, str]) -> dict[str, list[ControlInterval]]:
    """Inheritance from towns and villages, then divided settlements (see the rule's **Where**)."""
    result = dict(own)
    has_evidence = {p for p, intervals in own.items() if any(i.state != "unknown" for i in intervals)}
    for place_id, parent in parents.items():
        if place_id not in has_evidence and parent in has_evidence and kinds.get(parent) in INHERITING_KINDS:
            result[place_id] = inherit(place_id, parent, own[parent])
    children: dict[str, list[str]] = {}
    for place_id, parent in parents.items():
        if parent and place_id in has_evidence:
            children.setdefault(parent, []).append(place_id)
    for parent, kids in children.items():
        if kinds.get(parent) in SUMMARY_KINDS and len(kids) >= 2:
            mine = result.get(parent) or paint_place(parent, [])
            result[parent] = summarise_divided(parent, mine, [own[k] for k in kids])
    return result
