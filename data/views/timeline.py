"""What the timeline shows: single events with their date ranges when few, counts per bin when many."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.model.dataset import EPOCH
from data.views.filters import Selection
from data.views.palette import SIDE_ORDER

MAX_EVENT_MARKS = 400
MAX_BINS = 160


@dataclass(frozen=True)
class Timeline:
    """Either `marks` (one row per event) or `bins` (counts per bin and side), never both."""

    mode: str  # "events" or "bins"
    marks: pd.DataFrame
    bins: pd.DataFrame
    bin_unit: str  # "", "day", "week", "month"


def choose_bin_unit(first_day: int, last_day: int) -> str:
    """The finest of day, week, month that keeps the visible range under MAX_BINS bins.

    >>> choose_bin_unit(0, 100), choose_bin_unit(0, 700), choose_bin_unit(0, 5000)
    ('day', 'week', 'month')
    """
    span = max(last_day - first_day, 0) + 1
    if span <= MAX_BINS:
        return "day"
    if span / 7 <= MAX_BINS:
        return "week"
    return "month"


def build_timeline(selection: Selection) -> Timeline:
    """Event marks when at most MAX_EVENT_MARKS events are filtered, else counts per bin and side."""
    if selection.n_events <= MAX_EVENT_MARKS:
        return Timeline("events", event_marks(selection), pd.DataFrame(), "")
    events = selection.dataset.events
    mask = selection.event_mask
    start = events["day_start"].to_numpy()[mask]
    end = events["day_end"].to_numpy()[mask]
    unit = choose_bin_unit(int(start.min()), int(end.max()))
    return Timeline("bins", pd.DataFrame(), count_by_bin(start, end, events["lead_side"].cat.codes.to_numpy()[mask], unit), unit)


def event_marks(selection: Selection) -> pd.DataFrame:
    """One row per event: its days (start, inclusive end), precision, side, status and plain-text hover fields."""
    events = selection.events
    places = selection.dataset.place_tree.names
    day_start = events["day_start"].to_numpy().astype(np.int64)
    day_end = events["day_end"].to_numpy().astype(np.int64)
    marks = pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(),
            "day_start": day_start,
            "day_end": day_end,
            "date_start": events["date_start"].dt.strftime("%Y-%m-%d").to_numpy(),
            "date_end": events["date_end"].dt.strftime("%Y-%m-%d").to_numpy(),
            "date_precision": events["date_precision"].to_numpy(),
            "side": events["lead_side"].astype(str).to_numpy(),
            "status": events["status"].astype(str).to_numpy(),
            "place": [_flat(name) for name in events["place_id"].map(places).fillna("(no place)")],
            "summary": [_flat(text) for text in events["summary"]],
        }
    )
    marks["when"] = [
        s + (f" to {e}" if e != s else "") + f" ({p})"
        for s, e, p in zip(marks["date_start"], marks["date_end"], marks["date_precision"])
    ]
    return marks.sort_values(["day_start", "day_end", "event_id"], ignore_index=True)


def axis_days(selection: Selection) -> tuple[int, int]:
    """The days the timeline's axis spans, [first, end) in days since 1970: the date filter when set, else the events.

    Never less than one day, so a single event does not zoom the axis to fractions of a second.

    >>> from types import SimpleNamespace as NS
    >>> from datetime import date
    >>> axis_days(NS(view=NS(date_from=date(2016, 8, 1), date_to=date(2016, 8, 31)), n_events=0))
    (17014, 17045)
    """
    view = selection.view
    first = _day_number(view.date_from) if view.date_from else None
    end = _day_number(view.date_to) + 1 if view.date_to else None
    if (first is None or end is None) and selection.n_events:
        events = selection.dataset.events
        mask = selection.event_mask
        first = int(events["day_start"].to_numpy()[mask].min()) if first is None else first
        end = int(events["day_end"].to_numpy()[mask].max()) + 1 if end is None else end
    if first is None and end is None:
        return 0, 1
    first = end - 1 if first is None else first
    end = first + 1 if end is None else end
    return first, max(end, first + 1)


def _day_number(value) -> int:
    return int((np.datetime64(value, "D") - EPOCH).astype(np.int64))


def _flat(text, limit: int = 140) -> str:
    """One line of at most `limit` characters: hover labels stay short (they are shown as text, never markup)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def bin_starts(days: np.ndarray, unit: str) -> np.ndarray:
    """The first day (days since 1970) of the bin each day falls into."""
    if unit == "day":
        return days
    if unit == "week":  # weeks start on Monday; 1970-01-01 was a Thursday
        return days - (days + 3) % 7
    months = (days.astype("datetime64[D]").astype("datetime64[M]"))
    return (months.astype("datetime64[D]") - EPOCH).astype(np.int64)


def count_by_bin(start: np.ndarray, end: np.ndarray, side_codes: np.ndarray, unit: str) -> pd.DataFrame:
    """Events per bin and side; an event counts in the bin of its midpoint (ranges also report their spread).

    Counted with one np.bincount over (bin, side) pairs: a million events take a few milliseconds.
    """
    columns = ["bin_start", "side", "n_events", "n_ranged"]
    if len(start) == 0:
        return pd.DataFrame({name: pd.Series(dtype=object if name in ("bin_start", "side") else np.int64) for name in columns})
    mid = (start.astype(np.int64) + end.astype(np.int64)) // 2
    keys = bin_starts(mid, unit)
    first = int(keys.min())
    n_sides = len(SIDE_ORDER)
    pair = (keys - first) * n_sides + np.asarray(side_codes, dtype=np.int64)
    size = (int(keys.max()) - first + 1) * n_sides
    n_events = np.bincount(pair, minlength=size)
    n_ranged = np.bincount(pair, weights=(end > start), minlength=size).astype(np.int64)
    used = np.flatnonzero(n_events)
    bins = used // n_sides + first
    return pd.DataFrame(
        {
            "bin_start": bins.astype("datetime64[D]").astype(str),
            "side": [SIDE_ORDER[code] for code in used % n_sides],
            "n_events": n_events[used].astype(np.int64),
            "n_ranged": n_ranged[used],
        }
    )


def timeline_caption(timeline: Timeline) -> str:
    """How to read and use the timeline, in one line under it."""
    words = ("Drag across the timeline to set the dates; click an event to open it (double-click clears). "
             "Filled circles are events dated to the day; hollow diamonds with a bar are known only to a week, "
             "a month or a range.")
    if timeline.mode == "bins":
        words += f" Counts per {timeline.bin_unit}: click a bar to see its dates."
    return words
