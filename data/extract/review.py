"""The analyst's review, without Streamlit: candidates as editable tables, merge suggestions, accepted rows to a Dataset."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from data.model.dataset import Dataset, from_tables
from data.model.schema import LOAD_ORDER, column_names
from data.model.taxonomy import PLACE_KINDS

from data.extract.confidence import DEFAULT_REVIEW_THRESHOLD
from data.extract.extraction import Extraction

# How the Review page can order candidates: label shown -> (column, ascending).
SORT_ORDERS = {"confidence, highest first": ("confidence", False), "confidence, lowest first": ("confidence", True),
               "as they appear in the article": ("span_start", True)}

EVENT_COLUMNS = [
    "accept", "merge_into", "candidate_id", "date_start", "date_end", "date_precision", "place_id", "place_name",
    "event_type", "sub_event_type", "actor1_id", "actor1_name", "actor2_id", "actor2_name", "fatalities_low",
    "fatalities_high", "summary", "confidence", "rule", "span_start", "span_end", "evidence",
]
CLAIM_COLUMNS = [
    "accept", "candidate_id", "event_ref", "claimant", "claimant_actor_id", "relayed_by", "stance", "statement",
    "claim_date", "quantity", "unit", "confidence", "rule", "span_start", "span_end", "evidence",
]


@dataclass
class Article:
    """One pasted or uploaded article and what the extractor made of it."""

    name: str
    text: str
    extraction: Extraction

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def slug(text: str, limit: int = 60) -> str:
    """A lowercase id slug.

    >>> slug("Air/drone strike at Aleppo!"), slug("  ")
    ('air-drone-strike-at-aleppo', 'x')
    """
    value = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:limit].strip("-")
    return value or "x"


def evidence(text: str, start: int, end: int, limit: int = 400) -> str:
    """The evidence as plain text (shown with st.text / in a dataframe, never as markdown or HTML)."""
    piece = text[start:end]
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


def events_frame(article: Article) -> pd.DataFrame:
    """One editable row per candidate event; accept starts ticked for the confident ones."""
    rows = []
    for event in article.extraction.events:
        rows.append({
            "accept": event.confidence >= DEFAULT_REVIEW_THRESHOLD, "merge_into": "", "candidate_id": event.candidate_id,
            "date_start": event.date_start, "date_end": event.date_end, "date_precision": event.date_precision,
            "place_id": event.place_id or "", "place_name": event.place_name, "event_type": event.event_type,
            "sub_event_type": event.sub_event_type, "actor1_id": event.actor1_id or "", "actor1_name": event.actor1_name,
            "actor2_id": event.actor2_id or "", "actor2_name": event.actor2_name,
            "fatalities_low": event.fatalities_low, "fatalities_high": event.fatalities_high, "summary": event.summary,
            "confidence": event.confidence, "rule": event.rule, "span_start": event.span_start, "span_end": event.span_end,
            "evidence": evidence(article.text, event.span_start, event.span_end),
        })
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def claims_frame(article: Article) -> pd.DataFrame:
    """One editable row per candidate claim."""
    rows = []
    for claim in article.extraction.claims:
        rows.append({
            "accept": claim.confidence >= DEFAULT_REVIEW_THRESHOLD and claim.event_ref is not None, "candidate_id": claim.candidate_id,
            "event_ref": claim.event_ref or "", "claimant": claim.claimant, "claimant_actor_id": claim.claimant_actor_id or "",
            "relayed_by": claim.relayed_by, "stance": claim.stance, "statement": claim.statement, "claim_date": claim.claim_date,
            "quantity": claim.quantity, "unit": claim.unit, "confidence": claim.confidence, "rule": claim.rule,
            "span_start": claim.span_start, "span_end": claim.span_end,
            "evidence": evidence(article.text, claim.span_start, claim.span_end),
        })
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    frame["claim_date"] = pd.to_datetime(frame["claim_date"]).dt.date
    return frame


def rank_candidates(frame: pd.DataFrame, *, threshold: float = DEFAULT_REVIEW_THRESHOLD,
                    order: str = "confidence, highest first") -> tuple[pd.DataFrame, int]:
    """The candidates at or above `threshold`, in the chosen order, and how many were left out.

    >>> f = pd.DataFrame({"candidate_id": ["a", "b", "c"], "confidence": [0.4, 0.9, 0.7], "span_start": [5, 1, 9]})
    >>> shown, hidden = rank_candidates(f, threshold=0.5)
    >>> list(shown["candidate_id"]), hidden
    (['b', 'c'], 1)
    >>> list(rank_candidates(f, threshold=0.0, order="as they appear in the article")[0]["candidate_id"])
    ['b', 'a', 'c']
    """
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"the confidence threshold must lie between 0 and 1, got {threshold!r}")
    if order not in SORT_ORDERS:
        raise ValueError(f"unknown order {order!r}; expected one of {', '.join(SORT_ORDERS)}")
    column, ascending = SORT_ORDERS[order]
    kept = frame[frame["confidence"] >= threshold]
    kept = kept.sort_values([column, "span_start"], ascending=[ascending, True], kind="stable").reset_index(drop=True)
    return kept, len(frame) - len(kept)


def merge_suggestions(row: pd.Series | dict, dataset: Dataset, *, limit: int = 8) -> list[str]:
    """Existing events a candidate may be: same place (or one inside the other) and overlapping dates; best first."""
    events = dataset.events
    if events.empty:
        return []
    start, end = _as_date(row.get("date_start")), _as_date(row.get("date_end")) or _as_date(row.get("date_start"))
    place = row.get("place_id") or ""
    scored = []
    related = set()
    if place:
        related = dataset.place_tree.descendants(place) | set(dataset.place_tree.ancestors(place))
    for event in events.itertuples(index=False):
        if place and event.place_id not in related:
            continue
        if not place and event.place_id:
            continue
        if start and end and not pd.isna(event.date_start):
            event_end = event.date_start if pd.isna(event.date_end) else event.date_end  # an open end: the start day
            if not (event.date_start.date() <= end and start <= event_end.date()):
                continue
        score = (event.sub_event_type == row.get("sub_event_type")) * 2 + (event.event_type == row.get("event_type"))
        score += (event.place_id == place) * 1
        scored.append((score, event.event_id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [event_id for _, event_id in scored[:limit]]


def _as_date(value) -> date | None:
    if value is None or value == "" or value is pd.NaT or (not isinstance(value, date) and pd.isna(value)):
        return None  # pd.NaT passes for a date: it is a datetime subclass
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, pd.Timestamp)):
        return _as_date(value).isoformat()
    return str(value)


def source_row(article: Article, *, outlet: str = "", title: str = "") -> dict:
    """The sources.csv row of an article (its id carries the content hash, so a re-upload keeps the same id)."""
    result = article.extraction
    outlet_name = outlet or result.outlet or "Unknown outlet"
    published = result.published.isoformat() if result.published else ""
    source_id = slug(f"{outlet_name}-{published or 'undated'}-{article.digest[:8]}", 80)
    first_line = next((line.strip() for line in article.text.splitlines() if line.strip()), "")
    return {
        "source_id": source_id, "document": article.name, "outlet": outlet_name,
        "outlet_basis": "stated" if (outlet or result.outlet) else "inferred: not given to the extractor",
        "title": title or first_line[:200], "published": published, "published_basis": result.published_basis, "url": "",
    }


def build_dataset(
    reviewed: list[tuple[Article, pd.DataFrame, pd.DataFrame]],
    base: Dataset,
    *,
    dataset_id: str = "review",
    geocoder=None,
) -> Dataset:
    """A dataset of the accepted candidates: new sources, events and claims, plus the places, actors and
    merged-into events they point at (copied from `base`). Invalid rows are dropped and listed in `problems`."""
    tables: dict[str, list[dict]] = {table: [] for table in LOAD_ORDER}
    needed_places: set[str] = set()
    needed_actors: set[str] = set()
    needed_events: set[str] = set()
    extra_places: dict[str, dict] = {}
    for article, events, claims in reviewed:
        source = source_row(article)
        tables["sources"].append(source)
        event_ids: dict[str, str] = {}
        for row in events.to_dict("records"):
            if row.get("merge_into"):
                event_ids[row["candidate_id"]] = row["merge_into"]
                needed_events.add(row["merge_into"])
                continue
            if not row.get("accept"):
                continue
            event_id = slug(f"{_text(row['date_start'])}-{row.get('place_id') or 'noplace'}-{row['sub_event_type']}-{article.digest[:6]}-{row['candidate_id']}", 90)
            event_ids[row["candidate_id"]] = event_id
            place_id = _text(row.get("place_id"))
            if place_id:
                needed_places.add(place_id)
            for key in ("actor1_id", "actor2_id"):
                if _text(row.get(key)):
                    needed_actors.add(_text(row[key]))
            tables["events"].append({
                "event_id": event_id, "date_start": _text(row["date_start"]), "date_end": _text(row["date_end"] or row["date_start"]),
                "date_precision": _text(row["date_precision"]), "place_id": place_id, "event_type": _text(row["event_type"]),
                "sub_event_type": _text(row["sub_event_type"]), "actor1_id": _text(row.get("actor1_id")),
                "actor2_id": _text(row.get("actor2_id")), "summary": _text(row["summary"]),
                "fatalities_low": _text(row.get("fatalities_low")), "fatalities_high": _text(row.get("fatalities_high")),
            })
        for row in claims.to_dict("records"):
            if not row.get("accept"):
                continue
            if _text(row.get("claimant_actor_id")):
                needed_actors.add(_text(row["claimant_actor_id"]))
            for relay in _text(row.get("relayed_by")).split("|"):
                relay_actor = base.actor_index.resolve(relay.strip()) if relay.strip() else None
                if relay_actor:  # a wire counts as a voice only when the saved dataset holds it as an actor
                    needed_actors.add(relay_actor)
            tables["claims"].append({
                "claim_id": slug(f"{source['source_id']}-{row['candidate_id']}", 100),
                "event_id": event_ids.get(_text(row.get("event_ref")), ""), "source_id": source["source_id"],
                "claimant": _text(row["claimant"]), "claimant_actor_id": _text(row.get("claimant_actor_id")),
                "relayed_by": _text(row.get("relayed_by")), "stance": _text(row["stance"]), "statement": _text(row["statement"]),
                "claim_date": _text(row.get("claim_date")), "quantity": _text(row.get("quantity")), "unit": _text(row.get("unit")),
                "span_start": _text(row["span_start"]), "span_end": _text(row["span_end"]),
            })
    base_events = base.events[base.events["event_id"].isin(needed_events)]
    for event in base_events.itertuples(index=False):
        needed_places.add(event.place_id) if event.place_id else None
        needed_actors.update(a for a in (event.actor1_id, event.actor2_id) if a)
    tables["events"].extend(_rows_of(base_events, "events"))
    # places: the base's, with their ancestors; otherwise what the geocoder knows
    known = set(base.places["place_id"])
    closure = set()
    for place_id in needed_places:
        if place_id in known:
            closure.add(place_id)
            closure.update(base.place_tree.ancestors(place_id))
        else:
            extra_places[place_id] = _place_from_geocoder(place_id, geocoder)
    tables["places"].extend(_rows_of(base.places[base.places["place_id"].isin(closure)], "places"))
    tables["places"].extend(row for row in extra_places.values() if row)
    actor_closure = set()
    for actor_id in needed_actors:
        actor_closure.add(actor_id)
        actor_closure.update(base.actor_index.lineage(actor_id))
    parents = set(base.actors.loc[base.actors["actor_id"].isin(actor_closure), "parent_id"]) - {""}
    while parents - actor_closure:
        actor_closure |= parents
        parents = set(base.actors.loc[base.actors["actor_id"].isin(actor_closure), "parent_id"]) - {""}
    tables["actors"].extend(_rows_of(base.actors[base.actors["actor_id"].isin(actor_closure)], "actors"))
    raw = {table: pd.DataFrame(rows, columns=column_names(table)).fillna("").astype(str) for table, rows in tables.items()}
    return from_tables(raw, dataset_id=dataset_id, on_invalid="drop")


def _rows_of(frame: pd.DataFrame, table: str) -> list[dict]:
    out = []
    for record in frame[column_names(table)].to_dict("records"):
        out.append({key: _list_text(value) for key, value in record.items()})
    return out


def _list_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return _text(value)


def _place_from_geocoder(place_id: str, geocoder) -> dict | None:
    """A gazetteer place the base dataset lacks, as a places.csv row (None if the geocoder does not know it)."""
    if geocoder is None or not hasattr(geocoder, "places"):
        return None
    place = getattr(geocoder, "places", {}).get(place_id)
    if place is None or getattr(place, "lat", None) is None:
        return None
    kind = place.kind if place.kind in PLACE_KINDS else "area"
    return {"place_id": place_id, "name": place.name, "aliases": "", "kind": kind, "parent_id": "",
            "lat": str(place.lat), "lon": str(place.lon), "precision_m": str(place.precision_m or 5000),
            "coord_source": f"geo gazetteer: {getattr(place, 'coord_source', '') or 'shipped'}", "pcode": ""}


def dataset_hash(reviewed: list[tuple[Article, pd.DataFrame, pd.DataFrame]]) -> str:
    """A content hash of the articles and the reviewed rows: the same review saved twice is stored once."""
    digest = hashlib.sha256()
    for article, events, claims in reviewed:
        digest.update(article.digest.encode())
        digest.update(events.to_csv(index=False).encode("utf-8"))
        digest.update(claims.to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()

