"""Sidebar widgets and navigation; each widget's key is its URL parameter name."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from data.claims import CLAIM_STATUS_RULE
from data.dataset import Dataset
from data.taxonomy import EVENT_TYPES, SIDE_LABELS, SIDES, STATUSES
from data.view import PARAM_NAMES, ViewState

ENTERED_KEY = "_entered_through_app"

ROOT = Path(__file__).resolve().parents[2]
PAGES = tuple(
    page
    for page in (
        ("pages/atlas.py", "Atlas", ":material/map:"),
        ("pages/places.py", "Places", ":material/location_on:"),
        ("pages/sources.py", "Sources", ":material/newspaper:"),
        ("pages/import_data.py", "Import", ":material/upload_file:"),
        ("pages/review.py", "Review articles", ":material/rate_review:"),
    )
    if (ROOT / page[0]).exists()
)


def navigation_ui(view: ViewState | None = None, *, container=None) -> None:
    """Page links that carry the current view, since Streamlit drops query parameters on page switches.

    Without a view (pages that do not filter), the URL's known view parameters are passed on as they are.
    """
    if view is not None:
        query = view.to_query()
    else:
        query = {name: st.query_params.get_all(name) for name in PARAM_NAMES.values() if name in st.query_params}
    target = container if container is not None else st.sidebar
    for path, title, icon in PAGES:
        target.page_link(path, label=title, icon=icon, query_params=query)
    target.divider()


def enter_through_app() -> None:
    """Make sure this page runs inside app.py's navigation (its access gate and page registry).

    Streamlit starts in its legacy mode, where a `pages/` folder beside the main script is routed
    directly, when a server's first request is for a page URL (e.g. a shared /places link): the page
    would then run without app.py. Leave that mode and run again through app.py.
    """
    if st.session_state.get(ENTERED_KEY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:  # legacy routing: leave it once, for the whole server
        PagesManager.uses_pages_directory = False
        st.rerun()


def _keep_known(key: str, options: list[str]) -> None:
    """Drop values a widget cannot show (e.g. an id of a dataset that is no longer loaded)."""
    current = st.session_state.get(key) or []
    kept = [value for value in current if value in options]
    if kept != current:
        st.session_state[key] = kept


def filters_ui(ds: Dataset, dataset_choices: list[str]) -> None:
    """Draw every filter in the sidebar; values land in st.session_state under the URL names."""
    sidebar = st.sidebar
    sidebar.subheader("Filters")
    first, last = ds.events["date_start"].min(), ds.events["date_end"].max()
    low = first.date() if not ds.events.empty else None
    high = last.date() if not ds.events.empty else None
    sidebar.date_input("From", key="from", min_value=low, max_value=high, format="YYYY-MM-DD",
                       help="Events whose dates overlap the range match, so a month-precision event counts in any day of its month.")
    sidebar.date_input("To", key="to", min_value=low, max_value=high, format="YYYY-MM-DD")
    sidebar.multiselect("Side", list(SIDES), key="side", format_func=lambda s: SIDE_LABELS.get(s, s),
                        help="Events whose actors or claimants are on these sides.")
    actor_names = ds.actor_index.names
    actors = sorted(actor_names, key=lambda a: actor_names[a].casefold())
    _keep_known("actor", actors)
    sidebar.multiselect("Actor", actors, key="actor", format_func=lambda a: actor_names.get(a, a),
                        help="Matches the actor under any of its names, its earlier or later names, and its coalition's members.")
    sidebar.multiselect("Event type", list(EVENT_TYPES), key="type")
    chosen_types = st.session_state.get("type") or list(EVENT_TYPES)
    subs = [sub for kind in EVENT_TYPES if kind in chosen_types for sub in EVENT_TYPES[kind]]
    _keep_known("sub", subs)
    sidebar.multiselect("Sub-event type", subs, key="sub")
    place_names = ds.place_tree.names
    kinds = dict(zip(ds.places["place_id"], ds.places["kind"]))
    places = sorted(place_names, key=lambda p: place_names[p].casefold())
    _keep_known("place", places)
    sidebar.multiselect("Place", places, key="place", format_func=lambda p: f"{place_names.get(p, p)} ({kinds.get(p, '')})",
                        help="A city includes its districts and sites; a governorate its towns.")
    sidebar.multiselect("Claim status", list(STATUSES), key="status", help=CLAIM_STATUS_RULE)
    outlets = sorted(set(ds.sources["outlet"]))
    _keep_known("outlet", outlets)
    sidebar.multiselect("Outlet", outlets, key="outlet", help="Events reported by these outlets; the table shows only their claims.")
    titles = dict(zip(ds.sources["source_id"], ds.sources["title"]))
    sources = sorted(titles)
    _keep_known("src", sources)
    sidebar.multiselect("Source report", sources, key="src", format_func=lambda s: f"{titles.get(s, '')[:60]} ({s})")
    sidebar.text_input("Search summaries and claims", key="q", max_chars=200, placeholder="e.g. siege, corridor, 300")
    if len(dataset_choices) > 1:
        sidebar.multiselect("Datasets", dataset_choices, key="ds", help="Overlay several datasets on one map, coloured by side; the seed dataset is the curated news claims.")
