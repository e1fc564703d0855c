"""The control rule, written once: what evidence says who held a place, and the words the app shows for it."""

from __future__ import annotations

import re

STATES = ("held", "contested", "besieged", "unknown")
# ACLED's sub-event types that say territory changed hands: the place passes from actor2's camp to actor1's.
CHANGE_SUB_TYPES = ("Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory")
# Words in an event's summary (ours, or ACLED's notes) that make it a siege, or the end of one.
SIEGE_WORDS = re.compile(r"\b(?:siege|besieg\w*|encircl\w*|ring(?:s|ed)? (?:the|a|an)\b)", re.IGNORECASE)
SIEGE_END_WORDS = re.compile(r"\b(?:break|breaks|broke|broken|lift\w*|end|ends|ended|ending|reliev\w*|reach\w*)\b",
                             re.IGNORECASE)
DEFAULT_LOOKBACK_DAYS = 365
MAX_PLACE_RADIUS_M = 10_000  # a change filed under a place known less well than this says nothing about that place
UNPAINTED_KINDS = ("country", "governorate", "district", "subdistrict")
INHERITING_KINDS = ("town", "village")  # a town changes hands whole; a city can be divided (Aleppo 2012-2016)
SUMMARY_KINDS = ("city", "town", "village")  # settlements that are reported divided when their districts disagree

CONTROL_RULE = (
    "Control is inferred from evidence only, never from fighting alone, for each place and day. "
    "**A change**: an event whose sub-type says territory changed hands (Government regains territory, Non-state "
    "actor overtakes territory, Non-violent transfer of territory) passes the place from its second actor's camp to "
    "its first actor's (a government and its allies are one camp). Its date precision is a window: before the "
    "window's first day the place is **held** by the losing camp, within the window it is **contested** (changing "
    "hands on a day we do not know), from its last day it is **held** by the winning camp until later evidence. "
    "The losing camp's hold is taken back at most a lookback (365 days by default) or to the previous evidence: "
    "a change says who held the place before it, not since when. "
    "**Disputed**: a change that some claimant denies or disputes, so that its claim status is contested (a change "
    "the losing camp concedes is not), leaves the place **contested** from its last day until a later change or a "
    "control claim settles it. "
    "**A siege**: an event that is not a change and whose summary says the place is besieged or encircled makes "
    "it **besieged**, held by the event's second actor's camp, over the event's dates (a summary that tells of a "
    "siege ending, without a change, says nothing). A change whose summary says a siege or encirclement was "
    "broken, lifted, ended or relieved leaves the place with its first actor's camp: **besieged** before (within "
    "the lookback), **held** after. "
    "**Control claims**: an editor's claim that a camp held (or besieged, or contested) a place on given days, "
    "with its source, is evidence of the same weight: it agrees and is listed, or settles a contested or unknown "
    "place, or, against a place held by another camp, makes it **contested** until later evidence; a claim that a "
    "camp did not hold the place makes that camp's hold contested. "
    "**Where**: an event filed under a governorate, a country or a place known to worse than 10 km says nothing "
    "about control. A town or village that changes hands takes with it the places inside it that have no evidence "
    "of their own; a city does not (a city can be divided). A city, town or village with no evidence of its own on "
    "a day is **contested** (divided) on days its districts are held by more than one camp; it is never called "
    "held from its districts. "
    "A place is **unknown** on a day no evidence speaks to it; nothing is guessed. Evidence applies in order of its "
    "first day; every interval lists the events and claims it rests on."
)
