"""Show data as text: escape everything Streamlit's markdown would otherwise interpret."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'/@%])")


def escape_markdown(text: object, limit: int = 2000) -> str:
    """Backslash-escape every ASCII punctuation mark so markdown, links, HTML and directives stay literal.

    >>> escape_markdown("[x](javascript:alert(1)) <b>")
    '\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>'
    """
    flat = str(text)
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("\n", "  \n")
