"""Our own layout ("atlas"): a folder or a zip of the five CSVs of docs/DATA-MODEL.md, validated by `from_tables`.

Ids are kept as they are, so exporting a view in this layout and importing it again gives the same events.

Not run through the CSV pipeline (data/importers/pipeline.py): these files already are our five tables, so there is
nothing to map or resolve, and they are checked by the same `from_tables` that loads a dataset folder, so an import
and a load never disagree about what is valid.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from data.model.dataset import from_tables, read_raw_folder
from data.errors import RowProblem
from data.importers.errors import ImportFormatError
from data.importers.progress import Progress, report
from data.importers.result import ImportResult
from data.model.schema import LOAD_ORDER

MAX_UNZIPPED_BYTES = 4 << 30  # refuse archives that would unpack to more than 4 GiB


def is_atlas_path(path: Path | str) -> bool:
    """A folder holding events.csv, or a zip with an events.csv inside."""
    path = Path(path)
    if path.is_dir():
        return (path / "events.csv").exists()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return any(PurePosixPath(name).name == "events.csv" for name in archive.namelist())
    return False


def import_atlas(
    source: Path | str,
    *,
    dataset_id: str,
    file_label: str | None = None,
    file_hash: str = "",
    progress: Progress | None = None,
    **_ignored,
) -> ImportResult:
    """Read a folder or zip of the five CSVs; rows that fail the contract are listed with file, line and reason."""
    source = Path(source)
    label = file_label or source.name
    report(progress, 0.05, "reading the tables")
    if source.is_dir():
        result = _import_folder(source, dataset_id=dataset_id, label=label, file_hash=file_hash)
    elif zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive, tempfile.TemporaryDirectory() as tmp:
            wanted = {f"{table}.csv" for table in LOAD_ORDER}
            members = [m for m in archive.infolist() if PurePosixPath(m.filename).name in wanted and not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
                raise ImportFormatError(f"{label} unpacks to more than 4 GiB", [RowProblem(label, 1, "*", "", "archive too large")])
            for member in members:
                (Path(tmp) / PurePosixPath(member.filename).name).write_bytes(archive.read(member))
            result = _import_folder(Path(tmp), dataset_id=dataset_id, label=label, file_hash=file_hash)
    else:
        raise ImportFormatError(
            f"{label} is neither a folder nor a zip of the five CSVs",
            [RowProblem(label, 1, "*", "", "expected a folder or zip holding " + ", ".join(f"{t}.csv" for t in LOAD_ORDER))],
        )
    report(progress, 1.0, "done")
    return result


def _import_folder(folder: Path, *, dataset_id: str, label: str, file_hash: str) -> ImportResult:
    raw_tables, files, problems = read_raw_folder(folder)
    if problems:
        raise ImportFormatError(f"{label} is not in our layout (five CSVs, see docs/DATA-MODEL.md)", problems)
    dataset = from_tables(raw_tables, dataset_id=dataset_id, files=files, on_invalid="drop")
    return ImportResult(
        format="atlas",
        file_name=label,
        file_hash=file_hash,
        dataset=dataset,
        rejected=list(dataset.problems),
        warnings=list(dataset.warnings),  # invisible bidi controls removed by from_tables
        rows_read=len(raw_tables["events"]),
        places_resolved=len(dataset.places),
        places_unresolved=0,
    )
