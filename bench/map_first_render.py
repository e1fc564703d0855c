"""The map's first render and what each rerun sends, in headless Chromium, for this checkout or another one.

    .venv/bin/python bench/map_first_render.py [--app-dir DIR] [--tries 5] [--links "" "place=aleppo" ...]

For each link it opens a fresh browser context --tries times and prints, p50 and max:
- first render: navigation start until the map canvas shows its basemap (road-coloured pixels) and place marks,
  and the script is idle;
- websocket bytes the page received for that first render, and HTTP bytes of the basemap files (fetched by the
  browser, cached after the first context only within one context, so each try counts them);
- one rerun (the "Reset all filters" button from the link's view): websocket bytes and time until idle.
With --compare DIR (a checkout before a change: git worktree add /tmp/before <commit>) both apps are served and
measured in turn, try by try, so that both see the same machine load. Only localhost is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROAD = ((196, 150, 118), (206, 170, 140), (214, 192, 168))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(app_dir: Path):
    port = _free_port()
    data_dir = tempfile.mkdtemp(prefix="map-bench-")
    env = {**os.environ, "ATLAS_DATA_DIR": data_dir, "PYTHONPATH": str(app_dir)}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


def _roads_and_marks(page) -> bool:
    from PIL import Image

    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    if not canvas.count():
        return False
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").resize((137, 120))
    pixels = [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]
    roads = sum(1 for p in pixels if any(max(abs(a - b) for a, b in zip(p, c)) <= 14 for c in ROAD))
    strong = sum(1 for p in pixels if max(p) - min(p) > 120)  # saturated mark colours
    return roads > 15 and strong > 3


def _idle(page) -> bool:
    return page.locator('[data-testid="stStatusWidget"]').count() == 0


def measure(url: str, tries: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[float]] = {"first_render_s": [], "ws_first_kb": [], "basemap_http_kb": [],
                                       "rerun_ws_kb": [], "rerun_s": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        for _ in range(tries):
            context = browser.new_context(viewport={"width": 1400, "height": 1100})
            page = context.new_page()
            received = [0]
            http = [0]
            page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.__setitem__(
                0, received[0] + len(frame if isinstance(frame, (bytes, str)) else b""))))
            page.on("response", lambda r: http.__setitem__(0, http[0] + int(r.headers.get("content-length", "0") or 0))
                    if "/component/" in r.url else None)
            start = time.perf_counter()
            page.goto(url)
            deadline = start + 60
            while time.perf_counter() < deadline and not (_idle(page) and _roads_and_marks(page)):
                page.wait_for_timeout(50)
            figures["first_render_s"].append(time.perf_counter() - start)
            figures["ws_first_kb"].append(received[0] / 1024)
            figures["basemap_http_kb"].append(http[0] / 1024)
            received[0] = 0
            start = time.perf_counter()
            page.get_by_role("button", name="Reset all filters").click()
            last_bytes, last_change = 0, time.perf_counter()
            while time.perf_counter() < start + 30:  # until idle and no frame has arrived for 600 ms
                page.wait_for_timeout(25)
                if received[0] != last_bytes:
                    last_bytes, last_change = received[0], time.perf_counter()
                elif received[0] and _idle(page) and time.perf_counter() - last_change > 0.6:
                    break
            figures["rerun_s"].append(last_change - start)
            figures["rerun_ws_kb"].append(received[0] / 1024)
            context.close()
        browser.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--compare", type=Path, help="another checkout, measured in turn with --app-dir (same load)")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--links", nargs="*", default=["status=contested", "place=aleppo", "from=2016-08-01&to=2016-08-31"])
    args = parser.parse_args()
    apps = [args.app_dir.resolve()] + ([args.compare.resolve()] if args.compare else [])
    with contextlib.ExitStack() as stack:
        bases = {}
        for app in apps:
            head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=app, capture_output=True, text=True).stdout.strip()
            bases[f"{app} ({head})"] = stack.enter_context(served(app))
        for base in bases.values():
            measure(base, 1)  # warm each server (dataset load, first script compile)
        for link in args.links:
            results: dict[str, dict[str, list[float]]] = {name: {} for name in bases}
            for _ in range(args.tries):  # in turn, so that both see the same machine load
                for name, base in bases.items():
                    for key, values in measure(base + ("?" + link if link else ""), 1).items():
                        results[name].setdefault(key, []).extend(values)
            for name, figures in results.items():
                shown = "  ".join(f"{key} p50 {statistics.median(v):.2f} max {max(v):.2f}" for key, v in figures.items())
                print(f"{name} ?{link} (load {os.getloadavg()[0]:.1f}): {shown}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
