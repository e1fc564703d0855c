"""Name keys that make spellings of one name compare equal (case, diacritics, articles, hyphens)."""

from __future__ import annotations

import re
import unicodedata

_ARTICLE = re.compile(r"\b(?:al|el|ad|ad|ar|as|ash|at|az|an|adh|ath|l)[-\s’'`]+(?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9\u0600-\u06ff]+")


def strip_diacritics(text: str) -> str:
    """Drop combining marks so 'Ḥalab' and 'Halab' compare equal.

    >>> strip_diacritics("Ţayyibat al Imām")
    'Tayyibat al Imam'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """A spelling-insensitive key: case, diacritics, leading Arabic articles and punctuation ignored.

    >>> name_key("Al-Hamdaniya") == name_key("hamdaniya")
    True
    >>> name_key("  Jabhat  al-Nusra ")
    'jabhat nusra'
    >>> name_key("")
    ''
    """
    lowered = strip_diacritics(text).casefold()
    without_articles = _ARTICLE.sub("", lowered)
    return _NON_WORD.sub(" ", without_articles).strip()
