"""Our own layout: a folder or zip of the five CSVs, validated by from_tables, ids kept."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from data.importers import ImportFormatError, import_file
from tests.conftest import TINY_DIR


def test_folder_imports_with_ids_kept():
    result = import_file(TINY_DIR, "atlas")
    assert result.rows_read == result.rows_stored == 4
    assert result.dataset.events["event_id"].tolist()[:2] == ["e-siege", "e-strikes"]
    assert result.dataset.dataset_id.startswith("atlas-")


def test_zip_imports_and_invalid_rows_are_listed(tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(TINY_DIR, folder)
    events = (folder / "events.csv").read_text().replace("2016-08-01,2016-08-31", "2016-08-01,2016-13-31", 1)
    (folder / "events.csv").write_text(events)
    archive = tmp_path / "tiny.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in folder.iterdir():
            handle.write(path, f"export/{path.name}")
    result = import_file(archive)
    assert result.format == "atlas" and result.rows_stored == 3 and result.rows_rejected == 1
    assert any(p.file == "events.csv" and p.column == "date_end" and p.value == "2016-13-31" for p in result.rejected)


def test_folder_without_a_table_is_refused(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(TINY_DIR, folder)
    (folder / "claims.csv").unlink()
    with pytest.raises(ImportFormatError, match="not in our layout"):
        import_file(folder, "atlas")
