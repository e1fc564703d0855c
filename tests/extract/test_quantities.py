"""Figures in digits and words, with their bound and what they count."""

from __future__ import annotations

import pytest

from data.extract.quantities import find_quantities, words_to_number


@pytest.mark.parametrize(
    ("text", "value", "bound", "unit_word"),
    [
        ("the army said it killed more than 300 militants", 300, "lower", "militants"),
        ("around 250,000 civilians are trapped", 250_000, "approximate", "civilians"),
        ("a quarter of a million civilians live there", 250_000, "approximate", "civilians"),
        ("dozens of people were wounded", 24, "lower", "people"),
        ("hundreds of fighters arrived", 200, "lower", "fighters"),
        ("two suicide bombers drove trucks", 2, "exact", "suicide bombers"),
        ("at least two suicide bombers drove trucks", 2, "lower", "suicide bombers"),
        ("as many as 4,000 prisoners were held", 4_000, "upper", "prisoners"),
        ("more than 2 million refugees live there", 2_000_000, "lower", "refugees"),
        ("twenty-five soldiers were captured", 25, "exact", "soldiers"),
        ("only 35 doctors remain", 35, "exact", "doctors"),
        ("the siege lasted for 13 months", 13, "exact", "months"),
        ("it was the fourth time they had done so", 4, "exact", "times"),
    ],
)
def test_quantities(text, value, bound, unit_word):
    found = find_quantities(text)
    assert found, text
    quantity = found[0]
    assert (quantity.value, quantity.bound) == (value, bound)
    assert unit_word in quantity.unit


def test_outcome_word_joins_the_unit():
    [quantity] = find_quantities("the strikes killed 40 people")
    assert quantity.unit == "people killed"
    first, second = find_quantities("500 people have died and 2,000 were injured")
    assert "killed" in first.unit and "injured" in second.unit


@pytest.mark.parametrize("text", ["in July 2012", "on June 3", "at 18:25", "an S-300 missile system", "a five-year war",
                                  "the two countries", "one of the most important"])
def test_not_quantities(text):
    assert [q for q in find_quantities(text) if q.rule != "quantity:duration"] == []


def test_spans_point_at_the_figure():
    text = "Rescuers said about 500 people died."
    [quantity] = find_quantities(text, offset=100)
    assert ("." * 100 + text)[quantity.start : quantity.end] == "about 500"


@pytest.mark.parametrize(("words", "value"), [("two", 2), ("forty-two", 42), ("a hundred", 100), ("three thousand", 3000),
                                              ("half a million", 500_000), ("seven", 7), ("green", None)])
def test_words_to_number(words, value):
    assert words_to_number(words) == value


def test_outcome_belongs_to_its_own_noun():
    first, second = find_quantities("Two hospitals were hit by strikes, killing three patients")
    assert first.unit == "hospitals" and second.unit == "patients killed"
    [dozen] = find_quantities("wounding a dozen civilians")
    assert (dozen.value, dozen.unit) == (12, "civilians injured")
