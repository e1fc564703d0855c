"""The figures an imported dataset gives itself (ACLED's lowest toll, UCDP's low/best/high deaths) as its own claims.

A file's figures are claims like any other (data/model/quantities.py): they show beside the news claims' figures
with who said each. Their claimant names the dataset; it is not an actor, so it never counts as an independent
voice (ACLED and UCDP compile the very reports the other claims come from).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.importers.tables import fill_table
from data.model.quantities import DATASET_FIGURES_PREFIX


def figure_claims(events: pd.DataFrame, figures: list[tuple[str, str, str, pd.Series]], *, dataset: str, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sources, claims): one claim per event and figure given, and the one source they point to.

    figures: (claim id suffix, unit, words for the statement, the value per event row); blank values give no claim.
    """
    source_id = DATASET_FIGURES_PREFIX + dataset
    parts = []
    for suffix, unit, words, values in figures:
        numbers = pd.to_numeric(pd.Series(values.to_numpy(dtype=object), dtype=object), errors="coerce").astype(float)
        has = np.flatnonzero(numbers.notna().to_numpy())
        if has.size == 0:
            continue
        event_id = events["event_id"].iloc[has].reset_index(drop=True).astype(str)
        value = numbers.iloc[has].reset_index(drop=True)
        count = value.round().astype("int64").astype(str)
        parts.append(pd.DataFrame({
            "claim_id": event_id + f":{suffix}",
            "event_id": event_id,
            "claimant": label,
            "statement": f"{label} gives " + count + f" killed ({words}).",
            "quantity": value,
            "unit": unit,
        }))
    if not parts:
        empty = pd.RangeIndex(0)
        return fill_table("sources", {}, empty), fill_table("claims", {}, empty)
    frame = pd.concat(parts, ignore_index=True)
    claims = fill_table(
        "claims",
        {
            "claim_id": frame["claim_id"],
            "event_id": frame["event_id"],
            "source_id": source_id,
            "claimant": frame["claimant"],
            "stance": "asserts",
            "statement": frame["statement"],
            "quantity": frame["quantity"],
            "unit": frame["unit"],
        },
        frame.index,
    )
    sources = fill_table(
        "sources",
        {"source_id": pd.Series([source_id]), "outlet": label, "outlet_basis": "stated", "title": f"{label}'s own figures in the imported file"},
        pd.RangeIndex(1),
    )
    return sources, claims
