"""Cached access to datasets for the pages; the data layer itself knows nothing of Streamlit.

Several replicas share one store: each checks the store's version number at most once a second
(`_store_version`) and re-lists the saved datasets only when it moved, so a dataset saved, renamed or deleted
through one replica is known to every other within about a second. Saved datasets never change under their id
(the id is the file's content hash), so loaded datasets stay cached by id. When the database cannot be reached,
every page says so (`store_status_ui`, from app.py) and shows the bundled seed; the next check after it returns
brings everything back, with no restart.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from data.model.dataset import Dataset, load_dataset
from data.views.derived import prepare

SEED_ID = "seed"
SEED_DIR_ENV = "ATLAS_SEED_DIR"  # serve another folder as the default dataset (tests, demos)
VERSION_CHECK_SECONDS = 1
_log = logging.getLogger(__name__)
_last_ids: dict[str, frozenset[str]] = {}  # per store: the last list read, for a moment the DuckDB file is busy


@st.cache_resource(show_spinner="Loading the dataset…")
def _load_seed_from(folder: str) -> Dataset:
    return prepare(load_dataset(folder, dataset_id=SEED_ID) if folder else load_dataset())


def _load_seed() -> Dataset:
    return _load_seed_from(os.environ.get(SEED_DIR_ENV, ""))


def _store():
    from data.store.datasets import open_store

    return open_store(lock_timeout=2)


@st.cache_data(ttl=VERSION_CHECK_SECONDS, show_spinner=False)
def _store_version(store_key: str) -> int:
    """The store's version number (raised by every save, rename and delete), asked at most once a second."""
    return _store().version()


@st.cache_data(show_spinner=False, max_entries=32)
def _dataset_ids_in(store_key: str, version: int) -> frozenset[str]:
    return frozenset({SEED_ID, *(info.dataset_id for info in _store().list())})


def store_problem() -> str | None:
    """Why saved datasets are unavailable right now (a message for users), or None when the store answers."""
    from data.store.datasets import StoreUnavailable

    try:
        _store_version(_store().cache_key())
    except StoreUnavailable as exc:
        return str(exc)
    except Exception:  # a busy DuckDB file, say: the last list stays in use, and the page need not worry anyone
        return None
    return None


def available_dataset_ids() -> frozenset[str]:
    """The seed plus every saved dataset of the configured store, as of its version at most a second ago."""
    from data.store.datasets import StoreUnavailable

    store = _store()
    key = store.cache_key()
    try:
        ids = _dataset_ids_in(key, _store_version(key))
    except StoreUnavailable:
        return frozenset({SEED_ID})
    except Exception:  # no store yet, or the DuckDB file busy with another process: the last list, else the seed
        _log.warning("saved datasets could not be listed", exc_info=True)
        return _last_ids.get(key, frozenset({SEED_ID}))
    _last_ids[key] = ids
    return ids


def forget_dataset_list() -> None:
    """Call after importing, deleting or renaming, so this replica's links to the change work at once."""
    _store_version.clear()


def store_available() -> bool:
    """Whether the store answers (a page that only works with it stops quietly otherwise)."""
    return store_problem() is None


def store_status_ui() -> bool:
    """On every page: a warning while the database cannot be reached (it goes when the database is back)."""
    problem = store_problem()
    if problem:
        st.warning(problem + " The bundled seed dataset still works; this page checks again on every interaction.", icon="⚠️")
    return problem is None


@st.cache_resource(show_spinner="Loading datasets…", max_entries=8)
def _load_combined(dataset_ids: tuple[str, ...]) -> Dataset:
    from data.store.overlay import combine

    from data.store.datasets import open_store

    store = open_store()
    parts = [_load_seed() if ds_id == SEED_ID else store.load(ds_id) for ds_id in dataset_ids]
    return prepare(combine(parts))


def load_view_data(dataset_ids: tuple[str, ...]) -> Dataset:
    """The dataset, or the overlay of several, a view asks for (never mutate the result: it is shared)."""
    if tuple(dataset_ids) == (SEED_ID,):
        return _load_seed()
    return _load_combined(tuple(dataset_ids))


@st.cache_resource(show_spinner=False, max_entries=16)
def _control_claims(_ds: Dataset, dataset_ids: tuple[str, ...], seed_folder: str, store_key: str, version: int):
    from data.views.control_view import control_claims_for

    return control_claims_for(_ds, dataset_ids, seed_folder=seed_folder)


def view_control_claims(ds: Dataset, dataset_ids: tuple[str, ...], seed_folder: str):
    """The control claims of the datasets a view shows and the problems met, read from the store again only when
    its version moved (a store read on every rerun cost ~0.2 s with DuckDB). Shared: never mutate the table."""
    from data.views.control_view import control_claims_for

    key = _store().cache_key()
    try:
        version = _store_version(key)
    except Exception:  # the store is away or busy: read as before, which says what is wrong
        return control_claims_for(ds, dataset_ids, seed_folder=seed_folder)
    return _control_claims(ds, tuple(dataset_ids), str(seed_folder), key, version)
