"""Who says what: speech verbs, their speakers, hedges and denials, and the agency a claim came through."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_SPEECH_VERB = (
    r"(?:said|says|say|saying|told|tells|tell|reported|reporting|claimed|claims|claiming|announced|announcing|announces|"
    r"confirmed|confirms|confirming|denied|denies|deny|denying|insisted|insists|warned|warns|stated|added|estimated|estimates|"
    r"acknowledged|admitted|alleged|accused|accuses|argued|argue|argues|condemned|slammed|described|quoted|called|carried\s+claims\s+from|"
    r"declared|declares|blamed|blames|dismissed|dismisses|rejected|rejects|put\s+the\s+(?:figure|toll|death\s+toll|number)\s+at)"
)
_VERB = re.compile(rf"\b{_SPEECH_VERB}\b", re.IGNORECASE)
_DENY = re.compile(r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|dismisses|refuted)\b", re.IGNORECASE)
_DISPUTE = re.compile(
    r"\b(?:in\s+fact|disputed|disputes|contradict\w*|false(?:ly)?|fabricat\w+|lies|propaganda|not\s+true|insisted|insists|"
    r"(?:this|it|that)\s+(?:is|was)\s+not\s+an?\b|"
    r"too\s+(?:risky|dangerous)|argue[sd]?\s+that|instead)\b",
    re.IGNORECASE,
)
_UNCERTAIN = re.compile(
    r"\b(?:too\s+fluid|fluid|unconfirmed|unverified|could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)\w*|"
    r"can(?:not|'t)\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)\w*|purport\w*|appear(?:s|ed)?\s+to|seem(?:s|ed)?\s+to|"
    r"declined\s+to\s+comment|no\s+comment|not\s+going\s+to\s+(?:provide|comment)|(?:aren['’]t|are\s+not)\s+going\s+to\s+provide|"
    r"may\s+be\s+trying|allegedly|it\s+is\s+(?:not\s+)?clear|unclear|(?:(?-i:may)|might|could)\s+(?!not\b)(?-i:[a-z])\w*|"
    r"(?:anxious|fear(?:s|ed|ful)?|worried|concerned)\s+(?:that\s+)?)\b",
    re.IGNORECASE,
)
_STANCE_ORDER = {"denies": 3, "disputes": 2, "uncertain": 1, "asserts": 0}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_LEADING = re.compile(
    r"^(?:[\s,“”\"‘’']+|(?:however|but|and|also|meanwhile|still|yet|though|although|while|with|as|so|then|in\s+a\s+statement|"
    r"on\s+\w+day|earlier|later|both|even|instead)\b[\s,]*)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s,]+(?:both|also|have|has|had|all|later|on\s+\w+day|\w+day|then|was|were|is|are|had\s+been|has\s+been|who|which))+$", re.IGNORECASE)
_CUT_BEFORE = re.compile(
    r".*(?:[”\"]|(?<![A-Z])[.;:]\s|;\s|:\s|\bthat\s|\bwhile\s|\bwhen\s|\bwhere\s|\bafter\s|\bbecause\s|\bif\s|\bbut\s|,\s+and\s)",
    re.IGNORECASE | re.DOTALL,
)
_CUT_BEFORE_ING = re.compile(r".*\b(?:with|as)\s", re.IGNORECASE | re.DOTALL)
_NOT_A_NAME = re.compile(
    r"^(?:in|on|at|for|from|also|after|before|since|during|earlier|later|meanwhile|however|but|and|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)\b",
    re.IGNORECASE,
)
_ROLE = re.compile(r"\b(?:commander|spokes(?:man|woman|person)|official|officer|source|member|leader|fighter|activist|doctor|head|chief|director|minister|envoy)\b", re.I)
_PASSIVE_AGENT = re.compile(
    r"\b(?:(?:announced|declared|claimed|reported|denied|confirmed|(?:(?<=reports\s)|(?<=claims\s)|(?<=statements\s)|(?<=videos\s)|(?<=footage\s)|(?<=images\s)|(?<=photos\s))(?:circulated|published|posted|carried|released|broadcast))\s+by\s+"
    r"(?P<who>(?:the\s+)?[\w’'-]+(?:[\s-]+[\w’'-]+){0,5}?))(?=\s*(?:[,.;:]|\s(?:last|on|that|in|at|who|which|and|but|yesterday|earlier)\b|$))",
    re.IGNORECASE,
)
_DASH_ASIDE = re.compile(r"\s[–—]\s[^–—]{1,160}?\s[–—]\s")
_NAME = re.compile(r"^(?:(?:Captain|Capt\.|Colonel|Col\.|General|Gen\.|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Major|Lt\.?|Sheikh|President|Prime\s+Minister)\s+)?"
                   r"(?:[A-Z][\w’'-]*|al-|el-|abu|Abu|bin|ibn|de|al|el)(?:\s+(?:[A-Z][\w’'-]*|al-[A-Z][\w’'-]*|el-[A-Z][\w’'-]*|al|el|de|bin|ibn)){1,4}$")
_AGENCY_AFTER = re.compile(
    r"^\s*(?:the\s+)?(?P<agency>Reuters|AFP|Agence\s+France-Presse|(?:the\s+)?Associated\s+Press|AP|Al\s+Jazeera|BBC|CNN|(?:The\s+)?(?:Daily\s+)?Telegraph|(?:The\s+)?Guardian|The\s+Independent|"
    r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}\s+news\s+agency|news\s+agency)\b",
)
_UNATTRIBUTED = [
    ("claim:unconfirmed-reports", re.compile(r"\b(?P<who>unconfirmed\s+reports?|unverified\s+reports?|reports?\s+on\s+social\s+media)\b", re.I), "uncertain"),
    ("claim:purported", re.compile(r"(?P<who>\b(?:photos|pictures|images|videos?|footage)\b[^,.;]{0,60}?)\s+(?:purport(?:ed|s)?\s+to|appear(?:s|ed)?\s+to|showed\s+what\s+appeared)", re.I), "uncertain"),
    ("claim:footage", re.compile(r"\b(?P<who>footage|videos?\s+posted\s+online|images)\s+(?:showed|shows)\s+what\s+appeared", re.I), "uncertain"),
    ("claim:reports-indicate", re.compile(r"\b(?P<who>reports)\s+of\s+[^,.;]{0,80}?\s+seem(?:ed|s)?\s+to\s+indicate", re.I), "uncertain"),
    ("claim:hearsay", re.compile(r"\b(?:were|was|are|is)\s+(?P<who>said|thought|believed|estimated|reported)\s+to\b", re.I), "asserts"),
    ("claim:reportedly", re.compile(r"\b(?P<who>reportedly)\b", re.I), "asserts"),
    ("claim:according-to", re.compile(r"\baccording\s+to\s+(?P<who>[^,.;]{2,80}?)(?=[,.;]|$)", re.I), "asserts"),
    ("claim:statement-by", re.compile(r"(?P<who>[^,.;\s][^,.;]{1,60}?)\s+(?:posted|posting|published|released)\s+(?:videos?|footage|a\s+statement|photos)\b", re.I), "asserts"),
    ("claim:own-statements", re.compile(r"\baccording\s+to\s+(?P<who>the\s+group’s\s+own\s+statements|its\s+own\s+statements)", re.I), "asserts"),
]


@dataclass(frozen=True)
class Attribution:
    """One speaker in one sentence: who, through whom, how sure, and where (offsets into the whole text)."""

    claimant: str
    claimant_start: int
    claimant_end: int
    verb: str
    verb_start: int
    stance: str
    relayed_by: str
    rule: str
    confidence: float
    content_start: int
    content_end: int


def stance_of(verb: str, content: str) -> str:
    """The stance of a statement, from its verb and the words of what was said.

    >>> stance_of("denied", "the siege had been broken"), stance_of("said", "the situation was too fluid to comment")
    ('denies', 'uncertain')
    >>> stance_of("said", "it's too risky to move them"), stance_of("said", "rebels took the town")
    ('disputes', 'asserts')
    """
    if re.match(r"(?:dismiss|reject)", verb, re.I) and re.match(r"\s*(?:the|an?|this|that|their|its)?\s*(?:\w+\s+){0,2}?(?:offer|proposal|plan|call|idea|truce|pause|initiative|deal)s?\b", content, re.I):
        return "disputes"
    if _DENY.search(verb) or re.match(r"\s*(?:both\s+)?(?:deny|denied|denies)\b", content, re.I):
        return "denies"
    if re.match(r"\s*(?:that\s+)?(?:it|they|we|its\s+\w+|their\s+\w+)\s+(?:had|has|have|did|do|does|was|were)\s*(?:not|never)\b|\s*(?:that\s+)?(?:it|they|we)\s+never\b", content, re.I):
        return "denies"  # "said it had not carried out any strikes"
    if _UNCERTAIN.search(content[:200]):
        return "uncertain"
    if _DISPUTE.search(content[:200]) or _DISPUTE.search(verb):
        return "disputes"
    return "asserts"


def _clean_claimant(phrase: str) -> tuple[str, int]:
    """Trim connectives and fillers from a speaker phrase; returns the text and how much was cut on the left."""
    cut = _LEADING.match(phrase)
    left = cut.end() if cut else 0
    core = phrase[left:]
    core = _TRAILING.sub("", core)
    core = core.strip(" ,“”\"‘’'")
    left += len(phrase[left:]) - len(phrase[left:].lstrip(" ,“”\"‘’'"))
    return core, left


def _looks_like_name(piece: str) -> bool:
    text, _ = _clean_claimant(piece)
    return bool(text) and not _NOT_A_NAME.match(piece.strip()) and bool(_NAME.match(text)) and len(text.split()) <= 6


def _speaker_before(sentence: str, verb_start: int, *, ing_verb: bool = False) -> tuple[str, int] | None:
    """The noun phrase before a speech verb, with its start in the sentence; None if it is not a speaker."""
    left = sentence[:verb_start]
    cut = _CUT_BEFORE.match(left)
    base = cut.end() if cut else 0
    if ing_verb:
        cut_ing = _CUT_BEFORE_ING.match(left)
        if cut_ing and cut_ing.end() > base:
            base = cut_ing.end()
    phrase = left[base:]
    # Appositions: "Name, head of X, a group in Y, said" keeps the name and what follows it;
    # otherwise the last comma piece is the speaker.
    pieces = phrase.split(",")
    if len(pieces) > 1:
        named = [i for i, piece in enumerate(pieces) if _looks_like_name(piece)]
        keep_from = named[-1] if named else len(pieces) - 1

        if named and keep_from >= 1 and re.match(r"^\s*(?:a|an|the)\s+[\w\s’'-]{2,60}$", pieces[keep_from - 1], re.I) and \
                (keep_from == 1 or not pieces[keep_from - 2].strip()):
            keep_from -= 1  # "A rebel spokesman, Yasser al-Youssef, said": the role belongs to the name
        if not pieces[keep_from].strip() and keep_from > 0:
            keep_from -= 1
        if not named and keep_from >= 1 and re.match(r"^\s*(?:a|an)\s", pieces[keep_from]) and pieces[keep_from - 1].strip() \
                and len(pieces[keep_from - 1].split()) <= 12 and _ROLE.search(pieces[keep_from - 1]):
            keep_from -= 1  # "A commander with X, a rebel faction, told": the apposition describes the speaker before it
        offset_in = sum(len(piece) + 1 for piece in pieces[:keep_from])
        base += offset_in
        phrase = phrase[offset_in:]
    text, cut_left = _clean_claimant(phrase)
    if not text or len(text.split()) > 25:
        return None
    auxiliary = re.search(r"\s+(?:had|have|has|did)(?:\s+(?:also|formally|repeatedly|already|now|since))?\s*$", text)
    if auxiliary:
        text = text[: auxiliary.start()]
    if re.search(r"\b(?:was|were|is|are|been|being)\s*$", text) or not text:
        return None
    pieces_and = text.split(" and ")
    left_words = pieces_and[0].split()
    if len(pieces_and) > 1 and (re.search(r"(?:ed|en|ing)$", left_words[-1] if left_words else "")
                                or (len(left_words) >= 3 and any(re.fullmatch(r"[a-z]+ed", w) for w in left_words[1:]))):
        # "militias blocked the road and the government accused": the speaker is after the last "and"
        pieces_and = [" and ".join(pieces_and[:-1]), pieces_and[-1]]
        dropped = len(pieces_and[0]) + len(" and ")
        cut_left += dropped
        text = text[dropped:]
    if re.search(r"\b(?:and|or|but)$", text):
        return None  # "... and said": the speaker before goes on
    finite = list(re.finditer(r"\b(?:have|has|had|been|was|were|is|are)\s+\w+(?:\s+in\s+\w+)?\s+", text))
    if finite and len(text.split()) > 8:
        cut_left += finite[-1].end()
        text = text[finite[-1].end():]
    start = base + cut_left
    return text, start


def _speaker_after(sentence: str, verb_end: int) -> tuple[str, int] | None:
    """Inverted attribution ("...,” said the monitor, a group in X."): the phrase after the verb."""
    rest = sentence[verb_end:]
    match = re.match(r"\s*(?P<who>[^.;:“”\"]{2,200}?)\s*(?:[.;:]\s*[”\"]?\s*$|[.;:]\s|\s+(?:in\s+a\s+statement|on\s+\w+day|via|adding)\b|$)", rest)
    if not match:
        return None
    who = match.group("who")
    pieces = who.split(",")
    if not _looks_like_name(pieces[0]):
        who = pieces[0]
    text, cut_left = _clean_claimant(who)
    if not text or text.lower() in _PRONOUNS or len(text.split()) > 30:
        return None
    return text, verb_end + match.start("who") + cut_left


def find_attributions(sentence: str, offset: int = 0) -> list[Attribution]:
    """Speakers named in a sentence ("X said", "said X", "according to X", "X told Reuters"), one per speaker.

    >>> [(a.claimant, a.stance) for a in find_attributions("Rebels said they took the town, but state media denied it.")]
    [('Rebels', 'asserts'), ('state media', 'denies')]
    """
    original = sentence
    # Dash asides ("X – which has rebranded itself as Y – said") are skipped, offsets kept.
    sentence = _DASH_ASIDE.sub(lambda m: " " * len(m.group(0)), sentence)
    found: list[Attribution] = []
    for match in _VERB.finditer(sentence):
        verb = match.group(0)
        if verb.lower() == "called" and not re.search(r"[“\"]", sentence[match.end():]):
            continue
        if verb.lower() in ("reported", "claimed") and re.search(r"\b(?:were|was|are|is|been|being|had|have)\s+$", sentence[: match.start()], re.I):
            continue  # "were reported killed" is not a speaker's verb
        if re.match(r"claim", verb, re.I) and re.match(r"\s+(?:the|their|his|her)\s+lives\b", sentence[match.end():], re.I):
            continue  # "claiming the lives of five": a toll, not a claim
        if verb.lower() in ("estimated", "declared", "rejected", "dismissed") and re.search(r"\b(?:an|the|some|a)\s+$", sentence[: match.start()], re.I):
            continue  # "an estimated 31,000": an adjective
        if verb.lower() in ("declared", "declares") and not re.match(r"\s+(?:that|on|late|early|it|its|a|an|the)\b", sentence[match.end():], re.I):
            continue
        if re.match(r"\s+by\b", sentence[match.end():], re.I):
            continue  # "announced by Moscow": the agent comes after (see _PASSIVE_AGENT)
        before = sentence[: match.start()]
        after_verb = sentence[match.end():]
        if re.search(r",\s*$", before) and verb.lower().endswith("ed") and verb.lower() not in ("said",) and \
                re.match(r"\s+(?:following|after|by|in|on|at|last|earlier|during|for|with|as|since|before)\b", after_verb, re.I):
            continue  # "the assault, announced after ...": a participle, not a speaker's verb
        if verb.lower().endswith("ing") and re.search(r",\s*$", before) and found:
            continue  # ", saying ...": the same speaker goes on
        inverted = bool(re.search(r"[”\"’]\s*,?\s*$", before))
        ing = verb.lower().endswith("ing")
        speaker = _speaker_after(sentence, match.end()) if inverted else _speaker_before(sentence, match.start(), ing_verb=ing)
        rule = "claim:said-inverted" if inverted else "claim:speech-verb"
        if speaker is None and inverted:
            speaker = _speaker_before(sentence, match.start(), ing_verb=ing)
            rule = "claim:speech-verb"
        if speaker is None:
            continue
        who, who_start = speaker
        if re.search(rf"\b{_SPEECH_VERB}\b", who, re.I):
            continue  # "X denied the claim and said": the same speaker again
        if verb.lower() in ("carried claims from",):
            continue
        content_start = match.end()
        content_end = len(sentence)
        if inverted or content_start >= len(sentence) - 2:
            content_start, content_end = 0, (match.start() if inverted else who_start)
        elif re.match(r"\s*(?:on\s+\w+day\s*)?[,.;]", sentence[match.end():]) and who_start > 0:
            # "A, X said, B": what X said is A, and B too unless B turns away ("but", a new sentence part)
            turning = re.match(r"\s*(?:on\s+\w+day\s*)?(?:[.;]|,\s*(?:but|and|while|though|although|as|when|after|amid|with|even)\b)", sentence[match.end():])
            content_start, content_end = 0, (who_start if turning else len(sentence))
        agency = ""
        after = sentence[match.end():]
        if verb.lower() in ("told", "tells", "tell"):
            agency_match = _AGENCY_AFTER.match(after)
            if agency_match:
                agency = re.sub(r"^(?:the)\s+", "", agency_match.group("agency"), flags=re.I)
                content_start = match.end() + agency_match.end()
        stance = stance_of(verb, original[content_start:content_end])
        confidence = 0.8 if rule == "claim:speech-verb" else 0.7
        if who.lower() in _PRONOUNS:
            confidence = 0.5
        found.append(Attribution(who, offset + who_start, offset + who_start + len(who), verb, offset + match.start(), stance,
                                 agency, rule, confidence, offset + content_start, offset + content_end))
    for agent in _PASSIVE_AGENT.finditer(sentence):
        who, cut_left = _clean_claimant(agent.group("who"))
        if not who or any(a.claimant.lower() == who.lower() for a in found):
            continue
        start = agent.start("who") + cut_left
        content = sentence[agent.end():]
        verb = agent.group(0).split()[0]
        stance = stance_of(verb, content) if verb.lower() in ("denied",) else "asserts"
        found.append(Attribution(who, offset + start, offset + start + len(who), verb, offset + agent.start(), stance, "",
                                 "claim:passive-agent", 0.7, offset + agent.end(), offset + len(sentence)))
    shown = re.search(r"(?P<who>\b(?:state\s+|official\s+|pro-government\s+|opposition\s+)?(?:television|TV|channel|broadcaster))\s+(?:showed|broadcast|aired)\b", sentence, re.I)
    if shown:
        who, cut_left = _clean_claimant(shown.group("who"))
        start = shown.start("who") + cut_left
        found.append(Attribution(who, offset + start, offset + start + len(who), "showed", offset + shown.end("who"), "asserts", "",
                                 "claim:broadcast", 0.6, offset + shown.end(), offset + len(sentence)))
    silent = re.search(r"(?P<who>[A-Z][^,.;“”\"]{2,80}?)\s+(?:did\s+not|didn['’]t|declined\s+to|refused\s+to|would\s+not|could\s+not\s+be\s+reached\s+(?:for|to))\s+(?:immediately\s+)?(?:comment|respond)", sentence)
    if silent:
        who, cut_left = _clean_claimant(silent.group("who"))
        start = silent.start("who") + cut_left
        found.append(Attribution(who, offset + start, offset + start + len(who), "no comment", offset + silent.end("who"),
                                 "uncertain", "", "claim:no-comment", 0.6, offset + silent.end("who"), offset + len(sentence)))
    carried = re.search(r"\b(?P<relay>[^,.;]{2,60}?)\s+carried\s+(?:claims|reports|a\s+statement)\s+(?:from|by)\s+(?P<who>[^,.;“”]{2,80}?)\s+(?:saying|that|which)\b", sentence, re.I)
    if carried:
        relay, _ = _clean_claimant(carried.group("relay"))
        who = carried.group("who")
        content = sentence[carried.end():]
        found.append(Attribution(who, offset + carried.start("who"), offset + carried.end("who"), "carried claims",
                                 offset + carried.start(), stance_of("said", content), relay, "claim:carried-claims", 0.75,
                                 offset + carried.end(), offset + len(sentence)))
    if not found:
        for rule, pattern, default_stance in _UNATTRIBUTED:
            match = pattern.search(sentence)
            if not match:
                continue
            who = match.group("who")
            if rule == "claim:reportedly" or (rule == "claim:hearsay" and who.lower() in ("said", "reported")):
                who = "unnamed sources"
            elif rule == "claim:hearsay":
                who = "unnamed estimate"
            stance = default_stance if default_stance != "asserts" else stance_of("said", sentence[match.end():])
            found.append(Attribution(who.strip(), offset + match.start("who"), offset + match.end("who"), "", offset + match.start(),
                                     stance, "", rule, 0.55, offset, offset + len(sentence)))
            break
    found = _merge_same_speaker(found)
    found.sort(key=lambda a: a.verb_start)
    # What one speaker said stops where the next speaker begins.
    bounded = []
    for index, item in enumerate(found):
        if index and item.content_start == offset and item.claimant_start > found[index - 1].verb_start:
            # "A, the army said, as B, activists said": the second speaker said B only
            previous = found[index - 1]
            start = previous.verb_start + len(previous.verb)
            item = replace(item, content_start=start, stance=stance_of(item.verb, original[start - offset : item.content_end - offset]))
        later = [a.claimant_start for a in found[index + 1 :] if a.claimant_start > item.content_start]
        end = min([item.content_end, *later])
        if end != item.content_end and item.rule.startswith("claim:speech") and item.content_start < end:
            text = original[item.content_start - offset : end - offset]
            item = replace(item, content_end=end, stance=stance_of(item.verb, text))
        bounded.append(item)
    return bounded


def _merge_same_speaker(found: list[Attribution]) -> list[Attribution]:
    """One attribution per speaker per sentence: the strongest stance, any agency named."""
    merged: dict[str, Attribution] = {}
    order: list[str] = []
    for item in found:
        key = item.claimant.lower()
        if key in merged:
            kept = merged[key]
            stance = item.stance if _STANCE_ORDER[item.stance] > _STANCE_ORDER[kept.stance] else kept.stance
            merged[key] = replace(kept, stance=stance, relayed_by=kept.relayed_by or item.relayed_by)
        else:
            merged[key] = item
            order.append(key)
    return [merged[key] for key in order]


def is_news_agency(name: str) -> bool:
    """True for a wire service or outlet name (it relays claims rather than making them)."""
    from data.extract.mentions import NEWS_AGENCIES

    return bool(NEWS_AGENCIES.match(name.strip()))
