"""Import: bring an ACLED or UCDP GED export (or our own zip) into a saved dataset, and manage saved datasets."""

from __future__ import annotations

import streamlit as st

from data.store.datasets import DatasetStore
from pages.ui.import_panels import import_ui, manage_ui, saved_datasets_ui
from pages.ui.loading import store_available
from pages.ui.widgets import enter_through_app, navigation_ui

try:
    from pages.ui.auth import require_editor
except ImportError:  # without the login module the page shows saved datasets but cannot change them
    require_editor = None

enter_through_app()
navigation_ui()
st.title("Import", anchor=False)
store = DatasetStore()
if not store_available():  # the shared database is away: app.py's warning says so; nothing here can work
    st.stop()
saved_datasets_ui(store)
st.divider()
if require_editor is None:
    st.warning("The editor login (pages/ui/auth.py) is missing, so importing, renaming and deleting are switched off.")
elif require_editor():
    import_ui(store)
    st.divider()
    manage_ui(store)
