"""Exports of a filtered view: events and claims as CSV, events as GeoJSON, events in ACLED's 2023 layout, our zip.

Pure functions of DataFrames (the rows the view shows); nothing here knows about Streamlit or the store.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterable

import numpy as np
import pandas as pd

from data.model.claims import status_reasons
from data.model.quantities import DATASET_FIGURES_PREFIX
from data.model.schema import LOAD_ORDER, TABLES, column_names

# Columns a Dataset computes for the views (positions, codes, day numbers): never exported.
INTERNAL_SUFFIXES = ("_pos", "_code")
INTERNAL_COLUMNS = {"day_start", "day_end", "claim_day", "search_text", "event_pos", "place_pos"}
# Computed columns worth a reader's while: exported as properties, but not in our re-importable layout.
COMPUTED_COLUMNS = {"dataset_id", "status", "n_claims", "side1", "side2", "lead_side", "side", "outlet", "against_camp", "n_voices",
                    "claimed_fatalities_low", "claimed_fatalities_high", "numbers_disagree",
                    "origin", "origin_id", "origin_side", "voice", "camp"}
# The events download of the claim table: what an analyst reads, status and why first among the computed columns.
DOWNLOAD_EVENT_COLUMNS = [
    "event_id", "dataset_id", "date_start", "date_end", "date_precision", "place_id", "event_type", "sub_event_type",
    "actor1_id", "actor2_id", "summary", "fatalities_low", "fatalities_high", "status", "status_reason", "n_claims",
    "n_voices", "claimed_fatalities_low", "claimed_fatalities_high", "numbers_disagree",
]

ACLED_2023_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,"
    "actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
INTER_OF_SIDE = {
    "government": "State forces",
    "government_ally": "State forces",
    "opposition": "Rebel group",
    "jihadist": "Rebel group",
    "isis": "Rebel group",
    "sdf": "Rebel group",
    "international": "External/Other forces",
    "civilian": "Civilians",
    "monitor": "External/Other forces",
    "media": "External/Other forces",
    "analyst": "External/Other forces",
    "other": "Political militia",
}
INTER_TEXT_OF_CODE = {
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}
DISORDER_OF_TYPE = {"Protests": "Demonstrations", "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}


def exported_columns(frame: pd.DataFrame, table: str, *, computed: bool) -> list[str]:
    """Contract columns first, then the dataset's own extra columns, then (if `computed`) readable computed ones."""
    contract = column_names(table)
    extras = [
        c
        for c in frame.columns
        if c not in contract
        and c not in INTERNAL_COLUMNS
        and not c.endswith(INTERNAL_SUFFIXES)
        and (computed or c not in COMPUTED_COLUMNS)
    ]
    return contract + extras


def as_text_table(frame: pd.DataFrame, table: str, *, computed: bool = False) -> pd.DataFrame:
    """A typed table as CSV text cells: ISO dates, whole numbers without '.0', blanks for missing values."""
    columns = exported_columns(frame, table, computed=computed)
    kinds = {col.name: col.kind for col in TABLES[table]}
    out = {}
    for name in columns:
        values = frame[name]
        if kinds.get(name) == "date" or pd.api.types.is_datetime64_any_dtype(values):
            out[name] = pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("")
        elif kinds.get(name) == "int" or pd.api.types.is_integer_dtype(values):
            out[name] = values.astype("Int64").astype(str).replace("<NA>", "")
        elif kinds.get(name) == "float" or pd.api.types.is_float_dtype(values):
            out[name] = values.map(lambda x: "" if pd.isna(x) else repr(float(x)))
        else:
            out[name] = values.astype(str).fillna("")
    return pd.DataFrame(out, index=frame.index).fillna("")


def with_status_reasons(events: pd.DataFrame, claims: pd.DataFrame, names) -> pd.DataFrame:
    """The events with `status_reason` beside `status`: one sentence naming the claims that made it."""
    mine = claims[claims["event_id"].isin(set(events["event_id"]))] if len(events) < len(claims) else claims
    out = events.copy()
    out.insert(list(out.columns).index("status") + 1 if "status" in out else len(out.columns), "status_reason",
               status_reasons(events, mine, names) if len(events) else pd.Series(dtype=object))
    return out


def events_to_csv(events: pd.DataFrame, claims: pd.DataFrame | None = None, names=None) -> str:
    """The events of a view as CSV: our columns, each dataset's extra columns, claim status, and (given the claims)
    status_reason."""
    table = as_text_table(events, "events", computed=True)
    if claims is not None:
        reasons = with_status_reasons(events, claims, names or {})["status_reason"]
        table.insert(list(table.columns).index("status") + 1, "status_reason", reasons.astype(str).to_numpy())
    return table.to_csv(index=False)


def events_download(events: pd.DataFrame, claims: pd.DataFrame, names) -> pd.DataFrame:
    """The claim table's events download: DOWNLOAD_EVENT_COLUMNS as text, status_reason included."""
    text = as_text_table(with_status_reasons(events, claims, names), "events", computed=True)
    return text[[c for c in DOWNLOAD_EVENT_COLUMNS if c in text.columns]]


def claims_to_csv(claims: pd.DataFrame) -> str:
    """The claims of a view as CSV (our columns, extras, the claimant's side and the outlet)."""
    return as_text_table(claims, "claims", computed=True).to_csv(index=False)


def events_to_geojson(events: pd.DataFrame, places: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946): one Point per event at its place, [lon, lat]; no place -> null geometry.

    Every event property is kept, dates as ISO strings; the place's name and precision radius are added.
    """
    text = as_text_table(events, "events", computed=True)
    located = places.set_index("place_id")
    place_id = events["place_id"].astype(str)
    known = place_id.isin(located.index).to_numpy()
    lat = np.full(len(events), np.nan)
    lon = np.full(len(events), np.nan)
    lat[known] = located["lat"].reindex(place_id[known]).to_numpy(dtype=float)
    lon[known] = located["lon"].reindex(place_id[known]).to_numpy(dtype=float)
    names = place_id.map(located["name"]).fillna("").astype(str).to_numpy()
    radius = place_id.map(located["precision_m"]).to_numpy(dtype=float)
    numeric = {name for name in text.columns if pd.api.types.is_numeric_dtype(events[name]) and name in events}
    features = []
    for i, record in enumerate(text.to_dict(orient="records")):
        properties = {key: _json_value(value, events[key].iloc[i] if key in numeric else None) for key, value in record.items()}
        properties["place_name"] = names[i]
        properties["place_precision_m"] = None if math.isnan(radius[i]) else float(radius[i])
        geometry = None if math.isnan(lat[i]) or math.isnan(lon[i]) else {"type": "Point", "coordinates": [float(lon[i]), float(lat[i])]}
        features.append({"type": "Feature", "id": record["event_id"], "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _json_value(text: str, typed) -> object:
    """Numbers stay numbers in GeoJSON properties; blanks become null."""
    if text == "":
        return None
    if typed is not None and not pd.isna(typed):
        number = float(typed)
        return int(number) if number.is_integer() else number
    return text


def events_to_geojson_text(events: pd.DataFrame, places: pd.DataFrame) -> str:
    return json.dumps(events_to_geojson(events, places), ensure_ascii=False)


def events_to_acled(events: pd.DataFrame, places: pd.DataFrame, actors: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Events in ACLED's 2023 column layout, so they can go back into ACLED pipelines.

    Dates: a range is written as its middle day with time_precision 2 (up to a week) or 3 (longer). geo_precision
    comes from the place's radius and kind (geo.precision). Sources are the outlets of the event's claims.
    Columns ACLED has and we do not are blank, unless the event came from ACLED and kept them (`acled_*`).
    """
    from geo.precision import to_acled_precision

    n = len(events)
    start = pd.to_datetime(events["date_start"])
    end = pd.to_datetime(events["date_end"]).fillna(start)
    span = (end - start).dt.days.fillna(0).astype(int)
    middle = start + pd.to_timedelta(span // 2, unit="D")
    precision = np.where(span.to_numpy() == 0, "1", np.where(span.to_numpy() <= 7, "2", "3"))
    kept = lambda name, default="": events[name].astype(str) if name in events else pd.Series(default, index=events.index, dtype=str)  # noqa: E731
    name_of = dict(zip(actors["actor_id"], actors["name"]))
    side_of = dict(zip(actors["actor_id"], actors["side"]))
    located = places.set_index("place_id")
    place_id = events["place_id"].astype(str)

    def place_field(column: str) -> pd.Series:
        if column not in located.columns:
            return pd.Series("", index=events.index, dtype=str)
        return place_id.map(located[column]).fillna("").astype(str)

    # An ACLED place keeps ACLED's own code; any other place gets the code its radius and kind imply.
    own_code = place_field("precision_code")
    geo_precision = [
        code.removeprefix("acled:") if code.startswith("acled:") else str(to_acled_precision(precision_m=float(r), kind=str(k))) if k else ""
        for code, r, k in zip(own_code, place_id.map(located["precision_m"]).fillna(0), place_id.map(located["kind"]).fillna(""))
    ]
    linked = claims[claims["event_id"].isin(events["event_id"]) & ~claims["source_id"].str.startswith(DATASET_FIGURES_PREFIX)]
    outlets = linked["outlet"] if "outlet" in linked else linked["claimant"]
    source = outlets.groupby(linked["event_id"]).agg(lambda s: "; ".join(dict.fromkeys(x for x in s if x)))

    def inter(which: int) -> pd.Series:
        original = kept(f"acled_inter{which}")
        from_code = original.map(lambda v: INTER_TEXT_OF_CODE.get(v, v))
        from_side = events[f"actor{which}_id"].map(side_of).map(INTER_OF_SIDE).fillna("")
        return from_code.where(from_code.ne(""), from_side).where(events[f"actor{which}_id"].ne(""), "")

    def assoc(which: int) -> pd.Series:
        ids = kept(f"assoc_actor{which}_ids")
        return ids.map(lambda v: "; ".join(name_of.get(a, a) for a in v.split("|") if a))

    event_id = events["event_id"].astype(str)
    acled_id = event_id.str.removeprefix("acled:").str.upper().where(event_id.str.startswith("acled:"), event_id)
    fatalities = events["fatalities_low"].astype("Int64").astype(str).replace("<NA>", "")
    disorder = kept("acled_disorder_type")
    out = pd.DataFrame(
        {
            "event_id_cnty": acled_id,
            "event_date": middle.dt.strftime("%d %B %Y"),
            "year": middle.dt.year.astype("Int64").astype(str),
            "time_precision": precision,
            "disorder_type": disorder.where(disorder.ne(""), events["event_type"].map(DISORDER_OF_TYPE).fillna("Political violence")),
            "event_type": events["event_type"].astype(str),
            "sub_event_type": events["sub_event_type"].astype(str),
            "actor1": events["actor1_id"].map(name_of).fillna("").astype(str),
            "assoc_actor_1": assoc(1),
            "inter1": inter(1),
            "actor2": events["actor2_id"].map(name_of).fillna("").astype(str),
            "assoc_actor_2": assoc(2),
            "inter2": inter(2),
            "interaction": kept("acled_interaction"),
            "civilian_targeting": kept("acled_civilian_targeting"),
            "iso": "",
            "region": "",
            "country": place_field("country"),
            "admin1": place_field("admin1"),
            "admin2": place_field("admin2"),
            "admin3": place_field("admin3"),
            "location": place_field("name"),
            "latitude": place_id.map(located["lat"]).map(lambda x: "" if pd.isna(x) else repr(float(x))),
            "longitude": place_id.map(located["lon"]).map(lambda x: "" if pd.isna(x) else repr(float(x))),
            "geo_precision": geo_precision,
            "source": event_id.map(source).fillna("").astype(str),
            "source_scale": kept("acled_source_scale"),
            "notes": events["summary"].astype(str),
            "fatalities": fatalities,
            "tags": kept("acled_tags"),
            "timestamp": kept("acled_timestamp"),
        },
        index=events.index,
        columns=ACLED_2023_COLUMNS,
    )
    assert len(out) == n
    return out


def events_to_acled_csv(events: pd.DataFrame, places: pd.DataFrame, actors: pd.DataFrame, claims: pd.DataFrame) -> str:
    return events_to_acled(events, places, actors, claims).to_csv(index=False)


def view_tables(events: pd.DataFrame, claims: pd.DataFrame, *, sources: pd.DataFrame, places: pd.DataFrame, actors: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The five tables of a view, whole: the rows shown plus every source, place and actor they point to."""
    claims = claims[claims["event_id"].eq("") | claims["event_id"].isin(events["event_id"])]
    place_ids = _closure(set(events["place_id"]) - {""}, places, "place_id", ("parent_id",))
    actor_ids = set(events["actor1_id"]) | set(events["actor2_id"]) | set(claims["claimant_actor_id"])
    for column in ("assoc_actor1_ids", "assoc_actor2_ids"):
        if column in events:
            actor_ids |= {a for value in events[column] for a in str(value).split("|")}
    actor_ids = _closure(actor_ids - {""}, actors, "actor_id", ("parent_id", "predecessor_id"))
    return {
        "sources": sources[sources["source_id"].isin(set(claims["source_id"]))],
        "places": places[places["place_id"].isin(place_ids)],
        "actors": actors[actors["actor_id"].isin(actor_ids)],
        "events": events,
        "claims": claims,
    }


def _closure(ids: set[str], table: pd.DataFrame, key: str, links: Iterable[str]) -> set[str]:
    """Ids plus everything they link to through `links`, transitively."""
    linked = {column: dict(zip(table[key], table[column])) for column in links if column in table}
    seen, todo = set(), list(ids)
    while todo:
        current = todo.pop()
        if current in seen or not current:
            continue
        seen.add(current)
        for mapping in linked.values():
            target = mapping.get(current)
            if isinstance(target, str) and target:
                todo.append(target)
        # a predecessor's later names come along too, so date-aware resolution still works
        if "predecessor_id" in table:
            todo.extend(table.loc[table["predecessor_id"].eq(current), key])
    return seen


def view_to_zip(tables: dict[str, pd.DataFrame]) -> bytes:
    """Our own layout, re-importable with `python -m data import FILE --format atlas`: a zip of the five CSVs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in LOAD_ORDER:
            archive.writestr(f"{table}.csv", as_text_table(tables[table], table, computed=False).to_csv(index=False))
    return buffer.getvalue()
