"""Tests of geo/."""
