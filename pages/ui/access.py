"""Who may do what: viewer and editor passwords from secrets or the environment, checked in constant time."""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

ROLES = ("viewer", "editor")
ENV_NAMES = {"viewer": "ATLAS_VIEWER_PASSWORD", "editor": "ATLAS_EDITOR_PASSWORD"}
SECRET_NAMES = {"viewer": "viewer_password", "editor": "editor_password"}
HOW_TO_ENABLE_EDITING = (
    "Editing is off on this server. To turn it on, set an editor password: "
    "`editor_password = \"...\"` in `.streamlit/secrets.toml`, or the environment variable "
    "`ATLAS_EDITOR_PASSWORD`, then restart the app."
)


def configured_password(role: str, secrets: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The password set for a role (the environment wins over secrets), or None when none is set."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_NAMES[role]) or (secrets or {}).get(SECRET_NAMES[role])
    return str(value) if value else None


def is_correct_password(given: str | None, expected: str | None) -> bool:
    """Compare in constant time; a missing password on either side never matches.

    >>> is_correct_password("s3cret", "s3cret"), is_correct_password("s3cres", "s3cret"), is_correct_password("", None)
    (True, False, False)
    """
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# Sign-in for teams (OpenID Connect through Streamlit's st.login). Who may edit is decided here, from the token's claims.
EDITOR_EMAILS_ENV = "ATLAS_EDITOR_EMAILS"
EDITOR_CLAIM_ENV = "ATLAS_EDITOR_CLAIM"
HOW_TO_NAME_EDITORS = (
    "No one is an editor yet. Name them in `.streamlit/secrets.toml`: `editor_emails = [\"ana@example.org\"]` "
    "and/or `editor_claim = \"groups=atlas-editors\"` (a claim of the sign-in token), or the environment variables "
    "`ATLAS_EDITOR_EMAILS` (comma-separated) and `ATLAS_EDITOR_CLAIM`, then restart the app."
)


def sign_in_configured(secrets: Mapping[str, object] | None) -> bool:
    """Whether an `[auth]` section Streamlit can log in with is present (then sign-in replaces the shared password).

    >>> sign_in_configured({"auth": {"redirect_uri": "u", "cookie_secret": "c", "client_id": "i",
    ...                              "client_secret": "s", "server_metadata_url": "m"}})
    True
    >>> sign_in_configured({"auth": {"redirect_uri": "u"}}), sign_in_configured({})
    (False, False)
    """
    auth = (secrets or {}).get("auth")
    if not isinstance(auth, Mapping) or not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return False
    provider_keys = ("client_id", "client_secret", "server_metadata_url")
    if all(auth.get(key) for key in provider_keys):
        return True
    default = auth.get("default")
    return isinstance(default, Mapping) and all(default.get(key) for key in provider_keys)


@dataclass(frozen=True)
class EditorRule:
    """Who may edit after signing in: listed e-mail addresses (verified by the provider), or a claim's value."""

    emails: frozenset[str] = frozenset()
    claim: str = ""
    claim_value: str = ""

    @property
    def names_anyone(self) -> bool:
        return bool(self.emails) or bool(self.claim and self.claim_value)

    def allows(self, claims: Mapping[str, object]) -> bool:
        """True when the token's claims make this person an editor.

        >>> rule = EditorRule(frozenset({"ana@example.org"}), "groups", "atlas-editors")
        >>> rule.allows({"email": "Ana@Example.org"}), rule.allows({"email": "ana@example.org", "email_verified": False})
        (True, False)
        >>> rule.allows({"email": "bo@example.org", "groups": ["staff", "atlas-editors"]}), rule.allows({"groups": "staff"})
        (True, False)
        """
        email = claims.get("email")
        verified = claims.get("email_verified", True) not in (False, "false", "False")
        if isinstance(email, str) and verified and email.strip().lower() in self.emails:
            return True
        if not (self.claim and self.claim_value):
            return False
        value = claims.get(self.claim)
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        return any(isinstance(item, (str, int)) and str(item) == self.claim_value for item in values)


def editor_rule(secrets: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None) -> EditorRule:
    """The editor rule from the environment (which wins) or secrets; malformed values name no one.

    >>> editor_rule({"editor_emails": ["Ana@Example.org"], "editor_claim": "groups=atlas-editors"}, {})
    EditorRule(emails=frozenset({'ana@example.org'}), claim='groups', claim_value='atlas-editors')
    >>> rule = editor_rule({}, {"ATLAS_EDITOR_EMAILS": "a@x.org, b@x.org", "ATLAS_EDITOR_CLAIM": "no-equals-sign"})
    >>> sorted(rule.emails), rule.claim
    (['a@x.org', 'b@x.org'], '')
    """
    environ = os.environ if environ is None else environ
    secrets = secrets or {}
    raw_emails: object = environ.get(EDITOR_EMAILS_ENV) or secrets.get("editor_emails") or ()
    if isinstance(raw_emails, str):
        raw_emails = raw_emails.split(",")
    emails = frozenset(
        str(item).strip().lower() for item in (raw_emails if isinstance(raw_emails, (list, tuple)) else ()) if "@" in str(item)
    )
    raw_claim = str(environ.get(EDITOR_CLAIM_ENV) or secrets.get("editor_claim") or "")
    claim, equals, value = raw_claim.partition("=")
    if not equals or not claim.strip() or not value.strip():
        return EditorRule(emails)
    return EditorRule(emails, claim.strip(), value.strip())
