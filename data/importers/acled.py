"""ACLED CSV exports to a Dataset: both layouts (2023+ and older), any header case, every refused row reported.

One ACLED row becomes one event `acled:<event_id_cnty>` (lower-case), its place (see data/importers/resolve.py),
its actors (ours where the seed knows the name, else `acled-actor:<slug>`), one source per outlet named in
`source` and one asserting claim per event and outlet, and ACLED's fatalities as a claim of ACLED's own. `notes` is kept as the summary: it is ACLED's own coding
text, not an article, and is marked `summary_origin = "ACLED notes"`.

The layout is the ImportFormat `ACLED` at the end, run by data/importers/pipeline.py; the functions before it are
what only ACLED needs.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers.cell_values import map_distinct
from data.importers.figures import figure_claims
from data.importers.ids import to_slugs
from data.importers.pipeline import import_csv
from data.importers.progress import Progress
from data.importers.readers import LATITUDE, LONGITUDE, TEXT, Codes, Dates, EventIds, Numbers
from data.importers.resolve import new_actor_rows, resolve_actor_names
from data.importers.result import ImportResult
from data.importers.rows import ImportRows
from data.importers.spec import Column, EventActors, EventDates, ImportFormat
from data.importers.tables import fill_table
from data.importers.text_columns import explode_list, take_strings
from data.model.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES
from geo.precision import ACLED_DEFAULT_RADIUS_M

# Event dates as ACLED has written them over the years.
DATE_FORMATS = ("%d %B %Y", "%Y-%m-%d", "%d-%m-%Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y")
DATE_EXPECTED = "a date like '09 February 2018', 2018-02-09 or 09-02-2018"
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISION_M = {str(code): float(radius) for code, radius in ACLED_DEFAULT_RADIUS_M.items()}
# ACLED's actor categories: numeric codes before 2023, text since.
INTER_TEXT = {
    "state forces": "1",
    "rebel group": "2",
    "political militia": "3",
    "identity militia": "4",
    "rioters": "5",
    "protesters": "6",
    "civilians": "7",
    "external/other forces": "8",
}
SIDE_OF_INTER = {
    "1": "government",
    "2": "opposition",
    "3": "other",  # political militia
    "4": "other",  # identity militia
    "5": "other",  # rioters
    "6": "civilian",  # protesters
    "7": "civilian",
    "8": "international",  # external/other forces
    "0": "other",  # older files: no such actor
    "": "other",
}
EVENT_TYPE_OF = {name.casefold(): name for name in EVENT_TYPES}
SUB_EVENT_TYPE_OF = {name.casefold(): name for name in SUB_EVENT_TYPES}
# Columns of the ACLED row kept on the event as they are (prefixed), so an ACLED export can give them back.
KEPT = (
    "disorder_type",
    "civilian_targeting",
    "tags",
    "inter1",
    "inter2",
    "interaction",
    "source_scale",
    "time_precision",
    "timestamp",
)
# Both layouts' columns (the older one in upper case, which the pipeline lowers); required ones first.
COLUMNS = (
    Column(
        "event_id_cnty",
        required=True,
        reader=EventIds(
            "acled", r"[a-z0-9][a-z0-9._-]{0,150}", "not an ACLED event id (letters and digits, e.g. SYR21274)", match_lower_case=True
        ),
    ),
    Column("event_date", required=True, reader=Dates(DATE_FORMATS, DATE_EXPECTED)),
    Column("time_precision", required=True, reader=Codes(TIME_PRECISION, "time precision")),
    Column("event_type", required=True),  # with sub_event_type, against ACLED's taxonomy: _check_rows
    Column("sub_event_type", required=True),
    Column("actor1", required=True, reader=TEXT),
    Column("location", required=True, reader=TEXT),
    Column("latitude", required=True, reader=LATITUDE),
    Column("longitude", required=True, reader=LONGITUDE),
    Column("geo_precision", required=True, reader=Codes(GEO_PRECISION_M, "geo precision")),
    Column("fatalities", required=True, reader=Numbers(low=0, high=10_000_000, whole=True, blank_allowed=True)),
    Column("year"),
    Column("disorder_type"),
    Column("assoc_actor_1", reader=TEXT),
    Column("inter1"),  # actor categories, numeric or text: _check_rows
    Column("actor2", reader=TEXT),
    Column("assoc_actor_2", reader=TEXT),
    Column("inter2"),
    Column("interaction"),
    Column("civilian_targeting"),
    Column("iso"),
    Column("region", reader=TEXT),
    Column("country", reader=TEXT),
    Column("admin1", reader=TEXT),
    Column("admin2", reader=TEXT),
    Column("admin3", reader=TEXT),
    Column("source", reader=TEXT),
    Column("source_scale"),
    Column("notes", reader=TEXT),
    Column("tags", reader=TEXT),
    Column("timestamp"),
)


def is_acled_header(columns: list[str]) -> bool:
    """Whether a header (any case) looks like an ACLED export."""
    return ACLED.matches_header(columns)


def import_acled(
    source: Path | str | bytes,
    *,
    dataset_id: str,
    file_label: str = "acled.csv",
    file_hash: str = "",
    geocoder=None,
    known_actors: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read an ACLED CSV into a Dataset of its valid rows; refused rows are listed with line, column, value, reason."""
    return import_csv(
        ACLED,
        source,
        dataset_id=dataset_id,
        file_label=file_label,
        file_hash=file_hash,
        geocoder=geocoder,
        known_actors=known_actors,
        progress=progress,
    )


def _check_rows(rows: ImportRows) -> None:
    """Event and sub-event types against ACLED's taxonomy; actor categories as codes (numeric before 2023, text since)."""
    raw, found = rows.raw, rows.found
    event_type = map_distinct(raw["event_type"], EVENT_TYPE_OF, clean=lambda v: v.strip().casefold())
    found.reject(event_type.isna().to_numpy(), "event_type", "unknown event type; expected one of: " + ", ".join(EVENT_TYPES))
    sub_event_type = map_distinct(raw["sub_event_type"], SUB_EVENT_TYPE_OF, clean=lambda v: v.strip().casefold())
    found.reject(
        event_type.notna().to_numpy() & sub_event_type.isna().to_numpy(),
        "sub_event_type",
        "unknown sub-event type for ACLED's taxonomy",
    )
    mismatch = event_type.notna() & sub_event_type.notna() & map_distinct(sub_event_type.fillna(""), SUB_EVENT_TYPES).ne(event_type)
    found.reject(mismatch.to_numpy(), "sub_event_type", "sub-event type does not belong to the event type")
    rows.values["event_type"], rows.values["sub_event_type"] = event_type, sub_event_type

    for column in ("inter1", "inter2"):
        value = raw[column].astype(str).str.strip()
        code = map_distinct(value, lambda v: INTER_TEXT.get(v.casefold(), re.sub(r"\.0$", "", v)))
        unknown = value.ne("") & ~code.isin(list(SIDE_OF_INTER)).to_numpy()
        found.reject(unknown.to_numpy(), column, "unknown actor category; expected 0-8 or ACLED's text (e.g. 'State forces')")
        rows.values[column] = code.where(~unknown, "")


def _event_dates(rows: ImportRows) -> EventDates:
    """The event date widened by time_precision: the 7 days around it for "week", its calendar month for "month"."""
    index = rows.index
    day = rows.parsed("event_date").to_numpy(dtype="datetime64[D]")
    precision = rows.parsed("time_precision")
    kind = precision.to_numpy(dtype=object)
    month = day.astype("datetime64[M]")
    start = np.where(kind == "week", day - 3, np.where(kind == "month", month.astype("datetime64[D]"), day))
    end = np.where(kind == "week", day + 3, np.where(kind == "month", (month + 1).astype("datetime64[D]") - 1, day))
    return EventDates(start=pd.Series(start, index=index), end=pd.Series(end, index=index), precision=precision.astype(str))


def _place_rows(rows: ImportRows) -> pd.DataFrame:
    """The row's location with its point and geo_precision; location, admin3, admin2 are the names tried in turn."""
    code = rows.written("geo_precision").str.replace(r"\.0$", "", regex=True)
    return pd.DataFrame(
        {
            "name": rows.clean("location"),
            "lat": rows.parsed("latitude"),
            "lon": rows.parsed("longitude"),
            "precision_m": rows.parsed("geo_precision").astype(float),
            "code": code,
            "kind": np.where(code.eq("1"), "town", "area"),
            "country": rows.clean("country"),
            "admin1": rows.clean("admin1"),
            "admin2": rows.clean("admin2"),
            "admin3": rows.clean("admin3"),
            "cand_location": rows.clean("location"),
            "cand_admin3": rows.clean("admin3"),
            "cand_admin2": rows.clean("admin2"),
        }
    )


def _place_in_words(rows: ImportRows, place_rows: pd.DataFrame) -> pd.Series:
    """The location, else the governorate (admin1)."""
    location = rows.clean("location")
    return location.where(location.ne(""), rows.clean("admin1"))


def _actors(rows: ImportRows, dates: EventDates, known: pd.DataFrame) -> EventActors:
    """Known actor ids used, new actor rows, and per event the actor1/actor2 ids and '|'-joined associates.

    Associates share their main actor's ACLED category (the side of a new associate comes from it).
    """
    n = len(dates.start)
    roles = {
        "actor1_id": (rows.clean("actor1"), rows.parsed("inter1")),
        "actor2_id": (rows.clean("actor2"), rows.parsed("inter2")),
        "assoc_actor1_ids": (rows.clean("assoc_actor_1"), rows.parsed("inter1")),
        "assoc_actor2_ids": (rows.clean("assoc_actor_2"), rows.parsed("inter2")),
    }
    parts = []
    for role, (names, codes) in roles.items():
        if role.startswith("assoc"):
            pieces = explode_list(names, ";").drop_duplicates(["row", "value"])
            positions, found = pieces["row"].to_numpy(dtype=np.int64), pieces["value"].reset_index(drop=True)
        else:
            positions = np.flatnonzero(names.ne("").to_numpy(dtype=bool))
            found = names.iloc[positions].reset_index(drop=True)  # an Arrow take: no Python string per row
        parts.append((role, positions, found, codes.iloc[positions].reset_index(drop=True)))
    all_names = pd.concat([p[2] for p in parts], ignore_index=True).astype(str)
    all_sides = map_distinct(pd.concat([p[3] for p in parts], ignore_index=True).astype(str), lambda c: SIDE_OF_INTER.get(c, "other"))
    all_dates = pd.Series(np.concatenate([dates.start.to_numpy()[p[1]] for p in parts]))
    known_ids = resolve_actor_names(all_names, all_dates, known)
    new_rows, new_ids = new_actor_rows(all_names.where(known_ids.eq(""), ""), all_sides, prefix="acled-actor", note="from an ACLED import; side from ACLED's actor category")
    final = known_ids.where(known_ids.ne(""), new_ids)
    final_codes, final_ids = pd.factorize(final)  # few distinct actors: build each column by codes
    final_ids = np.append(np.asarray(final_ids, dtype=object), "")
    out: dict[str, pd.Series] = {}
    start = 0
    for role, positions, _, _ in parts:
        codes = final_codes[start : start + len(positions)]
        start += len(positions)
        column_codes = np.full(n, len(final_ids) - 1, dtype=np.int64)
        if role.startswith("assoc") and len(positions):
            # positions are sorted; join each row's ids with '|' in one C-level reduction
            firsts = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]])
            joined = np.add.reduceat(("|" + final_ids[codes]).astype(object), firsts)
            column = np.full(n, "", dtype=object)
            column[positions[firsts]] = [value[1:] for value in joined]
            out[role] = pd.Series(column, index=dates.start.index, dtype=str)
        else:
            column_codes[positions] = codes
            out[role] = take_strings(pd.Series(final_ids, dtype=str), column_codes, index=dates.start.index)
    return EventActors(columns=out, known_ids=set(known_ids[known_ids.ne("")]), new_rows=new_rows)


def _events(rows: ImportRows, dates: EventDates, place_id: pd.Series, actors: EventActors, where: pd.Series) -> pd.DataFrame:
    """One event per row; blank notes get a summary generated from the sub-event type and the place."""
    index = rows.index
    sub = rows.parsed("sub_event_type").astype(str)
    summary = rows.clean("notes")
    blank = summary.eq("").to_numpy(dtype=bool)
    if blank.any():
        summary = summary.copy()
        summary[blank] = sub[blank] + " in " + where[blank] + " (no notes in the ACLED file)"
    return fill_table(
        "events",
        {
            "event_id": rows.parsed("event_id_cnty"),
            "date_start": pd.Series(dates.start.to_numpy(dtype="datetime64[us]"), index=index),
            "date_end": pd.Series(dates.end.to_numpy(dtype="datetime64[us]"), index=index),
            "date_precision": dates.precision,
            "place_id": place_id,
            "event_type": rows.parsed("event_type").astype(str),
            "sub_event_type": sub,
            "actor1_id": actors.columns["actor1_id"],
            "actor2_id": actors.columns["actor2_id"],
            "summary": summary,
            "fatalities_low": rows.parsed("fatalities").astype("Int64"),
            "fatalities_high": pd.Series(pd.NA, index=index, dtype="Int64"),
            "summary_origin": "ACLED notes",
            "assoc_actor1_ids": actors.columns["assoc_actor1_ids"],
            "assoc_actor2_ids": actors.columns["assoc_actor2_ids"],
            **{f"acled_{c}": rows.kept(c) for c in KEPT},
        },
        index,
    )


def _sources_and_claims(rows: ImportRows, events: pd.DataFrame, where: pd.Series, known: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One source per outlet, one asserting claim per event and outlet; ACLED's own toll (its lowest reported figure)
    as a claim of ACLED's (data/importers/figures.py)."""
    frame = explode_list(rows.clean("source"), ";").rename(columns={"value": "outlet"})
    slug_codes, slugs = pd.factorize(to_slugs(frame["outlet"]).replace("", "unnamed"))
    frame["slug_code"] = slug_codes
    frame = frame.drop_duplicates(["row", "slug_code"])
    _, first = np.unique(frame["slug_code"].to_numpy(), return_index=True)
    outlets = frame.iloc[first]
    slug_of = pd.Series(slugs, dtype=str)
    source_ids = "acled-source:" + slug_of
    sources = fill_table(
        "sources",
        {"source_id": source_ids, "outlet": outlets["outlet"].reset_index(drop=True), "outlet_basis": "stated"},
        slug_of.index,
    )
    speaks_for = resolve_actor_names(outlets["outlet"].reset_index(drop=True), pd.Series(pd.NaT, index=slug_of.index), known)
    positions = frame["row"].to_numpy(dtype=np.int64)
    codes = frame["slug_code"].to_numpy(dtype=np.int64)
    event_id = events["event_id"].iloc[positions].reset_index(drop=True)
    outlet = frame["outlet"].reset_index(drop=True)
    sub = events["sub_event_type"].iloc[positions].reset_index(drop=True)
    claims = fill_table(
        "claims",
        {
            "claim_id": event_id + ":" + take_strings(slug_of, codes),
            "event_id": event_id,
            "source_id": take_strings(source_ids, codes),
            "claimant": outlet,
            "claimant_actor_id": take_strings(speaks_for, codes),
            "stance": "asserts",
            "statement": outlet + " reports: " + sub + " in " + where.iloc[positions].reset_index(drop=True),
        },
        outlet.index,
    )
    own_sources, own_claims = figure_claims(
        events, [("acled-figure", "killed (ACLED: lowest reported figure)", "its lowest reported figure", events["fatalities_low"])],
        dataset="acled", label="ACLED")
    return pd.concat([sources, own_sources], ignore_index=True), pd.concat([claims, own_claims], ignore_index=True)


ACLED = ImportFormat(
    name="acled",
    label="ACLED",
    signature=frozenset({"event_id_cnty", "event_date", "geo_precision"}),
    columns=COLUMNS,
    coord_source="ACLED file, geo_precision",
    check_rows=_check_rows,
    event_dates=_event_dates,
    place_rows=_place_rows,
    place_in_words=_place_in_words,
    actors=_actors,
    events=_events,
    sources_and_claims=_sources_and_claims,
)
