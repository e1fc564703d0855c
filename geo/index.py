"""A name index over one layer of places: exact keys in dicts, and a rapidfuzz pass on precomputed keys."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from geo.names import fold_key, name_key, skeleton_key

# Scores (0-100) by how the spelling matched. Fuzzy scores are rapidfuzz's ratio minus FUZZY_PENALTY.
SCORE_SPELLING = 100.0   # same spelling up to case, diacritics, articles and punctuation
SCORE_FOLDED = 95.0      # same after transliteration folding (ou/u, ei/ay, q/k, -iyeh/-iya, ...)
SCORE_SKELETON = 85.0    # same consonants, and folded keys at least SKELETON_MIN_RATIO alike
SKELETON_MIN_LEN = 3
SKELETON_MIN_RATIO = 60.0
FUZZY_MIN_RATIO = 84.0
FUZZY_SHORT_KEY_LEN = 6      # keys this short need FUZZY_SHORT_EXTRA more: one wrong letter in five is too loose
FUZZY_SHORT_EXTRA = 6.0
FUZZY_PENALTY = 5.0
FUZZY_MIN_KEY_LEN = 4


@dataclass(frozen=True, slots=True)
class Entry:
    """A place as the geocoder holds it; `ref` is unique across layers (a place_id or 'geonames:<id>')."""

    ref: str
    place_id: str | None
    name: str
    kind: str
    parent_id: str | None
    lat: float
    lon: float
    precision_m: float | None
    coord_source: str
    provider: str
    country: str | None
    ancestors: tuple[str, ...] = ()


class NameIndex:
    """Every spelling of every entry under three keys, plus the unique folded keys for fuzzy matching.

    use_skeleton=False skips consonant-skeleton matching: on a large multilingual layer (GeoNames)
    equal skeletons are mostly coincidences.
    """

    def __init__(self, entries: list[Entry], spellings: list[tuple[str, ...]], *, use_skeleton: bool = True,
                 fuzzy_min_ratio: float = FUZZY_MIN_RATIO):
        self.entries = entries
        self.fuzzy_min_ratio = fuzzy_min_ratio
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_fold: dict[str, set[int]] = defaultdict(set)
        self.by_skeleton: dict[str, list[tuple[int, str]]] = defaultdict(list)
        fold_entries: dict[str, set[int]] = defaultdict(set)
        for i, names in enumerate(spellings):
            for spelling in names:
                key = name_key(spelling)
                if not key:
                    continue
                folded = fold_key(spelling)
                self.by_name[key].add(i)
                self.by_fold[folded].add(i)
                fold_entries[folded].add(i)
                if use_skeleton:
                    skeleton = skeleton_key(spelling)
                    if len(skeleton) >= SKELETON_MIN_LEN:
                        self.by_skeleton[skeleton].append((i, folded))
        self.fuzzy_keys = [k for k in fold_entries if len(k) >= FUZZY_MIN_KEY_LEN]
        self.fuzzy_entries = [tuple(sorted(fold_entries[k])) for k in self.fuzzy_keys]
        self._fuzzy_lengths = np.array([len(k) for k in self.fuzzy_keys])

    def exact(self, *, key: str, folded: str, skeleton: str) -> dict[int, float]:
        """Entries whose spelling, folded key or consonant skeleton equals the query's, with scores."""
        scores: dict[int, float] = {}
        for i in self.by_name.get(key, ()):
            scores[i] = SCORE_SPELLING
        for i in self.by_fold.get(folded, ()):
            scores.setdefault(i, SCORE_FOLDED)
        if len(skeleton) >= SKELETON_MIN_LEN:
            for i, other in self.by_skeleton.get(skeleton, ()):
                if i not in scores and fuzz.ratio(folded, other) >= SKELETON_MIN_RATIO:
                    scores[i] = SCORE_SKELETON
        return scores

    def fuzzy(self, folded_queries: list[str]) -> list[dict[int, float]]:
        """Fuzzy scores for many folded queries at once (rapidfuzz cdist on keys of compatible length)."""
        results: list[dict[int, float]] = [{} for _ in folded_queries]
        if not self.fuzzy_keys:
            return results
        by_length: dict[int, list[int]] = defaultdict(list)
        for q, text in enumerate(folded_queries):
            if len(text) >= FUZZY_MIN_KEY_LEN:
                by_length[len(text)].append(q)
        for length, rows in by_length.items():
            min_ratio = self.fuzzy_min_ratio + (FUZZY_SHORT_EXTRA if length <= FUZZY_SHORT_KEY_LEN else 0.0)
            # ratio >= r needs the shorter key to be at least r/(200-r) of the longer one's length
            factor = min_ratio / (200.0 - min_ratio)
            columns = np.nonzero((self._fuzzy_lengths >= length * factor) & (self._fuzzy_lengths * factor <= length))[0]
            if not len(columns):
                continue
            choices = [self.fuzzy_keys[c] for c in columns]
            matrix = process.cdist([folded_queries[q] for q in rows], choices, scorer=fuzz.ratio,
                                   score_cutoff=min_ratio, workers=-1, dtype=np.uint8)
            for r, c in zip(*np.nonzero(matrix)):
                score = float(matrix[r, c]) - FUZZY_PENALTY
                target = results[rows[r]]
                for i in self.fuzzy_entries[columns[c]]:
                    if score > target.get(i, 0.0):
                        target[i] = score
        return results
