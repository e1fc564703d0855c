"""Wire credits fill `relayed_by` (two papers printing one wire are one voice), and figures keep their hedge in the unit."""

from __future__ import annotations

import pytest

from data.extract import extract
from data.extract.relays import article_credits
from data.extract.review import Article, build_dataset, claims_frame, events_frame
from data.model.quantities import hedge_of, is_lower_bound, number_groups, unit_key
from tests.extract.support import actor_index

ACTORS = actor_index()
STORY = "Rebels broke the siege of Hilltown on Tuesday."


def _own_voice(text: str, outlet: str | None = "Paper B") -> list[str]:
    result = extract(text, outlet=outlet, published="2016-02-04", actors=ACTORS)
    return [c.relayed_by for c in result.claims if c.rule.startswith("claim:reporter")]


@pytest.mark.parametrize(
    ("text", "relayed_by"),
    [
        (f"BEIRUT (Reuters) - {STORY}", "Reuters"),
        (f"BEIRUT, Feb 4 (Reuters) - {STORY}", "Reuters"),
        (f"Beirut (AFP) - {STORY}", "AFP"),
        (f"(AP) — {STORY}", "Associated Press"),
        (f"{STORY}\n\nMaterial from The Associated Press was used in this report.", "Associated Press"),
        (f"{STORY}\n\nMaterial from The Associated Press is included in this report.", "Associated Press"),
        (f"{STORY}\n\nAFP contributed to this report.", "AFP"),
        (f"{STORY}\n\nAdditional reporting by Reuters", "Reuters"),
        (f"{STORY}\n\n— With files from Agence France-Presse", "AFP"),
        (f"DAMASCUS (SANA) - {STORY}", "SANA"),
        (f"HILLTOWN (Levant Wire) - {STORY}", "Levant Wire"),
        # no wire credited: the outlet heard it itself
        (STORY, ""),
        (f"{STORY}\n\nJane Doe contributed to this report.", ""),
        (f"{STORY}\n\nReporting by Tom Perry; Editing by Sam Holmes", ""),
        (f"HILLTOWN (Northland) - {STORY}", ""),
    ],
)
def test_a_credited_wire_becomes_the_outlets_relay(text, relayed_by):
    assert _own_voice(text) == [relayed_by]


def test_an_outlet_printing_its_own_dateline_relays_nothing():
    assert _own_voice(f"BEIRUT (Levant Wire) - {STORY}", outlet="Levant Wire") == [""]
    assert _own_voice(f"BEIRUT (Reuters) - {STORY}", outlet="Reuters") == [""]


def test_according_to_a_wire_holds_for_its_paragraph_only():
    text = ("Troops shelled Hilltown on Monday, according to Reuters. Rebels broke the siege of Millbrook on Tuesday.\n\n"
            "Rebels captured Stonefield on Wednesday.")
    result = extract(text, outlet="Paper B", published="2016-02-04", actors=ACTORS)
    wire_claim = next(c for c in result.claims if c.claimant == "Reuters")
    assert wire_claim.relayed_by == ""  # what Reuters reports itself: Reuters is the origin
    own = [(c.span_start, c.relayed_by, c.rule) for c in result.claims if c.rule.startswith("claim:reporter")]
    assert [(relay, rule) for _, relay, rule in own] == [("Reuters", "claim:reporter+relay:paragraph"), ("", "claim:reporter")]


def test_named_speakers_in_wire_copy_carry_the_whole_chain():
    text = ("BEIRUT (Reuters) - Rebels broke the siege of Hilltown on Tuesday, a monitoring group said.\n\n"
            "State media carried claims from the army saying it had killed more than 300 militants.\n\n"
            "A rebel commander told AFP that 40 fighters were killed in the assault on Hilltown.")
    result = extract(text, outlet="Paper B", published="2016-02-04", actors=ACTORS)
    chains = {c.claimant: c.relayed_by for c in result.claims}
    assert chains["a monitoring group"] == "Reuters"
    assert chains["the army"] == "State media|Reuters"  # nearest the claimant first, as docs/DATA-MODEL.md says
    assert chains["A rebel commander"] == "AFP|Reuters"
    army = next(c for c in result.claims if c.claimant == "the army")
    assert "via State media, then Reuters" in army.statement


def test_credits_are_read_from_datelines_and_credit_lines_not_from_places_in_brackets():
    assert [c.wire for c in article_credits("ALEPPO (Syria) - Rebels (the Army of Conquest) - took it.")] == []
    assert [c.wire for c in article_credits("BEIRUT (Reuters) - x\n\nReuters and AFP contributed to this report.")] == ["Reuters", "AFP"]


def _reviewed(text: str, outlet: str, base, event_id: str):
    article = Article(f"{outlet}.txt", text, extract(text, outlet=outlet, published="2016-08-07", actors=base.actor_index))
    events, claims = events_frame(article), claims_frame(article)
    events["merge_into"] = event_id  # the analyst says both reports are about the seed's event
    claims["accept"] = claims["rule"].str.startswith("claim:reporter")
    claims["event_ref"] = events["candidate_id"].iloc[0]
    return article, events, claims


@pytest.mark.parametrize(("dateline", "status", "voices"), [("BEIRUT (Reuters) - ", "single-source", 1), ("", "corroborated", 2)])
def test_two_papers_printing_one_wire_are_one_voice(seed, dateline, status, voices):
    """The Independent and MaltaToday print the same story: with a Reuters dateline it is Reuters' voice once;
    without one, each paper heard it itself and the event is corroborated by two voices."""
    text = f"{dateline}Syrian rebels broke the government siege of Aleppo on Saturday."
    event_id = "2016-08-06-aleppo-siege-broken"
    reviewed = [_reviewed(text, outlet, seed, event_id) for outlet in ("The Independent", "MaltaToday")]
    saved = build_dataset(reviewed, seed, dataset_id="review-wire")
    assert saved.problems == ()
    assert len(saved.claims) == 2 and set(saved.claims["relayed_by"]) == {"Reuters" if dateline else ""}
    event = saved.events.set_index("event_id").loc[event_id]
    assert (event["status"], int(event["n_voices"])) == (status, voices)


@pytest.mark.parametrize(
    ("sentence", "unit", "lower_bound"),
    [
        ("Air strikes killed more than 300 militants in Hilltown on Tuesday.", "militants killed (more than)", True),
        ("Air strikes killed at least 12 civilians in Hilltown on Tuesday.", "civilians killed (at least)", True),
        ("Air strikes killed upwards of 40 civilians in Hilltown on Tuesday.", "civilians killed (at least)", True),
        ("Air strikes killed dozens of civilians in Hilltown on Tuesday.", "civilians killed (dozens, at least)", True),
        ("Air strikes killed as many as 40 civilians in Hilltown on Tuesday.", "civilians killed (as many as)", False),
        ("Air strikes killed about 40 civilians in Hilltown on Tuesday.", "civilians killed (about)", False),
        ("Air strikes killed 40 civilians in Hilltown on Tuesday.", "civilians killed", False),
    ],
)
def test_a_figures_hedge_is_written_into_its_unit_as_the_data_model_reads_it(sentence, unit, lower_bound):
    claim = next(c for c in extract(sentence, outlet="Paper B", published="2016-02-04", actors=ACTORS).claims if c.quantity)
    assert claim.unit == unit
    assert is_lower_bound(claim.unit) is lower_bound
    assert unit_key(claim.unit) == unit_key(unit.split(" (")[0])  # grouped with the same unit unhedged
    assert ("(" in unit) == bool(hedge_of(claim.unit))


def test_a_more_than_figure_leaves_the_fatality_range_open_above(seed):
    text = ("State media carried claims from the army saying it had killed more than 300 militants in Aleppo on Saturday.\n\n"
            "A monitor said 100 militants were killed in Aleppo on Saturday.")
    result = extract(text, outlet="Paper B", published="2016-08-07", actors=seed.actor_index)
    import pandas as pd

    frame = pd.DataFrame([{"quantity": c.quantity, "unit": c.unit, "stance": c.stance, "claimant": c.claimant,
                           "origin_id": c.claimant} for c in result.claims if c.quantity])
    (group,) = number_groups(frame, lambda row: row["claimant"])
    assert (group.low, group.high, group.range) == (100, None, "at least 100")
    assert group.disagree  # 300+ against 100, from two origins


def test_a_credit_line_goes_to_the_outlets_own_voice_only():
    """"AFP contributed" does not say which paragraphs are AFP's: a named speaker keeps what its sentence says."""
    text = (f"{STORY}\n\nTroops shelled Millbrook on Wednesday, a monitoring group said.\n\n"
            "A rebel commander told Reuters that 40 fighters were killed in Millbrook.\n\nAFP contributed to this report.")
    result = extract(text, outlet="Paper B", published="2016-02-04", actors=ACTORS)
    chains = {(c.claimant, c.rule.startswith("claim:reporter")): c.relayed_by for c in result.claims}
    assert chains[("Paper B", True)] == "AFP"
    assert chains[("a monitoring group", False)] == ""
    assert chains[("A rebel commander", False)] == "Reuters"


@pytest.mark.parametrize(("speaker", "relay"), [("Al Jazeera’s Amro Halabi", "Al Jazeera"), ("a Reuters witness", "Reuters"),
                                             ("the AFP correspondent in Hilltown", "AFP")])
def test_an_outlets_own_correspondent_is_heard_through_that_outlet(speaker, relay):
    result = extract(f"Rebels broke the siege of Hilltown on Tuesday, {speaker} said.", outlet="Paper B",
                     published="2016-02-04", actors=ACTORS)
    [claim] = [c for c in result.claims if not c.rule.startswith("claim:reporter")]
    assert claim.relayed_by == relay
