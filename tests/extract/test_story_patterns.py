"""The patterns of issue 18 on short invented reports: dates carried between sentences, timelines, retreats,
truces and phases, numbers in words, speakers referred back to."""

from __future__ import annotations

from datetime import date

import pytest

from data.extract import extract
from data.extract.quantities import find_quantities
from tests.extract.support import DictGeocoder, actor_index

ACTORS = actor_index()


def _run(text, published="2016-08-08", **kwargs):
    return extract(text, outlet="Test Post", published=published, actors=ACTORS, geocoder=DictGeocoder(), **kwargs)


def _events(result):
    return sorted((e.place_id, e.date_start, e.date_end, e.sub_event_type) for e in result.events)


def test_a_date_stated_in_one_sentence_dates_the_event_in_the_next():
    # published on a Monday: Saturday is 6 August
    result = _run("The push began on Saturday. Government forces swept through Millbrook and held it by nightfall.")
    [event] = [e for e in result.events if e.sub_event_type == "Government regains territory"]
    assert (event.place_id, event.date_start, event.date_end) == ("millbrook", date(2016, 8, 6), date(2016, 8, 6))
    assert event.date_rule.startswith("date:carried")


def test_the_carried_date_stops_at_the_paragraph():
    result = _run("The push began on Saturday.\n\nGovernment forces swept through Millbrook.")
    [event] = [e for e in result.events if e.sub_event_type == "Government regains territory"]
    assert event.date_rule.startswith("default")  # a new paragraph may tell of another day


def test_that_morning_is_the_day_told_before():
    result = _run("Saturday was the day the defence broke.\n\nThat morning, rebels abandoned Eastgate.")
    [event] = result.events
    assert (event.place_id, event.date_start) == ("eastgate", date(2016, 8, 6))


def test_timeline_fragments_are_events_with_their_own_dates():
    text = "What happened when\n\n- 2 Feb: Army takes Stonefield after two days of fighting\n- 5 Feb: Rebels pull out of Millbrook\n"
    result = _run(text, published="2016-02-15")
    assert [row for row in _events(result) if row[3] != "Armed clash"] == [
        ("millbrook", date(2016, 2, 5), date(2016, 2, 5), "Government regains territory"),
        ("stonefield", date(2016, 2, 2), date(2016, 2, 2), "Government regains territory"),
    ]
    assert [reason for _, _, reason in result.skipped].count("bullet") == 2


def test_a_year_heading_gives_its_year_to_the_months_after_it():
    result = _run("2014. In May the army lifts the siege of Stonefield.\n2016. Rebels seize Eastgate in July.",
                  published="2016-12-31")
    assert [(e.place_id, e.date_start, e.date_end) for e in sorted(result.events, key=lambda e: e.date_start)] == [
        ("stonefield", date(2014, 5, 1), date(2014, 5, 31)), ("eastgate", date(2016, 7, 1), date(2016, 7, 31))]


def test_the_22nd_of_that_month():
    result = _run("In May, rebels shelled Eastgate. On the 22nd of that month, the army reached Stonefield.", published="2015-01-15")
    reached = next(e for e in result.events if e.place_id == "stonefield")
    assert (reached.date_start, reached.date_end) == (date(2014, 5, 22), date(2014, 5, 22))


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("Rebels pulled back from Eastgate on Friday.", "Government regains territory"),
        ("Rebels were driven out of Eastgate on Friday.", "Government regains territory"),
        ("Government forces lost control of Eastgate on Friday.", "Non-state actor overtakes territory"),
        ("Eastgate fell to the rebels on Friday.", "Non-state actor overtakes territory"),
        ("Rebels abandoned Eastgate on Friday.", "Government regains territory"),
    ],
)
def test_losses_and_retreats_without_a_capture_verb(sentence, sub_type):
    [event] = _run(sentence).events
    assert (event.place_id, event.event_type, event.sub_event_type, event.date_start) == (
        "eastgate", "Battles", sub_type, date(2016, 8, 5))


def test_a_daily_truce_announced_for_days_to_come_is_an_event():
    result = _run("The Kremlin announced on Wednesday that it would halt air strikes on Rivertown for three hours every day.",
                  published="2016-08-11")
    [event] = result.events
    assert (event.event_type, event.sub_event_type, event.place_id) == ("Strategic developments", "Agreement", "rivertown")
    assert event.date_start == date(2016, 8, 10)


def test_a_day_without_strikes_and_a_phase_not_begun_are_not_events():
    text = "Monitors recorded a third day without air strikes on Rivertown. The second phase of the offensive has not begun yet."
    assert _run(text).events == []


def test_the_phase_of_an_offensive_is_a_battle_on_its_day():
    [event] = _run("Rebels launched the first phase of an offensive on Millbrook on Sunday.").events
    assert (event.place_id, event.sub_event_type, event.date_start) == ("millbrook", "Armed clash", date(2016, 8, 7))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("some two hundred and seventy-five thousand people remain", [275000.0]),
        ("More than 1.5 million people rely on deliveries", [1500000.0]),
        ("Twenty-seven people died. A further forty were injured.", [27.0, 40.0]),
        ("Eighteen of the trucks were destroyed", [18.0]),
        ("two rebel fighters and one soldier were killed", [2.0, 1.0]),
        ("one of them said it was over", []),
        ("around the 1070 apartment project on 2 Feb", []),
    ],
)
def test_numbers_in_words_and_millions(text, values):
    assert [q.value for q in find_quantities(text) if q.rule != "quantity:duration"] == values


def test_the_source_refers_back_to_the_speaker_named_before():
    text = ("A military source said troops retook Millbrook on Friday. "
            "The source said 20 rebels were killed in the fighting.")
    result = _run(text)
    assert [c.claimant for c in result.claims] == ["A military source", "A military source"]


def test_our_count_is_the_outlets_own_voice():
    result = _run("Rebels shelled Eastgate on Friday, killing 12 civilians according to our count.")
    assert [(c.claimant, c.rule) for c in result.claims] == [("Test Post", "claim:reporter")]


def test_since_the_offensive_began_dates_a_toll_not_a_new_event():
    text = ("Rebels seized Eastgate on Friday. "
            "A monitor said 300 fighters had been killed since the new offensive began on July 31.")
    assert [e.place_id for e in _run(text).events] == ["eastgate"]


@pytest.mark.parametrize("published", [None, "2016-08-20"])
def test_a_weekday_followed_by_its_date_is_dated_by_the_date(published):
    # "on Monday, 8 August 2016": without the date, "Monday" alone would be read from the publication day (or a year)
    result = _run("Government forces shelled Millbrook on Monday, 8 August 2016, killing five people.", published=published)
    [event] = result.events
    assert (event.date_start, event.date_end) == (date(2016, 8, 8), date(2016, 8, 8))
