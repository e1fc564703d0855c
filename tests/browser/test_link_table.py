"""A sample of the generated link table in Chromium: what AppTest cannot see (the URL the page really settles on,
frontend errors, requests) holds for every class of link, and the settled URL reopens the same view."""

from __future__ import annotations

import time

import pytest

from tests.browser.atlas_page import EXCEPTION, MAIN, MAP_CANVAS, caption, injected, open_app, query_of
from tests.browser.conftest import ROOT, watch
from tests.link_table import Link, browser_sample, build_table, expected_settled, named_params

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

SAMPLE = browser_sample(build_table())
WARNING = '[data-testid="stAlertContentWarning"]'
INFO = '[data-testid="stAlertContentInfo"]'
LEAKS = ("Traceback", "site-packages", f"{ROOT.parent}/")


@pytest.fixture(scope="module")
def link_context(warm_context, seed_server):
    """The session's warm browser context (its cache keeps page loads quick); each page load is still a new session."""
    return warm_context


def _settled_url(page) -> str:
    """The page's URL once it has stopped changing (the app rewrites it after its run)."""
    last, deadline = page.url, time.monotonic() + 5
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        if page.url == last:
            return last
        last = page.url
    return last


def _load(context, url: str, *, wait_for_map: bool = True):
    """Open url in a new page and wait for the run to end (and the map to be attached); returns (page, watch)."""
    page = context.new_page()
    seen = watch(page)
    open_app(page, url, wait_for_map=False)
    assert page.locator(EXCEPTION).count() == 0, f"exception box on {url}: {page.locator(EXCEPTION).first.inner_text()[:500]}"
    if wait_for_map:  # the charts load their code late: their errors show only once they draw
        page.wait_for_selector(MAP_CANVAS, state="attached")
    return page, seen


def _check_clean(page, seen, where: str) -> None:
    text = page.locator("body").inner_text()
    assert not [needle for needle in LEAKS if needle in text], f"{where}: the page shows a traceback or a server path"
    assert injected(page) == [], f"{where}: markup from the link was rendered: {injected(page)}"
    assert seen.page_errors == [] and seen.console_errors == [], f"{where}: {seen.page_errors + seen.console_errors}"
    assert seen.dialogs == [], f"{where}: dialogs {seen.dialogs}"
    assert seen.external_requests == [], f"{where}: requests left localhost: {seen.external_requests}"


@pytest.mark.parametrize("link", SAMPLE, ids=[row.id for row in SAMPLE])
def test_link_in_chromium_warns_settles_and_reopens(link: Link, link_context, seed_server):
    """Open the link, check what it says and what the page did, then reopen the URL it settled on in a new page."""
    url = seed_server.url + (f"?{link.query_string}" if link.query_string else "")
    page, seen = _load(link_context, url)
    try:
        _check_clean(page, seen, "first load")
        warnings = page.locator(MAIN + " " + WARNING).all_inner_texts()
        assert len(warnings) == (1 if link.bad else 0), f"expected {'one warning' if link.bad else 'no warning'}, got {warnings}"
        named = named_params(warnings)
        assert named == set(link.bad), f"warning names {sorted(named)}, expected {sorted(link.bad)}: {warnings}"
        shown = caption(page)
        empty_note = bool(page.locator(MAIN + " " + INFO).filter(has_text="No events").count())
        assert empty_note == shown.startswith("0 of"), f"empty result and its note disagree: {shown}"
        if link.empty:
            assert empty_note, f"dates outside the data should match nothing: {shown}"
        settled = _settled_url(page)
        kept = {name: sorted(values) for name, values in query_of(settled).items()}
        expected = {name: sorted(values) for name, values in expected_settled(link).items()}
        assert kept == expected, f"the URL settled on {settled}, expected exactly the understood parameters {expected}"
    finally:
        page.close()

    again, seen_again = _load(link_context, settled, wait_for_map=False)
    try:
        _check_clean(again, seen_again, "second load")
        assert again.locator(MAIN + " " + WARNING).count() == 0, f"reopening {settled} warns"
        assert caption(again) == shown, f"reopening {settled} shows another view"
        assert query_of(_settled_url(again)) == query_of(settled), f"the settled URL changed on reopening: {again.url}"
    finally:
        again.close()
