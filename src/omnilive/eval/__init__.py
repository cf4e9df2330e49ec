"""Evaluation: timed questions over a bag, scoring, reports, and the demo."""
