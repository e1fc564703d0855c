"""The view state round-trips through the URL, and bad parameters fall back with a clear message."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.model.taxonomy import EVENT_TYPES, SIDES, STATUSES, SUB_EVENT_TYPES
from data.views.view import ViewState, Vocabulary

ACTORS = ("army", "ally", "front", "new-front", "coalition")
PLACES = ("rivertown", "rivertown-south", "hilltown")
OUTLETS = ("Wire A", "Paper B", "Le Monde, Paris")
EVENTS = ("e-siege", "e-hill")
SOURCES = ("wire-a", "paper-b")
VOCAB = Vocabulary(
    datasets=frozenset({"seed", "acled-1f2e"}),
    actors=frozenset(ACTORS),
    places=frozenset(PLACES),
    outlets=frozenset(OUTLETS),
    events=frozenset(EVENTS),
    sources=frozenset(SOURCES),
)


def _subset(options):
    return st.lists(st.sampled_from(options), unique=True, max_size=3).map(tuple)


dates = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
views = st.builds(
    ViewState,
    datasets=st.sampled_from([("seed",), ("acled-1f2e",), ("seed", "acled-1f2e")]),
    date_from=dates,
    date_to=st.none(),
    sides=_subset(SIDES),
    actors=_subset(ACTORS),
    event_types=_subset(tuple(EVENT_TYPES)),
    sub_event_types=_subset(tuple(SUB_EVENT_TYPES)),
    places=_subset(PLACES),
    statuses=_subset(STATUSES),
    outlets=_subset(OUTLETS),
    sources=_subset(SOURCES),
    text=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=40).map(lambda t: " ".join(t.split())),
    selected_place=st.one_of(st.none(), st.sampled_from(PLACES)),
    selected_event=st.one_of(st.none(), st.sampled_from(EVENTS)),
    colour_by=st.sampled_from(["side", "dataset"]),
).map(lambda view: replace(view, sub_event_types=tuple(  # the sidebar offers only the sub-types of the chosen types
    sub for sub in view.sub_event_types if not view.event_types or SUB_EVENT_TYPES[sub] in view.event_types)))


@settings(max_examples=300, deadline=None)
@given(views)
def test_round_trip(view):
    parsed, errors = ViewState.from_query(view.to_query(), VOCAB)
    assert errors == []
    assert parsed == view


def test_default_view_writes_nothing():
    assert ViewState().to_query() == {}


def test_query_is_short_and_readable():
    view = ViewState(date_from=date(2016, 8, 1), statuses=("contested",), places=("rivertown",), selected_event="e-siege")
    assert view.to_query() == {"from": ["2016-08-01"], "status": ["contested"], "place": ["rivertown"], "ev": ["e-siege"]}


def test_comma_separated_ids_are_accepted():
    view, errors = ViewState.from_query({"place": ["rivertown,hilltown"], "outlet": ["Le Monde, Paris"]}, VOCAB)
    assert errors == [] and view.places == ("rivertown", "hilltown") and view.outlets == ("Le Monde, Paris",)


BAD_URLS = [
    ({"from": "yesterday"}, "from", "must be a date like 2016-08-06"),
    ({"from": "2016-02-30"}, "from", "real calendar date"),
    ({"to": "0001-01-01"}, "to", "between 1900 and 2100"),
    ({"from": "2016-09-01", "to": "2016-08-01"}, "from", "must not be after `to`"),
    ({"from": ["2016-01-01", "2016-02-01"]}, "from", "different values"),
    ({"side": "rebels"}, "side", "unknown side"),
    ({"actor": "isis-but-not"}, "actor", "unknown actor id"),
    ({"actor": "<script>alert(1)</script>"}, "actor", "unknown actor id"),
    ({"place": "../../etc/passwd"}, "place", "unknown place id"),
    ({"type": "Battle"}, "type", "unknown event type"),
    ({"sub": "Air strike"}, "sub", "unknown sub-event type"),
    ({"status": "true"}, "status", "unknown claim status"),
    ({"outlet": "Nowhere Times"}, "outlet", "unknown outlet"),
    ({"src": "x" * 500}, "src", "at most 200"),
    ({"q": "a" * 5000}, "q", "at most 200"),
    ({"q": "bad\x00byte"}, "q", "control characters"),
    ({"ev": "e-nope"}, "ev", "names no known event"),
    ({"ev": ["e-siege", "e-hill"]}, "ev", "different values"),
    ({"at": "javascript:alert(1)"}, "at", "names no known place"),
    ({"ds": "someone-elses"}, "ds", "unknown dataset id"),
    ({"ds": ""}, "ds", "empty"),
    ({"side": ["government"] * 51}, "side", "at most 50"),
    ({"zoom": "12"}, "zoom", "is not a parameter"),
    ({"colour": "rainbow"}, "colour", "must be one of side, dataset"),
    ({"<img src=x onerror=alert(1)>": "1"}, "<img src=x onerror=alert(1)>", "is not a parameter"),
]


@pytest.mark.parametrize(("query", "param", "message"), BAD_URLS)
def test_bad_parameter_falls_back_with_message(query, param, message):
    view, errors = ViewState.from_query(query, VOCAB)
    assert len(errors) == 1
    assert errors[0].param == param
    assert message in str(errors[0])
    defaults = ViewState()
    for spec_name in query:
        if spec_name in ("from", "to"):
            assert (view.date_from, view.date_to) == (defaults.date_from, defaults.date_to)
    assert view == defaults


def test_good_parameters_survive_next_to_bad_ones():
    view, errors = ViewState.from_query({"status": "contested", "from": "soon"}, VOCAB)
    assert view.statuses == ("contested",) and view.date_from is None and [e.param for e in errors] == ["from"]


def test_describe_in_plain_words():
    view = ViewState(date_from=date(2016, 8, 1), date_to=date(2016, 8, 15), sides=("opposition",), statuses=("contested",))
    assert view.describe() == "1 Aug 2016 to 15 Aug 2016; sides: Opposition; contested only"
    assert ViewState().describe() == "no filters"


def test_a_sub_type_outside_the_chosen_types_is_named_and_left_out():
    view, errors = ViewState.from_query({"type": ["Battles"], "sub": ["Armed clash", "Air/drone strike"]})
    assert view.sub_event_types == ("Armed clash",)
    assert [error.param for error in errors] == ["sub"] and "Air/drone strike" in str(errors[0])
