"""Everything derived from a loaded dataset that every rerun reuses, in one object built once per dataset.

Datasets are never modified once loaded, so what is computed from one (search text, sort orders, per-place
indexes, the ids a link may name, the sidebar's choices) stays valid as long as the dataset lives. This is the one
place that keeps such things; nothing is cached in the dataset's own attributes.
"""

from __future__ import annotations

import threading
import weakref
from functools import cached_property

import numpy as np

from data.model.dataset import Dataset
from data.views.options import FilterOptions, filter_options
from data.views.ordering import claim_order
from data.views.search import SearchIndex
from data.views.view import Vocabulary

_REGISTRY: dict[int, tuple[weakref.ref, "Derived"]] = {}
_REGISTRY_LOCK = threading.Lock()


class Derived:
    """What reruns reuse for one dataset; each part is built on first use (or all at once by `prepare`)."""

    def __init__(self, ds: Dataset):
        self._dataset = weakref.ref(ds)  # no cycle: the registry must not keep the dataset alive
        self._lock = threading.RLock()  # two sessions' first reruns must not build the same part twice
        self._claim_orders: dict[str, np.ndarray] = {}

    @property
    def dataset(self) -> Dataset:
        ds = self._dataset()
        if ds is None:
            raise ReferenceError("the dataset these views were derived from is gone")
        return ds

    @cached_property
    def search(self) -> SearchIndex:
        """The searchable text, lower-cased once."""
        with self._lock:
            return SearchIndex(self.dataset)

    @cached_property
    def events_by_place(self) -> np.ndarray:
        """Every event's row, ordered by place, then start day (map tooltips list a place's events from it)."""
        events = self.dataset.events
        return np.lexsort((events["day_start"].to_numpy(), events["place_pos"].to_numpy()))

    def claim_order(self, sort: str) -> np.ndarray:
        """Every claim's position in the claim table's order `sort`."""
        with self._lock:
            if sort not in self._claim_orders:
                self._claim_orders[sort] = claim_order(self.dataset, sort)
            return self._claim_orders[sort]

    @cached_property
    def id_sets(self) -> dict[str, frozenset[str]]:
        """The ids a link may name (frozensets: a million event ids took 1-4 s to gather on every rerun)."""
        ds = self.dataset
        return {
            "actors": frozenset(ds.actors["actor_id"].tolist()),
            "places": frozenset(ds.places["place_id"].tolist()),
            "outlets": frozenset(ds.sources["outlet"].tolist()),
            "events": frozenset(ds.events["event_id"].tolist()),
            "sources": frozenset(ds.sources["source_id"].tolist()),
            "origins": frozenset(map(str, ds.claims["origin"].unique())) if "origin" in ds.claims else frozenset(),
        }

    def vocabulary(self, dataset_ids: frozenset[str]) -> Vocabulary:
        """What a URL may name in this dataset, given the datasets that exist."""
        return Vocabulary(datasets=dataset_ids, **self.id_sets)

    @cached_property
    def place_neighbourhoods(self) -> np.ndarray:
        """Each place's city neighbourhood polygon (index), or -1: the map's choropleth counts events by it."""
        from data.views.city import place_neighbourhoods

        with self._lock:
            return place_neighbourhoods(self.dataset)

    @cached_property
    def filter_options(self) -> FilterOptions:
        """The sidebar's choices, sorted once."""
        return filter_options(self.dataset)


def derived(ds: Dataset) -> Derived:
    """The derived views of a dataset, built on first use and kept while the dataset lives."""
    key = id(ds)
    with _REGISTRY_LOCK:
        entry = _REGISTRY.get(key)
        if entry is not None and entry[0]() is ds:
            return entry[1]
        made = Derived(ds)
        _REGISTRY[key] = (weakref.ref(ds, lambda _ref, key=key: _forget(key)), made)
        return made


def _forget(key: int) -> None:
    with _REGISTRY_LOCK:
        entry = _REGISTRY.get(key)
        if entry is not None and entry[0]() is None:
            del _REGISTRY[key]


def prepare(ds: Dataset) -> Dataset:
    """Build what the first rerun would otherwise build (search text, the default claim order, events by place,
    link ids, sidebar choices) while the dataset loads."""
    views = derived(ds)
    views.search
    views.claim_order("date")
    views.events_by_place
    views.id_sets
    views.filter_options
    return ds
