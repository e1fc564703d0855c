"""Tests of the model (data/model/)."""
