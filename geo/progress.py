"""A tiny progress bar for long command-line runs, written to stderr (tqdm is not a dependency)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws one stderr line at most ten times a second: label, bar, percent, counts, elapsed time."""

    def __init__(self, total: int, *, label: str = "geocoding", unit: str = "rows", stream: TextIO | None = None,
                 enabled: bool = True, width: int = 30):
        self.total, self.done = max(int(total), 0), 0
        self.label, self.unit, self.width = label, unit, width
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self._started = time.monotonic()
        self._drawn_at = 0.0

    def render(self) -> str:
        """The current line, e.g. 'geocoding [###-------]  30% 3,000/10,000 rows 0.4 s'."""
        fraction = self.done / self.total if self.total else 1.0
        filled = int(round(fraction * self.width))
        elapsed = time.monotonic() - self._started
        return (f"{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {fraction:4.0%} "
                f"{self.done:,}/{self.total:,} {self.unit} {elapsed:.1f} s")

    def update(self, count: int = 1) -> None:
        """Advance by count and redraw if enough time has passed."""
        self.done = min(self.done + count, self.total) if self.total else self.done + count
        now = time.monotonic()
        if self.enabled and (now - self._drawn_at >= 0.1 or self.done >= self.total):
            self._drawn_at = now
            self.stream.write("\r" + self.render())
            self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self.stream.write("\r" + self.render() + "\n")
            self.stream.flush()
