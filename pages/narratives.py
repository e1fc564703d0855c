"""Narratives: the list, and one step at a time beside the map, timeline and claims (`/narratives?story=ID&step=N`)."""

from __future__ import annotations

import streamlit as st

from data.narratives.reading import find_narrative, read_step_number
from data.views.filters import filter_dataset
from pages.ui import state
from pages.ui.auth import is_editor, require_editor
from pages.ui.loading import available_dataset_ids
from pages.ui.narrative_panels import (
    all_narratives, evidence_ui, import_export_ui, leave_for_atlas_if_panels_changed, narrative_list_ui, new_narrative_ui,
    remember_panel_values, step_editor_ui, step_header_ui, step_text_ui, step_view_and_data, steps_index_ui,
    write_step_url,
)
from pages.ui.panels import claim_table_ui, map_ui, timeline_ui
from pages.ui.text import escape_markdown
from pages.ui.widgets import enter_through_app, navigation_ui

enter_through_app()
narratives, revisions, store_problem = all_narratives()
story_id = st.query_params.get("story")
narrative = find_narrative(narratives, story_id)

if narrative is None or not narrative.steps:
    navigation_ui()
    st.title("Narratives", anchor=False)
    st.caption("Ordered walks through the data: each step is a view of the map, timeline and claims with a few words; "
               "every step has its own link.")
    if store_problem:
        st.warning(escape_markdown(store_problem))
    if story_id:
        st.warning(escape_markdown(f"There is no narrative with the id '{story_id}'", limit=200) + "; here are those there are.",
                   icon="⚠️")
    narrative_list_ui(narratives)
    with st.expander("Write and import narratives (editors)", expanded=is_editor()):
        if require_editor():
            new_narrative_ui(narratives)
            import_export_ui(narratives)
    st.stop()

number, step_problem = read_step_number(st.query_params.get("step"), len(narrative.steps))
step = narrative.steps[number - 1]
view, view_errors, ds = step_view_and_data(step, available_dataset_ids())
leave_for_atlas_if_panels_changed(narrative.narrative_id, number, view)
write_step_url(narrative.narrative_id, number)
remember_panel_values(narrative.narrative_id, number, view)
navigation = st.sidebar.container()
navigation_ui(view, container=navigation)
steps_index_ui(narrative, number, st.sidebar)

selection = filter_dataset(ds, view)
step_header_ui(narrative, number)
if step_problem:
    st.warning(escape_markdown(step_problem), icon="⚠️")
state.show_url_problems(view_errors)
text_col, map_col, time_col = st.columns([5, 6, 4], gap="medium")
with text_col:
    step_text_ui(narrative, number, step, view, ds)
with map_col:
    map_ui(selection)
with time_col:
    timeline_ui(selection)
if selection.n_events == 0:
    st.info(escape_markdown(selection.empty_message()))
evidence_ui(ds, step, view)
claim_table_ui(selection)
with st.expander("Edit this narrative (editors)", expanded=is_editor()):
    if require_editor():
        step_editor_ui(narrative, number, revisions.get(narrative.narrative_id, 0), ds)
