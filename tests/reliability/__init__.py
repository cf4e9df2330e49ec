"""Reliability tests: bad files, bad images and audio, bad questions and concurrency, the goal
queue, property-based conversion tests."""
