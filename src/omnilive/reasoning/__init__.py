"""Answering questions from memory: reading questions, direct answers, the answerer."""
