"""The timeline figure: events by side with their date ranges visible, or counts per bin when many."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.map_view import SIDE_COLOURS, SIDE_ORDER
from data.taxonomy import SIDE_LABELS
from data.timeline import Timeline

# The default template plotly applies to every figure, taken once (go.Figure() adds it on construction).
_TEMPLATE = go.Figure().layout.template.to_plotly_json()
BIN_MS = {"day": 86_400_000, "week": 7 * 86_400_000, "month": 30 * 86_400_000}


def _rgb(side: str) -> str:
    r, g, b = SIDE_COLOURS.get(side, SIDE_COLOURS["unknown"])
    return f"rgb({r},{g},{b})"


def _label(side: str) -> str:
    return SIDE_LABELS.get(side, "Unknown side" if side == "unknown" else side)


def build_figure(timeline: Timeline, *, selected_event: str | None = None) -> go.Figure:
    """Markers at each event's date (hollow diamonds with a bar for week/month/range precision).

    Traces and layout are written as plain dicts and wrapped without plotly's property validation,
    which cost about 30 ms a rerun (the dicts use only properties plotly documents).
    """
    traces: list[dict] = []
    layout: dict = {
        "height": 330, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "dragmode": "select", "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.18}, "plot_bgcolor": "white", "clickmode": "event+select",
        "xaxis": {"type": "date", "gridcolor": "#eee"}, "yaxis": {"gridcolor": "#eee"},
        "template": _TEMPLATE,
    }
    if timeline.mode == "events":
        marks = timeline.marks
        columns = {name: marks[name].tolist() for name in ("side", "date_start", "date_end", "date_mid", "event_id", "label")}
        present = set(columns["side"])
        sides = [s for s in SIDE_ORDER if s in present]
        for side in sides:
            rows = [i for i, s in enumerate(columns["side"]) if s == side]
            start = [columns["date_start"][i] for i in rows]
            end = [columns["date_end"][i] for i in rows]
            lane_y = sides.index(side)
            xs, ys = [], []
            for first, last in zip(start, end):
                if first != last:
                    xs += [first, last, None]
                    ys += [lane_y, lane_y, None]
            if xs:
                traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": _rgb(side), "width": 6},
                               "opacity": 0.35, "hoverinfo": "skip", "showlegend": False})
            symbols = ["circle" if s == e else "diamond-open" for s, e in zip(start, end)]
            event_ids = [columns["event_id"][i] for i in rows]
            sizes = [16 if eid == selected_event else 10 for eid in event_ids]
            # Events on the same day of one lane are fanned out vertically so each stays visible and clickable.
            mids = [columns["date_mid"][i] for i in rows]
            seen: dict[str, int] = {}
            offsets = []
            for mid in mids:
                k = seen.get(mid, 0)
                seen[mid] = k + 1
                offsets.append((-1) ** k * ((k + 1) // 2) * 0.12)
            traces.append({
                "type": "scatter", "x": mids, "y": [lane_y + o for o in offsets], "mode": "markers", "name": _label(side),
                "marker": {"color": _rgb(side), "symbol": symbols, "size": sizes, "line": {"width": 1.5, "color": _rgb(side)}},
                "customdata": [[event_id] for event_id in event_ids], "hovertext": [columns["label"][i] for i in rows],
                "hoverinfo": "text",
            })
        layout["yaxis"].update({"tickmode": "array", "tickvals": list(range(len(sides))), "ticktext": [_label(s) for s in sides],
                                "autorange": "reversed", "zeroline": False})
    else:
        bins = timeline.bins
        bin_start = bins["bin_start"].to_numpy(dtype=object)
        bin_side = bins["side"].to_numpy(dtype=object)
        n_events = bins["n_events"].to_numpy()
        present = set(bin_side.tolist())
        for side in [s for s in SIDE_ORDER if s in present]:
            rows = bin_side == side
            traces.append({"type": "bar", "x": bin_start[rows].tolist(), "y": n_events[rows].tolist(), "name": _label(side),
                           "marker": {"color": _rgb(side)}, "width": BIN_MS[timeline.bin_unit] * 0.9, "offset": 0,
                           "hovertemplate": f"{_label(side)}<br>%{{x}}: %{{y}} events<extra></extra>"})
        days, which = np.unique(bin_start.astype(str), return_inverse=True)
        totals = np.bincount(which, weights=n_events, minlength=len(days)).astype(np.int64)
        traces.append({"type": "scatter", "x": days.tolist(), "y": totals.tolist(), "mode": "markers",
                       "name": "All sides", "marker": {"color": "rgba(60,60,60,0.55)", "size": 4},
                       "hovertemplate": "%{x}: %{y} events<extra></extra>"})
        layout["barmode"] = "stack"
        layout["yaxis"]["title"] = {"text": f"events per {timeline.bin_unit}"}
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def selected_range(selection: dict) -> tuple[str, str] | None:
    """The date range of a box selection on the timeline, as ISO dates, or None."""
    boxes = (selection or {}).get("box") or []
    if not boxes:
        return None
    xs = boxes[0].get("x") or []
    if len(xs) != 2:
        return None
    start, end = sorted(pd.to_datetime(xs))
    return f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"


def selected_event_id(selection: dict) -> str | None:
    """The event clicked on the timeline (a single point), or None."""
    points = (selection or {}).get("points") or []
    if len(points) != 1:
        return None
    custom = points[0].get("customdata")
    return str(custom[0]) if isinstance(custom, list) and custom else None
