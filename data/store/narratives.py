"""Narratives written by editors, kept in the dataset store (DuckDB or PostgreSQL) beside the datasets.

An addition to the store that needs nothing of its interface but a session (`Store._session()`): one table,
`narratives`, one row per narrative holding its JSON document (data/narratives/model.py) and a revision number.
Every write is one transaction; a save names the revision it started from, and a narrative changed meanwhile by
someone else is refused rather than silently overwritten. The seed's own narratives (data/seed/narratives.json) are
never stored; a stored narrative with the same id is an editor's version of it and is shown instead.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from data.narratives.model import MAX_FILE_BYTES, Narrative, NarrativeError, check_narrative, from_json, make_narrative, to_json
from data.store.base import SEED_ID, Store, StoreError

_TABLE = (
    "CREATE TABLE IF NOT EXISTS narratives (narrative_id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, "
    "author VARCHAR NOT NULL, updated TIMESTAMP NOT NULL, revision BIGINT NOT NULL, body VARCHAR NOT NULL)"
)


class NarrativeConflict(StoreError):
    """The narrative was changed by someone else since it was opened: reload it and make the change again."""


class NarrativeStore:
    """Editors' narratives in a dataset store: list, get, save (with the revision it started from), delete."""

    def __init__(self, store: Store):
        self.store = store
        self.unreadable: list[str] = []  # ids of stored narratives the last list() could not read (left out)

    def _session(self):
        return self.store._session()

    def list(self) -> list[tuple[Narrative, int]]:
        """Every stored narrative with its revision, by title; one that cannot be read is left out and named in `unreadable`."""
        if self.store._is_empty():
            return []
        with self._session() as session:
            session.run(_TABLE)
            rows = session.rows("SELECT narrative_id, body, revision FROM narratives ORDER BY title, narrative_id")
        listed, self.unreadable = [], []
        for narrative_id, body, revision in rows:
            try:
                listed.append((_read(body), int(revision)))
            except (NarrativeError, ValueError):  # written by another version, or by hand: the others still show
                self.unreadable.append(str(narrative_id))
        return listed

    def get(self, narrative_id: str) -> tuple[Narrative, int] | None:
        """One narrative and its revision, or None."""
        return next(((n, r) for n, r in self.list() if n.narrative_id == narrative_id), None)

    def save(self, narrative: Narrative, *, expected_revision: int | None = None) -> int:
        """Store a narrative (already checked by the caller against its data); returns its new revision.

        `expected_revision` is the revision the editor opened (0: a narrative not stored yet). A different stored
        revision raises NarrativeConflict and changes nothing.
        """
        narrative = make_narrative(narrative.to_dict())  # never store what could not be read back
        body = json.dumps(narrative.to_dict(), ensure_ascii=False)
        if len(body.encode("utf-8")) > MAX_FILE_BYTES:
            raise NarrativeError(f"the narrative is too long to store (at most {MAX_FILE_BYTES:,} bytes)")
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._session() as session:
            session.run(_TABLE)
            session.begin()
            try:
                found = session.rows("SELECT revision FROM narratives WHERE narrative_id = ?", [narrative.narrative_id])
                current = int(found[0][0]) if found else 0
                if expected_revision is not None and expected_revision != current:
                    raise NarrativeConflict(f"the narrative '{narrative.narrative_id}' was changed by someone else meanwhile; "
                                            "reload it and make your change again")
                if found:
                    session.run("UPDATE narratives SET title = ?, author = ?, updated = ?, revision = ?, body = ? WHERE narrative_id = ?",
                                [narrative.title, narrative.author, now, current + 1, body, narrative.narrative_id])
                else:
                    session.run("INSERT INTO narratives VALUES (?, ?, ?, ?, ?, ?)",
                                [narrative.narrative_id, narrative.title, narrative.author, now, 1, body])
                session.commit()
            except BaseException:
                session.rollback()
                raise
        return current + 1

    def save_all(self, narratives: list[Narrative]) -> None:
        """Store several narratives (an imported file) in one transaction: all of them, or none."""
        narratives = [make_narrative(n.to_dict()) for n in narratives]  # all readable, or nothing is stored
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._session() as session:
            session.run(_TABLE)
            session.begin()
            try:
                for narrative in narratives:
                    body = json.dumps(narrative.to_dict(), ensure_ascii=False)
                    found = session.rows("SELECT revision FROM narratives WHERE narrative_id = ?", [narrative.narrative_id])
                    if found:
                        session.run("UPDATE narratives SET title = ?, author = ?, updated = ?, revision = ?, body = ? WHERE narrative_id = ?",
                                    [narrative.title, narrative.author, now, int(found[0][0]) + 1, body, narrative.narrative_id])
                    else:
                        session.run("INSERT INTO narratives VALUES (?, ?, ?, ?, ?, ?)",
                                    [narrative.narrative_id, narrative.title, narrative.author, now, 1, body])
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def delete(self, narrative_id: str) -> None:
        """Remove a stored narrative; StoreError when there is none with this id."""
        with self._session() as session:
            session.run(_TABLE)
            if not session.rows("SELECT count(*) FROM narratives WHERE narrative_id = ?", [narrative_id])[0][0]:
                raise StoreError(f"no stored narrative with id {narrative_id!r}")
            session.begin()
            try:
                session.run("DELETE FROM narratives WHERE narrative_id = ?", [narrative_id])
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def export_json(self) -> str:
        """Every stored narrative as one narrative file."""
        return to_json([n for n, _ in self.list()])


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


def _read(body: str) -> Narrative:
    """A stored document back as a narrative (its views were checked when saved; the data may have changed since,
    so they are checked again where they are shown)."""
    return make_narrative(json.loads(body))
