"""UCDP GED CSV exports to a Dataset: columns matched by name, optional ones tolerated, every refused row reported.

One GED row becomes one event `ucdp:<id>`: type_of_violence 1 (state-based) and 2 (non-state) are ACLED's
Battles/Armed clash, 3 (one-sided) is Violence against civilians/Attack. `low`/`high` deaths become
fatalities_low/high and `best` is kept as `fatalities_best`. Each article in `source_office`/`source_date`/
`source_headline` (`;`-separated) is a source, and each source of an event one asserting claim, relayed from
`source_original` when that names a single original source. UCDP's low/best/high deaths are also claims of UCDP's
own (data/importers/figures.py). GED has no prose,
so the summary is generated from its fields (`summary_origin = "generated from UCDP GED fields"`).

The layout is the ImportFormat `UCDP` at the end, run by data/importers/pipeline.py; the functions before it are
what only UCDP GED needs.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers.dates import parse_dates
from data.importers.figures import figure_claims
from data.importers.ids import short_hash, to_slugs
from data.importers.pipeline import import_csv
from data.importers.progress import Progress
from data.importers.readers import LATITUDE, LONGITUDE, TEXT, Codes, Dates, EventIds, Numbers
from data.importers.resolve import new_actor_rows, resolve_actor_names
from data.importers.result import ImportResult
from data.importers.rows import ImportRows
from data.importers.spec import Column, EventActors, EventDates, ImportFormat
from data.importers.tables import fill_table
from data.importers.text_columns import explode_list, int_or_blank, iso_or_blank
from geo.precision import UCDP_DEFAULT_RADIUS_M

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
DEATHS = Numbers(low=0, high=10_000_000, whole=True, blank_allowed=True)
# GED's columns, required ones first.
COLUMNS = (
    Column("id", required=True, reader=EventIds("ucdp", r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}", "not a GED event id (digits, e.g. 318776)", drop_decimal=True)),
    Column("type_of_violence", required=True),  # 1, 2 or 3: _check_rows
    Column("side_a", required=True, reader=TEXT),
    Column("side_b", required=True, reader=TEXT),
    Column("where_prec", required=True, reader=Codes(WHERE_PREC_M, "place precision (where_prec)")),
    Column("latitude", required=True, reader=LATITUDE),
    Column("longitude", required=True, reader=LONGITUDE),
    Column("date_prec", required=True, reader=Codes(DATE_PREC, "date precision (date_prec)")),
    Column("date_start", required=True, reader=Dates(DATE_FORMATS, DATE_EXPECTED)),
    Column("date_end", required=True, reader=Dates(DATE_FORMATS, DATE_EXPECTED)),
    Column("best", required=True, reader=Numbers(low=0, high=10_000_000, whole=True)),
    Column("year"),
    Column("conflict_name", reader=TEXT),
    Column("dyad_name", reader=TEXT),
    Column("number_of_sources"),
    Column("source_article"),
    Column("source_office", reader=TEXT),
    Column("source_date", reader=TEXT),
    Column("source_headline", reader=TEXT),
    Column("source_original", reader=TEXT),
    Column("where_coordinates", reader=TEXT),
    Column("where_description", reader=TEXT),
    Column("adm_1", reader=TEXT),
    Column("adm_2", reader=TEXT),
    Column("country", reader=TEXT),
    Column("region"),
    Column("event_clarity"),
    Column("deaths_a"),
    Column("deaths_b"),
    Column("deaths_civilians"),
    Column("deaths_unknown"),
    Column("low", reader=DEATHS),
    Column("high", reader=DEATHS),
    Column("priogrid_gid"),
)


def is_ucdp_header(columns: list[str]) -> bool:
    """Whether a header (any case) looks like a UCDP GED export."""
    return UCDP.matches_header(columns)


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
    return import_csv(
        UCDP,
        source,
        dataset_id=dataset_id,
        file_label=file_label,
        file_hash=file_hash,
        geocoder=geocoder,
        known_actors=known_actors,
        progress=progress,
    )


def _check_rows(rows: ImportRows) -> None:
    """End not before start; type of violence 1, 2 or 3; a high estimate below the low one widened (a warning)."""
    raw, found, values = rows.raw, rows.found, rows.values
    found.reject((values["date_end"] < values["date_start"]).fillna(False).to_numpy(), "date_end", "end before start")
    violence = raw["type_of_violence"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    found.reject(~violence.isin(list(VIOLENCE)).to_numpy(), "type_of_violence", "unknown type of violence; expected 1, 2 or 3")
    values["type_of_violence"] = violence
    # GED sometimes gives a high estimate below its low one; the range then spans all three estimates (a warning,
    # not a refusal: the counts are UCDP's own, and ucdp_low/ucdp_high keep them as written).
    low, best, high = values["low"], values["best"], values["high"]
    estimates = pd.concat([low, best, high], axis=1)
    crossed = (high < low).fillna(False).to_numpy() & ~found.bad
    found.warn(np.flatnonzero(crossed), "high", raw["high"][crossed].astype(str).tolist(),
               "high estimate below low estimate: fatalities_low/high set to the lowest and highest of low, best, high")
    values["low"] = low.where(~crossed, estimates.min(axis=1))
    values["high"] = high.where(~crossed, estimates.max(axis=1))


def _event_dates(rows: ImportRows) -> EventDates:
    """GED's start and end; an event said to be day-precise but spanning several days is a range."""
    start, end = rows.parsed("date_start"), rows.parsed("date_end")
    precision = rows.parsed("date_prec").astype(str)
    precision = precision.where(~((precision == "day") & ~start.eq(end)), "range")
    return EventDates(start=start, end=end, precision=precision)


def _place_rows(rows: ImportRows) -> pd.DataFrame:
    """where_coordinates without its kind suffix ("Aleppo city"), else adm_2, else adm_1; the kind from the suffix."""
    where_raw = rows.clean("where_coordinates")
    kind = where_raw.str.extract(_KIND_SUFFIX, expand=False).fillna("").str.lower()
    kind = kind.replace({"province": "governorate", "region": "area", "municipality": "town"})
    kind = kind.where(kind.isin(KINDS) | kind.eq("subdistrict"), "area").replace("", "area")
    where_name = where_raw.str.replace(_KIND_SUFFIX, "", regex=True).str.strip()
    adm2 = rows.clean("adm_2").str.replace(r"\s+district$", "", regex=True, flags=re.IGNORECASE)
    adm1 = rows.clean("adm_1").str.replace(r"\s+(governorate|province)$", "", regex=True, flags=re.IGNORECASE)
    code = rows.written("where_prec").str.replace(r"\.0$", "", regex=True)
    return pd.DataFrame(
        {
            "name": where_name.where(where_name.ne(""), adm2.where(adm2.ne(""), adm1)),
            "lat": rows.parsed("latitude"),
            "lon": rows.parsed("longitude"),
            "precision_m": rows.parsed("where_prec").astype(float),
            "code": code,
            "kind": kind,
            "country": rows.clean("country"),
            "admin1": rows.clean("adm_1"),
            "admin2": rows.clean("adm_2"),
            "cand_where_coordinates": where_name,
            "cand_adm_2": adm2,
        }
    )


def _place_in_words(rows: ImportRows, place_rows: pd.DataFrame) -> pd.Series:
    """The place's name as the place rows give it."""
    return place_rows["name"]


def _actors(rows: ImportRows, dates: EventDates, known: pd.DataFrame) -> EventActors:
    """side_a and side_b as actor1 and actor2: known ids where the names resolve (on the start date), else new actors."""
    side_a, side_b = rows.clean("side_a"), rows.clean("side_b")
    kinds = rows.parsed("type_of_violence")
    country = rows.clean("country")
    names = pd.concat([side_a, side_b], ignore_index=True)
    sides = pd.concat([_side(side_a, kinds, country, first=True), _side(side_b, kinds, country, first=False)], ignore_index=True)
    when = pd.concat([dates.start, dates.start], ignore_index=True)
    known_ids = resolve_actor_names(names, when, known)
    new_rows, new_ids = new_actor_rows(names.where(known_ids.eq(""), ""), sides, prefix="ucdp-actor", note="from a UCDP GED import; side from the dyad and type of violence")
    actor_ids = known_ids.where(known_ids.ne(""), new_ids).to_numpy(dtype=object)
    n = len(side_a)
    columns = {
        "actor1_id": pd.Series(actor_ids[:n], index=rows.index, dtype=str),
        "actor2_id": pd.Series(actor_ids[n:], index=rows.index, dtype=str),
    }
    return EventActors(columns=columns, known_ids=set(known_ids[known_ids.ne("")]), new_rows=new_rows)


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


def _events(rows: ImportRows, dates: EventDates, place_id: pd.Series, actors: EventActors, where: pd.Series) -> pd.DataFrame:
    """One event per row, its type from the type of violence, its summary generated from the dyad and the place."""
    index = rows.index
    kinds = rows.parsed("type_of_violence")
    side_a, side_b = rows.clean("side_a"), rows.clean("side_b")
    conflict = rows.clean("conflict_name")
    summary = (
        side_a + " vs " + side_b + " at " + where + " (" + kinds.map(VIOLENCE_NAME) + " violence"
        + np.where(conflict.ne(""), ", conflict: " + conflict, "") + "; UCDP GED)"
    )
    return fill_table(
        "events",
        {
            "event_id": rows.parsed("id"),
            "date_start": dates.start.astype("datetime64[us]"),
            "date_end": dates.end.astype("datetime64[us]"),
            "date_precision": dates.precision,
            "place_id": place_id,
            "event_type": kinds.map(lambda k: VIOLENCE[k][0]).astype(str),
            "sub_event_type": kinds.map(lambda k: VIOLENCE[k][1]).astype(str),
            "actor1_id": actors.columns["actor1_id"],
            "actor2_id": actors.columns["actor2_id"],
            "summary": pd.Series(summary, index=index, dtype=str),
            "fatalities_low": rows.parsed("low").astype("Int64"),
            "fatalities_high": rows.parsed("high").astype("Int64"),
            "fatalities_best": int_or_blank(rows.parsed("best")),
            "ucdp_low": rows.written("low"),
            "ucdp_high": rows.written("high"),
            "summary_origin": "generated from UCDP GED fields",
            **{f"ucdp_{c}": rows.kept(c) for c in KEPT},
        },
        index,
    )


def _sources_and_claims(rows: ImportRows, events: pd.DataFrame, where: pd.Series, known: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One source per article (outlet, date, headline), one asserting claim per event and article."""
    offices = explode_list(rows.clean("source_office"), ";")
    dates = explode_list(rows.clean("source_date"), ";")
    heads = explode_list(rows.clean("source_headline"), ";")
    n_office = offices.groupby("row").size()
    n_head = heads.groupby("row").size()
    frame = offices.merge(dates.rename(columns={"value": "date"}), on=["row", "pos"], how="left")
    frame = frame.merge(heads.rename(columns={"value": "title"}), on=["row", "pos"], how="left")
    # When headlines themselves contain ';' the pieces no longer line up with the outlets: keep the whole text.
    whole = pd.Series(rows.clean("source_headline").to_numpy(dtype=object), dtype=str)
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
    positions = frame["row"].to_numpy(dtype=np.int64)
    outlet_codes, outlets = pd.factorize(frame["outlet"])
    speaks = resolve_actor_names(pd.Series(outlets, dtype=str), pd.Series(pd.NaT, index=range(len(outlets))), known).to_numpy(dtype=object)
    event_id = events["event_id"].iloc[positions].reset_index(drop=True)
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
            + events["sub_event_type"].iloc[positions].reset_index(drop=True).astype(str) + " in " + where.iloc[positions].reset_index(drop=True).astype(str),
            "claim_date": frame["published"].reset_index(drop=True),
            "relayed_by": _single_original(rows).iloc[positions].reset_index(drop=True),
        },
        pd.RangeIndex(len(frame)),
    )
    own_sources, own_claims = figure_claims(
        events,
        [("ucdp-low", "killed (UCDP low estimate)", "its low estimate", events["fatalities_low"]),
         ("ucdp-best", "killed (UCDP best estimate)", "its best estimate", events["fatalities_best"]),
         ("ucdp-high", "killed (UCDP high estimate)", "its high estimate", events["fatalities_high"])],
        dataset="ucdp", label="UCDP GED")
    return pd.concat([sources, own_sources], ignore_index=True), pd.concat([claims, own_claims], ignore_index=True)


def _single_original(rows: ImportRows) -> pd.Series:
    """source_original when it names one original source: the report each article printed (its claims' relayed_by).
    Several originals cannot be matched to the articles, so they are left out."""
    original = rows.clean("source_original")
    return original.where(~original.str.contains(";", regex=False), "").reset_index(drop=True)


UCDP = ImportFormat(
    name="ucdp",
    label="UCDP GED",
    signature=frozenset({"where_prec", "date_prec", "type_of_violence"}),
    columns=COLUMNS,
    coord_source="UCDP GED file, where_prec",
    check_rows=_check_rows,
    event_dates=_event_dates,
    place_rows=_place_rows,
    place_in_words=_place_in_words,
    actors=_actors,
    events=_events,
    sources_and_claims=_sources_and_claims,
)
