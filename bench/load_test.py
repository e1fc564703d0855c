"""Many analysts at once: concurrent browser pages against one server on a 100,000-event dataset.

One headless Chromium (Debian's, never `playwright install`), one context per analyst. For a fixed time each
analyst types searches, picks claim statuses, resets the filters and opens shared links, as fast as the app
answers. Reported: interactions completed, p50/p95/max latency per kind, errors (exception boxes, page errors,
console errors, timeouts), and the server's resident memory over time (is it flat after warm-up?).

Latency is measured in the browser, from the input to Streamlit's own "script finished" state with the URL
already showing the change; for a shared link it is the full page load up to the end of the first run.
Everything talks to 127.0.0.1 only.

    .venv/bin/python bench/load_test.py                 # 10 pages, 60 s, 100,000 events
    .venv/bin/python bench/load_test.py --pages 3 --seconds 20 --events 10000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, app_server, is_local  # noqa: E402

OUT = ROOT / "bench" / "out"
WORDS = ("siege", "corridor", "strike", "convoy", "hospital", "bridge", "airport", "market", "checkpoint", "ceasefire")
STATUSES = ("corroborated", "contested", "single-source", "unclaimed")
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests")
ACTION_TIMEOUT_S = 30


# ---- the dataset ---------------------------------------------------------------------------------------------


def ensure_dataset(events: int, folder: Path) -> Path:
    """The synthetic dataset of `python -m bench.synth` (seed 1), generated once; a simple stand-in without it."""
    if all((folder / f"{t}.csv").exists() for t in ("sources", "places", "actors", "events", "claims")) and (
        (folder / ".complete").exists() or not (ROOT / "data" / "synth.py").exists()
    ):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if (ROOT / "data" / "synth.py").exists():
        subprocess.run([sys.executable, "-m", "bench.synth", "--events", str(events), "--seed", "1", "--out", str(folder)],
                       cwd=ROOT, check=True)
    else:
        _write_simple_dataset(folder, events)
    return folder


def _write_simple_dataset(folder: Path, n_events: int) -> None:
    """A plain valid dataset: 40 places, 8 actors, 5 sources, n events with one or two claims each."""
    rng = random.Random(1)

    def write(table: str, header: list[str], rows) -> None:
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    write("sources", ["source_id", "document", "outlet", "outlet_basis", "title", "published", "published_basis", "url"],
          [[f"s{i}", "", f"Outlet {i}", "stated", f"Report {i}", "2016-08-07", "stated", ""] for i in range(5)])
    write("places", ["place_id", "name", "aliases", "kind", "parent_id", "lat", "lon", "precision_m", "coord_source", "pcode"],
          [[f"p{i}", f"Town {i}", "", "town", "", f"{33 + rng.random() * 4:.4f}", f"{36 + rng.random() * 5:.4f}", "2000", "synthetic", ""]
           for i in range(40)])
    sides = ["government", "opposition", "government_ally", "jihadist", "sdf", "international", "monitor", "civilian"]
    write("actors", ["actor_id", "name", "aliases", "side", "parent_id", "valid_from", "valid_to", "predecessor_id", "note"],
          [[f"a{i}", f"Actor {i}", "", side, "", "", "", "", ""] for i, side in enumerate(sides)])
    kinds = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
             ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]
    events, claims = [], []
    for i in range(n_events):
        day = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
        kind, sub = kinds[i % 4]
        events.append([f"e{i}", day, day, "day", f"p{rng.randrange(40)}", kind, sub, f"a{rng.randrange(8)}", "",
                       f"Event {i}: {rng.choice(WORDS)} near the {rng.choice(WORDS)}", "", ""])
        for k in range(1 + i % 2):
            claims.append([f"c{i}-{k}", f"e{i}", f"s{rng.randrange(5)}", f"a{rng.randrange(8)}", f"a{rng.randrange(8)}", "",
                           "asserts" if k == 0 else "denies", f"Claim about event {i} and the {rng.choice(WORDS)}", "", "", "", "", ""])
    write("events", ["event_id", "date_start", "date_end", "date_precision", "place_id", "event_type", "sub_event_type",
                     "actor1_id", "actor2_id", "summary", "fatalities_low", "fatalities_high"], events)
    write("claims", ["claim_id", "event_id", "source_id", "claimant", "claimant_actor_id", "relayed_by", "stance", "statement",
                     "claim_date", "quantity", "unit", "span_start", "span_end"], claims)
    (folder / ".complete").write_text("simple\n")


# ---- server memory -------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class MemorySampler(threading.Thread):
    """RSS of the server process every `every` seconds, with the time since the start of the run."""

    def __init__(self, pid: int, started: float, every: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.started, self.every = pid, started, every
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.samples.append((time.monotonic() - self.started, rss_mib(self.pid)))
            except OSError:
                return
            self.stop.wait(self.every)


# ---- the analysts --------------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


def watch_server_runs(ws, tally: Tally, doing: list[str]) -> None:
    """Server round trips, without the browser's drawing: a rerun request sent -> the end of the run that served it.

    A request belongs to the first run that starts after it (session_status_changed, running); a run cut short
    for a newer rerun hands its requests on to the next one.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    waiting: list[tuple[float, str]] = []
    served: list[tuple[float, str]] = []

    def sent(payload) -> None:
        try:
            if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
                waiting.append((time.monotonic(), doing[0]))
        except Exception:  # not a protobuf frame
            pass

    def received(payload) -> None:
        if not isinstance(payload, bytes):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except Exception:
            return
        kind = msg.WhichOneof("type")
        if kind == "session_status_changed" and msg.session_status_changed.script_is_running:
            served.extend(waiting)
            waiting.clear()
        elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            now = time.monotonic()
            for started, action in served:
                tally.add(f"server: {'link' if action in ('first load', 'link') else 'filter change'}", now - started)
            served.clear()

    ws.on("framesent", sent)
    ws.on("framereceived", received)


async def script_done(page, condition=None, timeout_s: float = ACTION_TIMEOUT_S) -> None:
    """Wait until Streamlit's script state is notRunning and the optional URL condition holds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = await page.evaluate("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState || ''")
        if state == "notRunning" and (condition is None or condition(parse_qs(urlsplit(page.url).query))):
            return
        await asyncio.sleep(0.03)
    raise TimeoutError(f"no finished run within {timeout_s} s")


async def open_link(page, url: str) -> None:
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"], '
                                 '[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
    await script_done(page)
    await page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.wait_for(state="attached")


def random_link(base: str, rng: random.Random) -> str:
    query: dict[str, str] = {}
    if rng.random() < 0.6:
        query["status"] = rng.choice(STATUSES)
    if rng.random() < 0.5:
        month = rng.randrange(1, 12)
        query["from"], query["to"] = f"2016-{month:02d}-01", f"2016-{month + 1:02d}-01"
    if rng.random() < 0.4:
        query["q"] = rng.choice(WORDS)
    if rng.random() < 0.3:
        query["type"] = rng.choice(EVENT_TYPES)
    return base + ("?" + urlencode(query) if query else "")


CHART_BUNDLES = ("PlotlyChart", "DeckGlJsonChart")  # 4.7 MB and 3 MB of JavaScript, drawn in software WebGL


async def new_context(browser, charts: bool):
    """A fresh analyst; without charts the browser does not load or draw the map and timeline (the server still
    builds and sends them), so a small machine measures the server rather than its own software rendering."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(ACTION_TIMEOUT_S * 1000)
    if not charts:
        async def block(route):
            await route.abort()

        for bundle in CHART_BUNDLES:
            await context.route(f"**/static/js/{bundle}*.js", block)
    return context


async def analyst(index: int, browser, base: str, deadline: float, tally: Tally, charts: bool = True) -> None:
    rng = random.Random(index)
    context = await new_context(browser, charts)
    page = await context.new_page()
    page.on("pageerror", lambda exc: tally.errors.append(f"page {index}: pageerror {exc}"))

    def on_console(msg) -> None:
        blocked = not charts and ("ERR_FAILED" in msg.text or any(bundle in msg.text for bundle in CHART_BUNDLES))
        if msg.type == "error" and not blocked:  # without charts, the refused chart bundles are expected errors
            tally.errors.append(f"page {index}: console {msg.text[:200]}")

    page.on("console", on_console)
    page.on("request", lambda req: None if is_local(req.url) else tally.external_requests.append(req.url))
    doing = ["first load"]
    page.on("websocket", lambda ws: watch_server_runs(ws, tally, doing))
    try:
        started = time.monotonic()
        await open_link(page, base)
        tally.add("first load", time.monotonic() - started)
        while time.monotonic() < deadline:
            action = rng.choices(("search", "status", "link", "reset"), weights=(4, 3, 2, 1))[0]
            doing[0] = action
            started = time.monotonic()
            try:
                if action == "search":
                    word = rng.choice(WORDS)
                    box = page.get_by_label("Search summaries and claims", exact=True)
                    await box.fill(word)
                    await box.press("Enter")
                    await script_done(page, lambda q: q.get("q") == [word])
                elif action == "status":
                    chosen = parse_qs(urlsplit(page.url).query).get("status", [])
                    left = [s for s in STATUSES if s not in chosen]  # a chosen option is not offered again
                    if not left:
                        continue
                    status = rng.choice(left)
                    field = page.locator('[data-testid="stSidebar"]').get_by_label("Claim status", exact=True)
                    await field.click()
                    await field.fill(status)  # narrows the list as an analyst typing would
                    await page.locator('[role="option"]').filter(has_text=status).first.click()
                    await page.keyboard.press("Escape")
                    await script_done(page, lambda q: status in q.get("status", []))
                elif action == "reset":
                    await page.get_by_role("button", name="Reset all filters").click()
                    await script_done(page, lambda q: not q)
                else:
                    await open_link(page, random_link(base, rng))
                tally.add(action, time.monotonic() - started)
                if await page.locator('[data-testid="stException"]').count():
                    tally.errors.append(f"page {index}: exception box after {action}")
            except Exception as exc:  # a timeout or a vanished element: count it, reload, go on
                tally.errors.append(f"page {index}: {action} failed: {type(exc).__name__}: {str(exc)[:160]}")
                if time.monotonic() < deadline:
                    try:
                        await open_link(page, base)
                    except Exception as again:
                        tally.errors.append(f"page {index}: reload failed: {type(again).__name__}")
    finally:
        await context.close()


async def drive(base: str, pages: int, seconds: float, tally: Tally, charts: bool = True) -> float:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            warm = await new_context(browser, charts)
            await open_link(await warm.new_page(), base)  # the first run loads the dataset into the cache: not measured
            await warm.close()
            load_started = time.monotonic()
            deadline = load_started + seconds
            await asyncio.gather(*(analyst(i, browser, base, deadline, tally, charts) for i in range(pages)))
            return load_started
        finally:
            await browser.close()


# ---- report --------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def slope_mib_per_min(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 3:
        return float("nan")
    xs, ys = [s[0] for s in samples], [s[1] for s in samples]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    return 60 * sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / var if var else 0.0


def report(tally: Tally, samples: list[tuple[float, float]], load_started_s: float, seconds: float, warmup_s: float) -> dict:
    interactions = {kind: len(v) for kind, v in tally.latencies.items() if kind in ("search", "status", "reset", "link")}
    steady_all = [v for kind, values in tally.latencies.items() if kind in ("search", "status", "reset") for v in values]
    server_changes = tally.latencies.get("server: filter change", [])
    during = [(t, m) for t, m in samples if t >= load_started_s]
    steady = [(t, m) for t, m in during if t >= load_started_s + warmup_s]
    summary = {
        "pages": None,
        "seconds": seconds,
        "interactions": sum(interactions.values()),
        "by_kind": {
            kind: {"n": len(v), "p50_s": round(percentile(v, 0.5), 3), "p95_s": round(percentile(v, 0.95), 3),
                   "max_s": round(max(v), 3)}
            for kind, v in sorted(tally.latencies.items())
        },
        "filter_changes_p50_s": round(percentile(steady_all, 0.5), 3),
        "filter_changes_p95_s": round(percentile(steady_all, 0.95), 3),
        "server_filter_changes_p50_s": round(percentile(server_changes, 0.5), 3),
        "server_filter_changes_p95_s": round(percentile(server_changes, 0.95), 3),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:10],
        "external_requests": sorted(set(tally.external_requests))[:10],
        "rss_mib": {
            "before_load": round(samples[0][1], 1) if samples else None,
            "at_load_start": round(during[0][1], 1) if during else None,
            "after_warmup_min": round(min(m for _, m in steady), 1) if steady else None,
            "after_warmup_max": round(max(m for _, m in steady), 1) if steady else None,
            "end": round(samples[-1][1], 1) if samples else None,
            "slope_after_warmup_mib_per_min": round(slope_mib_per_min(steady), 1) if steady else None,
            "timeline": [(round(t, 1), round(m, 1)) for t, m in samples[:: max(1, len(samples) // 30)]],
        },
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default /tmp/claim-atlas-bench/<events>)")
    parser.add_argument("--warmup", type=float, default=20, help="seconds of load before memory should be flat")
    parser.add_argument("--no-charts", action="store_true",
                        help="do not load the map and timeline code in the browser (they are still built and sent)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    folder = ensure_dataset(args.events, args.data or Path(tempfile.gettempdir()) / "claim-atlas-bench" / str(args.events))
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="claim-atlas-load-") as tmp, app_server(Path(tmp), seed_dir=folder, name="load") as server:
        started = time.monotonic()
        sampler = MemorySampler(server.process.pid, started)
        sampler.start()
        load_before = os.getloadavg()
        load_started = asyncio.run(drive(server.url, args.pages, args.seconds, tally, charts=not args.no_charts))
        server_cpu = cpu_seconds(server.process.pid)
        load_after = os.getloadavg()
        time.sleep(2)
        sampler.stop.set()
        sampler.join()
    summary = report(tally, sampler.samples, load_started - started, args.seconds, args.warmup)
    summary["pages"] = args.pages
    summary["charts_drawn"] = not args.no_charts
    summary["server_cpu_s_total"] = round(server_cpu, 1)
    summary["machine"] = {"cores": os.cpu_count(), "loadavg_1m_before": round(load_before[0], 2),
                          "loadavg_1m_after": round(load_after[0], 2)}
    summary["events"] = args.events
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"load_test{'-no-charts' if args.no_charts else ''}.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: v for k, v in summary.items() if k != "rss_mib"}, indent=2))
    rss = dict(summary["rss_mib"])
    timeline = rss.pop("timeline")
    print("server RSS (MiB):", json.dumps(rss))
    print("RSS over time (s, MiB):", " ".join(f"{t:.0f}:{m:.0f}" for t, m in timeline))
    ok = summary["errors"] == 0 and summary["filter_changes_p95_s"] < 1.0
    print("target (no errors, p95 of filter changes under 1 s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
