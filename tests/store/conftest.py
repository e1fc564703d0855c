"""The store tests run on both backends: the DuckDB file and a real PostgreSQL cluster these tests start themselves.

The cluster (deploy/cluster.py) is started once per session on a free localhost port, as the `postgres` user when
we are root; each test gets a schema of its own. Without PostgreSQL the PostgreSQL cases skip on a workstation
(saying how to install it) and fail in CI, where .ci/run installs it.
"""

from __future__ import annotations

import itertools
import os
from urllib.parse import quote

import pytest

from data.store.datasets import DatasetStore

BACKENDS = ("duckdb", "postgresql")
_schemas = itertools.count(1)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of our own for the whole session (fsync off: it is thrown away)."""
    from deploy.cluster import ClusterError, create_cluster, install_postgresql, remove_cluster

    if not install_postgresql():
        message = "PostgreSQL is not installed (apt-get install postgresql, as root): the PostgreSQL store cases cannot run"
        if in_ci():
            pytest.fail(message + " -- they must run in CI", pytrace=False)
        pytest.skip(message)
    try:
        cluster = create_cluster(fast=True)
    except ClusterError as exc:
        if in_ci():
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
    yield cluster
    remove_cluster(cluster)


def schema_url(cluster, schema: str) -> str:
    """The cluster's URL with every connection's search_path set to `schema` (created here)."""
    import psycopg

    from data.store.config import libpq_url

    with psycopg.connect(libpq_url(cluster.url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    return cluster.url + "?options=" + quote(f"-c search_path={schema}")


@pytest.fixture
def pg_url(pg_cluster):
    """A URL of a fresh, empty schema in the session's cluster."""
    return schema_url(pg_cluster, f"test_{os.getpid()}_{next(_schemas)}")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store(backend, tmp_path, monkeypatch, request):
    """An empty store as the app would open it: `DatasetStore()` with ATLAS_DATA_DIR, or with ATLAS_DATABASE_URL."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ATLAS_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))  # a developer's secrets stay out
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    if backend == "postgresql":
        monkeypatch.setenv("ATLAS_DATABASE_URL", request.getfixturevalue("pg_url"))
    made = DatasetStore()
    assert made.backend == backend
    return made
