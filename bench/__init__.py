"""Benchmarks that print figures, and the synthetic data they run on."""
