"""Fixtures shared by the AppTest files of the Atlas page: a store of the test's own, no passwords, and the app
opened on a link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def isolated_store(tmp_path, monkeypatch):
    """The app's store in the test's own folder; no seed folder, editor or viewer password from the environment."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "atlas-data"))
    for name in ("ATLAS_SEED_DIR", "ATLAS_EDITOR_PASSWORD", "ATLAS_VIEWER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "atlas-data"


@pytest.fixture
def atlas(isolated_store):
    """Open the Atlas page on a link's query parameters (`atlas(show="control", asof="2016-08-20")`) and run it."""

    def open_atlas(**query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return open_atlas
