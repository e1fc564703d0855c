"""Dates in news prose: explicit and relative expressions resolved against the publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = {name: number for number, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_WORD_NUMBER = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "few": 3, "a few": 3, "several": 5}

# Order matters: longer, more specific patterns first; matches may not overlap.
_PATTERNS: list[tuple[str, str]] = [
    ("dmy", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    ("mdy", rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b"),
    ("since_md", rf"\bsince\s+(?:(?P<m>{_MONTH})\s+(?P<d>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}))\b(?!\s+{_YEAR})"),
    ("since_month", rf"\bsince\s+(?:(?P<q>early|mid|late)[-\s]+)?(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b"),
    ("since_weekday", rf"\bsince\s+(?:last\s+)?(?P<w>{_WEEKDAY})\b"),
    ("since_year", rf"\bsince\s+(?P<y>{_YEAR})\b"),
    ("md", rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?![,\s]+{_YEAR})(?!\s*(?:-|to)\s*\d)"),
    ("dm", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})\b(?![,\s]+{_YEAR})"),
    ("month_year", rf"\b(?:(?P<q>early|mid|late|end\s+of|the\s+end\s+of|beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of)[-\s]+)?(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b"),
    ("month", r"\b(?:(?P<q>early|mid|late|end\s+of|the\s+end\s+of|beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of)[-\s]+)?(?P<m>(?:January|February|March|April|June|July|August|September|October|November|December|Sept\.))\b"),
    ("month_may", r"\b(?:in|since|until|by|of|during|through|early|mid|late)[-\s]+(?P<m>May)\b"),
    ("last_weekday", rf"\blast\s+(?P<w>{_WEEKDAY}){_PART}\b"),
    ("next_weekday", rf"\b(?:next|this\s+coming|coming)\s+(?P<w>{_WEEKDAY}){_PART}\b"),
    ("weekday", rf"\b(?P<w>{_WEEKDAY})(?:’s|'s)?{_PART}\b"),
    ("yesterday", r"\b(?:yesterday|last\s+night|overnight)\b"),
    ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+(?:in\s+the\s+day|today))\b"),
    ("past_n_days", r"\b(?:in|over|during)\s+the\s+(?:last|past|previous)\s+(?P<n>\w+(?:\s+\w+)?)\s+days\b"),
    ("past_week", r"\b(?:in|over|during)\s+the\s+(?:last|past|previous)\s+(?:week|seven\s+days)\b"),
    ("this_week", r"\b(?:earlier\s+)?this\s+week\b"),
    ("last_week", r"\blast\s+week\b"),
    ("next_week", r"\bnext\s+week\b"),
    ("earlier_this_month", r"\bearlier\s+(?:this|in\s+the)\s+month\b"),
    ("this_month", r"\bthis\s+month\b"),
    ("last_month", r"\b(?:last|past|previous)\s+month\b"),
    ("next_month", r"\bnext\s+month\b"),
    ("this_year", r"\b(?:earlier\s+)?this\s+year\b"),
    ("last_year", r"\blast\s+year\b"),
    ("days_after", r"\b(?P<n>a\s+few|few|several|some|two|three|four|five|six|seven|eight|nine|ten|\d+)?\s*(?P<unit>days|hours|weeks)\s+(?P<rel>after|before|later|earlier)\b"),
    ("day_after", r"\b(?:a|the|one)\s+(?P<unit>day|week)\s+(?P<rel>after|before|later|earlier)\b"),
    ("year", rf"\b(?:in|during|since|of)\s+(?P<y>{_YEAR})\b"),
    # A timeline entry led by a bare year ("2014. Barrel bombs on the east").
    ("year_lead", rf"^\s*(?:[-•*–—]\s*)?(?P<y>{_YEAR})(?=\s*(?:[.:–—]|-\s|$))"),
    # "on the 22nd (of that month)": a day of the month the story is in.
    ("day_of_month", r"\b(?:on\s+|until\s+|by\s+)?the\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?:\s+of\s+(?:that|the\s+same)\s+month)?"),
    # "That morning", "the same day": the day the story is at.
    ("same_day", r"\b(?:that|the\s+same)\s+(?:day|morning|afternoon|evening|night)\b"),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE if name not in ("weekday",) else 0)) for name, pattern in _PATTERNS]
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is\s+(?:due|set|scheduled|expected|planned|slated)|are\s+(?:due|set|scheduled|expected|planned)|"
    r"scheduled|to\s+be\s+held|upcoming|until|deadline|next|set\s+(?:for|to)|slated|planned\s+for|due\s+(?:on|in|to))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in the text (offsets into the whole text)."""

    kind: str
    start: int
    end: int
    text: str
    groups: tuple[tuple[str, str], ...]

    def group(self, name: str) -> str | None:
        for key, value in self.groups:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class DateWindow:
    """A resolved date: the first and last day it may mean, and how precise it is."""

    start: date
    end: date
    precision: str  # day, week, month, range
    rule: str
    text: str = ""


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    """Date expressions in `text`, earliest first, without overlaps.

    >>> [m.kind for m in find_dates("since September 22nd, and on Saturday night")]
    ['since_md', 'weekday']
    """
    return list(_find_dates(text, offset))


@lru_cache(maxsize=8192)
def _find_dates(text: str, offset: int) -> tuple[DateMention, ...]:
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < right and left < end for left, right in taken):
                continue
            groups = tuple((k, v) for k, v in match.groupdict().items() if v)
            taken.append((start, end))
            found.append(DateMention(kind, offset + start, offset + end, match.group(0), groups))
    return tuple(sorted(found, key=lambda m: m.start))


def is_future(text: str) -> bool:
    """True when the words around a date speak of what is still to come.

    >>> is_future("The council is scheduled to meet Friday"), is_future("Rebels took the town on Friday")
    (True, False)
    """
    return bool(_FUTURE.search(text))


def weekday_on_or_before(published: date, weekday: int) -> date:
    """The most recent such weekday on or before the publication date.

    >>> weekday_on_or_before(date(2014, 5, 24), 3)  # Thursday, written on Saturday 24 May
    datetime.date(2014, 5, 22)
    >>> weekday_on_or_before(date(2014, 5, 22), 3)  # Thursday, written that Thursday
    datetime.date(2014, 5, 22)
    """
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def weekday_on_or_after(published: date, weekday: int) -> date:
    """The next such weekday on or after the publication date."""
    return published + timedelta(days=(weekday - published.weekday()) % 7)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> tuple[int, int]:
    """(year, month) that many months away from a date's month.

    >>> add_months(date(2017, 1, 10), -1)
    (2016, 12)
    """
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _year_for(month: int, day: int, published: date, future: bool) -> int:
    """The year that puts month/day nearest the publication date on the side the tense points to."""
    year = published.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return year
    if future and candidate < published - timedelta(days=31):
        return year + 1
    if not future and candidate > published + timedelta(days=1):
        return year - 1
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _quarter(year: int, month: int, qualifier: str | None) -> tuple[date, date, str]:
    first, last = month_bounds(year, month)
    q = (qualifier or "").lower()
    if q == "early" or "beginning" in q or "start" in q:
        return first, first + timedelta(days=9), "range"
    if q == "mid":
        return first + timedelta(days=10), first + timedelta(days=19), "range"
    if q == "late" or "end" in q:
        return first + timedelta(days=20), last, "range"
    return first, last, "month"


def resolve(mention: DateMention, published: date | None, *, future: bool = False, anchor: date | None = None,
            year: int | None = None, context: DateWindow | None = None) -> DateWindow | None:
    """The window a date expression stands for, written on `published`; None if it needs a date we lack.

    `anchor` is the date of the event a relative phrase ("days after") is measured from; `year` the year the
    paragraph is telling (a month without a year falls in it); `context` the date the story is at ("that day").

    >>> resolve(find_dates("in May")[0], date(2017, 1, 10), year=2014).start
    datetime.date(2014, 5, 1)
    >>> resolve(find_dates("On the 22nd of that month")[0], date(2015, 1, 15), context=DateWindow(date(2014, 5, 1), date(2014, 5, 31), "month", "month"))
    DateWindow(start=datetime.date(2014, 5, 22), end=datetime.date(2014, 5, 22), precision='day', rule='day_of_month', text='On the 22nd of that month')

    >>> m = find_dates("on Thursday")[0]
    >>> resolve(m, date(2014, 5, 24)).start, resolve(m, date(2014, 5, 22)).start
    (datetime.date(2014, 5, 22), datetime.date(2014, 5, 22))
    >>> resolve(find_dates("last month")[0], date(2017, 1, 3)).start
    datetime.date(2016, 12, 1)
    """
    kind, g, text = mention.kind, mention.group, mention.text
    if kind == "dmy" or kind == "mdy":
        day = _safe_date(int(g("y")), _month(g("m")), _day(g("d")))
        return DateWindow(day, day, "day", kind, text) if day else None
    if kind == "month_year":
        start, end, precision = _quarter(int(g("y")), _month(g("m")), g("q"))
        return DateWindow(start, end, precision, kind, text)
    if kind == "since_year":
        start = date(int(g("y")), 1, 1)
        return DateWindow(start, published or start, "range", kind, text)
    if kind in ("year", "year_lead"):
        stated = int(g("y"))
        return DateWindow(date(stated, 1, 1), date(stated, 12, 31), "range", kind, text)
    if kind == "day_of_month":
        if context is None or context.start.month != context.end.month or context.start.year != context.end.year:
            return None
        value = _safe_date(context.start.year, context.start.month, int(g("d")))
        return DateWindow(value, value, "day", kind, text) if value else None
    if kind == "same_day":
        if context is None or context.precision != "day":
            return None
        return DateWindow(context.start, context.end, "day", kind, text)
    if kind in ("md", "dm") and year is not None:
        value = _safe_date(year, _month(g("m")), _day(g("d")))
        return DateWindow(value, value, "day", kind, text) if value else None
    if kind in ("month", "month_may") and year is not None:
        start, end, precision = _quarter(year, _month(g("m")), g("q"))
        return DateWindow(start, end, precision, kind, text)
    if published is None:
        return None
    if kind in ("md", "dm"):
        month, day = _month(g("m")), _day(g("d"))
        value = _safe_date(_year_for(month, day, published, future), month, day)
        return DateWindow(value, value, "day", kind, text) if value else None
    if kind == "since_md":
        month, day = _month(g("m") or g("m2")), _day(g("d") or g("d2"))
        value = _safe_date(_year_for(month, day, published, False), month, day)
        return DateWindow(value, published, "range", kind, text) if value else None
    if kind in ("month", "month_may", "since_month"):
        month = _month(g("m"))
        year = int(g("y")) if g("y") else published.year
        if not g("y"):
            if future and month < published.month:
                year += 1
            elif not future and month > published.month:
                year -= 1
        start, end, precision = _quarter(year, month, g("q"))
        if kind == "since_month":
            return DateWindow(start, published, "range", kind, text)
        return DateWindow(start, end, precision, kind, text)
    if kind == "since_weekday":
        day = weekday_on_or_before(published - timedelta(days=1), WEEKDAYS[g("w").lower()])
        return DateWindow(day, published, "range", kind, text)
    if kind == "weekday":
        weekday = WEEKDAYS[g("w").lower()]
        day = weekday_on_or_after(published, weekday) if future else weekday_on_or_before(published, weekday)
        return DateWindow(day, day, "day", kind, text)
    if kind == "last_weekday":
        day = weekday_on_or_before(published - timedelta(days=1), WEEKDAYS[g("w").lower()])
        return DateWindow(day, day, "day", kind, text)
    if kind == "next_weekday":
        day = weekday_on_or_after(published + timedelta(days=1), WEEKDAYS[g("w").lower()])
        return DateWindow(day, day, "day", kind, text)
    if kind == "yesterday":
        day = published - timedelta(days=1)
        return DateWindow(day, day, "day", kind, text)
    if kind == "today":
        return DateWindow(published, published, "day", kind, text)
    if kind == "past_week":
        return DateWindow(published - timedelta(days=7), published, "week", kind, text)
    if kind == "past_n_days":
        n = _WORD_NUMBER.get(g("n").lower(), None) if not g("n").isdigit() else int(g("n"))
        n = n or 7
        return DateWindow(published - timedelta(days=n), published, "range", kind, text)
    if kind == "this_week":
        monday = published - timedelta(days=published.weekday())
        end = published if not future else monday + timedelta(days=6)
        return DateWindow(monday, end, "week", kind, text)
    if kind == "last_week":
        monday = published - timedelta(days=published.weekday() + 7)
        return DateWindow(monday, monday + timedelta(days=6), "week", kind, text)
    if kind == "next_week":
        monday = published + timedelta(days=7 - published.weekday())
        return DateWindow(monday, monday + timedelta(days=6), "week", kind, text)
    if kind in ("earlier_this_month", "this_month"):
        first, last = month_bounds(published.year, published.month)
        end = last if future and kind == "this_month" else published
        return DateWindow(first, end, "month", kind, text)
    if kind in ("last_month", "next_month"):
        first, last = month_bounds(*add_months(published, -1 if kind == "last_month" else 1))
        return DateWindow(first, last, "month", kind, text)
    if kind == "this_year":
        return DateWindow(date(published.year, 1, 1), published, "range", kind, text)
    if kind == "last_year":
        year = published.year - 1
        return DateWindow(date(year, 1, 1), date(year, 12, 31), "range", kind, text)
    if kind == "day_after":
        base = anchor or published
        step = timedelta(days=7 if g("unit").lower() == "week" else 1)
        day = base - step if g("rel").lower() in ("after", "earlier") else base + step
        return DateWindow(day, day, "day" if step.days == 1 else "week", kind, text)
    if kind == "days_after":
        base = anchor or published
        unit, rel = g("unit").lower(), g("rel").lower()
        n = g("n")
        count = int(n) if n and n.isdigit() else _WORD_NUMBER.get((n or "few").lower().strip(), 3)
        if unit == "hours":
            return DateWindow(base, base, "day", kind, text)
        span = count * (7 if unit == "weeks" else 1)
        if n and (n.isdigit() or n.lower().strip() in _WORD_NUMBER and n.lower().strip() not in ("few", "a few", "several")):
            slack = span // 10  # "ten weeks after" is about ten weeks
            low, high = span - slack, span + slack
        else:
            low, high = 1, max(span * 2, 7)
        if rel in ("after", "earlier"):  # the clause's event came before the anchor
            return DateWindow(base - timedelta(days=high), base - timedelta(days=low), "range", kind, text)
        return DateWindow(base + timedelta(days=low), base + timedelta(days=high), "range", kind, text)
    return None


def default_window(published: date | None) -> DateWindow | None:
    """An undated event in a news report: the week up to publication."""
    if published is None:
        return None
    return DateWindow(published - timedelta(days=6), published, "week", "default:week-before-publication")


_DATELINE_LINE = re.compile(
    rf"^\s*(?:(?:published|updated|posted|last\s+updated)\s*:?\s*)?(?:(?P<w>{_WEEKDAY}),?\s+)?"
    rf"(?:(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})|(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),\s+(?P<y2>{_YEAR}))"
    r"(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


def find_dateline(text: str) -> tuple[date, int, int] | None:
    """A publication date stated on a line of its own ("Wednesday 05 October 2016 18:25"), with its offsets.

    >>> find_dateline("Title\\nWednesday 05 October 2016 18:25\\nBody.")[0]
    datetime.date(2016, 10, 5)
    >>> find_dateline("Rebels took it on 5 October 2016.") is None
    True
    """
    for match in re.finditer(r"[^\n]+", text):
        line = _DATELINE_LINE.match(match.group(0))
        if not line:
            continue
        day = _safe_date(int(line.group("y") or line.group("y2")), _month(line.group("m") or line.group("m2")),
                         _day(line.group("d") or line.group("d2")))
        if day is None:
            continue
        if line.group("w") and WEEKDAYS[line.group("w").lower()] != day.weekday():
            continue  # a weekday that does not fit the date: not a trustworthy dateline
        return day, match.start(), match.end()
    return None


_WORD_YEARS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
               "eleven": 11, "twelve": 12}
_SPAN_YEARS = re.compile(
    r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[-\s]years?(?:[-\s](?:long|old))?\s+"
    r"(?:(?:civil|multi-sided|bloody|brutal|long)[-\s]+){0,2}(?:war|conflict|uprising|crisis|insurgency)|"
    r"\b(?P<n2>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years\s+(?:on|later|into)\b",
    re.IGNORECASE,
)
_BASE_YEAR = re.compile(rf"\b(?:since|erupted\s+in|began\s+in|started\s+in|broke\s+out\s+in)\s+(?:(?:early|mid|late)[-\s]+)?(?:{_MONTH}\s+)?(?P<y>{_YEAR})\b", re.IGNORECASE)


@dataclass(frozen=True)
class PublishedGuess:
    """What the text says about its own date: a window, a best single day, and the evidence in our words."""

    start: date
    end: date
    best: date
    basis: str


def infer_published(text: str, *, not_before: tuple[date, str] | None = None) -> PublishedGuess | None:
    """Date a report from what it says: years, "N-year conflict" since a base year, months in the past or future.

    >>> g = infer_published("The war, raging since 2011, is a five-year conflict. The siege begun last month. It began in early July.")
    >>> (g.start, g.end)
    (datetime.date(2016, 8, 1), datetime.date(2016, 8, 31))
    >>> infer_published("Rebels took the hill on Friday.") is None
    True

    `not_before` is a (date, reason) lower bound known from elsewhere (a group named by a name it took that day).
    """
    years = [int(m.group(0)) for m in re.finditer(rf"\b{_YEAR}\b", text)]
    evidence = []
    year_low = max(years) if years else None
    if year_low:
        evidence.append(f"latest year named is {year_low}")
    year = None
    all_bases = [(int(m.group("y")), text[max(0, m.start() - 90) : m.start()]) for m in _BASE_YEAR.finditer(text)]
    # The base of an "N-year war" is the year the war began; other "since" years are a fallback.
    bases = [y for y, before in all_bases if re.search(r"\b(?:war|conflict|uprising|crisis|revolt|revolution)\b", before, re.I)]
    bases = bases or [y for y, _ in all_bases]
    spans = [m.group("n") or m.group("n2") for m in _SPAN_YEARS.finditer(text)]
    if bases and spans:
        counts = [int(n) if n.isdigit() else _WORD_YEARS[n.lower()] for n in spans]
        year = max(min(bases) + count for count in counts)
        evidence.append(f"a {max(counts)}-year span counted from {min(bases)}")
    if year is None and year_low is not None:
        year = year_low
    if not_before is not None and (year is None or year < not_before[0].year):
        year = not_before[0].year
        evidence.append(not_before[1])
    if year is None:
        return None
    year = max(year, year_low or year)
    past_months, future_months = [], []
    for mention in find_dates(text):
        if mention.kind not in ("month", "md", "dm", "month_may"):
            continue
        month = _month(mention.group("m"))
        window = text[max(0, mention.start - 80) : mention.end + 10]
        (future_months if is_future(window) else past_months).append(month)
    has_last_month = bool(re.search(r"\b(?:last|past|previous)\s+month\b", text, re.I))
    if past_months and has_last_month:
        month = max(past_months) + 1
        if month == 13:
            year, month = year + 1, 1
        start, end = month_bounds(year, month)
        evidence.append(f"'last month' with {calendar.month_name[max(past_months)]} the latest month named")
        return PublishedGuess(start, end, start + (end - start) // 2, "inferred: " + "; ".join(evidence))
    if future_months:
        month = min(future_months)
        first = date(year, month, 1)
        start = date(*add_months(first, -1), 1)
        end = month_bounds(year, month)[1]
        evidence.append(f"{calendar.month_name[month]} spoken of as still to come")
        return PublishedGuess(start, end, start + (end - start) // 2, "inferred: " + "; ".join(evidence))
    if past_months:
        start = date(year, max(past_months), 1)
        end = date(year, 12, 31)
        evidence.append(f"{calendar.month_name[max(past_months)]} spoken of as past")
        return PublishedGuess(start, end, start + (end - start) // 2, "inferred: " + "; ".join(evidence))
    start = date(year, 1, 1)
    if not_before is not None and not_before[0].year == year:
        start = not_before[0]
    return PublishedGuess(start, date(year, 12, 31), start + (date(year, 12, 31) - start) // 2, "inferred: " + "; ".join(evidence))
