"""Sidebar widgets and navigation; each widget's key is its URL parameter name."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from data.model.claims import CLAIM_STATUS_RULE, ORIGIN_RULE
from data.model.quantities import NUMBERS_RULE
from data.model.dataset import Dataset
from data.views.derived import derived
from data.views.links import link_query
from data.model.taxonomy import EVENT_TYPES, SIDE_LABELS, SIDES, STATUSES
from data.errors import FilterError
from data.views.view import PARAM_NAMES, PARAMS, ViewState, parse_day

ENTERED_KEY = "_entered_through_app"

ROOT = Path(__file__).resolve().parents[2]
PAGES = tuple(
    page
    for page in (
        ("pages/atlas.py", "Atlas", ":material/map:"),
        ("pages/places.py", "Places", ":material/location_on:"),
        ("pages/sources.py", "Sources", ":material/newspaper:"),
        ("pages/narratives.py", "Narratives", ":material/auto_stories:"),
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
        query = link_query(view)
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
    allowed = set(options) if len(current) else ()
    kept = [value for value in current if value in allowed]
    if kept != current:
        st.session_state[key] = kept


def _show_typed_date(key: str) -> None:
    """Show a typed month or year as the day it stands for (2016-08 in To becomes 2016-08-31); leave bad text to be explained."""
    spec = next(spec for spec in PARAMS if spec.name == key)
    try:
        typed = str(st.session_state.get(key) or "").strip()
        st.session_state[key] = parse_day(typed, key, period_end=spec.period_end).isoformat() if typed else ""
    except FilterError:
        pass


def control_ui(container) -> None:
    """What the map shows (events, who held what, or both) and the control layer's "as of" day; both travel in the link."""
    from data.model.control import CONTROL_RULE
    from data.views.view import MAP_SHOWS

    labels = {"events": "Events", "control": "Control", "both": "Both"}
    container.radio("Map shows", list(MAP_SHOWS), key="show", horizontal=True, format_func=labels.get,
                    help="Control: who held each place on the 'as of' day, inferred from the events and claims. " + CONTROL_RULE)
    container.text_input("Control as of", key="asof", max_chars=10, on_change=_show_typed_date, args=("asof",),
                         placeholder="end of the dates",
                         help="The day whose control the map shows (a month means its last day). Blank: the end of the "
                              "date filter, else the data's last day.")


def filters_ui(ds: Dataset, dataset_choices: list[str]):
    """Draw every filter in the sidebar; values land in st.session_state under the URL names.

    Returns the container under the date fields, where a typed date that could not be read is explained.
    """
    sidebar = st.sidebar
    sidebar.subheader("Filters")
    options = derived(ds).filter_options
    # Dates are typed (Enter or leaving the field applies them; a date picker applied only on leaving the field) and
    # any date is a valid filter whatever the data's range: an empty result says so.
    span = f"The data runs from {options.first:%Y-%m-%d} to {options.last:%Y-%m-%d}. " if options.first else ""
    typed = "Type a date like 2016-08-06, or 2016-08 for a month, and press Enter; or drag across the timeline. "
    from_col, to_col = sidebar.columns(2)
    from_col.text_input("From", key="from", max_chars=10, on_change=_show_typed_date, args=("from",), placeholder=f"{options.first or 'YYYY-MM-DD'}",
                        help=typed + span + "Events whose dates overlap the range match, so a month-precision event counts in any day of its month.")
    to_col.text_input("To", key="to", max_chars=10, on_change=_show_typed_date, args=("to",), placeholder=f"{options.last or 'YYYY-MM-DD'}", help=typed + span)
    date_note = sidebar.container()
    sidebar.multiselect("Side", list(SIDES), key="side", format_func=lambda s: SIDE_LABELS.get(s, s),
                        help="Events whose actors or claimants are on these sides.")
    _keep_known("actor", options.actors)
    sidebar.multiselect("Actor", options.actors, key="actor", format_func=options.actor_labels.__getitem__,
                        help="Matches the actor under any of its names, its earlier or later names, and its coalition's members.")
    sidebar.multiselect("Event type", list(EVENT_TYPES), key="type")
    chosen_types = st.session_state.get("type") or list(EVENT_TYPES)
    subs = [sub for kind in EVENT_TYPES if kind in chosen_types for sub in EVENT_TYPES[kind]]
    _keep_known("sub", subs)
    sidebar.multiselect("Sub-event type", subs, key="sub")
    _keep_known("place", options.places)
    sidebar.multiselect("Place", options.places, key="place", format_func=options.place_labels.__getitem__,
                        help="A city includes its districts and sites; a governorate its towns.")
    sidebar.multiselect("Claim status", list(STATUSES), key="status", help=CLAIM_STATUS_RULE)
    _keep_known("outlet", options.outlets)
    sidebar.multiselect("Outlet", options.outlets, key="outlet", help="Events reported by these outlets; the table shows only their claims.")
    _keep_known("src", options.sources)
    sidebar.multiselect("Source report", options.sources, key="src", format_func=options.source_labels.__getitem__)
    _keep_known("origin", options.origins)
    sidebar.multiselect("Claim origin", options.origins, key="origin",
                        help="Events with claims whose information comes from these origins; the table shows only their claims. "
                             + ORIGIN_RULE)
    sidebar.toggle("Hide what only one party says", key="multi",
                   help="Keep only events that at least two independent voices assert, deny or dispute (origins of one "
                        "fighting camp are one voice; unnamed claimants do not count).")
    sidebar.toggle("Only events whose numbers disagree", key="disagree", help=NUMBERS_RULE)
    sidebar.text_input("Search summaries and claims", key="q", max_chars=200, placeholder="e.g. siege, corridor, 300")
    control_ui(sidebar)
    if len(dataset_choices) > 1:
        sidebar.radio("Colour map marks by", ["side", "dataset"], key="colour", horizontal=True,
                      help="By dataset, each mark takes the colour of the dataset holding most of its events.")
        sidebar.multiselect("Datasets", dataset_choices, key="ds", help="Overlay several datasets on one map, coloured by side; the seed dataset is the curated news claims.")
    return date_note
