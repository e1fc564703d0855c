"""UCDP GED CSV exports to a Dataset: columns matched by name, optional ones tolerated, every refused row reported.

One GED row becomes one event `ucdp:<id>`: type_of_violence 1 (state-based) and 2 (non-state) are ACLED's
Battles/Armed clash, 3 (one-sided) is Violence against civilians/Attack. `low`/`high` deaths become
fatalities_low/high and `best` is kept as `fatalities_best`. Each article in `source_office`/`source_date`/
`source_headline` (`;`-separated) is a source, and each source of an event one asserting claim. GED has no prose,
so the summary is generated from its fields (`summary_origin = "generated from UCDP GED fields"`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers.cell_values import check_codes, parse_numbers
from data.importers.csv_files import read_csv_text, require_columns
from data.importers.dates import check_dates, parse_dates
from data.importers.ids import short_hash, to_slugs
from data.importers.progress import Progress, report
from data.importers.rejections import Rejections
from data.importers.result import ImportResult
from data.importers.tables import assemble_dataset, fill_table
from data.importers.text_columns import explode_list, int_or_blank, iso_or_blank
from data.importers.text_repair import clean_text
from data.importers.resolve import actor_closure, new_actor_rows, resolve_actor_names, resolve_places, seed_actors
from data.model.text import removal_warnings, strip_invisible_frame
from geo.precision import UCDP_DEFAULT_RADIUS_M

REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude", "date_prec", "date_start", "date_end", "best")
OPTIONAL = (
    "year",
    "conflict_name",
    "dyad_name",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "country",
    "region",
    "event_clarity",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "low",
    "high",
    "priogrid_gid",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
DATE_EXPECTED = "an ISO date like 2016-05-16 (a time after it is ignored)"
WHERE_PREC_M = {str(code): float(radius) for code, radius in UCDP_DEFAULT_RADIUS_M.items()}
# date_prec: 1 the exact day; 2 within 2-6 days; 3 within a week; 4 within a month; 5 within the year.
DATE_PREC = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "range"}
VIOLENCE = {
    "1": ("Battles", "Armed clash"),  # state-based
    "2": ("Battles", "Armed clash"),  # non-state
    "3": ("Violence against civilians", "Attack"),  # one-sided
}
VIOLENCE_NAME = {"1": "state-based", "2": "non-state", "3": "one-sided"}
KINDS = ("neighbourhood", "village", "town", "city", "district", "governorate", "camp", "area", "base", "crossing")
_KIND_SUFFIX = re.compile(r"\s+(" + "|".join(KINDS) + r"|province|region|subdistrict|municipality)$", re.IGNORECASE)
KEPT = ("type_of_violence", "conflict_name", "dyad_name", "where_prec", "date_prec", "event_clarity", "number_of_sources",
        "source_original", "side_a", "side_b", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "priogrid_gid")


def is_ucdp_header(columns: list[str]) -> bool:
    """Whether a header (any case) looks like a UCDP GED export."""
    lowered = {c.strip().lower() for c in columns}
    return {"where_prec", "date_prec", "type_of_violence"} <= lowered


def import_ucdp(
    source: Path | str | bytes,
    *,
    dataset_id: str,
    file_label: str = "ged.csv",
    file_hash: str = "",
    geocoder=None,
    known_actors: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a UCDP GED CSV into a Dataset of its valid rows; refused rows are listed with line, column, value, reason."""
    report(progress, 0.02, "reading the file")
    raw = read_csv_text(source, file_label)
    require_columns(raw, REQUIRED, OPTIONAL, file_label, "UCDP GED")
    raw, invisible = strip_invisible_frame(raw)  # bidi controls and zero-width characters, in every column
    found = Rejections(file_label, raw)
    found.warnings.extend(removal_warnings(invisible, file_label, found.lines))
    report(progress, 0.15, "checking rows")
    text = {}
    for column in ("side_a", "side_b", "conflict_name", "dyad_name", "where_coordinates", "where_description", "adm_1", "adm_2",
                   "country", "source_office", "source_headline", "source_original", "source_date"):
        text[column] = clean_text(raw[column], column, found)

    ged_id = raw["id"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    event_id = "ucdp:" + ged_id.str.lower()
    blank_id = ged_id.eq("").to_numpy()
    found.reject(blank_id, "id", "required value is blank")
    bad_id = ~blank_id & ~ged_id.str.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}").to_numpy()
    found.reject(bad_id, "id", "not a GED event id (digits, e.g. 318776)")
    found.reject(~blank_id & event_id.duplicated(keep="first").to_numpy(), "id", "duplicate event id (the first row with it is kept)")

    start = parse_dates(raw["date_start"], DATE_FORMATS)
    end = parse_dates(raw["date_end"], DATE_FORMATS)
    check_dates(start, raw["date_start"], "date_start", found, DATE_EXPECTED)
    check_dates(end, raw["date_end"], "date_end", found, DATE_EXPECTED)
    found.reject((end < start).fillna(False).to_numpy(), "date_end", "end before start")
    precision = check_codes(raw["date_prec"], "date_prec", found, DATE_PREC, "date precision (date_prec)")
    radius = check_codes(raw["where_prec"], "where_prec", found, WHERE_PREC_M, "place precision (where_prec)")
    violence = raw["type_of_violence"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    found.reject(~violence.isin(list(VIOLENCE)).to_numpy(), "type_of_violence", "unknown type of violence; expected 1, 2 or 3")
    lat = parse_numbers(raw["latitude"], "latitude", found, low=-90, high=90, required=True)
    lon = parse_numbers(raw["longitude"], "longitude", found, low=-180, high=180, required=True)
    deaths = {c: parse_numbers(raw[c], c, found, low=0, high=10_000_000, required=c == "best", whole=True) for c in ("low", "best", "high")}
    # GED sometimes gives a high estimate below its low one; the range then spans all three estimates (a warning,
    # not a refusal: the counts are UCDP's own, and ucdp_low/ucdp_high keep them as written).
    estimates = pd.concat([deaths["low"], deaths["best"], deaths["high"]], axis=1)
    crossed = (deaths["high"] < deaths["low"]).fillna(False).to_numpy() & ~found.bad
    found.warn(np.flatnonzero(crossed), "high", raw["high"][crossed].astype(str).tolist(),
               "high estimate below low estimate: fatalities_low/high set to the lowest and highest of low, best, high")
    deaths["low"] = deaths["low"].where(~crossed, estimates.min(axis=1))
    deaths["high"] = deaths["high"].where(~crossed, estimates.max(axis=1))

    keep = ~found.bad
    # Every row valid (the usual case): select with a slice, which copies nothing.
    sel = slice(None) if keep.all() else keep
    rows = raw.index[sel]
    report(progress, 0.3, f"{int(keep.sum()):,} valid rows; resolving places")
    where_raw = text["where_coordinates"][sel]
    kind = where_raw.str.extract(_KIND_SUFFIX, expand=False).fillna("").str.lower()
    kind = kind.replace({"province": "governorate", "region": "area", "municipality": "town"})
    kind = kind.where(kind.isin(KINDS) | kind.eq("subdistrict"), "area").replace("", "area")
    where_name = where_raw.str.replace(_KIND_SUFFIX, "", regex=True).str.strip()
    adm2 = text["adm_2"][sel].str.replace(r"\s+district$", "", regex=True, flags=re.IGNORECASE)
    adm1 = text["adm_1"][sel].str.replace(r"\s+(governorate|province)$", "", regex=True, flags=re.IGNORECASE)
    code = raw["where_prec"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)[sel]
    place_rows = pd.DataFrame(
        {
            "name": where_name.where(where_name.ne(""), adm2.where(adm2.ne(""), adm1)),
            "lat": lat[sel],
            "lon": lon[sel],
            "precision_m": radius[sel].astype(float),
            "code": code,
            "kind": kind,
            "country": text["country"][sel],
            "admin1": text["adm_1"][sel],
            "admin2": text["adm_2"][sel],
            "cand_where_coordinates": where_name,
            "cand_adm_2": adm2,
        }
    )
    places, place_id, resolved, unresolved = resolve_places(
        place_rows, prefix="ucdp-place", coord_label=lambda d: "UCDP GED file, where_prec " + d["code"].astype(str), geocoder=geocoder
    )

    report(progress, 0.55, "resolving actors")
    known = seed_actors() if known_actors is None else known_actors
    side_a, side_b = text["side_a"][sel], text["side_b"][sel]
    kinds = violence[sel]
    country = text["country"][sel]
    names = pd.concat([side_a, side_b], ignore_index=True)
    sides = pd.concat([_side(side_a, kinds, country, first=True), _side(side_b, kinds, country, first=False)], ignore_index=True)
    when = pd.concat([start[sel], start[sel]], ignore_index=True)
    known_ids = resolve_actor_names(names, when, known)
    new_actors, new_ids = new_actor_rows(names.where(known_ids.eq(""), ""), sides, prefix="ucdp-actor", note="from a UCDP GED import; side from the dyad and type of violence")
    actor_ids = known_ids.where(known_ids.ne(""), new_ids).to_numpy(dtype=object)
    n = int(keep.sum())

    report(progress, 0.65, "building events and claims")
    ids = event_id[sel]
    event_type = kinds.map(lambda k: VIOLENCE[k][0])
    sub = kinds.map(lambda k: VIOLENCE[k][1])
    same_day = start[sel].eq(end[sel])
    date_precision = precision[sel].astype(str)
    date_precision = date_precision.where(~((date_precision == "day") & ~same_day), "range")
    where = place_rows["name"].replace("", "an unnamed place")
    conflict = text["conflict_name"][sel]
    summary = (
        side_a + " vs " + side_b + " at " + where + " (" + kinds.map(VIOLENCE_NAME) + " violence"
        + np.where(conflict.ne(""), ", conflict: " + conflict, "") + "; UCDP GED)"
    )
    events = fill_table(
        "events",
        {
            "event_id": ids,
            "date_start": start[sel].astype("datetime64[us]"),
            "date_end": end[sel].astype("datetime64[us]"),
            "date_precision": date_precision,
            "place_id": place_id,
            "event_type": event_type.astype(str),
            "sub_event_type": sub.astype(str),
            "actor1_id": pd.Series(actor_ids[:n], index=rows, dtype=str),
            "actor2_id": pd.Series(actor_ids[n:], index=rows, dtype=str),
            "summary": pd.Series(summary, index=rows, dtype=str),
            "fatalities_low": deaths["low"][sel].astype("Int64"),
            "fatalities_high": deaths["high"][sel].astype("Int64"),
            "fatalities_best": int_or_blank(deaths["best"][sel]),
            "ucdp_low": raw["low"][sel].astype(str).str.strip(),
            "ucdp_high": raw["high"][sel].astype(str).str.strip(),
            "summary_origin": "generated from UCDP GED fields",
            **{f"ucdp_{c}": (text[c][sel] if c in text else raw[c][sel].astype(str).str.strip()) for c in KEPT},
        },
        rows,
    )
    sources, claims, _, claimants = _sources_and_claims(text, keep, ids, sub, where, known)
    used = set(known_ids[known_ids.ne("")]) | claimants
    actors = pd.concat([actor_closure(used, known), new_actors], ignore_index=True).drop_duplicates("actor_id")
    report(progress, 0.75, "validating the dataset")
    tables = {"sources": sources, "places": places, "actors": actors, "events": events, "claims": claims}
    dataset = assemble_dataset(tables, dataset_id=dataset_id)
    report(progress, 1.0, "done")
    return ImportResult(
        format="ucdp",
        file_name=file_label,
        file_hash=file_hash,
        dataset=dataset,
        rejected=found.problems,
        warnings=found.warnings,
        rows_read=len(raw),
        places_resolved=resolved,
        places_unresolved=unresolved,
    )


def _side(names: pd.Series, kinds: pd.Series, country: pd.Series, *, first: bool) -> pd.Series:
    """Side of a GED actor: a government is ours when it governs the event's country, else international;
    in state-based conflicts the other side is the opposition; one-sided violence targets civilians."""
    government = names.str.match(r"(?i)^government of ")
    pairs = pd.DataFrame({"name": names.str.lower(), "country": country.str.lower()})
    codes, uniques = pd.factorize(pairs["name"] + "\x00" + pairs["country"])
    governs = np.array([bool(c) and c in n for n, c in (u.split("\x00", 1) for u in uniques)] + [False], dtype=bool)
    own = government & governs[codes]
    side = np.where(own, "government", np.where(government, "international", "other"))
    if not first:
        side = np.where((kinds == "1") & ~government, "opposition", side)
        side = np.where((kinds == "3") & names.str.match(r"(?i)^civilians"), "civilian", side)
    return pd.Series(side, index=names.index, dtype=str)


def _sources_and_claims(text: dict[str, pd.Series], keep: np.ndarray, event_ids: pd.Series, sub: pd.Series, where: pd.Series, known: pd.DataFrame):
    """One source per article (outlet, date, headline), one asserting claim per event and article."""
    sel = slice(None) if keep.all() else keep
    offices = explode_list(text["source_office"][sel], ";")
    dates = explode_list(text["source_date"][sel], ";")
    heads = explode_list(text["source_headline"][sel], ";")
    n_office = offices.groupby("row").size()
    n_head = heads.groupby("row").size()
    frame = offices.merge(dates.rename(columns={"value": "date"}), on=["row", "pos"], how="left")
    frame = frame.merge(heads.rename(columns={"value": "title"}), on=["row", "pos"], how="left")
    # When headlines themselves contain ';' the pieces no longer line up with the outlets: keep the whole text.
    whole = pd.Series(text["source_headline"][sel].to_numpy(dtype=object), dtype=str)
    misaligned = frame["row"].map(n_head).fillna(0).to_numpy() != frame["row"].map(n_office).to_numpy()
    frame["title"] = np.where(misaligned, whole.to_numpy(dtype=object)[frame["row"]], frame["title"].fillna(""))
    frame["title"] = frame["title"].astype(str).str.slice(0, 400)
    frame["date"] = frame["date"].fillna("").astype(str)
    published = parse_dates(frame["date"], DATE_FORMATS)
    frame["published"] = iso_or_blank(published.where((published >= "1900-01-01") & (published <= "2100-12-31")))
    frame = frame.rename(columns={"value": "outlet"})
    frame["source_id"] = (
        "ucdp-source:" + to_slugs(frame["outlet"], max_len=40).replace("", "unnamed") + "-"
        + frame["published"].replace("", "undated") + "-" + short_hash(frame["outlet"] + "|" + frame["published"] + "|" + frame["title"])
    )
    distinct = frame.drop_duplicates("source_id")
    sources = fill_table(
        "sources",
        {
            "source_id": distinct["source_id"],
            "outlet": distinct["outlet"],
            "outlet_basis": "stated",
            "title": distinct["title"],
            "published": distinct["published"],
            "published_basis": np.where(distinct["published"].ne(""), "stated", ""),
        },
        distinct.index,
    )
    rows = frame["row"].to_numpy(dtype=np.int64)
    outlet_codes, outlets = pd.factorize(frame["outlet"])
    speaks = resolve_actor_names(pd.Series(outlets, dtype=str), pd.Series(pd.NaT, index=range(len(outlets))), known).to_numpy(dtype=object)
    event_id = event_ids.iloc[rows].reset_index(drop=True)
    claims = fill_table(
        "claims",
        {
            "claim_id": event_id + ":" + (frame["pos"] + 1).astype(str).reset_index(drop=True),
            "event_id": event_id,
            "source_id": frame["source_id"].reset_index(drop=True),
            "claimant": frame["outlet"].reset_index(drop=True),
            "claimant_actor_id": pd.Series(speaks[outlet_codes] if len(outlet_codes) else [], dtype=str),
            "stance": "asserts",
            "statement": frame["outlet"].reset_index(drop=True) + " reports: "
            + sub.iloc[rows].reset_index(drop=True).astype(str) + " in " + where.iloc[rows].reset_index(drop=True).astype(str),
            "claim_date": frame["published"].reset_index(drop=True),
        },
        pd.RangeIndex(len(frame)),
    )
    return sources, claims, rows, set(speaks) - {""}
