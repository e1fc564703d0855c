"""From one article's text to candidate events and claims, each with its evidence span, rule and confidence."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from rapidfuzz import fuzz

from data.extract import attribution as attr
from data.extract import dates as dt
from data.extract import events as ev
from data.extract import relays as relays_mod
from data.extract.confidence import RULE_FLOOR, calibrate_claim, calibrate_event
from data.extract.mentions import ActorMention, PlaceMention, find_actors, find_places, resolve_actor, side_of_words
from data.extract.quantities import Quantity, find_quantities
from data.extract.sentences import Sentence, Span, segment
from data.extract.story_dates import advance_story_date, date_from_headline, event_date, fallback_window, resolve_mention
from data.extract.story_places import (ANAPHOR, choose_place, cities_of, facility_places, focus_place, is_inside, parts_of_focus,
                                        places_in, reads_as_place, referred_place)

_PEOPLE_UNITS = re.compile(r"\b(?:people|civilians|militants|fighters|soldiers|troops|rebels|prisoners|children|women|refugees|"
                           r"doctors|killed|injured|displaced|trapped|dead|wounded|casualties|persons|residents|men)\b", re.I)
_PERSON_HINT = re.compile(r"\b(?:he|she|his|her|spokesman|spokeswoman|commander|fighter|officer|official|activist|resident|"
                          r"volunteer|captain|colonel|chief|head|ambassador|minister|coordinator|director|envoy)\b", re.I)


@dataclass
class CandidateEvent:
    """An event the text seems to report; every field is a suggestion for the analyst."""

    candidate_id: str
    event_type: str
    sub_event_type: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    date_rule: str
    place_name: str
    place_id: str | None
    place_kind: str
    lat: float | None
    lon: float | None
    precision_m: float | None
    place_rule: str
    actor1_name: str
    actor1_id: str | None
    actor1_side: str
    actor2_name: str
    actor2_id: str | None
    actor2_side: str
    fatalities_low: int | None
    fatalities_high: int | None
    summary: str
    trigger: str
    trigger_start: int
    trigger_end: int
    span_start: int
    span_end: int
    rule: str
    confidence: float
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rule_score: float = 0.0  # the rules' own score from the wording; `confidence` is the calibrated probability

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("date_start", "date_end"):
            out[key] = out[key].isoformat() if out[key] else None
        out["mentions"] = [list(m) for m in self.mentions]
        return out


@dataclass
class CandidateClaim:
    """Who said what about which candidate event, with the figure they gave."""

    candidate_id: str
    event_ref: str | None
    claimant: str
    claimant_actor_id: str | None
    claimant_side: str
    relayed_by: str
    stance: str
    statement: str
    claim_date: date | None
    quantity: float | None
    quantity_bound: str
    unit: str
    span_start: int
    span_end: int
    claimant_start: int
    claimant_end: int
    rule: str
    confidence: float
    rule_score: float = 0.0  # the rules' own score; `confidence` is the calibrated probability

    def to_dict(self) -> dict:
        out = asdict(self)
        out["claim_date"] = self.claim_date.isoformat() if self.claim_date else None
        return out


@dataclass
class Extraction:
    """Everything found in one text: its date, its candidate events, claims and figures, and what was skipped."""

    outlet: str | None
    published: date | None
    published_basis: str
    published_window: tuple[date, date] | None
    events: list[CandidateEvent]
    claims: list[CandidateClaim]
    quantities: list[Quantity]
    skipped: list[tuple[int, int, str]]

    def to_dict(self) -> dict:
        return {
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "published_basis": self.published_basis,
            "published_window": [d.isoformat() for d in self.published_window] if self.published_window else None,
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "quantities": [q.to_dict() for q in self.quantities],
            "skipped": [{"span_start": s, "span_end": e, "reason": r} for s, e, r in self.skipped],
        }


@dataclass
class _Context:
    """State shared while one article is read."""

    text: str
    published: date | None
    window: tuple[date, date] | None
    actors: object
    geocoder: object
    outlet: str | None
    focus: PlaceMention | None = None
    attributions: list = field(default_factory=list)
    min_confidence: float = 0.35
    events: list[CandidateEvent] = field(default_factory=list)
    claims: list[CandidateClaim] = field(default_factory=list)
    article_actors: list[ActorMention] = field(default_factory=list)
    place_cache: dict = field(default_factory=dict)
    # The story's date so far: the year the paragraph tells, and the last date a sentence stated.
    paragraph: int = -1
    seen_places: list[PlaceMention] = field(default_factory=list)
    year_context: int | None = None
    carried: dt.DateWindow | None = None
    carried_paragraph: int = -1
    # Wires the copy came through: the article's credited wire, and one a paragraph reports ("according to Reuters").
    article_wire: str = ""
    article_wire_rule: str = ""
    paragraph_wire: str = ""


def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def extract(text: str, *, outlet: str | None = None, published=None, actors=None, geocoder=None,
            min_confidence: float = 0.35) -> Extraction:
    """Candidate events and claims of one article (plain text); nothing is fetched, nothing is stored.

    `published` (a date or ISO string) anchors relative dates; without it a dateline or the text's own clues are used.
    `actors` is a `data.model.actors.ActorIndex` (names to actor ids, by date); `geocoder` has `geocode(name, near=...)`.
    Every candidate's `confidence` is calibrated (`data.extract.confidence`); events below `min_confidence` are left out.
    """
    published_date = _as_date(published)
    window = None
    if published_date is not None:
        basis = "given"
    else:
        stated = dt.find_dateline(text)
        if stated:
            published_date = stated[0]
            basis = f"stated: dateline at characters {stated[1]}-{stated[2]}"
        else:
            guess = dt.infer_published(text, not_before=_named_since(text, actors))
            if guess:
                window = (guess.start, guess.end)
                basis = guess.basis
            else:
                basis = "unknown: no dateline and no dating clue found"
    ctx = _Context(text, published_date, window, actors, geocoder, outlet, min_confidence=RULE_FLOOR)
    credits = [c for c in relays_mod.article_credits(text) if not (outlet and relays_mod.same_report(c.wire, outlet))]
    if credits:
        ctx.article_wire, ctx.article_wire_rule = credits[0].wire, credits[0].rule
    seg = segment(text)
    ctx.article_actors = [m for s in seg.sentences for m in find_actors(s.text, s.start, actors, on=published_date)]
    date_from_headline(ctx, seg)
    per_sentence = []
    for sentence in seg.sentences:
        attributions = attr.find_attributions(sentence.text, sentence.start)
        actors_here = [m for m in ctx.article_actors if sentence.start <= m.start < sentence.end]
        actor_spans = [(m.start, m.end) for m in actors_here]
        places = places_in(ctx, sentence, actor_spans)
        per_sentence.append([sentence, attributions, actors_here, places])
    headline_places = [p for span, reason in seg.skipped if reason == "headline"
                       for p in find_places(span.text, span.start, geocoder) if p.place_id or geocoder is None]
    named = [p for _, _, _, places in per_sentence for p in places if p.place_id or geocoder is None]
    ctx.focus = focus_place(named, headline_places, cities_of(geocoder, named))
    if ctx.focus is not None and ctx.focus.place_id and geocoder is not None:
        # Ambiguous names ("Zahra": a town, or a district of the city the article is about) are asked again near it.
        for row in per_sentence:
            if any(p.is_ambiguous for p in row[3]):
                spans = [(m.start, m.end) for m in row[2]]
                # "Nubl and Zahraa": near the town named beside it, else near the city the article is about
                beside = next((p for p in row[3] if p.place_id and not p.is_ambiguous and p.kind in ("town", "village")), None)
                row[3] = places_in(ctx, row[0], spans, near=(beside or ctx.focus).place_id)
        # "the east", "government-held districts": a part of the city the article is about.
        for row in per_sentence:
            extra = parts_of_focus(ctx, row[0], row[3])
            if ev.find_triggers(row[0].text):  # a site is worth asking the gazetteer for only where something happened
                extra += facility_places(ctx, row[0], row[3], use_focus=True)
            if extra:
                row[3] = sorted(row[3] + extra, key=lambda p: p.start)
    quantities: list[Quantity] = []
    for index, (sentence, attributions, actors_here, places) in enumerate(per_sentence):
        if sentence.paragraph != ctx.paragraph:
            ctx.paragraph, ctx.year_context, ctx.paragraph_wire = sentence.paragraph, None, ""
        found = find_quantities(sentence.text, sentence.start)
        quantities.extend(found)
        ctx.attributions = attributions
        new_events = _events_in(ctx, sentence, attributions, actors_here, places, found)
        _claims_in(ctx, index, sentence, attributions, new_events, found, per_sentence)
        advance_story_date(ctx, sentence, attributions)
        ctx.seen_places.extend(p for p in places if p.place_id)
    for event in ctx.events:
        if event.date_start is None:
            fallback = fallback_window(ctx)
            if fallback:
                event.date_start, event.date_end, event.date_precision, event.date_rule = fallback
                event.confidence = round(event.confidence * 0.9, 3)
        event.summary = _summary(event)
    for event in ctx.events:
        event.rule_score = event.confidence
        event.confidence = calibrate_event(event)
    kept = [e for e in ctx.events if e.rule_score >= RULE_FLOOR and e.confidence >= min_confidence]
    kept_ids = {e.candidate_id for e in kept}
    claims = []
    for claim in ctx.claims:
        if claim.event_ref not in kept_ids:
            claim.event_ref = None
        claim.rule_score = claim.confidence
        claim.confidence = calibrate_claim(claim)
        claims.append(claim)
    skipped = [(span.start, span.end, reason) for span, reason in seg.skipped]
    return Extraction(outlet, published_date, basis, window, kept, claims, quantities, skipped)


def clear_text_caches() -> None:
    """Forget the per-text caches of triggers and dates (a benchmark's rounds should not reuse them)."""
    ev._find_triggers.cache_clear()
    dt._find_dates.cache_clear()


def _named_since(text: str, actors) -> tuple[date, str] | None:
    """The latest day a group's name came into use, for names the text uses: it cannot be older than that."""
    if actors is None:
        return None
    best = None
    for mention in find_actors(text, 0, actors):
        if not mention.actor_id or len(actors.lineage(mention.actor_id)) < 2:
            continue
        name = mention.text
        if actors.resolve(name, date(1950, 1, 1)) == mention.actor_id:
            continue  # the name was in use from the start
        low, high = date(1950, 1, 1).toordinal(), date(2100, 1, 1).toordinal()
        if actors.resolve(name, date.fromordinal(high)) != mention.actor_id:
            continue
        while high - low > 1:  # the first day the name resolves to itself
            middle = (low + high) // 2
            if actors.resolve(name, date.fromordinal(middle)) == mention.actor_id:
                high = middle
            else:
                low = middle
        since = date.fromordinal(high)
        if best is None or since > best[0]:
            best = (since, f"the name '{name}' is in use only from {since.isoformat()}")
    return best


# ---- events -------------------------------------------------------------------------------------------------

def _events_in(ctx, sentence, attributions, actors_here, places, quantities) -> list[CandidateEvent]:
    # Speakers and the outlets relaying them are not parties to the event.
    claimant_spans = [(min(a.claimant_start, a.verb_start), max(a.claimant_end, a.verb_start)) for a in attributions]
    created: list[CandidateEvent] = []
    for clause in sentence.clauses:
        triggers = [(t, m) for t, m in ev.find_triggers(clause.text)
                    if not any(s <= clause.start + m.start() < e for s, e in claimant_spans)]
        strong = [(t, m) for t, m in triggers if not (t.rule == "clash" and ev.is_weak(m.group(0)))]
        if strong and any(t.rule != "clash" for t, _ in strong):
            strong = [(t, m) for t, m in strong if t.rule != "clash"] or strong
        if not strong and triggers:
            strong = triggers[:1]
        seen_types = set()
        for trigger, match in strong:
            event = _event_from_trigger(ctx, sentence, clause, trigger, match, actors_here, places, quantities, claimant_spans, created)
            if event is None or (event.event_type, event.sub_event_type, event.place_id or event.place_name) in seen_types:
                continue
            seen_types.add((event.event_type, event.sub_event_type, event.place_id or event.place_name))
            listed = places  # a list may go on with names the gazetteer lacks ("Mayer and Maarasta al-Khan")
            for one in [event, *_coordinated(sentence, clause, event, listed)]:
                merged = _merge(ctx, one)
                if merged not in created:
                    created.append(merged)
    return created


_LIST_GAP = re.compile(r"^[\s,]*(?:,|and\b|&)\s*(?:and\s+)?(?:the\s+)?(?:[a-z][\w’'-]*\s+){0,3}$")


def _coordinated(sentence, clause, event: CandidateEvent, places: list[PlaceMention]) -> list[CandidateEvent]:
    """"retook A, B and C": one event per listed place, each a copy of the first (not a cross product: one verb, its objects)."""
    if not event.place_name or event.place_rule.startswith("place:article") or event.event_type not in ("Battles", "Explosions/Remote violence"):
        return []
    if event.event_type != "Battles":
        # "shells hit A and B": only a list the verb governs directly, not places named further on
        named = next((p for p in places if p.place_id == event.place_id and p.name == event.place_name), None)
        if named is None:
            return []
        left, right = sorted((named.start, event.trigger_end if named.start >= event.trigger_end else event.trigger_start))
        between = ctx_text_between(sentence, left, right)
        if right - left > 60 or ("," in between and not re.search(r",\s+(?:hitting|striking|targeting|including)\b", between)):
            return []
    chosen = next((p for p in places if p.place_id == event.place_id and p.name == event.place_name and p.start >= event.trigger_start), None)
    chosen = chosen or next((p for p in places if p.place_id == event.place_id and p.name == event.place_name
                             and clause.start <= p.start < event.trigger_start), None)
    if chosen is None:
        return []
    following = [c for c in sentence.clauses if c.start >= clause.end]
    reach = clause.end
    if following and re.match(r"\s*and\b", following[0].text) and not ev.find_triggers(following[0].text):
        reach = following[0].end
    listed, previous = [], chosen
    for place in sorted((p for p in places if chosen.end <= p.start < reach), key=lambda p: p.start):
        gap = sentence.text[previous.end - sentence.start : place.start - sentence.start]
        if not _LIST_GAP.match(gap) or place.kind in ("country", "governorate") or (place.place_id or place.name) == (previous.place_id or previous.name):
            break
        listed.append(place)
        previous = place
    following_place = chosen
    for place in sorted((p for p in places if clause.start <= p.start < chosen.start), key=lambda p: p.start, reverse=True):
        gap = sentence.text[place.end - sentence.start : following_place.start - sentence.start]
        if not _LIST_GAP.match(gap) or place.kind in ("country", "governorate") or (place.place_id or place.name) == (following_place.place_id or following_place.name):
            break
        listed.append(place)  # "the prison and the Kuweires air base are surrounded": the list before the verb
        following_place = place
    copies = []
    for place in listed:
        copy = CandidateEvent(**{**event.__dict__, "mentions": [(event.span_start, event.span_end)]})
        for key, value in (("place_name", place.name), ("place_id", place.place_id), ("place_kind", place.kind),
                           ("lat", place.lat), ("lon", place.lon), ("precision_m", place.precision_m)):
            setattr(copy, key, value)
        copy.place_rule = "place:listed-with-" + (chosen.place_id or chosen.name)
        copy.span_end = max(copy.span_end, place.end)
        copy.confidence = round(copy.confidence * 0.95, 3)
        copies.append(copy)
    return copies


def ctx_text_between(sentence, left: int, right: int) -> str:
    """The sentence's text between two offsets of the whole text."""
    return sentence.text[max(0, left - sentence.start) : max(0, right - sentence.start)]


def _event_actors(clause_start, clause_end, trigger_start, trigger_end, clause_text, actors_here, claimant_spans, on):
    """actor1 (who acted) and actor2 (against whom) from the trigger's clause; passive "by X" flips them."""
    usable = [m for m in actors_here if m.side not in ev.NON_COMBATANT_SIDES
              and not any(s <= m.start < e for s, e in claimant_spans)
              and not re.search(r"[-‑](?:held|controlled|backed|led|linked|run|allied)$", m.text)
              and not re.match(r"[-‑](?:held|controlled|backed|led|linked|run|allied)\b", clause_text[m.end - clause_start:m.end - clause_start + 12])]
    in_clause = [m for m in usable if clause_start <= m.start < clause_end]
    before = [m for m in in_clause if m.start < trigger_end and not (m.start >= trigger_start and m.end > trigger_end)]
    after = [m for m in in_clause if m.start >= trigger_end]
    passive = (re.match(r"\s+(?:\w+\s+){0,2}?by\s+", clause_text[trigger_end - clause_start:])
               and re.search(r"\b(?:been|was|were|is|are|be|being|get|got)\s+(?:\w+\s+)?$", clause_text[: trigger_start - clause_start]))
    actor1 = actor2 = None
    rule = "actors:clause"
    if passive and after:
        actor1 = after[0]
        actor2 = before[-1] if before else next((m for m in after[1:] if m.side != actor1.side), None)
        rule = "actors:passive"
    else:
        # The subject opens the clause: "X, which ..., took" and "X backed by Y took" both mean X.
        actor1 = before[0] if before else None
        if actor1 is not None and actor1.actor_id is None and len(before) > 1 and before[1].actor_id:
            # "Fighters of the Old Front": the generic word is followed by the group's name
            gap = clause_text[actor1.end - clause_start : before[1].start - clause_start]
            if re.fullmatch(r"\s+(?:of|from|with|loyal\s+to|belonging\s+to)\s+(?:the\s+)?", gap):
                actor1 = before[1]
        if actor1 is None:
            earlier = [m for m in usable if m.end <= trigger_start and m.start < clause_start]
            actor1 = earlier[-1] if earlier else None
            rule = "actors:sentence-subject" if actor1 else rule
        actor2 = next((m for m in after if actor1 is None or m.side != actor1.side), None)
        if actor1 is not None and actor2 is None:
            actor2 = next((m for m in reversed(before[:-1]) if m.side != actor1.side), None)
    return actor1, actor2, rule


def _event_from_trigger(ctx, sentence, clause, trigger, match, actors_here, places, quantities, claimant_spans, created):
    t_start, t_end = clause.start + match.start(), clause.start + match.end()
    wording = clause.text
    if trigger.rule == "border-closure":
        # "was not allowing them to enter": the negation is the closure itself, not a doubt about it
        wording = clause.text[: match.start()] + re.sub(r"^not\b", "   ", match.group(0)) + clause.text[match.end():]
    confidence = trigger.confidence * ev.irrealis_factor(wording, match.start())
    if trigger.rule == "truce" and re.search(r"\b(?:announc\w+|declar\w+|said|says|agreed|ordered)\b", sentence.text, re.I) \
            and not re.search(r"\b(?:if|unless|not|never|refused|rejected)\b", clause.text, re.I):
        confidence = trigger.confidence  # announcing a pause to come is itself the event ("would halt strikes on Thursday")
    if re.search(r"\b(?:not|never)\b|n['’]t\b", match.group(0), re.I):
        confidence *= 0.35  # "the second phase ... has not begun"
    if re.search(r"\b(?:without|no|free\s+of)\s+(?:any\s+|further\s+|new\s+)?$", clause.text[: match.start()], re.I):
        confidence *= 0.35  # "a day without air strikes": what did not happen
    if trigger.rule == "clash" and ev.is_weak(match.group(0)):
        confidence *= 0.75
    if any(a.content_start <= t_start < a.content_end and a.stance in ("denies", "disputes") for a in ctx.attributions):
        confidence *= 0.5  # told only by someone denying or disputing: a counter-claim, not a report
    elif any(a.content_start <= t_start < a.content_end and a.stance == "uncertain" and a.rule.startswith("claim:speech")
             for a in ctx.attributions):
        confidence *= 0.6  # a speaker's guess ("may be trying to ...")
    if ev.is_historical(clause.text):
        confidence *= 0.6
    if trigger.rule == "offensive-start" and re.search(r"\bsince\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,2}$", clause.text[: match.start()], re.I) \
            and any(e.confidence >= RULE_FLOOR for e in ctx.events):
        # "killed since the campaign began on September 22": the campaign the report is about, told again to
        # date a toll; it dates that story rather than making a new event (as the seed's curators read it)
        confidence *= 0.5
    actor1, actor2, actor_rule = _event_actors(clause.start, clause.end, t_start, t_end, clause.text, actors_here,
                                               claimant_spans, ctx.published)
    if actor1 is None or actor_rule == "actors:sentence-subject":
        speaker = _speaker_as_agent(ctx, clause, t_start)
        if speaker is not None:
            actor1, actor_rule = speaker, "actors:speaker-pronoun"
    side1 = actor1.side if actor1 else None
    side2 = actor2.side if actor2 else None
    if side2 is None:
        held = re.search(r"\b(rebel|opposition|government|regime|insurgent)[-‑](?:held|controlled)\b", clause.text, re.I)
        if held:
            side2 = side_of_words(held.group(1))
    sub = ev.decide_sub_type(trigger, side1, side2)
    if trigger.rule == "hit-passive" and re.search(r"\b(?:bomb\w*|air\s*-?strikes?|air\s*raids?|jets?|warplanes?|aircraft|helicopters?)\b", sentence.text, re.I):
        sub = "Air/drone strike"  # "have been hit in bombing": struck from the air
    if side1 is None and trigger.sub_event_type is None:
        # "they had broken the siege" with no one named: the same story as the article's earlier report of it
        earlier = next((e for e in ctx.events if e.rule.startswith(f"event:{trigger.rule}+") and e.confidence >= ctx.min_confidence
                        and e.actor1_side), None)
        if earlier is not None:
            sub = earlier.sub_event_type
            actor_rule = "actors:same-story"
    # place
    # a name the gazetteer does not know is used only when nothing it knows is named nearby
    known = [p for p in places if p.place_id or ctx.geocoder is None]
    unknown = [p for p in places if p not in known]
    clause_places = [p for p in known if clause.start <= p.start < clause.end]
    clause_unknown = [p for p in unknown if clause.start <= p.start < clause.end]
    # a passive verb's place is its subject's, before it; so is the country that closes "its borders with Syria"
    passive_trigger = trigger.rule in ("hit-passive", "border-closure") or re.match(r"(?:was|were|are|is|been|being)\b", match.group(0), re.I)
    place = choose_place(clause_places, t_start, before_first=bool(passive_trigger))
    if place is not None and place.rule == "place:part-of-focus":
        # "on the southern edge of the city, in the Ramouseh area": a name right after it says where
        refined = next((p for p in clause_places if p.rule != "place:part-of-focus" and 0 <= p.start - place.end <= 30), None)
        place = refined or place
    right_after = ANAPHOR.match(ctx.text, t_end + 1) if ctx.text[t_end:t_end + 1] == " " else None
    if right_after is not None:
        referred = referred_place(ctx, Span(t_end + 1, right_after.end(), right_after.group(0)), sentence)
        if referred is not None:
            place = referred  # "enter the city": the city the story is about, not a place named later
    governed = next((p for p in clause_unknown if 0 <= p.start - t_end <= 25
                     and re.fullmatch(r"\s*(?:(?:from|of|in|into|at|near|out\s+of|parts?\s+of|most\s+of|control\s+of|the)\s+)*",
                                      ctx.text[t_end:p.start], re.I)), None)
    if governed is not None and (place is None or place.start < t_start or place.start > governed.start):
        place = governed  # "retreated from parts of Tariq al-Bab": the name right after the verb, known or not
    if place is None and (clause_unknown and not known or any(reads_as_place(ctx.text, p) for p in clause_unknown)):
        usable = [p for p in clause_unknown if not known or reads_as_place(ctx.text, p)]
        # "the X hospital in the al-Maadi district": the district locates the site
        areas = [p for p in usable if re.search(r"\b(?:district|neighbou?rhood|town|village|area|quarter)\b", ctx.text[p.start:p.end + 15], re.I)]
        place = choose_place(areas or usable, t_start)
    places = known
    place_rule = place.rule if place else ""
    placeless = trigger.rule in ("diplomacy",)
    previous = _previous_sentence_event(ctx, sentence)
    if place is None and not placeless:
        other = [p for p in places if p.kind != "country"]
        referred = referred_place(ctx, clause, sentence)
        if referred is not None:
            place, place_rule = referred, "place:the-town-named-before"
        elif len({p.place_id or p.name for p in other}) == 1:
            place, place_rule = other[0], "place:only-place-in-sentence"
        elif not other and previous is not None and previous.place_name:
            place = next(p for p in [_place_of(previous)])
            place_rule = "place:previous-sentence"
        elif not other and ctx.focus is not None and (trigger.event_type != "Strategic developments"
                                                      or trigger.rule in ("truce", "withdrawal")):
            place, place_rule = ctx.focus, "place:article-focus"
            confidence *= 0.9
    # date
    date_window, date_rule = event_date(ctx, sentence, clause, t_start, created, trigger.rule)
    if date_window is None and previous is not None and previous.date_start and not previous.date_rule.startswith("default") and place_rule == "place:previous-sentence":
        date_window = dt.DateWindow(previous.date_start, previous.date_end, previous.date_precision, "previous-sentence")
        date_rule = "date:previous-sentence"
    if date_window is not None and date_window.rule in ("since_month", "since_year", "since_md") and ctx.published and \
            (ctx.published - date_window.start).days > 366:
        confidence *= 0.6  # "divided since 2012": a state of affairs, not a new event
    fatalities = [q for q in quantities if clause.start <= q.start < clause.end and "killed" in q.unit]
    low = high = None
    if fatalities:
        q = fatalities[0]
        low = int(q.low) if q.low is not None else None
        high = int(q.high) if q.high is not None else None
    event = CandidateEvent(
        candidate_id="", event_type=trigger.event_type, sub_event_type=sub,
        date_start=date_window.start if date_window else None, date_end=date_window.end if date_window else None,
        date_precision=date_window.precision if date_window else "", date_rule=date_rule,
        place_name=place.name if place else "", place_id=place.place_id if place else None,
        place_kind=place.kind if place else "", lat=place.lat if place else None, lon=place.lon if place else None,
        precision_m=place.precision_m if place else None, place_rule=place_rule,
        actor1_name=actor1.text if actor1 else "", actor1_id=actor1.actor_id if actor1 else None, actor1_side=side1 or "",
        actor2_name=actor2.text if actor2 else "", actor2_id=actor2.actor_id if actor2 else None, actor2_side=side2 or "",
        fatalities_low=low, fatalities_high=high, summary="", trigger=match.group(0), trigger_start=t_start, trigger_end=t_end,
        span_start=clause.start, span_end=clause.end, rule=f"event:{trigger.rule}+{actor_rule}",
        confidence=round(min(confidence * (1.0 if place else 0.85), 0.95), 3), mentions=[(clause.start, clause.end)],
    )
    return event


def _speaker_as_agent(ctx: _Context, clause, trigger_start: int) -> ActorMention | None:
    """"Rebels said they had seized X": the pronoun right after the speech verb is the speaker."""
    for item in ctx.attributions:
        if not (item.content_start <= trigger_start < item.content_end) or item.claimant_start >= trigger_start:
            continue
        said = ctx.text[item.content_start : trigger_start]
        if re.match(r"^\s*(?:(?:on|late\s+on|early\s+on)\s+\w+(?:\s+night)?\s+|yesterday\s+|today\s+)?(?:that\s+)?(?:they|we|its\s+fighters|their\s+fighters|it)\b", said, re.I):
            found = [m for m in find_actors(item.claimant, item.claimant_start, ctx.actors, on=ctx.published)
                     if m.side not in ev.NON_COMBATANT_SIDES]
            if found:
                return found[-1]
    return None


def _previous_sentence_event(ctx: _Context, sentence: Sentence) -> CandidateEvent | None:
    """The last confident event told in the sentence just before, in the same paragraph (the story goes on)."""
    for event in reversed(ctx.events):
        if event.confidence < ctx.min_confidence:
            continue
        last = max(end for _, end in event.mentions)
        if last <= sentence.start and ctx.text[last:sentence.start].count("\n") == 0 and sentence.start - last < 400:
            return event
        return None
    return None


def _place_of(event: CandidateEvent) -> PlaceMention:
    return PlaceMention(event.span_start, event.span_start, event.place_name, event.place_name, event.place_id, event.place_kind,
                        event.lat, event.lon, event.precision_m, 1.0, False, event.place_rule)


def _overlaps(a: CandidateEvent, b: CandidateEvent) -> bool:
    """Two reports of one event: one of them undated, or both with the same window.

    Fighting told on consecutive days ("launched the offensive on Friday", "battles continued on Saturday") is one battle.
    """
    if a.date_start is None or b.date_start is None or a.date_rule.startswith("default") or b.date_rule.startswith("default"):
        return True
    if ev.rule_family(a.rule) == ev.rule_family(b.rule) == "clash" and a.date_precision == b.date_precision == "day":
        return abs((a.date_start - b.date_start).days) <= 1
    return (a.date_start, a.date_end) == (b.date_start, b.date_end)


def _same_place(a: CandidateEvent, b: CandidateEvent) -> bool:
    if not a.place_name or not b.place_name:
        return True
    return (a.place_id or a.place_name) == (b.place_id or b.place_name)


def _guessed_place(event: CandidateEvent) -> bool:
    return event.place_rule in ("place:article-focus", "place:previous-sentence", "place:only-place-in-sentence")


def _merge(ctx: _Context, event: CandidateEvent) -> CandidateEvent:
    """Fold a repeated report of one event into the candidate already found; otherwise add it."""
    weak = event.confidence < ctx.min_confidence
    for known in ctx.events:
        if known.confidence < ctx.min_confidence:
            continue
        if ev.rule_family(known.rule) != ev.rule_family(event.rule) and not (
                known.place_id and known.place_id == event.place_id and not _guessed_place(known) and not _guessed_place(event)):
            continue  # different wording and no place named in both: maybe two events
        territory = {ev.rule_family(known.rule), ev.rule_family(event.rule)} <= {"territory-taken", "territory-regained"}
        if (known.event_type, known.sub_event_type) != (event.event_type, event.sub_event_type) and not (
                territory and known.place_id and known.place_id == event.place_id):
            continue  # (a place changing hands told twice, once by who lost it, is one event whoever is named)
        same_place = _same_place(known, event) or (weak and is_inside(ctx.geocoder, event.place_id, known.place_id)) or (
            # "hospitals have been hit in bombing" after "air strikes on opposition-held neighbourhoods": the city-wide
            # retelling of a finer event already told, same kind, same days
            event.place_kind in ("city", "town") and is_inside(ctx.geocoder, known.place_id, event.place_id)
            and _overlaps(known, event))
        if not (same_place and _overlaps(known, event)):
            continue
        if weak:
            # a doubtful retelling (a denial, a guess) is one more mention, but changes nothing
            known.mentions.append((event.span_start, event.span_end))
            return known
        if event.place_name and not known.place_name:
            for key in ("place_name", "place_id", "place_kind", "lat", "lon", "precision_m", "place_rule"):
                setattr(known, key, getattr(event, key))
        if event.date_start and (not known.date_start or known.date_rule.startswith("default")
                                 or (event.date_end - event.date_start) < (known.date_end - known.date_start)):
            known.date_start, known.date_end, known.date_precision, known.date_rule = (
                event.date_start, event.date_end, event.date_precision, event.date_rule)
        for n in ("1", "2"):
            if not getattr(known, f"actor{n}_name") and getattr(event, f"actor{n}_name"):
                for key in ("name", "id", "side"):
                    setattr(known, f"actor{n}_{key}", getattr(event, f"actor{n}_{key}"))
        if known.fatalities_low is None and event.fatalities_low is not None:
            known.fatalities_low, known.fatalities_high = event.fatalities_low, event.fatalities_high
        known.mentions.append((event.span_start, event.span_end))
        known.confidence = round(min(0.95, max(known.confidence, event.confidence) + 0.05), 3)
        return known
    event.candidate_id = f"ev-{len(ctx.events) + 1}"
    ctx.events.append(event)
    return event


def _summary(event: CandidateEvent) -> str:
    """A one-line description in our own words, built from the fields (never copied from the article)."""
    who = event.actor1_name or "unidentified actor"
    against = f" against {event.actor2_name}" if event.actor2_name else ""
    where = f" at {event.place_name}" if event.place_name else ""
    when = f" ({event.date_start.isoformat()}" + (f" to {event.date_end.isoformat()})" if event.date_end != event.date_start else ")") if event.date_start else ""
    return f"{event.sub_event_type}: {who}{against}{where}{when}"


# ---- claims -------------------------------------------------------------------------------------------------

def _split_coordinated(claimant: str, start: int) -> list[tuple[str, int]]:
    """"X and Y said" is two speakers; "the Russian and Syrian governments" is not split."""
    parts = re.split(r"\s+and\s+", claimant)
    if len(parts) != 2:
        return [(claimant, start)]
    left, right = parts
    if len(left.split()) == 1 and re.search(r"(?:ian|ese|ish|an)$", left) and left[0].isupper():
        return [(claimant, start)]
    if len(right.split()) > 12 or not right.strip():
        return [(claimant, start)]
    left_clean = re.sub(r"^(?:both|the\s+)?\s*", "", left, flags=re.I) if left.lower().startswith("both ") else left
    left_start = start + (len(left) - len(left_clean))
    return [(left_clean.strip(), left_start), (right.strip(), start + claimant.index(right, len(left)))]


def _claimant_actor(ctx: _Context, claimant: str, start: int, on: date | None) -> tuple[str | None, str, str]:
    """The actor a speaker speaks for: an alias in the phrase, else the side words plus the article's one actor of that side."""
    mentions = find_actors(claimant, start, ctx.actors, on=on)
    usable = []
    for m in mentions:
        before = claimant[: m.start - start]
        if re.search(r"\b(?:to|in|at|from|against|between)\s+(?:the\s+)?$", before, re.I):
            continue  # "ambassador to the UN", "in Washington": not who the speaker is
        usable.append(m)
    aliased = [m for m in usable if m.actor_id]
    if aliased:
        chosen = aliased[0] if not re.match(r"^\s*(?:a|an|the)?\s*\w*\s*(?:spokes\w+|fighter|commander|official|officer|member|head|chief|coordinator)\s+(?:for|with|of|in)\b", claimant, re.I) else aliased[-1]
        return chosen.actor_id, chosen.side, "claimant:alias"
    side = side_of_words(claimant) or (usable[-1].side if usable else "")
    if side:
        same_side = {m.actor_id for m in ctx.article_actors if m.actor_id and m.side == side}
        if len(same_side) == 1 and side in ("monitor",):
            return next(iter(same_side)), side, "claimant:article-coreference"
        head = _head_alias(ctx, claimant, on)
        if head:
            return head, ctx.actors.sides.get(head, side), "claimant:head-noun"
        return None, side, "claimant:side-words"
    return None, "", "claimant:unknown"


def _head_alias(ctx: _Context, claimant: str, on: date | None) -> str | None:
    """The actor a generic head noun stands for in the alias table ("Assad's army" -> "the army")."""
    if ctx.actors is None:
        return None
    words = re.findall(r"[\w-]+", claimant)
    heads = [" ".join(words[-2:])] if len(words) >= 2 else []
    heads += list(reversed(words))
    for head in heads:
        if head.lower() in ("the", "a", "an", "of", "and", "groups", "group", "sources", "officials"):
            continue
        variants = [head, f"the {head}"]
        if head.endswith("s"):
            variants.append(head[:-1])
        else:
            variants.append(head + "s")
        for variant in variants:
            found = resolve_actor(ctx.actors, variant, on)
            if found:
                return found
    return None


def _claim_date(ctx: _Context, sentence: Sentence, attribution: attr.Attribution) -> date | None:
    """The day a statement was made ("said on Saturday", "told AFP on Monday"), else the publication date."""
    near = sentence.text[max(0, attribution.verb_start - sentence.start - 3): attribution.verb_start - sentence.start + 40]
    for mention in dt.find_dates(near):
        if mention.kind in ("weekday", "yesterday", "today", "md", "dm", "dmy", "mdy", "last_weekday"):
            window = resolve_mention(ctx, mention, False, None)
            if window and window.start == window.end:
                return window.start
    return ctx.published


def _pick_quantity(quantities: list[Quantity], start: int, end: int) -> Quantity | None:
    inside = [q for q in quantities if start <= q.start < end]
    if not inside:
        return None
    people = [q for q in inside if _PEOPLE_UNITS.search(q.unit)]
    return (people or inside)[0]


def _events_for(ctx: _Context, new_events, start: int, end: int, index: int, per_sentence) -> list:
    """Every event reported inside what was said (one claim each); else the one event the sentence is about, or None."""
    inside = [e for e in new_events if start <= e.trigger_start < end]
    if any(e.place_rule.startswith("place:listed-with") for e in inside):
        return inside
    return [_event_for(ctx, new_events, start, end, index, per_sentence)]


def _event_for(ctx: _Context, new_events, start: int, end: int, index: int, per_sentence) -> CandidateEvent | None:
    """The event a statement is about: one triggered inside what was said, else in the sentence, else just before."""
    inside = [e for e in new_events if any(start <= s < end for s, _ in e.mentions) or start <= e.trigger_start < end]
    if inside:
        return inside[0]
    if new_events:
        return new_events[0]
    if index > 0:
        previous = per_sentence[index - 1][0]
        recent = [e for e in ctx.events if any(previous.start <= s < previous.end for s, _ in e.mentions)]
        if recent:
            return recent[-1]
    return None


def _claims_in(ctx, index, sentence, attributions, new_events, quantities, per_sentence) -> None:
    new_events = [e for e in new_events if e.confidence >= ctx.min_confidence]
    spoken = [(a.claimant_start, a.claimant_end) for a in attributions]
    quantities = [q for q in quantities if not any(s <= q.start < e for s, e in spoken)]
    relays = [a for a in attributions if attr.is_news_agency(a.claimant)]
    speakers = [a for a in attributions if a not in relays] if len(attributions) > len(relays) else attributions
    relay_name = relays[0].claimant if relays and speakers is not attributions else ""
    reporting_wire = next((relays_mod.wire_name(a.claimant) for a in relays
                           if a.rule == "claim:according-to" or relays_mod.is_wire_reporting(a.verb)), "")
    made = 0
    own_voice = []
    for attribution in speakers:
        claimant, start = attribution.claimant, attribution.claimant_start
        if _OWN_VOICE.match(claimant):
            own_voice.append(attribution)  # "according to our count", "the agency's correspondent": the outlet itself
            continue
        referred = _referred_speaker(ctx, claimant) if _SPEAKER_ANAPHOR.match(claimant) else None
        if claimant.lower() in ("he", "she", "they", "it", "we", "i") or referred is not None:
            previous = referred or _previous_speaker(ctx, claimant.lower())
            if previous is None:
                continue
            pieces = [(previous.claimant, None, previous)]
        else:
            pieces = [(text, piece_start, None) for text, piece_start in _split_coordinated(claimant, start)]
        for text, piece_start, copied in pieces:
            if copied is not None:
                actor_id, side, actor_rule = copied.claimant_actor_id, copied.claimant_side, "claimant:pronoun"
            else:
                earlier = _earlier_full_name(ctx, text)
                if earlier is not None:
                    text, actor_id, side, actor_rule = earlier.claimant, earlier.claimant_actor_id, earlier.claimant_side, "claimant:surname"
                else:
                    actor_id, side, actor_rule = _claimant_actor(ctx, text, piece_start, ctx.published)
            about = _events_for(ctx, new_events, attribution.content_start, attribution.content_end, index, per_sentence)
            quantity = _pick_quantity(quantities, attribution.content_start, attribution.content_end)
            for event in about:
                relayed_by, relay_rule = _chain_of(ctx, text, attribution.relayed_by, relay_name)
                claim = CandidateClaim(
                    candidate_id=f"cl-{len(ctx.claims) + 1}", event_ref=event.candidate_id if event else None,
                    claimant=text, claimant_actor_id=actor_id, claimant_side=side,
                    relayed_by=relayed_by, stance=attribution.stance, statement="",
                    claim_date=_claim_date(ctx, sentence, attribution),
                    quantity=quantity.value if quantity else None, quantity_bound=quantity.bound if quantity else "",
                    unit=quantity.hedged_unit if quantity else "", span_start=sentence.start, span_end=sentence.end,
                    claimant_start=piece_start if piece_start is not None else attribution.claimant_start,
                    claimant_end=(piece_start + len(text)) if piece_start is not None and ctx.text[piece_start:piece_start + len(text)] == text else attribution.claimant_end,
                    rule=f"{attribution.rule}+{actor_rule}{relay_rule}", confidence=round(attribution.confidence * (1.0 if actor_id or side else 0.8), 3),
                )
                claim.statement = _statement(claim, event)
                ctx.claims.append(claim)
                made += 1
    if reporting_wire:
        ctx.paragraph_wire = reporting_wire  # the paragraph goes on in that wire's words
    # A sentence with a named speaker is theirs (the seed's curators did not add the outlet's voice beside them),
    # unless the outlet speaks in it too ("according to our count").
    if made and not own_voice:
        return
    # Nobody named: the outlet itself reports the event or the figure (a habit it describes is not a report).
    if not new_events and not [q for q in quantities if _PEOPLE_UNITS.search(q.unit)]:
        return
    if ev.is_habitual(sentence.text) and not quantities:
        return
    event = new_events[0] if new_events else _event_for(ctx, new_events, sentence.start, sentence.end, index, per_sentence)
    quantity = _pick_quantity(quantities, sentence.start, sentence.end)
    outlet_id = ctx.actors.resolve(ctx.outlet) if ctx.actors is not None and ctx.outlet else None
    relayed_by, relay_rule = _chain_of(ctx, ctx.outlet or "the report", "", "")
    claim = CandidateClaim(
        candidate_id=f"cl-{len(ctx.claims) + 1}", event_ref=event.candidate_id if event else None,
        claimant=ctx.outlet or "the report", claimant_actor_id=outlet_id, claimant_side="media" if ctx.outlet else "",
        relayed_by=relayed_by, stance=attr.stance_of("reports", sentence.text), statement="", claim_date=ctx.published,
        quantity=quantity.value if quantity else None, quantity_bound=quantity.bound if quantity else "",
        unit=quantity.hedged_unit if quantity else "", span_start=sentence.start, span_end=sentence.end,
        claimant_start=sentence.start, claimant_end=sentence.start, rule=f"claim:reporter{relay_rule}", confidence=0.5,
    )
    claim.statement = _statement(claim, event)
    ctx.claims.append(claim)


_CORRESPONDENT = re.compile(r"^(?:an?\s+|the\s+)?(?P<outlet>.+?)(?:['’]s\s+|\s+(?=(?:correspondent|reporter|journalist|photographer|"
                            r"cameraman|stringer|witness)\b))", re.I)


def _chain_of(ctx: _Context, claimant: str, heard_by: str, sentence_wire: str) -> tuple[str, str]:
    """A claim's `relayed_by` chain, nearest the claimant first, and the rule that added a wire from beyond the sentence.

    A wire's dateline makes the whole story its copy: every claim ends with that wire (the seed's MaltaToday claims end
    with Reuters). A credit line ("AFP contributed", "Material from AP was used") does not say which paragraphs are the
    wire's, so it is given only to the outlet's own voice: that is where one wire printed by many papers would otherwise
    count as many voices; named speakers keep what their sentence says.
    """
    if claimant == "the report" or relays_mod.same_report(claimant, ctx.outlet or ""):
        chain = relays_mod.chain(ctx.paragraph_wire, ctx.article_wire, outlet=ctx.outlet)  # the outlet prints that wire's copy
        return chain, _relay_rule(ctx, chain, "")
    correspondent = _CORRESPONDENT.match(claimant)
    if not heard_by and correspondent and attr.is_news_agency(correspondent.group("outlet")):
        heard_by = correspondent.group("outlet")  # "Al Jazeera's Amro Halabi", "a Reuters witness": heard through that outlet
    in_sentence = relays_mod.chain(heard_by, sentence_wire, claimant=claimant, outlet=ctx.outlet)
    if attr.is_news_agency(claimant):
        return in_sentence, ""  # what a wire reports itself ("according to Reuters"): that wire is the origin
    whole_copy = ctx.article_wire if ctx.article_wire_rule == "relay:dateline" else ""
    chain = relays_mod.chain(heard_by, sentence_wire, ctx.paragraph_wire, whole_copy, claimant=claimant, outlet=ctx.outlet)
    return chain, _relay_rule(ctx, chain, in_sentence)


def _relay_rule(ctx: _Context, chain: str, said_in_sentence: str) -> str:
    """'+relay:paragraph' or '+relay:dateline'/'+relay:credit-line' when the chain took a wire from beyond the sentence."""
    if chain == said_in_sentence:
        return ""
    if ctx.paragraph_wire and ctx.paragraph_wire in chain.split("|"):
        return "+relay:paragraph"
    return f"+{ctx.article_wire_rule}" if ctx.article_wire_rule else ""


_OWN_VOICE = re.compile(r"^(?:(?:the|this)\s+agency(?:['’]s\s+(?:correspondent|reporter))?|our\s+(?:count|sources|correspondents?|reporters?|monitors|teams?|field\s+teams|documentation|records))$", re.I)
_SPEAKER_ANAPHOR = re.compile(r"^the\s+(?P<head>source|monitor|alliance|coalition|group|agency|ministry|official|commander|spokes(?:man|woman)|army|military|observatory|organi[sz]ation|charity|office)$", re.I)


def _referred_speaker(ctx: _Context, claimant: str) -> CandidateClaim | None:
    """"the source said": the speaker named before whose words hold that noun, else the last one with an actor."""
    head = _SPEAKER_ANAPHOR.match(claimant).group("head").lower()
    earlier = [c for c in reversed(ctx.claims) if not c.rule.startswith("claim:reporter")]
    for claim in earlier:
        if re.search(rf"\b{re.escape(head)}", claim.claimant, re.I):
            return claim
    if head in ("alliance", "coalition", "group", "organisation", "organization"):
        return next((c for c in earlier if c.claimant_actor_id and c.claimant_side not in ("media",)), None)
    return None


def _previous_speaker(ctx: _Context, pronoun: str) -> CandidateClaim | None:
    for claim in reversed(ctx.claims[-6:]):
        if claim.rule.startswith("claim:reporter"):
            continue
        if pronoun in ("he", "she") and not (_PERSON_HINT.search(claim.claimant) or re.match(r"[A-Z]\w+\s+[A-Z]", claim.claimant)):
            continue
        return claim
    return None


def _earlier_full_name(ctx: _Context, name: str) -> CandidateClaim | None:
    """A bare surname ("Abdel Rahman", or "Abdurrahman" spelt another way) refers back to the speaker first named in full."""
    if not re.fullmatch(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}", name):
        return None
    squashed = re.sub(r"[^a-z]", "", name.lower())
    for claim in ctx.claims:
        head = claim.claimant.split(",")[0].strip()
        if head == name or not re.match(r"[A-Z]", head):
            continue
        if head.endswith(name):
            return claim
        words = head.split()
        for size in (1, 2, 3):
            tail = re.sub(r"[^a-z]", "", " ".join(words[-size:]).lower())
            if len(squashed) >= 6 and len(tail) >= 6 and fuzz.ratio(squashed, tail) >= 80:
                return claim
    return None


_STANCE_WORDS = {"asserts": "says", "denies": "denies", "disputes": "disputes", "uncertain": "is unsure"}


def _statement(claim: CandidateClaim, event: CandidateEvent | None) -> str:
    """The claim in our own words, built from its fields (never a sentence of the article)."""
    about = f"{event.sub_event_type.lower()}" + (f" at {event.place_name}" if event.place_name else "") if event else "the situation"
    figure = ""
    if claim.quantity is not None:
        bound = {"lower": "at least ", "upper": "up to ", "approximate": "about "}.get(claim.quantity_bound, "")
        bare_unit = re.sub(r"\s*\([^()]*\)", "", claim.unit)  # the hedge is said by `bound` already
        figure = f"; figure: {bound}{claim.quantity:,.0f} {bare_unit}".rstrip()
    via = f" (via {', then '.join(claim.relayed_by.split('|'))})" if claim.relayed_by else ""
    return f"{claim.claimant.split(',')[0]} {_STANCE_WORDS[claim.stance]}: {about}{figure}{via}"
