"""Benchmarks: they print their figures and write bench/results/*.json; nothing here asserts a time."""
