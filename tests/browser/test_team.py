"""The team deployment in a real Chromium: PostgreSQL, two replicas and nginx (deploy/team.py), as `make team` runs.

An editor imports a file through the proxy on one replica; a colleague on the other replica opens the link and
sees the same counts within seconds; a delete is seen the same way; while the database is stopped every page
says so, and once it is back the link works again, with no restart of the replicas.
"""

from __future__ import annotations

import tempfile
import urllib.request
from pathlib import Path

import pytest

from tests.browser.atlas_page import ALERT, EXCEPTION, MAIN, caption, open_app, poll, wait_idle
from tests.browser.conftest import CHROMIUM_ARGS, require_chromium, in_ci
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PASSWORD = "team-editor-pässword"
ACLED = ROOT / "tests" / "fixtures" / "import" / "acled_2023.csv"


@pytest.fixture(scope="module")
def team():
    require_chromium()
    from deploy.cluster import ClusterError, remove_cluster
    from deploy.team import install_nginx, running_team

    if not install_nginx():
        message = "nginx is not installed (apt-get install nginx, as root): the team deployment cannot run"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="claim-atlas-team-test-"))
    cluster = None
    try:
        with running_team(folder, fast_database=True, env={"ATLAS_EDITOR_PASSWORD": PASSWORD}) as started:
            cluster = started.cluster
            yield started
    except ClusterError as exc:
        if in_ci():
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
    finally:
        if cluster is not None:
            remove_cluster(cluster, folder / "postgres")


def affinity_cookies(team) -> dict[str, str]:
    """An affinity cookie value per replica port, found by asking the proxy which replica each value reaches."""
    found: dict[str, str] = {}
    for number in range(64):
        value = f"colleague-{number}"
        request = urllib.request.Request(team.url + "_stcore/health", headers={"Cookie": f"atlas_affinity={value}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            found.setdefault(response.headers["X-Atlas-Replica"], value)
        if len(found) == len(team.replicas):
            return found
    raise AssertionError(f"64 cookie values reached only {sorted(found)}")


@pytest.fixture
def on_replica(browser, team):
    """open(replica_index) -> a page in a fresh browser context pinned (by its affinity cookie) to that replica."""
    cookies = affinity_cookies(team)
    ports = sorted(cookies)
    contexts = []

    def open_page(index: int):
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        context.set_default_timeout(45_000)
        context.add_cookies([{"name": "atlas_affinity", "value": cookies[ports[index]], "url": team.url}])
        contexts.append(context)
        page = context.new_page()
        answered = []
        page.on("response", lambda r: answered.append(r.headers.get("x-atlas-replica")) if r.request.resource_type == "document" else None)
        return page, answered

    yield open_page
    for context in contexts:
        context.close()


def import_through_page(page, team) -> str:
    """Unlock editing, upload the ACLED fixture, import it; the dataset id the page shows."""
    page.goto(team.url, wait_until="domcontentloaded")
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Import").click()
    page.get_by_label("Editor password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(ACLED))
    page.get_by_role("button", name="Import", exact=True).click()
    text = poll(lambda: next((t for t in page.locator(MAIN).all_inner_texts() if "Dataset id:" in t), None), what="the import's dataset id", timeout_s=90, page=page)
    return text.split("Dataset id:", 1)[1].split()[0]


def test_a_link_made_on_one_replica_opens_the_same_view_on_the_other(team, on_replica):
    editor, editor_saw = on_replica(0)
    colleague, colleague_saw = on_replica(1)
    dataset_id = import_through_page(editor, team)
    assert dataset_id.startswith("acled-")
    link = f"{team.url}?ds={dataset_id}"
    open_app(editor, link)
    counts_on_editor = caption(editor).split(" · ")[0]
    assert counts_on_editor.startswith("5 of 5 events")

    open_app(colleague, link)  # its first look at the store: the saved list is re-read when the version moved
    counts_on_colleague = poll(lambda: (c := caption(colleague).split(" · ")[0]) == counts_on_editor and c, what="the same counts on the other replica",
                               timeout_s=30, page=colleague)
    assert counts_on_colleague == counts_on_editor
    assert {editor_saw[-1], colleague_saw[-1]} == {f"127.0.0.1:{r.port}" for r in team.replicas}  # two replicas answered
    assert "not understood" not in colleague.locator(MAIN).inner_text()
    assert colleague.locator(EXCEPTION).count() == 0 and editor.locator(EXCEPTION).count() == 0


def test_the_database_going_away_is_said_on_every_page_and_recovers(team, on_replica):
    page, _ = on_replica(1)
    from data.store.datasets import open_store

    store = open_store(url=team.database_url)
    dataset_id = next(info.dataset_id for info in store.list())
    link = f"{team.url}?ds={dataset_id}"
    team.cluster.stop("immediate")
    try:
        for path in ("", "import_data", "places"):
            page.goto(team.url + path + ("?ds=" + dataset_id if not path else ""), wait_until="domcontentloaded")
            wait_idle(page)
            poll(lambda: "shared database cannot be reached" in page.locator(ALERT).all_inner_texts().__str__(), what=f"the warning on /{path}", page=page)
            assert page.locator(EXCEPTION).count() == 0
    finally:
        team.cluster.start()
    open_app(page, link)
    poll(lambda: caption(page).startswith("5 of 5 events"), what="the saved dataset back after the database returned", timeout_s=30, page=page)
    assert "cannot be reached" not in page.locator(MAIN).inner_text()
