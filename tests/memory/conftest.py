"""Fixtures of the memory tests: the real text embedder, shared by the session."""
import pytest


@pytest.fixture(scope='session')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=2)


@pytest.fixture(scope='session')
def milvus_server(tmp_path_factory):
    """A real Milvus standalone server (embedded Milvus 2.3.5 from PyPI `milvus`, in the venv
    scripts/setup.sh makes), its own process and data directory, once per session."""
    from omnilive.memory.milvus_server import MilvusServer
    server = MilvusServer(tmp_path_factory.mktemp('milvus')).start()
    yield server
    server.stop()
