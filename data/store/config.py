"""Which store the app uses: PostgreSQL when a database URL is configured, else the embedded DuckDB file.

The URL follows SQLAlchemy's spelling (`postgresql+psycopg://user:password@host:5432/atlas`), as Streamlit's
`st.connection` does, so one line of configuration serves both. It is read from `ATLAS_DATABASE_URL`, else from
the `[connections.atlas]` section of `.streamlit/secrets.toml` (its `url`, or `host`, `port`, `database`,
`username`, `password`). The secrets file is read here with tomllib so that the data layer needs no Streamlit.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

URL_ENV = "ATLAS_DATABASE_URL"
CONNECTION_NAME = "atlas"
SECRETS_FILES_ENV = "ATLAS_SECRETS_FILE"  # another secrets.toml (tests, deployments with one file per replica)


def secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets, in its order: the user's file, then the project's (the project wins)."""
    chosen = os.environ.get(SECRETS_FILES_ENV)
    if chosen:
        return [Path(chosen)]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def _connection_section(files: list[Path]) -> Mapping[str, object]:
    section: dict[str, object] = {}
    for path in files:
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        found = data.get("connections", {}).get(CONNECTION_NAME)
        if isinstance(found, Mapping):
            section.update(found)
    return section


def url_from_section(section: Mapping[str, object]) -> str | None:
    """A `[connections.atlas]` section as a URL: its `url`, or one built from host, port, database, username, password.

    >>> url_from_section({"dialect": "postgresql", "host": "db", "port": 5432, "database": "atlas", "username": "me", "password": "p@ss"})
    'postgresql://me:p%40ss@db:5432/atlas'
    >>> url_from_section({}) is None
    True
    """
    if section.get("url"):
        return str(section["url"])
    if not section.get("host") and not section.get("database"):
        return None
    user = quote(str(section.get("username", "")), safe="")
    password = quote(str(section.get("password", "")), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{section['port']}" if section.get("port") else ""
    dialect = str(section.get("dialect", "postgresql")).split("+")[0]
    return f"{dialect}://{credentials}{section.get('host', '')}{port}/{section.get('database', '')}"


def database_url(environ: Mapping[str, str] | None = None, files: list[Path] | None = None) -> str | None:
    """The configured database URL (the environment wins over secrets), or None for the embedded DuckDB store."""
    environ = os.environ if environ is None else environ
    if environ.get(URL_ENV, "").strip():
        return environ[URL_ENV].strip()
    return url_from_section(_connection_section(secrets_files() if files is None else files))


def libpq_url(url: str) -> str:
    """A SQLAlchemy-style URL as libpq takes it: `postgresql+psycopg://` becomes `postgresql://`.

    >>> libpq_url("postgresql+psycopg://atlas:pw@127.0.0.1:5433/atlas?sslmode=disable")
    'postgresql://atlas:pw@127.0.0.1:5433/atlas?sslmode=disable'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"the database URL must start with postgresql+psycopg:// (or postgresql://), got {scheme or 'no scheme'}://")
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, parts.fragment))


def redacted(url: str) -> str:
    """A URL safe to show or log: the password replaced by ***.

    >>> redacted("postgresql+psycopg://atlas:secret@db:5432/atlas")
    'postgresql+psycopg://atlas:***@db:5432/atlas'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
