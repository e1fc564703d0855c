"""Claim status by origins and voices: a table of small datasets, each one event, loaded the way the app loads data."""

from __future__ import annotations

import pandas as pd
import pytest

from data.model.claims import CLAIM_STATUS_RULE, add_claim_status, status_reasons
from data.model.dataset import from_tables

ACTORS = [  # actor_id, name, aliases, side
    ("army", "Syrian Arab Army", "the army", "government"),
    ("state-news", "State News Agency", "state media", "government"),
    ("ally", "Allied air force", "", "government_ally"),
    ("rebels", "Rebel coalition", "", "opposition"),
    ("front", "Conquest Front", "", "jihadist"),
    ("monitor", "Rights Monitor", "", "monitor"),
    ("second-monitor", "Casualty Monitor", "", "monitor"),
    ("wire-x", "Wire X", "WX", "media"),
    ("wire-y", "Wire Y", "", "media"),
    ("paper-a", "Paper A", "", "media"),
    ("paper-b", "Paper B", "", "media"),
]
SOURCES = ("paper-a", "paper-b", "paper-c")


def _dataset(claims, *, sub_type="Armed clash", actor1="army", actor2="rebels", event_type="Battles"):
    """One event and its claims: (claimant actor or name, relayed_by, stance, source, quantity, unit)."""
    rows = []
    for i, claim in enumerate(claims):
        who, relay, stance, source, *number = (*claim, "", "")[:6] if len(claim) < 6 else claim
        actor = who if who in {a[0] for a in ACTORS} else ""
        rows.append({"claim_id": f"c{i}", "event_id": "e", "source_id": source, "claimant": who, "claimant_actor_id": actor,
                     "relayed_by": relay, "stance": stance, "statement": f"claim {i}", "claim_date": "", "quantity": number[0],
                     "unit": number[1], "span_start": "", "span_end": ""})
    tables = {
        "sources": pd.DataFrame({"source_id": list(SOURCES), "document": "", "outlet": ["Paper A", "Paper B", "Paper C"], "outlet_basis": "",
                                 "title": "", "published": "", "published_basis": "", "url": ""}),
        "places": pd.DataFrame({"place_id": ["town"], "name": ["Town"], "aliases": [""], "kind": ["town"], "parent_id": [""], "lat": ["36"],
                                "lon": ["37"], "precision_m": ["1000"], "coord_source": ["test"], "pcode": [""]}),
        "actors": pd.DataFrame([{"actor_id": a, "name": n, "aliases": al, "side": s, "parent_id": "", "valid_from": "", "valid_to": "",
                                 "predecessor_id": "", "note": ""} for a, n, al, s in ACTORS]),
        "events": pd.DataFrame([{"event_id": "e", "date_start": "2016-08-06", "date_end": "2016-08-06", "date_precision": "day",
                                 "place_id": "town", "event_type": event_type, "sub_event_type": sub_type, "actor1_id": actor1,
                                 "actor2_id": actor2, "summary": "an event", "fatalities_low": "", "fatalities_high": ""}]),
        "claims": pd.DataFrame(rows, columns=["claim_id", "event_id", "source_id", "claimant", "claimant_actor_id", "relayed_by", "stance",
                                              "statement", "claim_date", "quantity", "unit", "span_start", "span_end"]),
    }
    return from_tables(tables, dataset_id="case")


def _status(claims, **event):
    ds = _dataset(claims, **event)
    reference = ds.events[["event_id", "against_camp"]].copy()
    add_claim_status(reference, ds.claims)
    assert str(reference["status"].iloc[0]) == str(ds.events["status"].iloc[0]), "the fast rule and the written rule disagree"
    return str(ds.events["status"].iloc[0])


TAKEN = {"sub_type": "Non-state actor overtakes territory", "actor1": "rebels", "actor2": "army"}  # goes against the government


@pytest.mark.parametrize(
    ("claims", "event", "expected"),
    [
        pytest.param([("rebels", "", "asserts", "paper-a")], {}, "single-source", id="one party"),
        pytest.param([("rebels", "", "asserts", "paper-a"), ("monitor", "", "asserts", "paper-a")], {}, "corroborated", id="party and monitor"),
        pytest.param([("army", "", "asserts", "paper-a"), ("ally", "", "asserts", "paper-b")], {}, "single-source", id="allies are one camp"),
        pytest.param([("rebels", "Wire X", "asserts", "paper-a"), ("rebels", "Wire Y", "asserts", "paper-b")], {}, "single-source",
                     id="one claimant quoted by two outlets"),
        pytest.param([("paper-a", "Wire X", "asserts", "paper-a"), ("paper-b", "Wire X", "asserts", "paper-b")], {}, "single-source",
                     id="same wire printed twice"),
        pytest.param([("paper-a", "WX", "asserts", "paper-a"), ("paper-b", "Wire X", "asserts", "paper-b")], {}, "single-source",
                     id="same wire under an alias"),
        pytest.param([("paper-a", "", "asserts", "paper-a"), ("paper-b", "", "asserts", "paper-b")], {}, "corroborated",
                     id="two outlets reporting themselves"),
        pytest.param([("paper-a", "Wire X", "asserts", "paper-a"), ("paper-b", "Wire Y", "asserts", "paper-b")], {}, "corroborated",
                     id="two different wires"),
        pytest.param([("paper-a", "state media", "asserts", "paper-a"), ("army", "", "asserts", "paper-b")], {}, "single-source",
                     id="an outlet printing state media speaks for the government"),
        pytest.param([("monitor", "", "asserts", "paper-a"), ("second-monitor", "", "asserts", "paper-b")], {}, "corroborated",
                     id="two monitors"),
        pytest.param([("rebels", "", "asserts", "paper-a"), ("an unnamed official", "", "asserts", "paper-b")], {}, "single-source",
                     id="unnamed claimants do not count"),
        pytest.param([("rebels", "", "asserts", "paper-a"), ("an unnamed official", "Wire X", "asserts", "paper-b")], {}, "corroborated",
                     id="an unnamed source counts through the wire that vouches for it"),
        pytest.param([("rebels", "", "asserts", "paper-a"), ("monitor", "", "asserts", "paper-a"), ("army", "", "denies", "paper-b")], {},
                     "contested", id="a denial"),
        pytest.param([("rebels", "", "asserts", "paper-a"), ("someone", "", "disputes", "paper-a")], {}, "contested", id="an unnamed dispute"),
        pytest.param([("army", "", "asserts", "paper-a")], TAKEN, "conceded", id="the losing side concedes"),
        pytest.param([("paper-a", "state media", "asserts", "paper-a")], TAKEN, "conceded", id="a concession printed by an outlet"),
        pytest.param([("rebels", "", "asserts", "paper-a"), ("front", "", "asserts", "paper-b")], TAKEN, "corroborated",
                     id="the winners alone do not concede"),
        pytest.param([("army", "", "asserts", "paper-a"), ("rebels", "", "denies", "paper-b")], TAKEN, "conceded",
                     id="concession beats another camp's denial"),
        pytest.param([("army", "", "asserts", "paper-a"), ("state-news", "", "denies", "paper-b")], TAKEN, "contested",
                     id="concession and a denial from the same camp"),
        pytest.param([("ally", "", "asserts", "paper-a"), ("army", "", "disputes", "paper-b")], TAKEN, "contested",
                     id="an ally concedes, the government disputes"),
        pytest.param([("rebels", "", "asserts", "paper-a")], {"event_type": "Violence against civilians", "sub_type": "Attack",
                                                               "actor1": "rebels", "actor2": ""}, "conceded",
                     id="a perpetrator admits violence against civilians"),
        pytest.param([("army", "", "asserts", "paper-a")], {"sub_type": "Armed clash"}, "single-source", id="a clash goes against no one"),
        pytest.param([("monitor", "", "uncertain", "paper-a")], {}, "single-source", id="only uncertain"),
        pytest.param([], {}, "unclaimed", id="no claims"),
    ],
)
def test_status_rule(claims, event, expected):
    assert _status(claims, **event) == expected


def test_rule_text_names_every_status_and_the_combination():
    for status in ("conceded", "corroborated", "contested", "single-source", "unclaimed"):
        assert f"**{status}**" in CLAIM_STATUS_RULE
    assert "conceding camp itself makes the event contested" in CLAIM_STATUS_RULE


@pytest.mark.parametrize(
    ("claims", "event", "words"),
    [
        ([("front", "Wire X", "asserts", "paper-a"), ("state-news", "", "denies", "paper-b")], {},
         "contested: Conquest Front (via Wire X) asserts it; State News Agency denies it."),
        ([("army", "", "asserts", "paper-a"), ("rebels", "", "denies", "paper-b")], TAKEN,
         "conceded: Syrian Arab Army asserts it, though it goes against their camp (government); Rebel coalition denies it, but not from that camp."),
        ([("paper-a", "Wire X", "asserts", "paper-a"), ("paper-b", "Wire X", "asserts", "paper-b")], {},
         "single-source: only Wire X (printed by Paper A) and Wire X (printed by Paper B) assert it."),
        ([("rebels", "", "asserts", "paper-a"), ("monitor", "", "asserts", "paper-c")], {},
         "corroborated: 2 independent voices assert it: Rebel coalition; Rights Monitor."),
        ([], {}, "unclaimed: no claim in the data speaks to this event."),
    ],
)
def test_every_status_is_explained_naming_its_claims(claims, event, words):
    ds = _dataset(claims, **event)
    assert status_reasons(ds.events, ds.claims, ds.actor_index.names).iloc[0] == words


def test_origins_of_the_seed_claims(seed):
    origin = dict(zip(seed.claims["claim_id"], seed.claims["origin"].astype(str)))
    assert origin["east-aleppo-siege-unattributed-002-1"] == origin["east-aleppo-siege-unattributed-003-1"] == "Reuters"
    assert origin["aleppo-siege-broken-rami-abdel-rahman-1"] == origin["rebel-reinforcements-rami-abdel-rahman-1"] == "Syrian Observatory for Human Rights"
    assert origin["furqan-schools-resident-1"] == "unnamed 48-year-old resident of Furqan (government-held)"


def test_tiny_statuses(tiny):
    status = dict(zip(tiny.events.event_id, tiny.events.status))
    assert status == {"e-siege": "contested", "e-strikes": "single-source", "e-hill": "single-source", "e-vote": "unclaimed"}


def test_seed_statuses_recomputed(seed):
    status = dict(zip(seed.events.event_id, seed.events.status.astype(str)))
    assert status["2014-05-22-aleppo-central-prison-siege-broken"] == "conceded"  # opposition activists accept the prison fell
    assert status["2016-08-06-aleppo-siege-broken"] == "contested"
    assert status["2016-07-east-aleppo-siege-begins"] == "corroborated"


def test_the_camp_each_event_goes_against(seed):
    from data.model.claims import against_sides, camp_of

    plain = against_sides(seed.events, seed.actor_index.sides).map(camp_of)
    assert seed.events["against_camp"].astype(str).tolist() == plain.tolist()
    assert seed.events.set_index("event_id").loc["2016-08-06-aleppo-siege-broken", "against_camp"] == "government"
