"""Relative and explicit dates resolve against the publication date; datelines and clues date undated texts."""

from __future__ import annotations

from datetime import date

import pytest

from data.extract.dates import find_dateline, find_dates, infer_published, is_future, resolve


def _resolve(phrase: str, published: date, future: bool | None = None):
    mention = find_dates(phrase)[0]
    return resolve(mention, published, future=is_future(phrase) if future is None else future)


@pytest.mark.parametrize(
    ("phrase", "published", "start", "end", "precision"),
    [
        # "on Thursday": the most recent Thursday on or before publication
        ("rebels took the hill on Thursday", date(2014, 5, 22), date(2014, 5, 22), date(2014, 5, 22), "day"),  # a Thursday
        ("rebels took the hill on Thursday", date(2014, 5, 24), date(2014, 5, 22), date(2014, 5, 22), "day"),  # a Saturday
        ("rebels took the hill on Thursday", date(2014, 5, 21), date(2014, 5, 15), date(2014, 5, 15), "day"),  # a Wednesday
        ("battles went on on Saturday night", date(2016, 8, 7), date(2016, 8, 6), date(2016, 8, 6), "day"),
        ("the army attacked on Monday", date(2016, 10, 5), date(2016, 10, 3), date(2016, 10, 3), "day"),
        # future tense: the next such weekday
        ("the council is scheduled to meet Friday", date(2016, 2, 5), date(2016, 2, 5), date(2016, 2, 5), "day"),
        ("the council is scheduled to meet Friday", date(2016, 2, 3), date(2016, 2, 5), date(2016, 2, 5), "day"),
        ("the council will meet on Tuesday", date(2016, 2, 5), date(2016, 2, 9), date(2016, 2, 9), "day"),
        # months
        ("the siege began last month", date(2017, 1, 4), date(2016, 12, 1), date(2016, 12, 31), "month"),
        ("the siege began last month", date(2016, 8, 7), date(2016, 7, 1), date(2016, 7, 31), "month"),
        ("earlier this month the army took the old city", date(2014, 5, 22), date(2014, 5, 1), date(2014, 5, 22), "month"),
        ("since September 22 the bombing has not stopped", date(2016, 10, 5), date(2016, 9, 22), date(2016, 10, 5), "range"),
        ("since September 22nd the bombing has not stopped", date(2016, 10, 5), date(2016, 9, 22), date(2016, 10, 5), "range"),
        ("in the last week the army advanced", date(2016, 10, 5), date(2016, 9, 28), date(2016, 10, 5), "week"),
        ("jets hit 800 targets this week", date(2016, 2, 5), date(2016, 2, 1), date(2016, 2, 5), "week"),
        ("talks resume next week", date(2016, 2, 5), date(2016, 2, 8), date(2016, 2, 14), "week"),
        ("the road was cut in early July", date(2016, 8, 7), date(2016, 7, 1), date(2016, 7, 10), "range"),
        ("a vote set for June 3", date(2014, 5, 22), date(2014, 6, 3), date(2014, 6, 3), "day"),
        ("talks suspended until February 25", date(2016, 2, 5), date(2016, 2, 25), date(2016, 2, 25), "day"),
        ("a deal signed on 5 October 2016", date(2016, 11, 1), date(2016, 10, 5), date(2016, 10, 5), "day"),
        ("fighting since March 2011", date(2016, 8, 7), date(2011, 3, 1), date(2016, 8, 7), "range"),
        ("it happened yesterday", date(2016, 3, 1), date(2016, 2, 29), date(2016, 2, 29), "day"),
    ],
)
def test_resolve_against_publication_date(phrase, published, start, end, precision):
    window = _resolve(phrase, published)
    assert (window.start, window.end, window.precision) == (start, end, precision)


def test_days_after_is_measured_from_the_anchor_event():
    mention = find_dates("days after troops broke the siege")[0]
    window = resolve(mention, date(2016, 2, 7), anchor=date(2016, 2, 5))
    assert window.end == date(2016, 2, 4)
    assert window.start < window.end


def test_relative_dates_need_a_publication_date():
    assert resolve(find_dates("on Thursday")[0], None) is None
    assert resolve(find_dates("in July 2012")[0], None).start == date(2012, 7, 1)


def test_weekday_inside_a_word_is_not_a_date():
    assert find_dates("the Fridays of the revolution were remembered") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline\nWednesday 05 October 2016 18:25\nBody text here.", date(2016, 10, 5)),
        ("Headline\nOctober 5, 2016\nBody.", date(2016, 10, 5)),
        ("Headline\nPublished: 7 August 2016\nBody.", date(2016, 8, 7)),
        ("Thursday 05 October 2016 18:25\n", None),  # the weekday does not fit the date
        ("The army entered the town on 5 October 2016.", None),  # a date in the body is not a dateline
    ],
)
def test_dateline(text, expected):
    found = find_dateline(text)
    assert (found[0] if found else None) == expected


def test_infer_published_from_clues():
    text = ("The civil war, raging since 2011, is now a five-year conflict. "
            "The siege began last month, when the road was cut in early July.")
    guess = infer_published(text)
    assert guess.start <= date(2016, 8, 10) <= guess.end
    assert guess.basis.startswith("inferred:")
    assert infer_published("Rebels took the hill on Friday.") is None
