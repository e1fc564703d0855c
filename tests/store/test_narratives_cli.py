"""`python -m data narratives --json`: one JSON object a line (id, title, steps), the seed's and the store's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from data.narratives.model import Narrative, Step
from data.store.duckdb_store import DuckDBStore
from data.store.narratives import NarrativeStore
from tests.conftest import ROOT


def run(tmp_path, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "ATLAS_DATA_DIR": str(tmp_path / "store"), "ATLAS_SECRETS_FILE": str(tmp_path / "none.toml")}
    env.pop("ATLAS_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "data", "narratives", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_narratives_lists_the_seed_narrative_then_an_editors_one_and_an_edited_seed_one(tmp_path):
    lines = [json.loads(line) for line in run(tmp_path, "--json").stdout.splitlines()]
    assert lines == [{"id": "aleppo-2014-2016", "title": "Aleppo, 2014-2016: from the prison siege to the fall of the north",
                      "steps": 9, "from": "seed"}]
    store = NarrativeStore(DuckDBStore(tmp_path / "store" / "atlas.duckdb"))
    store.save(Narrative("mine", "Manbij — منبج", steps=(Step("one"), Step("two"))))
    store.save(Narrative("aleppo-2014-2016", "Aleppo, shorter", steps=(Step("only"),)))
    lines = [json.loads(line) for line in run(tmp_path, "--json").stdout.splitlines()]
    assert sorted((row["id"], row["title"], row["steps"], row["from"]) for row in lines) == [
        ("aleppo-2014-2016", "Aleppo, shorter", 1, "store"), ("mine", "Manbij — منبج", 2, "store")]
    assert run(tmp_path).stdout.splitlines()[0].split("\t")[0] in {"aleppo-2014-2016", "mine"}


def test_export_then_import_round_trips_and_a_file_that_does_not_fit_the_data_stores_nothing(tmp_path):
    exported = tmp_path / "narratives.json"
    run(tmp_path, "--export", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert [n["id"] for n in document["narratives"]] == ["aleppo-2014-2016"] and len(document["narratives"][0]["steps"]) == 9

    document["narratives"][0]["id"] = "copy"
    document["narratives"][0]["steps"][3]["view"]["ev"] = ["2016-07-no-such-event"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    env = {**os.environ, "ATLAS_DATA_DIR": str(tmp_path / "store"), "ATLAS_SECRETS_FILE": str(tmp_path / "none.toml")}
    env.pop("ATLAS_DATABASE_URL", None)
    refused = subprocess.run([sys.executable, "-m", "data", "narratives", "--import", str(bad)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert "nothing was saved" in refused.stderr and "copy: narrative.steps[3].view: `ev` names no known event id" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert [json.loads(line)["id"] for line in run(tmp_path, "--json").stdout.splitlines()] == ["aleppo-2014-2016"]

    document["narratives"][0]["steps"][3]["view"]["ev"] = ["2016-07-east-aleppo-siege-begins"]
    bad.write_text(json.dumps(document), encoding="utf-8")
    assert json.loads(run(tmp_path, "--import", str(bad)).stdout) == {"imported": ["copy"]}
    listed = {row["id"]: row for row in map(json.loads, run(tmp_path, "--json").stdout.splitlines())}
    assert listed["copy"]["steps"] == 9 and listed["copy"]["from"] == "store"
