"""Cached access to datasets for the pages; the data layer itself knows nothing of Streamlit."""

from __future__ import annotations

import os

import streamlit as st

from data.model.dataset import Dataset, load_dataset
from data.views.derived import prepare

SEED_ID = "seed"
SEED_DIR_ENV = "ATLAS_SEED_DIR"  # serve another folder as the default dataset (tests, demos)


@st.cache_resource(show_spinner="Loading the dataset…")
def _load_seed_from(folder: str) -> Dataset:
    return prepare(load_dataset(folder, dataset_id=SEED_ID) if folder else load_dataset())


def _load_seed() -> Dataset:
    return _load_seed_from(os.environ.get(SEED_DIR_ENV, ""))


@st.cache_data(ttl=10, show_spinner=False)
def _dataset_ids_in(store_path: str) -> frozenset[str]:
    ids = {SEED_ID}
    try:
        from data.store.datasets import DatasetStore

        ids.update(info.dataset_id for info in DatasetStore(store_path).list())
    except Exception:  # no store yet, or unreadable: the seed alone still works
        pass
    return frozenset(ids)


def available_dataset_ids() -> frozenset[str]:
    """The seed plus every saved dataset of the configured store; re-read at most every 10 s."""
    from data.store.datasets import default_path

    return _dataset_ids_in(str(default_path()))


def forget_dataset_list() -> None:
    """Call after importing, deleting or renaming, so links to the change work at once."""
    _dataset_ids_in.clear()


@st.cache_resource(show_spinner="Loading datasets…", max_entries=8)
def _load_combined(dataset_ids: tuple[str, ...]) -> Dataset:
    from data.store.overlay import combine
    from data.store.datasets import DatasetStore

    store = DatasetStore()
    parts = [_load_seed() if ds_id == SEED_ID else store.load(ds_id) for ds_id in dataset_ids]
    return prepare(combine(parts))


def load_view_data(dataset_ids: tuple[str, ...]) -> Dataset:
    """The dataset, or the overlay of several, a view asks for (never mutate the result: it is shared)."""
    if tuple(dataset_ids) == (SEED_ID,):
        return _load_seed()
    return _load_combined(tuple(dataset_ids))
