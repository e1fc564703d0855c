"""A dataset: five typed, validated tables (sources, places, actors, events, claims) loaded from CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data.actors import ActorIndex
from data.claims import add_claim_status
from data.errors import DatasetError, RowProblem
from data.placenames import resolve_place_names
from data.places import PlaceTree
from data.schema import LOAD_ORDER, TABLES, column_names
from data.taxonomy import SIDES
from data.validate import validate_tables

SEED_DIR = Path(__file__).resolve().parent / "seed"
EPOCH = np.datetime64("1970-01-01", "D")


@dataclass
class Dataset:
    """Typed tables plus the indexes every view needs; build with `load_dataset` or `from_tables`."""

    dataset_id: str
    sources: pd.DataFrame
    places: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    problems: tuple[RowProblem, ...] = ()
    actor_index: ActorIndex = field(init=False, repr=False)
    place_tree: PlaceTree = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.actor_index = ActorIndex(self.actors)
        self.place_tree = PlaceTree(self.places)
        _derive_columns(self)

    @property
    def table_names(self) -> tuple[str, ...]:
        return LOAD_ORDER


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int32 (blank dates become the minimum int32)."""
    days = dates.to_numpy(dtype="datetime64[D]")
    out = (days - EPOCH).astype("int64")
    out[np.isnat(days)] = np.iinfo(np.int32).min
    return out.astype(np.int32)


def _derive_columns(ds: Dataset) -> None:
    """Columns the views filter on, computed once at load: day numbers, sides, outlets, status."""
    events, claims = ds.events, ds.claims
    events["day_start"] = day_numbers(events["date_start"])
    events["day_end"] = day_numbers(events["date_end"])
    side_of = dict(zip(ds.actors["actor_id"], ds.actors["side"]))
    events["side1"] = events["actor1_id"].map(side_of).fillna("").astype(str)
    events["side2"] = events["actor2_id"].map(side_of).fillna("").astype(str)
    claims["side"] = claims["claimant_actor_id"].map(side_of).fillna("").astype(str)
    outlet_of = dict(zip(ds.sources["source_id"], ds.sources["outlet"]))
    claims["outlet"] = claims["source_id"].map(outlet_of).fillna("").astype(str)
    position = pd.Series(np.arange(len(events), dtype=np.int64), index=events["event_id"].to_numpy())
    claims["event_pos"] = claims["event_id"].map(position).fillna(-1).astype(np.int64).to_numpy()
    claims["claim_day"] = day_numbers(claims["claim_date"])
    claims["search_text"] = claims["statement"] + " \u2016 " + claims["claimant"]
    events["dataset_id"] = ds.dataset_id
    place_position = pd.Series(np.arange(len(ds.places), dtype=np.int64), index=ds.places["place_id"].to_numpy())
    events["place_pos"] = events["place_id"].map(place_position).fillna(-1).astype(np.int32).to_numpy()
    lead_side = events["side1"].where(events["side1"].ne(""), events["side2"]).replace("", "unknown")
    events["lead_side"] = pd.Categorical(lead_side, categories=[*SIDES, "unknown"])
    add_claim_status(events, claims)


def read_raw_table(path: Path, table: str) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Read one CSV as strings; a missing file or missing columns is a problem on line 1."""
    expected = column_names(table)
    if not path.exists():
        return pd.DataFrame({name: pd.Series(dtype=str) for name in expected}), [
            RowProblem(path.name, 1, "*", "", f"file not found; expected columns: {', '.join(expected)}")
        ]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, csv.Error, pd.errors.EmptyDataError) as exc:
        return pd.DataFrame({name: pd.Series(dtype=str) for name in expected}), [
            RowProblem(path.name, 1, "*", "", f"unreadable CSV ({type(exc).__name__}: {str(exc)[:120]})")
        ]
    raw.columns = [str(name).strip().lower() for name in raw.columns]
    missing = [name for name in expected if name not in raw.columns]
    required_missing = [c.name for c in TABLES[table] if c.name in missing and (c.required or c.kind == "id")]
    problems = []
    if required_missing:
        problems.append(
            RowProblem(
                path.name,
                1,
                ",".join(required_missing),
                "",
                f"missing required columns; expected {', '.join(expected)}; found {', '.join(raw.columns)}",
            )
        )
    for name in missing:
        raw[name] = ""
    return raw, problems


def from_tables(
    raw_tables: dict[str, pd.DataFrame],
    *,
    dataset_id: str,
    files: dict[str, str] | None = None,
    on_invalid: str = "raise",
    resolve_names: bool = True,
    geocoder=None,
) -> Dataset:
    """Validate raw string tables into a Dataset.

    resolve_names=True lets events give their place by name instead of id (resolved through the
    dataset's places, then the geocoder; unresolved names are reported like any invalid row).
    on_invalid="raise" refuses the whole dataset when any row is invalid (the bundled data);
    on_invalid="drop" keeps the valid rows and lists the others in `Dataset.problems` (imports).
    """
    if on_invalid not in ("raise", "drop"):
        raise ValueError(f"on_invalid must be 'raise' or 'drop', got {on_invalid!r}")
    files = files or {table: f"{table}.csv" for table in LOAD_ORDER}
    name_problems: list[RowProblem] = []
    if resolve_names:
        raw_tables, name_problems = resolve_place_names(raw_tables, files, geocoder=geocoder)
    typed, problems = validate_tables(raw_tables, files)
    if name_problems:
        better = {(p.file, p.line, p.column): p for p in name_problems}
        problems = list(dict.fromkeys(better.get((p.file, p.line, p.column), p) for p in problems))
    if problems and on_invalid == "raise":
        raise DatasetError(f"dataset {dataset_id!r} has {len(problems)} invalid rows", problems)
    return Dataset(dataset_id, **{table: typed[table] for table in LOAD_ORDER}, problems=tuple(problems))


def load_dataset(
    folder: Path | str = SEED_DIR, *, dataset_id: str | None = None, on_invalid: str = "raise", resolve_names: bool = True
) -> Dataset:
    """Load a dataset folder of five CSV files (see docs/DATA-MODEL.md)."""
    folder = Path(folder)
    raw_tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    file_problems: list[RowProblem] = []
    for table in LOAD_ORDER:
        path = folder / f"{table}.csv"
        files[table] = path.name
        raw_tables[table], found = read_raw_table(path, table)
        file_problems.extend(found)
    if file_problems:
        raise DatasetError(f"dataset folder {folder} cannot be read", file_problems)
    return from_tables(
        raw_tables,
        dataset_id=dataset_id or ("seed" if folder == SEED_DIR else folder.name),
        files=files,
        on_invalid=on_invalid,
        resolve_names=resolve_names,
    )
