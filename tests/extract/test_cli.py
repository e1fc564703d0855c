"""The command line prints one JSON object per file, with spans; bad input gives a message and a non-zero status."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from data.extract import cli

ARTICLE = "Share story\nRebels seized the town of Eastgate on Monday, a monitoring group said.\n"


def test_json_per_file(tmp_path, capsys):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text("Nothing happened here.\n", encoding="utf-8")
    status = cli.main([str(first), str(second), "--published", "2016-10-05", "--outlet", "Test Post", "--json", "--no-geocoder"])
    assert status == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    payload = json.loads(lines[0])
    assert payload["published"] == "2016-10-05" and payload["outlet"] == "Test Post"
    [event] = payload["events"]
    assert event["date_start"] == "2016-10-03"
    assert "seized" in ARTICLE[event["span_start"] : event["span_end"]]
    assert payload["claims"] and all("span_start" in c and "span_end" in c for c in payload["claims"])
    assert json.loads(lines[1])["events"] == []


def test_bad_date_and_missing_file(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert cli.main([str(path), "--published", "yesterday", "--json"]) == 2
    assert "2016-08-06" in capsys.readouterr().err
    assert cli.main([str(tmp_path / "missing.txt"), "--json"]) == 2


def test_extract_package_never_imports_streamlit():
    folder = Path(cli.__file__).parent
    for source in folder.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "streamlit" not in names, source.name


def test_min_confidence_outside_0_to_1_is_refused_with_a_message(tmp_path, capsys):
    from data.extract.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Rebels seized the town on Friday.", encoding="utf-8")
    assert main([str(article), "--json", "--min-confidence", "2"]) == 2
    assert "--min-confidence must be a number from 0 to 1, got '2'" in capsys.readouterr().err
