"""A slice of `omnilive bench --only fleet`: a few hundred real descriptors in the default store
and on the session's Milvus server (tests/memory/conftest.py), the figures produced beside their
baselines and recall sane. No timing assertions: speed is what the benchmark reports."""
import numpy as np
import pytest

from omnilive.bench.corpus import descriptor_items, embedded_descriptors
from omnilive.bench.fleet import Precomputed, fleet_figures
from omnilive.bench.report import Section
from omnilive.memory.backend import embed_text

pytestmark = [pytest.mark.models]


@pytest.fixture(scope='module')
def cache(tmp_path_factory):
    """Embedded descriptors, shared by the tests of this module."""
    return tmp_path_factory.mktemp('vectors')


def test_descriptors_are_embedded_once_and_reused(cache, embedder):
    items, vectors = embedded_descriptors(60, embedder, cache=cache, chunk=25)
    texts = [embed_text(i.kind, i.text, i.labels) for i in items]
    assert [i.id for i in items] == [i.id for i in descriptor_items(60)]
    assert vectors.shape == (60, embedder.dim)
    assert np.allclose(vectors[7], embedder.embed([texts[7]])[0], atol=1e-5)
    same = {t: v for t, v in zip(texts, vectors)}
    assert all(np.array_equal(same[t], v) for t, v in zip(texts, vectors))
    # a smaller set reuses the larger one's chunks: nothing embedded again
    logged = []
    small, part = embedded_descriptors(40, embedder, cache=cache, chunk=25,
                                       log=logged.append)
    assert np.array_equal(part, vectors[:40]) and [i.id for i in small] == [i.id for i in
                                                                           items[:40]]
    assert not logged
    cached = Precomputed(embedder, texts, vectors)
    assert np.array_equal(cached.embed(texts[:3]), vectors[:3])


def test_fleet_figures_on_a_small_store(tmp_path, cache, embedder, milvus_server):
    section = Section('fleet', 'fleet')
    fleet_figures(section, [200], n_queries=6, workdir=tmp_path, log=lambda *a: None,
                  server_uri=milvus_server.uri, embedder=embedder, cache=cache,
                  index_sizes=[1000])
    figures = {f.name: f for f in section.figures}
    for name in ('Milvus retrieve call p50 at 200', 'Milvus retrieve call p95 at 200',
                 'Milvus vector search p50 at 200 (HNSW, k=200)',
                 'Milvus stats() at 200, kept per-row figures'):
        assert figures[name].value > 0 and figures[name].baseline > 0, name
    # 200 vectors: HNSW with ef 200 and the default store's flat index find the exact top 10
    assert figures['Milvus recall@10 at 200'].value >= 0.95
    assert figures['default store (faiss) recall@10 at 200'].value == pytest.approx(1.0)
    details = section.details['fleet_200']
    assert details['milvus_items'] == 200 and details['milvus_mean_items'] > 0
    # 1000 vectors from 2000 centres: past each query's own cluster, its exact top 10 are
    # near-orthogonal vectors within noise of each other, where HNSW is approximate (the
    # bench's 100k, ~50 vectors a cluster, is the figure of record)
    assert figures['Milvus index recall@10 at 1k clustered vectors'].value >= 0.8
    assert figures['Milvus index search p50 at 1k clustered vectors (HNSW, k=200)'].baseline > 0
    assert section.notes
