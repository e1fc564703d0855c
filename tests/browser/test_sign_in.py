"""Team sign-in in a real Chromium against a real OpenID Connect provider on localhost (oidc-provider-mock).

The app is configured as a team would configure it: an `[auth]` section for Streamlit's st.login, editors named by
e-mail address and by a group claim. The shared editor password is also set, and must not be offered: with sign-in
configured, only a signed-in editor may import.
"""

from __future__ import annotations

import pytest

from tests.browser.atlas_page import EXCEPTION, MAIN, injected, wait_idle
from tests.browser.conftest import app_server, free_port, in_ci, require_chromium, watch

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

EDITOR = "ana@example.org"  # named in editor_emails
GROUP_EDITOR = "cy@example.org"  # an editor through the token's groups claim
VIEWER = "bo@example.org"  # signs in, but is nobody's editor
HOSTILE = "<img src=x onerror=alert(1)>@example.org"
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/"  # the mock's pages link a CSS file; blocked, never fetched
SIDEBAR = '[data-testid="stSidebar"]'
UPLOADER = '[data-testid="stFileUploader"]'


@pytest.fixture(scope="module")
def provider():
    """A real OIDC provider on a free localhost port, with four people to sign in as."""
    require_chromium()
    try:
        import oidc_provider_mock as mock
    except ImportError:  # requirements.txt pins it: CI must have it
        if in_ci():
            pytest.fail("oidc-provider-mock is missing: `make setup` installs it from requirements.txt", pytrace=False)
        pytest.skip("oidc-provider-mock is missing: `make setup` installs it from requirements.txt")
    people = [
        mock.User(sub=EDITOR, claims={"email": EDITOR, "email_verified": True, "name": "Ana"}),
        mock.User(sub=VIEWER, claims={"email": VIEWER, "email_verified": True, "name": "Bo"}),
        mock.User(sub=GROUP_EDITOR, claims={"email": GROUP_EDITOR, "groups": ["staff", "atlas-editors"]}),
        mock.User(sub=HOSTILE, claims={"email": HOSTILE, "name": "[click](javascript:alert(2))"}),
    ]
    with mock.run_server_in_thread(port=free_port(), user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def team_server(tmp_path_factory, provider):
    port = free_port()
    secrets = f'''editor_emails = ["{EDITOR}"]
editor_claim = "groups=atlas-editors"

[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-cookie-secret-for-this-test-only"
client_id = "claim-atlas"
client_secret = "claim-atlas-test-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
'''
    with app_server(tmp_path_factory.mktemp("sign-in"), secrets_toml=secrets, port=port, name="sign-in",
                    env={"ATLAS_EDITOR_PASSWORD": "the-shared-password"}) as server:
        yield server


@pytest.fixture
def signed_out_page(browser):
    """A fresh browser (no cookies) that never fetches the provider's CDN stylesheet."""
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    context.set_default_timeout(60_000)
    context.route(PROVIDER_STYLESHEET + "**", lambda route: route.abort())
    page = context.new_page()
    seen = watch(page)
    yield page, seen
    context.close()


def _sign_in(page, server, who: str) -> None:
    """Sign in from the sidebar as a person listed on the provider's page, and wait to be back in the app."""
    page.locator(SIDEBAR).get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=who, exact=True).click()
    page.wait_for_url(server.url + "**")
    page.locator(SIDEBAR).get_by_text("Signed in as").wait_for()
    wait_idle(page)


def _go_to_import(page, server) -> None:
    """Open the Import page afresh: a new session, which must still know who signed in (the identity cookie)."""
    page.goto(server.url + "import_data", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Import", exact=True).wait_for()
    wait_idle(page)


def _sidebar_account(page) -> str:
    return page.locator(f'{SIDEBAR} .st-key-account').inner_text()


def _assert_clean(page, seen) -> None:
    assert page.locator(EXCEPTION).count() == 0
    assert seen.page_errors == [] and seen.dialogs == []
    outside = [url for url in seen.external_requests if not url.startswith(PROVIDER_STYLESHEET)]
    assert outside == [], f"requests left localhost: {outside}"


def test_signed_out_visitor_sees_the_data_but_no_password_field_and_no_upload(team_server, signed_out_page):
    page, seen = signed_out_page
    _go_to_import(page, team_server)
    main = page.locator(MAIN).inner_text()
    assert "need an editor's sign-in" in main
    assert page.get_by_label("Editor password", exact=True).count() == 0  # sign-in replaces the shared password
    assert page.locator(UPLOADER).count() == 0
    assert "Viewing without signing in" in _sidebar_account(page)
    _assert_clean(page, seen)


def _signed_in_on_import(page, server, who: str, role: str) -> None:
    """Sign in as `who` from the Import page, check the sidebar's account line, and reopen Import in a new session
    (which must still know the person: the identity cookie)."""
    _go_to_import(page, server)
    _sign_in(page, server, who)
    assert _sidebar_account(page).startswith(f"Signed in as {who} · {role}")
    _go_to_import(page, server)


def test_editor_signs_in_through_the_provider_imports_and_signs_out(team_server, signed_out_page):
    page, seen = signed_out_page
    _signed_in_on_import(page, team_server, EDITOR, "editor")
    page.locator(UPLOADER).wait_for()  # the editor may import
    assert "not an editor" not in page.locator(MAIN).inner_text()

    page.locator(SIDEBAR).get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**")  # the app forgot the person; the provider ends its session too
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(team_server.url + "**")
    wait_idle(page)
    page.locator(SIDEBAR).get_by_role("button", name="Sign in").wait_for()
    _go_to_import(page, team_server)
    page.get_by_text("need an editor's sign-in").wait_for()
    assert page.locator(UPLOADER).count() == 0  # signed out: no longer an editor
    _assert_clean(page, seen)


@pytest.mark.parametrize(("who", "role", "may_import"), [
    (VIEWER, "viewer (not an editor)", False),  # signs in, but is nobody's editor
    (GROUP_EDITOR, "editor", True),  # an editor through the groups claim of the token
])
def test_who_signed_in_decides_whether_the_import_page_opens(team_server, signed_out_page, who, role, may_import):
    page, seen = signed_out_page
    _signed_in_on_import(page, team_server, who, role)
    if may_import:
        page.locator(UPLOADER).wait_for()
    else:
        page.get_by_text("who is not an editor here").wait_for()
        assert page.locator(UPLOADER).count() == 0
    assert page.get_by_label("Editor password", exact=True).count() == 0
    _assert_clean(page, seen)


def test_a_hostile_name_from_the_provider_is_shown_as_text(team_server, signed_out_page):
    page, seen = signed_out_page
    _signed_in_on_import(page, team_server, HOSTILE, "viewer")
    page.get_by_text("who is not an editor here").wait_for()
    assert injected(page) == []
    assert page.locator(f"{SIDEBAR} img, {MAIN} img[src='x']").count() == 0
    _assert_clean(page, seen)
