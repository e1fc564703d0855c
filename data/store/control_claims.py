"""Editors' control claims kept beside the store, one CSV per dataset, until the store's backends hold them as a table.

The store (DuckDB or PostgreSQL, data/store/base.py) has no control-claims table yet, so an editor's claim "camp X
held place Y on day D" is written to `<store folder>/control-claims/<dataset id>/control_claims.csv`, in exactly
the columns of data/model/control/claims_table.py (CONTROL_CLAIM_COLUMNS): a table both backends can take over
as it is (plus a dataset_id column). Written whole and atomically (a temporary file, then a rename), after the
whole table, the new row included, passes check_control_claims: a bad claim changes nothing stored.
With PostgreSQL and several replicas this folder is per machine: the claims are not shared until the store holds them.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path

import pandas as pd

from data.model.control import (CONTROL_CLAIM_COLUMNS, CONTROL_CLAIMS_FILE, ControlClaimProblem, check_control_claims,
                                empty_control_claims, read_control_claims)
from data.store.base import default_path

FOLDER_NAME = "control-claims"
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._:+-]{0,199}$")
_WRITE_LOCK = threading.Lock()  # two sessions of one server adding at once must not lose either claim


def claims_folder(dataset_id: str, store_path: Path | str | None = None) -> Path:
    """The folder holding a dataset's editors' control claims (beside the store file)."""
    if not _SAFE_ID.match(str(dataset_id)) or ".." in str(dataset_id):
        raise ValueError(f"not a dataset id: {str(dataset_id)[:60]!r}")
    base = Path(store_path) if store_path is not None else default_path()
    return base.parent / FOLDER_NAME / str(dataset_id).replace(":", "_")


def read_editor_claims(dataset, dataset_id: str, store_path: Path | str | None = None) -> tuple[pd.DataFrame, list[ControlClaimProblem]]:
    """A dataset's editors' control claims (empty when none) and the problems that kept them all out."""
    folder = claims_folder(dataset_id, store_path)
    if not (folder / CONTROL_CLAIMS_FILE).is_file():
        return empty_control_claims(), []
    return read_control_claims(folder, places=dataset.places["place_id"], sources=dataset.sources["source_id"],
                               actors=dataset.actors["actor_id"])


def add_editor_claim(dataset, dataset_id: str, row: dict, *, taken_ids=(), store_path: Path | str | None = None) -> list[ControlClaimProblem]:
    """Append one claim after checking it with every stored one; returns the problems (nothing is written when any).

    `taken_ids`: control claim ids already used elsewhere (the seed's own file), which a new claim must not reuse.
    """
    folder = claims_folder(dataset_id, store_path)
    with _WRITE_LOCK:
        stored, problems = read_editor_claims(dataset, dataset_id, store_path)
        if problems:
            return problems
        new = pd.DataFrame([{c: str(row.get(c, "") or "") for c in CONTROL_CLAIM_COLUMNS}])
        table = pd.concat([stored, new], ignore_index=True).reindex(columns=CONTROL_CLAIM_COLUMNS)
        problems = check_control_claims(table, places=dataset.places["place_id"], sources=dataset.sources["source_id"],
                                        actors=dataset.actors["actor_id"])
        if new.loc[0, "control_claim_id"] in set(taken_ids):
            problems.append(ControlClaimProblem(len(table) + 1, "control_claim_id", new.loc[0, "control_claim_id"], "already used"))
        if problems:
            return problems
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".control_claims-", suffix=".csv")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                table.to_csv(out, index=False)
            os.replace(temporary, folder / CONTROL_CLAIMS_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return []
