"""Tests of the importers (data/importers/)."""
