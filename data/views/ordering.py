"""The claim table's orders over a whole dataset, computed once per dataset and sort (see data/views/derived.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.model.taxonomy import STANCES

SORTS = {
    "date": "Event date, then event",
    "status": "Contested first",
    "outlet": "Outlet",
    "claimant": "Claimant",
}


def claim_order(ds, sort: str = "date") -> np.ndarray:
    """Positions of every claim of the dataset in the display order of `sort`: an event's assertions before its denials."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    claims = ds.claims
    event_pos = claims["event_pos"].to_numpy()
    linked = event_pos >= 0
    claim_day = claims["claim_day"].to_numpy()
    claim_day = np.where(claim_day == np.iinfo(np.int32).min, np.iinfo(np.int32).max, claim_day)  # undated last
    event_day = np.where(linked, ds.events["day_start"].to_numpy()[np.where(linked, event_pos, 0)], claim_day)
    stance_code = claims["stance_code"].to_numpy()
    stance_rank = np.where(stance_code >= 0, stance_code, len(STANCES))  # unknown stances last
    status_rank = np.where(linked, ds.events["status"].cat.codes.to_numpy()[np.where(linked, event_pos, 0)], 9)
    keys: list[np.ndarray] = [stance_rank, event_pos, event_day]  # np.lexsort: last key is primary
    if sort == "status":
        keys.append(np.where(status_rank == 1, 0, 1 + status_rank))
    elif sort == "outlet":
        keys = [stance_rank, event_pos, event_day, _text_rank(claims["outlet"])]
    elif sort == "claimant":
        keys = [event_day, _text_rank(claims["claimant"])]
    return np.lexsort(keys)


def _text_rank(values: pd.Series) -> np.ndarray:
    """Each value's rank among the distinct values in code-point order (what sorting the strings would give)."""
    codes, uniques = pd.factorize(values.astype(str))
    order = sorted(range(len(uniques)), key=lambda i: str(uniques[i]))
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    return rank[codes]
