"""The link popovers of the Atlas ("Share this view") and of a narrative step ("Link to this step"): one piece, so
both offer the same copyable link the same way."""

from __future__ import annotations

import streamlit as st


def page_address() -> str:
    """The address the browser used for this page (empty without a browser, as under AppTest)."""
    try:
        return str(st.context.url or "")
    except Exception:  # no browser context (AppTest)
        return ""


def share_popover_ui(label: str, link: str, caption: str) -> None:
    """A popover holding one link as code (Streamlit draws a copy button at its right) and what it opens."""
    with st.popover(label, icon=":material/link:"):
        st.caption(caption)
        st.code(link, language=None, wrap_lines=True)
