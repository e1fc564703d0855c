"""The main view: map beside timeline, event detail and the claim table, all from one filtered selection."""

from __future__ import annotations

import streamlit as st

from data.views.detail import event_detail
from data.views.filters import filter_dataset
from pages.ui import state
from pages.ui.clicks import apply_chart_clicks
from pages.ui.loading import available_dataset_ids
from pages.ui.narrative_panels import add_view_as_step_ui
from pages.ui.panels import claim_table_ui, control_history_ui, event_detail_ui, map_ui, timeline_ui
from pages.ui.share import share_popover_ui
from pages.ui.text import escape_markdown
from pages.ui.widgets import enter_through_app, filters_ui, navigation_ui

enter_through_app()
url_view, url_errors, ds = state.view_and_data()
datasets = url_view.datasets
state.seed_widgets(url_view)
st.session_state.setdefault("ds", list(datasets))
apply_chart_clicks()

navigation = st.sidebar.container()
if st.sidebar.button("Reset all filters", width="stretch"):
    state.reset_view(datasets)
    st.rerun()
date_note = filters_ui(ds, sorted(available_dataset_ids()))
chosen_datasets = tuple(st.session_state.get("ds") or datasets)
view, typed_problems = state.view_from_widgets(chosen_datasets)
for problem in typed_problems:
    date_note.warning(escape_markdown(str(problem)) + " (the previous date is kept)", icon="⚠️")
state.write_url(view)
if chosen_datasets != datasets:  # other data: the filters' choices and the URL's ids are read again
    st.rerun()
navigation_ui(view, container=navigation)

selection = filter_dataset(ds, view)
st.title("Claim Atlas", anchor=False)
st.caption(escape_markdown(selection.caption()))
state.show_url_problems(url_errors)
share_popover_ui("Share this view", state.share_url(view), "Copy this link (button at its right) to open exactly this view.")
add_view_as_step_ui(view, ds)  # editors only: this view becomes a narrative's step

map_col, time_col = st.columns([3, 2], gap="medium")
with map_col:
    map_ui(selection)
with time_col:
    timeline_ui(selection)
if selection.n_events == 0:
    st.info(escape_markdown(selection.empty_message()))
control_history_ui(selection)
if view.selected_event and (detail := event_detail(ds, view.selected_event)) is not None:
    event_detail_ui(detail, in_filter=bool(selection.events["event_id"].eq(view.selected_event).any()))
claim_table_ui(selection)
