"""Claim Atlas: dated, geocoded events and the claims about them, from news reports and event datasets.

Start with `streamlit run app.py`. Pages are listed here; the sidebar draws its own links so that
moving between pages keeps the view (Streamlit's own navigation drops query parameters).
"""

import streamlit as st

from pages.ui.auth import account_ui, require_viewer
from pages.ui.loading import store_status_ui
from pages.ui.widgets import ENTERED_KEY, PAGES

st.set_page_config(page_title="Claim Atlas", page_icon="🗺️", layout="wide")
st.session_state[ENTERED_KEY] = True
require_viewer()
store_status_ui()  # every page says so while the shared database is away
pages = [st.Page(path, title=title, icon=icon, default=(i == 0)) for i, (path, title, icon) in enumerate(PAGES)]
account_ui()  # on servers that sign people in: who is signed in, at the top of the sidebar, on every page
st.navigation(pages, position="hidden").run()
