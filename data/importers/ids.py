"""Stable ids: a dataset's from its file's content, places', actors' and sources' from their names and short digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from data.model.schema import LOAD_ORDER


def dataset_id_for(fmt: str, file_hash: str) -> str:
    """The stable id of an imported file: its format and the first 12 hex digits of its SHA-256.

    >>> dataset_id_for("acled", "3f2a9b1c0d4e5f60718293a4b5c6d7e8")
    'acled-3f2a9b1c0d4e'
    """
    return f"{fmt}-{file_hash[:12]}"


def file_sha256(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes (a folder: of its five CSVs in table order)."""
    path = Path(path)
    digest = hashlib.sha256()
    paths = [path / f"{table}.csv" for table in LOAD_ORDER] if path.is_dir() else [path]
    for part in paths:
        if path.is_dir():
            digest.update(part.name.encode())
        if part.exists():
            with part.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def to_slugs(values: pd.Series, *, max_len: int = 60) -> pd.Series:
    """Lowercase ASCII slugs, computed once per distinct value.

    >>> to_slugs(pd.Series(["Military Forces of Syria (2000-)", "Dar'a", "Ḥalab", "", "!!"])).tolist()
    ['military-forces-of-syria-2000', 'dara', 'halab', '', '']
    """
    codes, uniques = pd.factorize(values.astype(str), sort=False)
    slugs = (
        pd.Series(uniques, dtype=object)
        .str.normalize("NFKD")
        .str.encode("ascii", "ignore")
        .str.decode("ascii")
        .str.lower()
        .str.replace(r"['’`]", "", regex=True)
        .str.replace(r"[^a-z0-9]+", "-", regex=True)
        .str.strip("-")
        .str.slice(0, max_len)
        .str.strip("-")
    )
    out = slugs.to_numpy(dtype=object)[codes] if len(codes) else np.array([], dtype=object)
    return pd.Series(out, index=values.index, dtype=str)


def short_hash(values: pd.Series, length: int = 6) -> pd.Series:
    """A stable short hex digest per value (same text, same digest across runs and files)."""
    codes, uniques = pd.factorize(values.astype(str), sort=False)
    digests = np.array([hashlib.sha1(u.encode()).hexdigest()[:length] for u in uniques], dtype=object)
    return pd.Series(digests[codes] if len(codes) else np.array([], dtype=object), index=values.index, dtype=str)
