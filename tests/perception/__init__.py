"""Perception tests: audio logic and input, parameters, the live node and the demo bag."""
