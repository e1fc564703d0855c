"""The search box: which event summaries and which claims (statement or claimant) hold a text, case-insensitively.

The text is lower-cased once per dataset and scanned with Arrow's string kernels (RE2), which release the GIL, so
the summaries and the claims are searched in parallel; the last few needles are kept, since an analyst who searched
usually goes on to change other filters.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from data.model.dataset import SEARCH_SEPARATOR, Dataset

RECENT_NEEDLES = 16
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="atlas-search")


def search_mask(texts: pd.Series, needle: str) -> np.ndarray:
    """The reference semantics of the search box: case-insensitive substring, literally.

    >>> search_mask(pd.Series(["Siege broken", "no"]), "SIEGE").tolist()
    [True, False]
    """
    return texts.str.contains(needle, case=False, regex=False).to_numpy(dtype=bool)


class TextColumn:
    """One text column prepared for the search box: lower-cased once, searched with RE2 in Arrow.

    For an ASCII needle, a case-insensitive match is exactly a match of the ASCII-lowered needle in the
    ASCII-lowered text, except in rows holding the two non-ASCII letters that fold to ASCII ones (the
    Kelvin sign and the long s); those rows, and any non-ASCII needle, take the reference path.
    """

    FOLDING_TO_ASCII = "[\u212a\u017f]"

    def __init__(self, texts: pd.Series):
        import pyarrow as pa
        import pyarrow.compute as pc

        self.texts = texts
        array = texts.array.__arrow_array__() if hasattr(texts.array, "__arrow_array__") else pa.array(texts.to_numpy(dtype=object))
        array = array.cast(pa.large_string())
        self.lowered = pc.ascii_lower(array)
        special = pc.match_substring_regex(array, self.FOLDING_TO_ASCII).fill_null(False)
        self.special = np.flatnonzero(special.to_numpy(zero_copy_only=False))

    def contains(self, needle: str) -> np.ndarray:
        import pyarrow.compute as pc

        if not needle.isascii():
            return search_mask(self.texts, needle)
        hits = pc.match_substring_regex(self.lowered, re.escape(needle.lower())).fill_null(False)
        out = np.array(hits.to_numpy(zero_copy_only=False), dtype=bool)
        if self.special.size:
            out[self.special] = search_mask(self.texts.iloc[self.special], needle)
        return out


class DistinctTextColumn:
    """A text column with few distinct values (claimants): searched once per distinct value."""

    def __init__(self, texts: pd.Series):
        codes, uniques = pd.factorize(texts)
        self.codes = codes
        self.uniques = pd.Series(np.asarray(uniques, dtype=object), dtype=texts.dtype)

    def contains(self, needle: str) -> np.ndarray:
        return np.append(search_mask(self.uniques, needle), False)[self.codes]


class SearchIndex:
    """A dataset's searchable text (about 1.3 s CPU to build for 1M events and 1.5M claims) and its recent answers."""

    def __init__(self, ds: Dataset):
        # Columns, not the dataset: data/views/derived.py forgets a dataset's views when the dataset goes.
        self._summaries = ds.events["summary"]
        self._search_texts = ds.claims["search_text"]
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        claims = ds.claims
        joined = None
        if "statement" in claims and "claimant" in claims:
            joined = claims["statement"] + SEARCH_SEPARATOR + claims["claimant"]
        # The fast path searches statement and claimant apart; it is exact only when search_text is just those two.
        self.exact_only = joined is None or not joined.equals(claims["search_text"])
        if not self.exact_only:
            self.summary = TextColumn(ds.events["summary"])
            self.statement = TextColumn(claims["statement"])
            self.claimant = DistinctTextColumn(claims["claimant"])

    def hits(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """(events whose summary holds the needle, claims whose statement or claimant holds it)."""
        with self._lock:
            if needle in self._recent:
                self._recent.move_to_end(needle)
                return self._recent[needle]
        found = self._scan(needle)
        with self._lock:
            self._recent[needle] = found
            while len(self._recent) > RECENT_NEEDLES:
                self._recent.popitem(last=False)
        return found

    def forget_recent(self) -> None:
        """Drop the remembered answers (benchmarks time a needle's first scan)."""
        with self._lock:
            self._recent.clear()

    def _scan(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        if self.exact_only or not needle.isascii():
            # a non-ASCII needle could match across the separator, which is not ASCII: search the joined text
            in_events = self.summary.contains(needle) if not self.exact_only else search_mask(self._summaries, needle)
            return in_events, search_mask(self._search_texts, needle)
        pending = _POOL.submit(self.statement.contains, needle)
        in_events = self.summary.contains(needle)
        in_claims = pending.result() | self.claimant.contains(needle)  # an ASCII needle cannot span the separator
        return in_events, in_claims
