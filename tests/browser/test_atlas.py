"""The main view in a real Chromium: a shared link reopens the same view, the map draws offline, the console stays clean."""

from __future__ import annotations

import re

import pytest

from data.model.dataset import load_dataset
from data.views.filters import filter_dataset
from data.views.palette import SIDE_COLOURS
from data.model.taxonomy import STATUSES
from data.views.view import ViewState
from tests.browser.atlas_page import (
    TIMELINE_MARKS,
    drawn_marks,
    map_image,
    marks_missing,
    near_colour,
    caption,
    choose,
    detail_text,
    download,
    open_app,
    poll,
    query_of,
    search,
    search_text,
    select_row,
    share_link,
    tags,
    wait_idle,
    artifact,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def seed_data():
    return load_dataset()


def _filters_with_results(ds) -> tuple[str, str, str, str]:
    """A claim status, a place (with its label as the widget shows it) and a search word that together keep a few events."""
    best = None
    for status in STATUSES:
        with_status = filter_dataset(ds, ViewState(statuses=(status,))).n_events
        for place in ds.places.itertuples(index=False):
            if place.kind == "country":  # a whole country filters too little to prove anything
                continue
            n = filter_dataset(ds, ViewState(statuses=(status,), places=(place.place_id,))).n_events
            if 2 <= n < with_status and (best is None or n > best[0]):
                best = (n, status, place)
    assert best, "the seed dataset has no place with two events of one status"
    n, status, place = best
    events = filter_dataset(ds, ViewState(statuses=(status,), places=(place.place_id,))).events
    for summary in events["summary"]:
        for word in re.findall(r"[A-Za-z]{5,}", summary):
            kept = filter_dataset(ds, ViewState(statuses=(status,), places=(place.place_id,), text=word)).n_events
            if 0 < kept < n:
                return status, place.place_id, f"{place.name} ({place.kind})", word
    return status, place.place_id, f"{place.name} ({place.kind})", re.findall(r"[A-Za-z]{5,}", events["summary"].iloc[0])[0]


def _view_as_seen(page) -> dict:
    """Everything an analyst sees of the view: widgets, caption, selected event, the claim table's rows."""
    return {
        "status": tags(page, "Claim status"),
        "place": tags(page, "Place"),
        "q": search_text(page),
        "caption": caption(page),
        "detail": detail_text(page),
        "claims_csv": download(page, "Download filtered claims (CSV)"),
    }


def test_shared_link_reopens_the_same_view(seed_server, seed_data, new_page):
    status, place_id, place_label, word = _filters_with_results(seed_data)
    page, seen = new_page(fresh=False)
    open_app(page, seed_server.url)
    choose(page, "Claim status", status, param="status", value=status)
    choose(page, "Place", place_label, param="place", value=place_id)
    search(page, word)
    expected = filter_dataset(seed_data, ViewState(statuses=(status,), places=(place_id,), text=word))
    assert caption(page).startswith(f"{expected.n_events:,} of {expected.n_total_events:,} events, {expected.n_claims:,} claims")

    select_row(page, 0)
    poll(lambda: query_of(page.url).get("ev"), what="ev= in the address bar after clicking a row", page=page)
    wait_idle(page)
    event_id = query_of(page.url)["ev"][0]
    assert event_id in set(expected.events["event_id"])
    assert "Selected event" in detail_text(page) and event_id in detail_text(page)

    link = share_link(page)
    assert query_of(link) == query_of(page.url), "the share popover and the address bar disagree"
    assert query_of(link) == {"status": [status], "place": [place_id], "q": [word], "ev": [event_id]}
    before = _view_as_seen(page)
    page.screenshot(path=artifact("shared-link-source.png"))

    fresh, fresh_seen = new_page()  # a colleague's browser: nothing cached, no cookies
    open_app(fresh, link)
    poll(lambda: tags(fresh, "Place") == before["place"], what="the place tag in the fresh page", page=fresh)
    after = _view_as_seen(fresh)
    poll(lambda: fresh.locator(TIMELINE_MARKS).count(), what="timeline points", page=fresh)
    fresh.evaluate("() => document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')"
                   ".forEach(el => el.scrollTo(0, 0))")
    fresh.screenshot(path=artifact("shared-link-opened.png"))
    assert after == before
    assert query_of(fresh.url) == query_of(link), "opening the link rewrote it"
    for watched in (seen, fresh_seen):
        assert watched.page_errors == [] and watched.console_errors == []


def test_event_link_opens_its_detail(seed_server, seed_data, new_page):
    event = seed_data.events.sort_values("n_claims", ascending=False).iloc[0]
    page, seen = new_page(fresh=False)
    open_app(page, f"{seed_server.url}?ev={event['event_id']}")
    text = poll(lambda: detail_text(page), what="the event detail panel", page=page)
    assert event["event_id"] in text
    assert page.locator('[data-testid="stAlert"]').count() == 0
    assert query_of(page.url) == {"ev": [event["event_id"]]}
    assert seen.page_errors == [] and seen.console_errors == []


def test_map_draws_places_without_internet(seed_server, seed_data, new_page):
    page, seen = new_page()
    open_app(page, seed_server.url)
    marks = drawn_marks(seed_data, ViewState())
    try:
        poll(lambda: not marks_missing(map_image(page), marks), what="every place's mark on the canvas", page=page, timeout_s=20)
    except AssertionError:
        pass  # the assertion below names the missing marks
    image = map_image(page)
    missing = marks_missing(image, marks)
    image.save(artifact("map-canvas.png"))
    poll(lambda: page.locator(TIMELINE_MARKS).count(), what="timeline points", page=page)
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(state="attached")
    wait_idle(page)
    page.screenshot(path=artifact("main-view.png"))
    assert not missing
    mark_colours = set(SIDE_COLOURS.values())
    far_corner = image.getpixel((2, 2))
    assert not any(near_colour(far_corner, colour, 20) for colour in mark_colours), "the whole canvas is painted"
    assert seen.external_requests == [], f"requests left localhost: {seen.external_requests}"
    assert seen.page_errors == [] and seen.console_errors == []


def test_console_stays_clean_while_filtering(seed_server, seed_data, new_page):
    page, seen = new_page(fresh=False)
    open_app(page, seed_server.url)
    choose(page, "Claim status", "contested", param="status", value="contested")
    search(page, "the")
    page.get_by_role("button", name="Reset all filters").click()
    poll(lambda: query_of(page.url) == {}, what="an empty query after Reset all filters", page=page)
    wait_idle(page)
    assert caption(page).startswith(f"{len(seed_data.events):,} of {len(seed_data.events):,} events")
    assert seen.console_errors == [], seen.console_errors
    assert seen.page_errors == [], seen.page_errors
    assert seen.dialogs == []
    assert seen.external_requests == [], seen.external_requests
