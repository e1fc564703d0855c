"""Who may do what: the password rules of pages/ui/access.py, and the viewer and editor gates as the pages draw them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.ui.access import (
    ENV_NAMES,
    HOW_TO_ENABLE_EDITING,
    SECRET_NAMES,
    configured_password,
    editor_rule,
    is_correct_password,
    sign_in_configured,
)
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
IMPORT_PAGE = "pages/import_data.py"
EDITOR_PASSWORD = "c0rrect-h0rse-bätt€ry"
VIEWER_PASSWORD = "v1ewer-only-7"


# ---- pages/ui/access.py --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "secrets", "environ", "expected"),
    [
        ("editor", {}, {}, None),
        ("editor", {"editor_password": "from-secrets"}, {}, "from-secrets"),
        ("editor", {}, {"ATLAS_EDITOR_PASSWORD": "from-env"}, "from-env"),
        ("editor", {"editor_password": "from-secrets"}, {"ATLAS_EDITOR_PASSWORD": "from-env"}, "from-env"),
        ("editor", {"editor_password": "from-secrets"}, {"ATLAS_EDITOR_PASSWORD": ""}, "from-secrets"),  # blank env is unset
        ("editor", {"editor_password": ""}, {}, None),  # a blank password never turns editing on
        ("editor", {"editor_password": 12345}, {}, "12345"),  # TOML numbers become strings
        ("editor", {"viewer_password": "v"}, {"ATLAS_VIEWER_PASSWORD": "v"}, None),  # roles do not leak into each other
        ("viewer", {"viewer_password": "v"}, {}, "v"),
        ("viewer", {"editor_password": "e"}, {"ATLAS_EDITOR_PASSWORD": "e"}, None),
        ("viewer", None, {}, None),
    ],
)
def test_configured_password(role, secrets, environ, expected):
    assert configured_password(role, secrets, environ) == expected


def test_configured_password_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "env-default")
    assert configured_password("editor", {}) == "env-default"
    monkeypatch.delenv("ATLAS_EDITOR_PASSWORD")
    assert configured_password("editor", {}) is None


@pytest.mark.parametrize("role", ["admin", "", "Editor", None])
def test_unknown_roles_are_refused(role):
    with pytest.raises(ValueError, match="role must be one of"):
        configured_password(role, {}, {})


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("s3cret", "s3cret", True),
        (EDITOR_PASSWORD, EDITOR_PASSWORD, True),  # non-ASCII compares as UTF-8 bytes
        ("s3cret", "s3cre", False),  # a prefix is not enough
        ("s3cre", "s3cret", False),
        ("S3CRET", "s3cret", False),  # case matters
        ("s3cret ", "s3cret", False),  # so does whitespace
        ("", "s3cret", False),
        (None, "s3cret", False),
        ("", "", False),  # no password configured never matches, even an empty answer
        ("anything", None, False),
        (None, None, False),
    ],
)
def test_is_correct_password(given, expected, ok):
    assert is_correct_password(given, expected) is ok


def test_how_to_enable_editing_names_both_ways():
    assert SECRET_NAMES["editor"] in HOW_TO_ENABLE_EDITING and ENV_NAMES["editor"] in HOW_TO_ENABLE_EDITING
    assert ".streamlit/secrets.toml" in HOW_TO_ENABLE_EDITING


def test_access_is_pure_python():
    """The core module must not import Streamlit (pages do the drawing)."""
    code = "import sys, pages.ui.access; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---- the gates, through the app (AppTest) ---------------------------------------------------------------------------


@pytest.fixture
def no_passwords(tmp_path, monkeypatch):
    """An app with its own empty store and no passwords from the environment."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "atlas-data"))
    monkeypatch.delenv("ATLAS_VIEWER_PASSWORD", raising=False)
    monkeypatch.delenv("ATLAS_EDITOR_PASSWORD", raising=False)
    return monkeypatch


def _app(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at


def _import_page(secrets: dict | None = None) -> AppTest:
    at = _app(secrets).run()
    assert not at.exception
    return at.switch_page(IMPORT_PAGE).run()


def _rendered(at: AppTest) -> str:
    """Every string the page sent to the browser (element protos, widget values and labels included)."""
    texts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(texts)


def _import_controls(at: AppTest) -> bool:
    return bool(at.get("file_uploader")) and any(s.key == "import_format" for s in at.selectbox)


def _submit_editor_password(at: AppTest, password: str) -> AppTest:
    at.text_input(key="editor_login_password").input(password)
    return at.button[[b.label for b in at.button].index("Unlock")].click().run()


def test_without_an_editor_password_editing_is_off_and_the_page_says_how_to_turn_it_on(no_passwords):
    at = _import_page()
    assert not at.exception
    assert [info.value for info in at.info] == [HOW_TO_ENABLE_EDITING]
    assert not _import_controls(at)
    assert all(t.key != "editor_login_password" for t in at.text_input)  # no prompt that could never succeed


def test_with_an_editor_password_the_page_asks_for_it(no_passwords):
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = _import_page()
    assert not at.exception
    field = at.text_input(key="editor_login_password")
    assert field.label == "Editor password" and field.proto.type == field.proto.PASSWORD
    assert not _import_controls(at)
    assert any("editor password" in c.value for c in at.caption)


@pytest.mark.parametrize("wrong", ["", "c0rrect-h0rse", EDITOR_PASSWORD.upper(), EDITOR_PASSWORD + " ", "' OR '1'='1"])
def test_a_wrong_editor_password_keeps_the_page_locked(no_passwords, wrong):
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = _submit_editor_password(_import_page(), wrong)
    assert not at.exception
    assert [e.value for e in at.error] == ["Wrong password."]
    assert not _import_controls(at)
    assert "_access_editor" not in at.session_state or not at.session_state["_access_editor"]
    assert EDITOR_PASSWORD not in _rendered(at)
    # (the form's clear_on_submit runs in the browser, which AppTest does not simulate: tests/browser checks it)


def test_the_right_editor_password_opens_an_editor_session(no_passwords):
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = _submit_editor_password(_import_page(), EDITOR_PASSWORD)
    assert not at.exception
    assert not at.error
    assert _import_controls(at)
    assert at.session_state["_access_editor"] is True
    assert EDITOR_PASSWORD not in _rendered(at)
    assert all(EDITOR_PASSWORD not in str(values) for values in at.query_params.values())
    assert EDITOR_PASSWORD not in str(dict(at.query_params))
    # the session stays unlocked on the next run without asking again
    at.run()
    assert _import_controls(at)
    assert all(t.key != "editor_login_password" for t in at.text_input)


def test_the_editor_password_can_come_from_secrets_and_the_environment_wins(no_passwords):
    at = _submit_editor_password(_import_page({"editor_password": "from-secrets"}), "from-secrets")
    assert _import_controls(at)
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = _submit_editor_password(_import_page({"editor_password": "from-secrets"}), "from-secrets")
    assert [e.value for e in at.error] == ["Wrong password."] and not _import_controls(at)


def test_an_unlocked_session_is_locked_again_when_the_password_is_removed(no_passwords):
    """is_editor() needs both the session flag and a configured password: removing it turns editing off."""
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = _submit_editor_password(_import_page(), EDITOR_PASSWORD)
    assert _import_controls(at)
    no_passwords.delenv("ATLAS_EDITOR_PASSWORD")
    at.run()
    assert not _import_controls(at)
    assert [info.value for info in at.info] == [HOW_TO_ENABLE_EDITING]


def test_a_viewer_password_closes_the_whole_app_until_given(no_passwords):
    no_passwords.setenv("ATLAS_VIEWER_PASSWORD", VIEWER_PASSWORD)
    at = _app()
    at.query_params["status"] = "contested"
    at.run()
    assert not at.exception
    assert not at.title and not at.get("deck_gl_json_chart")
    at.text_input(key="viewer_login_password").input("nope")
    at = at.button[[b.label for b in at.button].index("Unlock")].click().run()
    assert [e.value for e in at.error] == ["Wrong password."] and not at.title
    at.text_input(key="viewer_login_password").input(VIEWER_PASSWORD)
    at = at.button[[b.label for b in at.button].index("Unlock")].click().run()
    assert not at.exception and at.title[0].value == "Claim Atlas"
    assert at.multiselect(key="status").value == ["contested"]  # the shared link survives the login
    assert VIEWER_PASSWORD not in _rendered(at) and VIEWER_PASSWORD not in str(dict(at.query_params))


def test_a_viewer_cannot_edit_and_an_editor_password_does_not_open_the_viewer_gate(no_passwords):
    no_passwords.setenv("ATLAS_VIEWER_PASSWORD", VIEWER_PASSWORD)
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = _app().run()
    at.text_input(key="viewer_login_password").input(EDITOR_PASSWORD)
    at = at.button[[b.label for b in at.button].index("Unlock")].click().run()
    assert [e.value for e in at.error] == ["Wrong password."] and not at.title
    at.text_input(key="viewer_login_password").input(VIEWER_PASSWORD)
    at = at.button[[b.label for b in at.button].index("Unlock")].click().run()
    at = at.switch_page(IMPORT_PAGE).run()
    assert not at.exception and not _import_controls(at)
    assert at.text_input(key="editor_login_password")  # a viewer is asked for the editor password


# ---- team sign-in (OpenID Connect): the rules, and the signed-out page (the browser test signs in for real) --------

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "claim-atlas",
    "client_secret": "not-a-real-client-secret",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("secrets", "configured"),
    [
        ({"auth": AUTH}, True),
        ({"auth": {**{k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}, "default": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}}}, True),
        ({"auth": {**AUTH, "cookie_secret": ""}}, False),  # Streamlit cannot sign a cookie: sign-in would fail later
        ({"auth": {k: v for k, v in AUTH.items() if k != "client_secret"}}, False),
        ({"auth": "on"}, False),
        ({}, False),
        (None, False),
    ],
)
def test_sign_in_is_on_only_with_a_usable_auth_section(secrets, configured):
    assert sign_in_configured(secrets) is configured


@pytest.mark.parametrize(
    ("claims", "editor"),
    [
        ({"email": "ana@example.org"}, True),
        ({"email": " ANA@example.ORG "}, True),  # providers differ in case; addresses compare folded
        ({"email": "ana@example.org", "email_verified": False}, False),  # an unverified address proves nothing
        ({"email": "ana@example.org.evil.net"}, False),
        ({"email": "bo@example.org"}, False),
        ({"email": "bo@example.org", "groups": ["staff", "atlas-editors"]}, True),
        ({"groups": "atlas-editors"}, True),  # a claim given as one string
        ({"groups": ["atlas-editors-old"]}, False),
        ({"groups": [{"name": "atlas-editors"}]}, False),
        ({"sub": "atlas-editors"}, False),  # only the named claim counts
        ({}, False),
    ],
)
def test_who_is_an_editor_after_signing_in(claims, editor):
    rule = editor_rule({"editor_emails": ["Ana@example.org"], "editor_claim": "groups=atlas-editors"}, {})
    assert rule.allows(claims) is editor


@pytest.mark.parametrize(
    ("secrets", "environ", "names_anyone"),
    [
        ({}, {}, False),
        ({"editor_emails": "ana@example.org, bo@example.org"}, {}, True),  # a string instead of a TOML list still works
        ({"editor_emails": ["not-an-address"]}, {}, False),
        ({"editor_claim": "groups"}, {}, False),  # no value: nobody
        ({"editor_claim": "groups="}, {}, False),
        ({}, {"ATLAS_EDITOR_EMAILS": "ana@example.org"}, True),
        ({}, {"ATLAS_EDITOR_CLAIM": "roles=editor"}, True),
    ],
)
def test_malformed_editor_settings_name_no_one(secrets, environ, names_anyone):
    assert editor_rule(secrets, environ).names_anyone is names_anyone


def test_with_sign_in_configured_the_import_page_offers_sign_in_and_no_password(no_passwords):
    no_passwords.setenv("ATLAS_EDITOR_PASSWORD", EDITOR_PASSWORD)  # a team's sign-in replaces the shared password
    at = _app({"auth": AUTH, "editor_emails": ["ana@example.org"]}).run()
    assert not at.exception
    assert any("Viewing without signing in" in c.value for c in at.sidebar.caption)  # on every page (browser test)
    assert "Sign in" in [b.label for b in at.sidebar.button]
    at = at.switch_page(IMPORT_PAGE).run()
    assert not at.exception
    assert any("need an editor's sign-in" in info.value for info in at.info)
    assert "Sign in" in [b.label for b in at.button]
    assert all(t.key != "editor_login_password" for t in at.text_input)
    assert not _import_controls(at)
