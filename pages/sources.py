"""Sources: the reports behind the claims, with their outlets and how each publication date was established."""

import streamlit as st

from data.gazetteer_view import sources_table
from pages.ui import state
from pages.ui.loading import available_dataset_ids, load_view_data
from pages.ui.text import escape_markdown
from pages.ui.widgets import navigation_ui

view, errors = state.read_url(state.vocabulary_for(load_view_data(("seed",)), available_dataset_ids()))
ds = load_view_data(view.datasets)
navigation_ui(view)
st.title("Sources", anchor=False)
state.show_url_problems(errors)
st.caption(
    f"{len(ds.sources)} sources. 'published_basis' says whether the date is stated in the report or inferred, and from what. "
    "Select a row to open the map filtered on that report's claims."
)
table = sources_table(ds)
picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key="sources_table", column_config={"source_id": None,
                                                           "published_basis": st.column_config.TextColumn(width="large")})
rows = (picked or {}).get("selection", {}).get("rows", []) if picked else []
if rows:
    row = table.iloc[rows[0]]
    query = {**view.to_query(), "src": [row["source_id"]]}
    st.page_link("pages/atlas.py", label=f"Show the claims of “{escape_markdown(row['title'][:80])}” on the map", icon=":material/map:", query_params=query)
