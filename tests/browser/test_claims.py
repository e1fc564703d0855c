"""Weighing claims in Chromium: the event detail says why its status and shows the figures with who said each, and
the new filters (one party only, claim origin) work from the sidebar and land in the link."""

from __future__ import annotations

import pytest

from data.model.dataset import load_dataset
from data.views.filters import filter_dataset
from data.views.view import ViewState
from tests.browser.atlas_page import EXCEPTION, caption, choose, detail_text, open_app, poll, query_of, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
SIEGE = "2016-08-06-aleppo-siege-broken"


@pytest.fixture(scope="module")
def seed_data():
    return load_dataset()


def _count(text: str) -> int:
    return int(text.split(" of ")[0].replace(",", ""))


def test_detail_shows_the_status_reason_and_the_number_range(seed_server, new_page):
    page, seen = new_page()
    open_app(page, f"{seed_server.url}?ev={SIEGE}")
    text = poll(lambda: detail_text(page), what="the event detail panel", page=page)
    assert "Why: contested: Syrian rebels (unspecified factions)" in text
    assert "deny it." in text
    assert "Fatalities: at least 300 (from its claims)" in text
    assert "militants killed: at least 300 · 300 (more than): Syrian Arab Army (via Syrian state media, Reuters) (denies)" in text
    assert page.locator(EXCEPTION).count() == 0
    assert seen.page_errors == [] and seen.console_errors == []


def test_hiding_what_one_party_says_and_picking_an_origin(seed_server, seed_data, new_page):
    page, seen = new_page()
    open_app(page, seed_server.url)
    everything = _count(caption(page))
    page.locator('[data-testid="stSidebar"]').get_by_text("Hide what only one party says", exact=True).click()
    poll(lambda: query_of(page.url).get("multi") == ["1"], what="multi=1 in the URL", page=page)
    wait_idle(page)
    expected = filter_dataset(seed_data, ViewState(several_voices=True)).n_events
    shown = poll(lambda: caption(page) if "only what more than one voice says" in caption(page) else None,
                 what="the caption of the filtered view", page=page)
    assert _count(shown) == expected < everything
    choose(page, "Claim origin", "Reuters", param="origin", value="Reuters")
    expected = filter_dataset(seed_data, ViewState(several_voices=True, origins=("Reuters",))).n_events
    shown = poll(lambda: caption(page) if "claims from Reuters" in caption(page) else None, what="the origin in the caption", page=page)
    assert _count(shown) == expected > 0
    assert query_of(page.url) == {"multi": ["1"], "origin": ["Reuters"]}
    assert page.locator(EXCEPTION).count() == 0
    assert seen.page_errors == [] and seen.console_errors == []
