"""When a candidate event happened: the dates a sentence states, the date the story is at when a sentence
states none, and how a date expression resolves for an article (publication date, paragraph year, story date).

`ctx` is the article's reading state (`extraction._Context`).
"""

from __future__ import annotations

import re

from data.extract import dates as dt
from data.extract.sentences import Sentence


_NOT_A_STORY_DATE = {"since_md", "since_month", "since_weekday", "since_year", "days_after", "day_after", "past_n_days",
                     "past_week", "this_year", "this_week", "earlier_this_month", "this_month"}


_EXPLICIT_YEAR = {"dmy", "mdy", "month_year", "year", "year_lead"}


_SPEECH_DATE = re.compile(r"\b(?:said|says|told|announced|reported|added|stated|claimed|denied|confirmed)\s+(?:\w+\s+){0,3}?(?:on\s+|late\s+on\s+)?$", re.I)


def sentence_dates(ctx, sentence: Sentence) -> list:
    """The date expressions of a sentence, found once per article."""
    cache = ctx.place_cache.setdefault("::dates", {})
    if sentence.start not in cache:
        cache[sentence.start] = dt.find_dates(sentence.text, sentence.start)
    return cache[sentence.start]


def advance_story_date(ctx, sentence: Sentence, attributions) -> None:
    """After a sentence: the date it states becomes the story's date for the sentences that follow.

    Ranges up to the publication ("since Saturday", "this week"), future dates, the day a statement was made
    ("said on Thursday") and dates of something else ("until the 22nd") are not where the story is.
    """
    for mention in sentence_dates(ctx, sentence):
        if mention.kind in _NOT_A_STORY_DATE:
            continue
        before = ctx.text[max(sentence.start, mention.start - 40) : mention.start]
        if _SPEECH_DATE.search(before) or re.search(r"\b(?:until|till|for|ahead\s+of|by)\s+$", before, re.I):
            continue
        if dt.is_future(ctx.text[max(sentence.start, mention.start - 25) : mention.start]):
            continue
        window = resolve_mention(ctx, mention, False, None)
        if window is None:
            continue
        ctx.carried, ctx.carried_paragraph = window, sentence.paragraph
        if mention.kind in _EXPLICIT_YEAR:
            ctx.year_context = window.start.year if window.start.year == window.end.year else None


def event_date(ctx, sentence, clause, trigger_pos, created, rule_name: str = ""):
    """The date window of a trigger: a date named in its clause, else one named in its sentence, else none yet."""
    mentions = dt.find_dates(clause.text, clause.start)
    rule = "date:clause"
    if not mentions:
        mentions = [m for m in sentence_dates(ctx, sentence) if m.kind not in ("days_after", "day_after")]
        rule = "date:sentence"
    if not mentions:
        return carried_date(ctx, sentence)
    # "on Monday, 8 August 2016": the weekday only names the day the date gives
    mentions = [m for m in mentions if not (m.kind == "weekday" and any(
        other.kind in ("dmy", "mdy", "dm", "md") and 0 <= other.start - m.end <= 2 for other in mentions))]
    mentions.sort(key=lambda m: abs(m.start - trigger_pos))
    future = dt.is_future(ctx.text[max(clause.start, trigger_pos - 25) : trigger_pos])
    if not future:
        # "ahead of the vote scheduled for June 3", "suspended until February 25": dates of something else;
        # but a pause declared "for 20 October" or running "until the 22nd" is dated by them
        skip = r"until|till|scheduled|set|due|deadline|ahead\s+of|by\s+the\s+end\s+of|for" if rule_name != "truce" else r"scheduled|set|due|deadline|ahead\s+of"
        mentions = [m for m in mentions if not re.search(rf"\b(?:{skip})\s+(?:\w+\s+){{0,2}}$",
                                                           ctx.text[max(clause.start, m.start - 30) : m.start], re.I)]
    # "days after X": measured from the last event told with a day's precision (this sentence's first)
    dated = [e for e in [*reversed(created), *reversed(ctx.events)] if e.date_precision == "day" and e.confidence >= ctx.min_confidence]
    anchor = dated[0].date_start if dated else None
    for mention in mentions:
        if mention.kind in ("days_after", "day_after") and anchor is None:
            continue  # "hours after X" with no dated X before it says nothing about the day
        # "announced on Wednesday that it would halt strikes on Thursday": only what comes after the verb is to come
        window = resolve_mention(ctx, mention, future and mention.start >= trigger_pos, anchor)
        if window:
            return window, f"{rule}:{window.rule}"
    return carried_date(ctx, sentence)


CARRY_ACROSS_PARAGRAPHS = False


_WHOLE_ARTICLE = -2


def date_from_headline(ctx, seg) -> None:
    """A headline's date ("Aleppo in October") is the story's date until the body states one."""
    for span, reason in seg.skipped:
        if reason != "headline" or dt.find_dateline(span.text) is not None:
            continue  # a dateline gives the day of publication, not the day of the story
        for mention in dt.find_dates(span.text, span.start):
            if mention.kind in _NOT_A_STORY_DATE or mention.kind in ("weekday", "today", "yesterday"):
                continue
            window = resolve_mention(ctx, mention, False, None)
            if window is not None:
                ctx.carried, ctx.carried_paragraph = window, _WHOLE_ARTICLE
                return


def carried_date(ctx, sentence):
    """No date in the sentence: the one the story is at, stated by an earlier sentence of the paragraph (or the headline)."""
    if ctx.carried is None or not (CARRY_ACROSS_PARAGRAPHS or ctx.carried_paragraph in (sentence.paragraph, _WHOLE_ARTICLE)):
        return None, ""
    return ctx.carried, f"date:carried:{ctx.carried.rule}"


def resolve_mention(ctx, mention, future, anchor):
    """Resolve against the publication date, or across the inferred window when only that is known."""
    context = {"year": ctx.year_context, "context": ctx.carried}
    if ctx.published is not None:
        return dt.resolve(mention, ctx.published, future=future, anchor=anchor, **context)
    direct = dt.resolve(mention, None, future=future, anchor=anchor, **context)
    if direct or ctx.window is None:
        return direct
    first = dt.resolve(mention, ctx.window[0], future=future, anchor=anchor, **context)
    last = dt.resolve(mention, ctx.window[1], future=future, anchor=anchor, **context)
    if not first or not last:
        return None
    return dt.DateWindow(min(first.start, last.start), max(first.end, last.end), "range", mention.kind + "~window", mention.text)


def fallback_window(ctx):
    if ctx.published is not None:
        window = dt.default_window(ctx.published)
        return window.start, window.end, window.precision, window.rule
    if ctx.window is not None:
        return ctx.window[0], ctx.window[1], "range", "default:publication-window"
    return None
