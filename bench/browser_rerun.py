"""The real browser path: cold start of the app, then the time from a filter change to the re-rendered page.

    .venv/bin/python -m bench.browser_rerun [--events 1000000]

Starts `streamlit run app.py` on a free localhost port twice: once on the bundled seed data (cold start to
a rendered page) and once with ATLAS_SEED_DIR pointing at the synthetic dataset of bench/dashboard.py
(generated there if missing). In Debian's Chromium (Playwright, never `playwright install`) it then changes
filters as an analyst would (search box, the claim status multiselect, clearing the search) and prints, per
change, the seconds until Streamlit's status widget is gone and the "N of M events" caption shows the new
count, and the bytes the page received over the websocket meanwhile. One JSON line per measurement; no
assertions on time. Nothing leaves localhost (a request to another host is counted and reported).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
STATUS = '[data-testid="stStatusWidget"]'
CAPTION = '[data-testid="stMain"] [data-testid="stCaptionContainer"]'
CAPTION_RE = re.compile(r"^([\d,]+) of ([\d,]+) events, ([\d,]+) claims")
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def app_server(work: Path, seed_dir: Path | None):
    """`streamlit run app.py` on a free port; yields (url, seconds until /_stcore/health answered)."""
    port = _free_port()
    secrets = work / "secrets.toml"
    secrets.write_text("")
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_VIEWER_PASSWORD", "ATLAS_EDITOR_PASSWORD", "ATLAS_SEED_DIR")}
    env.update(ATLAS_DATA_DIR=str(work / "store"), STREAMLIT_SERVER_ADDRESS="127.0.0.1",
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", PYTHONUNBUFFERED="1")
    if seed_dir is not None:
        env["ATLAS_SEED_DIR"] = str(seed_dir)
    log = open(work / f"server-{port}.log", "w")
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {(work / f'server-{port}.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
            if time.perf_counter() - began > 120:
                raise RuntimeError("no health answer within 120 s")
        yield url, time.perf_counter() - began, began
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # our own process group, by id
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


class Wire:
    """Counts the bytes the page receives over Streamlit's websocket, and requests leaving localhost."""

    def __init__(self, page):
        self.received = 0
        self.frames = 0
        self.outside: list[str] = []
        page.on("websocket", self._socket)
        page.on("request", lambda request: self._request(request.url))

    def _socket(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.received += len(payload)
        self.frames += 1

    def _request(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        if url.startswith(("http", "ws")) and host not in LOCAL:
            self.outside.append(url)


def _caption(page) -> str:
    for text in page.locator(CAPTION).all_inner_texts():
        if CAPTION_RE.match(text):
            return text
    return ""


def _idle(page) -> bool:
    state = page.evaluate("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState || ''")
    return state == "notRunning" and page.locator(STATUS).count() == 0


def wait_rendered(page, *, differs_from: str | None = None, timeout_s: float = 300) -> str:
    """Poll (every 25 ms) until the script is idle with no status widget and the caption is there (and changed)."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        try:
            text = _caption(page)
            if text and (differs_from is None or text != differs_from) and _idle(page):
                return text
        except Exception:  # an element re-rendering mid-read
            pass
        page.wait_for_timeout(25)
    raise TimeoutError("the page did not re-render in time")


def measure_change(page, wire: Wire, name: str, act) -> dict:
    """Run one filter change; seconds until the new caption shows with the script idle, and bytes received."""
    before = _caption(page)
    bytes_before, frames_before = wire.received, wire.frames
    began = time.perf_counter()
    act()
    after = wait_rendered(page, differs_from=before)
    seconds = time.perf_counter() - began
    page.wait_for_timeout(300)  # late frames of the same rerun (charts) still count towards its bytes
    return {"change": name, "seconds": round(seconds, 3), "bytes_received": wire.received - bytes_before,
            "frames": wire.frames - frames_before, "caption_before": before[:60], "caption_after": after[:60]}


def _search(page, text: str) -> None:
    box = page.get_by_label("Search summaries and claims", exact=True)
    box.fill(text)
    box.press("Enter")


def _pick_status(page, status: str) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_label("Claim status", exact=True))
    field = box.get_by_label("Claim status", exact=True)
    field.click()
    field.fill(status)
    page.locator('[role="option"]').filter(has_text=status).first.click()
    page.keyboard.press("Escape")


def run(events: int, seed: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from bench.dashboard import dataset_dir

    folder = dataset_dir(events, seed)
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="atlas-browser-bench-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, seed_dir in (("seed", None), (f"synthetic-{events}", folder)):
                work = Path(tmp) / label
                work.mkdir()
                with app_server(work, seed_dir) as (url, health_s, began):
                    page = browser.new_page(viewport={"width": 1400, "height": 1800})
                    wire = Wire(page)
                    page.goto(url, wait_until="domcontentloaded")
                    first = wait_rendered(page)
                    rendered_s = time.perf_counter() - began
                    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', state="attached", timeout=120_000)
                    results.append({"dataset": label, "measure": "cold start: streamlit run to rendered page",
                                    "health_s": round(health_s, 2), "rendered_s": round(rendered_s, 2),
                                    "map_canvas_s": round(time.perf_counter() - began, 2),
                                    "bytes_received": wire.received, "caption": first[:60]})
                    print(json.dumps(results[-1]), flush=True)
                    if label == "seed":
                        page.close()
                        continue
                    page.wait_for_timeout(1500)  # let the lazily loaded chart code settle before timing changes
                    steps = [
                        ("search 'siege'", lambda: _search(page, "siege")),
                        ("claim status: contested", lambda: _pick_status(page, "contested")),
                        ("search 'water station'", lambda: _search(page, "water station")),
                        ("search 'hospital'", lambda: _search(page, "hospital")),
                    ]
                    for name, act in steps:
                        row = measure_change(page, wire, name, act)
                        row["dataset"] = label
                        results.append(row)
                        print(json.dumps(row), flush=True)
                    results.append({"dataset": label, "requests_outside_localhost": len(wire.outside)})
                    print(json.dumps(results[-1]), flush=True)
                    page.close()
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    run(args.events, args.seed)  # prints each measurement as it is made
    return 0


if __name__ == "__main__":
    sys.exit(main())
