"""Fixtures of the memory tests: the real text embedder, shared by the session."""
import pytest


@pytest.fixture(scope='session')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=2)
