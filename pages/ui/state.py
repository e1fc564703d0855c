"""URL <-> widgets <-> ViewState: the one place where the view state meets Streamlit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import streamlit as st

from data.dataset import Dataset
from data.errors import FilterError
from data.view import PARAMS, ViewState, Vocabulary

WIDGET_KEYS = ("from", "to", "side", "actor", "type", "sub", "place", "status", "outlet", "src", "q")
SELECTION_KEYS = ("at", "ev")
_APPLIED = "_view_applied"


def vocabulary_for(ds: Dataset, dataset_ids: frozenset[str]) -> Vocabulary:
    """What a URL may name in this dataset (id sets built once per loaded dataset: a million event ids take seconds)."""
    sets = ds.__dict__.get("_vocabulary_sets")
    if sets is None:
        sets = ds.__dict__["_vocabulary_sets"] = {
            "actors": frozenset(ds.actors["actor_id"].tolist()),
            "places": frozenset(ds.places["place_id"].tolist()),
            "outlets": frozenset(ds.sources["outlet"].tolist()),
            "events": frozenset(ds.events["event_id"].tolist()),
            "sources": frozenset(ds.sources["source_id"].tolist()),
        }
    return Vocabulary(datasets=dataset_ids, **sets)


def query_as_lists() -> dict[str, list[str]]:
    """The URL's parameters with repeated keys kept (to_dict() keeps only the last)."""
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def read_url(vocabulary: Vocabulary) -> tuple[ViewState, list[FilterError]]:
    """Parse the URL into a view; bad parameters fall back to defaults and come back as errors."""
    return ViewState.from_query(query_as_lists(), vocabulary)


def view_and_data() -> tuple[ViewState, list[FilterError], Dataset]:
    """The view the URL asks for, the dataset (or overlay) it names, and what in the URL was not understood.

    The datasets come first: which ids, places and actors are valid depends on the data they hold.
    """
    from pages.ui.loading import available_dataset_ids, load_view_data

    available = available_dataset_ids()
    asked = {"ds": st.query_params.get_all("ds")} if "ds" in st.query_params else {}
    wanted, _ = ViewState.from_query(asked, Vocabulary(datasets=available))
    ds = load_view_data(wanted.datasets)
    view, errors = read_url(vocabulary_for(ds, available))
    return view, errors, ds


def show_url_problems(errors: list[FilterError]) -> None:
    """One warning naming each bad parameter and what was expected (text only, never markup)."""
    if errors:
        lines = "\n".join(f"• {error}" for error in errors)
        st.warning("Some link parameters were not understood and were ignored:\n\n" + _as_text(lines), icon="⚠️")


def _as_text(text: str) -> str:
    from pages.ui.text import escape_markdown

    return escape_markdown(text)


def seed_widgets(view: ViewState) -> None:
    """Put a view into the widgets' session state, when the URL brings a view the widgets do not show.

    Streamlit forgets a widget's state when a run (e.g. on another page) does not draw it, so any
    missing key also means the widgets must be seeded again from the URL.
    """
    widgets_intact = all(key in st.session_state for key in WIDGET_KEYS)
    if widgets_intact and st.session_state.get(_APPLIED) == view:
        return
    st.session_state["from"] = view.date_from
    st.session_state["to"] = view.date_to
    st.session_state["side"] = list(view.sides)
    st.session_state["actor"] = list(view.actors)
    st.session_state["type"] = list(view.event_types)
    st.session_state["sub"] = list(view.sub_event_types)
    st.session_state["place"] = list(view.places)
    st.session_state["status"] = list(view.statuses)
    st.session_state["outlet"] = list(view.outlets)
    st.session_state["src"] = list(view.sources)
    st.session_state["q"] = view.text
    st.session_state["at"] = view.selected_place
    st.session_state["ev"] = view.selected_event
    st.session_state["colour"] = view.colour_by
    st.session_state[_APPLIED] = view


def view_from_widgets(datasets: tuple[str, ...]) -> ViewState:
    """The view the widgets show now."""
    state = st.session_state
    date_from: date | None = state.get("from")
    date_to: date | None = state.get("to")
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return ViewState(
        datasets=datasets,
        date_from=date_from,
        date_to=date_to,
        sides=tuple(state.get("side") or ()),
        actors=tuple(state.get("actor") or ()),
        event_types=tuple(state.get("type") or ()),
        sub_event_types=tuple(state.get("sub") or ()),
        places=tuple(state.get("place") or ()),
        statuses=tuple(state.get("status") or ()),
        outlets=tuple(state.get("outlet") or ()),
        sources=tuple(state.get("src") or ()),
        text=" ".join(str(state.get("q") or "").split())[:200],
        selected_place=state.get("at"),
        selected_event=state.get("ev"),
        colour_by=state.get("colour") or "side",
    )


def write_url(view: ViewState) -> None:
    """Make the URL say exactly this view (only non-default values), without touching it when it already does."""
    wanted = view.to_query()
    if query_as_lists() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[_APPLIED] = view


def reset_view(datasets: tuple[str, ...]) -> None:
    """Clear every filter and selection (keeps the datasets), in the widgets and in the URL.

    The URL must change too: the next run reads it, and a URL that differs from the last applied view
    would seed the widgets again with the old filters.
    """
    cleared = replace(ViewState(), datasets=datasets)
    seed_widgets(cleared)
    write_url(cleared)


def share_url(view: ViewState, page: str = "") -> str:
    """The absolute link that reopens this view."""
    base = ""
    try:
        base = str(st.context.url or "").split("?")[0]
    except Exception:  # older Streamlit or no browser context (AppTest)
        base = ""
    if not base:
        base = "http://localhost:8501/" + page
    query = urlencode([(k, v) for k, values in view.to_query().items() for v in values])
    return base + ("?" + query if query else "")


__all__ = ["PARAMS", "WIDGET_KEYS", "SELECTION_KEYS"]
