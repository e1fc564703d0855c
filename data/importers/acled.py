"""ACLED CSV exports to a Dataset: both layouts (2023+ and older), any header case, every refused row reported.

One ACLED row becomes one event `acled:<event_id_cnty>` (lower-case), its place (see data/importers/resolve.py),
its actors (ours where the seed knows the name, else `acled-actor:<slug>`), one source per outlet named in
`source` and one asserting claim per event and outlet. `notes` is kept as the summary: it is ACLED's own coding
text, not an article, and is marked `summary_origin = "ACLED notes"`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers.cell_values import check_codes, map_distinct, parse_numbers
from data.importers.csv_files import read_csv_text, require_columns
from data.importers.dates import check_dates, parse_dates
from data.importers.ids import to_slugs
from data.importers.progress import Progress, report
from data.importers.rejections import Rejections
from data.importers.result import ImportResult
from data.importers.tables import assemble_dataset, fill_table
from data.importers.text_columns import explode_list, take_strings
from data.importers.text_repair import clean_text
from data.importers.resolve import actor_closure, new_actor_rows, resolve_actor_names, resolve_places, seed_actors
from data.model.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES
from data.model.text import removal_warnings, strip_invisible_frame
from geo.precision import ACLED_DEFAULT_RADIUS_M

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)
OPTIONAL = (
    "year",
    "disorder_type",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "source",
    "source_scale",
    "notes",
    "tags",
    "timestamp",
)
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


def is_acled_header(columns: list[str]) -> bool:
    """Whether a header (any case) looks like an ACLED export."""
    lowered = {c.strip().lower() for c in columns}
    return {"event_id_cnty", "event_date", "geo_precision"} <= lowered


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
    report(progress, 0.02, "reading the file")
    raw = read_csv_text(source, file_label)
    require_columns(raw, REQUIRED, OPTIONAL, file_label, "ACLED")
    raw, invisible = strip_invisible_frame(raw)  # bidi controls and zero-width characters, in every column
    found = Rejections(file_label, raw)
    found.warnings.extend(removal_warnings(invisible, file_label, found.lines))
    report(progress, 0.15, "checking rows")

    text = {}
    for column in ("notes", "location", "admin1", "admin2", "admin3", "country", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "source", "tags", "region"):
        text[column] = clean_text(raw[column], column, found)
        del raw[column]  # the cleaned text replaces the file's: one copy in memory, not two

    report(progress, 0.2, "checking ids, dates and codes")
    acled_id = raw["event_id_cnty"].astype(str).str.strip()
    event_id = "acled:" + acled_id.str.lower()
    blank_id = acled_id.eq("").to_numpy()
    found.reject(blank_id, "event_id_cnty", "required value is blank")
    bad_id = ~blank_id & ~event_id.str.fullmatch(r"acled:[a-z0-9][a-z0-9._-]{0,150}").to_numpy()
    found.reject(bad_id, "event_id_cnty", "not an ACLED event id (letters and digits, e.g. SYR21274)")
    duplicate = ~blank_id & event_id.duplicated(keep="first").to_numpy()
    found.reject(duplicate, "event_id_cnty", "duplicate event id (the first row with it is kept)")

    when = parse_dates(raw["event_date"], DATE_FORMATS)
    check_dates(when, raw["event_date"], "event_date", found, DATE_EXPECTED)
    precision = check_codes(raw["time_precision"], "time_precision", found, TIME_PRECISION, "time precision")
    radius = check_codes(raw["geo_precision"], "geo_precision", found, GEO_PRECISION_M, "geo precision")
    lat = parse_numbers(raw["latitude"], "latitude", found, low=-90, high=90, required=True)
    lon = parse_numbers(raw["longitude"], "longitude", found, low=-180, high=180, required=True)
    fatalities = parse_numbers(raw["fatalities"], "fatalities", found, low=0, high=10_000_000, required=False, whole=True)

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

    inter = {}
    for column in ("inter1", "inter2"):
        value = raw[column].astype(str).str.strip()
        code = map_distinct(value, lambda v: INTER_TEXT.get(v.casefold(), re.sub(r"\.0$", "", v)))
        unknown = value.ne("") & ~code.isin(list(SIDE_OF_INTER)).to_numpy()
        found.reject(unknown.to_numpy(), column, "unknown actor category; expected 0-8 or ACLED's text (e.g. 'State forces')")
        inter[column] = code.where(~unknown, "")

    keep = ~found.bad
    # Every row valid (the usual case): select with a slice, which copies nothing.
    sel = slice(None) if keep.all() else keep
    report(progress, 0.3, f"{int(keep.sum()):,} valid rows; dating events")
    rows = raw.index[sel]
    day = when[sel].to_numpy(dtype="datetime64[D]")
    kind = precision[sel].to_numpy(dtype=object)
    month = day.astype("datetime64[M]")
    start = np.where(kind == "week", day - 3, np.where(kind == "month", month.astype("datetime64[D]"), day))
    end = np.where(kind == "week", day + 3, np.where(kind == "month", (month + 1).astype("datetime64[D]") - 1, day))
    starts, ends = pd.Series(start, index=rows), pd.Series(end, index=rows)

    report(progress, 0.4, "resolving places")
    code = raw["geo_precision"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)[sel]
    place_rows = pd.DataFrame(
        {
            "name": text["location"][sel],
            "lat": lat[sel],
            "lon": lon[sel],
            "precision_m": radius[sel].astype(float),
            "code": code,
            "kind": np.where(code.eq("1"), "town", "area"),
            "country": text["country"][sel],
            "admin1": text["admin1"][sel],
            "admin2": text["admin2"][sel],
            "admin3": text["admin3"][sel],
            "cand_location": text["location"][sel],
            "cand_admin3": text["admin3"][sel],
            "cand_admin2": text["admin2"][sel],
        }
    )
    places, place_id, resolved, unresolved = resolve_places(
        place_rows, prefix="acled-place", coord_label=lambda d: "ACLED file, geo_precision " + d["code"].astype(str), geocoder=geocoder
    )

    report(progress, 0.55, "resolving actors")
    known = seed_actors() if known_actors is None else known_actors
    known_used, new_actors, actor_ids = _actors(text, inter, keep, starts, known)

    report(progress, 0.65, "building events and claims")
    ids = event_id[sel]
    sub = sub_event_type[sel].astype(str)
    location = text["location"][sel]
    summary = text["notes"][sel]
    where = location.where(location.ne(""), text["admin1"][sel]).replace("", "an unnamed place")
    blank = summary.eq("").to_numpy(dtype=bool)
    if blank.any():
        summary = summary.copy()
        summary[blank] = sub[blank] + " in " + where[blank] + " (no notes in the ACLED file)"
    events = fill_table(
        "events",
        {
            "event_id": ids,
            "date_start": pd.Series(starts.to_numpy(dtype="datetime64[us]"), index=rows),
            "date_end": pd.Series(ends.to_numpy(dtype="datetime64[us]"), index=rows),
            "date_precision": precision[sel].astype(str),
            "place_id": place_id,
            "event_type": event_type[sel].astype(str),
            "sub_event_type": sub,
            "actor1_id": actor_ids["actor1"],
            "actor2_id": actor_ids["actor2"],
            "summary": summary,
            "fatalities_low": fatalities[sel].astype("Int64"),
            "fatalities_high": pd.Series(pd.NA, index=rows, dtype="Int64"),
            "summary_origin": "ACLED notes",
            "assoc_actor1_ids": actor_ids["assoc_actor_1"],
            "assoc_actor2_ids": actor_ids["assoc_actor_2"],
            **{f"acled_{c}": (text[c][sel] if c in text else raw[c][sel].str.strip()) for c in KEPT},
        },
        rows,
    )
    report(progress, 0.7, "building sources and claims")
    sources, claims, _ = _sources_and_claims(text["source"][sel], ids, sub, where, known)
    known_used |= set(claims["claimant_actor_id"]) - {""}
    actors = pd.concat([actor_closure(known_used, known), new_actors], ignore_index=True).drop_duplicates("actor_id")
    report(progress, 0.75, "validating the dataset")
    tables = {"sources": sources, "places": places, "actors": actors, "events": events, "claims": claims}
    rows_read = len(raw)
    del raw, text, place_rows, summary, where, location, sub, ids  # free the file's columns before the Dataset is built
    dataset = assemble_dataset(tables, dataset_id=dataset_id)
    report(progress, 1.0, "done")
    return ImportResult(
        format="acled",
        file_name=file_label,
        file_hash=file_hash,
        dataset=dataset,
        rejected=found.problems,
        warnings=found.warnings,
        rows_read=rows_read,
        places_resolved=resolved,
        places_unresolved=unresolved,
    )


def _actors(text: dict[str, pd.Series], inter: dict[str, pd.Series], keep: np.ndarray, dates: pd.Series, known: pd.DataFrame):
    """Known actor ids used, new actor rows, and per event the actor1/actor2 ids and '|'-joined associates.

    Associates share their main actor's ACLED category (the side of a new associate comes from it).
    """
    n = int(keep.sum())
    sel = slice(None) if keep.all() else keep
    roles = {
        "actor1": (text["actor1"][sel], inter["inter1"][sel]),
        "actor2": (text["actor2"][sel], inter["inter2"][sel]),
        "assoc_actor_1": (text["assoc_actor_1"][sel], inter["inter1"][sel]),
        "assoc_actor_2": (text["assoc_actor_2"][sel], inter["inter2"][sel]),
    }
    parts = []
    for role, (names, codes) in roles.items():
        if role.startswith("assoc"):
            pieces = explode_list(names, ";").drop_duplicates(["row", "value"])
            rows, found = pieces["row"].to_numpy(dtype=np.int64), pieces["value"].reset_index(drop=True)
        else:
            rows = np.flatnonzero(names.ne("").to_numpy(dtype=bool))
            found = names.iloc[rows].reset_index(drop=True)  # an Arrow take: no Python string per row
        parts.append((role, rows, found, codes.iloc[rows].reset_index(drop=True)))
    all_names = pd.concat([p[2] for p in parts], ignore_index=True).astype(str)
    all_sides = map_distinct(pd.concat([p[3] for p in parts], ignore_index=True).astype(str), lambda c: SIDE_OF_INTER.get(c, "other"))
    all_dates = pd.Series(np.concatenate([dates.to_numpy()[p[1]] for p in parts]))
    known_ids = resolve_actor_names(all_names, all_dates, known)
    new_rows, new_ids = new_actor_rows(all_names.where(known_ids.eq(""), ""), all_sides, prefix="acled-actor", note="from an ACLED import; side from ACLED's actor category")
    final = known_ids.where(known_ids.ne(""), new_ids)
    final_codes, final_ids = pd.factorize(final)  # few distinct actors: build each column by codes
    final_ids = np.append(np.asarray(final_ids, dtype=object), "")
    out: dict[str, pd.Series] = {}
    start = 0
    for role, rows, _, _ in parts:
        codes = final_codes[start : start + len(rows)]
        start += len(rows)
        column_codes = np.full(n, len(final_ids) - 1, dtype=np.int64)
        if role.startswith("assoc") and len(rows):
            # rows are sorted; join each row's ids with '|' in one C-level reduction
            firsts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            joined = np.add.reduceat(("|" + final_ids[codes]).astype(object), firsts)
            column = np.full(n, "", dtype=object)
            column[rows[firsts]] = [value[1:] for value in joined]
            out[role] = pd.Series(column, index=dates.index, dtype=str)
        else:
            column_codes[rows] = codes
            out[role] = take_strings(pd.Series(final_ids, dtype=str), column_codes, index=dates.index)
    return set(known_ids[known_ids.ne("")]), new_rows, out


def _sources_and_claims(source: pd.Series, event_ids: pd.Series, sub: pd.Series, where: pd.Series, known: pd.DataFrame):
    """One source per outlet, one asserting claim per event and outlet; returns the row of each claim's event too."""
    frame = explode_list(source, ";").rename(columns={"value": "outlet"})
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
    rows = frame["row"].to_numpy(dtype=np.int64)
    codes = frame["slug_code"].to_numpy(dtype=np.int64)
    event_id = event_ids.iloc[rows].reset_index(drop=True)
    outlet = frame["outlet"].reset_index(drop=True)
    claims = fill_table(
        "claims",
        {
            "claim_id": event_id + ":" + take_strings(slug_of, codes),
            "event_id": event_id,
            "source_id": take_strings(source_ids, codes),
            "claimant": outlet,
            "claimant_actor_id": take_strings(speaks_for, codes),
            "stance": "asserts",
            "statement": outlet + " reports: " + sub.iloc[rows].reset_index(drop=True) + " in " + where.iloc[rows].reset_index(drop=True),
        },
        outlet.index,
    )
    return sources, claims, rows
