"""Errors of an import: a file not in the layout asked for (the user's to fix), tables breaking the contract (ours)."""

from __future__ import annotations

from data.errors import AtlasError, DatasetError


class ImportFormatError(DatasetError):
    """A file that is not in the layout asked for (wrong or missing columns, unreadable)."""


class ImportConsistencyError(AtlasError, RuntimeError):
    """An importer produced tables that break the contract: a bug in the importer, never the file's fault."""
