"""Clicks and drags on the map, the timeline and the claim table, turned into view changes: the one place for them.

Charts and tables keep their selection across reruns, so only a change since the last read is a new click; each
is applied to the widgets' state before the widgets are drawn.
"""

from __future__ import annotations

import streamlit as st

from pages.ui.deck import CLICKABLE_LAYERS
from pages.ui.timeline_chart import read_input

MAP_KEY, TIMELINE_KEY, TABLE_KEY = "map_chart", "timeline", "claims_table"  # "map" is the map position's URL parameter
TIMELINE_DRAWN = "_timeline_drawn"  # the mode and axis the timeline was last drawn with, to read its selection


def fresh_selection(key: str, marker_of=repr):
    """A chart or table selection the page has not acted on yet (None when unchanged since it was last read)."""
    current = st.session_state.get(key)
    marker = marker_of(current)
    if marker == st.session_state.get(f"_seen_{key}"):
        return None
    st.session_state[f"_seen_{key}"] = marker
    return current


def clicked_place(chart_value) -> str | None:
    """The place a map click picked: an event mark's or a control mark's place, or the place a shaded control
    neighbourhood stands for (a GeoJSON feature: in its properties); None for grid cells and everything else."""
    objects = ((chart_value or {}).get("selection") or {}).get("objects") or {}
    for layer_id in CLICKABLE_LAYERS:
        for picked in objects.get(layer_id) or []:
            if isinstance(picked, dict):
                place_id = picked.get("place_id") or (picked.get("properties") or {}).get("place_id")
                if place_id:
                    return str(place_id)
    return None


def apply_chart_clicks() -> None:
    """A click on a map mark or a shaded control neighbourhood selects its place; a drag on the timeline sets the
    dates, a click on an event opens it."""
    # The map keeps its selected indices when its data change and re-reads the objects there (e.g. the outline of a
    # place just un-selected), so only new indices are a click: otherwise "Clear" is undone by the next rerun.
    clicked_map = fresh_selection(MAP_KEY, lambda value: repr(((value or {}).get("selection") or {}).get("indices")))
    if clicked_map:
        place_id = clicked_place(clicked_map)
        if place_id:
            st.session_state["at"] = place_id
            st.session_state["ev"] = None
    clicked_timeline = fresh_selection(TIMELINE_KEY)
    drawn = st.session_state.get(TIMELINE_DRAWN)
    if clicked_timeline and drawn:
        asked = read_input(clicked_timeline, mode=drawn[0], axis_days=drawn[1])
        if asked and asked.date_range:
            st.session_state["from"], st.session_state["to"] = (day.isoformat() for day in asked.date_range)
        elif asked and asked.event_id:
            st.session_state["ev"] = asked.event_id


def open_picked_row(picked, rows) -> None:
    """A newly selected claim table row opens its event (a rerun of the whole page, the table being a fragment)."""
    if fresh_selection(TABLE_KEY) is None:
        return
    chosen = (picked or {}).get("selection", {}).get("rows", []) if picked else []
    if chosen and chosen[0] < len(rows):
        event_id = rows.iloc[chosen[0]]["event_id"]
        if event_id and event_id != st.session_state.get("ev"):
            st.session_state["ev"] = event_id
            st.rerun()
