"""Synthetic corpus and stage-by-stage benchmark of the planpub pipeline (see benchmarks/run.py)."""
