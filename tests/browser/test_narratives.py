"""Narratives in Chromium: step through the seed narrative by buttons, arrow keys and links; a step's link opens the
same step in a fresh browser; an editor adds the Atlas's view as a step, moves it and deletes it; hostile text stays text."""

from __future__ import annotations

import re

import pytest

from tests.browser.atlas_page import (
    EXCEPTION, MAIN, MAP_CANVAS, artifact, caption, injected, open_app, poll, query_of, wait_idle,
)
from tests.browser.conftest import app_server, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

STORY = "aleppo-2014-2016"
PASSWORD = "narrative-Editor-pw"
HOSTILE_TITLE = "<img src=x onerror=window.__pwned=1> **bold** [x](javascript:alert(1))"
SIDEBAR = '[data-testid="stSidebar"]'


def step_title(page) -> str:
    return page.locator(MAIN + " h3").first.inner_text().strip()


def progress(page) -> str:
    return poll(lambda: next((t for t in page.locator(MAIN + ' [data-testid="stProgress"]').all_inner_texts() if "Step" in t), None),
                what="the step progress", page=page)


def showing(page) -> str:
    """The step's view in words ('Showing: 6 Aug 2016 to ...') and its text, as the reader sees them."""
    return poll(lambda: next((t for t in page.locator(MAIN + ' [data-testid="stCaptionContainer"]').all_inner_texts()
                              if t.startswith("Showing:")), None), what="the 'Showing:' caption", page=page)


def at_step(page, number: int, title_start: str) -> None:
    poll(lambda: query_of(page.url).get("step") == [str(number)], what=f"step={number} in the URL", page=page)
    wait_idle(page)
    poll(lambda: step_title(page).startswith(title_start), what=f"step {number}'s title {title_start!r}", page=page)
    assert progress(page).startswith(f"Step {number} of ")


def real_errors(seen) -> list[str]:
    """Console errors, less Streamlit's own probe of `<page>/_stcore/...` when a page's URL is opened directly (a 404)."""
    return [e for e in seen.console_errors if "/_stcore/" not in e]


def test_the_seed_narrative_steps_by_buttons_keys_and_links_and_a_step_link_opens_the_same_step(seed_server, new_page):
    page, seen = new_page()
    open_app(page, seed_server.url + f"narratives?story={STORY}&step=1")
    at_step(page, 1, "A prison held under siege")
    assert "Step 1 of 9" in progress(page)

    page.get_by_role("button", name=re.compile("^Next")).click()
    at_step(page, 2, "22 May 2014")
    page.locator(MAIN + " h1").click()  # focus on the page, not a field: the arrow keys belong to the narrative
    page.keyboard.press("ArrowRight")
    at_step(page, 3, "February 2016")
    page.keyboard.press("ArrowLeft")
    at_step(page, 2, "22 May 2014")
    page.get_by_role("button", name=re.compile("^Previous")).click()
    at_step(page, 1, "A prison held under siege")
    assert page.get_by_role("button", name=re.compile("^Previous")).is_disabled()

    page.locator(SIDEBAR).get_by_role("link", name=re.compile(r"^7\. 6 August 2016")).click()
    at_step(page, 7, "6 August 2016: a breach, and a denial")
    page.locator(MAP_CANVAS).wait_for(state="attached")
    shown, text = showing(page), page.locator(MAIN).inner_text()
    assert "contested only" in shown and "selected place: Ramouseh" in shown
    page.go_back()
    at_step(page, 1, "A prison held under siege")
    page.go_forward()
    at_step(page, 7, "6 August 2016")

    page.get_by_role("button", name=re.compile("Link to this step")).click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first
    link = poll(lambda: code.inner_text().strip(), what="the step link", page=page)
    page.keyboard.press("Escape")
    assert link == seed_server.url + f"narratives?story={STORY}&step=7"

    fresh, fresh_seen = new_page()  # a colleague's browser: no cookies, no session
    open_app(fresh, link)
    at_step(fresh, 7, "6 August 2016: a breach, and a denial")
    assert showing(fresh) == shown
    assert "This is the seed's most contested event" in fresh.locator(MAIN).inner_text()
    for line in ("compare the assertions with the denials in the table", "What this step rests on"):
        assert line in text and line in fresh.locator(MAIN).inner_text()
    fresh.screenshot(path=str(artifact("narrative-step-7.png")))

    fresh.get_by_role("link", name="Explore from here").click()
    poll(lambda: "/narratives" not in fresh.url, what="the Atlas page", page=fresh)
    wait_idle(fresh)
    asked = query_of(fresh.url)
    assert asked["ev"] == ["2016-08-06-aleppo-siege-broken"] and asked["status"] == ["contested"] and asked["at"] == ["aleppo-ramouseh"]
    assert caption(fresh).startswith("1 of ")

    for watched in (seen, fresh_seen):
        assert watched.page_errors == [] and real_errors(watched) == [] and watched.external_requests == []
        assert watched.dialogs == []
    assert page.locator(EXCEPTION).count() == 0 and fresh.locator(EXCEPTION).count() == 0


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    require_chromium()
    with app_server(tmp_path_factory.mktemp("narrative-editor"), env={"ATLAS_EDITOR_PASSWORD": PASSWORD}, name="narrative-editor") as server:
        yield server


def test_an_editor_adds_the_atlas_view_as_a_step_moves_it_and_deletes_it(editor_server, new_page):
    page, seen = new_page()
    open_app(page, editor_server.url + f"narratives?story={STORY}&step=9")
    at_step(page, 9, "Early October 2016")
    assert page.get_by_role("button", name="Delete step").count() == 0  # a reader cannot edit
    page.get_by_text("Edit this narrative (editors)").click()
    page.get_by_label("Editor password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("button", name="Delete step").wait_for()
    wait_idle(page)
    page.get_by_label("Step text", exact=True).click()  # arrow keys in a field move the caret, not the narrative
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert query_of(page.url)["step"] == ["9"]

    page.get_by_role("link", name="Explore from here").click()  # the Atlas on step 9's view
    poll(lambda: "/narratives" not in page.url, what="the Atlas page", page=page)
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Add this view as a step")).click()
    body = page.locator('[data-testid="stPopoverBody"]')
    body.get_by_label("Step title", exact=True).fill(HOSTILE_TITLE)
    body.get_by_label("Step text (your own words)", exact=True).fill("Our words: <script>window.__pwned=2</script>")
    body.get_by_role("button", name="Add step").click()
    poll(lambda: "/narratives" in page.url, what="the narrative page again", page=page)
    at_step(page, 10, "<img src=x")
    assert progress(page).startswith("Step 10 of 10")
    assert step_title(page) == HOSTILE_TITLE  # shown exactly as typed: text, never markup
    assert "<script>window.__pwned=2</script>" in page.locator(MAIN).inner_text()
    assert injected(page) == []
    assert query_of(page.url) == {"story": [STORY], "step": ["10"]}

    page.get_by_role("button", name="Move earlier").click()
    at_step(page, 9, "<img src=x")
    assert progress(page).startswith("Step 9 of 10")
    page.locator(SIDEBAR).get_by_role("link", name=re.compile(r"^10\. Early October 2016")).wait_for()

    page.get_by_role("button", name="Delete step").click()
    at_step(page, 9, "Early October 2016")
    assert progress(page).startswith("Step 9 of 9")
    assert HOSTILE_TITLE not in page.locator(SIDEBAR).inner_text()

    reader, reader_seen = new_page()  # the saved narrative, as a reader opens it
    open_app(reader, editor_server.url + f"narratives?story={STORY}&step=9")
    at_step(reader, 9, "Early October 2016")
    assert reader.get_by_role("button", name="Delete step").count() == 0
    for watched in (seen, reader_seen):
        assert watched.page_errors == [] and real_errors(watched) == [] and watched.dialogs == []
