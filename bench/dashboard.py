"""Per-rerun cost of the Atlas page at growing dataset sizes: load time, compute per rerun, bytes sent, memory.

    .venv/bin/python -m bench.dashboard --sizes 10000,100000,1000000

For each size it generates a synthetic dataset once (bench/synth.py) into /tmp/claim-atlas-bench/<N>
(reused when present), then, in a fresh process so memory figures are per size, loads it with
`load_dataset` and replays what pages/atlas.py computes on a rerun for 100 random view states:
filter, caption, map places and the pydeck Deck as JSON, the timeline and its Vega-Lite spec as JSON,
the sorted claim table page as Arrow bytes, the event detail, and the sidebar's vocabulary and
option lists. It prints one JSON line per size. The floor is one numpy comparison over the event
date column, timed in the same process on the same data; `ratio` is our rerun p50 over it.

Timings are wall-clock (`time.perf_counter`) with CPU time beside them: on a shared machine the
wall figures include waiting for a core. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_ROOT = Path(os.environ.get("ATLAS_BENCH_DIR", "/tmp/claim-atlas-bench"))
SEARCH_WORDS = (
    "siege", "corridor", "checkpoint", "hospital", "mosque", "convoy", "bakery", "ceasefire", "market",
    "truce", "school", "air strike", "killed", "displaced", "brigade", "denies", "tunnel", "water station",
    "airport", "prisoner exchange", "fuel depot", "300", "reports the armed clash", "old market",
)


def dataset_dir(n_events: int, seed: int = 1) -> Path:
    """The synthetic dataset of this size, generated once (in a subprocess) and reused."""
    folder = BENCH_ROOT / str(n_events)
    done = folder / ".complete"
    if not done.exists():
        subprocess.run(
            [sys.executable, "-m", "bench.synth", "--events", str(n_events), "--seed", str(seed), "--out", str(folder)],
            cwd=ROOT,
            check=True,
        )
        done.write_text(f"seed={seed}\n")
    return folder


def random_views(ds, n: int, seed: int = 0) -> list[tuple]:
    """(ViewState, sort, page) triples an analyst might plausibly produce, drawn from the data's own vocabulary."""
    from data.model.taxonomy import EVENT_TYPES, SIDES, STATUSES
    from data.views.view import ViewState

    rng = np.random.default_rng(seed)
    events = ds.events
    first = events["date_start"].min().date()
    last = events["date_end"].max().date()
    span = (last - first).days
    actor_ids = ds.actors["actor_id"].to_numpy(dtype=object)
    place_pos = events["place_pos"].to_numpy()
    counts = np.bincount(place_pos[place_pos >= 0], minlength=len(ds.places))
    busy_places = ds.places["place_id"].to_numpy(dtype=object)[np.argsort(-counts)[:200]]
    outlets = sorted(set(ds.sources["outlet"]))
    source_ids = ds.sources["source_id"].to_numpy(dtype=object)
    event_ids = events["event_id"]
    views = []
    for _ in range(n):
        kw: dict = {}
        if rng.random() < 0.5:
            width = int(rng.choice([7, 30, 90, 365, 1100]))
            start = first + timedelta(days=int(rng.integers(0, max(span - width, 1))))
            if rng.random() < 0.8:
                kw["date_from"] = start
            if rng.random() < 0.8:
                kw["date_to"] = min(start + timedelta(days=width), last)
        if rng.random() < 0.2:
            kw["sides"] = tuple(rng.choice(SIDES, size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.15:
            kw["actors"] = tuple(rng.choice(actor_ids, size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.2:
            kw["event_types"] = tuple(rng.choice(list(EVENT_TYPES), size=int(rng.integers(1, 3)), replace=False))
        elif rng.random() < 0.1:
            kind = str(rng.choice(list(EVENT_TYPES)))
            kw["sub_event_types"] = (str(rng.choice(EVENT_TYPES[kind])),)
        if rng.random() < 0.15:
            kw["places"] = (str(rng.choice(busy_places[:40] if rng.random() < 0.5 else busy_places)),)
        if rng.random() < 0.2:
            kw["statuses"] = tuple(rng.choice(STATUSES, size=int(rng.integers(1, 3)), replace=False))
        if rng.random() < 0.1:
            kw["outlets"] = (str(rng.choice(outlets)),)
        if rng.random() < 0.05:
            kw["sources"] = (str(rng.choice(source_ids)),)
        if rng.random() < 0.3:
            kw["text"] = str(rng.choice(SEARCH_WORDS))
        if rng.random() < 0.1:
            kw["selected_place"] = str(rng.choice(busy_places[:50]))
        if rng.random() < 0.1:
            kw["selected_event"] = str(event_ids.iloc[int(rng.integers(0, len(events)))])
        sort = str(rng.choice(["date", "date", "status", "outlet", "claimant"]))
        page = int(rng.choice([1, 1, 1, 2, 5, 10_000]))
        views.append((ViewState(**kw), sort, page))
    return views


def rerun(ds, view, sort: str, page: int, available: frozenset) -> tuple[dict, dict]:
    """What pages/atlas.py computes for one view; returns (milliseconds per stage, bytes per payload)."""
    import json

    from streamlit.dataframe_util import convert_pandas_df_to_arrow_bytes

    from data.views.detail import event_detail
    from data.views.filters import filter_dataset
    from data.views.map_view import count_unplaced, places_for_map
    from data.views.table import PAGE_SIZE, claim_rows, page_count, sorted_claim_positions
    from data.views.timeline import axis_days, build_timeline
    from pages.ui.deck import build_deck, legend_items
    from data.views.derived import derived
    from pages.ui.timeline_chart import build_chart

    ms: dict[str, float] = {}
    sent: dict[str, int] = {}
    clock = time.perf_counter

    t = clock()
    derived(ds).vocabulary(available)
    widget_options = _widget_options(ds)
    ms["page_vocabulary_widgets"] = clock() - t
    sent["widget_options"] = widget_options

    t = clock()
    selection = filter_dataset(ds, view)
    caption = selection.caption()
    ms["filter"] = clock() - t

    t = clock()
    places = places_for_map(selection)
    count_unplaced(selection)
    legend_items(places)
    ms["map"] = clock() - t
    t = clock()
    deck_json = build_deck(places, selected_place=view.selected_place).to_json()
    ms["deck"] = clock() - t
    sent["deck"] = len(deck_json.encode())

    t = clock()
    timeline = build_timeline(selection)
    ms["timeline"] = clock() - t
    t = clock()
    figure_json = json.dumps(build_chart(timeline, axis_days(selection), selected_event=view.selected_event))
    ms["figure"] = clock() - t
    sent["figure"] = len(figure_json.encode())

    t = clock()
    positions = sorted_claim_positions(selection, sort)
    page = min(page, page_count(len(positions)))
    rows = claim_rows(selection, positions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    table_bytes = convert_pandas_df_to_arrow_bytes(rows)
    ms["table"] = clock() - t
    sent["table"] = len(table_bytes)

    t = clock()
    if view.selected_event:
        detail = event_detail(ds, view.selected_event)
        if detail is not None:
            bool(selection.events["event_id"].eq(view.selected_event).any())
            sent["detail"] = len(convert_pandas_df_to_arrow_bytes(detail.claims))
    ms["detail"] = clock() - t
    sent["caption"] = len(caption.encode())
    return {k: v * 1000 for k, v in ms.items()}, sent


def _widget_options(ds) -> int:
    """The sidebar's option lists as pages/ui/widgets.py builds them (sorted once per dataset); their text size in bytes."""
    from data.views.derived import derived

    options = derived(ds).filter_options
    texts = [options.actor_labels[a] for a in options.actors] + [options.place_labels[p] for p in options.places]
    texts += options.outlets + [options.source_labels[s] for s in options.sources]
    return sum(len(t.encode()) + 3 for t in texts)


def _uncached_searches(ds) -> tuple[list[float], list[float]]:
    """Milliseconds (wall, CPU) of each search word on its first use, the recent-needle cache emptied each time."""
    from data.views.derived import derived

    search = derived(ds).search
    walls, cpus = [], []
    for word in SEARCH_WORDS:
        search.forget_recent()
        t = time.perf_counter()
        c = time.process_time()
        search.hits(word)
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    search.forget_recent()
    return walls, cpus


def _percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def measure(n_events: int, reruns: int, seed: int) -> dict:
    """Load one size and replay `reruns` random views; the JSON-ready result."""
    from data.model.dataset import load_dataset
    from data.views.derived import prepare

    folder = dataset_dir(n_events, seed)
    t = time.perf_counter()
    c = time.process_time()
    ds = load_dataset(folder, dataset_id="seed")
    load_s = time.perf_counter() - t
    load_cpu_s = time.process_time() - c
    t = time.perf_counter()
    c = time.process_time()
    prepare(ds)  # what pages/ui/loading.py does inside its cached load
    prepare_s = time.perf_counter() - t
    prepare_cpu_s = time.process_time() - c
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    search_ms, search_cpu_ms = _uncached_searches(ds)

    views = random_views(ds, reruns, seed)
    available = frozenset({"seed"})
    rerun(ds, *views[0], available)  # warm imports and lazy caches, as a running app would have them
    walls, cpus, stages, payloads = [], [], [], []
    for view, sort, page in views:
        t = time.perf_counter()
        c = time.process_time()
        ms, sent = rerun(ds, view, sort, page, available)
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
        stages.append(ms)
        payloads.append(sent)

    day_start = ds.events["day_start"].to_numpy()
    threshold = int(np.median(day_start))
    floors = []
    for _ in range(100):
        t = time.perf_counter()
        _mask = day_start >= threshold
        floors.append((time.perf_counter() - t) * 1000)
    floor_ms = float(np.median(floors))
    p50 = float(np.median(walls))

    totals = [sum(v for k, v in p.items()) for p in payloads]
    slowest = int(np.argmax(walls))
    return {
        "events": len(ds.events),
        "claims": len(ds.claims),
        "places": len(ds.places),
        "sources": len(ds.sources),
        "load_s": round(load_s, 2),
        "load_cpu_s": round(load_cpu_s, 2),
        "prepare_s": round(prepare_s, 2),
        "prepare_cpu_s": round(prepare_cpu_s, 2),
        "search_uncached_ms": {"p50": _percentile(search_ms, 50), "max": round(max(search_ms), 1),
                               "cpu_p50": _percentile(search_cpu_ms, 50)},
        "rerun_ms": {"p50": round(p50, 1), "p95": _percentile(walls, 95), "max": round(max(walls), 1)},
        "rerun_cpu_ms": {"p50": _percentile(cpus, 50), "p95": _percentile(cpus, 95)},
        "stage_ms_p50": {k: _percentile([s[k] for s in stages], 50) for k in stages[0]},
        "stage_ms_p95": {k: _percentile([s[k] for s in stages], 95) for k in stages[0]},
        "bytes_p50": {k: int(np.median([p.get(k, 0) for p in payloads])) for k in ("deck", "figure", "table", "widget_options")},
        "bytes_max": {k: int(max(p.get(k, 0) for p in payloads)) for k in ("deck", "figure", "table", "detail", "widget_options")},
        "bytes_total": {"p50": int(np.median(totals)), "max": int(max(totals))},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_after_load_mb": round(rss_after_load, 1),
        "floor_ms": round(floor_ms, 3),
        "ratio_p50_to_floor": round(p50 / floor_ms, 1) if floor_ms else None,
        "slowest_view": views[slowest][0].to_query() | {"_sort": [views[slowest][1]], "_page": [str(views[slowest][2])]},
        "reruns": reruns,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated event counts")
    parser.add_argument("--reruns", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.reruns, args.seed)), flush=True)
        return 0
    status = 0
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        dataset_dir(size, args.seed)
        done = subprocess.run(
            [sys.executable, "-m", "bench.dashboard", "--one", str(size), "--reruns", str(args.reruns), "--seed", str(args.seed)],
            cwd=ROOT,
        )
        status = status or done.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
