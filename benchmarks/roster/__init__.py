"""Roster solver benchmark: `python -m benchmarks.roster` (see benchmarks/README.md)."""
