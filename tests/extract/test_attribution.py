"""Speakers, their stance (asserts, denies, disputes, uncertain) and the agencies that relay them."""

from __future__ import annotations

import pytest

from data.extract.attribution import find_attributions, stance_of


def _pairs(sentence):
    return [(a.claimant, a.stance) for a in find_attributions(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Rebels said they had taken the hill, but state media denied the claim.", [("Rebels", "asserts"), ("state media", "denies")]),
        ("The council official said the situation was too fluid to comment.", [("The council official", "uncertain")]),
        ("The ministry said it was too risky to move the convoy.", [("The ministry", "disputes")]),
        ("Pro-government outlets denied that the line had been broken.", [("Pro-government outlets", "denies")]),
        ("The town has fallen, a monitor said on Sunday.", [("a monitor", "asserts")]),
        ("“We hold the bridge”, said Karim Haddad, a commander of the brigade.", [("Karim Haddad, a commander of the brigade", "asserts")]),
        ("According to the observatory, 40 people died.", [("the observatory", "asserts")]),
        ("There have been unconfirmed reports that prisoners died.", [("unconfirmed reports", "uncertain")]),
        ("Videos posted online purported to show fighters in the square.", [("Videos posted online", "uncertain")]),
        ("The weather was cold and the roads were empty.", []),
    ],
)
def test_attribution_and_stance(sentence, expected):
    assert _pairs(sentence) == expected


def test_agency_after_told():
    [item] = find_attributions("Omar Saleh, a fighter with the brigade, told Reuters the base had fallen.")
    assert item.claimant == "Omar Saleh, a fighter with the brigade"
    assert item.relayed_by == "Reuters"


def test_claimant_offsets_point_into_the_text():
    text = "Intro sentence here. The army said it had retaken the town."
    offset = text.index("The army")
    [item] = find_attributions(text[offset:], offset)
    assert text[item.claimant_start : item.claimant_end] == "The army"


def test_two_speakers_keep_their_own_stance():
    items = find_attributions("Two rebel groups said they broke the siege, but pro-government media denied it and said the army was in fact advancing.")
    assert [(a.claimant, a.stance) for a in items] == [("Two rebel groups", "asserts"), ("pro-government media", "denies")]


@pytest.mark.parametrize(("verb", "content", "stance"), [
    ("denied", "the claim", "denies"), ("said", "reports were unconfirmed", "uncertain"),
    ("said", "the figures were false", "disputes"), ("said", "the town fell", "asserts")])
def test_stance_of(verb, content, stance):
    assert stance_of(verb, content) == stance


def test_foreign_officials_are_not_the_government_side():
    from data.extract.mentions import side_of_words

    assert side_of_words("Turkish officials") == "international"
    assert side_of_words("Syrian officials") == "government"
    assert side_of_words("US-backed militias") == "sdf"


@pytest.mark.parametrize(("sentence", "stance"), [
    ("Aid agencies said they fear the army may impose a siege.", "uncertain"),
    ("The ministry said it had not carried out any strikes on the town.", "denies"),
    ("A rebel spokesman, Omar Saleh, denied that the district had fallen, saying fighters held it.", "denies"),
])
def test_more_stances(sentence, stance):
    [item] = find_attributions(sentence)
    assert item.stance == stance


def test_role_stays_with_the_name():
    [item] = find_attributions("A rebel spokesman, Omar Saleh, said the bridge was cut.")
    assert item.claimant == "A rebel spokesman, Omar Saleh"
