"""Everything about one event: dates and their precision, place and its uncertainty, actors, claims and sources."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.model.claims import claim_phrase, status_reasons
from data.model.dataset import Dataset
from data.model.quantities import fatality_range, number_groups
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
    claims: pd.DataFrame  # claimant, side, stance, statement, quantity, origin, outlet, relayed by, published, evidence
    elsewhere: tuple[str, ...] = ()  # what the other overlaid datasets record at the same place and time
    status_reason: str = ""  # one sentence naming the claims that made the status
    fatalities_basis: str = ""  # "the event's own figures" or "its claims"
    numbers: pd.DataFrame | None = None  # one row per unit: unit, range, said by (who said each figure), disagree


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


def numbers_table(claims: pd.DataFrame, names) -> pd.DataFrame:
    """The figures an event's claims give, one row per unit: the range, who said each figure, whether they disagree."""
    groups = number_groups(claims, lambda row: claim_phrase(row, names))
    return pd.DataFrame(
        {
            "unit": [g.unit for g in groups],
            "range": [g.range for g in groups],
            "said by": [g.said_by for g in groups],
            "disagree": ["more than 2x apart" if g.disagree else "" for g in groups],
        },
        columns=["unit", "range", "said by", "disagree"],
    )


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
            "origin": claims["origin"].astype(str).to_numpy(),
            "outlet": claims["outlet"].to_numpy(),
            "relayed by": claims["relayed_by"].str.replace("|", " → ", regex=False).to_numpy(),
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
    fatalities, basis = fatality_range(event["fatalities_low"], event["fatalities_high"],
                                       event.get("claimed_fatalities_low"), event.get("claimed_fatalities_high"))
    reason = status_reasons(ds.events.iloc[[int(found[0])]], claims, names).iloc[0]
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
        fatalities=fatalities,
        status=str(event["status"]),
        claims=rows,
        elsewhere=matches_elsewhere(ds, event_id),
        status_reason=reason,
        fatalities_basis=basis,
        numbers=numbers_table(claims, names),
    )
