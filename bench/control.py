"""Control inference on synthetic datasets: seconds to infer every place's intervals and to read one day.

    .venv/bin/python bench/control.py --sizes 10000,100000

Prints one JSON line per size. Measured on this 2-core machine under load (issue 16): 10,000 events (767 territory
changes, 266 places) 0.24 s CPU; 100,000 events (7,490 changes, 716 places) 1.7 s CPU; a day's state of every place
about 3 ms once inferred.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synth import generate  # noqa: E402
from data.model.control import infer_control  # noqa: E402
from data.model.control.rule import CHANGE_SUB_TYPES  # noqa: E402
from data.model.dataset import from_tables  # noqa: E402


def measure(n_events: int, seed: int = 1) -> dict:
    """Figures for one synthetic dataset of n_events."""
    ds = from_tables(generate(n_events, seed=seed), dataset_id=f"synth-{n_events}", resolve_names=False)
    cpu, wall = time.process_time(), time.perf_counter()
    control = infer_control(ds)
    infer_cpu, infer_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu = time.process_time()
    control.on("2016-08-07")
    return {
        "events": n_events,
        "changes": int(ds.events["sub_event_type"].isin(CHANGE_SUB_TYPES).sum()),
        "places": len(ds.places),
        "places_with_control": sum(1 for v in control.intervals.values() if any(i.state != "unknown" for i in v)),
        "intervals": sum(len(v) for v in control.intervals.values()),
        "infer_cpu_s": round(infer_cpu, 3),
        "infer_wall_s": round(infer_wall, 3),
        "one_day_cpu_s": round(time.process_time() - cpu, 4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(json.dumps(measure(size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
