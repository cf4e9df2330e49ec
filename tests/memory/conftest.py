import pytest


@pytest.fixture(scope='session')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=2)
