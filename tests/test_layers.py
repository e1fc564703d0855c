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


def _module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, known: set[str]) -> set[str]:
    """The project modules a file imports, anywhere in it (a deferred import inside a function is still a dependency)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found |= {name for name in names if name in known}
    return found


def test_no_import_circles_in_the_core():
    """Modules of data/ and geo/ form no circle of imports, deferred ones included (a circle means two rooms are one)."""
    modules = {_module_name(path): path for path in CORE_FILES}
    graph = {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}
    graph = {name: {dep for dep in deps if not name.startswith(dep + ".")} for name, deps in graph.items()}  # a package's own __init__
    circles, state = [], {}

    def visit(name, trail):
        state[name] = "open"
        for dep in sorted(graph.get(name, ())):
            if state.get(dep) == "open":
                circles.append(trail[trail.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, trail + [dep])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == [], "import circles: " + "; ".join(" -> ".join(c) for c in circles)
