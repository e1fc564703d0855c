"""Login gates for the pages: viewing is open unless a viewer password is set; editing needs the editor password."""

from __future__ import annotations

import streamlit as st

from pages.ui.access import HOW_TO_ENABLE_EDITING, configured_password, is_correct_password


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml: Streamlit raises when the file is absent
        return {}


def _gate(role: str, *, form_key: str) -> bool:
    """Ask once per session for the role's password; never echo, log or put it in the URL."""
    expected = configured_password(role, _secrets())
    if expected is None:
        return role == "viewer"
    flag = f"_access_{role}"
    if st.session_state.get(flag):
        return True
    with st.form(form_key, clear_on_submit=True):
        given = st.text_input(f"{role.capitalize()} password", type="password", key=f"{form_key}_password")
        submitted = st.form_submit_button("Unlock")
    if submitted:
        if is_correct_password(given, expected):
            st.session_state[flag] = True
            st.rerun()
        st.error("Wrong password.")
    return False


def require_viewer() -> None:
    """Stop the page until the viewer password is given, when one is configured."""
    if not _gate("viewer", form_key="viewer_login"):
        st.stop()


def require_editor() -> bool:
    """True for an editor session; otherwise shows how to log in (or how to turn editing on) and returns False."""
    if configured_password("editor", _secrets()) is None:
        st.info(HOW_TO_ENABLE_EDITING)
        return False
    if _gate("editor", form_key="editor_login"):
        return True
    st.caption("Importing, deleting and renaming datasets need the editor password.")
    return False


def is_editor() -> bool:
    """Whether this session has unlocked editing (no prompt drawn)."""
    return bool(st.session_state.get("_access_editor")) and configured_password("editor", _secrets()) is not None
