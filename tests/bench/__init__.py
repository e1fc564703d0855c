"""Tests of the benchmarks' synthetic data (bench/synth.py)."""
