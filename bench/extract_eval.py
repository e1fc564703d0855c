"""Score the offline extractor on the curated seed dataset and, separately, on our development set; time it.

Usage: python bench/extract_eval.py [--only seed|devset|speed] [--details] [--no-geocoder] [--min-confidence X]
Prints one JSON object: {"seed": ..., "devset": ..., "speed": ..., "calibration": ...}.

Seed (the five articles in ../shared/seeds, curated rows in data/seed), one-to-one matching:
  events     same place, or a place inside or containing it, and overlapping date windows;
             a curated event without a place matches a candidate without a place or at country level
  claims     same claimant actor (or one of its renames or coalition members) or shared name words, and same stance
  quantities a value of the curated claims found among the figures extracted from the same article (within 1%);
             precision here is a lower bound: the curated claims record only the figures tied to a claim
  dates      run without a publication date: exact day, and whether the inferred window holds the true day
Devset (tests/extract/devset, gold files written before the rules were tuned), one-to-one matching:
  events     place: the gold place, a place inside it, or the city/town/area containing it (never a governorate
             or country unless the gold place is one); a place our gazetteer lacks matches by name or its `within`
             place; dates: windows overlap ("tight": and the candidate window is at most a week wider than gold's)
  claimants  distinct (claimant, stance) pairs: same actor family or shared name words, same stance; the outlet's
             own voice matches the extractor's reporter claims
  quantities every counted figure (durations and "the second time" excluded on both sides), value within 1%
Speed: the extractor (actor table and geocoder loaded once) over articles of about 800 words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data.model.dataset import SEED_DIR, load_dataset  # noqa: E402
from data.extract import extract  # noqa: E402
from data.extract.extraction import clear_text_caches  # noqa: E402
from data.extract.confidence import MODEL_FEATURES, MODEL_PATH, claim_features, event_features, fit_logistic, probability  # noqa: E402
from geo.names import name_key  # noqa: E402

DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
_STOP = {"the", "a", "an", "of", "and", "in", "for", "with", "unnamed", "not", "named", "al", "el"}


def _day(value) -> date | None:
    if value is None or (hasattr(value, "__class__") and str(value) in ("NaT", "nan", "")):
        return None
    return value.date() if hasattr(value, "date") else value


def place_compatible(tree, curated: str, candidate: str | None) -> bool:
    """Same place, or one inside the other; no place matches no place or a country."""
    if not curated:
        return not candidate or candidate in ("syria",)
    if not candidate:
        return False
    if candidate == curated:
        return True
    return candidate in tree.descendants(curated) or candidate in tree.ancestors(curated)


def dates_overlap(a_start, a_end, b_start, b_end) -> bool:
    if None in (a_start, a_end, b_start, b_end):
        return False
    return a_start <= b_end and b_start <= a_end


def max_matching(pairs: list[tuple[float, float, str, str]]) -> list[tuple[str, str]]:
    """A maximum one-to-one matching (Kuhn's augmenting paths); better-scored edges are tried first."""
    edges: dict[str, list[str]] = {}
    for _, _, left, right in sorted(pairs, reverse=True):
        edges.setdefault(left, []).append(right)
    owner: dict[str, str] = {}

    def augment(left: str, seen: set[str]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in owner or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in edges:
        augment(left, set())
    return sorted((left, right) for right, left in owner.items())


def match_events(ds, curated, candidates, *, same_type: bool = False) -> list[tuple[str, str]]:
    """One-to-one pairs (curated id, candidate id), as many as possible; same sub-type, then same type, preferred.

    same_type=True also requires the same ACLED event type (the stricter figure).
    """
    pairs = []
    for row in curated.itertuples(index=False):
        for cand in candidates:
            if same_type and row.event_type != cand.event_type:
                continue
            if not place_compatible(ds.place_tree, row.place_id, cand.place_id):
                continue
            if not dates_overlap(_day(row.date_start), _day(row.date_end), cand.date_start, cand.date_end):
                continue
            score = 2 * (row.sub_event_type == cand.sub_event_type) + (row.event_type == cand.event_type)
            score += 0.5 * (row.place_id == (cand.place_id or ""))
            pairs.append((score, cand.confidence, row.event_id, cand.candidate_id))
    return max_matching(pairs)


def _name_words(text: str) -> set[str]:
    return {w for w in name_key(text).split() if w not in _STOP and len(w) > 2}


def claimant_matches(ds, row, cand, outlet_actor: str | None = None) -> bool:
    if row.claimant_actor_id and cand.claimant_actor_id:
        family = ds.actor_index.expand([row.claimant_actor_id]) | ds.actor_index.lineage(row.claimant_actor_id)
        if cand.claimant_actor_id in family or row.claimant_actor_id in ds.actor_index.lineage(cand.claimant_actor_id):
            return True
    if cand.rule.startswith("claim:reporter") and ("own reporting" in row.claimant or
                                                   (outlet_actor and row.claimant_actor_id == outlet_actor)):
        return True  # the outlet's own, unattributed reporting
    curated_name = row.claimant if row.claimant not in ds.actor_index.names else ds.actor_index.names[row.claimant]
    first = re.split(r"[,(]", curated_name)[0]
    words = _name_words(first)
    return bool(words) and bool(words & _name_words(cand.claimant))


def match_claims(ds, curated, candidates, outlet: str = "") -> list[tuple[str, str]]:
    pairs = []
    outlet_actor = ds.actor_index.resolve(outlet) if outlet else None
    for row in curated.itertuples(index=False):
        for cand in candidates:
            if row.stance != cand.stance or not claimant_matches(ds, row, cand, outlet_actor):
                continue
            overlap = 0
            if row.span_start is not None and not _isnan(row.span_start):
                overlap = int(cand.span_start <= int(row.span_start) < cand.span_end or int(row.span_start) <= cand.span_start < int(row.span_end or row.span_start))
            pairs.append((overlap, cand.confidence, row.claim_id, cand.candidate_id))
    return max_matching(pairs)


def _isnan(value) -> bool:
    try:
        return value != value
    except TypeError:
        return False


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def evaluate(seeds_dir: Path, dataset_dir: Path, *, use_geocoder: bool = True, details: bool = False,
             min_confidence: float = 0.35) -> dict:
    """Run the extractor on every source that names a document and score it."""
    ds = load_dataset(dataset_dir)
    geocoder = None
    if use_geocoder:
        try:
            from geo.geocoder import Geocoder

            geocoder = Geocoder(places=str(dataset_dir / "places.csv"))
        except Exception as exc:  # the geocoder is optional for the extractor; say so in the output
            print(f"geocoder unavailable: {exc}", file=sys.stderr)
    totals = {k: 0 for k in ("events_curated", "events_candidates", "events_matched", "events_matched_same_type", "claims_curated", "claims_candidates",
                             "claims_matched", "quantities_curated", "quantities_found", "dates_total", "dates_exact",
                             "dates_in_window", "dates_none", "quantities_candidates", "quantities_candidates_curated",
                             "relays_curated", "relays_found", "relays_matched_claims", "relays_agree", "relays_spurious")}
    per_article, started, scored = [], time.time(), []
    for source in ds.sources.itertuples(index=False):
        if not source.document:
            continue
        path = seeds_dir / source.document
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        published = _day(source.published)
        result = extract(text, outlet=source.outlet, published=published, actors=ds.actor_index, geocoder=geocoder,
                         min_confidence=min_confidence)
        claims = ds.claims[ds.claims["source_id"] == source.source_id]
        event_ids = set(claims["event_id"]) - {""}
        events = ds.events[ds.events["event_id"].isin(event_ids)]
        ev_pairs = match_events(ds, events, result.events)
        strict_pairs = match_events(ds, events, result.events, same_type=True)
        cl_pairs = match_claims(ds, claims, result.claims, source.outlet)
        for key, value in relay_agreement(claims, result.claims, cl_pairs).items():
            totals[key] += value
        wanted = [float(q) for q in claims["quantity"] if not _isnan(q) and q != ""]
        found_q = [v for v in wanted if any(_same_value(v, q.value) for q in result.quantities)]  # as before issue 18
        values = [q.value for q in counted_quantities(result.quantities)]
        totals["quantities_candidates"] += len(values)
        totals["quantities_candidates_curated"] += sum(any(_same_value(v, x) for v in wanted) for x in values)
        matched_events = {c for _, c in ev_pairs}
        matched_claims = {c for _, c in cl_pairs}
        scored.extend(("event", e.confidence, e.candidate_id in matched_events, event_features(e)) for e in result.events)
        scored.extend(("claim", c.confidence, c.candidate_id in matched_claims, claim_features(c)) for c in result.claims)
        undated = extract(text, outlet=source.outlet, published=None, actors=ds.actor_index, geocoder=geocoder)
        exact = undated.published == published
        in_window = exact or bool(undated.published_window and published and undated.published_window[0] <= published <= undated.published_window[1])
        totals["events_curated"] += len(events)
        totals["events_candidates"] += len(result.events)
        totals["events_matched"] += len(ev_pairs)
        totals["events_matched_same_type"] += len(strict_pairs)
        totals["claims_curated"] += len(claims)
        totals["claims_candidates"] += len(result.claims)
        totals["claims_matched"] += len(cl_pairs)
        totals["quantities_curated"] += len(wanted)
        totals["quantities_found"] += len(found_q)
        totals["dates_total"] += 1
        totals["dates_exact"] += int(exact)
        totals["dates_in_window"] += int(in_window)
        totals["dates_none"] += int(undated.published is None and undated.published_window is None)
        article = {
            "source_id": source.source_id, "events": [len(events), len(result.events), len(ev_pairs)],
            "claims": [len(claims), len(result.claims), len(cl_pairs)], "quantities": [len(wanted), len(found_q)],
            "missing_quantities": sorted(set(wanted) - set(found_q)),
            "published_inferred": undated.published.isoformat() if undated.published else None,
            "published_window": [d.isoformat() for d in undated.published_window] if undated.published_window else None,
            "published_basis": undated.published_basis,
        }
        if details:
            matched_events = {e for e, _ in ev_pairs}
            matched_cands = {c for _, c in ev_pairs}
            article["events_missed"] = sorted(set(events["event_id"]) - matched_events)
            article["events_unmatched_candidates"] = [
                f"{e.candidate_id} {e.sub_event_type} @{e.place_id} {e.date_start}..{e.date_end} [{e.rule}; {e.date_rule}] "
                f"c={e.confidence} «{text[e.trigger_start:e.trigger_end]}»"
                for e in result.events if e.candidate_id not in matched_cands]
            matched_claims = {c for c, _ in cl_pairs}
            article["claims_missed"] = [f"{r.claim_id} [{r.claimant_actor_id or r.claimant}] {r.stance}"
                                        for r in claims.itertuples() if r.claim_id not in matched_claims]
            used = {c for _, c in cl_pairs}
            article["claims_unmatched_candidates"] = [f"{c.candidate_id} [{c.claimant_actor_id or c.claimant[:40]}] {c.stance}"
                                                      for c in result.claims if c.candidate_id not in used]
        per_article.append(article)
    figures = {
        "event_recall": _ratio(totals["events_matched"], totals["events_curated"]),
        "event_precision": _ratio(totals["events_matched"], totals["events_candidates"]),
        "event_recall_same_type": _ratio(totals["events_matched_same_type"], totals["events_curated"]),
        "event_precision_same_type": _ratio(totals["events_matched_same_type"], totals["events_candidates"]),
        "claim_recall": _ratio(totals["claims_matched"], totals["claims_curated"]),
        "claim_precision": _ratio(totals["claims_matched"], totals["claims_candidates"]),
        "quantity_recall": _ratio(totals["quantities_found"], totals["quantities_curated"]),
        "quantity_precision_lower_bound": _ratio(totals["quantities_candidates_curated"], totals["quantities_candidates"]),
        "relay_recall": _ratio(totals["relays_found"], totals["relays_curated"]),
        "relay_agreement": _ratio(totals["relays_agree"], totals["relays_matched_claims"]),
        "published_exact_share": _ratio(totals["dates_exact"], totals["dates_total"]),
        "published_window_share": _ratio(totals["dates_in_window"], totals["dates_total"]),
        "geocoder": geocoder is not None,
        "seconds": round(time.time() - started, 2),
        "counts": totals,
        "articles": per_article,
        "scored": scored,
    }
    return figures


def same_chain(a: str, b: str) -> bool:
    """Two relayed_by chains name the same reports in the same order ('AP' and 'Associated Press' alike)."""
    from data.extract.relays import same_report

    left = [part for part in str(a or "").split("|") if part.strip()]
    right = [part for part in str(b or "").split("|") if part.strip()]
    return len(left) == len(right) and all(same_report(x, y) for x, y in zip(left, right))


def relay_agreement(curated, candidates, pairs) -> dict[str, int]:
    """Over matched claims: curated relays found (same chain), chains that agree (blank = blank), relays we added wrongly."""
    by_id = {c.candidate_id: c for c in candidates}
    chains = dict(zip(curated["claim_id"], curated["relayed_by"].fillna("")))
    out = {"relays_curated": int((curated["relayed_by"].fillna("") != "").sum()), "relays_found": 0,
           "relays_matched_claims": len(pairs), "relays_agree": 0, "relays_spurious": 0}
    for claim_id, candidate_id in pairs:
        want, got = chains[claim_id], by_id[candidate_id].relayed_by
        agree = same_chain(want, got)
        out["relays_agree"] += agree
        out["relays_found"] += bool(want) and agree
        out["relays_spurious"] += bool(got) and not want
    return out


def counted_quantities(quantities) -> list:
    """The figures that count something: durations and "the second time" are told apart by the extractor itself."""
    return [q for q in quantities if q.rule not in ("quantity:duration", "quantity:ordinal-time")]


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), 1)


# ---- development set ------------------------------------------------------------------------------------------

DEVSET_DIR = ROOT / "tests" / "extract" / "devset"
_BROAD_KINDS = {"country", "governorate"}


def load_devset(folder: Path = DEVSET_DIR) -> list[tuple[str, str, dict]]:
    """(name, text, gold) for every report of the development set, in file order."""
    out = []
    for gold_path in sorted(folder.glob("*.json")):
        text_path = gold_path.with_suffix(".txt")
        out.append((gold_path.stem, text_path.read_text(encoding="utf-8"), json.loads(gold_path.read_text(encoding="utf-8"))))
    return out


def devset_place_matches(geocoder, gold: dict, candidate) -> bool:
    """The gold place, a place inside it, or the city/town/area that holds it; by name or `within` when unknown."""
    gold_id, cand_id = gold.get("place"), candidate.place_id
    if gold_id is None:
        if cand_id and cand_id == gold.get("within"):
            return True
        gold_key, cand_key = name_key(gold.get("place_name") or ""), name_key(candidate.place_name or "")
        return bool(gold_key) and bool(cand_key) and (gold_key == cand_key or gold_key in cand_key or cand_key in gold_key)
    if not cand_id:
        return False
    if cand_id == gold_id:
        return True
    try:
        cand_up = geocoder.ancestors(cand_id) if geocoder is not None else []
        gold_up = geocoder.ancestors(gold_id) if geocoder is not None else []
        cand_kind = geocoder.place(cand_id).kind if geocoder is not None else ""
    except Exception:  # a place the gazetteer does not hold: only the same id matches
        return False
    if gold_id in cand_up:
        return True  # the candidate names a place inside the gold one
    return cand_id in gold_up and cand_kind not in _BROAD_KINDS


def _gold_window(gold: dict) -> tuple[date, date]:
    return date.fromisoformat(gold["date"][0]), date.fromisoformat(gold["date"][1])


def match_devset_events(geocoder, golds: list[dict], candidates, *, tight: bool = False, same_type: bool = False):
    """One-to-one pairs (gold index, candidate id) by place and overlapping date windows."""
    pairs = []
    for index, gold in enumerate(golds):
        start, end = _gold_window(gold)
        for cand in candidates:
            if same_type and gold.get("type") != cand.event_type:
                continue
            if not devset_place_matches(geocoder, gold, cand):
                continue
            if not dates_overlap(start, end, cand.date_start, cand.date_end):
                continue
            if tight and (cand.date_end - cand.date_start).days > (end - start).days + 7:
                continue
            score = (gold.get("type") == cand.event_type) + 0.5 * (gold.get("place") == cand.place_id)
            pairs.append((score, cand.confidence, f"{index:03d}", cand.candidate_id))
    return max_matching(pairs)


def claimant_groups(claims) -> dict[tuple[str, str], list]:
    """Candidate claims grouped by who (actor id, the outlet's own voice, or the name) and stance."""
    groups: dict[tuple[str, str], list] = {}
    for claim in claims:
        if claim.rule.startswith("claim:reporter"):
            who = "::own"
        else:
            who = claim.claimant_actor_id or name_key(claim.claimant)
        groups.setdefault((who, claim.stance), []).append(claim)
    return groups


def devset_claimant_matches(actor_index, gold: dict, group: list) -> bool:
    first = group[0]
    if gold.get("own_reporting"):
        return first.rule.startswith("claim:reporter")
    if first.rule.startswith("claim:reporter"):
        return False
    gold_actor = gold.get("actor")
    for claim in group:
        if gold_actor and claim.claimant_actor_id and actor_index is not None:
            family = actor_index.expand([gold_actor]) | actor_index.lineage(gold_actor)
            if claim.claimant_actor_id in family or gold_actor in actor_index.lineage(claim.claimant_actor_id):
                return True
        words = _name_words(re.split(r"[,(]", gold["claimant"])[0])
        if words and words & _name_words(claim.claimant):
            return True
    return False


def match_devset_claimants(actor_index, golds: list[dict], groups: dict) -> list[tuple[str, str]]:
    pairs = []
    for index, gold in enumerate(golds):
        for key, group in groups.items():
            if key[1] != gold["stance"] or not devset_claimant_matches(actor_index, gold, group):
                continue
            same_actor = float(bool(gold.get("actor")) and group[0].claimant_actor_id == gold.get("actor"))
            pairs.append((same_actor, max(c.confidence for c in group), f"{index:03d}", "|".join(key)))
    return max_matching(pairs)


def devset_relay_agreement(golds: list[dict], groups: dict, pairs) -> dict[str, int]:
    """Gold claimants that give `relayed_by` (reports 28-30): wires found, and chains that agree (blank = blank) once matched."""
    out = {"relays_gold": sum(bool(g.get("relayed_by")) for g in golds), "relays_gold_matched": 0, "relays_found": 0, "relays_agree": 0}
    for gold_index, group_key in pairs:
        gold = golds[int(gold_index)]
        if "relayed_by" not in gold:
            continue
        group = next(g for k, g in groups.items() if "|".join(k) == group_key)
        agree = any(same_chain(gold["relayed_by"], claim.relayed_by) for claim in group)
        out["relays_gold_matched"] += 1
        out["relays_agree"] += agree
        out["relays_found"] += agree and bool(gold["relayed_by"])
    return out


def match_quantities(wanted: list[float], found: list[float]) -> int:
    """How many gold figures are found, each extracted figure used once."""
    pairs = [(0, 0, f"{i:03d}", f"{j:03d}") for i, v in enumerate(wanted) for j, x in enumerate(found) if _same_value(v, x)]
    return len(max_matching(pairs))


def evaluate_devset(folder: Path = DEVSET_DIR, dataset_dir: Path = SEED_DIR, *, use_geocoder: bool = True,
                    details: bool = False, min_confidence: float = 0.35, geocoder=None) -> dict:
    """Run the extractor on every report of the development set and score it against the gold files."""
    ds = load_dataset(dataset_dir)
    if geocoder is None and use_geocoder:
        geocoder = _load_geocoder(dataset_dir)
    keys = ("events_gold", "events_candidates", "events_matched", "events_matched_tight", "events_matched_same_type",
            "claimants_gold", "claimants_candidates", "claimants_matched", "quantities_gold", "quantities_candidates",
            "quantities_matched", "relays_gold", "relays_gold_matched", "relays_found", "relays_agree")
    totals = {k: 0 for k in keys}
    by_pattern: dict[str, dict[str, int]] = {}
    per_article, scored, started = [], [], time.time()
    for name, text, gold in load_devset(folder):
        result = extract(text, outlet=gold["outlet"], published=gold["published"], actors=ds.actor_index,
                         geocoder=geocoder, min_confidence=min_confidence)
        ev_pairs = match_devset_events(geocoder, gold["events"], result.events)
        tight_pairs = match_devset_events(geocoder, gold["events"], result.events, tight=True)
        typed_pairs = match_devset_events(geocoder, gold["events"], result.events, same_type=True)
        groups = claimant_groups(result.claims)
        cl_pairs = match_devset_claimants(ds.actor_index, gold["claimants"], groups)
        for key, value in devset_relay_agreement(gold["claimants"], groups, cl_pairs).items():
            totals[key] += value
        wanted = [float(q["value"]) for q in gold["quantities"]]
        found = [q.value for q in counted_quantities(result.quantities)]
        q_matched = match_quantities(wanted, found)
        counts = {"events_gold": len(gold["events"]), "events_candidates": len(result.events), "events_matched": len(ev_pairs),
                  "events_matched_tight": len(tight_pairs), "events_matched_same_type": len(typed_pairs),
                  "claimants_gold": len(gold["claimants"]), "claimants_candidates": len(groups), "claimants_matched": len(cl_pairs),
                  "quantities_gold": len(wanted), "quantities_candidates": len(found), "quantities_matched": q_matched}
        for key, value in counts.items():
            totals[key] += value
        for pattern in gold.get("patterns", []):
            row = by_pattern.setdefault(pattern, {"reports": 0, "events_gold": 0, "events_matched": 0})
            row["reports"] += 1
            row["events_gold"] += counts["events_gold"]
            row["events_matched"] += counts["events_matched"]
        matched_events = {c for _, c in ev_pairs}
        matched_groups = {c for _, c in cl_pairs}
        scored.extend(("event", e.confidence, e.candidate_id in matched_events, event_features(e)) for e in result.events)
        for key, group in groups.items():
            scored.append(("claimant", max(c.confidence for c in group), "|".join(key) in matched_groups, None))
            scored.extend(("claim", c.confidence, "|".join(key) in matched_groups, claim_features(c)) for c in group)
        article = {"report": name, "events": [counts["events_gold"], counts["events_candidates"], counts["events_matched"]],
                   "claimants": [counts["claimants_gold"], counts["claimants_candidates"], counts["claimants_matched"]],
                   "quantities": [len(wanted), len(found), q_matched]}
        if details:
            hit = {int(g) for g, _ in ev_pairs}
            article["events_missed"] = [f"{g['what']} @{g.get('place') or g['place_name']} {g['date'][0]}..{g['date'][1]}"
                                        for i, g in enumerate(gold["events"]) if i not in hit]
            article["events_unmatched_candidates"] = [
                f"{e.candidate_id} {e.sub_event_type} @{e.place_id or e.place_name} {e.date_start}..{e.date_end} "
                f"[{e.rule}; {e.date_rule}] c={e.confidence} «{text[e.trigger_start:e.trigger_end]}»"
                for e in result.events if e.candidate_id not in matched_events]
            hit = {int(g) for g, _ in cl_pairs}
            article["claimants_missed"] = [f"{g['claimant']} [{g.get('actor')}] {g['stance']}"
                                           for i, g in enumerate(gold["claimants"]) if i not in hit]
            article["claimants_unmatched_candidates"] = [f"{'|'.join(k)} «{v[0].claimant[:50]}» {v[0].rule}"
                                                         for k, v in groups.items() if "|".join(k) not in matched_groups]
            article["quantities_wanted"] = wanted
            article["quantities_found"] = found
        per_article.append(article)
    for row in by_pattern.values():
        row["event_recall"] = _ratio(row["events_matched"], row["events_gold"])
    return {
        "reports": len(per_article),
        "event_recall": _ratio(totals["events_matched"], totals["events_gold"]),
        "event_precision": _ratio(totals["events_matched"], totals["events_candidates"]),
        "event_recall_tight": _ratio(totals["events_matched_tight"], totals["events_gold"]),
        "event_precision_tight": _ratio(totals["events_matched_tight"], totals["events_candidates"]),
        "event_recall_same_type": _ratio(totals["events_matched_same_type"], totals["events_gold"]),
        "claimant_recall": _ratio(totals["claimants_matched"], totals["claimants_gold"]),
        "claimant_precision": _ratio(totals["claimants_matched"], totals["claimants_candidates"]),
        "quantity_recall": _ratio(totals["quantities_matched"], totals["quantities_gold"]),
        "quantity_precision": _ratio(totals["quantities_matched"], totals["quantities_candidates"]),
        "relay_recall": _ratio(totals["relays_found"], totals["relays_gold"]),
        "relay_agreement": _ratio(totals["relays_agree"], totals["relays_gold_matched"]),
        "event_recall_by_pattern": by_pattern,
        "geocoder": geocoder is not None,
        "seconds": round(time.time() - started, 2),
        "counts": totals,
        "articles": per_article,
        "scored": scored,
    }


def _load_geocoder(dataset_dir: Path):
    try:
        from geo.geocoder import Geocoder

        return Geocoder(places=str(dataset_dir / "places.csv"))
    except Exception as exc:  # the extractor works without one; the output says so
        print(f"geocoder unavailable: {exc}", file=sys.stderr)
        return None


# ---- calibration and speed ------------------------------------------------------------------------------------

def calibration(scored: list[tuple], *, thresholds=(0.35, 0.5, 0.6, 0.7, 0.8)) -> dict:
    """Per kind: share of candidates that match gold, by confidence bin and above each threshold."""
    out = {}
    for kind in sorted({row[0] for row in scored}):
        rows = [(row[1], row[2]) for row in scored if row[0] == kind]
        bins = {}
        for low in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            high = round(low + 0.1, 1) if low else 0.4
            inside = [ok for c, ok in rows if low <= c < high or (high == 1.0 and c == 1.0)]
            if inside:
                bins[f"{low:.1f}-{high:.1f}"] = {"n": len(inside), "precision": _ratio(sum(inside), len(inside))}
        above = {}
        for t in thresholds:
            kept = [ok for c, ok in rows if c >= t]
            above[f">={t}"] = {"n": len(kept), "precision": _ratio(sum(kept), len(kept))}
        out[kind] = {"bins": bins, "at_or_above": above}
    return out


def fit_confidence(seed_scored: list[tuple], devset_scored: list[tuple], *, write: bool = False) -> dict:
    """Fit the calibration model on both sets; check it out of sample by fitting on one and scoring the other."""
    def rows(scored, kind):
        picked = [row for row in scored if row[0] == kind and row[3] is not None]
        return [{name: row[3][name] for name in MODEL_FEATURES[kind]} for row in picked], [row[2] for row in picked]

    report, model = {}, {}
    for kind in ("event", "claim"):
        seed_x, seed_y = rows(seed_scored, kind)
        dev_x, dev_y = rows(devset_scored, kind)
        # claims: the devset's labels are per claimant group and all matched, so they carry no signal
        model[kind] = fit_logistic(seed_x + dev_x, seed_y + dev_y, l2=0.1) if kind == "event" else fit_logistic(seed_x, seed_y, l2=0.1)
        checks = {}
        for name, (train_x, train_y, test_x, test_y) in {"seed->devset": (seed_x, seed_y, dev_x, dev_y),
                                                         "devset->seed": (dev_x, dev_y, seed_x, seed_y)}.items():
            if not train_x or not test_x:
                continue
            coefficients = fit_logistic(train_x, train_y, l2=0.1)
            predicted = [probability(x, coefficients) for x in test_x]
            brier = sum((p - y) ** 2 for p, y in zip(predicted, test_y)) / len(test_y)
            base = sum(test_y) / len(test_y)
            checks[name] = {"n": len(test_y), "brier": round(brier, 3),
                            "brier_of_base_rate": round(sum((base - y) ** 2 for y in test_y) / len(test_y), 3),
                            "table": calibration([(kind, p, y) for p, y in zip(predicted, test_y)])[kind]}
        report[kind] = {"coefficients": model[kind], "n": len(seed_y) + (len(dev_y) if kind == "event" else 0), "out_of_sample": checks}
    if write:
        MODEL_PATH.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def measure_speed(dataset_dir: Path = SEED_DIR, seeds_dir: Path = DEFAULT_SEEDS, *, words: int = 800, rounds: int = 3) -> dict:
    """Articles of about `words` words per second: devset reports (and seed articles, when present) joined to that length.

    The first round is "cold" (no place name looked up yet); later rounds reuse the geocoder's lookups, as the
    Review page does across the articles of a session. Wall-clock and CPU-time rates are both given.
    """
    ds = load_dataset(dataset_dir)
    loaded = time.perf_counter()
    geocoder = _load_geocoder(dataset_dir)
    load_seconds = time.perf_counter() - loaded
    pieces = [(text, gold["published"]) for _, text, gold in load_devset()]
    if seeds_dir.exists():
        pieces += [(p.read_text(encoding="utf-8"), None) for p in sorted(seeds_dir.glob("*.txt"))]
    articles, current, count, published = [], [], 0, None
    for text, day in pieces:
        current.append(text)
        count += len(text.split())
        published = published or day
        if count >= words:
            articles.append(("\n\n".join(current), published or "2016-08-08", count))
            current, count, published = [], 0, None
    first = time.perf_counter()
    # warm-up on an unrelated sentence (imports, compiled patterns) so the first round sees every name afresh
    extract("Troops shelled Hometown on Monday, a monitor said.", published="2016-01-04", actors=ds.actor_index, geocoder=geocoder)
    first_seconds = time.perf_counter() - first
    timings, cpu = [], []
    for _ in range(rounds):
        clear_text_caches()  # later rounds may reuse place look-ups (as a session does), not the same texts' parsing
        started, started_cpu = time.perf_counter(), time.process_time()
        for text, day, _ in articles:
            extract(text, outlet="Bench", published=day, actors=ds.actor_index, geocoder=geocoder)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    best, best_cpu = min(timings), min(cpu)
    cold, cold_cpu = timings[0], cpu[0]  # the first round meets every place name for the first time
    total_words = sum(n for _, _, n in articles)
    try:
        load = round(__import__("os").getloadavg()[0], 2)
    except OSError:
        load = None
    return {"articles": len(articles), "mean_words": round(total_words / len(articles)),
            "articles_per_second": round(len(articles) / best, 1),
            "articles_of_800_words_per_second": round(total_words / words / best, 1),
            "articles_of_800_words_per_second_cold": round(total_words / words / cold, 1),
            # on a shared machine the wall clock counts other people's work too; CPU time counts ours
            "articles_of_800_words_per_cpu_second": round(total_words / words / best_cpu, 1),
            "articles_of_800_words_per_cpu_second_cold": round(total_words / words / cold_cpu, 1),
            "load_average_1min": load,
            "first_article_seconds": round(first_seconds, 3), "geocoder_load_seconds": round(load_seconds, 2),
            "rounds": rounds, "geocoder": geocoder is not None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--dataset", type=Path, default=SEED_DIR)
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR)
    parser.add_argument("--only", choices=("seed", "devset", "speed"))
    parser.add_argument("--no-geocoder", action="store_true")
    parser.add_argument("--details", action="store_true", help="list missed and unmatched rows per article")
    parser.add_argument("--min-confidence", type=float, default=0.35)
    parser.add_argument("--fit-confidence", action="store_true",
                        help="refit the calibration model on seed + devset (all candidates kept) and write data/extract/confidence_model.json")
    args = parser.parse_args(argv)
    if args.fit_confidence:
        seed = evaluate(args.seeds, args.dataset, min_confidence=0.0)
        devset = evaluate_devset(args.devset, args.dataset, min_confidence=0.0)
        print(json.dumps(fit_confidence(seed["scored"], devset["scored"], write=True), indent=2))
        return 0
    out, scored = {}, []
    if args.only in (None, "seed") and args.seeds.exists():
        out["seed"] = evaluate(args.seeds, args.dataset, use_geocoder=not args.no_geocoder, details=args.details,
                               min_confidence=args.min_confidence)
        seed_scored = out["seed"].pop("scored")
        out["calibration_seed"] = calibration(seed_scored)
        scored += seed_scored
    if args.only in (None, "devset"):
        out["devset"] = evaluate_devset(args.devset, args.dataset, use_geocoder=not args.no_geocoder, details=args.details,
                                        min_confidence=args.min_confidence)
        devset_scored = out["devset"].pop("scored")
        out["calibration_devset"] = calibration(devset_scored)
        scored += devset_scored
    if scored:
        out["calibration_all"] = calibration(scored)
    if args.only in (None, "speed"):
        out["speed"] = measure_speed(args.dataset, args.seeds)
    print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
