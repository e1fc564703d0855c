"""Editors' control claims ("camp X held place Y on day D", with its source): the table's shape and its checks.

A dataset folder may hold `control_claims.csv` beside its five tables (the seed's is data/seed/control_claims.csv).
One row is one claim: `claimant` (or `claimant_actor_id`) says in `source_id`, at `span_start:span_end`, that the camp
of `side` (or of `actor_id`) held, besieged or contested `place_id` from `date_start` to `date_end` (blank: from that
day on, until later evidence), or, with stance `denies`, that it did not hold it then. `editor` says who
entered it. Claims are read and checked whole: a bad row is named with its line and reason and nothing is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data.model.control.rule import STATES
from data.model.claims import PARTY_SIDES

CONTROL_CLAIMS_FILE = "control_claims.csv"
CONTROL_CLAIM_COLUMNS = (
    "control_claim_id", "place_id", "side", "actor_id", "state", "date_start", "date_end", "stance",
    "source_id", "claimant", "claimant_actor_id", "span_start", "span_end", "statement", "editor",
)
CLAIM_STATES = tuple(s for s in STATES if s != "unknown")  # nobody claims ignorance
CLAIM_STANCES = ("asserts", "denies")


@dataclass(frozen=True)
class ControlClaimProblem:
    """A row of control_claims.csv that cannot be used, and why."""

    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{CONTROL_CLAIMS_FILE}:{self.line}: {self.column} {self.value!r}: {self.reason}"


def empty_control_claims() -> pd.DataFrame:
    """A control-claims table with no rows (a dataset without any)."""
    return pd.DataFrame({c: pd.Series(dtype=str) for c in CONTROL_CLAIM_COLUMNS})


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def check_control_claims(table: pd.DataFrame, *, places, sources, actors) -> list[ControlClaimProblem]:
    """Every reason a row cannot be used (empty when all can): ids that exist, dates, a side, a state, a source."""
    missing = [c for c in CONTROL_CLAIM_COLUMNS if c not in table.columns]
    if missing:
        return [ControlClaimProblem(1, ", ".join(missing), "", f"missing column(s); expected {', '.join(CONTROL_CLAIM_COLUMNS)}")]
    places, sources, actors = set(places), set(sources), set(actors)
    problems, seen = [], set()
    for line, row in enumerate(table.to_dict("records"), start=2):
        def bad(column: str, reason: str) -> None:
            problems.append(ControlClaimProblem(line, column, str(row[column]), reason))

        if not row["control_claim_id"] or row["control_claim_id"] in seen:
            bad("control_claim_id", "blank or repeated")
        seen.add(row["control_claim_id"])
        if row["place_id"] not in places:
            bad("place_id", "not a place of this dataset")
        if row["side"] and row["side"] not in PARTY_SIDES:  # monitors, media and analysts hold no ground
            bad("side", f"must be a fighting side, one of {', '.join(PARTY_SIDES)} (whoever reports it is the claimant)")
        if row["actor_id"] and row["actor_id"] not in actors:
            bad("actor_id", "not an actor of this dataset")
        if not row["side"] and not row["actor_id"]:
            bad("side", "give the side or the actor_id of the camp the claim is about")
        if row["state"] not in CLAIM_STATES:
            bad("state", f"must be one of {', '.join(CLAIM_STATES)}")
        if row["stance"] not in CLAIM_STANCES:
            bad("stance", f"must be one of {', '.join(CLAIM_STANCES)}")
        start, end = _day(row["date_start"]), _day(row["date_end"]) if row["date_end"] else None
        if start is None:
            bad("date_start", "must be a date like 2016-02-03")
        if row["date_end"] and (end is None or (start is not None and end < start)):
            bad("date_end", "must be blank or a date like 2016-02-03, not before date_start")
        if row["source_id"] not in sources:
            bad("source_id", "not a source of this dataset: a control claim needs its source")
        if row["claimant_actor_id"] and row["claimant_actor_id"] not in actors:
            bad("claimant_actor_id", "not an actor of this dataset")
        if not row["claimant"] and not row["claimant_actor_id"]:
            bad("claimant", "say who makes the claim")
        for column in ("span_start", "span_end"):
            if row[column] and not str(row[column]).isdigit():
                bad(column, "must be blank or a character offset (a whole number)")
    return problems


def read_control_claims(folder: Path | str, *, places, sources, actors) -> tuple[pd.DataFrame, list[ControlClaimProblem]]:
    """The folder's control_claims.csv as strings (empty table when there is none) and its problems.

    With problems the table comes back empty: a half-read set of corrections would be worse than none.
    """
    path = Path(folder) / CONTROL_CLAIMS_FILE
    if not path.is_file():
        return empty_control_claims(), []
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = check_control_claims(table, places=places, sources=sources, actors=actors)
    if problems:
        return empty_control_claims(), problems
    return table.reindex(columns=CONTROL_CLAIM_COLUMNS), []
