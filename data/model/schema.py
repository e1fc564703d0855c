"""The CSV contract of a dataset: tables, columns, and what each cell must hold."""

from __future__ import annotations

from dataclasses import dataclass

from data.model.taxonomy import DATE_PRECISIONS, EVENT_TYPES, PLACE_KINDS, SIDES, STANCES, SUB_EVENT_TYPES


@dataclass(frozen=True)
class Column:
    """One column: `kind` decides how a cell is parsed and checked."""

    name: str
    kind: str = "text"  # id, ref, text, date, int, float, choice, list
    required: bool = False  # the cell must not be blank
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


TABLES: dict[str, tuple[Column, ...]] = {
    "sources": (
        Column("source_id", "id", required=True),
        Column("document"),
        Column("outlet", required=True),
        Column("outlet_basis"),
        Column("title"),
        Column("published", "date"),
        Column("published_basis"),
        Column("url"),
    ),
    "places": (
        Column("place_id", "id", required=True),
        Column("name", required=True),
        Column("aliases", "list"),
        Column("kind", "choice", required=True, choices=PLACE_KINDS),
        Column("parent_id", "ref"),
        Column("lat", "float", required=True, low=-90, high=90),
        Column("lon", "float", required=True, low=-180, high=180),
        Column("precision_m", "float", required=True, low=1, high=5_000_000),
        Column("coord_source", required=True),
        Column("pcode"),
    ),
    "actors": (
        Column("actor_id", "id", required=True),
        Column("name", required=True),
        Column("aliases", "list"),
        Column("side", "choice", required=True, choices=SIDES),
        Column("parent_id", "ref"),
        Column("valid_from", "date"),
        Column("valid_to", "date"),
        Column("predecessor_id", "ref"),
        Column("note"),
    ),
    "events": (
        Column("event_id", "id", required=True),
        Column("date_start", "date", required=True),
        Column("date_end", "date", required=True),
        Column("date_precision", "choice", required=True, choices=DATE_PRECISIONS),
        Column("place_id", "ref"),
        Column("event_type", "choice", required=True, choices=tuple(EVENT_TYPES)),
        Column("sub_event_type", "choice", required=True, choices=tuple(SUB_EVENT_TYPES)),
        Column("actor1_id", "ref"),
        Column("actor2_id", "ref"),
        Column("summary", required=True),
        Column("fatalities_low", "int", low=0, high=10_000_000),
        Column("fatalities_high", "int", low=0, high=10_000_000),
    ),
    "claims": (
        Column("claim_id", "id", required=True),
        Column("event_id", "ref"),
        Column("source_id", "ref", required=True),
        Column("claimant", required=True),
        Column("claimant_actor_id", "ref"),
        Column("relayed_by"),
        Column("stance", "choice", required=True, choices=STANCES),
        Column("statement", required=True),
        Column("claim_date", "date"),
        Column("quantity", "float", low=0, high=1e12),
        Column("unit"),
        Column("span_start", "int", low=0, high=1e9),
        Column("span_end", "int", low=0, high=1e9),
    ),
}

# Which table a reference column points into.
REFERENCES: dict[tuple[str, str], str] = {
    ("places", "parent_id"): "places",
    ("actors", "parent_id"): "actors",
    ("actors", "predecessor_id"): "actors",
    ("events", "place_id"): "places",
    ("events", "actor1_id"): "actors",
    ("events", "actor2_id"): "actors",
    ("claims", "event_id"): "events",
    ("claims", "source_id"): "sources",
    ("claims", "claimant_actor_id"): "actors",
}

# Tables in an order where every reference points backwards (self-references excepted).
LOAD_ORDER = ("sources", "places", "actors", "events", "claims")


def id_column(table: str) -> str:
    """The id column of a table, e.g. 'event_id' for 'events'."""
    return TABLES[table][0].name


def column_names(table: str) -> list[str]:
    """The contract's columns of a table, in file order."""
    return [col.name for col in TABLES[table]]
