"""Control of places over time: the seed's named changes before and after, contested and unknown places, the
district/city rule, editors' control claims, non-overlapping intervals on random evidence, and an ACLED sample."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from data.model.control import (CONTROL_RULE, STATES, ControlError, check_control_claims, control_claims_of,
                                infer_control, parse_day)
from data.model.control.evidence import Evidence, day_number
from data.model.control.timeline import apply_place_rule, paint_place
from data.model.dataset import SEED_DIR, from_tables, load_dataset
from tests.conftest import SHARED, TINY_DIR


@pytest.fixture(scope="module")
def seed_control():
    seed = load_dataset(SEED_DIR)
    return infer_control(seed, control_claims=control_claims_of(seed, SEED_DIR))


def _state(control, place_id: str, day: str):
    return next(s for s in control.on(day) if s.place_id == place_id)


# (place, day before, state and side before, day after, state and side after, the event the change rests on)
SEED_CHANGES = [
    ("aleppo-central-prison", "2014-05-01", ("besieged", "government"), "2014-05-23", ("held", "government"),
     "2014-05-22-aleppo-central-prison-siege-broken"),
    ("homs-old-city", "2014-04-15", ("held", "opposition"), "2014-06-01", ("held", "government"),
     "2014-05-homs-old-city-retaken"),
    ("aleppo-ramouseh-military-academies", "2016-08-04", ("held", "government"), "2016-08-07", ("held", "jihadist"),
     "2016-08-06-ramouseh-military-complex-seized"),
    ("aleppo-ramouseh", "2016-08-04", ("held", "government"), "2016-08-07", ("contested", "jihadist"),
     "2016-08-06-aleppo-siege-broken"),
    ("aleppo-handarat-camp", "2016-09-20", ("held", "opposition"), "2016-10-06", ("held", "government"),
     "2016-10-handarat-camp-retaken"),
    ("aleppo-farafra", "2016-09-20", ("held", "opposition"), "2016-10-06", ("held", "government"),
     "2016-10-farafra-retaken"),
    ("aleppo-kindi-hospital", "2016-09-20", ("held", "opposition"), "2016-10-06", ("held", "government"),
     "2016-10-kindi-hospital-retaken"),
    ("manbij", "2016-07-20", ("held", "isis"), "2016-08-10", ("held", "sdf"), "2016-08-manbij-seized-by-sdf"),
    ("nubl", "2016-02-01", ("besieged", "government"), "2016-02-04", ("held", "government"),
     "2016-02-03-nubl-zahraa-siege-broken"),
]


@pytest.mark.parametrize("place_id, before, was, after, now, event_id", SEED_CHANGES, ids=[c[0] for c in SEED_CHANGES])
def test_seed_control_before_and_after_each_named_change(seed_control, place_id, before, was, after, now, event_id):
    then, later = _state(seed_control, place_id, before), _state(seed_control, place_id, after)
    assert (then.state, then.side) == was and event_id in then.evidence
    assert (later.state, later.side) == now and event_id in later.evidence
    assert later.since and before < later.since <= after


def test_ramouseh_is_contested_while_state_media_deny_the_breakthrough(seed_control):
    day = _state(seed_control, "aleppo-ramouseh", "2016-08-20")
    assert (day.state, day.side, day.since) == ("contested", "jihadist", "2016-08-06")
    assert {"aleppo-siege-broken-sana-1", "aleppo-siege-broken-pro-government-media-1"} <= set(day.claims)  # the denials
    assert "aleppo-siege-broken-jfs-spokesman-1" in day.claims  # and the claim it denies


def test_a_week_precise_change_is_a_window_not_a_day(seed_control):
    inside = _state(seed_control, "aleppo-farafra", "2016-09-30")
    assert (inside.state, inside.since) == ("contested", "2016-09-28")
    assert _state(seed_control, "aleppo-farafra", "2016-10-05").state == "held"


def test_zahraa_is_relieved_through_the_seed_control_claims(seed_control):
    assert (_state(seed_control, "zahraa", "2016-02-02").state, _state(seed_control, "zahraa", "2016-02-02").side) == ("besieged", "government")
    after = _state(seed_control, "zahraa", "2016-02-04")
    assert (after.state, after.side, after.claims) == ("held", "government", ("zahraa-relieved-press-tv-1",))
    without = infer_control(load_dataset(SEED_DIR))
    assert _state(without, "zahraa", "2016-02-04").state == "unknown"  # no event is filed under Zahraa


@pytest.mark.parametrize("place_id, day", [
    ("aleppo-furqan", "2016-08-07"),           # named in the reports, no change there
    ("tartus-russian-naval-facility", "2016-10-04"),
    ("aleppo-central-prison", "2012-06-01"),   # before its first evidence: not guessed
    ("aleppo-governorate", "2016-02-04"),      # a change filed under the governorate says nothing about it
    ("aleppo-hamdaniya", "2016-08-07"),        # its event tells of a siege lifted elsewhere: no change here
])
def test_places_without_evidence_are_unknown_not_guessed(seed_control, place_id, day):
    state = _state(seed_control, place_id, day)
    assert (state.state, state.side, state.since, state.evidence) == ("unknown", "", "", ())


def test_aleppo_is_divided_while_its_districts_are_held_by_two_camps(seed_control):
    aleppo = _state(seed_control, "aleppo", "2016-08-07")
    assert (aleppo.state, aleppo.side) == ("contested", "")
    assert {"2016-08-06-ramouseh-military-complex-seized", "2014-05-22-aleppo-central-prison-siege-broken"} <= set(aleppo.evidence)
    assert _state(seed_control, "aleppo", "2014-06-01").state == "unknown"  # only the prison known: never "held"


def test_every_seed_interval_rests_on_evidence_and_the_rule_is_one_text(seed_control):
    for place_id, intervals in seed_control.intervals.items():
        for interval in intervals:
            assert interval.state in STATES
            assert (interval.state == "unknown") == (not interval.event_ids and not interval.claim_ids), interval
    assert all(f"**{state}**" in CONTROL_RULE for state in ("held", "contested", "besieged", "unknown"))


def test_bad_day_and_unknown_place_say_what_is_wrong(seed_control):
    with pytest.raises(ControlError, match="like 2016-08-06, got 'yesterday'"):
        seed_control.on("yesterday")
    with pytest.raises(ControlError, match="no place with id 'atlantis'"):
        seed_control.history("atlantis")
    assert parse_day(dt.date(2016, 8, 6)) == dt.date(2016, 8, 6)


# --- small datasets of our own --------------------------------------------------------------------------------


def _tables(events: list[dict], claims: list[dict] = (), places: list[dict] = ()) -> dict[str, pd.DataFrame]:
    tables = {name: pd.read_csv(TINY_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
              for name in ("sources", "places", "actors", "events", "claims")}
    tables["places"] = pd.concat([tables["places"], pd.DataFrame(list(places))], ignore_index=True).fillna("")
    event_columns, claim_columns = tables["events"].columns, tables["claims"].columns
    tables["events"] = pd.DataFrame([{c: e.get(c, "") for c in event_columns} for e in events], columns=event_columns)
    tables["claims"] = pd.DataFrame([{c: k.get(c, "") for c in claim_columns} for k in claims], columns=claim_columns)
    return tables


def _event(event_id, place_id, start, end=None, *, sub="Government regains territory", actor1="army", actor2="rebels",
           summary="Forces take the place.", kind=None):
    kind = kind or ("Strategic developments" if sub == "Non-violent transfer of territory" else "Battles")
    return {"event_id": event_id, "date_start": start, "date_end": end or start,
            "date_precision": "day" if not end or end == start else "range", "place_id": place_id, "event_type": kind,
            "sub_event_type": sub, "actor1_id": actor1, "actor2_id": actor2, "summary": summary}


PLACES = [
    {"place_id": "hilltown-mill", "name": "Hill Mill", "kind": "facility", "parent_id": "hilltown", "lat": "36.401",
     "lon": "37.001", "precision_m": "300", "coord_source": "fixture"},
    {"place_id": "porttown", "name": "Porttown", "kind": "city", "parent_id": "northland", "lat": "36.0", "lon": "37.5",
     "precision_m": "6000", "coord_source": "fixture"},
    {"place_id": "porttown-east", "name": "East Port", "kind": "neighbourhood", "parent_id": "porttown", "lat": "36.0",
     "lon": "37.52", "precision_m": "800", "coord_source": "fixture"},
    {"place_id": "porttown-west", "name": "West Port", "kind": "neighbourhood", "parent_id": "porttown", "lat": "36.0",
     "lon": "37.48", "precision_m": "800", "coord_source": "fixture"},
    {"place_id": "porttown-docks", "name": "Docks", "kind": "facility", "parent_id": "porttown", "lat": "36.0",
     "lon": "37.5", "precision_m": "200", "coord_source": "fixture"},
    {"place_id": "farvillage", "name": "Far Village", "kind": "town", "parent_id": "northland", "lat": "36.6",
     "lon": "37.3", "precision_m": "25000", "coord_source": "fixture: ACLED geo_precision 2"},
]


def _control(events, claims=(), control_claims=None, **kwargs):
    ds = from_tables(_tables(events, claims, PLACES), dataset_id="control-test", resolve_names=False)
    return ds, infer_control(ds, control_claims=control_claims, **kwargs)


def test_a_town_takes_the_places_inside_it_but_a_city_does_not():
    _, control = _control([
        _event("e-hill", "hilltown", "2016-02-03"),
        _event("e-port", "porttown", "2016-03-01", actor1="new-front", actor2="army", sub="Non-state actor overtakes territory"),
    ])
    mill = _state(control, "hilltown-mill", "2016-02-10")
    assert (mill.state, mill.side, mill.evidence) == ("held", "government", ("e-hill",))
    assert control.history("hilltown-mill")[-1].basis.startswith("follows hilltown")
    assert _state(control, "porttown", "2016-03-02").side == "jihadist"
    assert _state(control, "porttown-docks", "2016-03-02").state == "unknown"  # a city can be divided


def test_a_city_is_divided_only_by_districts_of_two_camps():
    _, control = _control([
        _event("e-east", "porttown-east", "2016-03-01", actor1="new-front", actor2="army", sub="Non-state actor overtakes territory"),
        _event("e-west", "porttown-west", "2016-04-01"),
    ], lookback_days=0)
    assert _state(control, "porttown", "2016-03-15").state == "unknown"  # one camp known: not "held" from it
    divided = _state(control, "porttown", "2016-04-02")
    assert (divided.state, divided.side, divided.since, set(divided.evidence)) == ("contested", "", "2016-04-01", {"e-east", "e-west"})


def test_imprecise_places_and_governorates_say_nothing():
    _, control = _control([_event("e-far", "farvillage", "2016-03-01"), _event("e-gov", "northland", "2016-03-01")])
    assert _state(control, "farvillage", "2016-03-05").state == "unknown"
    assert _state(control, "northland", "2016-03-05").state == "unknown"


def test_a_denied_change_stays_contested_until_a_later_change_settles_it():
    claims = [{"claim_id": "k1", "event_id": "e1", "source_id": "wire-a", "claimant": "new-front", "claimant_actor_id": "new-front",
               "stance": "asserts", "statement": "The front says it took the base.", "claim_date": "2016-08-06"},
              {"claim_id": "k2", "event_id": "e1", "source_id": "paper-b", "claimant": "state-media", "claimant_actor_id": "state-media",
               "stance": "denies", "statement": "State news says the base never fell.", "claim_date": "2016-08-07"}]
    _, control = _control([
        _event("e1", "rivertown-base", "2016-08-06", actor1="new-front", actor2="army", sub="Non-state actor overtakes territory"),
        _event("e2", "rivertown-base", "2016-09-10", "2016-09-12"),
    ], claims)
    assert [(i.state, i.side, str(i.start or ""), str(i.end or "")) for i in control.history("rivertown-base")] == [
        ("unknown", "", "", "2015-08-06"),
        ("held", "government", "2015-08-07", "2016-08-05"),
        ("contested", "jihadist", "2016-08-06", "2016-09-09"),    # denied: contested until ...
        ("contested", "government", "2016-09-10", "2016-09-11"),  # ... the next change's window
        ("held", "government", "2016-09-12", ""),
    ]
    assert set(_state(control, "rivertown-base", "2016-08-20").claims) == {"k1", "k2"}


def _control_claims(rows: list[dict]) -> pd.DataFrame:
    base = {"side": "", "actor_id": "", "date_end": "", "stance": "asserts", "source_id": "wire-a", "claimant": "editor",
            "claimant_actor_id": "", "span_start": "", "span_end": "", "statement": "An editor's reading.", "editor": "test"}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_control_claims_agree_settle_or_contest():
    claims = _control_claims([
        {"control_claim_id": "agree", "place_id": "hilltown", "side": "government", "state": "held", "date_start": "2016-03-01"},
        {"control_claim_id": "clash", "place_id": "rivertown-south", "actor_id": "coalition", "state": "held", "date_start": "2016-06-01"},
    ])
    ds, control = _control([_event("e-hill", "hilltown", "2016-02-03"), _event("e-south", "rivertown-south", "2016-05-01")],
                           control_claims=claims)
    assert check_control_claims(claims, places=ds.places["place_id"], sources=ds.sources["source_id"],
                                actors=ds.actors["actor_id"]) == []
    hill = _state(control, "hilltown", "2016-03-05")
    assert (hill.state, hill.since, hill.claims) == ("held", "2016-02-03", ("agree",))  # agrees: listed, nothing moves
    south = _state(control, "rivertown-south", "2016-06-02")
    assert (south.state, south.side, south.evidence, south.claims) == ("contested", "opposition", ("e-south",), ("clash",))
    assert _state(control, "rivertown-south", "2016-05-15").state == "held"


def test_bad_control_claims_are_named_and_none_is_used(tmp_path, seed_control):
    seed = load_dataset(SEED_DIR)
    (tmp_path / "control_claims.csv").write_text(
        (SEED_DIR / "control_claims.csv").read_text(encoding="utf-8").replace("2016-02-03,,asserts", "2016-02-31,,asserts")
        .replace(",zahraa,government,", ",atlantis,government,", 1), encoding="utf-8")
    with pytest.raises(ControlError) as caught:
        control_claims_of(seed, tmp_path)
    message = str(caught.value)
    assert "control_claims.csv:2: place_id 'atlantis'" in message and "control_claims.csv:3: date_start '2016-02-31'" in message


@pytest.mark.parametrize("side", ["monitor", "media", "international", "analyst", "no-such-side"])
def test_only_a_fighting_side_can_hold_a_place(side):
    claims = _control_claims([{"control_claim_id": "c1", "place_id": "hilltown", "side": side, "state": "held", "date_start": "2016-03-01"}])
    ds, _ = _control([_event("e-hill", "hilltown", "2016-02-03")])
    problems = check_control_claims(claims, places=ds.places["place_id"], sources=ds.sources["source_id"], actors=ds.actors["actor_id"])
    assert [(p.column, p.value) for p in problems] == [("side", side)] and "fighting side" in problems[0].reason


# --- property: one place's intervals never overlap -----------------------------------------------------------


def _random_evidence(rng: random.Random, place_id: str) -> list[Evidence]:
    base = day_number("2015-01-01")
    items = []
    for k in range(rng.randint(0, 8)):
        first = base + rng.randint(0, 700)
        last = first + rng.choice([0, 0, 0, 6, 30, rng.randint(1, 120)])
        kind = rng.choice(["change", "change", "siege_end", "siege", "claim"])
        side, previous = rng.choice(["government", "opposition", "isis", "sdf"]), rng.choice(["government", "opposition", ""])
        items.append(Evidence(
            place_id=place_id, kind=kind, first_day=first, last_day=last if kind != "claim" else first + rng.choice([0, 0, 10]),
            side=side, previous_side=previous, disputed=rng.random() < 0.3, event_ids=(f"e{k}",) if kind != "claim" else (),
            claim_ids=(f"c{k}",), state=rng.choice(["held", "besieged", "contested"]), denies=rng.random() < 0.2,
            persists=rng.random() < 0.7,
        ))
    return items


def _assert_tiles_time(intervals):
    assert intervals[0].start is None and intervals[-1].end is None
    for a, b in zip(intervals, intervals[1:]):
        assert a.end is not None and b.start == a.end + dt.timedelta(days=1), (a, b)
        assert (a.side, a.state) != (b.side, b.state), (a, b)  # merged when equal
    for i in intervals:
        assert i.start is None or i.end is None or i.start <= i.end
        assert i.state in STATES and (i.state == "unknown") == (not i.event_ids and not i.claim_ids)


def test_intervals_of_one_place_never_overlap_on_random_evidence():
    rng = random.Random(20161005)
    for case in range(400):
        town = _random_evidence(rng, "t")
        districts = {f"d{k}": _random_evidence(rng, f"d{k}") for k in range(rng.randint(0, 3))}
        lookback = rng.choice([0, 30, 365])
        own = {"t": paint_place("t", town, lookback_days=lookback)} if town else {}
        own.update({d: paint_place(d, ev, lookback_days=lookback) for d, ev in districts.items() if ev})
        kinds = {"t": rng.choice(["city", "town"]), **{d: "neighbourhood" for d in districts}, "inside": "facility"}
        parents = {"t": "", **{d: "t" for d in districts}, "inside": "t"}
        for place_id, intervals in apply_place_rule(own, kinds, parents).items():
            _assert_tiles_time(intervals)
        assert case >= 0


def test_random_event_sequences_through_the_whole_pipeline():
    rng = random.Random(7)
    subs = ["Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"]
    for _ in range(25):
        events = []
        for k in range(rng.randint(1, 6)):
            start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
            end = start + dt.timedelta(days=rng.choice([0, 0, 6, 29]))
            actor1, actor2 = rng.sample(["army", "rebels", "new-front", "ally"], 2)
            events.append(_event(f"r{k}", rng.choice(["rivertown-base", "hilltown", "porttown-east"]), start.isoformat(),
                                 end.isoformat(), sub=rng.choice(subs), actor1=actor1, actor2=actor2,
                                 summary=rng.choice(["Forces take it.", "The siege of the town is broken.", "Fighters enter."])))
        _, control = _control(events)
        for intervals in control.intervals.values():
            _assert_tiles_time(list(intervals))
        day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 400))
        for state in control.on(day):
            covering = [i for i in control.history(state.place_id) if i.covers(day)]
            assert len(covering) == 1 and covering[0].state == state.state


# --- an imported ACLED sample -----------------------------------------------------------------------------------


def test_acled_sample_what_control_can_and_cannot_tell():
    """40 real ACLED battles (read in place, never copied): 5 are territory changes. The 3 filed at geo_precision 1
    give a town its holder before and after. The 2 at geo_precision 2 say nothing: Tell Adimah is filed under Hama
    city with a 25 km radius (Hama did not change hands), and the Deir ez-Zor airbase row, coded "Government regains
    territory", tells in its notes of IS cutting a road. The 35 armed clashes say nothing at all."""
    sample = SHARED / "samples" / "acled_syria_sample.csv"
    if not sample.is_file():
        pytest.skip(f"{sample} not found")
    from data.importers import import_file

    ds = import_file(sample, "acled").dataset
    control = infer_control(ds)
    changes = ds.events[ds.events["sub_event_type"].isin(["Government regains territory", "Non-state actor overtakes territory"])]
    assert len(changes) == 5
    known = {p: i for p, i in control.intervals.items() if any(x.state != "unknown" for x in i)}
    precise = changes[changes["place_id"].map(dict(zip(ds.places["place_id"], pd.to_numeric(ds.places["precision_m"])))) <= 10_000]
    assert set(known) == set(precise["place_id"]) and len(known) == 3
    hama = changes.loc[changes["place_id"].str.startswith("acled-place:hama"), "place_id"].iloc[0]
    assert all(i.state == "unknown" for i in control.history(hama))
    for _, event in precise.iterrows():
        day_after = (event["date_end"] + pd.Timedelta(days=1)).date()
        state = _state(control, event["place_id"], day_after.isoformat())
        assert state.state == "held" and state.evidence == (event["event_id"],)
        assert state.side == ("government" if event["sub_event_type"] == "Government regains territory" else "opposition")
    assert sum(1 for intervals in control.intervals.values() if all(i.state == "unknown" for i in intervals)) > 20


def test_a_change_the_losing_camp_concedes_is_held_despite_a_third_party_denial():
    claims = [{"claim_id": "k1", "event_id": "e1", "source_id": "wire-a", "claimant": "rebels", "claimant_actor_id": "rebels",
               "stance": "asserts", "statement": "The brigade says it withdrew from the base.", "claim_date": "2016-08-06"},
              {"claim_id": "k2", "event_id": "e1", "source_id": "paper-b", "claimant": "monitor", "claimant_actor_id": "monitor",
               "stance": "denies", "statement": "The monitor says fighting goes on inside.", "claim_date": "2016-08-07"}]
    ds, control = _control([_event("e1", "rivertown-base", "2016-08-06")], claims)
    assert ds.events.loc[0, "status"] == "conceded"  # by the claim-status rule
    state = _state(control, "rivertown-base", "2016-08-10")
    assert (state.state, state.side, set(state.claims)) == ("held", "government", {"k1", "k2"})


def test_ucdp_sample_tells_nothing_about_control():
    """UCDP GED codes deadly violence, not who holds ground: its 40 rows (read in place) leave every place unknown."""
    sample = SHARED / "samples" / "ucdp_ged_syria_sample.csv"
    if not sample.is_file():
        pytest.skip(f"{sample} not found")
    from data.importers import import_file

    ds = import_file(sample, "ucdp").dataset
    control = infer_control(ds)
    assert len(ds.events) == 40 and len(control.intervals) == len(ds.places)
    assert all(i.state == "unknown" for intervals in control.intervals.values() for i in intervals)


@pytest.mark.parametrize("place_id, day, expected", [
    ("aleppo-east", "2016-07-20", ("besieged", "opposition", "2016-07-17")),
    ("aleppo-east", "2016-09-01", ("unknown", "", "2016-08-06")),  # after the breakthrough claim nothing in the seed says
    ("aleppo-east", "2016-10-10", ("besieged", "opposition", "2016-10-05")),
    ("aleppo-west", "2016-10-10", ("held", "government", "2016-08-06")),  # two claims that agree: one interval
])
def test_east_and_west_aleppo_from_the_seed_control_claims(seed_control, place_id, day, expected):
    state = _state(seed_control, place_id, day)
    assert (state.state, state.side, state.since) == expected
    assert state.state == "unknown" or state.claims


def test_the_seed_control_claims_point_at_whole_sentences_of_their_source():
    claims = pd.read_csv(SEED_DIR / "control_claims.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(SEED_DIR / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    articles = SHARED / "seeds"
    if not articles.is_dir():
        pytest.skip(f"{articles} not found")
    for claim in claims.to_dict("records"):
        text = (articles / sources.loc[claim["source_id"], "document"]).read_text(encoding="utf-8")
        sentence = text[int(claim["span_start"]):int(claim["span_end"])]
        assert sentence[0].isupper() and sentence.endswith("."), claim["control_claim_id"]
        assert text[int(claim["span_start"]) - 1].isspace() and "\n" not in sentence
