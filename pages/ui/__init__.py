"""Streamlit helpers shared by the pages: URL state, widgets, charts, access."""
