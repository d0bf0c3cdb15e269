"""Benchmarks of clickgen (see bench_validate.py) and the synthetic reference generator."""
