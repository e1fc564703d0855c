"""Figures in news prose: digits and words, their bound ("more than", "as many as") and the unit counted."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague plurals: the smallest number the word can mean, as a lower bound.
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
          "hundreds of thousands": 200_000, "millions": 2_000_000}
_FRACTIONS = {"a quarter of a": 0.25, "quarter of a": 0.25, "a half": 0.5, "half a": 0.5, "half of a": 0.5,
              "three quarters of a": 0.75, "a third of a": 1 / 3}

_WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")"
_SCALE = r"(?:hundred|thousand|million|billion)"
_NUMBER = (
    r"(?P<fraction>(?:a\s+quarter|quarter|half|a\s+half|three\s+quarters|a\s+third)\s+(?:of\s+)?a\s+(?P<fscale>million|billion|thousand))"
    r"|(?P<vague>tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores|hundreds|thousands|millions)(?=\s+of\b|\s+\w)"
    r"|(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<dscale>million|billion|thousand|m\b|bn\b))?"
    rf"|(?P<words>(?:a\s+)?{_WORD}(?:[-\s]+{_WORD})?(?:\s+{_SCALE}(?:\s+(?:and\s+)?{_WORD}(?:[-\s]{_WORD})?)?)*|a\s+(?:hundred|thousand|million|dozen)|a\s+dozen|dozen)"
)
_LOWER = r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of"
_UPPER = r"as\s+many\s+as|up\s+to|fewer\s+than|less\s+than|at\s+most|no\s+more\s+than|under"
_APPROX = r"around|about|some|nearly|almost|roughly|approximately|an\s+estimated|estimated|close\s+to|approx\.?|only\s+around|only\s+about"
_QUANTITY = re.compile(
    rf"(?<![\w$£€:.,‑-])(?:(?P<lower>{_LOWER})\s+|(?P<upper>{_UPPER})\s+|(?P<approx>{_APPROX})\s+)?(?:only\s+)?(?:{_NUMBER})(?![\w-]|\.\d|:\d)",
    re.IGNORECASE,
)
_TIME_UNITS = re.compile(r"^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies))\b", re.IGNORECASE)
_NOT_COUNTS = re.compile(r"^(?:times?\s+(?:a|per)|a\.m|p\.m|am\b|pm\b|percent|per\s+cent|%|years?\s+old|year-old)", re.IGNORECASE)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_ORDINAL_TIME = re.compile(r"\b(?:the\s+)?(?P<ord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+(?P<unit>time|occasion)\b", re.IGNORECASE)
_SKIP_NOUN = re.compile(r"^(?:of\s+(?:the|them|those|these|us|whom)\b)", re.IGNORECASE)
_UNIT_STOP = re.compile(
    r"\b(?:and|or|but|in|on|at|to|from|into|inside|with|by|for|since|after|before|during|who|which|that|are|were|was|is|"
    r"have|had|has|being|been|left|remain|remained|said|says|more|seriously|still|thought|believed|reported|the|a|an)\b",
    re.IGNORECASE,
)
_OUTCOMES = [
    ("killed", re.compile(r"\b(?:killed|killing|dead|died|deaths?|death\s+toll|lost\s+their\s+lives|massacred|executed)\b", re.I)),
    ("injured", re.compile(r"\b(?:injured|injuring|wounded|wounding|hurt|injuries)\b", re.I)),
    ("displaced", re.compile(r"\b(?:displaced|fled|refugees?)\b", re.I)),
    ("trapped", re.compile(r"\b(?:trapped|besieged|under\s+siege)\b", re.I)),
    ("captured", re.compile(r"\b(?:captured|detained|arrested|taken\s+prisoner)\b", re.I)),
]
_YEAR_CONTEXT = re.compile(r"(?:\b(?:in|since|of|from|until|by|before|after|during|early|late|mid|year|summer|spring|winter|autumn)\s*$|[A-Za-z]{3,}\.?\s*$)")
_MONTH_NEAR = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$",
    re.IGNORECASE,
)


_ONE_CASUALTY = re.compile(r"\s+(?:\w+\s+)?(?:soldier|civilian|child|fighter|rebel|militant|doctor|woman|man|person|volunteer|journalist|worker)\b"
                           r"[^.;]{0,40}?\b(?:were|was)\s+(?:killed|injured|wounded|hurt)", re.I)


@dataclass(frozen=True)
class Quantity:
    """A reported figure: its value, its bounds, and what it counts (offsets into the whole text)."""

    value: float
    low: float | None
    high: float | None
    bound: str  # exact, lower, upper, approximate
    unit: str
    start: int
    end: int
    text: str
    rule: str
    hedge: str = ""  # the article's own words for the bound ("more than", "as many as", "dozens"), lower case

    def to_dict(self) -> dict:
        return {"value": self.value, "low": self.low, "high": self.high, "bound": self.bound, "unit": self.unit,
                "span_start": self.start, "span_end": self.end, "text": self.text, "rule": self.rule, "hedge": self.hedge}

    @property
    def hedged_unit(self) -> str:
        """The unit with the hedge in brackets, as claims.csv keeps it ("militants killed (more than)"); see unit_with_hedge."""
        return unit_with_hedge(self.unit, self.bound, self.hedge)


# What data/model/quantities.py reads as a minimum in a unit's brackets; other words for a minimum are written "at least".
_MODEL_LOWER = re.compile(r"^(?:more\s+than|at\s+least|over)$")


def unit_with_hedge(unit: str, bound: str, hedge: str) -> str:
    """A claim's unit with the article's hedge in brackets, the seed's way; an exact figure has none.

    A minimum keeps the article's words when the data model reads them as one ("more than", "at least", "over"),
    else it says "at least" (and a vague plural says which: "dozens, at least").

    >>> unit_with_hedge("militants killed", "lower", "more than"), unit_with_hedge("people killed", "lower", "upwards of")
    ('militants killed (more than)', 'people killed (at least)')
    >>> unit_with_hedge("people", "lower", "dozens"), unit_with_hedge("people", "upper", "as many as"), unit_with_hedge("people", "exact", "")
    ('people (dozens, at least)', 'people (as many as)', 'people')
    """
    words = " ".join(str(hedge or "").lower().split())
    if bound == "exact" or not words:
        return unit
    if bound == "lower" and not _MODEL_LOWER.match(words):
        words = f"{words}, at least" if words in _VAGUE else "at least"
    return f"{unit} ({words})".strip()


def words_to_number(words: str) -> float | None:
    """A number written in words.

    >>> words_to_number("two"), words_to_number("twenty-five"), words_to_number("a quarter of a million")
    (2, 25, 250000.0)
    >>> words_to_number("three hundred thousand"), words_to_number("a dozen"), words_to_number("banana")
    (300000, 12, None)
    """
    text = re.sub(r"[-\s]+", " ", words.lower()).strip()
    for phrase, share in _FRACTIONS.items():
        if text.startswith(phrase + " "):
            scale = _SCALES.get(text[len(phrase) + 1 :].strip())
            return share * scale if scale else None
    text = re.sub(r"^a ", "one ", text)
    if text in ("dozen", "one dozen"):
        return 12
    total, current, seen = 0, 0, False
    for token in text.split():
        if token == "and":
            continue
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _unit_after(text: str, end: int) -> tuple[str, int]:
    """The noun phrase a number counts: up to four words after it, stopping at function words."""
    rest = text[end:]
    rest = re.sub(r"^\s+(?:more\s+|other\s+|of\s+)?", " ", rest)
    words = []
    for match in re.finditer(r"[\w’'-]+|[^\w\s]", rest):
        token = match.group(0)
        if not re.match(r"[\w’'-]+$", token) or _UNIT_STOP.fullmatch(token) or len(words) >= 4:
            break
        words.append(token)
        if token.lower().endswith("s") and len(words) >= 1 and token.lower() not in ("syrians's",):
            # a plural noun usually closes the phrase ("civilians", "metric tons")
            if not re.match(r".*(?:ss|us|is)$", token.lower()):
                break
    return " ".join(words), end + len(rest)


def _outcome(after: str, before: str) -> str:
    """What happened to those counted: a verb just before the figure ("killed at least 25"), else the nearest after it."""
    for label, pattern in _OUTCOMES:
        hit = None
        for hit in pattern.finditer(before[-30:]):
            pass
        if hit is not None and re.fullmatch(r"\s*(?:(?:at\s+least|more\s+than|over|some|about|around|nearly|almost|up\s+to|as\s+many\s+as|only)\s*)?", before[-30:][hit.end():]):
            return label
    best = ("", len(after) + 1)
    for label, pattern in _OUTCOMES:
        hit = pattern.search(after)
        if hit and hit.start() < best[1]:
            best = (label, hit.start())
    if best[0]:
        return best[0]
    for label, pattern in _OUTCOMES:
        if pattern.search(before[-40:]):
            return label
    return ""


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Figures in `text` with their unit; years, dates, clock times and durations are left out.

    The outcome word nearest the figure is added to its unit ("militants killed").

    >>> [(q.value, q.bound, q.unit) for q in find_quantities("killing more than 300 militants")]
    [(300.0, 'lower', 'militants killed')]
    >>> [(q.value, q.bound) for q in find_quantities("Around 250,000 civilians are trapped, and dozens of people")]
    [(250000.0, 'approximate'), (24.0, 'lower')]
    >>> [(q.value, q.rule) for q in find_quantities("in July 2012, on June 3, for 13 months, at 18:25, the fourth time")]
    [(13.0, 'quantity:duration'), (4.0, 'quantity:ordinal-time')]
    """
    found: list[Quantity] = []
    matches = list(_QUANTITY.finditer(text))
    for index, match in enumerate(matches):
        groups = match.groupdict()
        before = text[: match.start()]
        if groups["digits"]:
            raw = groups["digits"].replace(",", "")
            value = float(raw)
            scale = (groups["dscale"] or "").lower()
            value *= {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3}.get(scale, 1)
            if not scale and "," not in groups["digits"] and "." not in raw and 1900 <= value <= 2100:
                continue  # a year
            if _MONTH_NEAR.search(before) or re.match(r"\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?", text[match.end():], re.I):
                continue  # a day of a month ("6 August", "2 Feb")
            if re.match(r"\s+(?:apartments?\s+)?(?:project|housing\s+project|complex)\b", text[match.end():], re.I):
                continue  # "the 1070 apartment project": a name
            rule = "quantity:digits"
        elif groups["fraction"]:
            value = words_to_number(groups["fraction"])
            rule = "quantity:fraction"
        elif groups["vague"]:
            value = float(_VAGUE[re.sub(r"\s+", " ", groups["vague"].lower())])
            rule = "quantity:vague"
        else:
            value = words_to_number(groups["words"])
            rule = "quantity:words"
            if value is None or groups["words"].lower() in ("a", "an"):
                continue
            if groups["words"].lower() == "one" and not _ONE_CASUALTY.match(text[match.end():]):
                continue  # "one" counts only in a toll ("two rebels and one soldier were killed")
        if value is None:
            continue
        unit, _ = _unit_after(text, match.end())
        rest = text[match.end():]
        if not unit and rule != "quantity:digits":
            partitive = re.match(r"\s+of\s+(?:the|its|their|our)\s+", rest, re.I)
            outcome = re.match(r"\s+(?:(?:were|was|have\s+been|had\s+been|are)\s+)?(?:killed|injured|wounded|died|dead|hurt|detained|arrested)\b", rest, re.I)
            if partitive:
                unit, _ = _unit_after(text, match.end() + partitive.end() - 1)  # "Eighteen of the trucks"
            elif outcome:
                unit = "people"  # "a further forty were injured"
        if _NOT_COUNTS.match(unit) or not unit and rule != "quantity:digits":
            continue
        if _TIME_UNITS.match(unit):
            if re.search(r"\bago\b|\bold\b", text[match.end():match.end() + 20]):
                continue
            rule = "quantity:duration"
        if re.match(r"\s*[-‑]\s*(?:year|month|day|week|hour)", text[match.end():], re.I):
            continue  # "five-year conflict"
        if re.search(r"[-‑]\s*$", before) or re.match(r"\s*(?:st|nd|rd|th)\b", text[match.end():]):
            continue  # a model name such as S-300, or an ordinal
        if rule == "quantity:words" and re.match(r"(?:one|a)\b", groups["words"], re.I) and not re.search(_SCALE + "|dozen", groups["words"], re.I) \
                and not (groups["words"].lower() == "one" and _ONE_CASUALTY.match(text[match.end():])):
            continue
        if rule == "quantity:words" and re.search(r"\bthe\s+$", before, re.I):
            continue  # "the two countries" points back, it does not report a figure
        following = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        # what happened to them is said right after the counted noun ("people were killed"), not a clause later
        near = text[match.end() : following]
        near = near[: len(unit) + 40].split(",")[0].split(";")[0]
        outcome = _outcome(near, before)
        if outcome and outcome not in unit:
            unit = f"{unit} {outcome}".strip()
        hedge = next((groups[k] for k in ("lower", "upper", "approx", "vague") if groups[k]), "") or ""
        if groups["lower"] or groups["vague"]:
            bound, low, high = "lower", value, None
        elif groups["upper"]:
            bound, low, high = "upper", None, value
        elif groups["approx"] or rule == "quantity:fraction":
            bound, low, high = "approximate", value, value
        else:
            bound, low, high = "exact", value, value
        found.append(Quantity(float(value), low, high, bound, unit, offset + match.start(), offset + match.end(),
                              match.group(0), rule, " ".join(hedge.lower().split())))
    for match in _ORDINAL_TIME.finditer(text):
        word = match.group("ord").lower()
        value = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        found.append(Quantity(float(value), float(value), float(value), "exact", "times", offset + match.start(), offset + match.end(),
                              match.group(0), "quantity:ordinal-time"))
    return sorted(found, key=lambda q: q.start)
