"""Progress of an import, reported to whoever asked (the CLI's bar, the Import page's), so a long import shows it moves."""

from __future__ import annotations

from collections.abc import Callable


# Called with the share of the work done (0 to 1) and what is being done now.
Progress = Callable[[float, str], None]


def report(progress: Progress | None, fraction: float, message: str) -> None:
    """Tell `progress`, if given, how far the import is."""
    if progress is not None:
        progress(fraction, message)
