"""An atlas zip carries the narratives that walk through its dataset, and importing it brings them back pointed at the
imported copy, on both backends; a zip whose narratives.json cannot be read imports nothing."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from data.__main__ import main
from data.importers import ImportFormatError, import_file
from data.narratives.model import Narrative, Step
from data.store.duckdb_store import DuckDBStore
from data.store.imports import save_file
from data.store.narratives import CARRIED_FILE, NarrativeStore, checked_against_data
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture(scope="module")
def imported():
    known = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)
    return {fmt: import_file(FIXTURES / name, geocoder=None, known_actors=known) for fmt, name in
            (("acled", "acled_2023.csv"), ("ucdp", "ucdp_ged.csv"))}


def export(dataset_id: str, out, capsys) -> dict:
    capsys.readouterr()
    assert main(["export", "--dataset", dataset_id, "--format", "atlas", "--out", str(out)]) == 0
    return json.loads(capsys.readouterr().out)


def carried_document(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(CARRIED_FILE))


def test_a_saved_datasets_narratives_go_out_with_its_zip_and_come_back_on_the_copy(store, imported, tmp_path, capsys):
    ids = {fmt: store.save(r.dataset, fmt, file_hash=r.file_hash, fmt=fmt, file_name=r.file_name) for fmt, r in imported.items()}
    acled = store.load(ids["acled"])
    event, claim = acled.events["event_id"].iloc[0], acled.claims["claim_id"].iloc[0]
    walk = Narrative("acled-walk", "Through the fixture", author="An editor", datasets=(ids["acled"],),
                     steps=(Step("All of it", view={"ds": (ids["acled"],)}), Step("One event", "Our words.", {"ds": (ids["acled"],), "ev": (event,)}, (claim,))))
    beside_seed = Narrative("beside-seed", "With the seed", datasets=(ids["acled"], "seed"),
                            steps=(Step("Both", view={"ds": (ids["acled"], "seed")}),))
    overlay = Narrative("overlay", "ACLED and UCDP", datasets=(ids["acled"], ids["ucdp"]),
                        steps=(Step("Both", view={"ds": (ids["acled"], ids["ucdp"])}),))
    elsewhere = Narrative("elsewhere", "UCDP only", datasets=(ids["ucdp"],), steps=(Step("UCDP", view={"ds": (ids["ucdp"],)}),))
    NarrativeStore(store).save_all(checked_against_data([walk, beside_seed, overlay, elsewhere], store))

    archive = tmp_path / "acled-atlas.zip"
    printed = export(ids["acled"], archive, capsys)
    assert sorted(printed["narratives"]) == ["acled-walk", "beside-seed"] and printed["narratives_left_out"] == ["overlay"]
    document = carried_document(archive)
    assert document["dataset"] == ids["acled"] and sorted(n["id"] for n in document["narratives"]) == ["acled-walk", "beside-seed"]

    copy_id, result = save_file(store, archive, "atlas", name="ACLED copy")
    assert copy_id != ids["acled"] and len(store.load(copy_id).events) == len(acled.events)
    notes = [w.reason for w in result.warnings if w.file == CARRIED_FILE]
    assert notes == ["imported 2 narratives: acled-walk-2, beside-seed-2 (renamed: acled-walk as acled-walk-2, beside-seed as beside-seed-2)"]
    stored = {n.narrative_id: n for n, _ in NarrativeStore(store).list()}
    assert stored["acled-walk-2"].datasets == (copy_id,) and [s.view["ds"] for s in stored["acled-walk-2"].steps] == [(copy_id,)] * 2
    assert stored["acled-walk-2"].steps[1].view["ev"] == (event,) and stored["acled-walk-2"].steps[1].claims == (claim,)
    assert stored["beside-seed-2"].datasets == (copy_id, "seed") and stored["beside-seed-2"].steps[0].view["ds"] == (copy_id, "seed")
    assert stored["acled-walk"] == walk  # the original still walks through the original

    version = store.version()
    _, again = save_file(store, archive, "atlas", name="ACLED copy")  # the same zip again: nothing twice
    assert [w.reason for w in again.warnings if w.file == CARRIED_FILE] == ["its narratives are stored already (2)"]
    assert len(NarrativeStore(store).list()) == 6 and store.version() == version


def test_the_seeds_zip_carries_its_narrative_which_opens_on_the_copy_elsewhere(store, tmp_path, capsys):
    archive = tmp_path / "seed-atlas.zip"
    assert export("seed", archive, capsys)["narratives"] == ["aleppo-2014-2016"]
    assert carried_document(archive)["dataset"] == "seed"

    elsewhere = DuckDBStore(tmp_path / "another-machine" / "atlas.duckdb")
    copy_id, result = save_file(elsewhere, archive, "atlas", name="Seed copy")
    assert [w.reason for w in result.warnings if w.file == CARRIED_FILE] == [
        "imported 1 narrative: aleppo-2014-2016-2 (renamed: aleppo-2014-2016 as aleppo-2014-2016-2)"]  # the shipped one keeps its id
    (copy, _revision), = NarrativeStore(elsewhere).list()
    assert copy.datasets == (copy_id,) and len(copy.steps) == 9
    assert all(step.view["ds"] == (copy_id,) for step in copy.steps)  # a step that showed the seed by default shows the copy
    assert checked_against_data([copy], elsewhere) == [copy]  # every event, place and claim it names is in the copy


def test_a_zip_whose_narratives_cannot_be_read_imports_nothing(store, tmp_path, capsys):
    archive = tmp_path / "seed-atlas.zip"
    export("seed", archive, capsys)
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(broken, "w") as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == CARRIED_FILE:
                document = json.loads(data)
                document["narratives"][0]["steps"][0]["title"] = ""
                data = json.dumps(document).encode()
            out.writestr(member, data)
    with pytest.raises(ImportFormatError, match="cannot be read, so nothing was imported") as refused:
        save_file(store, broken, "atlas")
    assert any("title cannot be blank" in p.reason for p in refused.value.problems)
    assert store.list() == [] and NarrativeStore(store).list() == []
