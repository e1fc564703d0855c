"""The wires a report credits, so that claims carry the chain they came through (`relayed_by`, nearest the claimant first).

Two papers printing one wire story are one origin (data/model/claims.py): the extractor can tell only when the text says
whose copy it is, by a wire dateline ("BEIRUT (Reuters) -"), a credit line ("Material from The Associated Press was
used", "AFP contributed to this report"), or a paragraph that reports what a wire reported ("..., according to Reuters").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The seed's spellings of the wires (data/seed/actors.csv resolves each of them), keyed by a folded name.
_CANONICAL = {
    "reuters": "Reuters", "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP", "afp news agency": "AFP",
    "ap": "Associated Press", "associated press": "Associated Press", "the associated press": "Associated Press",
    "al jazeera": "Al Jazeera", "al-jazeera": "Al Jazeera", "dpa": "DPA", "anadolu": "Anadolu", "anadolu agency": "Anadolu",
    "xinhua": "Xinhua", "ansa": "ANSA", "upi": "UPI", "efe": "EFE",
}
_KNOWN_WIRE = (r"(?:Reuters|AFP|Agence\s+France[- ]Presse|(?:The\s+)?Associated\s+Press|AP|DPA|Anadolu(?:\s+Agency)?|Xinhua|ANSA|UPI|EFE|"
               r"Al[- ]Jazeera)")
_NAME = r"[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}"
# A name in a dateline or a credit that reads as a wire: a known one, an acronym (SANA, IRNA), or "... Wire/Press/News/Agency".
_WIRE_LIKE = re.compile(rf"^(?:(?i:(?:the\s+)?{_KNOWN_WIRE})|[A-Z]{{2,6}}|(?:The\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){{0,3}}\s+"
                        r"(?:Wire|Press|News|Agency|Service|Newswire|News\s+Agency))$")
# "BEIRUT (Reuters) -", "BEIRUT, Aug 7 (Reuters) -", "Beirut (AFP) -", "(AP) —": the whole story is that wire's copy.
_DATELINE = re.compile(
    rf"^[ \t]*(?:(?:[A-Z][A-Z.'’/ -]{{1,40}}|[A-Z][a-z]+(?:[ /-][A-Z][a-z]+){{0,2}}(?=\s*(?:,[^()\n]{{1,20}})?\s*\({_KNOWN_WIRE}\)))"
    rf"(?:,[^()\n]{{1,20}})?\s*)?\((?P<wire>{_NAME})\)\s*[-–—:]",
    re.MULTILINE,
)
# Credit lines, each on a line of its own (usually the last).
_CREDIT_LINES = [
    re.compile(rf"^[ \t]*(?:[-–—]\s*)?(?:Some\s+)?material\s+from\s+(?P<wire>(?:the\s+)?{_NAME})\s+(?:(?:was|is|has\s+been|were|are)\s+)?"
               rf"(?:used|included|incorporated)\b", re.IGNORECASE | re.MULTILINE),
    re.compile(rf"^[ \t]*(?:[-–—]\s*)?(?P<wire>(?:The\s+)?{_NAME})(?:\s+(?:and|&)\s+{_NAME})*\s+contributed\b[^\n]{{0,40}}$", re.MULTILINE),
    re.compile(rf"^[ \t]*(?:[-–—]\s*)?(?:(?:additional|with)\s+)?(?:reporting|files|material|information|input)\s+(?:by|from)\s+"
               rf"(?P<wire>(?:the\s+)?{_KNOWN_WIRE})\b", re.IGNORECASE | re.MULTILINE),
    re.compile(rf"^[ \t]*(?:[-–—]\s*)?(?:with|source|sources|via)\s*:?\s+(?P<wire>(?:the\s+)?{_KNOWN_WIRE})\b[^\n]{{0,30}}$",
               re.IGNORECASE | re.MULTILINE),
    re.compile(rf"^[ \t]*this\s+(?:story|article|report)\s+(?:was|has\s+been|is)\s+(?:\w+\s+)?(?:published|produced|written|supplied)\s+"
               rf"(?:from|by)\s+(?:a\s+)?(?P<wire>(?:the\s+)?{_KNOWN_WIRE})\b", re.IGNORECASE | re.MULTILINE),
    re.compile(rf"^[ \t]*[-–—]\s*(?P<wire>{_KNOWN_WIRE})\s*$", re.MULTILINE),
]
# A paragraph that passes on what a wire reported: the wire is the speaker, not the one spoken to ("told Reuters").
_WIRE_REPORTED = re.compile(r"^(?:report|reported|reports|reporting|said|says|saying|added|stated|confirmed|estimated)$|^$", re.IGNORECASE)


@dataclass(frozen=True)
class WireCredit:
    """A wire the text credits: its name as the seed spells it, how we know, and where it says so."""

    wire: str
    rule: str  # relay:dateline, relay:credit-line
    start: int
    end: int


def wire_name(name: str) -> str:
    """A wire as the seed spells it ('the Associated Press' -> 'Associated Press'); other names keep their words.

    >>> wire_name("The Associated Press"), wire_name("Agence France-Presse"), wire_name("Levant Wire")
    ('Associated Press', 'AFP', 'Levant Wire')
    """
    text = " ".join(str(name or "").split()).strip(" .,")
    folded = text.lower()
    if folded in _CANONICAL:
        return _CANONICAL[folded]
    stripped = re.sub(r"^the\s+", "", folded)
    return _CANONICAL.get(stripped, text)


def same_report(a: str, b: str) -> bool:
    """Whether two names are the same report ('AP' and 'The Associated Press'; case and a leading 'the' ignored)."""
    def key(name: str) -> str:
        return re.sub(r"^the\s+", "", wire_name(name).lower())
    return bool(a) and bool(b) and key(a) == key(b)


def article_credits(text: str) -> list[WireCredit]:
    """The wires whose copy the whole article prints, first named first.

    >>> [c.wire for c in article_credits("BEIRUT, Aug 7 (Reuters) - Rebels said...\\n\\nAFP contributed to this report.")]
    ['Reuters', 'AFP']
    >>> article_credits("Aleppo (Syria) is a city. Rebels (the Army of Conquest) - said nothing.")
    []
    """
    found: list[WireCredit] = []
    head = text[:400]  # a dateline opens the story: the first lines, not a quoted place further on
    for match in _DATELINE.finditer(head):
        if _WIRE_LIKE.match(match.group("wire")) and head[: match.start()].count("\n") <= 4:
            found.append(WireCredit(wire_name(match.group("wire")), "relay:dateline", match.start("wire"), match.end("wire")))
            break
    for pattern in _CREDIT_LINES:
        for match in pattern.finditer(text):
            names = [match.group("wire")]
            if " contributed" in match.group(0):  # "Reuters and AFP contributed": every one named
                names = re.split(r"\s*(?:,|\band\b|&)\s*", match.group(0).split(" contributed")[0].strip(" \t-–—"))
            offset = match.start("wire")
            for name in names:
                if not _WIRE_LIKE.match(name):
                    continue  # "Jane Doe contributed": a colleague, not a wire
                start = text.find(name, offset)
                found.append(WireCredit(wire_name(name), "relay:credit-line", start, start + len(name)))
    found.sort(key=lambda credit: (credit.rule != "relay:dateline", credit.start))
    out: list[WireCredit] = []
    for credit in found:
        if not any(same_report(credit.wire, kept.wire) for kept in out):
            out.append(credit)
    return out


def is_wire_reporting(verb: str) -> bool:
    """Whether a wire named as the speaker with this verb reports in its own voice ("according to", "reported")."""
    return bool(_WIRE_REPORTED.match(verb.strip()))


def chain(*links: str, claimant: str = "", outlet: str | None = None) -> str:
    """A `relayed_by` chain from its links, nearest the claimant first: blanks, repeats, the claimant and the outlet left out.

    >>> chain("Syrian state media", "Reuters", "Reuters", outlet="MaltaToday")
    'Syrian state media|Reuters'
    >>> chain("", "Levant Wire", outlet="Levant Wire"), chain("AFP", claimant="AFP")
    ('', '')
    """
    out: list[str] = []
    for link in links:
        for part in str(link or "").split("|"):
            part = part.strip()
            if not part or (claimant and same_report(part, claimant)) or (outlet and same_report(part, outlet)):
                continue
            if not any(same_report(part, kept) for kept in out):
                out.append(wire_name(part))
    return "|".join(out)
