"""Invisible characters that make imported text read differently from what it is, removed at import.

Removed wherever they appear: bidi embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), direction
marks (U+200E, U+200F, U+061C), the zero-width space (U+200B), the word joiner and invisible operators
(U+2060-U+2064), the deprecated format controls (U+206A-U+206F), a byte order mark inside text (U+FEFF), the soft
hyphen (U+00AD), interlinear annotation marks (U+FFF9-U+FFFB) and tag characters (U+E0000-U+E007F).
The zero-width non-joiner and joiner (U+200C, U+200D) are kept only between two letters of a joining or Indic
script (Arabic, Persian, Syriac, Devanagari...), where they visibly change how the letters join and so are part of
the word (Persian "می‌خواهم"); anywhere else they are invisible and can only disguise text.
Right-to-left letters are never touched: "حلب" stays "حلب", and the bidi algorithm still lays it out right to left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.errors import RowProblem

_ALWAYS = (
    "\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_JOINERS = "\u200c\u200d"
ALWAYS_REMOVED = re.compile(f"[{_ALWAYS}]")
JOINER_RUN = re.compile(f"[{_JOINERS}]+")
# A cell holding any of these needs a closer look; the pattern is valid in Python's re and in RE2 (pyarrow).
SUSPECT = re.compile(f"[{_ALWAYS}{_JOINERS}]")
# Scripts whose letters join or form conjuncts, so U+200C/U+200D between two of their letters is visible.
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),  # Arabic (Persian, Urdu, Kurdish, Pashto), Syriac, Thaana, N'Ko, Samaritan, Mandaic
    (0x0900, 0x0DFF),  # Devanagari to Sinhala
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xFB50, 0xFDFF),  # Arabic presentation forms A
    (0xFE70, 0xFEFE),  # Arabic presentation forms B
)
_WHAT = "invisible direction-control or zero-width characters"


def strip_invisible(text: str) -> str:
    """The text without invisible bidi controls and zero-width characters, so it reads as what it is.

    >>> strip_invisible("\u202eevil\u202c")
    'evil'
    >>> strip_invisible("zero\u200bwidth, \u2066isolated\u2069, \u200fmarked\u200e, word\u2060joined, \ufeffbom")
    'zerowidth, isolated, marked, wordjoined, bom'
    >>> strip_invisible("حلب") == "حلب", strip_invisible("می\u200cخواهم") == "می\u200cخواهم"
    (True, True)
    >>> strip_invisible("ev\u200cil \u200dx")
    'evil x'
    """
    text = ALWAYS_REMOVED.sub("", text)
    if _JOINERS[0] not in text and _JOINERS[1] not in text:
        return text
    return JOINER_RUN.sub(lambda run: run.group(0) if _joins(text, run.start() - 1) and _joins(text, run.end()) else "", text)


def _joins(text: str, pos: int) -> bool:
    """Whether text[pos] is a letter or mark of a script in which ZWNJ/ZWJ change the shape of the letters."""
    if pos < 0 or pos >= len(text):
        return False
    ch = text[pos]
    code = ord(ch)
    return unicodedata.category(ch)[0] in "LM" and any(low <= code <= high for low, high in _JOINING_SCRIPTS)


def show_invisible(text: str) -> str:
    """The text with each character strip_invisible removes written as <U+XXXX>, so a warning shows what arrived.

    >>> show_invisible("\u202eevil\u202c")
    '<U+202E>evil<U+202C>'
    """
    removed = set(_removed_at(text, strip_invisible(text)))
    return "".join(f"<U+{ord(ch):04X}>" if i in removed else ch for i, ch in enumerate(text))


def _removed_at(text: str, cleaned: str) -> list[int]:
    """Positions in `text` of the characters that are not in `cleaned` (which is `text` with some of them left out)."""
    out, j = [], 0
    for i, ch in enumerate(text):
        if j < len(cleaned) and cleaned[j] == ch:
            j += 1
        else:
            out.append(i)
    return out


@dataclass(frozen=True)
class Removal:
    """Cells of one column that held invisible characters: where they are, the first as it arrived and as kept."""

    column: str
    positions: np.ndarray  # row positions in the frame
    first_before: str
    first_after: str
    characters: tuple[str, ...]  # distinct characters removed, in code point order

    @property
    def count(self) -> int:
        return len(self.positions)


def strip_invisible_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Removal]]:
    """Every text column of `frame` through strip_invisible; the frame itself when nothing changed, else a copy.

    Only cells holding a suspect character are handled in Python: none in clean data, which costs one Arrow pass.
    """
    removals: list[Removal] = []
    replaced: dict[str, pd.Series] = {}
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object) or values.empty:
            continue
        suspect = _suspect_rows(values)
        if not suspect.any():
            continue
        positions = np.flatnonzero(suspect)
        before = values.iloc[positions].tolist()
        after = [strip_invisible(value) for value in before]
        changed = np.array([a != b for a, b in zip(after, before)], dtype=bool)
        if not changed.any():
            continue  # only joiners inside Persian or Indic words
        positions = positions[changed]
        before = [b for b, c in zip(before, changed) if c]
        after = [a for a, c in zip(after, changed) if c]
        cleaned = values.copy()
        cleaned.iloc[positions] = after
        replaced[column] = cleaned
        gone = sorted({value[i] for value, kept in zip(before, after) for i in _removed_at(value, kept)}, key=ord)
        removals.append(Removal(str(column), positions, before[0], after[0], tuple(gone)))
    if not replaced:
        return frame, []
    out = frame.copy(deep=False)
    for column, cleaned in replaced.items():
        out[column] = cleaned
    return out, removals


def _suspect_rows(values: pd.Series) -> np.ndarray:
    """Which cells hold a character strip_invisible may remove: a regex in Arrow, run only on the non-ASCII cells."""
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixing text and other objects
        return values.map(lambda v: isinstance(v, str) and SUSPECT.search(v) is not None).to_numpy(dtype=bool)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return np.zeros(len(values), dtype=bool)
    wide = np.flatnonzero(pc.invert(pc.string_is_ascii(array)).fill_null(False).to_numpy(zero_copy_only=False))
    out = np.zeros(len(values), dtype=bool)
    if len(wide):
        found = pc.match_substring_regex(array.take(pa.array(wide)), SUSPECT.pattern).fill_null(False)
        out[wide[found.to_numpy(zero_copy_only=False)]] = True
    return out


def removal_warnings(removals: list[Removal], file: str, lines: np.ndarray) -> list[RowProblem]:
    """One warning per column changed, at its first line, saying what was removed, how often and where."""
    warnings = []
    for removal in removals:
        at = [int(lines[pos]) for pos in removal.positions]
        where = ", ".join(str(line) for line in at[:5]) + (f" and {len(at) - 5} more" if len(at) > 5 else "")
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'format character')}" for ch in removal.characters[:4])
        names += ", ..." if len(removal.characters) > 4 else ""
        how_many = f"1 value in this column (line {where})" if removal.count == 1 else f"{removal.count} values in this column (lines {where})"
        reason = f"{_WHAT} removed ({names}): now {removal.first_after[:60]!r}; {how_many}"
        warnings.append(RowProblem(file, at[0], removal.column, show_invisible(removal.first_before), reason))
    return warnings


def describe_removals(removals: list[Removal]) -> str:
    """One sentence for a log or a caption: how many values in how many columns were changed ('' when none).

    >>> describe_removals([Removal("name", np.array([0, 4]), "", "", ()), Removal("note", np.array([1]), "", "", ())])
    '3 values in 2 columns held invisible direction-control or zero-width characters; removed'
    """
    if not removals:
        return ""
    values = sum(removal.count for removal in removals)
    return (f"{values} value{'s' if values != 1 else ''} in {len(removals)} column{'s' if len(removals) != 1 else ''} "
            f"held {_WHAT}; removed")
