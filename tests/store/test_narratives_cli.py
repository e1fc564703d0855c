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
