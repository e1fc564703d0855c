"""Domain errors: each also subclasses the builtin it resembles, so callers may catch either."""

from __future__ import annotations

from dataclasses import dataclass


class AtlasError(Exception):
    """Base class of every error Claim Atlas raises on purpose."""


@dataclass(frozen=True)
class RowProblem:
    """One invalid cell or row: where it is and why it was refused."""

    file: str
    line: int  # 1-based line in the file; the header is line 1
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{self.file}:{self.line}: {self.column}={shown!r}: {self.reason}"


class DatasetError(AtlasError, ValueError):
    """A dataset failed validation; `problems` lists every invalid row."""

    def __init__(self, message: str, problems: list[RowProblem] | tuple[RowProblem, ...] = ()):
        self.problems = tuple(problems)
        listed = "".join(f"\n  {p}" for p in self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(message + listed + more)


class FilterError(AtlasError, ValueError):
    """A view parameter could not be understood; the message says what arrived and what was expected."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"`{param}` {message}")


class ResolveError(AtlasError, LookupError):
    """A name matched no known actor or place."""
