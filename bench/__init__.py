"""Benchmarks, runnable as `python -m bench.<name>` from the repository root."""
