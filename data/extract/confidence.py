"""Calibrated confidence: the rules' own score turned into the share of such candidates an analyst keeps.

The rules score a candidate from its wording (a plain report, a modal, a denial...). How often candidates
like it turn out right depends on more than wording: whether the place was named or guessed, whether the
date was stated, carried from an earlier sentence or defaulted to the week before publication. A small
logistic model maps them to a probability (`python bench/extract_eval.py --fit-confidence` refits it; its
coefficients live in `confidence_model.json` beside this file, so refitting changes no code):

- events: the rule score and whether the place was guessed (the article's focus, the previous sentence...),
  fitted on the seed articles and the development set together. Richer feature sets (date defaulted or
  carried, weak trigger, repeated mentions) fitted better in sample but did worse out of sample (fitted on
  one set, scored on the other), so they are left out;
- claims: rule score, reporter or named speaker, actor known, stance, linked event, fitted on the seed's
  curated claims only: on the development set every claimant group matched, which says nothing about misses.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("confidence_model.json")
# Below this rule score a candidate is only a retelling (a denial, a guess): it is folded into another or dropped.
RULE_FLOOR = 0.35
# What the Review page ticks and shows by default: candidates at least this likely to be right.
DEFAULT_REVIEW_THRESHOLD = 0.5

MODEL_FEATURES = {"event": ("rule_score", "place_guessed"),
                  "claim": ("rule_score", "reporter", "actor_known", "side_only", "referred", "unattributed_rule",
                            "not_asserting", "no_event")}
_GUESSED_PLACES = ("place:article-focus", "place:previous-sentence", "place:only-place-in-sentence",
                   "place:the-town-named-before", "place:part-of-focus")
_WEAK_FAMILIES = ("clash", "hit-passive", "offensive-start", "deployment", "aid-delivery", "stockpile")


def event_features(event) -> dict[str, float]:
    """What the model reads of a candidate event (all numbers, 0/1 flags but for the rule score).

    >>> from types import SimpleNamespace as E
    >>> f = event_features(E(rule_score=0.6, place_id=None, place_name="", place_rule="", date_rule="default:week", rule="event:clash+x", event_type="Battles", mentions=[(0, 1)]))
    >>> f["no_place"], f["date_default"], f["weak_rule"]
    (1.0, 1.0, 1.0)
    """
    from data.extract.events import rule_family

    place_rule = event.place_rule or ""
    date_rule = event.date_rule or ""
    return {
        "rule_score": float(event.rule_score),
        "no_place": float(not event.place_name),
        "place_guessed": float(any(place_rule.startswith(p) for p in _GUESSED_PLACES)),
        "place_name_only": float(bool(event.place_name) and not event.place_id),
        "date_default": float(date_rule.startswith("default")),
        "date_carried": float(date_rule.startswith("date:carried") or date_rule == "date:previous-sentence"),
        "weak_rule": float(rule_family(event.rule) in _WEAK_FAMILIES),
        "strategic": float(event.event_type == "Strategic developments"),
        "repeated": float(min(len(event.mentions) - 1, 3)),
    }


def claim_features(claim) -> dict[str, float]:
    """What the model reads of a candidate claim."""
    rule = claim.rule or ""
    return {
        "rule_score": float(claim.rule_score),
        "reporter": float(rule.startswith("claim:reporter")),
        "actor_known": float(bool(claim.claimant_actor_id)),
        "side_only": float(not claim.claimant_actor_id and bool(claim.claimant_side)),
        "referred": float("claimant:pronoun" in rule or "claimant:surname" in rule),
        "unattributed_rule": float(any(r in rule for r in ("hearsay", "reportedly", "purported", "unconfirmed", "footage"))),
        "not_asserting": float(claim.stance != "asserts"),
        "no_event": float(not claim.event_ref),
    }


def load_model(path: Path = MODEL_PATH) -> dict:
    """The fitted coefficients ({"event": {...}, "claim": {...}}); an empty model when the file is missing."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


_MODEL = load_model()


def probability(features: dict[str, float], coefficients: dict[str, float] | None) -> float:
    """The model's probability for these features; without coefficients, the rule score itself.

    >>> probability({"rule_score": 0.6}, None), probability({"rule_score": 0.6}, {"bias": 0.0, "rule_score": 0.0})
    (0.6, 0.5)
    """
    if not coefficients:
        return round(features.get("rule_score", 0.0), 3)
    z = coefficients.get("bias", 0.0) + sum(coefficients.get(name, 0.0) * value for name, value in features.items())
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)


def calibrate_event(event, model: dict | None = None) -> float:
    """The probability that an analyst keeps this candidate event (place and date right)."""
    return probability(event_features(event), (model if model is not None else _MODEL).get("event"))


def calibrate_claim(claim, model: dict | None = None) -> float:
    """The probability that this claimant and stance are right."""
    return probability(claim_features(claim), (model if model is not None else _MODEL).get("claim"))


def fit_logistic(rows: list[dict[str, float]], labels: list[bool], *, l2: float = 1.0, steps: int = 50) -> dict[str, float]:
    """Coefficients of a logistic regression (Newton's method, L2 penalty on all but the bias).

    >>> fit = fit_logistic([{"x": 0.0}, {"x": 0.0}, {"x": 1.0}, {"x": 1.0}], [False, False, True, True], l2=0.1)
    >>> probability({"x": 1.0}, fit) > 0.8 > 0.2 > probability({"x": 0.0}, fit)
    True
    """
    import numpy as np

    names = sorted({name for row in rows for name in row})
    x = np.array([[1.0] + [row.get(name, 0.0) for name in names] for row in rows])
    y = np.array([1.0 if label else 0.0 for label in labels])
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty + np.eye(x.shape[1]) * 1e-9
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"bias": round(float(w[0]), 4), **{name: round(float(v), 4) for name, v in zip(names, w[1:])}}
