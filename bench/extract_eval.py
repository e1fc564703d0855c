"""Score the offline extractor against the curated seed dataset: events, claims, quantities, publication dates.

Usage: python bench/extract_eval.py [--seeds DIR] [--dataset DIR] [--no-geocoder] [--details]
Prints one JSON object. Matching rules (one-to-one, each curated row used once):
  events     same place, or a place inside or containing it, and overlapping date windows;
             a curated event without a place matches a candidate without a place or at country level
  claims     same claimant actor (or one of its renames or coalition members) or shared name words, and same stance
  quantities a value of the curated claims found among the figures extracted from the same article (within 1%)
  dates      run without a publication date: exact day, and whether the inferred window holds the true day
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
                             "dates_in_window", "dates_none")}
    per_article, started = [], time.time()
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
        wanted = [float(q) for q in claims["quantity"] if not _isnan(q) and q != ""]
        values = [q.value for q in result.quantities]
        found_q = [v for v in wanted if any(abs(v - x) <= 0.01 * max(v, 1) for x in values)]
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
                f"{e.candidate_id} {e.sub_event_type} @{e.place_id} {e.date_start}..{e.date_end}"
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
        "published_exact_share": _ratio(totals["dates_exact"], totals["dates_total"]),
        "published_window_share": _ratio(totals["dates_in_window"], totals["dates_total"]),
        "geocoder": geocoder is not None,
        "seconds": round(time.time() - started, 2),
        "counts": totals,
        "articles": per_article,
    }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--dataset", type=Path, default=SEED_DIR)
    parser.add_argument("--no-geocoder", action="store_true")
    parser.add_argument("--details", action="store_true", help="list missed and unmatched rows per article")
    parser.add_argument("--min-confidence", type=float, default=0.35)
    args = parser.parse_args(argv)
    figures = evaluate(args.seeds, args.dataset, use_geocoder=not args.no_geocoder, details=args.details,
                       min_confidence=args.min_confidence)
    print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
