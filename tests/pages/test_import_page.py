"""The Import page (AppTest): saved datasets listed with links to the map; editing needs the editor login."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data.importers import import_file
from data.store.datasets import DatasetStore
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
PAGE = "pages/import_data.py"
FIXTURES = ROOT / "tests" / "fixtures" / "import"
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)


@pytest.fixture
def saved(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "atlas-data"))
    monkeypatch.delenv("ATLAS_VIEWER_PASSWORD", raising=False)
    monkeypatch.delenv("ATLAS_EDITOR_PASSWORD", raising=False)
    result = import_file(FIXTURES / "acled_2023.csv", geocoder=None, known_actors=KNOWN)
    name = "<b>ACLED</b> [fixture](javascript:alert(1))"
    return DatasetStore().save(result.dataset, name, file_hash=result.file_hash, fmt="acled", file_name="acled_2023.csv")


def open_page(**session):
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in session.items():
        at.session_state[key] = value
    return at.switch_page(PAGE).run()


def test_saved_datasets_are_listed_as_text_with_links(saved):
    at = open_page()
    assert not at.exception
    table = at.dataframe[0].value
    assert table.loc[0, "id"] == saved and table.loc[0, "name"] == "<b>ACLED</b> [fixture](javascript:alert(1))"
    links = {el.proto.query_string: el.proto.label for el in at.get("page_link")}
    assert links[f"ds={saved}"].startswith("Open \\<b\\>ACLED")  # the name is escaped, never markup
    assert f"ds=seed&ds={saved}" in links
    assert not at.get("file_uploader")  # no editor password configured: importing is off
    assert any("editor" in el.value.lower() for el in at.info)


def test_an_editor_can_rename(saved, monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "s3cret")
    at = open_page(_access_editor=True)
    assert not at.exception
    assert at.get("file_uploader") and at.selectbox(key="import_format").options
    at.text_input(key="manage_name").set_value("Renamed").run()
    at.button(key="manage_rename").click().run()
    assert not at.exception
    assert DatasetStore().info(saved).name == "Renamed"


def test_an_editor_can_delete(saved, monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_PASSWORD", "s3cret")
    at = open_page(_access_editor=True)
    at.checkbox(key="manage_sure").check().run()
    at.button(key="manage_delete").click().run()
    assert not at.exception
    assert DatasetStore().list() == []


def test_the_map_opens_on_a_saved_dataset_over_the_seed(saved):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["ds"] = ["seed", saved]
    at.run()
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    assert " of " in at.caption[0].value  # "<n> of <total> events ..."
