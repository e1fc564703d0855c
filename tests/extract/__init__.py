"""Tests of the extractor (data/extract/)."""
