"""The main view: map beside timeline, event detail and the claim table, all from one filtered selection."""

from __future__ import annotations

import html

import streamlit as st

from data.views.detail import event_detail
from data.views.filters import filter_dataset
from data.views.map_view import GRID_KIND, count_unplaced, places_for_map
from data.model.taxonomy import SIDE_LABELS
from data.views.timeline import axis_days, build_timeline
from pages.ui import state
from pages.ui.deck import PLACES_LAYER, build_deck, legend_items
from pages.ui.loading import available_dataset_ids
from pages.ui.panels import claim_table_ui, event_detail_ui
from pages.ui.text import escape_markdown
from pages.ui.timeline_chart import build_chart, read_input
from pages.ui.widgets import enter_through_app, filters_ui, navigation_ui

MAP_KEY, TIMELINE_KEY = "map", "timeline"
TIMELINE_DRAWN = "_timeline_drawn"  # the mode and axis the timeline was last drawn with, to read its selection


def _apply_interactions() -> None:
    """Clicks on the map and drags or clicks on the timeline become view changes before the widgets are drawn."""
    # The map keeps its selected indices when its data change and re-reads the objects there (e.g. the outline of a
    # place just un-selected), so only new indices are a click: otherwise "Clear" is undone by the next rerun.
    clicked_map = state.fresh_selection(MAP_KEY, lambda value: repr(((value or {}).get("selection") or {}).get("indices")))
    if clicked_map:
        objects = (clicked_map.get("selection") or {}).get("objects", {}).get(PLACES_LAYER) or []
        if objects and objects[0].get("place_id"):  # grid cells (too many places) have no place to select
            st.session_state["at"] = objects[0]["place_id"]
            st.session_state["ev"] = None
    clicked_timeline = state.fresh_selection(TIMELINE_KEY)
    drawn = st.session_state.get(TIMELINE_DRAWN)
    if clicked_timeline and drawn:
        asked = read_input(clicked_timeline, mode=drawn[0], axis_days=drawn[1])
        if asked and asked.date_range:
            st.session_state["from"], st.session_state["to"] = (day.isoformat() for day in asked.date_range)
        elif asked and asked.event_id:
            st.session_state["ev"] = asked.event_id


enter_through_app()
url_view, url_errors, ds = state.view_and_data()
datasets = url_view.datasets
state.seed_widgets(url_view)
if "ds" not in st.session_state:
    st.session_state["ds"] = list(datasets)
_apply_interactions()

navigation = st.sidebar.container()
if st.sidebar.button("Reset all filters", width="stretch"):
    state.reset_view(datasets)
    st.rerun()
date_note = filters_ui(ds, sorted(available_dataset_ids()))
chosen_datasets = tuple(st.session_state.get("ds") or datasets)
view, typed_problems = state.view_from_widgets(chosen_datasets)
for problem in typed_problems:
    date_note.warning(escape_markdown(str(problem)) + " (the previous date is kept)", icon="⚠️")
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
    axis = axis_days(selection)
    st.session_state[TIMELINE_DRAWN] = (timeline.mode, axis)
    st.vega_lite_chart(build_chart(timeline, axis, selected_event=view.selected_event), on_select="rerun",
                       key=TIMELINE_KEY, width="stretch")
    st.caption("Drag across the timeline to set the dates; click an event to open it (double-click clears). "
               "Filled circles are events dated to the day; hollow diamonds with a bar are known only to a week, "
               "a month or a range." + (f" Counts per {timeline.bin_unit}: click a bar to see its dates." if timeline.mode == "bins" else ""))

if selection.n_events == 0:
    st.info(escape_markdown(selection.empty_message()))
if view.selected_event:
    detail = event_detail(ds, view.selected_event)
    if detail is not None:
        event_detail_ui(detail, in_filter=bool(selection.events["event_id"].eq(view.selected_event).any()))
claim_table_ui(selection)
