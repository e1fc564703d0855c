"""A dataset: five typed, validated tables (sources, places, actors, events, claims) loaded from CSV."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data.model.actors import ActorIndex
from data.model.claims import PARTY_CAMPS, STATUSES, against_positions, camp_of, claim_origins, status_codes
from data.model.quantities import event_numbers
from data.errors import DatasetError, RowProblem
from data.model.placenames import resolve_place_names
from data.model.places import PlaceTree
from data.model.schema import LOAD_ORDER, TABLES, column_names
from data.model.taxonomy import EVENT_TYPES, SIDES, STANCES, SUB_EVENT_TYPES
from data.model.text import describe_removals, removal_warnings, strip_invisible_frame
from data.model.validate import line_numbers, validate_tables

SEED_DIR = Path(__file__).resolve().parents[1] / "seed"
EPOCH = np.datetime64("1970-01-01", "D")
SEARCH_SEPARATOR = " \u2016 "  # between a claim's statement and claimant in its search text
STATUS_CATEGORIES = STATUSES  # as data.model.claims.add_claim_status
log = logging.getLogger(__name__)


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
    warnings: tuple[RowProblem, ...] = ()  # cells kept but changed at load (invisible characters removed)
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
    """Columns the views filter on, computed once at load: day numbers, sides, outlets, status.

    Besides the readable columns (side1, outlet, lead_side...), every id a filter looks at is also kept
    as a row position in the table it points into (-1 for blank), so a filter is an array lookup over
    integers instead of string matching over a million rows.
    """
    events, claims, actors, sources = ds.events, ds.claims, ds.actors, ds.sources
    events["day_start"] = day_numbers(events["date_start"])
    events["day_end"] = day_numbers(events["date_end"])
    actor_sides = actors["side"].to_numpy(dtype=object)
    events["actor1_pos"] = positions_in(events["actor1_id"], actors["actor_id"])
    events["actor2_pos"] = positions_in(events["actor2_id"], actors["actor_id"])
    claims["actor_pos"] = positions_in(claims["claimant_actor_id"], actors["actor_id"])
    events["side1"] = _labels(actor_sides, events["actor1_pos"].to_numpy())
    events["side2"] = _labels(actor_sides, events["actor2_pos"].to_numpy())
    claims["side"] = _labels(actor_sides, claims["actor_pos"].to_numpy())
    claims["source_pos"] = positions_in(claims["source_id"], sources["source_id"])
    claims["outlet"] = _labels(sources["outlet"].to_numpy(dtype=object), claims["source_pos"].to_numpy())
    claims["event_pos"] = positions_in(claims["event_id"], events["event_id"]).astype(np.int64)
    claims["claim_day"] = day_numbers(claims["claim_date"])
    claims["stance_code"] = _codes(claims["stance"], STANCES)
    claims["search_text"] = claims["statement"] + SEARCH_SEPARATOR + claims["claimant"]
    events["dataset_id"] = ds.dataset_id
    events["place_pos"] = positions_in(events["place_id"], ds.places["place_id"])
    events["type_code"] = _codes(events["event_type"], tuple(EVENT_TYPES))
    events["sub_code"] = _codes(events["sub_event_type"], tuple(SUB_EVENT_TYPES))
    side_order = (*SIDES, "unknown")
    side_code = np.array([side_order.index(s) if s in SIDES else len(SIDES) for s in actor_sides] + [-1], dtype=np.int16)
    lead = side_code[events["actor1_pos"].to_numpy()]
    lead = np.where(lead >= 0, lead, side_code[events["actor2_pos"].to_numpy()])
    events["lead_side"] = pd.Categorical.from_codes(np.where(lead >= 0, lead, len(SIDES)), categories=list(side_order))
    _add_claim_status(ds, side_code)


def positions_in(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """Row position in `ids` of each value, -1 where blank or not found (int32; Arrow hashing when available)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int32)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        needles = _arrow_strings(values)
        haystack = _arrow_strings(ids)
        if needles is not None and haystack is not None:
            found = pc.index_in(needles, value_set=haystack.combine_chunks() if isinstance(haystack, pa.ChunkedArray) else haystack)
            return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    except ImportError:
        pass
    return pd.Index(ids.to_numpy(dtype=object)).get_indexer(values.to_numpy(dtype=object)).astype(np.int32)


def _arrow_strings(values: pd.Series):
    """The Arrow array behind a string column (zero copy), or None when the column is not Arrow strings."""
    import pyarrow as pa

    array = values.array
    if hasattr(array, "__arrow_array__") and pd.api.types.is_string_dtype(values.dtype):
        found = array.__arrow_array__()
        if pa.types.is_string(found.type) or pa.types.is_large_string(found.type):
            return found.cast(pa.large_string())
    try:
        return pa.array(values.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    except (TypeError, ValueError):
        return None


def _labels(names: np.ndarray, positions: np.ndarray) -> pd.Series:
    """A string column of names[position], blank where the position is -1 (gathered in Arrow, no Python strings)."""
    labels = [*(str(name) for name in names), ""]
    index = np.where(positions < 0, len(labels) - 1, positions)
    try:
        import pyarrow as pa

        taken = pa.array(labels, type=pa.large_string()).take(pa.array(index))
        return taken.to_pandas(types_mapper=lambda kind: pd.StringDtype("pyarrow", na_value=np.nan))
    except ImportError:
        return pd.Series(np.asarray(labels, dtype=object)[index], dtype=str)


def _codes(values: pd.Series, choices: tuple[str, ...]) -> np.ndarray:
    """Position of each value in `choices` (int16; -1 where not a choice)."""
    return positions_in(values, pd.Series(list(choices), dtype=str)).astype(np.int16)


def _add_claim_status(ds: Dataset, side_code: np.ndarray) -> None:
    """Claims' origins and voices, events' status, n_claims, n_voices and claimed numbers, by data/model/claims.py
    and data/model/quantities.py, on integer codes.

    Same result as `data.model.claims.add_claim_status` (tests/views/test_aggregates.py checks it), which works on
    strings and takes seconds at a million events.
    """
    events, claims = ds.events, ds.claims
    sides = ds.actor_index.sides
    origins = claim_origins(claims, sides, ds.actor_index.names, ds.actor_index.resolve)
    for column in origins.columns:
        claims[column] = origins[column]
    camp_code = {camp: i for i, camp in enumerate(PARTY_CAMPS)}
    actor_camp = np.array([camp_code.get(camp_of(side), -1) for side in ds.actors["side"]] + [-1], dtype=np.int64)
    against = actor_camp[against_positions(events["type_code"].to_numpy(), events["sub_code"].to_numpy(), events["actor1_pos"].to_numpy(),
                                           events["actor2_pos"].to_numpy(), tuple(EVENT_TYPES), tuple(SUB_EVENT_TYPES))]
    events["against_camp"] = pd.Categorical.from_codes(np.where(against >= 0, against, len(PARTY_CAMPS)), categories=[*PARTY_CAMPS, ""])
    voice_categories = list(claims["voice"].cat.categories) if len(claims) else []
    voice_code_of = np.array([camp_code[v[5:]] if v.startswith("camp:") else (len(PARTY_CAMPS) + i if v else -1)
                              for i, v in enumerate(voice_categories)] + [-1], dtype=np.int64)
    voice_code = voice_code_of[claims["voice"].cat.codes.to_numpy()] if len(claims) else np.zeros(0, dtype=np.int64)
    camp_categories = list(claims["camp"].cat.categories) if len(claims) else []
    camp_code_of = np.array([camp_code.get(c, -1) for c in camp_categories] + [-1], dtype=np.int64)
    camp = camp_code_of[claims["camp"].cat.codes.to_numpy()] if len(claims) else np.zeros(0, dtype=np.int64)
    event_pos = claims["event_pos"].to_numpy()
    status, n_claims, n_voices = status_codes(
        len(events), event_pos, claims["stance_code"].to_numpy(), voice_code, camp, against,
        asserts=STANCES.index("asserts"), against_stances=[STANCES.index("denies"), STANCES.index("disputes")])
    events["status"] = pd.Categorical.from_codes(status, categories=list(STATUS_CATEGORIES))
    events["n_claims"] = n_claims
    events["n_voices"] = n_voices
    origin_code = claims["origin_id"].cat.codes.to_numpy() if len(claims) else np.zeros(0, dtype=np.int64)
    quantity = pd.to_numeric(claims["quantity"], errors="coerce").to_numpy(dtype=float)
    for column, values in event_numbers(len(events), event_pos, quantity, claims["unit"], origin_code).items():
        events[column] = values


FAST_READ_FROM_BYTES = 1 << 20  # smaller files go through pandas' reader, whose behaviour is the reference


def _read_csv_fast(path: Path) -> pd.DataFrame | None:
    """Read a large CSV as strings with Arrow's multithreaded reader (5-6x faster than pandas' at a million rows).

    Returns None whenever the result might differ from pandas' reader, which then reads the file:
    a byte-order mark, duplicate or odd header names, rows Arrow refuses, or any value containing a
    line break (Arrow splits the file at line breaks to read it in parallel; the row count is checked
    against the file's line count so a quoted line break can never be misread).
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    if path.stat().st_size < FAST_READ_FROM_BYTES:
        return None
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(b"\xef\xbb\xbf") or b"\n" not in head:
        return None
    try:
        names = next(csv.reader([head.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if not names or len(set(names)) != len(names) or any(not name or '"' in name for name in names):
        return None
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=True, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return None
    if table.column_names != names or table.num_rows + 1 != _count_lines(path):
        return None  # blank lines or line breaks inside values: let pandas read it
    try:
        # One buffer per column: taking a 100-row page out of a column split in reader blocks made Arrow
        # concatenate the blocks first (~4 ms a column a rerun at 1.5M rows).
        table = table.combine_chunks()
    except pa.ArrowException:  # a column over 2 GB of text cannot be one string array: keep the blocks
        pass
    return table.to_pandas(types_mapper=lambda kind: pd.StringDtype("pyarrow", na_value=np.nan) if pa.types.is_string(kind) else None)


def _count_lines(path: Path) -> int:
    """Lines in a file, the last one counted whether or not it ends with a line break."""
    lines, last = 0, b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (1 if last not in (b"", b"\n") else 0)


def read_raw_table(path: Path, table: str) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Read one CSV as strings; a missing file or missing columns is a problem on line 1."""
    expected = column_names(table)
    if not path.exists():
        return pd.DataFrame({name: pd.Series(dtype=str) for name in expected}), [
            RowProblem(path.name, 1, "*", "", f"file not found; expected columns: {', '.join(expected)}")
        ]
    try:
        raw = _read_csv_fast(path)
        if raw is None:
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
    Invisible bidi controls and zero-width characters are removed from every cell first (data/model/text.py); each
    column changed is listed in `Dataset.warnings` and the total is logged.
    """
    if on_invalid not in ("raise", "drop"):
        raise ValueError(f"on_invalid must be 'raise' or 'drop', got {on_invalid!r}")
    files = files or {table: f"{table}.csv" for table in LOAD_ORDER}
    raw_tables, warnings = _strip_invisible_tables(raw_tables, files, dataset_id)
    name_problems: list[RowProblem] = []
    if resolve_names:
        raw_tables, name_problems = resolve_place_names(raw_tables, files, geocoder=geocoder)
    typed, problems = validate_tables(raw_tables, files)
    if name_problems:
        better = {(p.file, p.line, p.column): p for p in name_problems}
        problems = list(dict.fromkeys(better.get((p.file, p.line, p.column), p) for p in problems))
    if problems and on_invalid == "raise":
        raise DatasetError(f"dataset {dataset_id!r} has {len(problems)} invalid rows", problems)
    return Dataset(dataset_id, **{table: typed[table] for table in LOAD_ORDER}, problems=tuple(problems), warnings=warnings)


def _strip_invisible_tables(
    raw_tables: dict[str, pd.DataFrame], files: dict[str, str], dataset_id: str
) -> tuple[dict[str, pd.DataFrame], tuple[RowProblem, ...]]:
    """Raw tables without characters that would make a name read differently from what it is, and what was removed."""
    cleaned, warnings, removed = dict(raw_tables), [], []
    for table, raw in raw_tables.items():
        cleaned[table], removals = strip_invisible_frame(raw)
        if removals:
            warnings.extend(removal_warnings(removals, files.get(table, f"{table}.csv"), line_numbers(raw)))
            removed.extend(removals)
    if removed:
        log.warning("dataset %r: %s (%s)", dataset_id, describe_removals(removed), ", ".join(dict.fromkeys(w.file for w in warnings)))
    return cleaned, tuple(warnings)


def read_raw_folder(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str], list[RowProblem]]:
    """The five CSVs of a dataset folder as string tables, their file names, and what stops them being read."""
    raw_tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    problems: list[RowProblem] = []
    for table in LOAD_ORDER:
        path = folder / f"{table}.csv"
        files[table] = path.name
        raw_tables[table], found = read_raw_table(path, table)
        problems.extend(found)
    return raw_tables, files, problems


def load_dataset(
    folder: Path | str = SEED_DIR, *, dataset_id: str | None = None, on_invalid: str = "raise", resolve_names: bool = True
) -> Dataset:
    """Load a dataset folder of five CSV files (see docs/DATA-MODEL.md)."""
    folder = Path(folder)
    raw_tables, files, file_problems = read_raw_folder(folder)
    if file_problems:
        raise DatasetError(f"dataset folder {folder} cannot be read", file_problems)
    return from_tables(
        raw_tables,
        dataset_id=dataset_id or ("seed" if folder == SEED_DIR else folder.name),
        files=files,
        on_invalid=on_invalid,
        resolve_names=resolve_names,
    )
