"""A hostile dataset in a real Chromium: every payload in names, summaries, claims and sources stays text.

The app serves tests/fixtures/hostile/ as its default dataset. Each payload would set window.__pwned or open
a dialog if it ever ran; the test hovers and clicks the map marks, hovers the timeline, opens events from the
claim table, reads the grids' cells, opens the sidebar's option lists and the Places and Sources pages.
"""

from __future__ import annotations


import pytest

from data.model.dataset import load_dataset
from data.views.view import ViewState
from tests.browser.atlas_page import (
    TIMELINE_MARKS,
    TIMELINE_TOOLTIP,
    timeline_mark_centres,
    EXCEPTION,
    MAIN,
    MAP_CANVAS,
    map_marks,
    artifact,
    detail_text,
    injected,
    open_app,
    poll,
    query_of,
    read_cells,
    select_row,
    wait_idle,
)
from tests.browser.conftest import HOSTILE_DIR
from tests.fixtures.hostile.build import ENTITIES, IMG, JS_LINK, MARKDOWN, SCRIPT, SVG, TEMPLATE

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

TOOLTIP = ".deck-tooltip"


@pytest.fixture(scope="module")
def hostile():
    return load_dataset(HOSTILE_DIR, dataset_id="seed")


def _mark_positions(ds) -> list[tuple[str, float, float]]:
    """Each place's mark on the page, in page pixels relative to the canvas centre."""
    return [(place_id, dx, dy) for place_id, dx, dy, _n in map_marks(ds, ViewState())]


def _assert_inert(page, seen, where: str) -> None:
    assert seen.dialogs == [], f"{where}: a dialog opened: {seen.dialogs}"
    assert page.evaluate("() => window.__pwned") is None, f"{where}: a payload ran"
    assert injected(page) == [], f"{where}: a payload became markup"
    assert page.locator(EXCEPTION).count() == 0, f"{where}: exception"
    assert seen.page_errors == [], f"{where}: {seen.page_errors}"


def test_hostile_dataset_stays_text_on_the_atlas(hostile_server, hostile, new_page):
    page, seen = new_page(fresh=False)
    open_app(page, hostile_server.url)
    poll(lambda: page.locator(TIMELINE_MARKS).count(), what="timeline points", page=page)
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(state="attached")
    wait_idle(page)
    page.screenshot(path=artifact("hostile-dataset.png"))
    _assert_inert(page, seen, "first render")

    # The map: hover every mark (plain-text tooltips), then click one (place selection).
    canvas = page.locator(MAP_CANVAS)
    box = canvas.bounding_box()
    tooltips = {}
    for place_id, dx, dy in _mark_positions(hostile):
        page.mouse.move(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
        tip = page.locator(TOOLTIP)
        try:
            poll(lambda: tip.count() and tip.first.is_visible() and tip.first.inner_text().strip(), what="tooltip",
                 page=page, timeout_s=3)
        except AssertionError:
            continue  # a mark under another mark's label: its neighbours are hovered instead
        tooltips[place_id] = tip.first.inner_text()
        assert tip.first.evaluate("el => [...el.querySelectorAll('*')].filter(e => e.tagName !== 'BR').length") == 0
    assert len(tooltips) >= len(_mark_positions(hostile)) - 1, f"too few tooltips seen: {sorted(tooltips)}"
    all_tips = "\n".join(tooltips.values())
    for payload in (JS_LINK, MARKDOWN[:30], SCRIPT, TEMPLATE[:20]):
        assert payload in all_tips, f"{payload!r} not shown as text in a tooltip"
    # the governorate named by the img payload is an area: listed under the map as a button, never drawn as a point
    areas = "\n".join(page.locator('[class*="st-key-broad_"] button').all_inner_texts())
    assert IMG[:30] in areas, f"the governorate's name is not shown as text under the map: {areas!r}"
    _assert_inert(page, seen, "hovering the map")

    place_id, dx, dy = next(mark for mark in _mark_positions(hostile) if mark[0] == "hx-city")
    page.mouse.move(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
    poll(lambda: JS_LINK in page.locator(TOOLTIP).first.inner_text(), what="the city's tooltip", page=page)
    page.mouse.down()  # deck.gl picks what is under a hovered pointer; a bare click can land before picking
    page.wait_for_timeout(80)
    page.mouse.up()
    poll(lambda: query_of(page.url).get("at") == ["hx-city"], what="at=hx-city after clicking its mark", page=page)
    wait_idle(page)
    clear = page.get_by_role("button", name="Clear place selection")
    assert JS_LINK in clear.inner_text(), "the selected place's name is not shown as text"
    _assert_inert(page, seen, "clicking a mark")
    clear.click()
    poll(lambda: "at" not in query_of(page.url), what="the place selection cleared", page=page)
    wait_idle(page)

    # The timeline: hover each mark; Vega's tooltip must hold the text, not markup.
    hovered = []
    for x, y in timeline_mark_centres(page):
        page.mouse.move(x, y)
        tip = page.locator(TIMELINE_TOOLTIP)
        try:
            text = poll(lambda: tip.count() and tip.first.is_visible() and tip.first.text_content(), what="tooltip", page=page, timeout_s=3)
        except AssertionError:
            continue
        hovered.append(text)
        assert tip.locator("a, img, script, svg, iframe, b, strong").count() == 0, tip.first.inner_html()
    assert hovered, "no timeline tooltip appeared"
    assert any("<script>" in text or "<img" in text or "<svg" in text for text in hovered), hovered
    _assert_inert(page, seen, "hovering the timeline")

    # The claim table: open events from rows; the detail panel shows the payloads as text.
    for row in range(4):
        select_row(page, row)
        poll(lambda: query_of(page.url).get("ev"), what=f"an event opened from row {row}", page=page)
        wait_idle(page)
        detail = poll(lambda: detail_text(page), what="the event detail", page=page)
        event_id = query_of(page.url)["ev"][0]
        assert "at" not in query_of(page.url), "the cleared place selection came back with a row click"
        summary = hostile.events.set_index("event_id").loc[event_id, "summary"]
        assert summary[:60] in detail, f"the summary of {event_id} is not shown as text"
        _assert_inert(page, seen, f"event from row {row}")
    page.screenshot(path=artifact("hostile-event-detail.png"))

    # Grid cells read back through the grid's own overlay hold the raw text.
    cells = read_cells(page, 0, grid_index=-1, max_cells=9)
    joined = "\n".join(cells)
    assert any(p in joined for p in (SCRIPT, IMG, JS_LINK, SVG, ENTITIES[:20], MARKDOWN[:20])), cells
    _assert_inert(page, seen, "reading the claim table's cells")

    # Sidebar option lists show names as text.
    for label in ("Actor", "Place", "Outlet", "Source report"):
        field = page.locator('[data-testid="stSidebar"]').get_by_label(label, exact=True)
        field.click()
        options = poll(lambda: page.locator('[role="option"]').all_inner_texts(), what=f"{label} options", page=page)
        assert any("<" in text or "[" in text or "&" in text or "*" in text for text in options), options
        _assert_inert(page, seen, f"the {label} options")
        page.keyboard.press("Escape")
    assert seen.console_errors == [], seen.console_errors


@pytest.mark.parametrize(("title", "table_key", "link_prefix"), [("Places", "places", "Show events in"),
                                                                  ("Sources", "sources", "Show the claims of")])
def test_hostile_dataset_stays_text_on_places_and_sources(hostile_server, new_page, title, table_key, link_prefix):
    page, seen = new_page(fresh=False)
    open_app(page, hostile_server.url, wait_for_map=False)
    page.locator('[data-testid="stSidebarNav"], [data-testid="stSidebar"]').get_by_role("link", name=title).click()
    poll(lambda: page.locator(MAIN + " h1").inner_text() == title, what=f"the {title} page", page=page)
    page.locator(MAIN + ' [data-testid="stDataFrame"] canvas').first.wait_for(state="attached")
    wait_idle(page)
    _assert_inert(page, seen, f"{title} page")
    cells = read_cells(page, 0, grid_index=0, max_cells=8)
    assert any(p in "\n".join(cells) for p in (SCRIPT, IMG, JS_LINK, SVG, ENTITIES[:20], MARKDOWN[:20])), cells
    for row in range(3):
        select_row(page, row, grid_index=0)
        link = page.get_by_role("link", name=link_prefix)
        poll(lambda: link.count(), what=f"the link of row {row}", page=page)
        wait_idle(page)
        _assert_inert(page, seen, f"{title} row {row}")
        assert any(ch in link.inner_text() for ch in "<[&*{"), link.inner_text()
    page.screenshot(path=artifact(f"hostile-{table_key}.png"))
    assert seen.console_errors == [], seen.console_errors

