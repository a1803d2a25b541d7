"""Benchmarks and the corpora they (and the oracle tests) run on. See bench/README.md."""
