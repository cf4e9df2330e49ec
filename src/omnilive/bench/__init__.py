"""Benchmarks (`omnilive bench`, `omnilive soak`): one module per figure, each beside a baseline
measured in the same run."""
