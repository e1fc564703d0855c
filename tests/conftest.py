"""Shared paths and fixtures: the tiny fixture dataset, the seed dataset, and ../shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data.model.dataset import SEED_DIR, load_dataset

ROOT = Path(__file__).resolve().parent.parent
TINY_DIR = ROOT / "tests" / "fixtures" / "tiny"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def tiny():
    """Four events (one without a place), seven claims (one about no event)."""
    return load_dataset(TINY_DIR, dataset_id="tiny")


@pytest.fixture(scope="session")
def seed():
    return load_dataset(SEED_DIR)


@pytest.fixture
def tiny_copy(tmp_path):
    """A writable copy of the tiny dataset folder, to break on purpose."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY_DIR, target)
    return target
