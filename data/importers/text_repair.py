"""Text cells repaired where files commonly break them: stray spaces, HTML entities, mojibake, invisible controls."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.importers.rejections import Rejections
from data.model.text import removal_warnings, strip_invisible_frame


# Mojibake: UTF-8 bytes read as Windows-1252/Latin-1. A lead byte shown as Â-ß followed by one continuation
# byte, or shown as à-ï followed by two. Continuation bytes 0x80-0xBF show as these characters in cp1252.
_CONT = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
MOJIBAKE = re.compile(f"(?:[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}})+")


def clean_text(values: pd.Series, column: str, found: Rejections) -> pd.Series:
    """Trim, unescape HTML entities and repair mojibake (each repaired cell reported as a warning), vectorised.

    Invisible bidi controls are removed from the file's cells before (data.model.text); one that an entity or a mojibake
    run decodes to is removed here, and reported the same way.

    Only cells that hold an '&' or a mojibake pattern are touched in Python. A '?' where curly quotes were lost
    is left alone: the words are intact.

    >>> raw = pd.DataFrame({"notes": ["caf\u00c3\u00a9 &amp; bar", "ok", "it\u00e2\u20ac\u2122s"]})
    >>> found = Rejections("f.csv", raw)
    >>> clean_text(raw["notes"], "notes", found).tolist()
    ['café & bar', 'ok', 'it’s']
    >>> [(w.line, w.reason[:17]) for w in found.warnings]
    [(2, 'mojibake repaired'), (4, 'mojibake repaired')]
    """
    text = values.astype(str).str.strip()
    has_entity = text.str.contains("&", regex=False).to_numpy(dtype=bool)
    if has_entity.any():
        text[has_entity] = text[has_entity].map(html.unescape)
    # Mojibake needs non-ASCII characters: the regex runs on those cells only.
    has_mojibake = ~pc.string_is_ascii(pa.array(text)).to_numpy(zero_copy_only=False).astype(bool)
    if has_mojibake.any():
        has_mojibake[has_mojibake] = text[has_mojibake].str.contains(MOJIBAKE.pattern, regex=True).to_numpy(dtype=bool)
    if has_mojibake.any():
        positions = np.flatnonzero(has_mojibake)
        before = text.iloc[positions].tolist()
        after = [repair_mojibake(value) for value in before]
        reasons = [
            f"mojibake repaired (UTF-8 read as Windows-1252): now {fixed[:60]!r}"
            if fixed != value
            else "mojibake suspected (UTF-8 read as Windows-1252); could not repair, kept as is"
            for value, fixed in zip(before, after)
        ]
        found.warn(positions, column, before, reasons)
        text.iloc[positions] = after
    # An entity (&#8238;, &rlm;) or a mojibake run (â€®) may decode to an invisible bidi control: check what changed.
    decoded = np.flatnonzero(has_entity | has_mojibake)
    if len(decoded):
        stripped, removals = strip_invisible_frame(text.iloc[decoded].to_frame(column))
        if removals:
            text.iloc[decoded] = stripped[column].str.strip().to_numpy()
            moved = [replace(removal, positions=decoded[removal.positions]) for removal in removals]
            found.warnings.extend(removal_warnings(moved, found.file, found.lines))
    return text


def repair_mojibake(text: str) -> str:
    """Re-decode each mojibake run as UTF-8; runs that do not decode are kept.

    >>> repair_mojibake("Dar\u00e2\u20ac\u2122a \u00c3\u00a9t\u00c3\u00a9")
    'Dar’a été'
    >>> repair_mojibake("plain")
    'plain'
    """

    def fix(match: re.Match) -> str:
        run = match.group(0)
        try:
            data = bytes(_cp1252_byte(ch) for ch in run)
            return data.decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return run

    return MOJIBAKE.sub(fix, text)


def _cp1252_byte(ch: str) -> int:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        if ord(ch) < 256:
            return ord(ch)
        raise ValueError(ch) from None
