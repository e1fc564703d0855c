"""Places: the gazetteer behind the map, with where every coordinate comes from and how precise it is."""

import streamlit as st

from data.gazetteer_view import places_table
from pages.ui import state
from pages.ui.loading import available_dataset_ids, load_view_data
from pages.ui.text import escape_markdown
from pages.ui.widgets import navigation_ui

view, errors = state.read_url(state.vocabulary_for(load_view_data(("seed",)), available_dataset_ids()))
ds = load_view_data(view.datasets)
navigation_ui(view)
st.title("Places", anchor=False)
state.show_url_problems(errors)
st.caption(
    f"{len(ds.places)} places. Each has a radius of uncertainty (precision_m): the place lies within it. "
    "Select a row to open the map filtered on that place (a city includes its districts)."
)
table = places_table(ds)
picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key="places_table", column_config={"place_id": None,
                                                          "coord_source": st.column_config.TextColumn(width="large")})
rows = (picked or {}).get("selection", {}).get("rows", []) if picked else []
if rows:
    row = table.iloc[rows[0]]
    query = {**view.to_query(), "place": [row["place_id"]]}
    query.pop("at", None)
    st.page_link("pages/atlas.py", label=f"Show events in {escape_markdown(row['place'])} on the map", icon=":material/map:", query_params=query)
