"""Claim status of an event, computed from its claims by one rule written here and shown to users.

Three steps, each a function below: every claim gets an *origin* (where its information comes from) and a *voice*
(the independent voice that origin speaks with); every event gets the camp it *goes against*; then the status
follows from the stances of the voices. `add_claim_status` is the rule written plainly, one event at a time (the
tests' reference); `status_codes` is the same rule on integer arrays, for a million events at load.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from data.model.taxonomy import STATUSES

# Sides that speak for the same camp: a government and its allies corroborating each other is not independent.
CAMP_OF_SIDE = {"government_ally": "government"}
# Sides that fight: their voices are one per camp. Every other side (monitors, media, international bodies,
# humanitarian groups, analysts) speaks as one voice per origin.
PARTY_SIDES = ("government", "government_ally", "opposition", "jihadist", "isis", "sdf", "other")
PARTY_CAMPS = tuple(dict.fromkeys(CAMP_OF_SIDE.get(side, side) for side in PARTY_SIDES))
AGAINST_STANCES = ("denies", "disputes")
# Whose loss an event is: territory changing hands goes against the side that loses it (actor2, ACLED's convention);
# violence against civilians goes against its perpetrator (actor1). Other events go against no one: nobody can concede them.
AGAINST_ACTOR2_SUB_TYPES = ("Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory")
AGAINST_ACTOR1_TYPES = ("Violence against civilians",)

ORIGIN_RULE = (
    "A claim's **origin** is where its information comes from: the claimant, when the claimant is an actor other than a "
    "news outlet (a party, a monitor, a government), whichever outlet or wire carried it; otherwise the first report "
    "in `relayed_by` (the wire or outlet an outlet prints while speaking in its own voice); otherwise the outlet "
    "claimant itself. One claimant quoted by several outlets is one origin; one wire story printed by several papers "
    "is one origin. An origin counts only when it is an actor of the dataset (an unnamed official does not). "
    "Independent **voices**: the origins of one fighting camp are one voice (a government and its allies are one "
    "camp; the rebels another); every other origin (each monitor, outlet, wire, international body, aid group) is a "
    "voice of its own."
)
CLAIM_STATUS_RULE = (
    "**conceded**: the camp the event goes against asserts it (the side losing the territory; the perpetrator of "
    "violence against civilians), and no voice of that same camp denies or disputes it. A denial from another camp "
    "does not undo a concession; a denial from the conceding camp itself makes the event contested. "
    "**contested**: otherwise, any claimant denies or disputes the event. "
    "**corroborated**: otherwise, at least two independent voices assert it. "
    "**single-source**: otherwise, claims speak to it but fewer than two independent voices assert it. "
    "**unclaimed**: no claim in the data speaks to the event. " + ORIGIN_RULE
)


def camp_of(side: str) -> str:
    """The camp a party side fights in ('' for sides that are not parties)."""
    return CAMP_OF_SIDE.get(side, side) if side in PARTY_SIDES else ""


def first_relay(relayed_by: str) -> str:
    """The report nearest the claimant in a relay chain ('SANA|Reuters': Reuters printed what SANA said)."""
    return next((part.strip() for part in str(relayed_by or "").split("|") if part.strip()), "")


def origin_of(claimant: str, actor_id: str, relayed_by: str, sides: Mapping[str, str], resolve) -> tuple[str, str]:
    """(origin id, origin side) of one claim; the id is an actor id, or the relay's or claimant's own text
    (with side '') when it names no actor of the dataset. `resolve(name)` gives the actor id a name stands for."""
    side = sides.get(actor_id, "") if actor_id else ""
    if actor_id and side != "media":
        return actor_id, side
    relay = first_relay(relayed_by)
    if relay:
        found = resolve(relay)
        return (found, sides.get(found, "")) if found else (relay, "")
    if actor_id:
        return actor_id, side
    return str(claimant), ""


def voice_of(origin_id: str, origin_side: str) -> str:
    """The independent voice of an origin: its camp for a party, the origin itself otherwise; '' when it does not count."""
    if not origin_side:
        return ""
    camp = camp_of(origin_side)
    return f"camp:{camp}" if camp else f"origin:{origin_id}"


def claim_origins(claims: pd.DataFrame, sides: Mapping[str, str], names: Mapping[str, str], resolve) -> pd.DataFrame:
    """Per claim: `origin` (a name to show), `origin_id`, `origin_side`, `voice` and `camp` (the claimant's party camp).

    Computed once per distinct (actor, relay, claimant) and spread by codes: imports repeat the same few combinations,
    and the claimant's own text is looked at only where neither an actor nor a relay names the origin.
    """
    columns = ("origin", "origin_id", "origin_side", "voice", "camp")
    if claims.empty:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns}, index=claims.index)
    actor_codes, actors = pd.factorize(claims["claimant_actor_id"].fillna(""), use_na_sentinel=False)
    relay_codes, relays = pd.factorize(claims["relayed_by"].fillna(""), use_na_sentinel=False)
    actors, relays = [str(a) for a in actors], [str(r) for r in relays]
    party_actor = np.array([bool(a) and sides.get(a, "") != "media" for a in actors], dtype=bool)
    some_actor = np.array([bool(a) for a in actors], dtype=bool)
    some_relay = np.array([bool(first_relay(r)) for r in relays], dtype=bool)
    # the claimant's text names the origin only for claims with neither an actor nor a relay
    by_text = ~some_actor[actor_codes] & ~some_relay[relay_codes]
    key = actor_codes.astype(np.int64) * len(relays) + relay_codes
    key = np.where(party_actor[actor_codes], actor_codes.astype(np.int64) * len(relays), key)  # the relay does not matter
    texts: list[str] = []
    if by_text.any():
        text_codes, found = pd.factorize(claims["claimant"].iloc[np.flatnonzero(by_text)].astype(str), use_na_sentinel=False)
        texts = [str(t) for t in found]
        key[by_text] = len(actors) * len(relays) + text_codes
    codes, distinct = pd.factorize(key)
    rows = []
    for value in distinct:
        if value >= len(actors) * len(relays):
            actor, relay, claimant = "", "", texts[value - len(actors) * len(relays)]
        else:
            actor, relay, claimant = actors[value // len(relays)], relays[value % len(relays)], ""
        origin_id, origin_side = origin_of(claimant, actor, relay, sides, resolve)
        rows.append((names.get(origin_id, origin_id), origin_id, origin_side, voice_of(origin_id, origin_side),
                     camp_of(sides.get(actor, "")) if actor else ""))
    table = pd.DataFrame(rows, columns=list(columns))
    out = {name: pd.Categorical.from_codes(*_codes_of(table[name], codes)) for name in columns}
    return pd.DataFrame(out, index=claims.index)


def _codes_of(values: pd.Series, row_codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
    categories, inverse = np.unique(values.to_numpy(dtype=str), return_inverse=True)
    return inverse[row_codes].astype(np.int32), list(categories)


def against_positions(type_code: np.ndarray, sub_code: np.ndarray, actor1_pos: np.ndarray, actor2_pos: np.ndarray,
                      event_types: tuple[str, ...], sub_event_types: tuple[str, ...]) -> np.ndarray:
    """The row of the actor each event goes against (-1 for none), from integer codes into the taxonomy's tuples."""
    actor2 = np.isin(sub_code, [sub_event_types.index(s) for s in AGAINST_ACTOR2_SUB_TYPES if s in sub_event_types])
    actor1 = np.isin(type_code, [event_types.index(t) for t in AGAINST_ACTOR1_TYPES if t in event_types])
    return np.where(actor2, actor2_pos, np.where(actor1, actor1_pos, -1))


def against_sides(events: pd.DataFrame, sides: Mapping[str, str]) -> pd.Series:
    """The side each event goes against (see CLAIM_STATUS_RULE), '' when it goes against no one."""
    actor2 = events["sub_event_type"].isin(AGAINST_ACTOR2_SUB_TYPES)
    actor1 = events["event_type"].isin(AGAINST_ACTOR1_TYPES)
    whose = np.where(actor2, events["actor2_id"].astype(str), np.where(actor1, events["actor1_id"].astype(str), ""))
    distinct, codes = np.unique(whose.astype(str), return_inverse=True)
    side_of = np.array([sides.get(a, "") if a else "" for a in distinct], dtype=object)
    return pd.Series(side_of[codes] if len(codes) else [], index=events.index, dtype=object).astype(str)


def status_of(stances: list[str], voices: list[str], camps: list[str], against_camp: str) -> str:
    """The rule for one event, given each claim's stance, origin voice and claimant camp (see CLAIM_STATUS_RULE).

    >>> status_of(["asserts", "denies"], ["camp:opposition", "camp:government"], ["opposition", "government"], "opposition")
    'conceded'
    >>> status_of(["asserts", "asserts"], ["origin:reuters", "origin:reuters"], ["", ""], "")
    'single-source'
    """
    if not stances:
        return "unclaimed"
    conceding = against_camp and any(s == "asserts" and v == f"camp:{against_camp}" for s, v in zip(stances, voices))
    denied_by = [(v, c) for s, v, c in zip(stances, voices, camps) if s in AGAINST_STANCES]
    if conceding and not any(against_camp in (c, v.removeprefix("camp:")) for v, c in denied_by):
        return "conceded"
    if denied_by:
        return "contested"
    if len({v for s, v in zip(stances, voices) if s == "asserts" and v}) >= 2:
        return "corroborated"
    return "single-source"


def add_claim_status(events: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Set events['status'] (categorical) and events['n_claims'] by the rule written plainly, one event at a time.

    `claims` needs event_id, stance, voice and camp (as a Dataset's claims have); `events` needs event_id and may
    have against_camp. The loaded dataset computes the same with `status_codes`; a test checks they agree.
    """
    by_event: dict[str, list[tuple[str, str, str]]] = {}
    for event_id, stance, voice, camp in zip(claims["event_id"], claims["stance"], claims["voice"].astype(str), claims["camp"].astype(str)):
        if event_id:
            by_event.setdefault(event_id, []).append((stance, voice, camp))
    against = events["against_camp"].astype(str) if "against_camp" in events else pd.Series("", index=events.index)
    status, counts = [], []
    for event_id, against_camp in zip(events["event_id"], against):
        found = by_event.get(event_id, [])
        status.append(status_of([s for s, _, _ in found], [v for _, v, _ in found], [c for _, _, c in found], against_camp))
        counts.append(len(found))
    events["status"] = pd.Categorical(status, categories=list(STATUSES))
    events["n_claims"] = np.asarray(counts, dtype="int32")


def status_codes(n_events: int, event_pos: np.ndarray, stance: np.ndarray, voice: np.ndarray, camp: np.ndarray,
                 against_camp: np.ndarray, *, asserts: int, against_stances: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rule on integer codes: (status code into STATUSES, claims per event, independent voices taking a position).

    event_pos: each claim's event row (-1 for none); stance: stance codes; voice: a code per independent voice (-1
    when the origin does not count); camp and against_camp: party camp codes (-1 for none), the claimant's and the
    event's. Voices of a party camp share the camp's code, so `voice == against_camp` also reads "its camp".
    """
    linked = event_pos >= 0
    n_claims = np.bincount(event_pos[linked], minlength=n_events)
    position = linked & np.isin(stance, [asserts, *against_stances])
    denying = linked & np.isin(stance, against_stances)
    asserting = linked & (stance == asserts) & (voice >= 0)
    denied = np.zeros(n_events, dtype=bool)
    denied[event_pos[denying]] = True
    event_against = np.append(against_camp, -1)[np.where(linked, event_pos, n_events)]
    conceding = asserting & (voice == event_against) & (event_against >= 0)
    conceded = np.zeros(n_events, dtype=bool)
    conceded[event_pos[conceding]] = True
    own_denial = denying & (event_against >= 0) & ((camp == event_against) | (voice == event_against))
    self_denied = np.zeros(n_events, dtype=bool)
    self_denied[event_pos[own_denial]] = True
    n_voices = _distinct_per_event(n_events, event_pos[asserting], voice[asserting])
    n_speaking = _distinct_per_event(n_events, event_pos[position & (voice >= 0)], voice[position & (voice >= 0)])
    code = np.where(
        conceded & ~self_denied, 0,
        np.where(denied, 2, np.where(n_voices >= 2, 1, np.where(n_claims > 0, 3, 4))),
    )
    return code.astype(np.int8), n_claims.astype(np.int32), n_speaking.astype(np.int32)


def _distinct_per_event(n_events: int, event_pos: np.ndarray, values: np.ndarray) -> np.ndarray:
    """How many distinct values each event has (values are small non-negative integers); sorted, not hashed
    (numpy's hashed unique took 2 s on 1.5 million pairs, a sort 0.1 s)."""
    if event_pos.size == 0:
        return np.zeros(n_events, dtype=np.int64)
    width = int(values.max()) + 1
    pairs = np.sort(event_pos.astype(np.int64) * width + values.astype(np.int64))
    distinct = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    return np.bincount(distinct // width, minlength=n_events)


def _listed(phrases: list[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C, D and 2 more'."""
    phrases = list(dict.fromkeys(p for p in phrases if p))
    if len(phrases) > limit:
        phrases = [*phrases[:limit], f"{len(phrases) - limit} more"]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _verb(phrases: list[str], singular: str, plural: str = "") -> str:
    plural = plural or PLURALS.get(singular, singular)
    return singular if len(set(p for p in phrases if p)) == 1 else plural


PLURALS = {"asserts": "assert", "denies": "deny", "disputes": "dispute", "is": "are"}


def claim_phrase(claim: Mapping[str, object], names: Mapping[str, str]) -> str:
    """Who a claim comes from, in words: 'Syrian rebels (via Reuters)', 'Reuters (printed by MaltaToday)'."""
    actor = str(claim.get("claimant_actor_id") or "")
    relays = [part.strip() for part in str(claim.get("relayed_by") or "").split("|") if part.strip()]
    origin_id = str(claim.get("origin_id") or "")
    speaker = names.get(actor, "") if actor else ""
    speaker = speaker or names.get(str(claim.get("claimant") or ""), str(claim.get("claimant") or ""))
    if actor and origin_id == actor:
        own = {actor.replace("-", " ").casefold(), names.get(actor, actor).casefold()}
        relays = [relay for relay in relays if relay.casefold() not in own]  # Al Jazeera's correspondent via Al Jazeera
        return speaker + (f" (via {', '.join(relays)})" if relays else "")
    if relays and origin_id and origin_id != actor:
        printer = str(claim.get("outlet") or "") or speaker
        return f"{names.get(origin_id, str(claim.get('origin') or origin_id))} (printed by {printer})"
    return speaker + (f" (via {', '.join(relays)})" if relays else "")


def status_reason(status: str, claims, names: Mapping[str, str], against_side: str = "") -> str:
    """One sentence naming the claims that made an event's status, e.g.
    'contested: Jaish al-Fath asserts it (via Reuters); SANA denies it.'

    `claims` are the event's claims (a frame, or a list of dicts) with stance, claimant, claimant_actor_id, relayed_by,
    outlet, origin, origin_id, voice (as a Dataset's claims have).
    """
    rows = claims.to_dict("records") if isinstance(claims, pd.DataFrame) else list(claims)
    if status == "unclaimed" or not rows:
        return "unclaimed: no claim in the data speaks to this event."
    phrase = {i: claim_phrase(row, names) for i, row in enumerate(rows)}
    asserting = [i for i, row in enumerate(rows) if row["stance"] == "asserts"]
    counted = [i for i in asserting if str(rows[i].get("voice") or "")]
    against = {verb: [phrase[i] for i, row in enumerate(rows) if row["stance"] == verb] for verb in AGAINST_STANCES}
    objections = "; ".join(
        f"{_listed(who)} {_verb(who, verb)} it" for verb, who in against.items() if who
    )
    if status == "conceded":
        camp = camp_of(against_side)
        conceders = [phrase[i] for i in counted if rows[i]["voice"] == f"camp:{camp}"]
        others = [phrase[i] for i in asserting if phrase[i] not in conceders]
        text = f"conceded: {_listed(conceders)} {_verb(conceders, 'asserts')} it, though it goes against their camp ({camp})"
        text += f"; {_listed(others)} {_verb(others, 'asserts')} it too" if others else ""
        return text + (f"; {objections}, but not from that camp." if objections else ".")
    if status == "contested":
        backers = [phrase[i] for i in asserting]
        if backers:
            return f"contested: {_listed(backers)} {_verb(backers, 'asserts')} it; {objections}."
        return f"contested: {objections}; no claimant asserts it."
    voices: dict[str, list[str]] = {}
    for i in counted:
        voices.setdefault(str(rows[i]["voice"]), []).append(phrase[i])
    if status == "corroborated":
        groups = [_listed(who, 2) for who in voices.values()]
        return f"corroborated: {len(voices)} independent voices assert it: {'; '.join(groups)}."
    if voices:
        (voice, who), = voices.items()
        camp = voice.removeprefix("camp:") if voice.startswith("camp:") else ""
        where = f" (one voice: the {camp} camp)" if camp and len(set(who)) > 1 else ""
        uncounted = [phrase[i] for i in asserting if i not in counted]
        extra = f"; also {_listed(uncounted, 2)}, not identified as actors" if uncounted else ""
        return f"single-source: only {_listed(who)}{where} {_verb(who, 'asserts')} it{extra}."
    if asserting:
        who = [phrase[i] for i in asserting]
        return f"single-source: only {_listed(who)} {_verb(who, 'asserts')} it, and no claimant of it is an actor of the data."
    unsure = [phrase[i] for i, row in enumerate(rows) if row["stance"] == "uncertain"]
    return f"single-source: no one asserts it; {_listed(unsure)} {_verb(unsure, 'is')} uncertain."


REASON_COLUMNS = ("event_id", "stance", "claimant", "claimant_actor_id", "relayed_by", "outlet", "origin", "origin_id", "voice")


def status_reasons(events: pd.DataFrame, claims: pd.DataFrame, names: Mapping[str, str]) -> pd.Series:
    """status_reason for each of these events (indexed like `events`), from a Dataset's claims.

    Only the claims of the given events are read, column by column into plain lists (a DataFrame per event cost
    7 ms; this costs tens of microseconds).
    """
    wanted = set(events["event_id"])
    rows = np.flatnonzero(claims["event_id"].isin(wanted).to_numpy()) if len(wanted) < len(claims) else np.arange(len(claims))
    columns = [claims[c].iloc[rows].astype(object).where(claims[c].iloc[rows].notna(), "").tolist() if c in claims else [""] * len(rows)
               for c in REASON_COLUMNS]
    by_event: dict[str, list[dict]] = {}
    for values in zip(*columns):
        by_event.setdefault(values[0], []).append(dict(zip(REASON_COLUMNS, values)))
    against = events["against_camp"].astype(object) if "against_camp" in events else pd.Series("", index=events.index)
    return pd.Series(
        [status_reason(str(status), by_event.get(event_id, []), names, str(camp))
         for event_id, status, camp in zip(events["event_id"], events["status"], against)],
        index=events.index, dtype=object,
    )
