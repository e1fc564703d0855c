"""The claim table: one row per claim, an event's assertions and denials side by side, one page at a time."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from data.model.claims import REASON_COLUMNS, status_reasons
from data.views.derived import derived
from data.views.filters import Selection
from data.views.ordering import SORTS
from data.model.taxonomy import SIDE_LABELS, STANCES

PAGE_SIZE = 100
TABLE_COLUMNS = [
    "date",
    "place",
    "event",
    "status",
    "why",
    "claimant",
    "origin",
    "side",
    "stance",
    "statement",
    "quantity",
    "outlet",
    "source",
    "event_id",
    "claim_id",
]


def sorted_claim_positions(selection: Selection, sort: str = "date") -> np.ndarray:
    """Row positions of the filtered claims in display order (the whole filtered set, for paging and download).

    The order of all claims is computed once per dataset and sort; a rerun keeps the filtered claims of
    it in place. np.lexsort is stable, so this equals sorting the filtered claims alone.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    order = derived(selection.dataset).claim_order(sort)
    return order[selection.claim_mask[order]]


def claim_rows(selection: Selection, positions: np.ndarray) -> pd.DataFrame:
    """Display rows for the given claim positions: date, place, event, status and why, claimant, origin, side, stance,
    statement, quantity, outlet, source."""
    ds = selection.dataset
    # Take only the columns shown, each for the given rows (a 100-row page must not copy whole frames).
    claims = {name: ds.claims[name].iloc[positions] for name in (
        "event_pos", "claim_date", "quantity", "unit", "claimant", "side", "stance", "statement", "outlet", "source_pos",
        "event_id", "claim_id", "origin")}
    event_pos = claims["event_pos"].to_numpy()
    linked = event_pos >= 0
    event_rows = np.where(linked, event_pos, 0)
    events = {name: ds.events[name].iloc[event_rows] for name in ("date_start", "date_end", "place_id", "summary", "status")}
    place_names = ds.place_tree.names
    source_titles = np.append(ds.sources["title"].to_numpy(dtype=object), "")
    event_date = events["date_start"].dt.strftime("%Y-%m-%d").to_numpy()
    event_end = events["date_end"].dt.strftime("%Y-%m-%d").to_numpy()
    claim_date = claims["claim_date"].dt.strftime("%Y-%m-%d").fillna("").to_numpy()
    quantity = [
        "" if pd.isna(q) else f"{q:,.0f} {u}".strip()
        for q, u in zip(claims["quantity"].to_numpy(), claims["unit"].to_numpy())
    ]
    actor_names = ds.actor_index.names
    rows = pd.DataFrame(
        {
            "date": np.where(linked, [s if s == e else f"{s} – {e}" for s, e in zip(event_date, event_end)], claim_date),
            "place": np.where(linked, events["place_id"].map(place_names).fillna("").to_numpy(), ""),
            "event": np.where(linked, events["summary"].to_numpy(), "(no single event)"),
            "status": np.where(linked, events["status"].astype(str).to_numpy(), ""),
            "why": np.where(linked, _reasons(ds, event_pos), ""),
            "claimant": [actor_names.get(c, c) for c in claims["claimant"].tolist()],
            "origin": claims["origin"].astype(str).to_numpy(),
            "side": [SIDE_LABELS.get(s, s) for s in claims["side"].tolist()],
            "stance": claims["stance"].to_numpy(),
            "statement": claims["statement"].to_numpy(),
            "quantity": quantity,
            "outlet": claims["outlet"].to_numpy(),
            "source": source_titles[claims["source_pos"].to_numpy()],
            "event_id": claims["event_id"].to_numpy(),
            "claim_id": claims["claim_id"].to_numpy(),
        }
    )
    return rows[TABLE_COLUMNS]


def _reasons(ds, event_pos: np.ndarray) -> np.ndarray:
    """The status reason of each row's event (rows about no event get ''), computed once per event shown."""
    wanted = np.unique(event_pos[event_pos >= 0])
    if wanted.size == 0:
        return np.full(len(event_pos), "", dtype=object)
    events = ds.events.iloc[wanted]
    rows = np.flatnonzero(np.isin(ds.claims["event_pos"].to_numpy(), wanted))
    claims = pd.DataFrame({c: ds.claims[c].iloc[rows] for c in REASON_COLUMNS if c in ds.claims})  # only the columns a reason reads
    by_event = dict(zip(wanted.tolist(), status_reasons(events, claims, ds.actor_index.names).tolist()))
    return np.array([by_event.get(int(p), "") for p in event_pos], dtype=object)


def page_count(n_rows: int, page_size: int = PAGE_SIZE) -> int:
    """Pages needed to show n_rows (at least one, so an empty table still has page 1)."""
    return max(1, math.ceil(n_rows / page_size))


def claim_page(selection: Selection, *, sort: str = "date", page: int = 1, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of the claim table; pages past the end give the last page."""
    positions = sorted_claim_positions(selection, sort)
    page = min(max(page, 1), page_count(len(positions), page_size))
    return claim_rows(selection, positions[(page - 1) * page_size : page * page_size])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe.

    Downloads are opened in Excel or LibreOffice; imported data may carry `=HYPERLINK(...)`.
    Numbers are left alone.

    >>> spreadsheet_safe(pd.DataFrame({"a": ["=HYPERLINK(1)", "ok", "-3 dead"], "n": [-1, 2, 3]}))["a"].tolist()
    ["'=HYPERLINK(1)", 'ok', "'-3 dead"]
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            text = out[column].astype(str)
            risky = text.str.startswith(_FORMULA_START) & out[column].notna()
            out[column] = out[column].where(~risky, "'" + text)
    return out
