"""The fast query encoder (int8 ONNX export of all-MiniLM-L6-v2, role text_embedding_query)
against sentence-transformers' float32 vectors of the same model, on real sentences: the public
sets' questions (people asked them) and LibriVox transcripts."""
from pathlib import Path

import numpy as np
import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / 'data'


@pytest.fixture(scope='module')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=2)


def real_sentences() -> list[str]:
    from omnilive.bags.media import librivox_transcripts
    out = []
    for name in ('demo_questions.yaml', 'errands_questions.yaml'):
        out += [q['question'] for q in yaml.safe_load((DATA / name).read_text())['questions']]
    out += list(librivox_transcripts().values())
    return list(dict.fromkeys(out))


def test_int8_query_vectors_match_sentence_transformers(embedder):
    assert embedder.query_encoder is not None, 'role text_embedding_query not provisioned'
    sentences = real_sentences()
    assert len(sentences) > 100
    reference = embedder.embed(sentences)
    fast = np.stack([embedder.query_encoder.encode(s) for s in sentences])
    assert fast.shape == reference.shape and fast.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    cosine = np.sum(fast * reference, axis=1)
    assert cosine.mean() >= 0.99, cosine.mean()
    assert cosine.min() >= 0.98, (cosine.min(), sentences[int(np.argmin(cosine))])


def test_int8_queries_find_the_same_top_10(embedder):
    """Stored items stay float32 sentence-transformers vectors: the int8 query must rank them as
    the float32 query does (recall@10 against the float32 query's exact top 10)."""
    from omnilive.bench.retrieval import descriptor_items, questions, recall_at_10
    items = descriptor_items(800, seed=3)
    stored = embedder.embed([i.text for i in items])
    qs = real_sentences()[:60] + questions(60, seed=4)
    exact = np.sort(embedder.embed(qs) @ stored.T, axis=1)[:, ::-1]
    fast_queries = np.stack([embedder.query_encoder.encode(q) for q in qs])
    # the float32 scores of what the int8 query ranks first (what retrieval would return)
    order = np.argsort(-(fast_queries @ stored.T), axis=1)[:, :10]
    got = np.take_along_axis(embedder.embed(qs) @ stored.T, order, axis=1)
    got = -np.sort(-got, axis=1)
    assert recall_at_10(got, exact) >= 0.95


def test_query_cache_is_bounded_lru(embedder):
    embedder.query_cache.clear()
    first = embedder.embed_query('Where did you see my keys?')
    assert embedder.embed_query('Where did you see my keys?') is first
    old_size = embedder.query_cache_size
    embedder.query_cache_size = 2
    try:
        embedder.embed_query('Did you hear a dog?')
        embedder.embed_query('Where did you see my keys?')  # now the most recent
        embedder.embed_query('What did the sign say?')      # evicts the dog question
        assert list(embedder.query_cache) == ['Where did you see my keys?',
                                              'What did the sign say?']
    finally:
        embedder.query_cache_size = old_size
        embedder.query_cache.clear()


def test_configured_text_model_keeps_its_own_query_path(embedder):
    """The int8 export is of the default model only: a configured model embeds its queries with
    itself (here the default model's directory named as a path)."""
    from omnilive.models.embedding import TextEmbedder
    other = TextEmbedder(embedder.path, threads=1)
    assert other.query_encoder is None
    query = 'Did anyone mention the dentist?'
    np.testing.assert_allclose(other.embed_query(query), embedder.embed([query])[0], atol=1e-5)
