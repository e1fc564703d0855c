"""What an import gives back: the dataset of its valid rows, every refused row, and the counts users are shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from data.errors import RowProblem
from data.model.dataset import Dataset


@dataclass
class ImportResult:
    """What an import produced: the dataset of valid rows, every refused row, and the counts shown to users."""

    format: str
    file_name: str
    file_hash: str
    dataset: Dataset
    rejected: list[RowProblem]
    warnings: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0
    places_resolved: int = 0
    places_unresolved: int = 0

    def __post_init__(self) -> None:
        self.rejected = sorted(self.rejected, key=lambda p: (p.file, p.line, p.column))
        self.warnings = sorted(self.warnings, key=lambda p: (p.file, p.line, p.column))

    @property
    def rows_stored(self) -> int:
        """Rows that became events (before saving; the store keeps all of them or none)."""
        return len(self.dataset.events)

    @property
    def rows_rejected(self) -> int:
        """Rows refused (each is listed in `rejected`, with every reason it has)."""
        return self.rows_read - self.rows_stored

    def summary(self, dataset_id: str | None = None) -> dict:
        """The counts as a plain dict (the CLI prints it as one JSON line)."""
        return {
            "dataset_id": dataset_id or self.dataset.dataset_id,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_rejected": self.rows_rejected,
            "places_resolved": self.places_resolved,
            "places_unresolved": self.places_unresolved,
        }
