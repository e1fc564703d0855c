"""Tests of the views (data/views/)."""
