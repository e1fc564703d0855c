"""Article text to sentences and clauses with character offsets; boilerplate and headlines set aside."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Publisher furniture: sign-up forms, paywall nags, share buttons, ads, credits.
_BOILERPLATE = re.compile(
    r"""^\s*(?:share(?:\s+(?:story|this|article|on\s+\w+))?|advertisement|advert|sponsored|
    register(?:\s+for\s+free)?\b.*|registration\s+is\b.*|by\s+registering\b.*|please\s+(?:enter|refresh|log|sign)\b.*|
    must\s+be\s+at\s+least\b.*|special\s+characters\b.*|you\s+must\s+be\b.*|you\s+can\s+opt[- ]out\b.*|
    already\s+have\s+an\s+account\b.*|by\s+clicking\b.*|this\s+site\s+is\s+protected\b.*|join\s+(?:our|the)\b.*|
    thank\s+you\s+for\b.*|sign\s+(?:up|in)\b.*|subscribe\b.*|follow\s+us\b.*|read\s+more\b.*|related\b.*|
    most\s+read\b.*|more\s+on\s+this\b.*|click\s+here\b.*|newsletter\b.*|cookie\b.*|
    (?:copyright|©)\b.*|all\s+rights\s+reserved\b.*|(?:some\s+)?material\s+from\s+.{0,60}\b(?:is|was|were|has\s+been)\s+(?:included|used|incorporated)\b.*|(?:[-–—]\s*)?with\s+files\s+from\b.*|
    custom[- ]curated\b.*|this\s+week,\s+save\b.*|save\s+\d+%.*|get\s+(?:unlimited|digital)\b.*|
    image\s+(?:source|caption|copyright)\b.*|media\s+caption\b.*|(?:photo|picture|video)\s*(?:caption|credit)?\s*:.*|related\s+topics\b.*|
    more\s+on\s+this\s+story\b.*|our\s+standards\b.*|(?:additional\s+)?reporting\s+by\b.*|(?:writing|editing)\s+by\b.*|
    .{0,80}\bcontributed(?:\s+to\s+this\s+(?:report|story|article))?(?:\s+reporting)?\.?|you\s+may\s+also\s+like\b.*|recommended\b.*|most\s+(?:popular|viewed)\b.*|
    (?:topics|tags|filed\s+under)\s*:.*|(?:published|updated|last\s+updated)\s*:?.{0,40}|\d+\s+comments?|skip\s+to\b.*)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Anywhere in a line: the words of subscription and account forms.
_FORM_WORDS = re.compile(
    r"\b(?:e-?mail address|valid email|newsletter|unsubscribe|privacy (?:policy|notice)|terms of (?:use|service)|"
    r"digital access|free trial|log ?in to|sign in to your account|reCAPTCHA|commenting forum)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"""[.!?]["”’'»)\]]*\s*$""")
_ABBREVIATIONS = {
    "u.s", "u.n", "u.k", "e.u", "dr", "mr", "mrs", "ms", "st", "gen", "col", "capt", "lt", "sgt", "maj", "jr",
    "no", "vs", "e.g", "i.e", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "rev", "prof", "gov",
    "sen", "rep", "mt", "ft", "approx", "est", "inc", "co", "corp", "ltd",
}
_SENTENCE_END = re.compile(r"""[.!?]+["”’'»)]*(?=\s+["“‘'«(]?[A-Z0-9])""")
_DATELINE = re.compile(r"^(?:[A-Z][A-Z .'/-]{2,40}(?:,\s*[A-Za-z .]+)?)\s*(?:\([\w .'-]{1,40}\))?\s*[—–-]+\s*")
_MONTH_NAME = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
               r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
# A timeline entry: an optional bullet, a date (year, month, day and month), a separator, then what happened.
_TIMELINE_ENTRY = re.compile(
    rf"^\s*(?:[-•*–—]\s*)?(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+{_MONTH_NAME}(?:,?\s+(?:19|20)\d\d)?|"
    rf"{_MONTH_NAME}\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?|{_MONTH_NAME}(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d)"
    r"\s*(?:[:.–—]|-\s|,)\s*\S",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[-•*–—]\s+")


@dataclass(frozen=True)
class Span:
    """A piece of the text: `text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence(Span):
    """A sentence of the body, with its paragraph number and its clauses."""

    paragraph: int = 0
    clauses: tuple[Span, ...] = ()


@dataclass
class Segmentation:
    """The body sentences, and the lines set aside (boilerplate, headlines, datelines)."""

    sentences: list[Sentence]
    skipped: list[tuple[Span, str]]


def is_boilerplate(line: str) -> bool:
    """True for publisher furniture: forms, share buttons, adverts, paywall nags.

    >>> is_boilerplate("Share story"), is_boilerplate("Please enter a valid email")
    (True, True)
    >>> is_boilerplate("Rebels said they took the town.")
    False
    """
    stripped = line.strip()
    return bool(stripped) and bool(_BOILERPLATE.match(stripped) or _FORM_WORDS.search(stripped))


def is_headline(line: str) -> bool:
    """A short line without end punctuation: a title, a standfirst or a related-link headline.

    >>> is_headline("Rebels break siege of northern city")
    True
    >>> is_headline("Rebels broke the siege, a monitor said.")
    False
    """
    stripped = line.strip()
    return bool(stripped) and not _TERMINAL.search(stripped) and len(stripped.split()) <= 30


def is_timeline_entry(line: str) -> bool:
    """A dated fragment of a timeline ("6 August: rebels break through", "- 2 Feb: Army takes X"), not a headline.

    >>> is_timeline_entry("- 2 Feb: Army takes Hardatnin"), is_timeline_entry("July 2016 - Government forces cut the road")
    (True, True)
    >>> is_timeline_entry("Rebels break siege of northern city"), is_timeline_entry("May brought a reversal")
    (False, False)
    """
    return bool(_TIMELINE_ENTRY.match(line))


def split_paragraphs(text: str) -> list[Span]:
    """Non-empty lines of the text, stripped, with offsets."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        left = len(raw) - len(raw.lstrip())
        right = len(raw.rstrip())
        if right > left:
            spans.append(Span(match.start() + left, match.start() + right, raw[left:right]))
    return spans


def split_sentences(paragraph: Span) -> list[Span]:
    """Sentences of one paragraph; abbreviations such as U.S. or Dr. do not end a sentence."""
    out: list[Span] = []
    start = 0
    text = paragraph.text
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"([\w.]+)$", text[start : match.start()] + ".")
        token = (word.group(1) if word else "").rstrip(".").lower()
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        end = match.end()
        out.append(_span(paragraph, start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        out.append(_span(paragraph, start, len(text)))
    return [s for s in out if s.text.strip()]


def _span(paragraph: Span, start: int, end: int) -> Span:
    return Span(paragraph.start + start, paragraph.start + end, paragraph.text[start:end])


# Clause boundaries: a new finite clause usually starts after these.
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?=(?:but|while|whereas|and|although|though|as|when|however|meanwhile)\b)"
    r"|\s+(?=(?:but|while|whereas|although)\b)|,?\s+(?=after\b)"
)
# "days after" opens the clause it belongs to.
_RELATIVE_OPENER = re.compile(
    r"\b(?:(?:a\s+few|few|several|some|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+)?(?:days|hours|weeks|months)\s+(?:after|before)\b|\b(?:a|the|one)\s+(?:day|week)\s+(?:after|before)\b",
    re.IGNORECASE,
)


def split_clauses(sentence: Span) -> list[Span]:
    """Clauses of a sentence, so that one clause's place and actors are not given to another's event.

    >>> [c.text for c in split_clauses(Span(0, 41, "Army took A, while rebels captured B."))]
    ['Army took A', 'while rebels captured B.']
    >>> [c.text for c in split_clauses(Span(0, 37, "It fell days after rebels took B."))]
    ['It fell', 'days after rebels took B.']
    """
    text = sentence.text
    breaks: list[tuple[int, int]] = []
    openers = [(m.start(), m.end()) for m in _RELATIVE_OPENER.finditer(text)]
    for left, right in openers:
        gap = left
        while gap > 0 and text[gap - 1] in " ,":
            gap -= 1
        breaks.append((gap, left))
    for match in _CLAUSE_BREAK.finditer(text):
        if not any(left - 3 <= match.start() < right for left, right in openers):
            breaks.append((match.start(), match.end()))
    cuts = [0]
    for left, right in sorted(breaks):
        if left > cuts[-1]:
            cuts.extend((left, right))
    cuts.append(len(text))
    clauses = []
    for left, right in zip(cuts[0::2], cuts[1::2]):
        if right > left and text[left:right].strip():
            clauses.append(Span(sentence.start + left, sentence.start + right, text[left:right]))
    return clauses or [sentence]


def segment(text: str) -> Segmentation:
    """Split an article into body sentences (with clauses) and the lines to ignore."""
    sentences: list[Sentence] = []
    skipped: list[tuple[Span, str]] = []
    for number, paragraph in enumerate(split_paragraphs(text)):
        if is_boilerplate(paragraph.text):
            skipped.append((paragraph, "boilerplate"))
            continue
        body = paragraph
        if is_timeline_entry(paragraph.text):
            bullet = _BULLET.match(paragraph.text)
            if bullet:
                skipped.append((Span(paragraph.start, paragraph.start + bullet.end(), bullet.group(0)), "bullet"))
                body = Span(paragraph.start + bullet.end(), paragraph.end, paragraph.text[bullet.end():])
        elif is_headline(paragraph.text):
            skipped.append((paragraph, "headline"))
            continue
        dateline = _DATELINE.match(body.text)
        if dateline and dateline.end() < len(body.text):
            skipped.append((Span(body.start, body.start + dateline.end(), dateline.group(0)), "dateline"))
            body = Span(body.start + dateline.end(), body.end, body.text[dateline.end() :])
        for piece in split_sentences(body):
            if is_boilerplate(piece.text):
                skipped.append((piece, "boilerplate"))
                continue
            clauses = tuple(split_clauses(piece))
            sentences.append(Sentence(piece.start, piece.end, piece.text, paragraph=number, clauses=clauses))
    return Segmentation(sentences, skipped)
