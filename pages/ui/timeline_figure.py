"""The timeline figure: events by side with their date ranges visible, or counts per bin when many."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.map_view import SIDE_COLOURS, SIDE_ORDER
from data.taxonomy import SIDE_LABELS
from data.timeline import Timeline

BIN_MS = {"day": 86_400_000, "week": 7 * 86_400_000, "month": 30 * 86_400_000}


def _rgb(side: str) -> str:
    r, g, b = SIDE_COLOURS.get(side, SIDE_COLOURS["unknown"])
    return f"rgb({r},{g},{b})"


def _label(side: str) -> str:
    return SIDE_LABELS.get(side, "Unknown side" if side == "unknown" else side)


def build_figure(timeline: Timeline, *, selected_event: str | None = None) -> go.Figure:
    """Markers at each event's date (hollow diamonds with a bar for week/month/range precision)."""
    fig = go.Figure()
    if timeline.mode == "events":
        marks = timeline.marks
        sides = [s for s in SIDE_ORDER if s in set(marks["side"])]
        for side in sides:
            rows = marks[marks["side"] == side]
            ranged = rows[rows["date_start"] != rows["date_end"]]
            if not ranged.empty:
                xs, ys = [], []
                for start, end in zip(ranged["date_start"], ranged["date_end"]):
                    xs += [start, end, None]
                    ys += [sides.index(side), sides.index(side), None]
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": _rgb(side), "width": 6},
                                         opacity=0.35, hoverinfo="skip", showlegend=False))
            symbols = ["circle" if s == e else "diamond-open" for s, e in zip(rows["date_start"], rows["date_end"])]
            sizes = [16 if eid == selected_event else 10 for eid in rows["event_id"]]
            # Events on the same day of one lane are fanned out vertically so each stays visible and clickable.
            lane = rows.groupby("date_mid").cumcount().to_numpy()
            offsets = [(-1) ** k * ((k + 1) // 2) * 0.12 for k in lane]
            fig.add_trace(
                go.Scatter(
                    x=rows["date_mid"], y=[sides.index(side) + o for o in offsets], mode="markers", name=_label(side),
                    marker={"color": _rgb(side), "symbol": symbols, "size": sizes, "line": {"width": 1.5, "color": _rgb(side)}},
                    customdata=rows[["event_id"]].to_numpy(), hovertext=rows["label"], hoverinfo="text",
                )
            )
        fig.update_yaxes(tickmode="array", tickvals=list(range(len(sides))), ticktext=[_label(s) for s in sides],
                         autorange="reversed", range=None, zeroline=False)
    else:
        bins = timeline.bins
        for side in [s for s in SIDE_ORDER if s in set(bins["side"])]:
            rows = bins[bins["side"] == side]
            fig.add_trace(go.Bar(x=rows["bin_start"], y=rows["n_events"], name=_label(side), marker_color=_rgb(side),
                                 width=BIN_MS[timeline.bin_unit] * 0.9, offset=0,
                                 hovertemplate=f"{_label(side)}<br>%{{x}}: %{{y}} events<extra></extra>"))
        totals = bins.groupby("bin_start", as_index=False)["n_events"].sum()
        fig.add_trace(go.Scatter(x=totals["bin_start"], y=totals["n_events"], mode="markers", name="All sides",
                                 marker={"color": "rgba(60,60,60,0.55)", "size": 4}, hovertemplate="%{x}: %{y} events<extra></extra>"))
        fig.update_layout(barmode="stack")
        fig.update_yaxes(title_text=f"events per {timeline.bin_unit}")
    fig.update_layout(
        height=330, margin={"l": 10, "r": 10, "t": 10, "b": 10}, dragmode="select", hovermode="closest",
        legend={"orientation": "h", "y": -0.18}, plot_bgcolor="white", clickmode="event+select",
        xaxis={"type": "date", "gridcolor": "#eee"}, yaxis={"gridcolor": "#eee"},
    )
    return fig


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
