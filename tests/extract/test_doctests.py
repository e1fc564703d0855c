"""The parsers' doctests (edge cases included) run with the test suite."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["sentences", "dates", "quantities", "attribution", "mentions", "events", "confidence", "review", "relays"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"data.extract.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
