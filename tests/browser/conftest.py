"""A real app server and a real headless Chromium for the browser tests (Debian's Chromium, never `playwright install`).

`app_server(...)` starts `streamlit run app.py` on a free localhost port, as the README does, and waits for
`/_stcore/health` (with deploy/team.py's helpers: one way to start, wait for and stop a server). Every page a test
opens records console errors, page errors, dialogs and every request, so a test can assert that nothing failed,
nothing hostile ran and nothing left localhost.

Speed: the servers, the synthetic dataset and Chromium are started once per session and shared by every module.
Pages come from `new_page()`, a fresh browser context each (a stranger's browser: no cookies, a cold cache), or
`new_page(fresh=False)`, pages of one warm context shared by the session for tests whose whole state is in the URL:
each load is still a new Streamlit session, but Streamlit's bundles are neither sent nor compiled again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy.cluster import free_port
from deploy.team import stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOSTILE_DIR = ROOT / "tests" / "fixtures" / "hostile"
TINY_DIR = ROOT / "tests" / "fixtures" / "tiny"
VIEWPORT = {"width": 1400, "height": 1800}
START_TIMEOUT_S = 45
RENDER_TIMEOUT_MS = 45_000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_chromium() -> None:
    """Skip without Debian's Chromium on a workstation; fail in CI, where `make browser` must have installed it."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`, or `make browser`)"
    if in_ci():
        pytest.fail(message + " -- browser tests must run in CI", pytrace=False)
    pytest.skip(message)


@dataclass
class AppServer:
    """One `streamlit run app.py` process and where to reach it."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextlib.contextmanager
def app_server(tmp_dir: Path, *, seed_dir: Path | None = None, env: dict[str, str] | None = None, name: str = "app",
               secrets_toml: str = "", port: int | None = None, script: str = "app.py"):
    """Start the app on a free port with its own empty data store and no passwords (unless `secrets_toml` gives
    some, e.g. an `[auth]` section, whose redirect URI needs the `port` chosen beforehand); stop it afterwards.

    `script` serves another Streamlit script with the same flags (bench/floor_app.py, the benchmarks' floor).
    """
    port = port or free_port()
    tmp_dir.mkdir(parents=True, exist_ok=True)
    no_secrets = tmp_dir / "secrets.toml"
    no_secrets.write_text(secrets_toml)  # a developer's .streamlit/secrets.toml must not lock the test server
    server_env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ATLAS_VIEWER_PASSWORD", "ATLAS_EDITOR_PASSWORD", "ATLAS_SEED_DIR", "ATLAS_BASEMAP")
    }
    server_env.update(
        ATLAS_DATA_DIR=str(tmp_dir / "store"),
        STREAMLIT_SERVER_ADDRESS="127.0.0.1",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        PYTHONUNBUFFERED="1",
    )
    if seed_dir is not None:
        server_env["ATLAS_SEED_DIR"] = str(seed_dir)
    server_env.update(env or {})
    log_path = tmp_dir / f"{name}-server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--secrets.files", str(no_secrets),
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = AppServer(f"http://127.0.0.1:{port}/", process, log_path)
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(process)


def _wait_healthy(server: AppServer) -> None:
    """Wait for /_stcore/health; fail with the end of the server's log if it exits or never answers."""
    wait_healthy(server.url, server.process, server.log)


_stop = stop  # the name the benchmarks import


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory):
    """The app serving its default dataset (data/seed/), as an analyst would start it."""
    require_chromium()
    with app_server(tmp_path_factory.mktemp("seed-server")) as server:
        yield server


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory):
    """The app serving tests/fixtures/hostile/ as its default dataset."""
    require_chromium()
    with app_server(tmp_path_factory.mktemp("hostile-server"), seed_dir=HOSTILE_DIR, name="hostile") as server:
        yield server


SYNTH_EVENTS = 100_000


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory) -> Path:
    """A 100,000-event synthetic dataset (bench/synth.py, fixed seed), generated once per test session (about 3 s)."""
    folder = tmp_path_factory.mktemp("synth") / f"synth-{SYNTH_EVENTS}"
    subprocess.run([sys.executable, "-m", "bench.synth", "--events", str(SYNTH_EVENTS), "--seed", "7", "--out", str(folder)],
                   cwd=ROOT, check=True, capture_output=True)
    return folder


@pytest.fixture(scope="session")
def synth_server(tmp_path_factory, synth_dir):
    """The app serving the 100,000-event synthetic dataset as its default dataset."""
    require_chromium()
    with app_server(tmp_path_factory.mktemp("synth-server"), seed_dir=synth_dir, name="synth") as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Watch:
    """What a page did that a test may want to forbid: errors, dialogs, requests off localhost."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS or parts.hostname is None


def watch(page) -> Watch:
    """Record a page's console errors, uncaught exceptions, dialogs (dismissed at once) and requests."""
    seen = Watch()
    page.on("console", lambda msg: seen.console_errors.append(f"{msg.text} @ {msg.location}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))

    def on_dialog(dialog):
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        with contextlib.suppress(Exception):
            dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen.requests.append(request.url))
    return seen


@pytest.fixture(scope="session")
def warm_context(browser):
    """One browser context for the whole session, for tests whose whole state is in the URL.

    Its HTTP cache keeps Streamlit's bundles (several MB of script the server sends and Chromium compiles on every
    cold load); each page load is still a new Streamlit session. Cookies and storage are shared: a test that needs a
    stranger's browser (a login, a colleague opening a link) takes a fresh context from new_page().
    """
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    yield context
    with contextlib.suppress(Exception):
        context.close()


@pytest.fixture
def new_page(browser, request):
    """Open pages, each in a fresh browser context (no shared cookies, storage or cache) unless fresh=False, which opens
    them in the session's warm context; all are closed afterwards."""
    opened = []

    def open_page(viewport: dict | None = None, *, fresh: bool = True):
        if fresh:
            context = browser.new_context(viewport=viewport or VIEWPORT)
            context.set_default_timeout(RENDER_TIMEOUT_MS)
            opened.append(context)
            page = context.new_page()
        else:
            page = request.getfixturevalue("warm_context").new_page()
            opened.append(page)
            if viewport:
                page.set_viewport_size(viewport)
        return page, watch(page)

    yield open_page
    for context_or_page in opened:
        with contextlib.suppress(Exception):
            context_or_page.close()
