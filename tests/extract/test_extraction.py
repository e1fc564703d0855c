"""The extractor end to end on short invented reports: one clause, one place and one set of actors; boilerplate yields nothing."""

from __future__ import annotations

from datetime import date

import pytest

from data.extract import extract
from tests.extract.support import DictGeocoder, actor_index
from tests.conftest import ROOT

ACTORS = actor_index()


def _run(text, published="2016-08-07", **kwargs):
    return extract(text, outlet="Test Post", published=published, actors=ACTORS, geocoder=DictGeocoder(), **kwargs)


def test_two_places_two_actors_make_two_events_not_four():
    text = "Government forces recaptured Millbrook on Friday, while rebels seized Eastgate on Saturday."
    result = _run(text)
    events = sorted((e.place_id, e.actor1_id, e.sub_event_type, e.date_start) for e in result.events)
    assert events == [
        ("eastgate", "hill-rebels", "Non-state actor overtakes territory", date(2016, 8, 6)),
        ("millbrook", "state-army", "Government regains territory", date(2016, 8, 5)),
    ]


def test_event_span_is_its_own_clause():
    text = "Government forces recaptured Millbrook on Friday, while rebels seized Eastgate on Saturday."
    result = _run(text)
    for event in result.events:
        evidence = text[event.span_start : event.span_end]
        assert event.trigger in evidence
        assert event.place_name in evidence
        assert text[event.trigger_start : event.trigger_end] == event.trigger


def test_city_alone_gives_city_precision():
    result = _run("Air strikes hit Rivertown on Thursday, the observatory said.")
    [event] = result.events
    assert (event.place_id, event.place_kind, event.precision_m) == ("rivertown", "city", 9000.0)
    assert (event.event_type, event.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert event.date_start == date(2016, 8, 4)


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("Government forces retook Stonefield on Friday.", "Government regains territory"),
        ("Rebels captured Stonefield on Friday.", "Non-state actor overtakes territory"),
        ("Government forces shelled Stonefield on Friday.", "Shelling/artillery/missile attack"),
        ("A suicide car bomb struck Stonefield on Friday.", "Suicide bomb"),
        ("Rebels declared Stonefield a military zone on Friday.", "Other"),
        ("Government forces deployed troops to Stonefield on Friday.", "Other"),
        ("Rebels broke the siege of Stonefield on Friday.", "Non-state actor overtakes territory"),
    ],
)
def test_taxonomy(sentence, sub_type):
    result = _run(sentence)
    assert sub_type in {e.sub_event_type for e in result.events}, [e.sub_event_type for e in result.events]


def test_boilerplate_yields_nothing():
    text = "\n".join([
        "Share story", "Advertisement", "Register for free to continue reading", "Please enter a valid email",
        "Must be at least 6 characters, include an upper and lower case character and a number",
        "Already have an account? sign in", "Rebels seize Stonefield in overnight raid",  # a related-link headline
        "Join our new commenting forum",
    ])
    result = _run(text)
    assert result.events == [] and result.claims == [] and result.quantities == []
    assert len(result.skipped) == 8


def test_claims_link_to_the_event_and_keep_stance_and_figure():
    text = ("Rebels said on Saturday they had seized Eastgate. "
            "State media denied the claim and said more than 300 militants were killed.")
    result = _run(text)
    [event] = result.events
    claims = {c.claimant_actor_id: c for c in result.claims}
    assert claims["hill-rebels"].stance == "asserts"
    assert claims["hill-rebels"].claim_date == date(2016, 8, 6)
    assert claims["state-news"].stance == "denies"
    assert claims["state-news"].quantity == 300 and claims["state-news"].quantity_bound == "lower"
    assert {c.event_ref for c in result.claims} == {event.candidate_id}
    for claim in result.claims:
        assert claim.claimant in text[claim.span_start : claim.span_end]


def test_renamed_group_resolves_by_publication_date():
    text = "Fighters of the Old Front seized Eastgate on Friday, a monitoring group said."
    before = _run(text, published="2016-07-10")
    after = _run(text, published="2016-08-07")
    assert before.events[0].actor1_id == "old-front"
    assert after.events[0].actor1_id == "new-front"


def test_hypothetical_is_not_an_event():
    result = _run("If rebels take Stonefield, they would cut the road.")
    assert result.events == []


def test_unattributed_report_is_the_outlets_claim():
    result = _run("Government forces retook Stonefield on Friday.")
    [claim] = result.claims
    assert (claim.claimant, claim.rule, claim.stance) == ("Test Post", "claim:reporter", "asserts")


def test_published_basis_from_dateline_and_unknown():
    dated = extract("Title line\nWednesday 05 October 2016 18:25\nRebels seized Eastgate on Monday.", geocoder=DictGeocoder())
    assert dated.published == date(2016, 10, 5) and dated.published_basis.startswith("stated")
    assert dated.events[0].date_start == date(2016, 10, 3)
    undated = extract("Rebels seized Eastgate on Monday.")
    assert undated.published is None and undated.published_basis.startswith("unknown")


def test_without_geocoder_or_actors_names_only():
    result = extract("Rebels seized the town of Eastgate on Monday.", published="2016-10-05")
    [event] = result.events
    assert (event.place_name, event.place_id, event.actor1_side) == ("Eastgate", None, "opposition")


def test_json_round_trip_has_spans():
    result = _run("Government forces retook Stonefield on Friday, a monitoring group said.")
    payload = result.to_dict()
    assert payload["events"] and payload["claims"]
    for row in payload["events"] + payload["claims"]:
        assert isinstance(row["span_start"], int) and isinstance(row["span_end"], int)
        assert 0 <= row["span_start"] < row["span_end"]
        assert 0.0 <= row["confidence"] <= 1.0


def test_speaker_named_by_pronoun_is_the_agent():
    result = _run("Rebel fighters said on Saturday they had captured Eastgate.")
    [event] = result.events
    assert event.actor1_id == "hill-rebels" and event.rule.endswith("actors:speaker-pronoun")
    assert event.sub_event_type == "Non-state actor overtakes territory"


def test_day_after_is_measured_from_the_event_before():
    result = _run("Government forces retook Millbrook on Friday, a day after rebels captured Eastgate.")
    dates = {e.place_id: e.date_start for e in result.events}
    assert dates == {"millbrook": date(2016, 8, 5), "eastgate": date(2016, 8, 4)}


def test_listed_places_make_one_event_each():
    result = _run("Government forces recaptured Millbrook, Eastgate and Stonefield on Friday.")
    assert sorted(e.place_id for e in result.events) == ["eastgate", "millbrook", "stonefield"]
    assert len({(e.date_start, e.sub_event_type) for e in result.events}) == 1


def test_dates_of_other_things_are_not_the_events_date():
    result = _run("Government forces retook Stonefield ahead of talks scheduled for August 20.")
    [event] = result.events
    assert event.date_rule.startswith("default")  # not the 20th: that is the talks' date


def test_repeated_report_merges_into_one_candidate():
    text = ("Rebels seized Eastgate on Saturday, the observatory said. "
            "State media denied that rebels had seized Eastgate on Saturday.")
    result = _run(text)
    [event] = result.events
    assert len(event.mentions) == 2
    assert {c.stance for c in result.claims} == {"asserts", "denies"}


def test_surname_spelt_another_way_refers_back():
    text = ("Rami Haddad, head of the Watch Observatory, said rebels seized Eastgate on Saturday. "
            "Trucks of food crossed into Eastgate, Haddadi said.")
    result = _run(text)
    claimants = [c.claimant_actor_id for c in result.claims]
    assert claimants == ["watch", "watch"]


def test_outlets_own_hedged_report_is_uncertain():
    result = _run("Government forces appear to have retaken Stonefield on Friday.")
    [claim] = result.claims
    assert (claim.rule, claim.stance) == ("claim:reporter", "uncertain")


def test_a_new_name_dates_an_undated_report():
    result = extract("Fighters of the New Front seized Eastgate on Saturday, the observatory said.", actors=ACTORS)
    assert result.published is None
    assert result.published_window[0] == date(2016, 7, 28)
    assert "New Front" in result.published_basis
    # with the window only, "on Saturday" is a range across it, never a made-up day
    [event] = result.events
    assert event.date_precision == "range" and date(2016, 7, 22) <= event.date_start <= date(2016, 7, 28)  # a Saturday up to 6 days before


def test_unknown_place_name_is_kept_without_coordinates():
    result = _run("Air strikes hit hospitals in Qasr Dimah on Thursday, a monitoring group said.")
    [event] = result.events
    assert (event.place_name, event.place_id, event.place_rule) == ("Qasr Dimah", None, "place:name-only")


def test_possessive_and_group_names_are_not_places():
    result = _run("Rebels seized Eastgate on Friday, and Old Front fighters shelled Syria’s Stonefield on Saturday.")
    assert {e.place_id for e in result.events} == {"eastgate", "stonefield"}


def test_no_comment_is_an_uncertain_claim():
    result = _run("Rebels seized Eastgate on Friday. Army commanders did not comment.")
    stances = {c.claimant: c.stance for c in result.claims}
    assert stances["Army commanders"] == "uncertain"
