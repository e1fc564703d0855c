"""The core knows nothing of Streamlit: data/ and geo/ never import it, directly or through each other."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CORE_FILES = sorted(p for folder in ("data", "geo") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_does_not_import_streamlit_or_pages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"streamlit", "pages", "pydeck", "plotly"}


def test_loading_and_filtering_the_seed_leaves_streamlit_unimported():
    code = (
        "import sys; from data.model.dataset import load_dataset; from data.views.filters import filter_dataset; "
        "from data.views.view import ViewState; from data.views import map_view, timeline, table, detail; "
        "filter_dataset(load_dataset(), ViewState()); print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert out.stderr == ""  # loading the bundled data prints no warning
