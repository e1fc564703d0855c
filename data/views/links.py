"""Every link the app builds: a view's URL parameters, changed where a link says so, and the absolute share link."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from data.views.view import ViewState

DEFAULT_BASE = "http://localhost:8501/"


def link_query(view: ViewState | None = None, **changes) -> dict[str, list[str]]:
    """The URL parameters of `view` (the default view when None) with the given fields changed.

    >>> link_query(datasets=("acled-1f2e",))
    {'ds': ['acled-1f2e']}
    >>> link_query(ViewState(statuses=("contested",), selected_place="aleppo"), places=("homs",), selected_place=None)
    {'place': ['homs'], 'status': ['contested']}
    """
    return replace(view or ViewState(), **changes).to_query()


def share_link(view: ViewState, base: str = "") -> str:
    """The absolute link that reopens exactly this view (base: the page's own address without its query).

    >>> share_link(ViewState(text="siege"), "http://atlas.example/")
    'http://atlas.example/?q=siege'
    """
    query = urlencode([(name, value) for name, values in view.to_query().items() for value in values])
    return (base.split("?")[0] or DEFAULT_BASE) + ("?" + query if query else "")
