"""Event triggers: verbs and nouns of news prose mapped onto ACLED's event types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from data.model.taxonomy import SUB_EVENT_TYPES

GOVERNMENT_SIDES = ("government", "government_ally")
NON_STATE_SIDES = ("opposition", "jihadist", "isis", "sdf")
# Sides that speak about events but do not fight in them.
NON_COMBATANT_SIDES = ("media", "monitor", "analyst", "civilian", "international")


@dataclass(frozen=True)
class Trigger:
    """One rule: a pattern and the ACLED type it signals; `sub_event_type` None means "decided by the actor"."""

    rule: str
    pattern: re.Pattern
    event_type: str
    sub_event_type: str | None
    confidence: float
    default_sub: str = ""
    loser_first: bool = False  # "rebels lost X": the one named first gave ground, the other side gained it


def _t(rule, pattern, event_type, sub, confidence, default_sub="", loser_first=False):
    return Trigger(rule, re.compile(pattern, re.IGNORECASE), event_type, sub, confidence, default_sub, loser_first)


_OPERATION = r"(?:offensive|operation|campaign|assault|counter-?offensive|push|phase|attack)"
_OPERATION_WORDS = r"(?:a|an|the|its|their|his|new|first|second|third|fourth|final|last|fresh|major|ground|wide|large|own|of|phase|counter-?offensive|military|\w+-scale)"


TRIGGERS: tuple[Trigger, ...] = (
    # first: "halt air strikes" is a pause, not a strike
    _t("truce", r"\b(?:humanitarian\s+(?:pauses?|truce|ceasefire|window)|(?:daily|the|a)\s+pauses?\b|"
       r"(?:truce|cease-?fire)\s+(?:[\w-]+\s+){0,6}?(?:took\s+effect|came\s+into\s+(?:force|effect)|expired|held|began|collapsed|ended|was\s+over|is\s+over|broke\s+down|was\s+extended)|"
       r"(?:declared|announced|agreed|signed)\s+(?:[\w-]+\s+){0,4}?(?:truce|cease-?fire)|"
       r"halt(?:ed|s|ing)?\s+(?:\w+\s+){0,3}?(?:strikes|bombing|air\s*strikes|attacks|operations|fighting|raids)|stop(?:ped|s|ping)?\s+(?:\w+\s+){0,3}?(?:strikes|bombing|operations|fighting|raids))\b",
       "Strategic developments", "Agreement", 0.55),
    _t("suicide-bomb", r"\b(?:suicide\s+(?:car\s+|truck\s+)?(?:bomb\w*|attack\w*)|(?:vehicles?|cars?|trucks?)\s+(?:laden|packed|loaded|rigged)\s+with\s+explosives|bomb-laden\s+(?:vehicles?|cars?|trucks?)|(?:VB)?IEDs?\b(?=.*suicide))",
       "Explosions/Remote violence", "Suicide bomb", 0.75),
    _t("remote-explosive", r"\b(?:car\s+bomb(?:s|ings?)?|roadside\s+bombs?|tunnel\s+bombs?|improvised\s+explosive|landmines?|IEDs?|(?:set\s+off|detonated)\s+(?:a|an|the)?\s*(?:\w+\s+){0,2}?(?:bomb|explosives?|charge))\b",
       "Explosions/Remote violence", "Remote explosive/landmine/IED", 0.65),
    _t("chemical", r"\b(?:chemical\s+(?:weapons?\s+)?attacks?|gas\s+attacks?|chlorine\s+(?:gas|attacks?|bombs?)|sarin\s+(?:gas|attack))\b",
       "Explosions/Remote violence", "Chemical weapon", 0.7),
    _t("air-strike", r"\b(?:air\s*-?strikes?|air\s*raids?|air\s+attacks?|(?:aerial|air)\s+(?:bombardment|bombing|campaign)|barrel\s+bombs?|cluster\s+(?:bombs?|munitions)|vacuum\s+bombs?|"
       r"(?:warplanes?|jets?|aircraft|helicopters?)\s+(?:\w+\s+){0,3}?(?:hit|struck|bombed|pounded|targeted|attacked|dropped)|hit\s+[\d,]+\s+targets|bomb(?:ed|ing|ings)\b|bombardment|"
       r"(?<!air\s)(?<!air-)strikes\s+on\b)",
       "Explosions/Remote violence", "Air/drone strike", 0.65),
    _t("shelling", r"\b(?:shell(?:ing|ed|s)\b|artillery\s+(?:fire|shells?|barrages?|strikes?)|mortars?\s+(?:fire|rounds?|shells?|attacks?)|rocket\s+(?:fire|attacks?|shells?)|missile\s+(?:strikes?|attacks?)|fired\s+(?:rockets|missiles|mortars)|"
       r"(?:missiles?|rockets?)\s+(?:\w+\s+){0,2}?(?:hit|struck|slammed|landed|fell)\b|(?:hit|struck)\s+by\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:missiles?|rockets?|shells?|mortars?|bombs?)\b)",
       "Explosions/Remote violence", "Shelling/artillery/missile attack", 0.65),
    # "the centres had been hit": struck by something the sentence does not name
    _t("hit-passive", r"\b(?:(?:was|were|been|being)\s+hit\b|(?:put|knocked)\s+out\s+of\s+(?:action|service))",
       "Explosions/Remote violence", "Shelling/artillery/missile attack", 0.45),
    _t("aid-delivery", r"\b(?:(?:trucks|lorries|vans|convoys?)\s+(?:\w+\s+){0,3}?(?:entered|crossed|reached|arrived)|aid\s+(?:convoy|delivery|deliveries|drops?))\b",
       "Strategic developments", "Other", 0.5),
    _t("border-closure", r"\b(?:clos(?:ed|es|ing)\s+(?:its|the)\s+border|tightened\s+its\s+borders?|not\s+allowing\s+[\w\s]{0,40}?to\s+(?:enter|cross)|sealed\s+(?:its|the)\s+border|(?:keeps?|kept)\s+(?:the\s+|its\s+)?(?:\w+\s+)?(?:crossing|border)\s+(?:shut|closed))\b",
       "Strategic developments", "Other", 0.5),
    _t("siege-broken", r"\b(?:(?:br(?:oke|eak|eaks|eaking|oken))\s+(?:through\s+)?(?:(?:a|the|their|its|his|our)\s+)?(?:[\w’'-]+\s+){0,3}?siege|siege\s+(?:[\w-]+\s+){0,4}?(?:being\s+|was\s+|had\s+been\s+|has\s+been\s+|is\s+)?(?:lifted|broken|ended)|"
       r"lift(?:ed|ing|s)?\s+(?:the|a|their)\s+siege|put\s+an\s+end\s+to\s+the\s+siege|end(?:ed|ing|s)?\s+(?:\w+\s+){0,3}?the\s+siege|(?:broke|broken|break|breaks|breaking)\s+through|breakthrough|"
       r"open(?:ed|s|ing)?\s+(?:a|the)\s+(?:\w+\s+)?corridor|corridor\s+opens|push(?:ed|es)?\s+through\s+to)\b",
       "Battles", None, 0.75, "Armed clash"),
    _t("offensive-start", rf"\b(?:(?:launch(?:ed|es|ing)?|beg[ia]n|begun|begins|start(?:ed|s)?|opened|entered|announc(?:ed|es))\s+(?:{_OPERATION_WORDS}\s+){{0,5}}{_OPERATION}s?\b|"
       rf"{_OPERATION}\b,?\s+(?:[\w’'-]+,?\s+){{0,9}}?(?:began|begun|started|was\s+launched|launched|stalled|got\s+under\s+way|resumed|entered))",
       "Battles", "Armed clash", 0.6),
    _t("territory-regained", r"\b(?:re-?captur\w*|re-?took|re-?tak(?:e|en|es|ing)|regain\w*|reclaim\w*|re-?conquer\w*|liberat(?:ed|es|e|ing)|re-?entered|restor(?:ed|es|ing)\s+(?:security|control|stability|order)|took\s+back|taken\s+back)\b",
       "Battles", None, 0.75, "Government regains territory"),
    _t("territory-taken", r"\b(?:seiz(?:ed|es|e|ing|ure)|captur(?:ed|es|e|ing)|overr[au]n\w*|took\s+(?:over|control)|(?:took|take|taken)\s+(?:the\s+)?(?:(?:town|city|village|district|neighbou?rhood|base|airport|hill|area|camp|suburb|strategic)\b|(?-i:(?:al-)?[A-Z]\w+))|tak(?:e|en|ing)\s+(?:over|(?:full\s+|complete\s+|total\s+)?control)|storm(?:ed|s|ing)|(?:fell|falls|fallen)\s+to|fall\s+of|gained\s+control|"
       r"advance[sd]?\s+(?:of\s+[\w\s]{0,30}?)?into|push(?:ed|es)?\s+(?:deep(?:er)?\s+)?into|moved\s+into|broke\s+into|entered|enter\s+the\s+(?:prison|base|town|city|village|district|neighbou?rhood|camp|compound|grounds)|inside\s+an?\s+[\w\s]{0,30}?(?:base|academy|college|complex|prison)|cross(?:ed|es)?\s+the\s+front\s*line)\b",
       "Battles", None, 0.65, "Non-state actor overtakes territory"),
    _t("territory-reached", r"\b(?:takes\s+(?:the\s+)?(?-i:(?:al-)?[A-Z]\w+)|(?:took|take|takes|taking)\s+(?:parts?|most|much|all|half)\s+of|swe(?:pt|eps?)\s+(?:\w+\s+)?(?:through|into)|cut(?:s|ting)?\s+into|"
       r"reach(?:ed|es)?\s+(?:the\s+)?(?:(?:outskirts|edge|gates|centre|center)\s+of\s+(?:the\s+)?)?(?:(?:town|city|village|district|neighbou?rhood|base|air\s+base|airport|prison|central\s+prison|camp)\b|(?-i:(?:al-)?[A-Z]\w+))|"
       r"(?:advanced|pushed|moved)\s+(?:\w+\s+){0,3}?(?:into|through)|captur\w+\s+(?:parts?|most)\s+of)",
       "Battles", None, 0.6, "Non-state actor overtakes territory"),
    _t("territory-lost", r"\b(?:pull(?:ed|s|ing)?\s+(?:back|out)\s+(?:of|from)|pull\s+(?:back|out)\s+(?:of|from)|retreat(?:ed|s|ing)?\s+from|abandon(?:ed|s|ing)\b|"
       r"los(?:t|e|es|ing)\s+(?:control\s+of|(?:the|a|its|their)\s+(?!lives\b|battle\b|war\b)(?:[\w-]+\s+){0,2}?(?:town|city|village|district|neighbou?rhood|area|base|airport|hill|hilltop|stronghold|camp|road|corridor|quarter)s?\b|(?-i:(?:al-)?[A-Z]\w+))|"
       r"(?:were|was|been|being|are|is)\s+(?:driven|pushed|forced|chased)\s+(?:back\s+)?out\s+of|gave\s+up|(?:is|was|were|been)\s+lost\b)",
       "Battles", None, 0.6, "Government regains territory", loser_first=True),
    _t("siege-imposed", r"\b(?:cut\s+off\s+(?:the\s+)?(?:last\s+)?(?:road|supply|route|access)|cutting\s+off\s+(?:a|the)\s+(?:last\s+)?(?:supply\s+)?(?:road|route|line)s?|impos\w+\s+(?:a|the)\s+siege|siege\s+(?:began|begun|was\s+imposed)|encircl(?:ed|ing)\b|"
       r"(?:cut|cuts|closed|closes|severed|severs|shut)\s+(?:off\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:road|route|supply\s+(?:line|route)|highway)\b|(?:road|route|supply\s+line|highway)\s+(?:is|was|has\s+been|had\s+been)\s+(?:cut|closed|severed)|"
       r"(?:are|were|was|is|been|being)\s+(?:surrounded|encircled|besieged)\s+by|(?:road|route|corridor|crossing|supply\s+lines?|it)\s+(?:had|has|have)\s+been\s+(?:shut|closed|cut|severed)(?:\s+(?:again|off))?\b)",
       "Battles", None, 0.55, "Government regains territory"),
    _t("clash-ongoing", r"\b(?:fighting|clashes|battles|heavy\s+fighting)\s+(?:(?:also|again|have|has|had)\s+)?(?:continued|raged|erupted|broke\s+out|intensified|flared)\b",
       "Battles", "Armed clash", 0.6),
    _t("clash", r"\b(?:clash(?:ed|es|ing)?|fight(?:ing|s)\b|fought|battl(?:es|ed|ing)\b|street\s+battles|repel(?:led|s)?|fend(?:ed)?\s+off|fought\s+off|push(?:ed)?\s+back|"
       r"assaults?|offensive|counter-?attack\w*|attacks?\s+(?:by|on)|attacked|advance\b|advancing)",
       "Battles", "Armed clash", 0.5),
    _t("military-zone", r"\bdeclar(?:ed|es|ing)\b[^.;]{0,90}?\b(?:a\s+)?(?:closed\s+)?military\s+zone\b",
       "Strategic developments", "Other", 0.75),
    _t("deployment", r"\b(?:deploy(?:ed|s|ing|ment)|(?:sent|sends|moved|dispatched)\s+(?:an?\s+|its\s+|more\s+)?(?:[\w-]+\s+){0,4}?(?:missile|system|troops|reinforcements|warships?|jets|battalions?|units?)|reinforcements\s+(?:sent|arrived)|"
       r"(?:fighters|troops|reinforcements)\s+(?:had\s+|have\s+)?arrived|arrived\s+in)\b",
       "Strategic developments", "Other", 0.55),
    _t("agreement", r"\b(?:agreed\s+to|agreement|(?:a|the)\s+deal\s+(?:between|with|to)|ceasefire\s+(?:deal|agreement|took\s+effect|came\s+into\s+force)|truce\s+(?:deal|agreement|took)|signed\s+(?:a|an|the)\s+(?:deal|accord|agreement))\b",
       "Strategic developments", "Agreement", 0.6),
    _t("withdrawal", r"\b(?:withdr(?:ew|awn|aw)\s+from|evacuat(?:ed|ion\s+of)|evacuation\s+(?:[\w-]+\s+){0,3}?(?:began|started|resumed|was\s+halted|halted|was\s+suspended|ended)|handed\s+over|surrender(?:ed)?|"
       r"(?:buses|convoys?)\s+(?:\w+\s+){0,2}?(?:left|leave|leaves|departed)|left\s+(?:the\s+)?(?:\w+\s+){0,2}?in\s+buses|leave\s+(?:the\s+)?(?:\w+\s+){0,2}?by\s+bus)\b",
       "Strategic developments", "Non-violent transfer of territory", 0.5),
    _t("diplomacy", r"\b(?:vetoe?d?|veto(?:es)?|broke\s+off\s+(?:[\w-]+\s+){0,2}talks|suspend(?:ed|s)?\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:talks|negotiations)|(?:talks|negotiations)[^.;]{0,40}?(?:were|was)\s+suspended|(?:talks|negotiations)\s+(?:collapsed|broke\s+down)|suspend(?:ed|s)?\s+(?:all\s+)?(?:[\w-]+\s+){0,2}(?:convoys|deliveries|aid))\b",
       "Strategic developments", "Other", 0.6),
    _t("stockpile", r"\b(?:packed\s+and\s+(?:are\s+)?ready|declared\s+(?:its\s+)?(?:chemical\s+)?stockpile|declared\s+to\s+the\s+Organi[sz]ation)\b",
       "Strategic developments", "Other", 0.5),
    _t("arrests", r"\b(?:arrest(?:ed|s)|detain(?:ed|s)|round(?:ed)?\s+up)\b", "Strategic developments", "Arrests", 0.6),
    _t("abduction", r"\b(?:kidnap(?:ped|ping|s)?|abduct(?:ed|ion|s)?)\b", "Violence against civilians", "Abduction/forced disappearance", 0.65),
    _t("attack-civilians", r"\b(?:massacre[sd]?|executed|summar(?:y|ily)\s+execut\w+|killed\s+(?:\d+\s+)?civilians|shot\s+(?:dead\s+)?(?:[\d,]+\s+|\w+\s+)?(?:civilians|people|residents|men|women|children)|opened\s+fire\s+on)\b", "Violence against civilians", "Attack", 0.6),
    _t("protest", r"\b(?:protest(?:s|ers|ed)?|demonstrat(?:ion|ions|ors|ed))\b", "Protests", "Peaceful protest", 0.5),
)
assert all(t.sub_event_type in SUB_EVENT_TYPES or t.sub_event_type is None for t in TRIGGERS)

# Words that make a clause a possibility, a plan or a habit rather than a report of something that happened.
_IRREALIS = re.compile(
    r"\b(?:if|unless|would|could|might|(?-i:may)|should|trying\s+to|tried\s+to|try\s+to|attempt(?:s|ed|ing)?\s+to|aim(?:s|ed|ing)?\s+to|plan(?:s|ned)?\s+to|seek(?:s|ing)?\s+to|"
    r"keen\s+to|likely\s+to|expected\s+to|threaten(?:s|ed)?\s+to|meant\s+to|in\s+order\s+to|whether|capacity\s+to|able\s+to|can|"
    r"want(?:s|ed)?\s+to|intend\w*|hopes?\s+to|fears?|anxious|worried|warn\w*|will|going\s+to|scheduled|set\s+to|due\s+to|supposed\s+to|need(?:s|ed)?\s+to|"
    r"even\s+if|risky|not|never|no\s+longer|didn['’]t|doesn['’]t|hasn['’]t|haven['’]t|hadn['’]t|wasn['’]t|weren['’]t|no\s+(?:sign|evidence)|cannot|can\s+possibly|had\s+trouble|trouble\s+navigating)\b",
    re.IGNORECASE,
)
_HABITUAL = re.compile(r"\b(?:routinely|frequently|often|regularly|usually|typically|generally|for\s+(?:almost\s+|nearly\s+|more\s+than\s+)?\w+\s+years)\b", re.IGNORECASE)
_NOMINAL_ONLY = re.compile(r"^(?:offensive|assaults?|advance|advancing|attacks?\s+(?:by|on)|bombardment|bombing|fighting|fights|battles)$", re.IGNORECASE)
_HISTORICAL = re.compile(r"\b(?:\w+\s+years\s+(?:on|ago|later|earlier)|years\s+ago|decades?\s+ago|developed\s+into|once\b)", re.IGNORECASE)


def is_habitual(text: str) -> bool:
    """Words of a habit ("routinely shelled", "frequently come under attack") rather than of one event."""
    return bool(_HABITUAL.search(text))


def is_historical(clause: str) -> bool:
    """Background told as history ("four years on", "years ago"): not a report of a new event."""
    return bool(_HISTORICAL.search(clause))


def find_triggers(text: str) -> list[tuple[Trigger, re.Match]]:
    """Trigger matches in a clause, earliest first; a span claimed by a stronger rule is not reused.

    >>> [t.rule for t, _ in find_triggers("Rebels seized the town after heavy shelling")]
    ['territory-taken', 'shelling']
    """
    return list(_find_triggers(text))


@lru_cache(maxsize=8192)
def _find_triggers(text: str) -> tuple[tuple[Trigger, re.Match], ...]:
    # cached: a sentence is asked about several times (its clauses, its sites), and every pattern runs each time
    found: list[tuple[Trigger, re.Match]] = []
    for trigger in TRIGGERS:
        for match in trigger.pattern.finditer(text):
            if any(match.start() < m.end() and m.start() < match.end() for _, m in found):
                continue
            found.append((trigger, match))
    return tuple(sorted(found, key=lambda pair: pair[1].start()))


_CONDITIONAL_OPENER = re.compile(r"^\W*(?:if|unless|even\s+if|whether|should|asked\s+(?:whether|if|about)|(?:what|why)\s+(?:if|would))\b", re.IGNORECASE)


def irrealis_factor(clause: str, trigger_at: int | None = None) -> float:
    """How much a clause's wording lowers confidence that it reports a real event (1.0 = plain report).

    Modal and planning words count when they come shortly before the trigger (they govern its verb),
    or anywhere in a clause that opens with "if" or "unless".

    >>> irrealis_factor("Rebels have been trying to break the siege", 26)
    0.35
    >>> irrealis_factor("Western powers who may be considering it, Russia sent a missile system to the port", 55)
    1.0
    """
    if _CONDITIONAL_OPENER.search(clause):
        return 0.35
    if trigger_at is None:
        scope = clause
    else:
        start = max(0, trigger_at - 45, clause.rfind(",", 0, trigger_at) + 1)
        scope = clause[start : trigger_at + 25]
    if _IRREALIS.search(scope):
        return 0.35
    if _HABITUAL.search(clause):
        return 0.5
    return 1.0


# Rules that word the same kind of event differently: one story told twice merges across them.
_FAMILY = {"offensive-start": "clash", "clash-ongoing": "clash", "territory-reached": "territory-taken", "territory-lost": "territory-taken"}


def rule_family(rule: str) -> str:
    """The family of an event rule ("event:offensive-start+actors:clause" -> "clash")."""
    name = rule.split("+")[0].removeprefix("event:")
    return _FAMILY.get(name, name)


def is_weak(match_text: str) -> bool:
    """A bare noun like "offensive" or "fighting": an event only if nothing stronger is said."""
    return bool(_NOMINAL_ONLY.match(match_text.strip()))


def decide_sub_type(trigger: Trigger, actor1_side: str | None, actor2_side: str | None) -> str:
    """The sub-event type of a territory or siege trigger, from who acted (ACLED's rule: who gained ground).

    >>> t = next(t for t in TRIGGERS if t.rule == "territory-taken")
    >>> decide_sub_type(t, "government", None), decide_sub_type(t, "opposition", None), decide_sub_type(t, None, "opposition")
    ('Government regains territory', 'Non-state actor overtakes territory', 'Non-state actor overtakes territory')
    """
    if trigger.sub_event_type:
        return trigger.sub_event_type
    if trigger.loser_first:
        actor1_side, actor2_side = actor2_side, actor1_side
        if actor1_side is None and actor2_side in GOVERNMENT_SIDES:
            return "Non-state actor overtakes territory"
        if actor1_side is None and actor2_side in NON_STATE_SIDES:
            return "Government regains territory"
    if actor1_side in GOVERNMENT_SIDES:
        return "Government regains territory"
    if actor1_side in NON_STATE_SIDES:
        return "Non-state actor overtakes territory"
    return trigger.default_sub
