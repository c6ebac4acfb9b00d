"""Benchmarks: how long each stage takes, against a hand-written DuckDB baseline.

Timings are reported, never asserted: they live here, not in the tests.
"""
