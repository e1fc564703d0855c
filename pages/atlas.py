"""The main view: map beside timeline, event detail and the claim table, all from one filtered selection."""

from __future__ import annotations

import html

import streamlit as st

from data.detail import event_detail
from data.filters import filter_dataset
from data.map_view import GRID_KIND, count_unplaced, places_for_map
from data.taxonomy import SIDE_LABELS
from data.timeline import build_timeline
from pages.ui import state
from pages.ui.deck import PLACES_LAYER, build_deck, legend_items
from pages.ui.loading import available_dataset_ids
from pages.ui.panels import TABLE_KEY, claim_table_ui, event_detail_ui
from pages.ui.text import escape_markdown
from pages.ui.timeline_figure import build_figure, selected_event_id, selected_range
from pages.ui.widgets import enter_through_app, filters_ui, navigation_ui

MAP_KEY, TIMELINE_KEY = "map", "timeline"


def _fresh(key: str, marker_of=repr):
    """A chart or table selection the page has not acted on yet (None when unchanged)."""
    current = st.session_state.get(key)
    marker = marker_of(current)
    if marker == st.session_state.get(f"_seen_{key}"):
        return None
    st.session_state[f"_seen_{key}"] = marker
    return current


def _apply_interactions() -> None:
    """Clicks on the map, timeline and table become view changes before the widgets are drawn."""
    # The map keeps its selected indices when its data change and re-reads the objects there (e.g. the outline of a
    # place just un-selected), so only new indices are a click: otherwise "Clear" is undone by the next rerun.
    clicked_map = _fresh(MAP_KEY, lambda value: repr(((value or {}).get("selection") or {}).get("indices")))
    if clicked_map:
        objects = (clicked_map.get("selection") or {}).get("objects", {}).get(PLACES_LAYER) or []
        if objects and objects[0].get("place_id"):  # grid cells (too many places) have no place to select
            st.session_state["at"] = objects[0]["place_id"]
            st.session_state["ev"] = None
    clicked_timeline = _fresh(TIMELINE_KEY)
    if clicked_timeline:
        picked = clicked_timeline.get("selection") or {}
        date_range = selected_range(picked)
        if date_range:
            from datetime import date

            st.session_state["from"], st.session_state["to"] = (date.fromisoformat(d) for d in date_range)
        elif event_id := selected_event_id(picked):
            st.session_state["ev"] = event_id


enter_through_app()
url_view, url_errors, ds = state.view_and_data()
datasets = url_view.datasets
state.seed_widgets(url_view)
if "ds" not in st.session_state:
    st.session_state["ds"] = list(datasets)
table_pick = _fresh(TABLE_KEY)
_apply_interactions()

navigation = st.sidebar.container()
if st.sidebar.button("Reset all filters", width="stretch"):
    state.reset_view(datasets)
    st.rerun()
filters_ui(ds, sorted(available_dataset_ids()))
chosen_datasets = tuple(st.session_state.get("ds") or datasets)
view = state.view_from_widgets(chosen_datasets)
if chosen_datasets != datasets:
    state.write_url(view)
    st.rerun()
state.write_url(view)
navigation_ui(view, container=navigation)

selection = filter_dataset(ds, view)
st.title("Claim Atlas", anchor=False)
st.caption(escape_markdown(selection.caption()))
state.show_url_problems(url_errors)
with st.popover("Share this view", icon=":material/link:"):
    st.caption("Copy this link (button at its right) to open exactly this view.")
    st.code(state.share_url(view), language=None, wrap_lines=True)

map_col, time_col = st.columns([3, 2], gap="medium")
with map_col:
    places = places_for_map(selection)
    highlighted = view.selected_place
    if not highlighted and view.selected_event:  # outline the selected event's place (a scan only when one is selected)
        highlighted = (ds.events.loc[ds.events["event_id"] == view.selected_event, "place_id"].head(1).tolist() or [None])[0]
    st.pydeck_chart(build_deck(places, selected_place=highlighted), on_select="rerun",
                    selection_mode="single-object", key=MAP_KEY, height=480)
    unplaced = count_unplaced(selection)
    in_grid = not places.empty and places["kind"].iloc[0] == GRID_KIND
    shown = "grid cells (too many places to draw one by one: filter to see them)" if in_grid else "places"
    by_dataset = "dataset" in places.columns
    coloured = "the dataset holding most of its events" if by_dataset else "leading side"
    notes = [f"{len(places)} {shown}; mark size = events, colour = {coloured}; rings = place uncertainty."]
    if unplaced:
        notes.append(f"{unplaced} of the filtered events have no place and are not on the map.")
    st.caption(" ".join(notes))
    if not places.empty:  # labels are our side names or dataset ids (validated slugs), escaped all the same
        st.html("".join(
            f'<span style="margin-right:10px;white-space:nowrap"><span style="display:inline-block;width:11px;height:11px;'
            f'border-radius:6px;background:rgb{colour};margin-right:4px"></span>'
            f'{html.escape(value if by_dataset else SIDE_LABELS.get(value, "Unknown side"))}</span>'
            for value, colour in legend_items(places)))
    if view.selected_place:
        name = ds.place_tree.names.get(view.selected_place, view.selected_place)
        if st.button(f"Clear place selection: {escape_markdown(name, limit=80)}", key="clear_place"):
            st.session_state["at"] = None
            st.rerun()
with time_col:
    timeline = build_timeline(selection)
    st.plotly_chart(build_figure(timeline, selected_event=view.selected_event), on_select="rerun",
                    selection_mode=("points", "box"), key=TIMELINE_KEY, width="stretch",
                    config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d"]})
    st.caption("Drag across the timeline to set the date range; click an event to open it. "
               "Hollow diamonds with a bar are events known only to a week, a month or a range."
               + (f" Counts per {timeline.bin_unit}." if timeline.mode == "bins" else ""))

if selection.n_events == 0:
    st.info("No events match these filters. Widen the dates or clear a filter (sidebar: Reset all filters).")
if view.selected_event:
    detail = event_detail(ds, view.selected_event)
    if detail is not None:
        event_detail_ui(detail, in_filter=bool(selection.events["event_id"].eq(view.selected_event).any()))
picked_event = claim_table_ui(selection)
if table_pick is not None and picked_event and picked_event != view.selected_event:
    st.session_state["ev"] = picked_event
    st.rerun()
