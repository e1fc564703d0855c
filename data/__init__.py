"""Events, claims, sources and actors: loading, validation, filtering and view models (no Streamlit here)."""
