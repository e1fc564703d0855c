"""Invisible bidi controls and zero-width characters are removed from imported text on every path in; letters stay."""

from __future__ import annotations

import csv
import doctest
import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

import data.model.text
from data.model.dataset import SEED_DIR, load_dataset
from data.extract import extract
from data.extract.review import Article, build_dataset, claims_frame, events_frame
from data.importers import import_file
from data.model.schema import LOAD_ORDER
from data.model.text import SUSPECT, describe_removals, show_invisible, strip_invisible, strip_invisible_frame
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
HOSTILE_DIR = ROOT / "tests" / "fixtures" / "hostile"
KNOWN = pd.read_csv(FIXTURES / "known_actors.csv", dtype=str, keep_default_na=False).assign(valid_from=pd.NaT, valid_to=pd.NaT)

RLO, PDF = "\u202e", "\u202c"
# Every character strip_invisible removes wherever it stands (joiners have their own cases below).
REMOVED = {
    "LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c", "LRO": "\u202d", "RLO": "\u202e",
    "LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069",
    "LRM": "\u200e", "RLM": "\u200f", "ALM": "\u061c",
    "ZWSP": "\u200b", "WJ": "\u2060", "invisible-times": "\u2062", "BOM": "\ufeff", "soft-hyphen": "\u00ad",
    "inhibit-swapping": "\u206a", "annotation-anchor": "\ufff9", "tag-a": "\U000e0061",
}


def test_the_module_doctests_pass():
    assert doctest.testmod(data.model.text).failed == 0


def test_a_right_to_left_override_no_longer_reverses_a_name():
    assert strip_invisible(f"{RLO}evil{PDF}") == "evil"  # shown as "live" before
    assert strip_invisible(f"Commander {RLO}evil{PDF} Brigade") == "Commander evil Brigade"


@pytest.mark.parametrize("char", list(REMOVED.values()), ids=list(REMOVED))
def test_each_control_class_is_removed_anywhere(char):
    assert strip_invisible(f"{char}Aleppo") == "Aleppo"
    assert strip_invisible(f"Ale{char}ppo") == "Aleppo"
    assert strip_invisible(f"Aleppo{char}") == "Aleppo"
    assert strip_invisible(f"حل{char}ب") == "حلب"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ev\u200cil", "evil"),  # ZWNJ between Latin letters: invisible, a spoof
        ("ev\u200dil", "evil"),  # ZWJ likewise
        ("\u200cحلب", "حلب"),  # at the start: joins nothing
        ("حلب\u200d", "حلب"),  # at the end
        ("حلب \u200c حمص", "حلب  حمص"),  # next to spaces
        ("a\u200cب", "aب"),  # between a Latin and an Arabic letter
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian "I want": the ZWNJ is spelling
        ("کتاب\u200cها", "کتاب\u200cها"),  # Persian plural suffix
        ("क्\u200dष", "क्\u200dष"),  # Devanagari half form: the ZWJ changes the glyph
        ("\U0001f469\u200d\u2695", "\U0001f469\u2695"),  # an emoji sequence falls apart but stays readable
    ],
    ids=["zwnj-latin", "zwj-latin", "zwnj-start", "zwj-end", "zwnj-spaces", "zwnj-mixed", "persian-verb",
         "persian-plural", "devanagari-half-form", "emoji-sequence"],
)
def test_joiners_are_kept_only_where_they_shape_letters(text, expected):
    assert strip_invisible(text) == expected


@pytest.mark.parametrize(
    "text",
    ["حلب", "حلب الشرقية", "ירושלים", "Aleppo (حلب)", "مُحَمَّد", "ـحلب", "دار\u0640عزة", "plain ASCII", "Dar’a – été", ""],
    ids=["arabic", "arabic-two-words", "hebrew", "mixed", "arabic-diacritics", "tatweel-start", "tatweel", "ascii",
         "punctuation", "blank"],
)
def test_real_letters_are_untouched(text):
    assert strip_invisible(text) == text
    frame, removals = strip_invisible_frame(pd.DataFrame({"name": [text]}, dtype="str"))
    assert frame["name"].tolist() == [text] and removals == []


def test_show_invisible_names_what_arrived():
    assert show_invisible(f"{RLO}evil{PDF} zero\u200bwidth") == "<U+202E>evil<U+202C> zero<U+200B>width"
    assert show_invisible("می\u200cخواهم") == "می\u200cخواهم"


@pytest.mark.parametrize("dtype", ["str", object], ids=["arrow-strings", "python-objects"])
def test_a_frame_is_cleaned_column_by_column_and_each_change_counted(dtype):
    chars = list(REMOVED.values())
    frame = pd.DataFrame(
        {
            "name": [f"a{ch}b" for ch in chars],  # every class, found by the Arrow (RE2) pass and by Python's re alike
            "note": ["حلب"] * (len(chars) - 1) + [f"{RLO}evil{PDF}"],
            "id": [f"x{i}" for i in range(len(chars))],
        },
        dtype=dtype,
    )
    cleaned, removals = strip_invisible_frame(frame)
    assert cleaned["name"].tolist() == ["ab"] * len(chars)
    assert cleaned["note"].tolist() == ["حلب"] * (len(chars) - 1) + ["evil"]
    assert cleaned["id"].tolist() == frame["id"].tolist()
    assert [(r.column, r.count) for r in removals] == [("name", len(chars)), ("note", 1)]
    assert set(removals[0].characters) == set(chars) and removals[1].characters == (PDF, RLO)
    assert frame["name"].iloc[0] == f"a{chars[0]}b", "the caller's frame is not changed"
    assert describe_removals(removals) == (
        f"{len(chars) + 1} values in 2 columns held invisible direction-control or zero-width characters; removed"
    )


def test_a_clean_frame_comes_back_as_is():
    frame = pd.DataFrame({"name": ["Aleppo", "حلب", "می\u200cخواهم"], "n": [1, 2, 3]})
    cleaned, removals = strip_invisible_frame(frame)
    assert cleaned is frame and removals == []


def test_the_suspect_pattern_covers_every_removed_character():
    assert all(SUSPECT.search(ch) for ch in REMOVED.values())
    assert not any(SUSPECT.search(ch) for ch in "Aleppo حلب ירושלים \u064e\u0640")


# --- every path that brings text in -------------------------------------------------------------------------------


def _text_cells(dataset) -> list[str]:
    cells = []
    for table in LOAD_ORDER:
        frame = getattr(dataset, table)
        for column in frame.columns:
            if pd.api.types.is_string_dtype(frame[column].dtype) or frame[column].dtype == object:
                cells.extend(value for value in frame[column].tolist() if isinstance(value, str))
    return cells


def _invisible_in(cells: list[str]) -> list[str]:
    return [cell for cell in cells if strip_invisible(cell) != cell]


def test_the_seed_loads_silently_with_nothing_to_remove(capfd, caplog):
    with caplog.at_level(logging.WARNING):
        seed = load_dataset(SEED_DIR)
    assert seed.warnings == () and caplog.records == []
    assert capfd.readouterr() == ("", "")
    assert _invisible_in(_text_cells(seed)) == []


def test_the_hostile_fixture_loads_without_any_removed_character(caplog):
    with caplog.at_level(logging.WARNING, logger="data.model.dataset"):
        hostile = load_dataset(HOSTILE_DIR, dataset_id="hostile")
    assert _invisible_in(_text_cells(hostile)) == []
    events = hostile.events.set_index("event_id")
    assert events.loc["hx-e8", "summary"].startswith("evil zerowidth ")
    statements = hostile.claims.set_index("claim_id")["statement"]
    assert statements["hx-c8"].startswith("evil zerowidth ")
    assert {(w.file, w.column) for w in hostile.warnings} == {
        ("sources.csv", "outlet_basis"), ("places.csv", "aliases"), ("events.csv", "summary"), ("claims.csv", "statement")
    }
    assert [r.getMessage() for r in caplog.records] == [
        "dataset 'hostile': 4 values in 4 columns held invisible direction-control or zero-width characters; removed"
        " (sources.csv, places.csv, events.csv, claims.csv)"
    ]


@pytest.fixture
def spoofed_folder(tmp_path):
    """The tiny dataset with an override in an actor's name, a place's name, an event summary and two statements."""
    folder = tmp_path / "spoofed"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", folder)
    edits = {
        "actors.csv": [("State Army", f"State {RLO}ymrA{PDF}")],
        "places.csv": [("Hilltown,Hill Town", f"\u2067Hilltown\u2069,Hill Town"), ("Rivertown,River Town", "River\u200btown,River Town")],
        "events.csv": [("Army reaches the besieged hill town.", f"Army reaches the {RLO}nwot llih{PDF} besieged.")],
        "claims.csv": [("The front says", "\u200fThe front says"), ("A doctor counts", "A doctor\u2060 counts")],
    }
    for name, replacements in edits.items():
        text = (folder / name).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, (name, old)
            text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_dataset_folder_is_cleaned_and_each_column_reported(spoofed_folder):
    ds = load_dataset(spoofed_folder, dataset_id="spoofed")
    assert ds.actors.set_index("actor_id").loc["army", "name"] == "State ymrA"
    places = ds.places.set_index("place_id")["name"]
    assert (places["hilltown"], places["rivertown"]) == ("Hilltown", "Rivertown")
    assert ds.events.set_index("event_id").loc["e-hill", "summary"] == "Army reaches the nwot llih besieged."
    assert ds.claims.set_index("claim_id").loc["c1", "statement"].startswith("The front says")
    assert _invisible_in(_text_cells(ds)) == []
    found = {(w.file, w.line, w.column): w for w in ds.warnings}
    assert set(found) == {("actors.csv", 2, "name"), ("places.csv", 3, "name"), ("events.csv", 4, "summary"),
                          ("claims.csv", 2, "statement")}
    places_warning = found[("places.csv", 3, "name")]
    assert places_warning.value == "River<U+200B>town"
    assert places_warning.reason == (
        "invisible direction-control or zero-width characters removed (U+200B ZERO WIDTH SPACE, U+2067 RIGHT-TO-LEFT"
        " ISOLATE, U+2069 POP DIRECTIONAL ISOLATE): now 'Rivertown'; 2 values in this column (lines 3, 6)"
    )
    assert found[("actors.csv", 2, "name")].value == "State <U+202E>ymrA<U+202C>"
    assert "1 value in this column (line 2)" in found[("actors.csv", 2, "name")].reason


def test_the_atlas_importer_reports_what_it_removed(spoofed_folder):
    result = import_file(spoofed_folder, "atlas", geocoder=None)
    assert result.rows_rejected == 0
    assert [(w.file, w.column) for w in result.warnings] == [
        ("actors.csv", "name"), ("claims.csv", "statement"), ("events.csv", "summary"), ("places.csv", "name")
    ]
    assert _invisible_in(_text_cells(result.dataset)) == []


ACLED_HEADER = (FIXTURES / "acled_2023.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def _acled_row(event_id: str, **cells: str) -> dict[str, str]:
    row = dict.fromkeys(ACLED_HEADER, "")
    row.update(event_id_cnty=event_id, event_date="06 August 2016", year="2016", time_precision="1",
               event_type="Battles", sub_event_type="Armed clash", actor1="Military Forces of Syria (2000-)",
               inter1="State forces", country="Syria", admin1="Aleppo", location="Aleppo", latitude="36.2",
               longitude="37.16", geo_precision="1", source="SOHR", notes="Fighting in the city.", fatalities="0")
    row.update(cells)
    return row


def test_the_acled_importer_cleans_every_column_and_reports_it(tmp_path):
    rows = [
        _acled_row("SYR1", actor2=f"{RLO}evil{PDF} Brigade", inter2="Rebel group", notes=f"{RLO}evil{PDF} took the hill."),
        _acled_row("SYR2", location="حلب", notes="Shelling of \u202bحلب\u202c.", source="Step\u200b News"),
        _acled_row("SYR3", notes="Clashes; &#8238;evil&#8236; and &rlm;more.", disorder_type="Political\u2066 violence"),
        _acled_row("SYR4", notes="Persian name کتاب\u200cها kept."),
    ]
    path = tmp_path / "acled.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    result = import_file(path, "acled", geocoder=None, known_actors=KNOWN)
    assert (result.rows_read, result.rows_stored) == (4, 4)
    events = result.dataset.events.set_index("event_id")
    assert events.loc["acled:syr1", "summary"] == "evil took the hill."
    assert events.loc["acled:syr2", "summary"] == "Shelling of حلب."
    assert events.loc["acled:syr3", "summary"] == "Clashes; evil and more."  # entities that decode to controls
    assert events.loc["acled:syr3", "acled_disorder_type"] == "Political violence"  # a column kept as it came
    assert events.loc["acled:syr4", "summary"] == "Persian name کتاب\u200cها kept."
    actors = result.dataset.actors
    assert "evil Brigade" in set(actors["name"])
    assert "Step News" in set(result.dataset.sources["outlet"])
    assert _invisible_in(_text_cells(result.dataset)) == []
    warnings = {(w.line, w.column): w for w in result.warnings if "invisible" in w.reason}
    assert set(warnings) == {(2, "actor2"), (2, "notes"), (3, "source"), (4, "disorder_type"), (4, "notes")}
    assert warnings[(2, "notes")].reason.endswith("2 values in this column (lines 2, 3)")
    assert warnings[(2, "notes")].value == "<U+202E>evil<U+202C> took the hill."
    assert warnings[(4, "notes")].reason.startswith(
        "invisible direction-control or zero-width characters removed (U+200F RIGHT-TO-LEFT MARK, U+202C POP DIRECTIONAL"
        " FORMATTING, U+202E RIGHT-TO-LEFT OVERRIDE): now 'Clashes; evil and more.'"
    )


def test_the_ucdp_importer_cleans_names_and_reports_them(tmp_path):
    lines = (FIXTURES / "ucdp_minimal.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    rows = list(csv.DictReader(lines))
    rows[0]["side_b"] = f"{RLO}live{PDF} {rows[0]['side_b']}"
    path = tmp_path / "ged.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    result = import_file(path, "ucdp", geocoder=None, known_actors=KNOWN)
    assert result.rows_stored == len(rows) - len({p.line for p in result.rejected})
    (warning,) = [w for w in result.warnings if "invisible" in w.reason]
    assert (warning.line, warning.column, warning.value[:8]) == (2, "side_b", "<U+202E>")
    assert _invisible_in(_text_cells(result.dataset)) == []
    assert any(name.startswith("live ") for name in result.dataset.actors["name"])


def test_what_the_review_page_saves_is_cleaned(tiny):
    report = ("Rebels broke the siege of Hilltown on Tuesday, a monitor said.\n"
              "State News denied the claim and said 40 fighters were killed.\n")
    article = Article("report.txt", report, extract(report, outlet="Paper B", published="2016-02-04", actors=tiny.actor_index))
    events, claims = events_frame(article), claims_frame(article)
    events["accept"], claims["accept"] = True, True
    events["summary"] = f"{RLO}evil{PDF} " + events["summary"]
    claims["statement"] = "\u2067" + claims["statement"] + "\u2069"
    dataset = build_dataset([(article, events, claims)], tiny, dataset_id="review-test")
    assert len(dataset.events) and len(dataset.claims)
    assert dataset.events["summary"].str.startswith("evil ").all()
    assert _invisible_in(_text_cells(dataset)) == []
    assert {w.column for w in dataset.warnings} == {"summary", "statement"}
