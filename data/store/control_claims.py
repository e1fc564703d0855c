"""Editors' control claims ("camp X held place Y on day D", with its source), kept in the store beside the datasets.

The store's `control_claims` table (data/store/base.py, DuckDB and PostgreSQL alike) holds them per dataset id, in
exactly the columns of data/model/control/claims_table.py (CONTROL_CLAIM_COLUMNS). A new claim is checked with every
stored one by check_control_claims inside the transaction that writes it: a bad claim changes nothing stored and
each bad row is named. Writes raise the store's version, so every replica uses the same claims; a dataset's claims
are deleted with it and kept through a rename (its id does not change).

An earlier version kept them in `<store folder>/control-claims/<dataset id>/control_claims.csv`. Such a file is
imported into the table the first time its dataset's claims are read (checked whole, like a new claim), then renamed
`control_claims.csv.imported` so it is never read again. A file with a bad row is not imported and its problems are
named until it is fixed; the claims already in the table still count.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from data.model.control import (CONTROL_CLAIM_COLUMNS, CONTROL_CLAIMS_FILE, ControlClaimProblem, check_control_claims,
                                read_control_claims)
from data.store.base import Store, default_path

FOLDER_NAME = "control-claims"
IMPORTED_SUFFIX = ".imported"
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._:+-]{0,199}$")


def claims_folder(dataset_id: str, store_path: Path | str | None = None) -> Path:
    """Where an earlier version kept a dataset's editors' control claims (beside the store file); read to import them once."""
    if not _SAFE_ID.match(str(dataset_id)) or ".." in str(dataset_id):
        raise ValueError(f"not a dataset id: {str(dataset_id)[:60]!r}")
    base = Path(store_path) if store_path is not None else default_path()
    return base.parent / FOLDER_NAME / str(dataset_id).replace(":", "_")


def read_editor_claims(dataset, dataset_id: str, store_path: Path | str | None = None, *,
                       store: Store | None = None) -> tuple[pd.DataFrame, list[ControlClaimProblem]]:
    """A dataset's editors' control claims (empty when none) and the problems that kept claims out.

    `store_path` is a DuckDB file; without it, `store`, else the configured store. Stored claims that no longer fit
    the dataset are all left out and named (a half-read set of corrections would be worse than none).
    """
    store, folder = _store_and_folder(dataset_id, store_path, store)
    legacy_problems = _import_earlier_file(store, dataset, dataset_id, folder)
    table = store.control_claims(dataset_id)
    problems = _check(dataset)(table) if len(table) else []
    if problems:
        return table.iloc[0:0], problems + legacy_problems
    return table, legacy_problems


def add_editor_claim(dataset, dataset_id: str, row: dict, *, taken_ids=(), store_path: Path | str | None = None,
                     store: Store | None = None) -> list[ControlClaimProblem]:
    """Append one claim after checking it with every stored one; returns the problems (nothing is written when any).

    `taken_ids`: control claim ids already used elsewhere (the seed's own file), which a new claim must not reuse.
    """
    store, folder = _store_and_folder(dataset_id, store_path, store)
    legacy_problems = _import_earlier_file(store, dataset, dataset_id, folder)
    if legacy_problems:
        return legacy_problems
    new = pd.DataFrame([{c: str(row.get(c, "") or "") for c in CONTROL_CLAIM_COLUMNS}])
    taken = set(taken_ids)

    def check(table: pd.DataFrame) -> list[ControlClaimProblem]:
        problems = _check(dataset)(table)
        if new.loc[0, "control_claim_id"] in taken:
            problems.append(ControlClaimProblem(len(table) + 1, "control_claim_id", new.loc[0, "control_claim_id"], "already used"))
        return problems

    return store.add_control_claims(dataset_id, new, check)


def _store_and_folder(dataset_id: str, store_path, store: Store | None) -> tuple[Store, Path]:
    """The store to use and the folder where an earlier version may have left the dataset's CSV."""
    from data.store.datasets import open_store

    if store_path is not None:
        store = open_store(store_path)
    elif store is None:
        store = open_store()
    file = getattr(store, "path", None) if store_path is None else store_path
    return store, claims_folder(dataset_id, file)


def _check(dataset):
    def check(table: pd.DataFrame) -> list[ControlClaimProblem]:
        return check_control_claims(table, places=dataset.places["place_id"], sources=dataset.sources["source_id"],
                                    actors=dataset.actors["actor_id"])
    return check


def _import_earlier_file(store: Store, dataset, dataset_id: str, folder: Path) -> list[ControlClaimProblem]:
    """Move an earlier version's CSV of this dataset into the store once; its problems when it cannot be (nothing moved).

    Rows already in the table (the same file imported by another process at the same moment) are not added twice.
    """
    path = folder / CONTROL_CLAIMS_FILE
    if not path.is_file():
        return []
    table, problems = read_control_claims(folder, places=dataset.places["place_id"], sources=dataset.sources["source_id"],
                                          actors=dataset.actors["actor_id"])
    if problems:
        return [ControlClaimProblem(p.line, p.column, p.value, p.reason + " (in the file of an earlier version, not imported until fixed)")
                for p in problems]
    stored = store.control_claims(dataset_id)
    known = set(stored.itertuples(index=False, name=None))
    table = table.fillna("").astype(str)
    fresh = table[[row not in known for row in table.itertuples(index=False, name=None)]]
    if len(fresh):
        problems = store.add_control_claims(dataset_id, fresh, _check(dataset))
        if problems:
            return [ControlClaimProblem(p.line, p.column, p.value, p.reason + " (with the file of an earlier version, not imported)")
                    for p in problems]
    try:
        os.replace(path, path.with_name(CONTROL_CLAIMS_FILE + IMPORTED_SUFFIX))
    except FileNotFoundError:  # moved meanwhile by another process doing the same
        pass
    return []
