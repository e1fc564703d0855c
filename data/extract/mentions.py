"""Actor and place mentions in a stretch of text: alias lookups, a generic side lexicon, geocoder calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from geo.names import name_key

# Generic words for sides, used when the alias table has no entry (or none is given).
_SIDE_WORDS: list[tuple[str, str]] = [
    ("isis", r"\b(?:ISIS|ISIL|Islamic\s+State|Daesh)\b"),
    ("jihadist", r"\b(?:al-?Qaeda|al-?Qaida|jihadists?|Nusra|Fateh\s+al-Sham)\b"),
    ("sdf", r"\b(?:SDF|Kurdish(?:-led)?\s+(?:fighters|forces|militias?)|YPG|US-backed\s+militias?)\b"),
    ("government_ally", r"\b(?:Russian?|Moscow|Kremlin|Hezbollah|Hizballah|Iran(?:ian)?|Iraqi\s+militias?)\b(?:\s+(?:forces|troops|warplanes|jets|air\s+force|military|government|ministry|officials?))?"),
    ("monitor", r"\b(?:(?:a|the)\s+)?(?:monitor(?:ing\s+group)?s?|observatory|war\s+monitor)\b"),
    ("government", r"\b(?:(?:pro-)?government(?:-held|-controlled)?(?:\s+(?:forces|troops|officials?|sources|media|outlets))?|regime(?:\s+forces)?|"
                   r"(?:Syrian\s+)?(?:army|military|troops|soldiers|officials?|authorities)|state(?:-run)?\s+(?:news\s+)?media|"
                   r"forces\s+loyal\s+to\s+\w+|loyalists?|Damascus|military\s+(?:officer|official|source))\b"),
    ("opposition", r"\b(?:(?:pro-)?opposition(?:-held|-controlled)?(?:\s+(?:groups?|fighters|forces|activists?))?|rebels?(?:-held)?|rebel\s+(?:groups?|forces|factions?|fighters|brigades?)|"
                   r"insurgents?|activists?|militants?|fighters|armed\s+groups?|terrorists?)\b"),
    ("international", r"\b(?:(?:Turkish|US|U\.S\.|American|French|British|Jordanian|Israeli|Saudi|Qatari|German|Western)\s+(?:officials?|authorities|military|army|troops|forces|government|ministry|diplomats?|jets|warplanes|soldiers)|U\.?S\.?|United\s+States|Washington|State\s+Department|U\.?N\.?|United\s+Nations|NATO|EU|European\s+Union|"
                      r"Security\s+Council|international\s+community|diplomats?|ambassador)\b"),
    ("civilian", r"\b(?:residents?|civilians?|doctors?|medics?|rescuers?|volunteers?|aid\s+(?:groups?|agencies|workers?)|humanitarian\s+(?:groups?|agencies|organisations?|organizations?)|charity|witness(?:es)?)\b"),
    ("analyst", r"\b(?:analysts?|experts?|observers?|think\s+tank)\b"),
    ("media", r"\b(?:Reuters|AFP|Agence\s+France-Presse|(?:the\s+)?Associated\s+Press|AP|Al\s+Jazeera|BBC|CNN|(?:The\s+)?Telegraph|(?:The\s+)?Guardian|(?:The\s+)?Independent)\b"),
]
_SIDE_PATTERNS = [(side, re.compile(pattern, re.IGNORECASE if side not in ("media",) else 0)) for side, pattern in _SIDE_WORDS]
NEWS_AGENCIES = re.compile(
    r"^(?:the\s+)?(?:Reuters|AFP|Agence\s+France-Presse|Associated\s+Press|AP|Al\s+Jazeera|BBC|CNN|Telegraph|Guardian|Independent|"
    r"New\s+York\s+Times|Washington\s+Post|Anadolu|DPA|Xinhua|ANSA|Press\s+TV|news\s+agency)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F\u0600-\u06FF][\w’'.\-]*")
_STOP_CAPITALS = {
    "the", "a", "an", "but", "however", "in", "on", "it", "if", "and", "as", "at", "by", "for", "from", "he", "she", "they",
    "we", "i", "this", "that", "there", "these", "those", "while", "when", "after", "before", "also", "meanwhile", "even",
    "only", "both", "some", "many", "most", "all", "president", "captain", "colonel", "general", "dr", "mr", "mrs", "ms",
    "minister", "foreign", "secretary", "ambassador", "chief", "head", "spokesman", "according", "hours", "days", "asked",
    "looking", "unless", "why", "what", "our", "his", "her", "its", "their", "syrian", "russian", "turkish", "kurdish",
    "lebanese", "iranian", "american", "western", "islamist", "shia", "sunni", "arab", "french", "british", "palestinian",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "footage", "reports", "rebels",
    "government", "forces", "army", "humanitarian", "residents", "two", "three", "around", "about", "more", "over",
    "pro-government", "anti-government", "pro-opposition", "opposition", "syrians", "russians", "jihadist", "islamic",
    # sentence openers and headings of news copy, number words, month abbreviations: never looked up as places
    "separately", "yesterday", "update", "bulletin", "statement", "under", "within", "through", "nearly", "daily",
    "shelling", "fighting", "missiles", "warplanes", "gunmen", "buses", "aid", "electricity", "thousands", "tens",
    "hundreds", "dozens", "eight", "nine", "ten", "four", "five", "six", "seven", "twenty", "barrel", "state",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "village", "town", "city",
}
PLACE_KIND_WORDS = r"(?:district|neighbou?rhood|province|governorate|camp|countryside|city|town|village|area|quarter|prison|airport|air\s+base|hospital|base|crossing|citadel|academy|academies|college|factory|suburb|road|highway)"
_PLACE_TOKEN = r"(?:(?<![\w’'-])(?:al|el|ad|an|ar|as|ash|at|az|ed|es|er|ibn|bin|bani|bab|tal|tel|deir|kafr|jabal|jebel)[-‑‐ ])?[A-Z\u00C0-\u00DE][\w’'\u00C0-\u024F-]*"
_DIRECTION = r"(?:(?:north|south|east|west)(?:ern)?|(?:north|south)-?(?:east|west)(?:ern)?|central|rebel-held|opposition-held|government-held|regime-held)"
_PLACE_PHRASE = re.compile(
    rf"(?:\b{_DIRECTION}\s+)?(?:{_PLACE_TOKEN})(?:\s+(?:(?:of|al|el|ad|de|du|des)\s+)?(?:{_PLACE_TOKEN}))*(?:\s+{PLACE_KIND_WORDS}\b)?"
)
_AFTER_NAME_VERB = re.compile(r"^\s*(?:said|says|told|added|,\s+(?:a|the|an)\s+\w+)", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|outside|toward|towards|into|around|(?:north|south|east|west)(?:ern)?\s+of|of\s+the\s+capital|capital)\s+$")
GEOCODE_MIN_SCORE = 0.85  # of 1; a geocoder scoring out of 100 is rescaled
GEONAMES_MIN_SCORE = 0.99  # the world gazetteer is matched exactly only: it knows towns called "Assad" and "Bashar"
_PLACE_CONTEXT = re.compile(
    r"\b(?:in|at|near|of|into|from|outside|around|on|toward|towards|across|to|inside|for|over|through|between|and|reach(?:ed)?|"
    r"retook|recaptured|captured|seized|took|takes|entered|besieged|shelled|hit|struck|bombed|declared|lost|abandoned|stormed|reached|reaches|"
    r"retreated\s+from|out\s+of|parts\s+of|control\s+of)\s+(?:the\s+)?(?:[a-z][\w’'-]*\s+){0,3}$"
)


# A verb of capture or loss right before a name: the name is a place even when the gazetteer lacks it.
_TAKEN_BEFORE = re.compile(r"\b(?:took|takes|taken|captured|captures|seized|seizes|stormed|lost|abandoned|retook|retakes|recaptured|"
                           r"pull(?:ed|s)?\s+out\s+of|retreated\s+from)\s+(?:control\s+of\s+)?(?:the\s+)?$")


@dataclass(frozen=True)
class ActorMention:
    """An actor named in the text: the words, the actor id (None when unknown) and its side."""

    start: int
    end: int
    text: str
    actor_id: str | None
    side: str
    rule: str


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text and what the geocoder made of it (place_id None when it found nothing)."""

    start: int
    end: int
    text: str
    name: str
    place_id: str | None
    kind: str
    lat: float | None
    lon: float | None
    precision_m: float | None
    score: float
    is_ambiguous: bool
    rule: str


def side_of_words(text: str) -> str | None:
    """The side a generic phrase speaks for, from the side lexicon ("a monitor" -> monitor).

    >>> side_of_words("pro-government media outlets"), side_of_words("Two rebel groups"), side_of_words("the cat")
    ('government', 'opposition', None)
    """
    best: tuple[int, int, str] | None = None
    for side, pattern in _SIDE_PATTERNS:
        for match in pattern.finditer(text):
            # the head of an English noun phrase comes last, so the match ending last (then the longest) wins
            key = (match.end(), match.end() - match.start(), side)
            if best is None or key[:2] > best[:2]:
                best = key
    if best and best[2] == "international" and re.search(r"\bU\.?S\.?-backed\b", text):
        return side_of_words(re.sub(r"\bU\.?S\.?-backed\b", "", text))
    return best[2] if best else None


def find_actors(text: str, offset: int, actors, on: date | None = None) -> list[ActorMention]:
    """Actor mentions in `text`, longest alias first, then the generic side words for what is left."""
    tokens = [(m.start(), m.end(), m.group(0).rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.){2,}", m.group(0)) else m.group(0))
              for m in _TOKEN.finditer(text)]
    found: list[ActorMention] = []
    taken = [False] * len(tokens)
    if actors is not None:
        starts, ends = _alias_first_words(actors), _alias_last_words(actors)
        token_keys = _cache_of(actors, "_extract_token_keys")
        for token in tokens:
            if token[2] not in token_keys:
                words = name_key(token[2].replace("-", " ")).split(" ")
                token_keys[token[2]] = (words[0], words[-1])
        for size in range(6, 0, -1):
            # right to left: in "Syrian government forces" the head ("government forces") names the actor
            for i in reversed(range(len(tokens) - size + 1)):
                if any(taken[i : i + size]):
                    continue
                first = token_keys[tokens[i][2]][0]
                if starts is not None and first and first not in starts and not (size > 1 and first in ("the", "a", "an")):
                    continue  # no alias begins with this word: skip the lookup (most n-grams of a sentence)
                last = token_keys[tokens[i + size - 1][2]][1]
                if ends is not None and last and last not in ends:
                    continue  # nor ends with this one (a phrase key ends as its last word's key does)
                words = [t[2] for t in tokens[i : i + size]]
                phrase = " ".join(words)
                if size == 1 and len(phrase) <= 3 and not phrase.isupper():
                    continue  # "us", "is", "un" are words, not US, IS, UN
                if size == 1 and phrase.lower() in ("the", "a", "an", "of", "independent"):
                    continue
                actor_id = resolve_actor(actors, phrase, on) if phrase else None
                if actor_id is None and size > 1 and words[0].lower() == "the":
                    continue
                if actor_id:
                    start, end = tokens[i][0], tokens[i + size - 1][1]
                    found.append(ActorMention(offset + start, offset + end, text[start:end], actor_id,
                                              actors.sides.get(actor_id, ""), "actor:alias"))
                    for k in range(i, i + size):
                        taken[k] = True
    for side, pattern in _SIDE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(m.start - offset < end and start < m.end - offset for m in found):
                continue
            found.append(ActorMention(offset + start, offset + end, match.group(0), None, side, "actor:side-word"))
    # "east of Damascus", "in Moscow": a capital named as a place is not its government acting
    found = [m for m in found if not (m.text[:1].isupper() and " " not in m.text.strip()
                                      and _PLACE_PREPOSITION.search(text[: m.start - offset]))]
    return sorted(found, key=lambda m: m.start)


def _alias_last_words(actors) -> set[str] | None:
    """The last word of every alias key of the table (None when the table does not expose its keys)."""
    cache = _cache_of(actors, "_extract_last_words")
    if "words" not in cache:
        keys = getattr(actors, "_by_key", None)
        cache["words"] = {key.split(" ")[-1] for key in keys} if keys else None
    return cache["words"]


def _alias_first_words(actors) -> set[str] | None:
    """The first word of every alias key of the table (None when the table does not expose its keys)."""
    cache = _cache_of(actors, "_extract_first_words")
    if "words" not in cache:
        keys = getattr(actors, "_by_key", None)
        cache["words"] = {key.split(" ")[0] for key in keys} if keys else None
    return cache["words"]


def find_place_phrases(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Capitalised phrases that may name a place (offsets into the whole text); "Syria’s Idlib" is two phrases."""
    out = []
    for match in _PLACE_PHRASE.finditer(text):
        pieces, cursor = [], match.start()
        for part in re.finditer(r"[’']s\s+", match.group(0)):
            pieces.append((cursor, match.start() + part.start() + 2))
            cursor = match.start() + part.end()
        pieces.append((cursor, match.end()))
        for start, end in pieces:
            found = _clean_place_phrase(text, start, end)
            if found:
                out.append((offset + found[0], offset + found[1], found[2]))
    return out


_EVENT_NOUN_OF = re.compile(r"^(?:Siege|Battle|Fall|Capture|Liberation|Recapture|Road|Attack|Bombing|Shelling|Siege|Outskirts|Edge|Centre|Center)\s+of\s+")


def _clean_place_phrase(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    lead = _EVENT_NOUN_OF.match(text[start:end])
    if lead and lead.end() < end - start:
        start += lead.end()  # "Siege of Nubl": the place is Nubl
    words = text[start:end].split()
    while words and words[0].lower().strip("’'") in _STOP_CAPITALS:
        start += len(words[0]) + 1
        words = words[1:]
        while start < len(text) and text[start] == " ":
            start += 1
    if not words:
        return None
    if re.search(r"[’']s$", text[start:end]):
        end -= 2  # "Syria’s stockpile": the place is Syria
    phrase = text[start:end]
    if not phrase or phrase.lower() in _STOP_CAPITALS or re.fullmatch(r"[A-Z]{1,3}", phrase):
        return None
    if phrase.startswith("-") or re.fullmatch(r"[\w-]+-(?:based|backed|run|held|led|declared|controlled|linked|allied)", phrase) \
            or re.fullmatch(r"(?:Twenty|Thirty|Forty|Fifty|Sixty|Seventy|Eighty|Ninety)(?:-\w+)?", phrase):
        return None  # "Britain-based", "-declared", "Twenty-seven": not names of places
    if text[end:end + 2] in ("’s", "'s") and _AFTER_NAME_VERB.match(text[end + 2:]):
        return None
    return start, end, phrase


def phrase_variants(phrase: str) -> list[str]:
    """The forms a place phrase is asked in, longest first: as written, without its kind word, without its direction.

    >>> phrase_variants("eastern Sukkari district")
    ['eastern Sukkari district', 'eastern Sukkari', 'Sukkari']
    """
    tries = [phrase]
    bare = re.sub(rf"\s+{PLACE_KIND_WORDS}$", "", phrase, flags=re.IGNORECASE)
    if bare != phrase:
        tries.append(bare)
    undirected = re.sub(rf"^{_DIRECTION}\s+", "", bare, flags=re.IGNORECASE)
    if undirected != bare:
        tries.append(undirected)
    return tries


def geocode_phrase(geocoder, phrase: str, *, near=None):
    """Ask the geocoder for a phrase, then for it without its kind word; None when nothing fits well enough."""
    if geocoder is None:
        return None
    tries = phrase_variants(phrase)
    outside = None
    cache = _cache_of(geocoder, "_extract_geocode_cache")
    for attempt in tries:
        key = (attempt, near)
        if key in cache:
            match = cache[key]
        else:
            try:
                match = geocoder.geocode(attempt, near=near) if near is not None else geocoder.geocode(attempt)
            except (TypeError, ValueError, LookupError):
                match = None
            if len(cache) < _CACHE_LIMIT:
                cache[key] = match
        if match is None:
            continue
        score = match_score(match)
        if getattr(match, "place_id", None) is None:
            if score >= GEONAMES_MIN_SCORE and outside is None:
                outside = match  # kept in case our gazetteer knows none of the shorter forms
            continue
        if score >= GEOCODE_MIN_SCORE:
            return match
    return outside


_CACHE_LIMIT = 20_000


_RESOLVED_LIMIT = 200_000


def resolve_actor(actors, name: str, on: date | None = None) -> str | None:
    """`actors.resolve(name, on)`, remembered on the (unchanging) alias table: articles name the same groups again and again."""
    cache = _cache_of(actors, "_extract_resolved")
    key = (name, on)
    if key not in cache:
        if len(cache) >= _RESOLVED_LIMIT:
            cache.clear()
        cache[key] = actors.resolve(name, on)
    return cache[key]


def _cache_of(owner, name: str) -> dict:
    """A lookup cache kept on the (long-lived) geocoder or alias table itself; a plain dict when it takes no attributes."""
    try:
        return owner.__dict__.setdefault(name, {})
    except AttributeError:
        return {}


def match_score(match) -> float:
    """A geocoder's score on a 0..1 scale."""
    score = float(getattr(match, "score", 1.0) or 0.0)
    return score / 100.0 if score > 1.0 else score


_KIND_HINTS = {"town": ("town", "village"), "towns": ("town", "village"), "village": ("village", "town"), "villages": ("village", "town"),
               "city": ("city",), "district": ("neighbourhood", "district"), "neighbourhood": ("neighbourhood",),
               "neighborhood": ("neighbourhood",), "camp": ("camp",), "province": ("governorate",)}


def _kind_from_context(match, before: str):
    """An ambiguous name settled by the word before it ("the towns of Nubl and Zahra" means towns)."""
    hint = re.search(r"\b(towns?|villages?|city|district|neighbou?rhood|camp|province)\s+(?:of\s+)?(?:[\w’'-]+\s+(?:and|,)\s+)?$", before, re.I)
    if not hint:
        return None
    kinds = _KIND_HINTS.get(hint.group(1).lower().replace("neighborhood", "neighbourhood"), ())
    fitting = [c for c in getattr(match, "candidates", ()) if getattr(c, "kind", "") in kinds]
    if len(fitting) != 1:
        return None
    chosen = fitting[0]
    from types import SimpleNamespace

    return SimpleNamespace(place_id=chosen.place_id, name=chosen.name, lat=chosen.lat, lon=chosen.lon, kind=chosen.kind,
                           precision_m=chosen.precision_m, provider=chosen.provider, score=chosen.score,
                           is_ambiguous=False, alternatives=())


def find_places(text: str, offset: int, geocoder, *, near=None, exclude: list[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Place mentions in `text` resolved through the geocoder; without one, names after a preposition (place_id None)."""
    found = []
    for start, end, phrase in find_place_phrases(text, offset):
        for left, right in exclude:
            if left <= start < right < end:
                # "government-held al-Furqan": the side word is an actor, the rest still names a place
                trimmed = text[right - offset : end - offset]
                start, phrase = end - len(trimmed.lstrip()), trimmed.lstrip()
        if not phrase or any(start < right and left < end for left, right in exclude):
            continue
        if re.search(r"\b(?:President|Captain|Colonel|General|Minister|Dr|Mr|Mrs|Ms|Sheikh|Abu|Umm)\.?\s+$", text[: start - offset]):
            continue  # part of a person's name
        match = geocode_phrase(geocoder, phrase, near=near)
        if match is not None and getattr(match, "is_ambiguous", False):
            match = _kind_from_context(match, text[max(0, start - offset - 30) : start - offset]) or match
        if match is None:
            # unknown to the gazetteer (or no geocoder): keep a name that reads as a place, without coordinates
            listed = bool(found) and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[found[-1].end - offset : start - offset])
            if not (_PLACE_CONTEXT.search(text[: start - offset]) or listed) or text[end - offset : end - offset + 2] in ("’s", "'s"):
                continue
            listed_after = bool(found) and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[found[-1].end - offset : start - offset])
            if re.fullmatch(r"[A-Z][a-z]+", phrase) and geocoder is not None and not _TAKEN_BEFORE.search(text[: start - offset]) \
                    and not listed_after:
                continue  # one ordinary capitalised word the gazetteer does not know: too often not a place
            found.append(PlaceMention(start, end, phrase, phrase, None, "", None, None, None, 0.0, False, "place:name-only"))
            continue
        found.append(PlaceMention(
            start, end, phrase, match.name, match.place_id, match.kind, match.lat, match.lon, match.precision_m,
            match_score(match), bool(getattr(match, "is_ambiguous", False)),
            f"place:geocoder:{getattr(match, 'provider', '')}",
        ))
    return found
