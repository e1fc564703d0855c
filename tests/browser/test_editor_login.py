"""The editor login in a real Chromium: the password field is cleared after each try and never reaches the URL or the page."""

from __future__ import annotations

import pytest

from tests.browser.atlas_page import EXCEPTION, MAIN, poll, wait_idle
from tests.browser.conftest import app_server, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PASSWORD = "Edit0r-only-pässword"


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    require_chromium()
    with app_server(tmp_path_factory.mktemp("editor-server"), env={"ATLAS_EDITOR_PASSWORD": PASSWORD}, name="editor") as server:
        yield server


def _try(page, password: str) -> None:
    field = page.get_by_label("Editor password", exact=True)
    field.fill(password)
    page.get_by_role("button", name="Unlock").click()


def test_editor_login_clears_the_field_and_keeps_the_password_out_of_url_and_page(editor_server, new_page):
    page, seen = new_page()
    page.goto(editor_server.url, wait_until="domcontentloaded")
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Import").click()
    page.get_by_label("Editor password", exact=True).wait_for()
    wait_idle(page)
    assert page.get_by_label("Editor password", exact=True).get_attribute("type") == "password"

    _try(page, PASSWORD[:-1])
    poll(lambda: "Wrong password." in page.locator(MAIN).inner_text(), what="the wrong-password error", page=page)
    wait_idle(page)
    assert page.get_by_label("Editor password", exact=True).input_value() == ""  # clear_on_submit, in the browser
    assert page.locator('[data-testid="stFileUploader"]').count() == 0

    _try(page, PASSWORD)
    page.locator('[data-testid="stFileUploader"]').wait_for()
    wait_idle(page)
    assert page.get_by_label("Editor password", exact=True).count() == 0
    html = page.content()
    for secret in (PASSWORD, PASSWORD[:-1]):
        assert secret not in page.url and secret not in html
        assert all(secret not in request for request in seen.requests)
    assert page.locator(EXCEPTION).count() == 0
    assert seen.page_errors == [] and seen.console_errors == []
