"""Narratives against the data they walk through: the seed's own file, checking against a dataset, a step's links and evidence."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from data.model.dataset import SEED_DIR, Dataset
from data.narratives.model import Narrative, NarrativeError, Step, from_json
from data.views.derived import derived
from data.views.view import ViewState, Vocabulary

SEED_FILE = SEED_DIR / "narratives.json"
PAGE_PATH = "narratives"  # the page's URL path: /narratives?story=ID&step=N


def vocabulary_of(ds: Dataset, available: frozenset[str] | None = None) -> Vocabulary:
    """What a step's view may name in this dataset (the datasets that exist: `available`, else this one's)."""
    return derived(ds).vocabulary(available or frozenset(str(d) for d in ds.events["dataset_id"].unique()) | {ds.dataset_id})


def claim_ids_of(ds: Dataset) -> frozenset[str]:
    return frozenset(ds.claims["claim_id"].astype(str))


def seed_narratives(ds: Dataset | None = None, path: Path | str = SEED_FILE) -> list[Narrative]:
    """The narratives shipped with the seed (checked against the seed dataset when given); none when the file is absent."""
    path = Path(path)
    if not path.exists():
        return []
    vocabulary = vocabulary_of(ds, frozenset({"seed"})) if ds is not None else None
    return from_json(path.read_bytes(), vocabulary, claim_ids_of(ds) if ds is not None else None)


def step_query(narrative_id: str, step_number: int) -> dict[str, str]:
    """The narrative page's parameters for one step (1-based, as the reader counts).

    >>> step_query("aleppo", 3)
    {'story': 'aleppo', 'step': '3'}
    """
    return {"story": narrative_id, "step": str(step_number)}


def step_link(narrative_id: str, step_number: int, base: str = "") -> str:
    """The link that opens one step of a narrative: /narratives?story=ID&step=N on the app's address.

    >>> step_link("aleppo", 2, "http://atlas.example/atlas?x=1")
    'http://atlas.example/narratives?story=aleppo&step=2'
    """
    root = base.split("?")[0].rstrip("/")
    root = root.rsplit("/", 1)[0] if root.count("/") > 2 else root
    return f"{root or 'http://localhost:8501'}/{PAGE_PATH}?{urlencode(step_query(narrative_id, step_number))}"


def read_step_number(raw: str | None, n_steps: int) -> tuple[int, str | None]:
    """The step a URL asks for (1-based) and what was wrong with it; a bad or missing value opens step 1.

    >>> read_step_number("3", 8), read_step_number("nine", 8)[0], read_step_number("12", 8)
    ((3, None), 1, (8, '`step` 12 is past the last step; showing step 8 of 8'))
    """
    if raw is None or raw == "":
        return 1, None
    try:
        number = int(str(raw).strip())
    except ValueError:
        return 1, f"`step` must be a step number like 2, got '{str(raw)[:20]}'; showing step 1"
    if number < 1:
        return 1, f"`step` must be 1 or more, got {number}; showing step 1"
    if number > n_steps:
        return max(n_steps, 1), f"`step` {number} is past the last step; showing step {max(n_steps, 1)} of {n_steps}"
    return number, None


def step_view(step: Step, ds: Dataset, available: frozenset[str] | None = None) -> ViewState:
    """The view a step opens on this data (a parameter the data no longer knows falls back to its default)."""
    return step.view_state(vocabulary_of(ds, available))


def step_evidence(ds: Dataset, step: Step, view: ViewState) -> pd.DataFrame:
    """What a step rests on: its selected event (place, status) and the claims it cites (claimant, stance, statement, outlet)."""
    rows = []
    names = ds.actor_index.names
    if view.selected_event:
        event = ds.events[ds.events["event_id"] == view.selected_event]
        for item in event.itertuples(index=False):
            place = ds.place_tree.names.get(item.place_id, item.place_id) if isinstance(item.place_id, str) else ""
            rows.append({"what": "event", "who": place or "", "stance": str(item.status), "text": str(item.summary),
                         "when": _dates(item.date_start, item.date_end), "reported by": "", "id": item.event_id})
    if step.claims:
        claims = ds.claims[ds.claims["claim_id"].isin(step.claims)]
        order = {claim_id: i for i, claim_id in enumerate(step.claims)}
        claims = claims.assign(_order=claims["claim_id"].map(order)).sort_values("_order")
        for item in claims.itertuples(index=False):
            rows.append({"what": "claim", "who": names.get(item.claimant, str(item.claimant)), "stance": str(item.stance),
                         "text": str(item.statement), "when": _dates(item.claim_date, None),
                         "reported by": str(item.outlet) if isinstance(item.outlet, str) else "", "id": item.claim_id})
    return pd.DataFrame(rows, columns=["what", "who", "stance", "text", "when", "reported by", "id"])


def _dates(start, end) -> str:
    def day(value) -> str:
        return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
    first, last = day(start), day(end)
    return first if not last or last == first else f"{first} to {last}"


def find_narrative(narratives: list[Narrative], narrative_id: str | None) -> Narrative | None:
    return next((n for n in narratives if n.narrative_id == narrative_id), None)


__all__ = ["NarrativeError", "SEED_FILE", "claim_ids_of", "find_narrative", "read_step_number", "seed_narratives",
           "step_evidence", "step_link", "step_query", "step_view", "vocabulary_of"]
