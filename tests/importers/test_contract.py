"""Every importer's output obeys the CSV contract: validate_tables finds nothing wrong with it."""

from __future__ import annotations

import pandas as pd
import pytest

from data.importers import import_file
from data.model.schema import LOAD_ORDER, TABLES
from data.model.validate import validate_tables
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
SAMPLES = ROOT.parent / "shared" / "samples"
FILES = [FIXTURES / name for name in ("acled_2023.csv", "acled_old.csv", "ucdp_ged.csv", "ucdp_minimal.csv")] + [
    path for path in (SAMPLES / "acled_syria_sample.csv", SAMPLES / "ucdp_ged_syria_sample.csv") if path.exists()
]


def as_text(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A typed table back to the raw strings of its CSV form."""
    out = {}
    for col in TABLES[table]:
        values = frame[col.name]
        if col.kind == "date":
            out[col.name] = values.dt.strftime("%Y-%m-%d").fillna("")
        elif col.kind in ("int", "float"):
            out[col.name] = values.map(lambda x: "" if pd.isna(x) else (str(int(x)) if col.kind == "int" else repr(float(x))))
        else:
            out[col.name] = values.astype(str)
    return pd.DataFrame(out).astype(str)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_importer_output_passes_the_data_layer_validation(path):
    dataset = import_file(path).dataset
    raw = {table: as_text(getattr(dataset, table), table) for table in LOAD_ORDER}
    typed, problems = validate_tables(raw, {table: f"{table}.csv" for table in LOAD_ORDER})
    assert problems == []
    assert len(typed["events"]) == len(dataset.events) and len(typed["claims"]) == len(dataset.claims)
