"""Tests of the store (data/store/)."""
