"""Several datasets shown as one: the seed's claims over an imported event dataset, each row keeping its origin."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data.model.dataset import SEED_DIR, Dataset, load_dataset
from data.model.schema import LOAD_ORDER, id_column
from data.store.datasets import SEED_ID, DatasetStore, derived_columns


def combine(datasets: Sequence[Dataset], *, dataset_id: str | None = None) -> Dataset:
    """Overlay datasets into one: union of every table, rows deduplicated by id (the first dataset listed wins).

    Events and claims keep a `dataset_id` column naming the dataset each came from; places and actors are shared
    (the seed's `aleppo` and an import's copy of it are one row). The combined id is the ids joined by '+'.
    """
    if not datasets:
        raise ValueError("combine needs at least one dataset")
    if len(datasets) == 1 and dataset_id is None:
        return datasets[0]
    derived = derived_columns()
    tables: dict[str, pd.DataFrame] = {}
    origins: dict[str, pd.Series] = {}
    for table in LOAD_ORDER:
        frames, origin = [], []
        for ds in datasets:
            frame = getattr(ds, table)
            if "dataset_id" in frame.columns:
                origin.append(frame["dataset_id"].astype(str))
            else:
                origin.append(pd.Series(ds.dataset_id, index=frame.index, dtype=str))
            frames.append(frame.drop(columns=[c for c in frame.columns if c in derived[table] or c == "dataset_id"]))
        merged = pd.concat(frames, ignore_index=True)
        where = pd.concat(origin, ignore_index=True)
        keep = ~merged[id_column(table)].duplicated(keep="first").to_numpy()
        merged, where = merged[keep].reset_index(drop=True), where[keep].reset_index(drop=True)
        for column in merged.columns:
            if merged[column].dtype == object or pd.api.types.is_string_dtype(merged[column]):
                merged[column] = merged[column].fillna("").astype(str)
        tables[table], origins[table] = merged, where
    combined = Dataset(dataset_id or "+".join(ds.dataset_id for ds in datasets), **tables)
    combined.events["dataset_id"] = origins["events"].to_numpy()
    combined.claims["dataset_id"] = origins["claims"].to_numpy()
    return combined


def open_datasets(dataset_ids: Sequence[str], *, store: DatasetStore | None = None) -> Dataset:
    """The datasets named in the URL (`ds`), combined: "seed" from data/seed/, the others from the store."""
    store = store or DatasetStore()
    loaded = [load_dataset(SEED_DIR) if ds_id == SEED_ID else store.load(ds_id) for ds_id in dict.fromkeys(dataset_ids)]
    return combine(loaded)
