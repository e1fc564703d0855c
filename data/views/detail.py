"""Everything about one event: dates and their precision, place and its uncertainty, actors, claims and sources."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.model.dataset import Dataset
from data.model.taxonomy import SIDE_LABELS, STANCES


@dataclass(frozen=True)
class EventDetail:
    """A plain record the event panel draws; all strings are data, to be shown as text."""

    event_id: str
    summary: str
    when: str
    date_precision: str
    place: str
    place_precision: str
    place_source: str
    event_type: str
    actors: str
    fatalities: str
    status: str
    claims: pd.DataFrame  # claimant, side, stance, statement, quantity, outlet, source, published, evidence
    elsewhere: tuple[str, ...] = ()  # what the other overlaid datasets record at the same place and time


def _dataset_label(dataset_id: str) -> str:
    prefix = dataset_id.split("-", 1)[0]
    return {"seed": "The curated news dataset", "acled": "ACLED", "ucdp": "UCDP", "atlas": "Dataset", "review": "Reviewed articles"}.get(
        prefix, dataset_id
    ) + ("" if prefix == "seed" else f" ({dataset_id})")


def matches_elsewhere(ds: Dataset, event_id: str) -> tuple[str, ...]:
    """One sentence per other overlaid dataset on the events it records that may be this one (rule: data/store/matching.py)."""
    from data.store.matching import describe_events, match_events

    events = ds.events
    this = events[events["event_id"] == event_id]
    if this.empty or events["dataset_id"].nunique() < 2:
        return ()
    origin = this["dataset_id"].iloc[0]
    sentences = []
    for other_id, other in events[events["dataset_id"] != origin].groupby("dataset_id", sort=True):
        pairs = match_events(this, ds.places, other, ds.places)
        matched = other[other["event_id"].isin(pairs["right_event_id"])]
        sentences.append(describe_events(matched, ds.places, source=_dataset_label(str(other_id))))
    return tuple(sentences)


def _fatalities(low, high) -> str:
    if pd.isna(low) and pd.isna(high):
        return "unknown"
    if pd.isna(high):
        return f"at least {int(low):,}"
    if pd.isna(low):
        return f"up to {int(high):,}"
    return f"{int(low):,}" if low == high else f"{int(low):,} to {int(high):,}"


def event_detail(ds: Dataset, event_id: str) -> EventDetail | None:
    """The detail of one event, or None when the id is not in the dataset."""
    found = np.flatnonzero(ds.events["event_id"].to_numpy() == event_id)
    if found.size == 0:
        return None
    event = ds.events.iloc[int(found[0])]
    start, end = event["date_start"], event["date_end"]
    when = f"{start:%d %b %Y}" if start == end else f"{start:%d %b %Y} to {end:%d %b %Y}"
    if event["place_id"]:
        place_row = ds.places[ds.places["place_id"] == event["place_id"]].iloc[0]
        chain = [ds.place_tree.names.get(p, p) for p in ds.place_tree.ancestors(event["place_id"])]
        place = ", ".join([place_row["name"], *chain])
        radius = place_row["precision_m"]
        place_precision = f"{place_row['kind']}, within {radius / 1000:.1f} km" if radius >= 1000 else f"{place_row['kind']}, within {radius:.0f} m"
        place_source = place_row["coord_source"]
    else:
        place, place_precision, place_source = "(no place on the ground)", "", ""
    names = ds.actor_index.names
    actors = " vs ".join(names.get(a, a) for a in (event["actor1_id"], event["actor2_id"]) if a) or "(none named)"
    claims = ds.claims[ds.claims["event_id"] == event_id]
    sources = ds.sources.set_index("source_id")
    rows = pd.DataFrame(
        {
            "stance": claims["stance"].to_numpy(),
            "claimant": claims["claimant"].map(lambda c: names.get(c, c)).to_numpy(),
            "side": claims["side"].map(lambda s: SIDE_LABELS.get(s, s)).to_numpy(),
            "statement": claims["statement"].to_numpy(),
            "quantity": [
                "" if pd.isna(q) else f"{q:,.0f} {u}".strip() for q, u in zip(claims["quantity"], claims["unit"])
            ],
            "outlet": claims["outlet"].to_numpy(),
            "relayed by": claims["relayed_by"].to_numpy(),
            "published": claims["source_id"].map(sources["published"]).dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
            "evidence": [
                f"{doc} [{int(a)}:{int(b)}]" if doc and not pd.isna(a) else doc or ""
                for doc, a, b in zip(
                    claims["source_id"].map(sources["document"]).fillna(""), claims["span_start"], claims["span_end"]
                )
            ],
            "claim_id": claims["claim_id"].to_numpy(),
        }
    )
    rows["_rank"] = rows["stance"].map({s: i for i, s in enumerate(STANCES)})
    rows = rows.sort_values(["_rank", "claim_id"]).drop(columns="_rank").reset_index(drop=True)
    return EventDetail(
        event_id=event_id,
        summary=event["summary"],
        when=when,
        date_precision=event["date_precision"],
        place=place,
        place_precision=place_precision,
        place_source=place_source,
        event_type=f"{event['event_type']} / {event['sub_event_type']}",
        actors=actors,
        fatalities=_fatalities(event["fatalities_low"], event["fatalities_high"]),
        status=str(event["status"]),
        claims=rows,
        elsewhere=matches_elsewhere(ds, event_id),
    )
