"""Benchmark: 10,000 offline batch lookups (known, variant, fuzzy and unknown names), cold and warm.

    .venv/bin/python bench/geocode.py [--lookups 10000] [--seed 7]

Prints one JSON object. "cold" builds a new Geocoder (gazetteer, seed table if present, GeoNames
index) and geocodes the batch; "warm" geocodes a fresh batch of the same mix with the indexes
built but the per-name memo emptied (what a second file costs); "warm_repeat" repeats the first
batch (every name memoised); "warm_all_unique" is a stress case of 10,000 different names. Wall and CPU seconds are both given: on a shared machine the load
average (also printed) inflates wall time. Never touches the network (live layer off).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MIX = {"known": 0.45, "variant": 0.25, "fuzzy": 0.15, "unknown": 0.15}
POOL_SIZE = {"known": 400, "variant": 300, "fuzzy": 250, "unknown": 250}


def _variant(name: str, rng: random.Random) -> str:
    """A transliteration variant: the kind of respelling one outlet makes of another's name."""
    swaps = [("ou", "u"), ("u", "ou"), ("ei", "ay"), ("ay", "ei"), ("q", "k"), ("k", "q"), ("i", "ee"),
             ("sh", "ch"), ("eh", "a"), ("a", "ah"), ("iya", "iyeh"), ("iyah", "ieh")]
    out = name
    for old, new in rng.sample(swaps, 3):
        if old in out:
            out = out.replace(old, new, 1)
    if rng.random() < 0.4:
        out = rng.choice(["al-", "Al ", "el-", "Ar-", "As-"]) + out
    return out


def _typo(name: str, rng: random.Random) -> str:
    """One keyboard slip: a dropped, doubled, swapped or wrong letter."""
    if len(name) < 5:
        return name + rng.choice("aeiou")
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(["drop", "double", "swap", "wrong"])
    if kind == "drop":
        return name[:i] + name[i + 1:]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + rng.choice("bcdfghjklmnprstvwz") + name[i + 1:]


def _nonsense(rng: random.Random) -> str:
    syllables = ["qa", "zor", "vix", "plen", "dru", "kwe", "brat", "ul", "tep", "xon", "mir", "gof"]
    return " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(rng.randint(1, 2)))


def build_batch(geocoder, *, lookups: int, seed: int) -> tuple[list[str], list[str]]:
    """(names, category of each name), drawn with repetition from pools of each category."""
    rng = random.Random(seed)
    spellings = sorted({s for p in geocoder.places.values() for s in (p.name, *p.aliases)
                        if s.isascii() and len(s) >= 4})
    if len(geocoder.layers) > 1:
        spellings += sorted({e.name for e in geocoder.layers[1].entries if e.country == "SY" and e.name.isascii()})
    known = rng.sample(spellings, min(POOL_SIZE["known"], len(spellings)))
    pools = {"known": [(k, k) for k in known], "unknown": [(_nonsense(rng), None) for _ in range(POOL_SIZE["unknown"])]}
    pools["variant"] = [(_variant(k, rng), k) for k in (rng.choice(known) for _ in range(POOL_SIZE["variant"]))]
    pools["fuzzy"] = [(_typo(k, rng), k) for k in (rng.choice(known) for _ in range(POOL_SIZE["fuzzy"]))]
    categories = rng.choices(list(MIX), weights=list(MIX.values()), k=lookups)
    picks = [rng.choice(pools[c]) for c in categories]
    return [name for name, _ in picks], categories, [source for _, source in picks]


def unique_batch(names: list[str], *, lookups: int, seed: int) -> list[str]:
    """A stress case: `lookups` names, all different (variants, typos and nonsense), so nothing is memoised."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < lookups:
        name = rng.choice(names)
        roll = rng.random()
        out[_nonsense(rng) if roll < 0.3 else _typo(name, rng) if roll < 0.65 else _variant(name, rng)] = None
    return list(out)


def _ref(match) -> str | None:
    return None if match is None else (match.place_id or f"{match.provider}:{match.name}:{match.lat:.4f}")


def accuracy(geocoder, names: list[str], categories: list[str], sources: list[str | None]) -> dict:
    """For variants and typos of a name that resolves on its own: how many land on the same place,
    how many come back ambiguous or unmatched, and how many land somewhere else (a wrong answer)."""
    unique = {(n, c, s) for n, c, s in zip(names, categories, sources) if c in ("variant", "fuzzy")}
    out: dict[str, Counter] = {"variant": Counter(), "fuzzy": Counter()}
    for name, category, source in unique:
        expected = geocoder.geocode(source)
        if expected is None or expected.is_ambiguous:
            continue
        got = geocoder.geocode(name)
        if got is None:
            out[category]["unmatched"] += 1
        elif got.is_ambiguous:
            out[category]["ambiguous_with_it" if _ref(expected) in {_ref(c) for c in got.candidates}
                          else "ambiguous_without_it"] += 1
        else:
            out[category]["same_place" if _ref(got) == _ref(expected) else "other_place"] += 1
    return {k: dict(v) for k, v in out.items()}


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    (_, import_wall, import_cpu) = _timed(lambda: __import__("geo.geocoder"))
    from geo.geocoder import SEED_PLACES, Geocoder

    places = SEED_PLACES if SEED_PLACES.is_file() else None
    geocoder, build_wall, build_cpu = _timed(lambda: Geocoder(places, live=False))
    names, categories, sources = build_batch(geocoder, lookups=args.lookups, seed=args.seed)
    results, first_wall, first_cpu = _timed(lambda: geocoder.geocode_many(names))
    _, repeat_wall, repeat_cpu = _timed(lambda: geocoder.geocode_many(names))
    fresh_names, _, _ = build_batch(geocoder, lookups=args.lookups, seed=args.seed + 1)
    geocoder._memo.clear()
    _, warm_wall, warm_cpu = _timed(lambda: geocoder.geocode_many(fresh_names))
    stress = unique_batch(names, lookups=args.lookups, seed=args.seed + 2)
    geocoder._memo.clear()
    _, unique_wall, unique_cpu = _timed(lambda: geocoder.geocode_many(stress))

    status = Counter("unmatched" if m is None else "ambiguous" if m.is_ambiguous else "matched" for m in results)
    by_category = {c: dict(Counter("unmatched" if m is None else "ambiguous" if m.is_ambiguous else "matched"
                                   for m, k in zip(results, categories) if k == c)) for c in MIX}
    report = {
        "lookups": args.lookups,
        "unique_names": len(set(names)),
        "mix": dict(Counter(categories)),
        "layers": {name: len(layer.entries) for name, layer in zip(geocoder.layer_names, geocoder.layers)},
        "seed_places_loaded": places is not None,
        "import_s": {"wall": import_wall, "cpu": import_cpu},
        "cold_s": {"wall": round(build_wall + first_wall, 3), "cpu": round(build_cpu + first_cpu, 3),
                   "build_wall": build_wall, "first_batch_wall": first_wall},
        "warm_s": {"wall": warm_wall, "cpu": warm_cpu, "unique_names": len(set(fresh_names))},
        "warm_repeat_s": {"wall": repeat_wall, "cpu": repeat_cpu},
        "warm_all_unique_s": {"wall": unique_wall, "cpu": unique_cpu, "unique_names": len(set(stress))},
        "target_warm_s": 2.0,
        "warm_under_target": warm_wall < 2.0,
        "status": dict(status),
        "status_by_category": by_category,
        "unique_derived_names_vs_their_source": accuracy(geocoder, names, categories, sources),
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
