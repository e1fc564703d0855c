"""Editors' narratives in the store, on both backends: saved, listed, edited with revisions, deleted; bad files store nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from data.narratives.model import Narrative, NarrativeError, Step, from_json, to_json
from data.narratives.reading import claim_ids_of, vocabulary_of
from data.store.base import StoreError
from data.store.narratives import NarrativeConflict, NarrativeStore

BREACH = Step("The breach <script>", "Rebels say so;\nthe state denies it.", {"ev": ("2016-08-06-aleppo-siege-broken",)},
              ("aleppo-siege-broken-sana-1",))
PRISON = Step("The prison", "", {"place": ("aleppo",), "at": ("aleppo-central-prison",), "map": ("36.23,37.18,11.5",)})


def story(narrative_id: str = "my-story", *steps: Step) -> Narrative:
    return Narrative(narrative_id, "Ramouseh — عام ٢٠١٦", "Summary", "An editor", ("seed",), tuple(steps) or (BREACH,))


def test_a_saved_narrative_comes_back_the_same_from_a_new_store_object(store):
    narratives = NarrativeStore(store)
    assert narratives.list() == []
    assert narratives.save(story("b-story", BREACH, PRISON), expected_revision=0) == 1
    narratives.save(story("a-story"))
    reopened = NarrativeStore(type(store)(**({"url": store.url} if store.backend == "postgresql" else {"path": store.path})))
    listed = reopened.list()
    assert [(n.narrative_id, r) for n, r in listed] == [("a-story", 1), ("b-story", 1)]  # same title: by id
    got, revision = reopened.get("b-story")
    assert got == story("b-story", BREACH, PRISON) and revision == 1
    assert got.steps[0].text == "Rebels say so;\nthe state denies it."


def test_editing_raises_the_revision_and_a_stale_edit_changes_nothing(store):
    narratives = NarrativeStore(store)
    narratives.save(story("s", BREACH), expected_revision=0)
    edited = story("s", BREACH, PRISON).with_step_moved(1, -1)
    assert narratives.save(edited, expected_revision=1) == 2
    with pytest.raises(NarrativeConflict, match="changed by someone else meanwhile"):
        narratives.save(story("s", BREACH), expected_revision=1)  # opened before the edit above
    with pytest.raises(NarrativeConflict):
        narratives.save(story("s"), expected_revision=0)  # "new" narrative whose id is taken
    assert narratives.get("s") == (edited, 2)
    assert [s.title for s in narratives.get("s")[0].steps] == ["The prison", "The breach <script>"]


def test_deleting_removes_only_that_narrative(store):
    narratives = NarrativeStore(store)
    narratives.save(story("keep"))
    narratives.save(story("drop"))
    narratives.delete("drop")
    assert [n.narrative_id for n, _ in narratives.list()] == ["keep"]
    with pytest.raises(StoreError, match="no stored narrative with id 'drop'"):
        narratives.delete("drop")


def test_an_imported_file_is_stored_whole_or_not_at_all(store, seed):
    narratives = NarrativeStore(store)
    vocab, claims = vocabulary_of(seed, frozenset({"seed"})), claim_ids_of(seed)
    good = to_json([story("one"), story("two", PRISON)])
    bad = json.loads(good)
    bad["narratives"][1]["steps"][0]["view"]["ev"] = ["2099-invented-event"]
    with pytest.raises(NarrativeError, match="nothing was saved"):
        narratives.save_all(from_json(json.dumps(bad), vocab, claims))
    assert narratives.list() == []
    narratives.save_all(from_json(good, vocab, claims))
    assert sorted(n.narrative_id for n, _ in narratives.list()) == ["one", "two"]
    assert from_json(narratives.export_json(), vocab, claims) == [story("one"), story("two", PRISON)]


def test_what_could_not_be_read_back_is_never_stored_and_one_bad_row_hides_no_other(store):
    narratives = NarrativeStore(store)
    narratives.save(story("first"))
    too_long = Narrative("second", "T", author="x" * 81, steps=(BREACH,))
    with pytest.raises(NarrativeError, match="author has 81 characters"):
        narratives.save_all([story("third"), too_long])
    with pytest.raises(NarrativeError):
        narratives.save(too_long)
    assert [n.narrative_id for n, _ in narratives.list()] == ["first"]
    with store._session() as session:  # a row written by hand (or by another version) that does not read back
        session.run("INSERT INTO narratives VALUES (?, ?, ?, ?, ?, ?)", ["broken", "A", "", datetime(2020, 1, 1), 1, "{not json"])
    assert [n.narrative_id for n, _ in narratives.list()] == ["first"] and narratives.unreadable == ["broken"]


def test_saving_and_deleting_raise_the_store_version_seen_by_another_replica(store):
    other = type(store)(**({"url": store.url} if store.backend == "postgresql" else {"path": store.path}))  # another replica
    narratives = NarrativeStore(store)
    start = other.version()
    narratives.save(story("shared"), expected_revision=0)
    assert other.version() > start and [n.narrative_id for n, _ in NarrativeStore(other).list()] == ["shared"]
    after_save = other.version()
    with pytest.raises(NarrativeConflict):
        narratives.save(story("shared"), expected_revision=0)
    assert other.version() == after_save  # a refused save changes nothing, the version included
    narratives.delete("shared")
    assert other.version() > after_save and NarrativeStore(other).list() == []


def test_narratives_are_part_of_the_store_interface(store):
    from data.store.base import NarrativeDocument

    document = NarrativeDocument("plain", "A title", "An author", json.dumps(story("plain").to_dict()))
    assert store.save_narratives([document]) == {"plain": 1}
    assert store.save_narratives([NarrativeDocument("plain", "A title", "An author", document.body, revision=1)]) == {"plain": 2}
    assert [(d.narrative_id, d.title, d.revision) for d in store.narratives()] == [("plain", "A title", 2)]
    with pytest.raises(NarrativeConflict):  # both or neither: the second is stale, so the first is not stored either
        store.save_narratives([NarrativeDocument("new-one", "B", "", document.body), NarrativeDocument("plain", "A", "", document.body, revision=1)])
    assert [d.narrative_id for d in store.narratives()] == ["plain"]
    store.delete_narrative("plain")
    assert store.narratives() == []
