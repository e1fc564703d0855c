"""Tests of the pages (app.py, pages/)."""
