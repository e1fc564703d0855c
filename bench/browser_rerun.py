"""Input to everything redrawn, in headless Chromium: each Atlas interaction beside the same input on a one-widget page.

    .venv/bin/python bench/browser_rerun.py [--sizes seed,100000,1000000] [--tries 10] [--quiet-ms 300]

For each interaction an analyst makes on the Atlas page (a claim status picked or removed, a search word, a drag
across the timeline, a click on a timeline event or count bar, a click on a map mark, a claim table row, the next
page of the claim table) it times, over --tries tries, the input (the pointerup or keydown that commits it) until
the map, the timeline, the caption and the table all show the new view, and prints p50 and p95. Sizes: the bundled
seed, and synthetic datasets of N events (`python -m bench.synth`, cached under /tmp/claim-atlas-bench/<N> as
bench/dashboard.py does) served with ATLAS_SEED_DIR. On the 2-core machine it was written on, `--sizes seed,100000`
took 14 minutes nearly idle (load 0.5-4) and 17-20 minutes shared with other work (load 6-10), 1,000,000 events alone
9-14 minutes: mostly the app's own 1-3 s per try and per restore, then a base view loaded per interaction (~6 s) and
ten paired first renders per size.

The floor, in the same run and from the same Streamlit: bench/floor_app.py, one widget and the echo of its value,
driven by the same kind of input (a pick in a list, a typed word, a page number, a click or a drag on a Vega-Lite
chart, a table row, a deck.gl mark). Every Atlas try is followed by one floor try of its kind, so both see the same
machine load; the ratio is the interaction's p50 over its paired floor's p50. The first render of a shared link
(filters and a selected event: caption, map drawn, timeline marks, table and event detail), from navigation start in
a fresh browser context, is paired in the same way with the floor page's first render.

How "the new view shows" is decided, without sleeping a fixed time: an init script records, with performance.now()
inside the page, the committing input event, Streamlit's script state (data-test-script-state), every websocket
frame, every DOM mutation inside the map, timeline and table containers, and every canvas draw call there (deck.gl
draws with WebGL and the table with a 2D canvas, which no MutationObserver sees). A try ends when the page's text
shows the expected new view (the caption the data layer computes for it, the selected event's id in its detail, the
table's "Rows a-b" line), the script is notRunning, every container the interaction must redraw has redrawn after
the server's first answer, and nothing watched has moved for --quiet-ms; the time is the latest of those events minus
the input, so the quiet period is not counted. Containers an interaction does not change (a page of the table does
not redraw the map) are not waited for, but if they do redraw, that counts. Each try alternates between two views
(or restores the base view first, untimed but reported), and a change that never shows fails loudly.

Where the time goes: a sitecustomize written into each server's temporary folder (and put on its PYTHONPATH) logs
when each script run and fragment run starts and ends, so each try splits into input to script start (the frontend
and the request), time in script runs (the server) and the last run's end to the complete view (delivery and drawing:
Chromium stops reading the websocket while its renderer is busy, so frames arrive late when drawing is slow). Each try
also reports the CPU time of its server and of our browser's processes (/proc), each summary the 1-minute load
average, and each server the app code it ran (git HEAD, uncommitted app files, a hash of app.py, pages/, data/).
Requests to hosts other than localhost are counted and reported; Streamlit runs with --server.address 127.0.0.1 and
gatherUsageStats false. Exit status 1 if any try failed or anything left localhost.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data.views.map_frame import mercator_px as _mercator_px  # noqa: E402
from tests.browser.atlas_page import (  # noqa: E402
    TIMELINE_BARS,
    TIMELINE_MARKS,
    hover_map_at,
    multiselect,
    query_of,
    row_point,
    timeline_mark_centres,
    timeline_plot_box,
)
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    app_server,
    is_local,
)

SEARCH_WORDS = ("siege", "corridor", "hospital", "checkpoint", "convoy", "market", "water station", "ceasefire", "school")
CATEGORIES = {"map": "stDeckGlJsonChart", "timeline": "stVegaLiteChart", "table": "stDataFrame"}
APP_WATCH = ("map", "timeline", "table")
TARGETS = {"seed": 3.0, 1_000_000: 6.0}  # interaction p50 over its floor's p50, from issue 11
FIRST_RENDER_TARGET = 2.5

# Installed before any page script runs: records inputs, script state, websocket frames, mutations and map draws.
INSTRUMENT = r"""
(() => {
  if (window.__bench) return;
  const now = () => performance.now();
  const CATS = %(cats)s;
  const selector = Object.values(CATS).map(id => `[data-testid="${id}"]`).join(',');
  const catOf = Object.fromEntries(Object.entries(CATS).map(([k, v]) => [v, k]));
  const B = window.__bench = {armT: 0, inputs: [], ws: [], states: [], last: {}, n: {}, probe: null, probeT: null, probeOk: false};
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const all = selector => [...document.querySelectorAll(selector)];
  B.captions = () => all('[data-testid="stMain"] [data-testid="stCaptionContainer"]').map(e => norm(e.textContent));
  B.captionIs = text => B.captions().includes(text);
  B.captionStartsWith = text => B.captions().some(c => c.startsWith(text));
  B.mainCaption = () => B.captions().find(c => /^[\d,]+ of [\d,]+ events, [\d,]+ claims/.test(c)) || '';
  B.param = name => new URLSearchParams(location.search).get(name);
  B.params = () => location.search;
  B.markdownHas = text => all('[data-testid="stMain"] [data-testid="stMarkdownContainer"]')
    .some(e => norm(e.textContent).includes(text));
  B.echo = () => all('[data-testid="stMarkdownContainer"]').map(e => norm(e.textContent)).find(t => t.startsWith('value:')) || '';
  B.count = sel => document.querySelectorAll(sel).length;
  B.drawn = cat => (B.last[cat] || 0) > 0;
  const check = () => {
    if (!B.probe) return;
    let ok = false;
    try { ok = !!B.probe(); } catch (e) { ok = false; }
    if (ok && !B.probeOk) B.probeT = now();
    if (!ok) B.probeT = null;
    B.probeOk = ok;
  };
  const touch = (cat, t) => { B.last[cat] = t; B.n[cat] = (B.n[cat] || 0) + 1; };
  const onInput = e => { if (e.isTrusted) B.inputs.push({type: e.type, key: e.key || '', t: e.timeStamp, at: now()}); };
  window.addEventListener('pointerup', onInput, true);
  window.addEventListener('keydown', onInput, true);
  const Native = window.WebSocket;
  const size = d => typeof d === 'string' ? d.length : (d ? (d.byteLength ?? d.size ?? 0) : 0);
  class Watched extends Native {
    constructor(...args) { super(...args); this.addEventListener('message', e => B.ws.push(['in', now(), size(e.data)])); }
    send(data) { B.ws.push(['out', now(), size(data)]); return super.send(data); }
  }
  window.WebSocket = Watched;
  for (const gl of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    const proto = gl && gl.prototype;
    if (!proto) continue;
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements']) {
      const original = proto[name];
      if (typeof original !== 'function') continue;
      proto[name] = function (...args) {
        const box = this.canvas && this.canvas.closest ? this.canvas.closest(selector) : null;
        if (box) touch(catOf[box.dataset.testid], now());
        return original.apply(this, args);
      };
    }
  }
  // The grid (glide) draws on a 2D canvas; its accessible <table> inside the <canvas> is never shown, and is
  // sometimes inserted seconds later, so DOM changes inside a canvas are ignored and the draws are counted instead.
  const boxOf = new WeakMap();
  const canvasCat = canvas => {
    if (!canvas || !canvas.isConnected) return null;
    let cat = boxOf.get(canvas);
    if (cat === undefined) {
      const box = canvas.closest(selector);
      cat = box ? catOf[box.dataset.testid] : null;
      boxOf.set(canvas, cat);
    }
    return cat;
  };
  const proto2d = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  for (const name of ['fillText', 'drawImage', 'fillRect', 'putImageData']) {
    const original = proto2d && proto2d[name];
    if (typeof original !== 'function') continue;
    proto2d[name] = function (...args) {
      const cat = canvasCat(this.canvas);
      if (cat) touch(cat, now());
      return original.apply(this, args);
    };
  }
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function (...args) { const r = original.apply(this, args); check(); return r; };
  }
  new MutationObserver(records => {
    const t = now();
    const seen = new Set();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!el) continue;
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
        B.states.push([t, el.dataset.testScriptState || '']);
      }
      if (seen.has(el)) continue;
      seen.add(el);
      if (el.closest('canvas') && !(r.type === 'attributes' && el.tagName === 'CANVAS')) continue;  // fallback content
      const box = el.closest(selector);
      if (box) seen.add(catOf[box.dataset.testid]);
    }
    for (const cat of Object.keys(CATS)) if (seen.has(cat)) touch(cat, t);
    check();
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  B.arm = src => {
    B.probe = src ? new Function('B', 'return (' + src + ');').bind(null, B) : null;
    B.probeOk = false; B.probeT = null;
    check();
    if (B.probeOk) return 'the expected view already shows before the input: ' + src;
    B.armT = now(); B.inputs = []; B.ws = []; B.states = []; B.last = {}; B.n = {};
    return '';
  };
  B.status = () => {
    check();
    const app = document.querySelector('[data-testid="stApp"]');
    return {now: now(), origin: performance.timeOrigin, armT: B.armT, inputs: B.inputs, ws: B.ws, states: B.states,
            last: B.last, n: B.n, probeOk: B.probeOk, probeT: B.probeT, state: app ? (app.dataset.testScriptState || '') : ''};
  };
})();
""" % {"cats": json.dumps(CATEGORIES)}


# Written into each server's temporary folder and put first on its PYTHONPATH: Streamlit logs nothing when a script
# run ends, so this wraps ScriptRunner._run_script (whole runs and fragment runs) and appends "start end kind" in epoch
# seconds to $BENCH_SCRIPT_LOG once the module has been imported by `streamlit run`.
SERVER_HOOK = """
import os, sys, threading, time

def _patch():
    for _ in range(1200):
        module = sys.modules.get("streamlit.runtime.scriptrunner.script_runner")
        if module is not None and hasattr(module, "ScriptRunner"):
            break
        time.sleep(0.05)
    else:
        return
    original = module.ScriptRunner._run_script
    path = os.environ["BENCH_SCRIPT_LOG"]

    def _run_script(self, rerun_data):
        start = time.time()
        try:
            return original(self, rerun_data)
        finally:
            kind = "fragment" if getattr(rerun_data, "fragment_id_queue", None) else "script"
            with open(path, "a") as log:
                log.write(f"{start:.4f} {time.time():.4f} {kind}\\n")

    module.ScriptRunner._run_script = _run_script

if os.environ.get("BENCH_SCRIPT_LOG"):
    threading.Thread(target=_patch, daemon=True, name="bench-script-timer").start()
"""


@dataclass
class Served:
    """A server we started: its URL, its process (for CPU time) and the log of its script runs."""

    url: str
    pid: int
    script_log: Path

    @staticmethod
    def hook(work: Path) -> tuple[dict[str, str], Path]:
        """The environment that makes a server log its script runs (see SERVER_HOOK), and the log's path."""
        folder = work / "bench-hook"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sitecustomize.py").write_text(SERVER_HOOK)
        log = work / "script-runs.log"
        log.write_text("")
        path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
        return {"PYTHONPATH": path, "BENCH_SCRIPT_LOG": str(log)}, log

    def runs(self, origin_ms: float, t0: float, end: float) -> list[tuple[float, float, str]]:
        """Script runs that started after the input and before the view was complete, on the page's clock (ms)."""
        out = []
        for line in self.script_log.read_text().splitlines():
            with contextlib.suppress(ValueError):
                start, stop, kind = line.split()
                start_ms, stop_ms = float(start) * 1000 - origin_ms, float(stop) * 1000 - origin_ms
                if t0 - 5 <= start_ms <= end:
                    out.append((start_ms, stop_ms, kind))
        return out

    def split(self, status: dict, t0: float, end: float) -> dict:
        """Input to the first script run, time spent in script runs (server), and the last run's end to the complete view."""
        runs = self.runs(status["origin"], t0, end)
        if not runs:
            return {"script_runs": 0}
        last_end = max(stop for _, stop, _ in runs)
        fragments = sum(kind == "fragment" for *_, kind in runs)
        return {"script_runs": len(runs), "to_script_start_ms": round(runs[0][0] - t0, 1),
                "script_ms": round(sum(stop - start for start, stop, _ in runs), 1),
                "script_end_ms": round(last_end - t0, 1), "after_script_ms": round(end - last_end, 1),
                **({"fragment_runs": fragments} if fragments else {})}


class Cpu:
    """CPU time of the servers and of our browser during a try: wall time without CPU behind it is waiting, not work."""

    TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
    servers: set[int] = set()  # pids of the Streamlit servers we started (their trees are not the browser)

    @classmethod
    def snapshot(cls) -> dict[str, float]:
        """Milliseconds of CPU so far: each server's tree, and every other process descending from this one (browser)."""
        parent, ticks = {}, {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                with open(f"/proc/{entry.name}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                parent[int(entry.name)] = int(fields[1])
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
        children: dict[int, list[int]] = {}
        for pid, ppid in parent.items():
            children.setdefault(ppid, []).append(pid)

        def tree(root: int, skip: set[int]) -> int:
            total, stack = 0, [root]
            while stack:
                pid = stack.pop()
                if pid in skip:
                    continue
                total += ticks.get(pid, 0)
                stack.extend(children.get(pid, []))
            return total

        out = {f"server_{pid}": tree(pid, set()) * cls.TICK_MS for pid in cls.servers}
        out["browser"] = (tree(os.getpid(), cls.servers) - ticks.get(os.getpid(), 0)) * cls.TICK_MS
        return out

    @classmethod
    def used(cls, before: dict[str, float], after: dict[str, float], server_pid: int | None) -> dict:
        """The try's CPU: its server's, and the browser's (Chromium and Playwright's driver), in ms."""
        row = {"browser_cpu_ms": round(after["browser"] - before["browser"])}
        key = f"server_{server_pid}"
        if key in before and key in after:
            row["server_cpu_ms"] = round(after[key] - before[key])
        return row


class TryFailed(RuntimeError):
    """A try whose new view never showed (or whose view did not match the data layer)."""


@dataclass
class Step:
    """One timed input: untimed preparation, the committing input, what the new view shows, what must redraw."""

    name: str
    commit: Callable
    probe: str | Callable  # a JS expression over B (window.__bench), or a function of the page giving one after prepare
    prepare: Callable | None = None
    must: tuple[str, ...] = ()
    verify: Callable | None = None
    restore: bool = False


@dataclass
class Run:
    """What one invocation measured: rows printed as JSON lines, failures, requests that left localhost."""

    rows: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)

    def emit(self, row: dict) -> None:
        """Print a figure the moment it is measured (with seconds since the start), so a long run shows its progress."""
        row = {**row, "at_s": round(time.monotonic() - self.began, 1)}
        self.rows.append(row)
        print(json.dumps(row), flush=True)


def js(value) -> str:
    """A Python string as a JavaScript literal for a probe expression."""
    return json.dumps(value)


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile, so p95 is a try that happened (with 10 tries, the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summarise(values: list[float]) -> dict:
    """p50 (median) and p95 (nearest rank) in milliseconds."""
    return {"n": len(values), "p50_ms": round(statistics.median(values), 1), "p95_ms": round(_pct(values, 95), 1),
            "min_ms": round(min(values), 1), "max_ms": round(max(values), 1)}


def measure(page, step: Step, *, quiet_ms: float, timeout_s: float, watch: tuple[str, ...], served: Served) -> dict:
    """Time one input until the new view has shown and everything watched has been quiet for quiet_ms."""
    if step.prepare:
        step.prepare(page)
    cpu_before = Cpu.snapshot()
    probe = step.probe(page) if callable(step.probe) else step.probe
    problem = page.evaluate("src => window.__bench.arm(src)", probe)
    if problem:
        raise TryFailed(problem)
    step.commit(page)
    began = time.monotonic()
    status: dict = {}
    while True:
        status = page.evaluate("() => window.__bench.status()")
        verdict = _settled(status, step, quiet_ms=quiet_ms, watch=watch)
        if verdict is not None:
            break
        if time.monotonic() - began > timeout_s:
            raise TryFailed(f"{step.name}: the new view did not show within {timeout_s:.0f} s: "
                            + _why_not(status, step, probe, watch))
        page.wait_for_timeout(40)
    t0, end = verdict.pop("_t0"), verdict.pop("_end")
    verdict.update(Cpu.used(cpu_before, Cpu.snapshot(), served.pid))  # the try, its quiet period and our polling
    verdict.update(served.split(status, t0, end))
    if step.verify:
        step.verify(page)
    return verdict


def _commit_time(status: dict) -> float | None:
    """The committing input: the first pointerup or keydown after arming."""
    for event in status["inputs"]:
        if event["type"] in ("pointerup", "keydown"):
            return event["t"] if abs(event["t"] - event["at"]) < 1000 else event["at"]
    return None


def _settled(status: dict, step: Step, *, quiet_ms: float, watch: tuple[str, ...]) -> dict | None:
    """The try's figures once the view is complete and quiet; None while it is not."""
    t0 = _commit_time(status)
    if t0 is None or not status["probeOk"] or status["state"] != "notRunning":
        return None
    answers = [t for direction, t, _ in status["ws"] if direction == "in" and t >= t0]
    if not answers:  # the server has not answered yet
        return None
    first_answer = answers[0]
    last = {cat: status["last"].get(cat, 0) for cat in watch}
    if any(last[cat] <= first_answer for cat in step.must):
        return None
    states = [(t, s) for t, s in status["states"] if t >= t0]
    finished = [t for t, s in states if s == "notRunning"]
    drawn = {cat: t for cat, t in last.items() if t >= t0}
    end = max([status["probeT"], *finished, *drawn.values()])
    latest = max([end, *answers, *(t for t, _ in states)])
    if status["now"] - latest < quiet_ms:
        return None
    received = sum(n for direction, t, n in status["ws"] if direction == "in" and t >= t0)
    sent = [t for direction, t, _ in status["ws"] if direction == "out" and t >= t0]
    return {"ms": round(end - t0, 1), "text_ms": round(status["probeT"] - t0, 1),
            "script_done_ms": round(finished[-1] - t0, 1) if finished else None,
            **{f"{cat}_ms": round(t - t0, 1) for cat, t in drawn.items()},
            "input_to_request_ms": round(sent[0] - t0, 1) if sent else None,
            "last_frame_ms": round(max(t for t in answers if t <= end) - t0, 1) if any(t <= end for t in answers) else None,
            "bytes_in": received, "frames_in": len(answers), "_t0": t0, "_end": end}


def _why_not(status: dict, step: Step, probe: str, watch: tuple[str, ...]) -> str:
    """What a try was still waiting for, for a loud failure."""
    t0 = _commit_time(status)
    return json.dumps({"input_seen": t0 is not None, "text_shown": status["probeOk"], "probe": probe[:300],
                       "script_state": status["state"], "states": status["states"][-4:],
                       "frames_in": sum(1 for d, *_ in status["ws"] if d == "in"),
                       "redrawn": {cat: status["last"].get(cat, 0) for cat in watch}, "must": step.must})


def run_block(run: Run, page, steps: list[Step], *, floors: "Floors", floor_kind: str, base: dict, quiet_ms: float,
              timeout_s: float, served: Served) -> None:
    """Time each step, each followed by one floor try of the same kind (same moment, same machine load), then summarise."""
    times: dict[str, list[dict]] = {}
    floor_rows: list[dict] = []
    for index, step in enumerate(steps):
        try:
            row = measure(page, step, quiet_ms=quiet_ms, timeout_s=timeout_s, watch=APP_WATCH, served=served)
        except Exception as exc:  # loud, and the rest of the run goes on
            message = f"{base.get('dataset', '')} {step.name}: {type(exc).__name__}: {exc}"
            run.failures.append(message)
            run.emit({**base, "interaction": step.name, "try": index, "error": message[:2000]})
            with contextlib.suppress(Exception):
                page.screenshot(path=str(Path(tempfile.gettempdir()) / f"browser-rerun-failure-{len(run.failures)}.png"))
            print(message, file=sys.stderr, flush=True)
            break
        times.setdefault(step.name, []).append(row)
        run.emit({**base, "interaction": step.name, "try": index, "restore": step.restore, "quiet_ms": quiet_ms, **row})
        if not step.restore:
            floor_row = floors.one_try(floor_kind, paired_with=f"{base.get('dataset')} {step.name}")
            if floor_row is not None:
                floor_rows.append(floor_row)
    for name, rows in times.items():
        restore = any(step.restore for step in steps if step.name == name)
        run.emit(summary_row(base, name, rows, [] if restore else floor_rows, floor_kind=None if restore else floor_kind))


PARTS = ("to_script_start_ms", "script_ms", "after_script_ms", "server_cpu_ms", "browser_cpu_ms", "bytes_in")


def summary_row(base: dict, interaction: str, rows: list[dict], floor_rows: list[dict], *, floor_kind: str | None) -> dict:
    """p50/p95 of an interaction beside its paired floor's, the ratio of the p50s, and the median of each part."""
    row = {**base, "interaction": interaction, "summary": True, **summarise([r["ms"] for r in rows]), "load_avg_1m": _load()}
    row.update({f"median_{part}": statistics.median(r[part] for r in rows if r.get(part) is not None)
                for part in PARTS if any(r.get(part) is not None for r in rows)})
    if floor_rows:
        floor = summarise([r["ms"] for r in floor_rows])
        row.update(floor_kind=floor_kind, floor_n=floor["n"], floor_p50_ms=floor["p50_ms"], floor_p95_ms=floor["p95_ms"],
                   ratio=round(row["p50_ms"] / floor["p50_ms"], 2),
                   floor_median_script_ms=statistics.median(r.get("script_ms", 0) for r in floor_rows))
    return row


def _load() -> float:
    """The machine's 1-minute load average: other work on the same 2 cores shows in every figure."""
    return round(os.getloadavg()[0], 2)


# ----------------------------------------------------------------------------------------------------------------
# Servers


@contextlib.contextmanager
def floor_server(work: Path):
    """`streamlit run bench/floor_app.py` with the app's flags (localhost only, no usage statistics): the tests' app_server."""
    hook_env, script_log = Served.hook(work)
    with app_server(work, env=hook_env, name="floor", script="bench/floor_app.py") as server:
        yield Served(server.url, server.process.pid, script_log)


def new_context(browser, run: Run):
    """A fresh context (cold cache, as someone opening a link), instrumented, with requests off localhost counted."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(120_000)
    context.add_init_script(INSTRUMENT)
    context.on("request", lambda request: None if is_local(request.url) else run.outside.append(request.url))
    return context


def open_page(context):
    """A page of a shared context (the blocks of one size share its HTTP cache: set-up, not timed)."""
    return context.new_page()


def new_page(browser, run: Run):
    """A page in a context of its own: nothing cached, nothing shared."""
    context = new_context(browser, run)
    return context, open_page(context)


def wait_view(page, probe: str, *, watch: tuple[str, ...], quiet_ms: float, timeout_s: float, need: tuple[str, ...] = (),
              served: Served | None = None) -> dict:
    """After a navigation, wait for the complete view (probe, idle script, `need` drawn, quiet): times from navigation start."""
    page.evaluate("src => { const B = window.__bench; B.probe = new Function('B', `return (${src});`).bind(null, B); }", probe)
    began = time.monotonic()
    while True:
        status = page.evaluate("() => window.__bench.status()")
        last = {cat: status["last"].get(cat, 0) for cat in watch}
        if status["probeOk"] and status["state"] == "notRunning" and all(last[cat] > 0 for cat in need):
            finished = [t for t, s in status["states"] if s == "notRunning"]
            end = max([status["probeT"], *finished, *last.values()])
            latest = max([end, *(t for d, t, _ in status["ws"] if d == "in"), *(t for t, _ in status["states"])])
            if status["now"] - latest >= quiet_ms:
                row = {"ms": round(end, 1), "text_ms": round(status["probeT"], 1),
                       "script_done_ms": round(finished[-1], 1) if finished else None,
                       **{f"{cat}_ms": round(t, 1) for cat, t in last.items() if t},
                       "bytes_in": sum(n for d, _, n in status["ws"] if d == "in")}
                sent = [t for d, t, _ in status["ws"] if d == "out"]
                row["session_request_ms"] = round(sent[0], 1) if sent else None  # the page's first rerun request
                if served is not None:
                    row.update(served.split(status, 0.0, end))
                return row
        if time.monotonic() - began > timeout_s:
            raise TryFailed(f"first render not complete within {timeout_s:.0f} s: probe={probe[:200]} state={status['state']} "
                            f"probeOk={status['probeOk']} drawn={last}")
        page.wait_for_timeout(40)


def first_render_try(run: Run, browser, url: str, probe: str, *, base: dict, index: int, quiet_ms: float, timeout_s: float,
                     need: tuple[str, ...], served: Served) -> dict | None:
    """Open a URL in a fresh context (nothing cached, as a colleague opening a shared link): navigation start to complete."""
    context, page = new_page(browser, run)
    try:
        cpu_before = Cpu.snapshot()
        page.goto(url, wait_until="commit")
        row = wait_view(page, probe, watch=APP_WATCH, quiet_ms=quiet_ms, timeout_s=timeout_s, need=need, served=served)
        row.update(Cpu.used(cpu_before, Cpu.snapshot(), served.pid))
    except Exception as exc:
        message = f"{base.get('dataset', '')} first render: {type(exc).__name__}: {exc}"
        run.failures.append(message)
        run.emit({**base, "interaction": "first render", "try": index, "error": message[:2000]})
        print(message, file=sys.stderr, flush=True)
        return None
    finally:
        context.close()
    run.emit({**base, "interaction": "first render", "try": index, "quiet_ms": quiet_ms, **row})
    return row


# ----------------------------------------------------------------------------------------------------------------
# The floor page


FLOOR_PAGES = {"select": "select", "text": "text", "number": "number", "chart click": "chart", "chart drag": "chart",
               "table row": "table", "map click": "map"}


class Floors:
    """The one-widget floor pages, each opened once and driven in step with the Atlas tries it is compared with."""

    def __init__(self, run: Run, browser, served: Served, quiet_ms: float):
        self.run, self.browser, self.url, self.quiet_ms = run, browser, served.url, quiet_ms
        self.served = served
        self.context = None
        self.pages: dict[str, object] = {}
        self.count: dict[str, int] = {}

    def page(self, kind: str):
        """The floor page for a kind of input, opened on first use (its chart code loads lazily, so it settles first)."""
        if kind not in self.pages:
            if self.context is None:
                self.context = new_context(self.browser, self.run)
            page = open_page(self.context)
            page.goto(f"{self.url}?w={FLOOR_PAGES[kind]}", wait_until="commit")
            wait_view(page, "B.echo() !== ''", watch=APP_WATCH, quiet_ms=self.quiet_ms, timeout_s=60)
            page.wait_for_timeout(500)
            self.pages[kind], self.count[kind] = page, 0
        return self.pages[kind]

    def one_try(self, kind: str, *, paired_with: str) -> dict | None:
        """One floor try of this kind (flipping its value); None, reported, if it failed (the page is then reopened)."""
        try:
            page = self.page(kind)
            row = measure(page, _floor_step(kind, self.count[kind]), quiet_ms=self.quiet_ms, timeout_s=60, watch=APP_WATCH,
                          served=self.served)
        except Exception as exc:
            message = f"floor {kind}: {type(exc).__name__}: {exc}"
            self.run.failures.append(message)
            self.run.emit({"dataset": "floor", "interaction": kind, "paired_with": paired_with, "error": message[:2000]})
            print(message, file=sys.stderr, flush=True)
            with contextlib.suppress(Exception):
                self.pages.pop(kind).close()
            return None
        self.count[kind] += 1
        self.run.emit({"dataset": "floor", "interaction": kind, "paired_with": paired_with, "quiet_ms": self.quiet_ms, **row})
        return row

    def first_render(self, *, index: int, paired_with: str) -> dict | None:
        """The floor page's first render in a fresh context, like the shared link's."""
        return first_render_try(self.run, self.browser, self.url + "?w=select", _echo("alpha"),
                                base={"dataset": "floor", "paired_with": paired_with}, index=index, quiet_ms=self.quiet_ms,
                                timeout_s=60, need=(), served=self.served)

    def close(self) -> None:
        """Close the floor pages (the server is stopped by its own context manager)."""
        if self.context is not None:
            with contextlib.suppress(Exception):
                self.context.close()


def _echo(text: str) -> str:
    """The floor's probe: its one line of text shows the new value."""
    return f"B.echo() === {js('value: ' + text)}"


def _echo_changed(page) -> str:
    """The floor's probe when the new value is not known in advance (a dragged span): the text differs from now."""
    return f"B.echo() !== '' && B.echo() !== {js(page.evaluate('() => window.__bench.echo()'))}"


def _floor_step(kind: str, i: int) -> Step:
    """The i-th floor input of a kind: even tries set one value, odd tries the other, so every try changes the text."""
    flip = i % 2 == 0
    if kind == "select":
        option = "beta" if flip else "alpha"

        def prepare(page):
            page.locator('[data-testid="stSelectbox"]').first.click()
            page.locator('[role="option"]').filter(has_text=option).first.wait_for()
        return Step(kind, prepare=prepare, commit=_click_option(option), probe=_echo(option))
    if kind == "text":
        word = "siege" if flip else "corridor"
        return Step(kind, prepare=lambda page: page.get_by_label("Word").fill(word),
                    commit=lambda page: page.get_by_label("Word").press("Enter"), probe=_echo(word))
    if kind == "number":
        button = '[data-testid="stNumberInputStepUp"]' if flip else '[data-testid="stNumberInputStepDown"]'
        return Step(kind, commit=lambda page: page.locator(button).click(), probe=_echo("2" if flip else "1"))
    if kind == "chart click":
        which = "left" if flip else "right"

        def prepare(page):
            page.mouse_at = _vega_point_centres(page)[0 if flip else 1]
            page.mouse.move(*page.mouse_at)
            page.wait_for_timeout(60)
        return Step(kind, prepare=prepare, commit=_click_here, probe=_echo(f"['{which}']"))
    if kind == "chart drag":  # below the two points, so the press does not land on one
        start, end = (0.1, 0.4) if flip else (0.6, 0.9)
        return Step(kind, prepare=_drag_prepare(start, end, height=0.8), commit=lambda page: page.mouse.up(), probe=_echo_changed)
    if kind == "table row":
        row = 0 if flip else 1
        return Step(kind, prepare=_hover_row(row), commit=_click_here, probe=_echo(f"[{row}]"))
    if kind == "map click":
        which = "west" if flip else "east"
        dx = _mercator_px(36.2, 36.0 if flip else 38.0, 6)[0] - _mercator_px(36.2, 37.0, 6)[0]
        return Step(kind, prepare=lambda page: _hover_map(page, dx, 0, expect=which), commit=_press_release,
                    probe=_echo(f"['{which}']"))
    raise ValueError(kind)


def _vega_point_centres(page) -> list[tuple[float, float]]:
    """Centres of the floor chart's two points, left to right; remembered as page.mouse_at for the click."""
    boxes = page.locator('[data-testid="stVegaLiteChart"] g.mark-symbol.role-mark path').evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })")
    centres = sorted((x, y) for x, y in boxes)
    if len(centres) != 2:
        raise TryFailed(f"the floor chart shows {len(centres)} points, not 2")
    return centres


def _hover_map(page, dx: float, dy: float, *, expect: str | None = None, timeout_s: float = 20) -> str:
    """Hover until deck.gl's tooltip names the expected mark (tests/browser/atlas_page.hover_map_at); remembered as mouse_at."""
    try:
        x, y, text = hover_map_at(page, dx, dy, expect=expect, timeout_s=timeout_s)
    except AssertionError as exc:
        raise TryFailed(str(exc)) from None
    page.mouse_at = (x, y)
    return text


def _click_here(page) -> None:
    """A click where the pointer was put by the preparation (page.mouse_at)."""
    page.mouse.click(*page.mouse_at)


def _press_release(page) -> None:
    """A mouse press and release where the pointer is (deck.gl takes a short press as a click)."""
    page.mouse.down()
    page.wait_for_timeout(50)
    page.mouse.up()


# ----------------------------------------------------------------------------------------------------------------
# The Atlas page


@dataclass
class Plan:
    """What to click and what each view must show, worked out from the data layer before the browser starts."""

    ds: object
    vocabulary: object
    label: str

    def selection(self, view):
        """The data layer's answer for a view: what the page must end up showing."""
        from data.views.filters import filter_dataset

        return filter_dataset(self.ds, view)

    def caption(self, view) -> str:
        """The caption the page must show for a view, whitespace-normalised as the probe reads it."""
        return " ".join(self.selection(view).caption().split())

    def view_of(self, url: str):
        """The view a URL stands for (as the app reads it)."""
        from data.views.view import ViewState

        view, errors = ViewState.from_query(query_of(url), self.vocabulary)
        if errors:
            raise TryFailed(f"the app wrote a URL it cannot read back: {url}: {errors}")
        return view


def make_plan(label: str, folder: Path | None) -> Plan:
    """Load the dataset the server will serve (the seed, or a synthetic folder as the seed id)."""
    from data.model.dataset import load_dataset
    from data.views.view import Vocabulary

    ds = load_dataset() if folder is None else load_dataset(folder, dataset_id="seed")
    vocabulary = Vocabulary(actors=frozenset(ds.actors["actor_id"]), places=frozenset(ds.places["place_id"]),
                            outlets=frozenset(ds.sources["outlet"]), events=frozenset(ds.events["event_id"]),
                            sources=frozenset(ds.sources["source_id"]))
    return Plan(ds, vocabulary, label)


def url_of(base: str, view) -> str:
    """The app's URL for a view (the same query the app writes)."""
    query = urlencode([(k, v) for k, values in view.to_query().items() for v in values])
    return base + ("?" + query if query else "")


def caption_probe(caption: str) -> str:
    """The Atlas probe: the caption computed by the data layer for the new view is on the page."""
    return f"B.captionIs({js(caption)})"


def verify_caption(plan: Plan, *, param: str | None = None):
    """After a try: the caption the page shows is the data layer's caption for the URL the page settled on."""
    def check(page):
        view = plan.view_of(page.url)
        shown = page.evaluate("() => window.__bench.mainCaption()")
        wanted = plan.caption(view)
        if shown != wanted:
            raise TryFailed(f"caption {shown!r} but the data layer gives {wanted!r} for {page.url}")
        if param and param not in query_of(page.url):
            raise TryFailed(f"no {param}= in {page.url}")
    return check


def open_view(page, url: str, caption: str, *, quiet_ms: float, timeout_s: float) -> None:
    """Navigate to a view and wait until it has fully drawn (untimed set-up)."""
    page.goto(url, wait_until="commit")
    wait_view(page, caption_probe(caption), watch=APP_WATCH, quiet_ms=quiet_ms, timeout_s=timeout_s, need=("map", "timeline"))
    page.mouse.move(5, 5)


def atlas_suite(run: Run, browser, server: Served, plan: Plan, floors: Floors, *, tries: int, quiet_ms: float,
                timeout_s: float) -> None:
    """Every interaction on the Atlas page, each from its own base view; a block that cannot be planned or run fails alone."""
    base = {"dataset": plan.label}
    context = new_context(browser, run)  # one context per size: the blocks' page loads share the HTTP cache (set-up only)
    try:
        for block, build in _blocks(plan, tries):
            page = None
            try:
                planned = build()
                if isinstance(planned, str):  # nothing to measure at this size, and why
                    run.emit({**base, "interaction": block, "skipped": planned})
                    continue
                view, steps, floor_kind = planned
                page = open_page(context)
                open_view(page, url_of(server.url, view), plan.caption(view), quiet_ms=quiet_ms, timeout_s=max(timeout_s, 120))
                page.wait_for_timeout(300)
                run_block(run, page, steps, floors=floors, floor_kind=floor_kind, base={**base, "block": block},
                          quiet_ms=quiet_ms, timeout_s=timeout_s, served=server)
            except Exception as exc:
                message = f"{plan.label} {block}: {type(exc).__name__}: {exc}"
                run.failures.append(message)
                run.emit({**base, "interaction": block, "error": message[:2000]})
                print(message, file=sys.stderr, flush=True)
            finally:
                if page is not None:
                    page.close()
    finally:
        context.close()


def _blocks(plan: Plan, tries: int) -> list[tuple[str, Callable]]:
    """Each interaction's plan, built when its turn comes: (base view, steps, floor kind), or why it is skipped."""
    from data.views.table import PAGE_SIZE
    from data.views.timeline import MAX_EVENT_MARKS
    from data.views.view import ViewState

    default = ViewState()
    reset = Step("reset all filters", commit=lambda page: page.get_by_role("button", name="Reset all filters").click(),
                 probe=caption_probe(plan.caption(default)), restore=True)
    changed = f"B.param('from') && B.mainCaption() !== '' && B.mainCaption() !== {js(plan.caption(default))}"

    def claim_status():
        """A claim status picked from the list, then removed with Backspace, alternately."""
        contested = ViewState(statuses=("contested",))
        steps = [Step("filter: claim status", prepare=_open_status_menu, commit=_click_option("contested"),
                      probe=caption_probe(plan.caption(contested)), must=APP_WATCH, verify=verify_caption(plan))
                 if i % 2 == 0 else
                 Step("filter: claim status", prepare=_focus_status, commit=lambda page: page.keyboard.press("Backspace"),
                      probe=caption_probe(plan.caption(default)), must=APP_WATCH, verify=verify_caption(plan))
                 for i in range(tries)]
        return default, steps, "select"

    def search_word():
        """A search word typed and committed with Enter, two words alternately."""
        words = _two_words(plan)
        steps = [Step("filter: search word", prepare=_type_search(words[i % 2]), commit=lambda page: page.keyboard.press("Enter"),
                      probe=caption_probe(plan.caption(ViewState(text=words[i % 2]))), must=APP_WATCH, verify=verify_caption(plan))
                 for i in range(tries)]
        return default, steps, "text"

    def drag():
        """A drag across the unfiltered timeline, over two stretches alternately (Reset between tries)."""
        steps: list[Step] = []
        for i in range(tries):
            if i:
                steps.append(reset)
            start, end = (0.2, 0.45) if i % 2 == 0 else (0.55, 0.8)
            steps.append(Step("timeline drag", prepare=_drag_prepare(start, end), commit=lambda page: page.mouse.up(),
                              probe=changed, must=APP_WATCH, verify=verify_caption(plan, param="from")))
        return default, steps, "chart drag"

    def event_click():
        """A click on an event of a timeline drawn as events, two events alternately."""
        steps = [Step("timeline click: event", prepare=_hover_mark(0 if i % 2 == 0 else -1), commit=_click_here,
                      probe="B.param('ev') && B.param('ev') !== B.prevEv && B.markdownHas('Event id: ' + B.param('ev'))",
                      must=("timeline",), verify=_verify_event(plan)) for i in range(tries)]
        return _events_view(plan, MAX_EVENT_MARKS), steps, "chart click"

    def bar_click():
        """A click on a count bar of the unfiltered timeline, when it shows counts (Reset between tries)."""
        if plan.selection(default).n_events <= MAX_EVENT_MARKS:
            return f"the unfiltered timeline draws events, not counts (at most {MAX_EVENT_MARKS} events)"
        steps: list[Step] = []
        for i in range(tries):
            if i:
                steps.append(reset)
            steps.append(Step("timeline click: bar", prepare=_hover_bar(1 / 3 if i % 2 == 0 else 2 / 3), commit=_click_here,
                              probe=changed, must=APP_WATCH, verify=verify_caption(plan, param="from")))
        return default, steps, "chart click"

    def map_click():
        """A click on a place mark, two places alternately (Clear place selection between tries)."""
        view, marks = _map_view(plan)
        clear = Step("clear place selection", commit=lambda page: page.get_by_role("button", name="Clear place selection").click(),
                     probe=caption_probe(plan.caption(view)), restore=True)
        steps: list[Step] = []
        for i in range(tries):
            if i:
                steps.append(clear)
            place_id, dx, dy, tooltip = marks[i % 2]
            steps.append(Step("map click", prepare=_hover_place(dx, dy, tooltip), commit=_press_release,
                              probe=caption_probe(plan.caption(replace(view, selected_place=place_id))),
                              must=APP_WATCH, verify=verify_caption(plan, param="at")))
        return view, steps, "map click"

    def table_row():
        """A claim table row ticked, two rows of different events alternately."""
        rows = _two_rows(plan, default)
        steps = [Step("table row", prepare=_hover_row(rows[i % 2][0]), commit=_click_here,
                      probe=f"B.param('ev') === {js(rows[i % 2][1])} && B.markdownHas({js('Event id: ' + rows[i % 2][1])})",
                      verify=_verify_event(plan)) for i in range(tries)]
        return default, steps, "table row"

    def table_page():
        """The next page of the claim table, then back (the step buttons of "Page (of N)"): only the table reruns."""
        n_claims = plan.selection(default).n_claims
        if n_claims <= PAGE_SIZE:
            return f"{n_claims} claims fit on one page of {PAGE_SIZE}"

        def rows_line(page_no):
            """The line under the table that names the rows shown: it changes with the page."""
            first = (page_no - 1) * PAGE_SIZE + 1
            return f"Rows {first:,}–{min(page_no * PAGE_SIZE, n_claims):,} of {n_claims:,} claims."
        steps = [Step("table page", commit=_page_button(i % 2 == 0), must=("table",),
                      probe=f"B.captionStartsWith({js(rows_line(2 if i % 2 == 0 else 1))})") for i in range(tries)]
        return default, steps, "number"

    return [("filter: claim status", claim_status), ("filter: search word", search_word), ("timeline drag", drag),
            ("timeline click: event", event_click), ("timeline click: bar", bar_click), ("map click", map_click),
            ("table row", table_row), ("table page", table_page)]


def _open_status_menu(page) -> None:
    """Open the Claim status list and narrow it to 'contested' (untimed); the click on the option is the input."""
    page.keyboard.press("Escape")
    field = multiselect(page, "Claim status").get_by_label("Claim status", exact=True)
    field.click()
    field.fill("contested")
    page.locator('[role="option"]').filter(has_text="contested").first.wait_for()


def _click_option(option: str):
    """The click on an open list's option: the input that commits a multiselect pick."""
    return lambda page: page.locator('[role="option"]').filter(has_text=option).first.click()


def _focus_status(page) -> None:
    """Focus the Claim status field (untimed); Backspace then removes its last tag."""
    page.keyboard.press("Escape")
    multiselect(page, "Claim status").get_by_label("Claim status", exact=True).click()
    page.wait_for_timeout(100)


def _type_search(word: str):
    """Type the word (untimed): Streamlit applies a text input only on Enter, which is the timed input."""
    def prepare(page):
        page.get_by_label("Search summaries and claims", exact=True).fill(word)
    return prepare


def _drag_prepare(start: float, end: float, *, height: float = 0.5):
    """Press and move across a Vega-Lite chart's plot (untimed); releasing the button is the input."""
    def prepare(page):
        box = timeline_plot_box(page)
        y = box["y"] + box["height"] * height
        page.mouse.move(box["x"] + box["width"] * start, y)
        page.mouse.down()
        for step in range(1, 9):
            page.mouse.move(box["x"] + box["width"] * (start + (end - start) * step / 8), y)
    return prepare


def _hover_mark(index: int):
    """Hover an event mark of the timeline (untimed) and remember the event selected before the click."""
    def prepare(page):
        page.evaluate("() => { window.__bench.prevEv = new URLSearchParams(location.search).get('ev'); }")
        centres = timeline_mark_centres(page)
        if len(centres) < 2:
            raise TryFailed(f"{len(centres)} event marks on the timeline; 2 needed")
        page.mouse_at = centres[index]
        page.mouse.move(*page.mouse_at)
        page.wait_for_timeout(60)
    return prepare


def _hover_bar(fraction: float):
    """Hover a count bar of the timeline, near its base (untimed)."""
    def prepare(page):
        bars = page.locator(TIMELINE_BARS)
        n = bars.count()
        if n < 3:
            raise TryFailed(f"{n} count bars on the timeline")
        box = bars.nth(int(n * fraction)).bounding_box()
        page.mouse_at = (box["x"] + box["width"] / 2, box["y"] + max(box["height"] - 3, 1))
        page.mouse.move(*page.mouse_at)
        page.wait_for_timeout(60)
    return prepare


def _hover_place(dx: float, dy: float, name: str):
    """Hover a place mark until its tooltip shows (untimed); the press and release are the input."""
    def prepare(page):
        _hover_map(page, dx, dy, expect=name)
    return prepare


def _hover_row(row: int):
    """Point at a row's selection box (untimed); the click is the input."""
    def prepare(page):
        page.mouse_at = row_point(page, row)
        page.mouse.move(*page.mouse_at)
    return prepare


def _page_button(up: bool):
    """A click on the step button of "Page (of N)": one input that moves the table a page."""
    testid = "stNumberInputStepUp" if up else "stNumberInputStepDown"

    def commit(page):
        page.locator('[data-testid="stNumberInput"]').filter(has_text="Page (of").locator(f'[data-testid="{testid}"]').click()
    return commit


def _verify_event(plan: Plan):
    """After a try: the selected event exists, and the caption still matches the data layer."""
    def check(page):
        view = plan.view_of(page.url)
        if not view.selected_event:
            raise TryFailed(f"no event selected in {page.url}")
        verify_caption(plan)(page)
    return check


def _two_words(plan: Plan) -> tuple[str, str]:
    """Two search words that both match something and give different views."""
    from data.views.view import ViewState

    found = []
    for word in SEARCH_WORDS:
        selection = plan.selection(ViewState(text=word))
        if selection.n_events and all(selection.n_events != n for _, n in found):
            found.append((word, selection.n_events))
        if len(found) == 2:
            return found[0][0], found[1][0]
    raise TryFailed(f"fewer than two search words match in {plan.label}: {found}")


def _events_view(plan: Plan, max_marks: int):
    """A view the timeline draws as single events (20 to max_marks): the whole data, else one day narrowed by status or type."""
    from data.model.taxonomy import EVENT_TYPES, STATUSES
    from data.views.view import ViewState

    if 2 <= plan.selection(ViewState()).n_events <= max_marks:
        return ViewState()
    days = plan.ds.events["date_start"].drop_duplicates().sort_values().reset_index(drop=True)
    extras = [{}, *({"statuses": (status,)} for status in STATUSES), *({"event_types": (kind,)} for kind in EVENT_TYPES),
              *({"statuses": (status,), "event_types": (kind,)} for status in STATUSES for kind in EVENT_TYPES)]
    for fraction in (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2):  # days spread over the data's range
        day = days.iloc[int(fraction * (len(days) - 1))].date()
        for extra in extras:
            view = ViewState(date_from=day, date_to=day, **extra)
            if 20 <= plan.selection(view).n_events <= max_marks:
                return view
    raise TryFailed("no view with few enough events to draw them one by one")


def _map_view(plan: Plan):
    """A view drawing places (grid cells select nothing) and its two busiest marks that no other mark overlaps."""
    # Returns (view, [(place id, dx, dy, first line of its tooltip)]): deck.gl picks the topmost mark under the pointer,
    # so an overlapped mark cannot be clicked reliably; the tooltip's first line tells which one is hovered.
    from data.views.map_view import GRID_KIND, places_for_map
    from data.views.view import ViewState
    from tests.browser.atlas_page import map_marks

    first = plan.ds.events["date_start"].min().date()
    last = plan.ds.events["date_end"].max().date()
    middle = first + (last - first) / 2
    for view in (ViewState(), *(ViewState(date_from=middle, date_to=middle + timedelta(days=span)) for span in (30, 6, 0))):
        places = places_for_map(plan.selection(view))
        if places.empty or places["kind"].iloc[0] == GRID_KIND:
            continue
        tips = dict(zip(places["place_id"], (str(t).split("\n")[0] for t in places["tooltip"])))
        marks = map_marks(plan.ds, view)
        chosen: list[tuple[str, float, float, str]] = []
        for place_id, dx, dy, _ in sorted(marks, key=lambda m: -m[3]):
            if abs(dx) > 250 or abs(dy) > 200:  # inside the canvas, away from its edges
                continue
            if any(other != place_id and math.hypot(dx - x, dy - y) < 25 for other, x, y, _ in marks):
                continue
            chosen.append((place_id, dx, dy, tips[place_id]))
            if len(chosen) == 2:
                return view, chosen
    raise TryFailed("no view whose map shows two separate place marks")


def _two_rows(plan: Plan, view) -> list[tuple[int, str]]:
    """Two rows in view at the top of the claim table that open different events (claims about no single event open none)."""
    from data.views.table import PAGE_SIZE, claim_rows, sorted_claim_positions

    selection = plan.selection(view)
    rows = claim_rows(selection, sorted_claim_positions(selection, "date")[:PAGE_SIZE])
    chosen: list[tuple[int, str]] = []
    for row, event_id in enumerate(rows["event_id"].iloc[:9]):  # about ten rows show without scrolling
        if event_id and all(event_id != other for _, other in chosen):
            chosen.append((row, str(event_id)))
        if len(chosen) == 2:
            return chosen
    raise TryFailed("the first rows of the claim table do not open two different events")


def shared_link(plan: Plan):
    """The view a shared link opens: the busiest month, contested claims when there are any, and one event selected."""
    from data.views.view import ViewState

    month = plan.ds.events["date_start"].dt.to_period("M").value_counts().idxmax()
    view = ViewState(date_from=month.start_time.date(), date_to=month.end_time.date(), statuses=("contested",))
    if plan.selection(view).n_events < 5:  # a link that shows something on every part of the page
        view = replace(view, statuses=())
    event_id = plan.selection(view).events["event_id"].iloc[0]
    return replace(view, selected_event=event_id)


# ----------------------------------------------------------------------------------------------------------------
# The run


def size_suite(run: Run, browser, size: str, floors: Floors, *, tries: int, quiet_ms: float) -> None:
    """One dataset size: load it here (to know what each view must show), serve it, first renders, then interactions."""
    from bench.dashboard import dataset_dir
    from data.views.view import ViewState

    began = time.monotonic()
    folder = None if size == "seed" else dataset_dir(int(size))
    label = "seed" if size == "seed" else f"synthetic-{int(size)}"
    plan = make_plan(label, folder)
    timeout_s = 60 if size == "seed" or int(size) <= 200_000 else 300
    base = {"dataset": label}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="browser-rerun-app-")))
        hook_env, script_log = Served.hook(tmp)
        server = stack.enter_context(app_server(tmp, seed_dir=folder, name=label, env=hook_env))
        served = Served(server.url, server.process.pid, script_log)
        Cpu.servers.add(served.pid)
        run.emit({**base, "interaction": "server started", **code_state()})
        # The server's first page loads the dataset: reported apart, it is not what opening a shared link costs later.
        context, page = new_page(browser, run)
        try:
            page.goto(server.url, wait_until="commit")
            cold = wait_view(page, caption_probe(plan.caption(ViewState())), watch=APP_WATCH, quiet_ms=quiet_ms, timeout_s=900,
                             need=("map", "timeline", "table"), served=served)
            run.emit({**base, "interaction": "cold server: first page (loads the data)", **cold})
        finally:
            context.close()
        link = shared_link(plan)
        url = url_of(server.url, link)
        probe = (f"{caption_probe(plan.caption(link))} && B.markdownHas({js('Event id: ' + link.selected_event)})"
                 f" && (B.count({js(TIMELINE_BARS)}) + B.count({js(TIMELINE_MARKS)})) > 0")
        run.emit({**base, "interaction": "first render", "url": url.split("/", 3)[-1]})
        rows, floor_rows = [], []
        for index in range(tries):  # each app first render followed by the floor page's, in fresh contexts
            row = first_render_try(run, browser, url, probe, base=base, index=index, quiet_ms=quiet_ms,
                                   timeout_s=max(timeout_s, 120), need=("map", "timeline", "table"), served=served)
            if row is None:
                break
            rows.append(row)
            floor_row = floors.first_render(index=index, paired_with=f"{label} first render")
            if floor_row is not None:
                floor_rows.append(floor_row)
        if rows:
            run.emit(summary_row(base, "first render", rows, floor_rows, floor_kind="first render"))
        atlas_suite(run, browser, served, plan, floors, tries=tries, quiet_ms=quiet_ms, timeout_s=timeout_s)
        _server_log_errors(run, server, base)
    run.emit({**base, "interaction": "size done", "seconds": round(time.monotonic() - began, 1)})


def code_state() -> dict:
    """Which app code a server ran: other people edit pages/ and data/ while benchmarks run, so figures name their code."""
    import hashlib

    digest = hashlib.sha1()
    files = [ROOT / "app.py", *sorted((ROOT / ".streamlit").glob("*.toml")), *sorted((ROOT / "pages").rglob("*.py")),
             *sorted((ROOT / "data").rglob("*.py"))]
    for path in files:
        with contextlib.suppress(OSError):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "app.py", "pages", "data", ".streamlit"],
                           capture_output=True, text=True).stdout.splitlines()
    return {"git_head": head, "uncommitted_app_files": len(dirty), "app_code_sha1": digest.hexdigest()[:12]}


def _server_log_errors(run: Run, server, base: dict) -> None:
    """Tracebacks in the server log are failures too."""
    log = server.log()
    if "Traceback" in log:
        run.failures.append(f"{base['dataset']}: traceback in the server log")
        run.emit({**base, "server_log_tail": log[-3000:]})


def final_table(run: Run) -> str:
    """Each interaction's p50/p95 beside its paired floor's, the ratio and target, and where its median try went."""
    lines = [f"{'dataset':<17} {'interaction':<23} {'n':>3} {'p50':>6} {'p95':>6}  {'floor (paired)':<13} {'p50':>5} {'p95':>5} "
             f"{'ratio':>6}  {'target':<10} {'to run':>6} {'script':>6} {'after':>6} {'load':>5}"]
    for row in run.rows:
        if not row.get("summary"):
            continue
        target = _target(row)
        ratio = row.get("ratio")
        verdict = "" if ratio is None or target is None else f"<={target:g} {'ok' if ratio <= target else 'OVER'}"
        floor = (f"{row['floor_kind']:<13} {row['floor_p50_ms']:>5.0f} {row['floor_p95_ms']:>5.0f} {ratio:>6.1f}"
                 if ratio is not None else f"{'(restore)':<13} {'':>5} {'':>5} {'':>6}")
        parts = " ".join(f"{row[key]:>6.0f}" if key in row else f"{'-':>6}"
                         for key in ("median_to_script_start_ms", "median_script_ms", "median_after_script_ms"))
        lines.append(f"{row['dataset']:<17} {row['interaction']:<23} {row['n']:>3} {row['p50_ms']:>6.0f} {row['p95_ms']:>6.0f}  "
                     f"{floor}  {verdict:<10} {parts} {row.get('load_avg_1m', ''):>5}")
    lines.append("ms; ratio = p50 / paired floor p50; to run / script / after = medians of input to script start, time in "
                 "script runs (server), last run's end to the view complete (delivery and drawing); load = 1-min load average")
    return "\n".join(lines)


def _target(row: dict) -> float | None:
    """The issue's target ratio for a summary row (none for restores and sizes between the seed and 1M)."""
    if row["interaction"] == "first render":
        return FIRST_RENDER_TARGET
    if row["interaction"] in ("reset all filters", "clear place selection"):
        return None
    if row["dataset"] == "seed":
        return TARGETS["seed"]
    if row["dataset"] == "synthetic-1000000":
        return TARGETS[1_000_000]
    return None


def main(argv: list[str] | None = None) -> int:
    """Each size with its paired floors; figures print as they come, the table at the end; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="seed,100000,1000000", help="comma-separated: seed and/or event counts")
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--quiet-ms", type=float, default=300,
                        help="how long nothing watched may move before a try ends (not counted in the figure)")
    args = parser.parse_args(argv)
    if args.tries < 2:
        parser.error("--tries must be at least 2 (each try alternates between two views)")
    from playwright.sync_api import sync_playwright

    run = Run()
    began = time.monotonic()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="browser-rerun-floor-") as tmp, \
            floor_server(Path(tmp)) as floor:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        Cpu.servers.add(floor.pid)
        floors = Floors(run, browser, floor, args.quiet_ms)
        try:
            for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
                try:
                    size_suite(run, browser, size, floors, tries=args.tries, quiet_ms=args.quiet_ms)
                except Exception as exc:  # one size failing (e.g. a server that does not start) does not lose the others
                    message = f"{size}: {type(exc).__name__}: {exc}"
                    run.failures.append(message)
                    run.emit({"dataset": size, "error": message[:3000]})
                    print(message, file=sys.stderr, flush=True)
        finally:
            floors.close()
            browser.close()
    run.emit({"requests_outside_localhost": len(run.outside), "examples": sorted(set(run.outside))[:5],
              "failures": len(run.failures), "seconds": round(time.monotonic() - began, 1)})
    print(final_table(run), flush=True)
    for failure in run.failures:
        print("FAILED:", failure, file=sys.stderr)
    return 1 if run.failures or run.outside else 0


if __name__ == "__main__":
    sys.exit(main())
