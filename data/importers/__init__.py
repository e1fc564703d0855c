"""Importers: ACLED and UCDP GED exports and our own five-CSV layout, each to a validated Dataset (no Streamlit).

    import_file(path, fmt=None, *, geocoder="default", known_actors=None, progress=None) -> ImportResult
    detect_format(path) -> "acled" | "ucdp" | "atlas" | None

A CSV format is an ImportFormat (spec.py) run by the one pipeline (pipeline.py); the next format is a module that
defines its ImportFormat, added to CSV_FORMATS below.
"""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

from data.errors import RowProblem
from data.importers.acled import ACLED
from data.importers.atlas import import_atlas, is_atlas_path
from data.importers.errors import ImportFormatError
from data.importers.ids import dataset_id_for, file_sha256
from data.importers.pipeline import import_csv
from data.importers.progress import Progress
from data.importers.rejections import problems_csv, problems_frame
from data.importers.resolve import default_geocoder
from data.importers.result import ImportResult
from data.importers.ucdp import UCDP

# CSV formats, detected in this order: the first whose signature columns the header holds.
CSV_FORMATS = (ACLED, UCDP)
FORMATS = (*(layout.name for layout in CSV_FORMATS), "atlas")
_IMPORTERS = {**{layout.name: partial(import_csv, layout) for layout in CSV_FORMATS}, "atlas": import_atlas}

__all__ = [
    "FORMATS",
    "ImportFormatError",
    "ImportResult",
    "dataset_id_for",
    "detect_format",
    "import_bytes",
    "import_file",
    "problems_csv",
    "problems_frame",
]


def detect_format(path: Path | str) -> str | None:
    """Guess a file's format from its header (ACLED, UCDP GED) or shape (a folder or zip of our CSVs)."""
    path = Path(path)
    if is_atlas_path(path):
        return "atlas"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])
    for layout in CSV_FORMATS:
        if layout.matches_header(header):
            return layout.name
    return None


def import_file(
    path: Path | str,
    fmt: str | None = None,
    *,
    geocoder="default",
    known_actors=None,
    progress: Progress | None = None,
    file_label: str | None = None,
) -> ImportResult:
    """Import one file (or folder/zip for "atlas") into a Dataset whose id is `dataset_id_for(format, hash)`.

    fmt=None detects the format; geocoder="default" uses the offline project geocoder, None resolves no places.
    Raises ImportFormatError when the file is not in the layout (naming the columns expected and found).
    """
    path = Path(path)
    label = file_label or path.name
    fmt = fmt or detect_format(path)
    if fmt not in _IMPORTERS:
        raise ImportFormatError(
            f"cannot tell the format of {label}; choose one of {', '.join(FORMATS)}",
            [RowProblem(label, 1, "*", "", f"format {fmt!r} not recognised; expected one of {', '.join(FORMATS)}")],
        )
    file_hash = file_sha256(path)
    geo = default_geocoder() if geocoder == "default" else geocoder
    return _IMPORTERS[fmt](
        path,
        dataset_id=dataset_id_for(fmt, file_hash),
        file_label=label,
        file_hash=file_hash,
        geocoder=geo,
        known_actors=known_actors,
        progress=progress,
    )


def import_bytes(data: bytes, file_name: str, fmt: str | None = None, **options) -> ImportResult:
    """Import an uploaded file's bytes (the Import page's entry point); same rules and ids as `import_file`."""
    import tempfile

    safe_name = Path(file_name).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="claim-atlas-upload-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        return import_file(path, fmt, file_label=safe_name, **options)
