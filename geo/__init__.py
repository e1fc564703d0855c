"""Places: name matching, the gazetteer, geocoding and reference outlines (no Streamlit here)."""
