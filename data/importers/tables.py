"""Our five tables from an importer's columns: contract columns filled and typed, then checked (per chunk of a file)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from data.importers.errors import ImportConsistencyError
from data.importers.text_columns import is_in
from data.model.schema import LOAD_ORDER, REFERENCES, TABLES, column_names, id_column


_MISSING = {"date": (np.datetime64("NaT", "us"),), "int": (np.nan,), "float": (np.nan,)}


def fill_table(table: str, columns: dict[str, pd.Series | str], index: pd.Index) -> pd.DataFrame:
    """A table with every contract column (blank where not given) plus any extra columns, on a fresh 0..n index.

    Series keep their dtype (dates may already be datetimes); a scalar fills the column as text; a date or number
    column not given is missing values of its type.
    """
    out = {}
    kinds = {col.name: col.kind for col in TABLES[table]}
    for name in [*column_names(table), *[c for c in columns if c not in column_names(table)]]:
        value = columns.get(name, "")
        if name not in columns and kinds.get(name) in _MISSING:  # already typed: no text to parse per row later
            out[name] = np.full(len(index), *_MISSING[kinds[name]])
        elif isinstance(value, pd.Series):
            out[name] = value.to_numpy() if value.dtype == object else value.array
        else:  # a constant: built by Arrow, with no Python object per row
            constant = pa.repeat(pa.scalar(str(value), type=pa.string()), len(index))
            out[name] = pd.array(constant, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return pd.DataFrame(out, index=pd.RangeIndex(len(index)))


def typed_table(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Contract columns in the dtypes data.model.validate gives them (datetime64[us], Int64, float64, text); extras as text."""
    out = {}
    for col in TABLES[table]:
        values = frame[col.name]
        if col.kind == "date":
            if not pd.api.types.is_datetime64_any_dtype(values):
                text = values.astype(str)
                values = pd.to_datetime(text.where(text.ne("")), format="%Y-%m-%d")
            out[col.name] = values.astype("datetime64[us]")
        elif col.kind in ("int", "float"):
            if not pd.api.types.is_numeric_dtype(values):
                text = values.astype(str)
                values = pd.to_numeric(text.where(text.ne("")))
            out[col.name] = values.astype("Int64" if col.kind == "int" else "float64")
        else:
            out[col.name] = _text(values)
    for name in frame.columns:
        if name not in out:
            out[name] = _text(frame[name])
    tables_frame = pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)
    return tables_frame


def _text(values: pd.Series) -> pd.Series:
    """Text without missing values; a column that already is text without gaps is passed through uncopied."""
    if isinstance(values.dtype, pd.StringDtype) and not values.hasnans:
        return values
    return values.fillna("").astype(str)


def checked_tables(tables: dict[str, pd.DataFrame], *, dataset_id: str, earlier: dict[str, pd.Series] | None = None) -> dict[str, pd.DataFrame]:
    """Typed tables (as the store keeps them), after a vectorised check that ids are unique and every reference resolves.

    `earlier`: ids of rows a file's earlier chunks gave out (sources, places, actors); this chunk may point to them
    but must not give them again. Importers check every input cell themselves (and report refusals with the file's
    line), so their tables are not validated again cell by cell through `from_tables`, and no Dataset is built per
    chunk: at 1,000,000 rows either costs more than the rest of the import. Tests hold every importer's output to
    `validate_tables`.
    """
    earlier = earlier or {}
    typed = {table: typed_table(table, tables[table]) for table in LOAD_ORDER}
    broken = []
    for table in LOAD_ORDER:
        frame, key = typed[table], id_column(table)
        for col in TABLES[table]:
            if col.required and col.kind not in ("date", "int", "float"):
                blank = frame[col.name].eq("")
                if blank.any():
                    broken.append(f"{table}.{col.name} blank in {int(blank.sum())} rows")
        repeats = frame[key].duplicated().to_numpy()
        if table in earlier and len(earlier[table]):
            repeats = repeats | is_in(frame[key], earlier[table])
        if repeats.any():
            broken.append(f"{table}.{key} repeats {frame[key].iloc[int(np.flatnonzero(repeats)[0])]!r}")
    for (table, column), target in REFERENCES.items():
        values = typed[table][column]
        dangling = values.ne("").to_numpy() & ~is_in(values, typed[target][id_column(target)])
        if dangling.any() and target in earlier:
            dangling &= ~is_in(values, earlier[target])
        if dangling.any():
            broken.append(f"{table}.{column} points to unknown {target[:-1]} {values.iloc[int(np.flatnonzero(dangling)[0])]!r}")
    if broken:
        raise ImportConsistencyError(f"importer output for {dataset_id!r} breaks the contract: " + "; ".join(broken))
    return typed


def empty_table(table: str) -> pd.DataFrame:
    """A table of no rows with the contract's columns, typed."""
    return typed_table(table, fill_table(table, {}, pd.RangeIndex(0)))
