"""Controlled vocabularies: ACLED's event taxonomy, sides, stances, precisions and place kinds."""

from __future__ import annotations

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
}
SUB_EVENT_TYPES: dict[str, str] = {sub: kind for kind, subs in EVENT_TYPES.items() for sub in subs}

SIDES = (
    "government",
    "government_ally",
    "opposition",
    "jihadist",
    "isis",
    "sdf",
    "international",
    "monitor",
    "media",
    "civilian",
    "analyst",
    "other",
)
SIDE_LABELS = {
    "government": "Government",
    "government_ally": "Government ally",
    "opposition": "Opposition",
    "jihadist": "Jihadist",
    "isis": "ISIS",
    "sdf": "SDF / Kurdish",
    "international": "International",
    "monitor": "Monitor",
    "media": "Media",
    "civilian": "Civilian / humanitarian",
    "analyst": "Analyst",
    "other": "Other",
}
STANCES = ("asserts", "denies", "disputes", "uncertain")
DATE_PRECISIONS = ("day", "week", "month", "range")
PLACE_KINDS = (
    "country",
    "governorate",
    "district",
    "subdistrict",
    "city",
    "town",
    "village",
    "neighbourhood",
    "area",
    "camp",
    "facility",
    "base",
    "crossing",
    "road",
)
STATUSES = ("conceded", "corroborated", "contested", "single-source", "unclaimed")  # the rule: data/model/claims.py
