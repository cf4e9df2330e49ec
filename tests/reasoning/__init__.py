"""Reasoning tests: direct answers, the answerer, the reasoning node graph."""
