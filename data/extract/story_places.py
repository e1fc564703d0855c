"""Where a candidate event happened: places named in a sentence, the city an article is about and its parts,
sites beside a town, and places referred back to ("the town").

`ctx` is the article's reading state (`extraction._Context`): the text, the geocoder, the focus, the places seen.
"""

from __future__ import annotations

import re
from collections import Counter

from data.extract import events as ev
from data.extract.mentions import PLACE_KIND_WORDS, PlaceMention, find_places, geocode_phrase, match_score
from data.extract.sentences import Sentence


_FINE_KINDS = ("neighbourhood", "facility", "base", "camp", "crossing", "road", "area", "village", "town", "city", "district", "subdistrict")


_KIND_RANK = {"country": 0, "governorate": 1, "district": 2, "subdistrict": 3, "city": 4, "town": 4, "village": 5,
              "area": 5, "neighbourhood": 6, "camp": 6, "road": 6, "crossing": 7, "base": 7, "facility": 7}


def places_in(ctx, sentence: Sentence, exclude, near=None) -> list[PlaceMention]:
    places = find_places(sentence.text, sentence.start, ctx.geocoder, exclude=exclude, near=near)
    if ctx.geocoder is None:
        return places
    if not ev.find_triggers(sentence.text):
        return places  # a site is worth asking the gazetteer for only where something happened
    return sorted(places + facility_places(ctx, sentence, places), key=lambda p: p.start)


_FACILITY = re.compile(r"\b(?:(?:central\s+)?prison|airport|air\s+base|hospital|citadel|(?:military|artillery)\s+(?:academy|academies|college|school)|"
                       r"(?:armament|technical)\s+(?:school|college)|cement\s+factory|(?:border\s+)?crossing)\b", re.I)


def facility_places(ctx, sentence: Sentence, places: list[PlaceMention], *, use_focus: bool = False) -> list[PlaceMention]:
    """A facility word next to a known place may name a site the gazetteer knows ("Aleppo prison").

    With `use_focus`, a facility word with no town near it is asked of the city the article is about.
    """
    extra = []
    for word in _FACILITY.finditer(sentence.text):
        start, end = sentence.start + word.start(), sentence.start + word.end()
        if any(p.start <= start < p.end for p in places):
            continue
        near = [p for p in places if p.kind in ("city", "town", "neighbourhood") and p.place_id and abs(p.start - start) < 80]
        if not near and use_focus and ctx.focus is not None and ctx.focus.kind in ("city", "town") and ctx.focus.place_id:
            near = [ctx.focus]
        for place in near[:1]:
            facility = re.sub(r"^central\s+", "", word.group(0).lower())
            key = f"{place.name} {facility}"
            if key not in ctx.place_cache:
                ctx.place_cache[key] = geocode_phrase(ctx.geocoder, key) or (
                    geocode_phrase(ctx.geocoder, facility, near=place.place_id) if " " in facility else None)
            match = ctx.place_cache[key]
            if match is not None and match.place_id and match.place_id != place.place_id:
                extra.append(PlaceMention(start, end, sentence.text[word.start():word.end()], match.name, match.place_id,
                                          match.kind, match.lat, match.lon, match.precision_m,
                                          match_score(match), bool(getattr(match, "is_ambiguous", False)),
                                          "place:facility-of-place"))
    return extra


def cities_of(geocoder, places: list[PlaceMention]) -> dict:
    """The city each named place lies in, as a mention of that city (from the gazetteer's parents)."""
    if not hasattr(geocoder, "ancestors") or not hasattr(geocoder, "place"):
        return {}
    out = {}
    for mention in places:
        if not mention.place_id or mention.place_id in out or mention.kind in ("city", "town", "country", "governorate"):
            continue
        try:
            for parent_id in geocoder.ancestors(mention.place_id):
                parent = geocoder.place(parent_id)
                if parent.kind in ("city", "town"):
                    out[mention.place_id] = PlaceMention(mention.start, mention.start, parent.name, parent.name, parent_id, parent.kind,
                                                         parent.lat, parent.lon, parent.precision_m, 1.0, False, "place:city-of-named")
                    break
        except Exception:  # a place the gazetteer cannot place in a city
            continue
    return out


def reads_as_place(text: str, place: PlaceMention) -> bool:
    """A name the gazetteer lacks that the words around it make a place: "in the al-Maadi district", "towns of X"."""
    before = text[max(0, place.start - 30) : place.start]
    after = text[place.end : place.end + 20]
    return bool(re.search(rf"\b(?:{PLACE_KIND_WORDS})\s*$", place.text, re.I) or re.match(rf"\s+(?:{PLACE_KIND_WORDS})\b", after, re.I)
                or re.search(r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?$", before, re.I))


def focus_place(places: list[PlaceMention], headline: list[PlaceMention] = (), city_of: dict | None = None) -> PlaceMention | None:
    """The city or town the article is mostly about: the most often named (the headline counts three times).

    `city_of` maps a place id to the city mention that holds it (a neighbourhood counts for its city).

    A town named once is the focus only when no other town is named.
    """
    def towns_of(found):
        return [p for p in found if p.kind in ("city", "town")] or [p for p in found if p.kind not in ("country", "governorate")]

    towns = towns_of(list(places) + list(headline) * 3)
    if not towns:
        return None
    counts = Counter(p.place_id or p.name for p in towns)
    for p in places:
        city = city_of.get(p.place_id) if city_of else None
        if city is not None and city.place_id != p.place_id:
            counts[city.place_id] += 1  # "Sukkari", "eastern Aleppo": places of the city vote for it
            towns.append(city)
    ranked = counts.most_common(2)
    best, count = ranked[0]
    if count < 2 and len(counts) > 1:
        return None
    if len(ranked) > 1 and ranked[1][1] == count:
        return None  # two towns named as often: no single focus
    return next(p for p in towns if (p.place_id or p.name) == best)


_PART_OF_CITY = re.compile(
    r"(?<![-‑])\b(?:(?P<dir>east|west|north|south)(?:ern)?\s+(?:(?:rebel|opposition|government)[-‑]held\s+)?(?P<noun>districts?|neighbou?rhoods?|part|parts|side|half|edge|outskirts|enclave|sector|quarters?)|"
    r"(?:the\s+)?(?P<dir2>east|west)\s+of\s+the\s+city|"
    r"(?P<held>rebel|opposition|government|regime)[-‑](?:held|controlled)\s+(?:districts?|neighbou?rhoods?|areas?|parts?|east|west|sector|enclave)|"
    r"the\s+(?:(?:besieged|rebel)\s+)?(?P<enclave>enclave|besieged\s+east|east)\b(?!\s+of\b)(?!ern))",
    re.IGNORECASE,
)


def parts_of_focus(ctx, sentence: Sentence, places: list[PlaceMention]) -> list[PlaceMention]:
    """Parts of the focus city named without its name ("the eastern districts", "the enclave"), asked of the gazetteer."""
    focus = ctx.focus
    if focus is None or focus.kind != "city":
        return []
    out = []
    for match in _PART_OF_CITY.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if any(p.start < end and start < p.end for p in places):
            continue
        if re.match(r"\s+(?:(?:of|in)\s+)?(?:the\s+)?(?-i:[A-Z])", sentence.text[match.end():]):
            continue  # "eastern districts of Homs", "opposition-held areas in Aleppo": the named place says it
        direction = (match.group("dir") or match.group("dir2") or "").lower()
        held = (match.group("held") or "").lower()
        if held in ("rebel", "opposition") or match.group("enclave"):
            direction = direction or "east" if held or match.group("enclave") else direction
        if held in ("government", "regime"):
            phrase = f"{held}-held {focus.name}"
        else:
            phrase = f"{direction}ern {focus.name}" if direction else ""
        if not phrase:
            continue
        key = "part:" + phrase.lower()
        if key not in ctx.place_cache:
            ctx.place_cache[key] = geocode_phrase(ctx.geocoder, phrase) or (
                geocode_phrase(ctx.geocoder, f"{'western' if held in ('government', 'regime') else 'eastern'} {focus.name}") if held else None)
        found = ctx.place_cache[key]
        if found is None or not found.place_id or found.place_id == focus.place_id:
            continue
        out.append(PlaceMention(start, end, match.group(0), found.name, found.place_id, found.kind, found.lat, found.lon,
                                found.precision_m, match_score(found), False, "place:part-of-focus"))
    return out


def choose_place(places: list[PlaceMention], trigger_pos: int, *, before_first: bool = False) -> PlaceMention | None:
    """The place a trigger speaks of: the finest named, nearest after the trigger, else nearest before it.

    `before_first` for a passive verb ("the centres in X had been hit"): its subject, and place, come before it.
    """
    if not places:
        return None
    finest = max(_KIND_RANK.get(p.kind, 4) for p in places)
    candidates = [p for p in places if _KIND_RANK.get(p.kind, 4) >= min(finest, 4)] or places
    after = [p for p in candidates if p.start >= trigger_pos]
    before = [p for p in candidates if p.start < trigger_pos]
    if before_first and before:
        return max(before, key=lambda p: p.start)
    if after:
        return min(after, key=lambda p: p.start - trigger_pos)
    return max(before, key=lambda p: p.start)


ANAPHOR = re.compile(r"\bthe\s+(?:same\s+|nearby\s+|besieged\s+)?(?P<kind>town|city|village|district|neighbou?rhood|base|air\s+base|camp|enclave|area|prison|hospital|suburb)\b(?!\s+of\b)", re.I)


_ANAPHOR_KINDS = {"town": ("town", "city", "village"), "city": ("city", "town"), "village": ("village", "town"),
                  "district": ("neighbourhood", "district", "area"), "neighbourhood": ("neighbourhood", "district", "area"),
                  "neighborhood": ("neighbourhood", "district", "area"), "base": ("base", "town"), "air base": ("base", "town"),
                  "camp": ("camp",), "enclave": ("area", "city", "town"), "area": ("area", "neighbourhood", "town", "village"),
                  "prison": ("facility",), "hospital": ("facility",), "suburb": ("neighbourhood", "area", "town")}


def referred_place(ctx, clause, sentence: Sentence) -> PlaceMention | None:
    """"driven out of the town": the last place of that kind named before this sentence."""
    match = ANAPHOR.search(clause.text)
    if match is None:
        return None
    kind = re.sub(r"\s+", " ", match.group("kind").lower())
    if kind == "city" and ctx.focus is not None and ctx.focus.kind == "city":
        return ctx.focus  # in a report about a city, "the city" is that city
    for wanted in _ANAPHOR_KINDS.get(kind, ()):  # the kind the word names first ("the town": a town before a city)
        for place in reversed(ctx.seen_places):
            if place.start < sentence.start and place.kind == wanted and place.place_id:
                return place
    return None


def is_inside(geocoder, place_id: str | None, container: str | None) -> bool:
    """True when the gazetteer puts `place_id` inside `container` ("rebel-held areas" inside the city)."""
    if not place_id or not container or not hasattr(geocoder, "ancestors"):
        return False
    try:
        return container in geocoder.ancestors(place_id)
    except Exception:  # a place the gazetteer does not hold
        return False
