"""URL <-> widgets <-> ViewState: the one place where the view state meets Streamlit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from data.model.dataset import Dataset
from data.views.derived import derived
from data.views.links import share_link
from data.errors import FilterError
from data.views.view import MAX_VALUE_CHARS, PARAMS, ViewState, Vocabulary, parse_day
from pages.ui.share import page_address

_APPLIED = "_view_applied"


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
    view, errors = read_url(derived(ds).vocabulary(available))
    return view, errors, ds


def show_url_problems(errors: list[FilterError]) -> None:
    """One warning naming each bad parameter and what was expected (text only, never markup).

    Each line is cut on its own, so a long list of bad parameters still names every one of them.
    """
    if errors:
        from pages.ui.text import escape_markdown

        lines = "  \n".join("• " + escape_markdown(error, limit=300) for error in errors)
        st.warning(escape_markdown("Some link parameters were not understood and were ignored:") + "\n\n" + lines, icon="⚠️")


def widget_values(view: ViewState) -> dict[str, object]:
    """What each widget shows for a view, keyed by its URL parameter name (which is the widget's key)."""
    values: dict[str, object] = {}
    for spec in PARAMS:
        value = getattr(view, spec.attr)
        if spec.name == "ds":
            continue
        if spec.kind == "date":
            values[spec.name] = value.isoformat() if value else ""
        elif spec.kind in ("ids", "choices"):
            values[spec.name] = list(value)
        else:
            values[spec.name] = value
    return values


def seed_widgets(view: ViewState) -> None:
    """Put a view into the widgets' session state, when the URL brings a view the widgets do not show.

    Streamlit forgets a widget's state when a run (e.g. on another page) does not draw it, so any
    missing key also means the widgets must be seeded again from the URL. Back and Forward land here too:
    the browser's history holds the URLs this page wrote, and a URL that differs from the last applied view wins.
    """
    values = widget_values(view)
    widgets_intact = all(key in st.session_state for key in values)
    if widgets_intact and st.session_state.get(_APPLIED) == view:
        return
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[_APPLIED] = view


def view_from_widgets(datasets: tuple[str, ...]) -> tuple[ViewState, list[FilterError]]:
    """The view the widgets show now, and any typed date that could not be read (the last good one is kept).

    Dates are typed (Enter applies them): a month or a year stands for its first day in From, its last in To, and
    From after To is read as the range between them.
    """
    state = st.session_state
    previous: ViewState = state.get(_APPLIED) or ViewState()
    values: dict[str, object] = {}
    problems: list[FilterError] = []
    for spec in PARAMS:
        raw = state.get(spec.name)
        if spec.name == "ds":
            values[spec.attr] = datasets
        elif spec.kind == "date":
            text = raw.isoformat() if isinstance(raw, date) else str(raw or "").strip()
            try:
                values[spec.attr] = parse_day(text, spec.name, period_end=spec.period_end) if text else None
            except FilterError as problem:
                problems.append(problem)
                values[spec.attr] = getattr(previous, spec.attr)
        elif spec.kind in ("ids", "choices"):
            values[spec.attr] = tuple(raw or ())
        elif spec.kind == "text":
            values[spec.attr] = " ".join(str(raw or "").split())[:MAX_VALUE_CHARS]
        else:
            values[spec.attr] = raw or spec.default
    view = ViewState(**values)
    if view.date_from and view.date_to and view.date_from > view.date_to:
        view = replace(view, date_from=view.date_to, date_to=view.date_from)
    return view, problems


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


def share_url(view: ViewState) -> str:
    """The absolute link that reopens this view, on the address the browser used."""
    return share_link(view, page_address())

