"""The timeline as a Vega-Lite spec: a drag across it sets the dates, a click on an event opens it.

Vega-Lite rather than plotly: Streamlit's plotly chart turns clicks into plain events (not selections) whenever a
box drag is on, so one plotly chart cannot take both; a Vega-Lite chart holds a point and an interval selection
side by side. The spec is a plain dict (tested as data); everything from the data is shown as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from data.model.dataset import EPOCH
from data.views.palette import SIDE_COLOURS, SIDE_ORDER
from data.model.taxonomy import SIDE_LABELS
from data.views.timeline import Timeline
from data.views.view import EARLIEST_DAY, LATEST_DAY

DAY_MS = 86_400_000
PICK, SPAN = "pick", "span"  # the chart's two selections: a click on a mark, a drag across the axis
HEIGHT_PX = 300
_EPOCH_DATE = date(1970, 1, 1)


@dataclass(frozen=True)
class TimelineInput:
    """What a click or a drag on the timeline asks for: an event to open, or a date range (inclusive)."""

    event_id: str | None = None
    date_range: tuple[date, date] | None = None


def _label(side: str) -> str:
    return SIDE_LABELS.get(side, "Unknown side" if side == "unknown" else side)


def _rgb(side: str) -> str:
    r, g, b = SIDE_COLOURS.get(side, SIDE_COLOURS["unknown"])
    return f"rgb({r},{g},{b})"


def _x_axis(first_day: int, end_day: int) -> dict:
    """Ticks no finer than a day; day-by-day labels on short spans."""
    axis: dict = {"title": None, "grid": True, "gridColor": "#eee", "labelFlush": True, "labelOverlap": True}
    span = end_day - first_day
    if span <= 14:
        axis.update(tickCount={"interval": "day", "step": 1 if span <= 8 else 2}, labelExpr="utcFormat(datum.value, '%-d %b')")
    return axis


def build_chart(timeline: Timeline, axis_days: tuple[int, int], *, selected_event: str | None = None) -> dict:
    """The Vega-Lite spec of the timeline over [first, end) days since 1970 (the axis follows the date filter)."""
    first_day, end_day = axis_days
    span = end_day - first_day
    pad_ms = span * DAY_MS // 40 if span > 62 else DAY_MS // 4  # room for the marks at the edges
    x_scale = {"type": "utc", "domain": [first_day * DAY_MS - pad_ms, end_day * DAY_MS + pad_ms]}
    x = {"type": "temporal", "scale": x_scale, "axis": _x_axis(first_day, end_day)}
    selections = [
        {"name": PICK, "select": {"type": "point", "on": "click", "clear": "dblclick", "toggle": False}},
        {"name": SPAN, "select": {"type": "interval", "encodings": ["x"], "zoom": False, "translate": False}},
    ]
    spec: dict = {
        "height": HEIGHT_PX,
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11}, "legend": {"orient": "top", "labelFontSize": 11, "symbolSize": 80}},
    }
    if timeline.mode == "events":
        rows, lanes = _event_rows(timeline.marks, selected_event, axis_days)
        selections[0]["select"]["fields"] = ["event_id"]
        colour = {**_side_colour([row["side"] for row in rows]), "legend": None}  # the lanes name the sides
        lane_names = repr([_label(side) for side in lanes])  # our own side labels, never imported text
        y = {"field": "y", "type": "quantitative", "title": None,
             "scale": {"domain": [-0.6, len(lanes) - 0.4], "reverse": True, "zero": False, "nice": False},
             "axis": {"values": list(range(len(lanes))), "labelExpr": f"{lane_names}[datum.value]", "grid": False, "ticks": False, "domain": False}}
        spec["data"] = {"values": rows}
        spec["layer"] = [
            {"transform": [{"filter": "datum.ranged"}], "mark": {"type": "rule", "strokeWidth": 6, "opacity": 0.35, "clip": True},
             "encoding": {"x": {**x, "field": "start_ms"}, "x2": {"field": "end_ms"}, "y": y, "color": {**colour, "legend": None}}},
            {"params": selections, "mark": {"type": "point", "filled": True, "strokeWidth": 1.5, "opacity": 1, "clip": True, "cursor": "pointer"},
             "encoding": {
                 "x": {**x, "field": "mid_ms"}, "y": y, "color": colour,
                 "fill": {"condition": {"test": "datum.ranged", "value": "white"}, **colour, "legend": None},
                 "stroke": {**colour, "legend": None},
                 "shape": {"condition": {"test": "datum.ranged", "value": "diamond"}, "value": "circle"},
                 "size": {"condition": {"test": "datum.selected", "value": 320}, "value": 130},
                 "tooltip": [{"field": "when", "title": "When"}, {"field": "place", "title": "Where"},
                             {"field": "summary", "title": "Event"}, {"field": "status", "title": "Claims"}],
             }},
        ]
    else:
        rows = _bin_rows(timeline)
        selections[0]["select"]["fields"] = ["first_day", "last_day"]
        colour = _side_colour([row["side"] for row in rows])
        spec["data"] = {"values": rows}
        spec["layer"] = [{
            "params": selections, "mark": {"type": "bar", "clip": True, "cursor": "pointer"},
            "encoding": {
                "x": {**x, "field": "start_ms"}, "x2": {"field": "end_ms"},
                "y": {"field": "n_events", "type": "quantitative", "stack": "zero", "title": f"events per {timeline.bin_unit}"},
                "color": colour,
                "tooltip": [{"field": "bin", "title": timeline.bin_unit.capitalize()}, {"field": "side_label", "title": "Side"},
                            {"field": "n_events", "title": "Events", "format": ","}],
            },
        }]
    return spec


def _side_colour(sides: list[str]) -> dict:
    """Colour by side on the map's palette, in the map's side order, with a legend of the sides present."""
    present = [side for side in SIDE_ORDER if side in set(sides)]
    return {"field": "side_label", "type": "nominal", "title": None,
            "scale": {"domain": [_label(s) for s in present], "range": [_rgb(s) for s in present]}}


def _event_rows(marks: pd.DataFrame, selected_event: str | None, axis_days: tuple[int, int]) -> tuple[list[dict], list[str]]:
    """One record per event, in lanes by side; events sharing a day in a lane fan out so each stays clickable.

    The mark sits in the middle of the part of the event's range that the axis shows, so an event that only overlaps
    the date filter is still drawn (and clickable) inside it.
    """
    lanes = [side for side in SIDE_ORDER if side in set(marks["side"])]
    lane_of = {side: i for i, side in enumerate(lanes)}
    fan: dict[tuple[str, int], int] = {}
    rows = []
    for mark in marks.itertuples(index=False):
        start, end = int(mark.day_start), int(mark.day_end) + 1  # an event on day D covers [D, D+1)
        shown_start, shown_end = max(start, axis_days[0]), min(end, axis_days[1])
        if shown_start >= shown_end:
            shown_start, shown_end = start, end
        k = fan.get((mark.side, shown_start + shown_end), 0)
        fan[(mark.side, shown_start + shown_end)] = k + 1
        rows.append({
            "event_id": mark.event_id, "side": mark.side, "side_label": _label(mark.side),
            "y": lane_of[mark.side] + (-1) ** k * ((k + 1) // 2) * 0.14,
            "start_ms": start * DAY_MS, "end_ms": end * DAY_MS, "mid_ms": (shown_start + shown_end) * DAY_MS // 2,
            "ranged": bool(end - start > 1), "selected": mark.event_id == selected_event,
            "when": mark.when, "place": mark.place, "summary": mark.summary, "status": mark.status,
        })
    return rows, lanes


def _bin_rows(timeline: Timeline) -> list[dict]:
    """One record per (bin, side) with the bin's first and last day, so a click on a bar sets the dates to the bin."""
    bins = timeline.bins
    starts = bins["bin_start"].to_numpy().astype("datetime64[D]")
    if timeline.bin_unit == "month":
        ends = (starts.astype("datetime64[M]") + 1).astype("datetime64[D]")
    else:
        ends = starts + (7 if timeline.bin_unit == "week" else 1)
    first = (starts - EPOCH).astype(np.int64)
    end = (ends - EPOCH).astype(np.int64)
    return [
        {"side": side, "side_label": _label(side), "n_events": int(n), "start_ms": int(a) * DAY_MS, "end_ms": int(b) * DAY_MS,
         "first_day": int(a), "last_day": int(b) - 1, "bin": str(label)}
        for side, n, a, b, label in zip(bins["side"], bins["n_events"], first, end, bins["bin_start"])
    ]


def read_input(state, *, mode: str, axis_days: tuple[int, int]) -> TimelineInput | None:
    """What the chart's selection state asks for; None when it asks for nothing usable.

    A click wins over a drag (a click on an event clears the drag). A dragged range is clipped to the axis shown and
    to the dates a filter may hold; whatever form the chart sends its bounds in (epoch milliseconds, ISO strings
    with or without a time) is accepted.

    >>> read_input({"selection": {"pick": [{"event_id": "e1"}], "span": {}}}, mode="events", axis_days=(0, 10))
    TimelineInput(event_id='e1', date_range=None)
    >>> read_input({"selection": {"span": {"mid_ms": ["1970-01-02 12:00", 3.5 * 86400000]}}}, mode="events", axis_days=(0, 10)).date_range
    (datetime.date(1970, 1, 2), datetime.date(1970, 1, 4))
    >>> read_input({"selection": {"span": {"mid_ms": [-5e12, 9e13]}}}, mode="events", axis_days=(0, 10)).date_range
    (datetime.date(1970, 1, 1), datetime.date(1970, 1, 10))
    >>> read_input({"selection": {"span": {"x": ["yesterday", None]}}}, mode="events", axis_days=(0, 10)) is None
    True
    """
    selection = (state or {}).get("selection") if isinstance(state, dict) else None
    if not isinstance(selection, dict):
        return None
    picked = selection.get(PICK)
    if isinstance(picked, list) and picked and isinstance(picked[0], dict):
        point = picked[0]
        if mode == "events" and isinstance(point.get("event_id"), str):
            return TimelineInput(event_id=point["event_id"])
        if mode == "bins":
            days = [_as_day_number(point.get(k)) for k in ("first_day", "last_day")]
            if None not in days:
                return _range_input(days[0], days[1], axis_days)
    span = selection.get(SPAN)
    if isinstance(span, dict):
        for bounds in span.values():
            if isinstance(bounds, (list, tuple)) and len(bounds) == 2:
                ms = [_as_ms(bound) for bound in bounds]
                if None not in ms:
                    low, high = sorted(ms)
                    return _range_input(math.floor(low / DAY_MS), math.floor(high / DAY_MS), axis_days)
    return None


def _range_input(first_day: int, last_day: int, axis_days: tuple[int, int]) -> TimelineInput:
    low = max(first_day, axis_days[0], (EARLIEST_DAY - _EPOCH_DATE).days)
    high = min(last_day, axis_days[1] - 1, (LATEST_DAY - _EPOCH_DATE).days)
    if low > high:  # entirely outside what is shown: keep the nearest day of the axis
        low = high = min(max(first_day, axis_days[0]), axis_days[1] - 1)
    return TimelineInput(date_range=(_EPOCH_DATE + timedelta(days=low), _EPOCH_DATE + timedelta(days=high)))


def _as_ms(value) -> float | None:
    """Epoch milliseconds from a number or a date/time string (treated as UTC), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            stamp = pd.Timestamp(value.strip())
        except (ValueError, OverflowError, TypeError):
            return None
        if pd.isna(stamp):
            return None
        stamp = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
        return (stamp - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(milliseconds=1)
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.timestamp() * 1000
    return None


def _as_day_number(value) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None
