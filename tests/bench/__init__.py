"""Benchmark tests: `omnilive bench` and `omnilive soak` smoke runs, the shared sensor feeder."""
