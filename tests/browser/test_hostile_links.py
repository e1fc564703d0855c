"""Hostile links in a real Chromium: each degrades to a warning, never an exception, and nothing in it becomes markup."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest

from tests.browser.atlas_page import ALERT, EXCEPTION, MAIN, artifact, injected, open_app, script_state

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

NOT_UNDERSTOOD = "Some link parameters were not understood"
NO_EVENTS = "No events match these filters"
LONG = "A" * 10_000

# (test id, query string, text the alerts must contain, literal text the page must show as text)
HOSTILE_LINKS = [
    ("script-in-search", urlencode({"q": "<script>window.__pwned=1</script>"}), NO_EVENTS, "<script>window.__pwned=1</script>"),
    ("img-onerror-in-search", urlencode({"q": '<img src=x onerror="window.__pwned=1">'}), NO_EVENTS, "<img src=x"),
    ("javascript-in-at", urlencode({"at": "javascript:alert(1)"}), "`at` names no known place id", "javascript:alert(1)"),
    ("javascript-in-ev", urlencode({"ev": "javascript:window.__pwned=1//"}), "`ev` names no known event id", "javascript:window.__pwned=1//"),
    ("unknown-event-id", urlencode({"ev": "no-such-event"}), "`ev` names no known event id", "no-such-event"),
    ("unknown-place-and-actor", urlencode({"place": "atlantis", "actor": "nobody"}), "`place` has unknown place id", "atlantis"),
    ("from-after-to", urlencode({"from": "2016-09-01", "to": "2016-08-01"}), "must not be after `to`", "2016-09-01"),
    ("huge-date", urlencode({"from": "99999-01-01", "to": "2016-13-45"}), "`from` must be a date like", "99999-01-01"),
    ("ten-thousand-char-search", urlencode({"q": LONG}), "is 10000 characters long", "`q`"),
    ("repeated-keys", "ev=a&ev=b&status=contested&status=%3Cb%3Ebold%3C%2Fb%3E", "`ev` is given 2 different values", "<b>bold</b>"),
    ("sixty-repeated-values", "&".join(["actor=x"] * 60), "repeated 60 times", "`actor`"),
    ("markdown-link-in-place", urlencode({"place": "[click](javascript:alert(1))"}), "`place` has unknown place id", "[click](javascript:alert(1))"),
    ("markdown-directives-in-type", urlencode({"type": ":red[x] **bold** $x$"}), "`type` has unknown event type", ":red[x] **bold** $x$"),
    ("markdown-heading-in-outlet", urlencode({"outlet": "# heading"}), "`outlet` has unknown outlet", "# heading"),
    ("html-entities", urlencode({"side": "&lt;script&gt;&amp;"}), "`side` has unknown side", "&lt;script&gt;&amp;"),
    ("control-characters-in-search", "q=" + quote("abc\x00\x1b[31m"), "contains control characters", "`q`"),
    # the override is named, not obeyed: a warning must not read differently from what arrived
    ("bidi-override-in-side", urlencode({"side": "\u202egovernment"}), "`side` has unknown side", "<U+202E>government"),
    ("unknown-parameter-with-markup", quote("<svg onload=alert(1)>") + "=1", "is not a parameter of this page", "<svg onload=alert(1)>"),
    ("path-in-dataset", urlencode({"ds": "../../etc/passwd"}), "`ds` has unknown dataset id", "../../etc/passwd"),
]

@pytest.fixture(scope="module")
def hostile_page(warm_context, seed_server):
    """One page of the session's warm context for the whole table: each link is a full page load, so a new session."""
    from tests.browser.conftest import watch

    page = warm_context.new_page()
    seen = watch(page)
    yield page, seen
    page.close()


@pytest.mark.parametrize(("query", "alert_text", "literal"), [case[1:] for case in HOSTILE_LINKS],
                         ids=[case[0] for case in HOSTILE_LINKS])
def test_hostile_link_warns_and_renders_nothing(hostile_page, seed_server, query, alert_text, literal, request):
    page, seen = hostile_page
    seen.dialogs.clear(), seen.page_errors.clear(), seen.console_errors.clear()
    open_app(page, f"{seed_server.url}?{query}", wait_for_map=False)
    alerts = page.locator(MAIN + " " + ALERT)
    if not alerts.count():
        page.screenshot(path=artifact(f"no-alert-{request.node.callspec.id}.png"))
    assert alerts.count() >= 1, f"no warning for a hostile link (script {script_state(page)}, url {page.url})"
    alert_texts = " ".join(alerts.all_inner_texts())
    assert alert_text in alert_texts
    assert page.locator(EXCEPTION).count() == 0
    assert injected(page) == []
    shown = page.locator(MAIN).inner_text()
    assert literal in shown, f"{literal!r} should be shown as plain text"
    assert "\u202e" not in shown, "a right-to-left override reached the page"
    assert seen.dialogs == [] and seen.page_errors == []
    if request.node.callspec.id == "markdown-directives-in-type":
        page.screenshot(path=artifact("hostile-link.png"))
