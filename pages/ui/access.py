"""Who may do what: viewer and editor passwords from secrets or the environment, checked in constant time."""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

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
