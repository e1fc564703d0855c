"""A synthetic dataset in our CSV layout, reproducible from a seed, for benchmarks and aggregate tests.

Places come from the curated gazetteer (`data/seed/places.csv`, `geo/gazetteer/*.csv`, whichever exist)
plus generated towns, used with a heavy (Zipf-like) tail; actors from the seed plus generated local
groups; dates over 2011-2024 with bursts; 1-3 claims per event (1.5 on average) that assert, deny or
dispute; several outlets; mixed date and place precision; some events without a place and some claims
about no event. Everything is drawn with numpy from one seed, so a seed and a size give the same files.

    python -m bench.synth --events 1000000 --seed 7 --out /tmp/claim-atlas-bench/1000000
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data.model.schema import LOAD_ORDER, column_names
from data.model.taxonomy import EVENT_TYPES, SIDES

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "seed"
GAZETTEER_DIR = ROOT / "geo" / "gazetteer"
FIRST_DAY = np.datetime64("2011-01-01", "D")
LAST_DAY = np.datetime64("2024-12-31", "D")
CLAIMS_PER_EVENT = (1, 2, 3)
CLAIMS_PER_EVENT_P = (0.6, 0.3, 0.1)  # mean 1.5
LOOSE_CLAIM_SHARE = 0.02  # claims about no single event
UNPLACED_SHARE = 0.05
DATE_PRECISION_P = {"day": 0.70, "week": 0.15, "month": 0.10, "range": 0.05}
STANCE_P = {"asserts": 0.78, "denies": 0.10, "disputes": 0.06, "uncertain": 0.06}
# Roughly Syria's bounding box, for generated towns.
LAT_RANGE, LON_RANGE = (32.5, 37.2), (35.8, 42.2)

OUTLETS = (
    "Reuters", "AFP", "Associated Press", "Al Jazeera", "SANA", "SOHR", "Enab Baladi", "Syria Direct",
    "The Independent", "The Guardian", "BBC News", "Anadolu Agency", "Press TV", "Orient News",
    "Kurdistan 24", "Deutsche Welle", "Le Monde", "The New York Times",
)
AGENCIES = ("Reuters", "AFP", "Associated Press", "DPA", "Anadolu Agency")
DETAILS = (
    "near a checkpoint on the main road", "around the besieged quarter", "along the supply corridor",
    "at the edge of the industrial zone", "close to a field hospital", "in the old market", "by the grain silos",
    "on the airport perimeter", "at a school used as a shelter", "around the water station", "in the orchards",
    "at a bakery queue", "across the river crossing", "on the ring road", "at the power plant",
    "near the mosque", "in farmland outside town", "around the military academy", "at a fuel depot",
    "during a humanitarian convoy", "near the camp for displaced families", "after a ceasefire deadline",
    "in overnight fighting", "as a truce collapsed", "during a prisoner exchange", "after a tunnel bomb",
)
PHRASES: dict[str, tuple[str, ...]] = {
    "Armed clash": ("clash with", "fight", "exchange fire with"),
    "Government regains territory": ("retake ground from", "push back"),
    "Non-state actor overtakes territory": ("overrun positions of", "seize ground from"),
    "Chemical weapon": ("are accused of a chemical attack on",),
    "Air/drone strike": ("carry out air strikes on", "strike positions of"),
    "Suicide bomb": ("send a suicide bomber against",),
    "Shelling/artillery/missile attack": ("shell", "fire rockets at"),
    "Remote explosive/landmine/IED": ("plant a roadside bomb against",),
    "Grenade": ("throw grenades at",),
    "Sexual violence": ("are accused of abuses against",),
    "Attack": ("attack", "raid"),
    "Abduction/forced disappearance": ("abduct members of",),
    "Agreement": ("reach a local deal with",),
    "Arrests": ("detain members of",),
    "Change to group/activity": ("announce a merger with",),
    "Disrupted weapons use": ("defuse explosives left by",),
    "Headquarters or base established": ("set up a base facing",),
    "Looting/property destruction": ("loot property of",),
    "Non-violent transfer of territory": ("hand over ground to",),
    "Other": ("negotiate with",),
    "Excessive force against protesters": ("fire on protesters opposing",),
    "Protest with intervention": ("break up a protest against",),
    "Peaceful protest": ("protest against",),
    "Violent demonstration": ("riot against",),
    "Mob violence": ("are attacked by a mob opposed to",),
}
STANCE_WORDS = {"asserts": "reports", "denies": "denies", "disputes": "disputes accounts of", "uncertain": "cannot confirm"}
UNITS = ("killed", "wounded", "displaced", "fighters killed", "civilians killed", "detained")
SYLLABLES = ("tal", "kafr", "deir", "ain", "jisr", "khan", "maarat", "qasr", "beit", "sheikh", "ras", "umm",
             "hamra", "nahr", "zeit", "bab", "harim", "salqin", "sarmin", "darat", "zabad", "masr", "rum", "hawa")
GENERATED_SIDES = ("opposition", "opposition", "jihadist", "government", "government_ally", "sdf", "isis", "civilian")
GROUP_WORDS = ("Brigade", "Battalion", "Front", "Movement", "Regiment", "Council", "Division")

# Used only when the curated seed files are absent (e.g. a bare checkout of data/).
FALLBACK_PLACES = [
    ("syria", "Syria", "Syrian Arab Republic", "country", "", 34.99, 38.39, 435000),
    ("aleppo-governorate", "Aleppo governorate", "Aleppo province", "governorate", "syria", 36.15, 37.40, 130000),
    ("idlib-governorate", "Idlib governorate", "Idleb", "governorate", "syria", 35.86, 36.57, 75000),
    ("homs-governorate", "Homs governorate", "Homs province", "governorate", "syria", 34.60, 37.90, 200000),
    ("damascus-governorate", "Damascus governorate", "Dimashq", "governorate", "syria", 33.52, 36.27, 9000),
    ("aleppo", "Aleppo", "Halab", "city", "aleppo-governorate", 36.20, 37.16, 12000),
    ("homs", "Homs", "Hims", "city", "homs-governorate", 34.73, 36.72, 8000),
]
FALLBACK_ACTORS = [
    ("syrian-government", "Syrian government", "government", ""),
    ("syrian-arab-army", "Syrian Arab Army", "government", "syrian-government"),
    ("russian-armed-forces", "Russian armed forces", "government_ally", ""),
    ("syrian-rebels", "Syrian rebels", "opposition", ""),
    ("jabhat-al-nusra", "Jabhat al-Nusra", "jihadist", ""),
    ("isis", "Islamic State", "isis", ""),
    ("sdf", "Syrian Democratic Forces", "sdf", ""),
    ("sohr", "Syrian Observatory for Human Rights", "monitor", ""),
    ("united-nations", "United Nations", "international", ""),
]


def _read_csv_rows(path: Path, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    for name in columns:
        if name not in frame:
            frame[name] = ""
    return frame[columns]


def _zipf_weights(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Heavy-tailed weights in a random order: a few items get most of the mass."""
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    rng.shuffle(weights)
    return weights / weights.sum()


def curated_places() -> pd.DataFrame:
    """Seed places first, then gazetteer files; the first row of an id wins; unknown parents become blank."""
    columns = column_names("places")
    frames = [_read_csv_rows(p, columns) for p in [SEED_DIR / "places.csv", *sorted(GAZETTEER_DIR.glob("*.csv"))] if p.exists()]
    if not frames:
        frames = [pd.DataFrame([(*row, "built-in fallback", "") for row in FALLBACK_PLACES], columns=columns).astype(str)]
    places = pd.concat(frames, ignore_index=True).drop_duplicates("place_id", keep="first").reset_index(drop=True)
    places = places[places["place_id"].ne("")].reset_index(drop=True)
    places.loc[~places["parent_id"].isin(set(places["place_id"])), "parent_id"] = ""
    return places


def curated_actors() -> pd.DataFrame:
    """The seed's actors, or a small built-in set when the seed is absent."""
    columns = column_names("actors")
    path = SEED_DIR / "actors.csv"
    if path.exists():
        actors = _read_csv_rows(path, columns)
    else:
        actors = pd.DataFrame([(a, n, "", s, p, "", "", "", "") for a, n, s, p in FALLBACK_ACTORS], columns=columns)
    actors = actors.drop_duplicates("actor_id", keep="first").reset_index(drop=True)
    known = set(actors["actor_id"])
    for column in ("parent_id", "predecessor_id"):
        actors.loc[~actors[column].isin(known), column] = ""
    return actors


def _town_names(n: int, rng: np.random.Generator) -> np.ndarray:
    first = np.array([s.capitalize() for s in SYLLABLES], dtype=object)
    second = np.array([s for s in SYLLABLES], dtype=object)
    a = rng.integers(0, len(first), n)
    b = rng.integers(0, len(second), n)
    names = first[a] + np.where(rng.random(n) < 0.5, " ", " al-") + np.char.capitalize(second[b].astype(str)).astype(object)
    return names + " " + pd.Series(np.arange(1, n + 1)).astype(str).to_numpy(dtype=object)


def generated_towns(n: int, curated: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Towns and villages scattered over Syria, each under the nearest curated governorate."""
    lat = rng.uniform(*LAT_RANGE, n)
    lon = rng.uniform(*LON_RANGE, n)
    governorates = curated[curated["kind"].eq("governorate")]
    if len(governorates):
        g_lat = governorates["lat"].astype(float).to_numpy()
        g_lon = governorates["lon"].astype(float).to_numpy()
        nearest = np.argmin((lat[:, None] - g_lat) ** 2 + (lon[:, None] - g_lon) ** 2, axis=1)
        parent = governorates["place_id"].to_numpy(dtype=object)[nearest]
    else:
        parent = np.full(n, "", dtype=object)
    names = _town_names(n, rng)
    kind = np.where(rng.random(n) < 0.6, "village", "town")
    precision = np.where(kind == "village", rng.integers(300, 1500, n), rng.integers(1000, 6000, n))
    ids = "synth-town-" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(6).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "place_id": ids,
            "name": names,
            "aliases": pd.Series(names).str.lower().to_numpy(dtype=object),
            "kind": kind,
            "parent_id": parent,
            "lat": np.round(lat, 5).astype(str),
            "lon": np.round(lon, 5).astype(str),
            "precision_m": precision.astype(str),
            "coord_source": "synthetic: uniform draw over the country's bounding box",
            "pcode": "",
        }
    )


def generated_actors(n: int, curated: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Local armed groups: a side each, some inside a curated coalition, some renamed from another."""
    sides = np.array(GENERATED_SIDES, dtype=object)[rng.integers(0, len(GENERATED_SIDES), n)]
    ids = np.array([f"synth-group-{i:04d}" for i in range(1, n + 1)], dtype=object)
    names = np.array(
        [f"{SYLLABLES[i % len(SYLLABLES)].capitalize()} {GROUP_WORDS[i % len(GROUP_WORDS)]} {i}" for i in range(1, n + 1)],
        dtype=object,
    )
    parent = np.full(n, "", dtype=object)
    if len(curated):
        by_side = {side: curated["actor_id"][curated["side"].eq(side)].to_numpy(dtype=object) for side in set(sides)}
        joins = rng.random(n) < 0.4
        for i in np.flatnonzero(joins):
            options = by_side.get(sides[i])
            if options is not None and len(options):
                parent[i] = options[rng.integers(0, len(options))]
    predecessor = np.full(n, "", dtype=object)
    renamed = np.flatnonzero(rng.random(n) < 0.1)
    renamed = renamed[renamed > 0]
    predecessor[renamed] = ids[renamed - 1]
    return pd.DataFrame(
        {
            "actor_id": ids,
            "name": names,
            "aliases": "",
            "side": sides,
            "parent_id": parent,
            "valid_from": "",
            "valid_to": "",
            "predecessor_id": predecessor,
            "note": "synthetic",
        }
    )


def _day_weights(rng: np.random.Generator) -> np.ndarray:
    """Daily intensity over 2011-2024: a slow wave plus a few dozen short bursts."""
    n_days = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    t = np.arange(n_days, dtype=np.float64)
    base = 1.0 + 0.6 * np.sin(t / 365.25 * 2 * np.pi / 3) ** 2
    for _ in range(40):
        centre = rng.uniform(0, n_days)
        width = rng.uniform(3, 45)
        base += rng.uniform(2, 12) * np.exp(-0.5 * ((t - centre) / width) ** 2)
    return base / base.sum()


def _dates(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, end (datetime64[D]) and precision of n events."""
    weights = _day_weights(rng)
    day = FIRST_DAY + rng.choice(len(weights), size=n, p=weights).astype("timedelta64[D]")
    precisions = np.array(list(DATE_PRECISION_P), dtype=object)
    precision = precisions[rng.choice(len(precisions), size=n, p=list(DATE_PRECISION_P.values()))]
    start = day.copy()
    end = day.copy()
    week = precision == "week"
    weekday = (day.astype(np.int64) + 3) % 7  # 0 = Monday
    start[week] = day[week] - weekday[week].astype("timedelta64[D]")
    end[week] = start[week] + np.timedelta64(6, "D")
    month = precision == "month"
    first_of_month = day.astype("datetime64[M]").astype("datetime64[D]")
    last_of_month = (day.astype("datetime64[M]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    start[month] = first_of_month[month]
    end[month] = last_of_month[month]
    ranged = precision == "range"
    end[ranged] = day[ranged] + rng.integers(2, 120, int(ranged.sum())).astype("timedelta64[D]")
    start = np.maximum(start, FIRST_DAY)
    end = np.minimum(end, LAST_DAY)
    return start, end, precision


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days, unit="D").astype(object)


def _ids(prefix: str, n: int) -> np.ndarray:
    return (prefix + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)).to_numpy(dtype=object)


def _int_or_blank(values: np.ndarray, blank: np.ndarray) -> np.ndarray:
    out = values.astype(str).astype(object)
    out[blank] = ""
    return out


def generate(n_events: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Five string tables (sources, places, actors, events, claims) in the contract's column order."""
    rng = np.random.default_rng(seed)

    # places: curated plus generated towns; coarse places (governorates, the country) keep some weight
    curated = curated_places()
    n_towns = int(np.clip(n_events // 200, 40, 6000))
    places = pd.concat([curated, generated_towns(n_towns, curated, rng)], ignore_index=True)
    place_ids = places["place_id"].to_numpy(dtype=object)
    place_names = places["name"].to_numpy(dtype=object)
    place_w = _zipf_weights(len(places), 1.05, rng)

    # actors: curated plus generated groups; claimants lean towards monitors, media and governments
    curated_a = curated_actors()
    actors = pd.concat([curated_a, generated_actors(120, curated_a, rng)], ignore_index=True)
    actor_ids = actors["actor_id"].to_numpy(dtype=object)
    actor_names = actors["name"].to_numpy(dtype=object)
    actor_sides = actors["side"].to_numpy(dtype=object)
    actor_w = _zipf_weights(len(actors), 0.9, rng)
    armed = np.isin(actor_sides, ["government", "government_ally", "opposition", "jihadist", "isis", "sdf"])
    fighter_w = np.where(armed, actor_w, actor_w * 0.05)
    fighter_w /= fighter_w.sum()
    speaker_w = actor_w * np.where(np.isin(actor_sides, ["monitor", "media", "government", "international"]), 3.0, 1.0)
    speaker_w /= speaker_w.sum()

    # sources: reports from a heavy-tailed set of outlets
    n_sources = int(np.clip(n_events // 200, 20, 5000))
    outlet_w = _zipf_weights(len(OUTLETS), 1.0, rng)
    source_outlet = np.array(OUTLETS, dtype=object)[rng.choice(len(OUTLETS), n_sources, p=outlet_w)]
    published = FIRST_DAY + rng.integers(0, int((LAST_DAY - FIRST_DAY).astype(int)) + 1, n_sources).astype("timedelta64[D]")
    source_ids = _ids("src-", n_sources)
    topic = np.array(DETAILS, dtype=object)[rng.integers(0, len(DETAILS), n_sources)]
    sources = pd.DataFrame(
        {
            "source_id": source_ids,
            "document": "",
            "outlet": source_outlet,
            "outlet_basis": "stated",
            "title": source_outlet + " report: fighting " + topic,
            "published": _iso(published),
            "published_basis": "stated",
            "url": "",
        }
    )
    source_w = _zipf_weights(n_sources, 0.8, rng)

    # events
    start, end, precision = _dates(n_events, rng)
    subs = np.array([sub for subs in EVENT_TYPES.values() for sub in subs], dtype=object)
    kind_of = {sub: kind for kind, subs_ in EVENT_TYPES.items() for sub in subs_}
    sub_w = np.array([6.0 if s in ("Armed clash", "Air/drone strike", "Shelling/artillery/missile attack") else 1.0 for s in subs])
    sub = subs[rng.choice(len(subs), n_events, p=sub_w / sub_w.sum())]
    event_type = pd.Series(sub).map(kind_of).to_numpy(dtype=object)
    place_pos = rng.choice(len(places), n_events, p=place_w)
    unplaced = rng.random(n_events) < UNPLACED_SHARE
    a1 = rng.choice(len(actors), n_events, p=fighter_w)
    a2 = rng.choice(len(actors), n_events, p=fighter_w)
    no_a1 = rng.random(n_events) < 0.03
    no_a2 = (rng.random(n_events) < 0.3) | (a2 == a1)
    phrase_of = {s: np.array(p, dtype=object) for s, p in PHRASES.items()}
    phrase_pick = rng.integers(0, 3, n_events)
    phrase = np.empty(n_events, dtype=object)
    for s in subs:
        rows = np.flatnonzero(sub == s)
        options = phrase_of.get(s, np.array(["act against"], dtype=object))
        phrase[rows] = options[phrase_pick[rows] % len(options)]
    detail_pos = rng.integers(0, len(DETAILS), n_events)
    details = np.array(DETAILS, dtype=object)[detail_pos]
    where = np.where(unplaced, "with no fixed place", "in " + place_names[place_pos])
    who = np.where(no_a1, "Unidentified gunmen", actor_names[a1])
    whom = np.where(no_a2, "local forces", actor_names[a2])
    summary = who + " " + phrase + " " + whom + " " + where + ", " + details + "."
    has_toll = rng.random(n_events) < 0.5
    low = rng.geometric(0.15, n_events) - 1
    high = low + rng.geometric(0.3, n_events) - 1
    event_ids = _ids("ev-", n_events)
    events = pd.DataFrame(
        {
            "event_id": event_ids,
            "date_start": _iso(start),
            "date_end": _iso(end),
            "date_precision": precision,
            "place_id": np.where(unplaced, "", place_ids[place_pos]),
            "event_type": event_type,
            "sub_event_type": sub,
            "actor1_id": np.where(no_a1, "", actor_ids[a1]),
            "actor2_id": np.where(no_a2, "", actor_ids[a2]),
            "summary": summary,
            "fatalities_low": _int_or_blank(low, ~has_toll),
            "fatalities_high": _int_or_blank(high, ~has_toll),
        }
    )

    # claims: 1-3 per event, plus a few about no single event, in shuffled file order
    per_event = rng.choice(CLAIMS_PER_EVENT, n_events, p=CLAIMS_PER_EVENT_P)
    linked_event = np.repeat(np.arange(n_events), per_event)
    n_loose = int(round(len(linked_event) * LOOSE_CLAIM_SHARE / (1 - LOOSE_CLAIM_SHARE)))
    claim_event = np.concatenate([linked_event, np.full(n_loose, -1)])
    n_claims = len(claim_event)
    claim_event = claim_event[rng.permutation(n_claims)]
    linked = claim_event >= 0
    ev = np.where(linked, claim_event, 0)
    stances = np.array(list(STANCE_P), dtype=object)
    stance = stances[rng.choice(len(stances), n_claims, p=list(STANCE_P.values()))]
    speaker = rng.choice(len(actors), n_claims, p=speaker_w)
    # a third of claimants are the event's own first actor, so many events have a single camp
    own = linked & (rng.random(n_claims) < 0.35) & ~no_a1[ev]
    speaker = np.where(own, a1[ev], speaker)
    named_person = rng.random(n_claims) < 0.15
    unaffiliated = rng.random(n_claims) < 0.04
    claimant = np.where(named_person, "a spokesman for " + actor_names[speaker], actor_ids[speaker])
    claimant = np.where(unaffiliated, "a local resident", claimant)
    claimant_actor = np.where(unaffiliated, "", actor_ids[speaker])
    relayed = np.where(rng.random(n_claims) < 0.2, np.array(AGENCIES, dtype=object)[rng.integers(0, len(AGENCIES), n_claims)], "")
    lag = rng.integers(0, 6, n_claims).astype("timedelta64[D]")
    loose_day = FIRST_DAY + rng.integers(0, int((LAST_DAY - FIRST_DAY).astype(int)) + 1, n_claims).astype("timedelta64[D]")
    claim_day = np.where(linked, np.minimum(end[ev] + lag, LAST_DAY), loose_day)
    claim_date = _iso(claim_day)
    claim_date[rng.random(n_claims) < 0.03] = ""
    has_quantity = rng.random(n_claims) < 0.15
    quantity = _int_or_blank(rng.geometric(0.05, n_claims), ~has_quantity)
    unit = np.where(has_quantity, np.array(UNITS, dtype=object)[rng.integers(0, len(UNITS), n_claims)], "")
    speaker_name = np.where(unaffiliated, "A local resident", actor_names[speaker])
    about = np.where(linked, "the " + pd.Series(sub[ev]).str.lower().to_numpy(dtype=object) + " " + details[ev],
                     "displacement and shortages across the region")
    toll = np.where(has_quantity, ", citing " + quantity + " " + unit, "")
    statement = speaker_name + " " + pd.Series(stance).map(STANCE_WORDS).to_numpy(dtype=object) + " " + about + toll + "."
    claims = pd.DataFrame(
        {
            "claim_id": _ids("cl-", n_claims),
            "event_id": np.where(linked, event_ids[ev], ""),
            "source_id": source_ids[rng.choice(n_sources, n_claims, p=source_w)],
            "claimant": claimant,
            "claimant_actor_id": claimant_actor,
            "relayed_by": relayed,
            "stance": stance,
            "statement": statement,
            "claim_date": claim_date,
            "quantity": quantity,
            "unit": unit,
            "span_start": "",
            "span_end": "",
        }
    )
    tables = {"sources": sources, "places": places, "actors": actors, "events": events, "claims": claims}
    return {name: tables[name][column_names(name)].astype(str) for name in LOAD_ORDER}


def write_tables(tables: dict[str, pd.DataFrame], out: Path | str) -> Path:
    """Write the five tables as UTF-8 CSV with a header row and minimal quoting (pyarrow, for speed)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in LOAD_ORDER:
        frame = tables[name]
        table = pa.table({column: pa.array(frame[column].to_numpy(dtype=object), type=pa.string()) for column in frame.columns})
        pacsv.write_csv(table, out / f"{name}.csv", pacsv.WriteOptions(quoting_style="needed"))
    return out


def synth_main(argv: list[str] | None = None) -> int:
    """Command line: generate a dataset folder and print its size and the time it took."""
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="number of events (claims are about 1.5 per event)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, help="folder to write the five CSV files into")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")
    began = time.perf_counter()
    tables = generate(args.events, args.seed)
    generated = time.perf_counter()
    write_tables(tables, args.out)
    done = time.perf_counter()
    sizes = ", ".join(f"{len(tables[n]):,} {n}" for n in LOAD_ORDER)
    print(f"{args.out}: {sizes}; generated in {generated - began:.1f} s, written in {done - generated:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(synth_main())
