"""Import a file straight into a store: CSV layouts streamed chunk by chunk inside one transaction.

This is what the command line and the Import page call. A CSV (ACLED, UCDP GED) is read, checked and written in
chunks (data/importers/pipeline.py `stream_csv`), so memory does not grow with the file; nothing of it is visible
to anyone until the transaction commits, and an error (or a killed process) leaves nothing. Our own layout (a
folder or zip of five CSVs) is small and is imported whole, then saved.
"""

from __future__ import annotations

from pathlib import Path

from data.errors import RowProblem
from data.importers import FORMATS, CSV_FORMATS, ImportFormatError, ImportResult, detect_format, import_file
from data.importers.ids import dataset_id_for, file_sha256
from data.importers.pipeline import STREAM_CHUNK_ROWS, stream_csv
from data.importers.progress import Progress
from data.importers.resolve import default_geocoder
from data.store.base import Store

LAYOUTS = {layout.name: layout for layout in CSV_FORMATS}


def save_file(
    store: Store,
    path: Path | str,
    fmt: str | None = None,
    *,
    name: str | None = None,
    geocoder="default",
    known_actors=None,
    progress: Progress | None = None,
    file_label: str | None = None,
    chunk_rows: int = STREAM_CHUNK_ROWS,
) -> tuple[str, ImportResult]:
    """Import a file into `store` in one transaction; (dataset id, result with the counts and refused rows).

    The same file saved before is read and checked again (its counts are shown) but nothing is written twice.
    """
    path = Path(path)
    label = file_label or path.name
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ImportFormatError(
            f"cannot tell the format of {label}; choose one of {', '.join(FORMATS)}",
            [RowProblem(label, 1, "*", "", f"format {fmt!r} not recognised; expected one of {', '.join(FORMATS)}")],
        )
    display = name.strip() if name and name.strip() else label
    if fmt not in LAYOUTS:
        carried = _carried_narratives(path, label) if fmt == "atlas" else None  # an unreadable narratives.json stores nothing
        result = import_file(path, fmt, geocoder=geocoder, known_actors=known_actors, progress=progress, file_label=label)
        dataset_id = store.save(result.dataset, display, file_hash=result.file_hash, fmt=result.format, file_name=label)
        if carried:
            from data.store.narratives import CARRIED_FILE, store_carried_narratives

            result.warnings.extend(RowProblem(CARRIED_FILE, 1, "*", "", note) for note in store_carried_narratives(store, carried, dataset_id))
        return dataset_id, result
    file_hash = file_sha256(path)
    dataset_id = dataset_id_for(fmt, file_hash)
    geo = default_geocoder() if geocoder == "default" else geocoder
    with store.importing(dataset_id, display, fmt=fmt, file_name=label, file_hash=file_hash) as batch:
        result = stream_csv(LAYOUTS[fmt], path, batch, dataset_id=dataset_id, file_label=label, file_hash=file_hash,
                            geocoder=geo, known_actors=known_actors, progress=progress, chunk_rows=chunk_rows)
    return dataset_id, result


def _carried_narratives(path: Path, label: str):
    """The narratives an atlas zip carries (data/store/narratives.py), or ImportFormatError naming why they cannot be read."""
    from data.narratives.model import NarrativeError
    from data.store.narratives import CARRIED_FILE, read_carried_narratives

    try:
        return read_carried_narratives(path)
    except NarrativeError as problem:
        raise ImportFormatError(f"{label}: its {CARRIED_FILE} cannot be read, so nothing was imported",
                                [RowProblem(CARRIED_FILE, 1, "*", "", p) for p in (problem.problems or [str(problem)])]) from None


def save_bytes(store: Store, data: bytes, file_name: str, fmt: str | None = None, **options) -> tuple[str, ImportResult]:
    """An uploaded file's bytes into `store` (the Import page's entry point); same rules and ids as `save_file`."""
    import tempfile

    safe_name = Path(file_name).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="claim-atlas-upload-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        return save_file(store, path, fmt, file_label=safe_name, **options)
