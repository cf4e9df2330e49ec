"""Evaluation tests: scoring, pacing, `omnilive eval` end to end and the demo."""
