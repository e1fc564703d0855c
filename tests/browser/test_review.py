"""The Review page in a real Chromium, as an analyst uses it: unlock, paste or upload a report, read the candidates and
their confidence, raise the threshold, reject a candidate, save, and open what was saved on the map.

Every report here is invented for the tests (our own words). The pasted one carries markup, a script, a JavaScript
link and markdown that must stay text wherever the page shows the article, its evidence or its candidates.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.atlas_page import EXCEPTION, HEADER_PX, MAIN, ROW_PX, artifact, grid_box, injected, open_app, poll, wait_idle
from tests.browser.conftest import ROOT, app_server, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PASSWORD = "review-Editor-pass"
PAYLOAD = ('<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> '
           "[open](javascript:window.__pwned=3) **loud** $x^2$")
HOSTILE_REPORT = (
    "Shelling on Sukkari\n\n"
    "Government forces shelled the Sukkari district of Aleppo on Monday, 8 August 2016, killing more than 20 people "
    f"({PAYLOAD}), a monitor said.\n\n"
    "Rebels captured the Ramouseh artillery college on Saturday, the Jaish al-Fath alliance said in a statement.\n\n"
    "State media denied the claim and said the army had killed more than 300 militants in the assault on Ramouseh.\n\n"
    "Air strikes hit the town of Atareb west of Aleppo on Sunday, killing at least 12 civilians, rescue workers said.\n"
)
EXPANDER_RE = re.compile(r"Article 1: (\d+) events?, (\d+) claims?")
HIDDEN_RE = re.compile(r"(\d+) events? and (\d+) claims? below confidence ([\d.]+) are hidden")
SAVED_RE = re.compile(r"Saved (\d+) events? and (\d+) claims? as dataset ([\w-]+)\.")
CAPTION_RE = re.compile(r"([\d,]+) of ([\d,]+) events, ([\d,]+) claims")
ACCEPT_CENTRE_PX = 41  # half the accept column's width
SERVER_PATHS = (str(ROOT), "Traceback", 'File "/')


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    require_chromium()
    with app_server(tmp_path_factory.mktemp("review-server"), env={"ATLAS_EDITOR_PASSWORD": PASSWORD}, name="review") as server:
        yield server


def open_review(page, server) -> None:
    """Open the Review page's address (a bookmark) and unlock it with the editor password."""
    page.goto(server.url + "review", wait_until="domcontentloaded")
    page.get_by_label("Editor password", exact=True).wait_for()
    wait_idle(page)
    page.get_by_label("Editor password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    page.get_by_label("Paste an article (plain text)").wait_for()
    wait_idle(page)


def main_text(page) -> str:
    return page.locator(MAIN).inner_text()


def expander_counts(page) -> tuple[int, int]:
    found = poll(lambda: EXPANDER_RE.search(main_text(page)), what="the article's candidate counts", page=page)
    return int(found.group(1)), int(found.group(2))


def extract_candidates(page) -> tuple[int, int]:
    page.get_by_role("button", name="Extract candidates").click()
    counts = expander_counts(page)
    wait_idle(page)
    return counts


def assert_clean(page, seen) -> None:
    """No traceback or server path on the page, nothing rendered from the payload, nothing fetched off localhost."""
    text = main_text(page)
    assert page.locator(EXCEPTION).count() == 0
    assert not [marker for marker in SERVER_PATHS if marker in text]
    assert injected(page) == []
    assert seen.dialogs == [] and seen.page_errors == []
    assert seen.external_requests == []


def raise_threshold(page, steps: int) -> None:
    """Move the confidence slider up with the keyboard, as a keyboard user would (one step is 0.05)."""
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="confidence").get_by_role("slider")
    thumb.focus()
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    wait_idle(page, settle_ms=600)


def untick_first_row(page, *, grid_index: int) -> None:
    """Click the accept box of a table's first row (the accept column comes first; its box sits in the cell's middle)."""
    box = grid_box(page, grid_index)
    page.mouse.click(box["x"] + ACCEPT_CENTRE_PX, box["y"] + HEADER_PX + ROW_PX / 2)
    wait_idle(page)


def test_an_analyst_reviews_a_pasted_report_and_opens_what_was_saved(review_server, new_page):
    page, seen = new_page()
    open_review(page, review_server)
    assert "Paste or upload an article to start." in main_text(page)
    page.get_by_label("Paste an article (plain text)").fill(HOSTILE_REPORT)
    events_shown, claims_shown = extract_candidates(page)
    assert events_shown >= 3 and claims_shown >= 3
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="confidence")
    assert "0.50" in slider.inner_text()

    # The article is shown as text: the payload's characters are there, as characters.
    article_box = page.get_by_label("Article text (read only)")
    assert PAYLOAD in article_box.input_value()
    assert_clean(page, seen)

    # Candidates in the article's order; the first one's evidence is the hostile sentence, shown as code text.
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Order").click()
    page.get_by_role("option", name="as they appear in the article").click()
    wait_idle(page)
    evidence = page.locator(MAIN + ' [data-testid="stCode"]').last
    poll(lambda: "Sukkari" in evidence.inner_text(), what="the first candidate's evidence", page=page)
    assert PAYLOAD in evidence.inner_text()  # the evidence holds the payload, as characters
    assert "rule " in main_text(page) and "confidence 0." in main_text(page)
    page.screenshot(path=str(artifact("review-candidates.png")))

    # A stricter threshold hides candidates, says so, and the counts follow.
    raise_threshold(page, 6)  # 0.50 -> 0.80
    hidden = poll(lambda: HIDDEN_RE.search(main_text(page)), what="the hidden-candidates caption", page=page)
    events_now, claims_now = expander_counts(page)
    assert hidden.group(3) == "0.80"
    assert int(hidden.group(2)) >= 1 and claims_now < claims_shown and events_now <= events_shown
    assert events_now >= 2, "the report keeps two events above 0.80: one to reject, one to save"

    # Reject the first event shown (untick its accept box), then save.
    untick_first_row(page, grid_index=0)
    page.get_by_role("button", name="Save accepted").click()
    saved = poll(lambda: SAVED_RE.search(main_text(page)), what="the saved message", page=page, timeout_s=60)
    saved_events, saved_claims, dataset_id = int(saved.group(1)), int(saved.group(2)), saved.group(3)
    assert saved_events == events_now - 1, "the rejected event is not saved"
    assert saved_claims == claims_now, "hidden claims are not saved (the shown ones are all ticked)"
    assert_clean(page, seen)
    page.screenshot(path=str(artifact("review-saved.png")))

    # What was saved opens on the map, with the same counts.
    open_app(page, f"{review_server.url}?ds={dataset_id}")
    caption = poll(lambda: CAPTION_RE.search(main_text(page)), what="the Atlas caption", page=page)
    assert int(caption.group(2)) == saved_events
    assert_clean(page, seen)


def test_uploaded_reports_are_read_and_a_file_that_is_not_text_is_named_and_skipped(review_server, new_page, tmp_path):
    page, seen = new_page()
    open_review(page, review_server)
    report = ROOT / "tests" / "extract" / "devset" / "23-longform-october.txt"
    not_text = tmp_path / "scan.txt"
    not_text.write_bytes(b"\xff\xfe\x00<b>binary\x00\x81")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(report), str(not_text)])
    poll(lambda: "scan.txt" in main_text(page), what="the uploaded files listed", page=page)
    events_shown, claims_shown = extract_candidates(page)
    assert events_shown >= 3 and claims_shown >= 3
    text = main_text(page)
    assert "Skipped a file that is not UTF-8 text: 'scan.txt'" in text
    assert "File: 23-longform-october.txt" in text
    assert "Article 2" not in text
    assert_clean(page, seen)


def test_saving_with_nothing_accepted_says_so_and_stores_nothing(review_server, new_page):
    page, seen = new_page()
    open_review(page, review_server)
    page.get_by_label("Paste an article (plain text)").fill("The weather in the capital was mild on Tuesday.")
    page.get_by_role("button", name="Extract candidates").click()
    poll(lambda: "Article 1: 0 events" in main_text(page), what="an article with no candidates", page=page)
    wait_idle(page)
    page.get_by_role("button", name="Save accepted").click()
    poll(lambda: "Nothing accepted to save." in main_text(page), what="the nothing-to-save warning", page=page)
    assert "Saved " not in main_text(page)
    assert_clean(page, seen)
