"""A reference page (Places, Sources): a table of the data whose selected row opens the map filtered on it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pages.ui import state
from pages.ui.text import escape_markdown
from data.views.links import link_query
from data.views.view import PARAM_ATTRS
from pages.ui.widgets import enter_through_app, navigation_ui


def lookup_page(
    title: str,
    caption: Callable[[object], str],
    build_table: Callable[[object], pd.DataFrame],
    *,
    id_column: str,
    param: str,
    link_label: Callable[[pd.Series], str],
    wide_column: str,
) -> None:
    """Draw the page: navigation that keeps the view, the table, and a link back to the filtered map."""
    enter_through_app()
    view, errors, ds = state.view_and_data()
    navigation_ui(view)
    st.title(title, anchor=False)
    state.show_url_problems(errors)
    st.caption(caption(ds))
    table = build_table(ds)
    picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                          key=f"{param}_lookup", column_config={id_column: None, wide_column: st.column_config.TextColumn(width="large")})
    rows = (picked or {}).get("selection", {}).get("rows", []) if picked else []
    if rows:
        row = table.iloc[rows[0]]
        query = link_query(view, **{PARAM_ATTRS[param]: (row[id_column],), "selected_place": None})
        st.page_link("pages/atlas.py", label=escape_markdown(link_label(row)), icon=":material/map:", query_params=query)
