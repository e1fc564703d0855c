"""Login gates for the pages: viewing is open unless a viewer password is set; editing needs the editor password,
or, when an `[auth]` section is configured, an editor's sign-in through the team's OpenID Connect provider."""

from __future__ import annotations

import streamlit as st

from pages.ui.access import (
    HOW_TO_ENABLE_EDITING,
    HOW_TO_NAME_EDITORS,
    configured_password,
    editor_rule,
    is_correct_password,
    sign_in_configured,
)
from pages.ui.text import escape_markdown


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


def signs_in() -> bool:
    """Whether this server signs people in (an `[auth]` section); then the shared editor password is not used."""
    return sign_in_configured(_secrets())


def _claims() -> dict:
    try:
        return st.user.to_dict() if st.user.is_logged_in else {}
    except Exception:  # a stale or foreign identity cookie: treat as signed out rather than fail the page
        return {}


def _account_name(claims: dict) -> str:
    return str(claims.get("email") or claims.get("name") or claims.get("sub") or "an unnamed account")


def _sign_in_button(key: str, *, primary: bool = True) -> None:
    """st.login sends the browser to the provider; nothing may run after it in this script run."""
    if st.button("Sign in", key=key, type="primary" if primary else "secondary", icon=":material/login:"):
        st.login()
        st.stop()


def _require_signed_in_editor() -> bool:
    claims = _claims()
    if not claims:
        st.info("Importing, deleting and renaming datasets and writing narratives need an editor's sign-in.")
        _sign_in_button("sign_in_for_editing")
        return False
    rule = editor_rule(_secrets())
    if rule.allows(claims):
        return True
    if not rule.names_anyone:
        st.warning(HOW_TO_NAME_EDITORS)
    else:
        st.warning(f"Signed in as {escape_markdown(_account_name(claims), limit=200)}, who is not an editor here. "
                   "Ask whoever runs this server to add you, or sign out and sign in with an editor's account.")
    return False


def require_editor() -> bool:
    """True for an editor session; otherwise shows how to log in (or how to turn editing on) and returns False."""
    if signs_in():
        return _require_signed_in_editor()
    if configured_password("editor", _secrets()) is None:
        st.info(HOW_TO_ENABLE_EDITING)
        return False
    if _gate("editor", form_key="editor_login"):
        return True
    st.caption("Importing, deleting and renaming datasets need the editor password.")
    return False


def is_editor() -> bool:
    """Whether this session may edit (no prompt drawn)."""
    if signs_in():
        claims = _claims()
        return bool(claims) and editor_rule(_secrets()).allows(claims)
    return bool(st.session_state.get("_access_editor")) and configured_password("editor", _secrets()) is not None


def account_ui() -> None:
    """The sidebar's account line on servers that sign people in: who is signed in and whether they may edit."""
    if not signs_in():
        return
    claims = _claims()
    box = st.sidebar.container(key="account")
    if not claims:
        box.caption("Viewing without signing in. Editors sign in to import and edit.")
        with box:
            _sign_in_button("sign_in_sidebar", primary=False)
        return
    role = "editor" if editor_rule(_secrets()).allows(claims) else "viewer (not an editor)"
    box.caption(f"Signed in as {escape_markdown(_account_name(claims), limit=200)} · {role}")
    if box.button("Sign out", key="sign_out", icon=":material/logout:"):
        st.logout()
        st.stop()
