"""Narratives: titled, ordered walks through the data, each step a shared link's view (model.py), read against a dataset (reading.py)."""
