"""The store: saved datasets, overlays of several, and matching events across them."""
