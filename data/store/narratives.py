"""Narratives written by editors, as the store keeps them (data/store/base.py: `narratives()`, `save_narratives()`,
`delete_narrative()`, on DuckDB and PostgreSQL alike), read and written here as Narrative objects.

The store keeps each narrative's JSON document (data/narratives/model.py) with a revision; a save names the revision
it started from, and a narrative changed meanwhile by someone else is refused rather than silently overwritten.
Every save and delete raises the store's version, like a dataset's, so every replica lists the same narratives.
The seed's own narratives (data/seed/narratives.json) are never stored; a stored narrative with the same id is an
editor's version of it and is shown instead.

An atlas zip (`python -m data export --format atlas`) carries the narratives that walk through its dataset as
`narratives.json`; importing the zip stores them again, pointed at the dataset's new id (see `carry_narratives`).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

from data.narratives.model import (MAX_FILE_BYTES, Narrative, NarrativeError, check_narrative, from_json, make_narrative,
                                   to_json)
from data.store.base import SEED_ID, NarrativeConflict, NarrativeDocument, Store, StoreError

__all__ = ["CARRIED_FILE", "NarrativeConflict", "NarrativeStore", "carry_narratives", "checked_against_data",
           "import_narratives", "narratives_citing", "read_carried_narratives", "store_carried_narratives"]

CARRIED_FILE = "narratives.json"  # inside an atlas zip


class NarrativeStore:
    """Editors' narratives in a dataset store as Narrative objects: list, get, save (with the revision it started
    from), delete."""

    def __init__(self, store: Store):
        self.store = store
        self.unreadable: list[str] = []  # ids of stored narratives the last list() could not read (left out)

    def list(self) -> list[tuple[Narrative, int]]:
        """Every stored narrative with its revision, by title; one that cannot be read is left out and named in `unreadable`."""
        listed, self.unreadable = [], []
        for document in self.store.narratives():
            try:
                listed.append((_read(document.body), document.revision))
            except (NarrativeError, ValueError):  # written by another version, or by hand: the others still show
                self.unreadable.append(document.narrative_id)
        return listed

    def get(self, narrative_id: str) -> tuple[Narrative, int] | None:
        """One narrative and its revision, or None."""
        return next(((n, r) for n, r in self.list() if n.narrative_id == narrative_id), None)

    def save(self, narrative: Narrative, *, expected_revision: int | None = None) -> int:
        """Store a narrative (already checked by the caller against its data); returns its new revision.

        `expected_revision` is the revision the editor opened (0: a narrative not stored yet). A different stored
        revision raises NarrativeConflict and changes nothing.
        """
        document = _document(narrative, expected_revision or 0)
        saved = self.store.save_narratives([document], check_revisions=expected_revision is not None)
        return saved[narrative.narrative_id]

    def save_all(self, narratives: list[Narrative]) -> None:
        """Store several narratives (an imported file) in one transaction: all of them, or none."""
        documents = [_document(n) for n in narratives]  # all readable, or nothing is stored
        self.store.save_narratives(documents, check_revisions=False)

    def delete(self, narrative_id: str) -> None:
        """Remove a stored narrative; StoreError when there is none with this id."""
        self.store.delete_narrative(narrative_id)

    def export_json(self) -> str:
        """Every stored narrative as one narrative file."""
        return to_json([n for n, _ in self.list()])


def _document(narrative: Narrative, revision: int = 0) -> NarrativeDocument:
    """A narrative as stored; read back through the model first, so nothing is stored that could not be read."""
    narrative = make_narrative(narrative.to_dict())
    body = json.dumps(narrative.to_dict(), ensure_ascii=False)
    if len(body.encode("utf-8")) > MAX_FILE_BYTES:
        raise NarrativeError(f"the narrative is too long to store (at most {MAX_FILE_BYTES:,} bytes)")
    return NarrativeDocument(narrative.narrative_id, narrative.title, narrative.author, body, revision)


def checked_against_data(narratives: list[Narrative], store: Store) -> list[Narrative]:
    """Each narrative checked against the datasets it names (the seed and this store's): every problem of every
    narrative in one NarrativeError, or the narratives as they will be stored."""
    from data.narratives.reading import claim_ids_of, vocabulary_of
    from data.store.overlay import open_datasets

    available = frozenset({SEED_ID} | {info.dataset_id for info in store.list()})
    problems: list[str] = []
    checked: list[Narrative] = []
    for narrative in narratives:
        missing = [d for d in narrative.datasets if d not in available]
        if missing:
            problems.append(f"{narrative.narrative_id}: names a dataset that is not here: '{missing[0]}'")
            continue
        data = open_datasets(list(narrative.datasets), store=store)
        try:
            checked.append(check_narrative(narrative, vocabulary_of(data, available), claim_ids_of(data)))
        except NarrativeError as error:
            problems.extend(f"{narrative.narrative_id}: {problem}" for problem in (error.problems or [str(error)]))
    if problems:
        raise NarrativeError("the narratives do not fit the data here; nothing was saved:", problems)
    return checked


def import_narratives(store: Store, data: bytes | str) -> list[Narrative]:
    """A narrative file read, checked against the data it names and stored whole; NarrativeError stores nothing."""
    narratives = checked_against_data(from_json(data), store)
    NarrativeStore(store).save_all(narratives)
    return narratives


# --- narratives carried by an atlas zip ------------------------------------------------------------------------------


def narratives_citing(store: Store, dataset_id: str) -> tuple[list[Narrative], list[str]]:
    """The narratives that walk through a dataset (the seed's shipped ones and the store's, an editor's version
    winning), and the ids of those left out because they also need a dataset other than the seed, which the zip
    cannot carry."""
    from data.narratives.reading import seed_narratives

    by_id = {n.narrative_id: n for n in seed_narratives()} | {n.narrative_id: n for n, _ in NarrativeStore(store).list()}
    carried, left_out = [], []
    for narrative in by_id.values():
        if dataset_id not in narrative.datasets:
            continue
        if set(narrative.datasets) - {dataset_id, SEED_ID}:
            left_out.append(narrative.narrative_id)
        else:
            carried.append(narrative)
    return carried, left_out


def carry_narratives(archive: bytes, narratives: list[Narrative], dataset_id: str) -> bytes:
    """An atlas zip with `narratives.json` added: the narratives and the id of the dataset they were written on."""
    if not narratives:
        return archive
    document = json.loads(to_json(narratives))
    document["dataset"] = dataset_id  # read back by read_carried_narratives; from_json ignores it
    buffer = io.BytesIO(archive)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr(CARRIED_FILE, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return buffer.getvalue()


def read_carried_narratives(path: Path | str) -> tuple[list[Narrative], str] | None:
    """The narratives an atlas zip (or folder) carries and the dataset id they were written on; None when it
    carries none. A carried file that cannot be read raises NarrativeError (checked before anything is stored)."""
    path = Path(path)
    if path.is_dir():
        file = path / CARRIED_FILE
        if not file.is_file():
            return None
        _refuse_if_too_big(file.stat().st_size)
        data = file.read_bytes()
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            member = next((m for m in archive.infolist() if Path(m.filename).name == CARRIED_FILE and not m.is_dir()), None)
            if member is None:
                return None
            _refuse_if_too_big(member.file_size)  # before unpacking it
            data = archive.read(member)
    else:
        return None
    narratives = from_json(data)
    written_on = json.loads(data.decode("utf-8-sig")).get("dataset")
    if not isinstance(written_on, str) or not written_on:
        raise NarrativeError(f"{CARRIED_FILE} does not say which dataset its narratives walk through "
                             "(a \"dataset\" id beside \"narratives\")")
    return narratives, written_on


def _refuse_if_too_big(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise NarrativeError(f"{CARRIED_FILE} is {size:,} bytes; narrative files are at most {MAX_FILE_BYTES:,}")


def store_carried_narratives(store: Store, carried: tuple[list[Narrative], str], dataset_id: str) -> list[str]:
    """Store a zip's narratives on its newly saved dataset; returns what to tell the user (one line each).

    Each narrative is pointed at `dataset_id` instead of the id it was written on. One already stored with the same
    content is not stored twice (the same zip imported again); one whose id is taken here (by another narrative or
    the seed's) gets a free id (`-2`, `-3`...). Checked against the data whole: when any does not fit, none is
    stored and the dataset stays imported.
    """
    from data.narratives.reading import seed_narratives

    narratives, written_on = carried
    stored = [n for n, _ in NarrativeStore(store).list()]
    taken = {n.narrative_id for n in stored} | {n.narrative_id for n in seed_narratives()}
    known_bodies = {_without_id(n) for n in stored}
    wanted: list[Narrative] = []
    renamed: list[str] = []
    for narrative in narratives:
        moved = _pointed_at(narrative, written_on, dataset_id)
        if _without_id(moved) in known_bodies:
            continue
        if moved.narrative_id in taken:
            base = moved.narrative_id[:60]
            moved = replace(moved, narrative_id=next(f"{base}-{k}" for k in range(2, 10_000) if f"{base}-{k}" not in taken))
            renamed.append(f"{narrative.narrative_id} as {moved.narrative_id}")
        taken.add(moved.narrative_id)
        wanted.append(moved)
    if not wanted:
        return [f"its narratives are stored already ({len(narratives)})"] if narratives else []
    try:
        NarrativeStore(store).save_all(checked_against_data(wanted, store))
    except (NarrativeError, StoreError) as problem:
        return [f"its narratives were not imported (the dataset was): {problem}"]
    return [f"imported {len(wanted)} narrative{'s' if len(wanted) > 1 else ''}: " + ", ".join(n.narrative_id for n in wanted)
            + (f" (renamed: {', '.join(renamed)})" if renamed else "")]


def _pointed_at(narrative: Narrative, old: str, new: str) -> Narrative:
    """The narrative with dataset `old` replaced by `new`, in its datasets and in every step's `ds` (a step
    without `ds` shows the seed: when the seed is what moved, the step is given `ds` explicitly)."""
    def moved(ids):
        return tuple(dict.fromkeys(new if d == old else d for d in ids))

    steps = []
    for step in narrative.steps:
        view = dict(step.view)
        if "ds" in view:
            view["ds"] = moved(view["ds"])
        elif old == SEED_ID:
            view["ds"] = (new,)
        steps.append(replace(step, view=view))
    return replace(narrative, datasets=moved(narrative.datasets), steps=tuple(steps))


def _without_id(narrative: Narrative) -> str:
    return json.dumps({k: v for k, v in narrative.to_dict().items() if k != "id"}, sort_keys=True, ensure_ascii=False)


def _read(body: str) -> Narrative:
    """A stored document back as a narrative (its views were checked when saved; the data may have changed since,
    so they are checked again where they are shown)."""
    return make_narrative(json.loads(body))
