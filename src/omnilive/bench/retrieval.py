"""Retrieval at scale: the full `memory/retrieve` call on stores of real descriptors (captions made
from the detector's 80 classes, YAMNet's sound classes, sign texts and LibriVox sentences, embedded
in batches by the store) and the vector index alone on clustered synthetic vectors; each against
exact flat search (its latency and the reference of recall@10)."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from omnilive.bench.corpus import (SIGNS, Precomputed, clustered_vectors,  # noqa: F401
                                   descriptor_items, embedded_descriptors, questions,
                                   recall_at_10, vocabulary)
from omnilive.memory.backend import embed_text
from omnilive.bench.report import Section, percentiles
from omnilive.memory.index import VectorIndex

CANDIDATES = 200      # what MemoryStore.retrieve asks the index for
TOP_K = 6             # what the reasoning node asks memory/retrieve for (config top_k)


def store_search(index: VectorIndex):
    """VectorIndex.search (what MemoryStore.retrieve calls) in faiss's (scores, ids) shape."""
    def search(query: np.ndarray, k: int):
        found = index.search(query[0], k)
        return np.array([[s for _, s in found]]), np.array([[i for i, _ in found]])
    return search


def time_search(search, queries: np.ndarray, k: int):
    """(latencies in ms, scores [q, k]) of single-query searches, as a retrieve call makes them."""
    lat, scores = [], []
    search(queries[:1], k)  # warm
    for q in queries:
        t = time.perf_counter()
        s, _ = search(q.reshape(1, -1), k)
        lat.append((time.perf_counter() - t) * 1000)
        scores.append(s[0])
    return lat, np.array(scores)


def index_figures(section: Section, sizes: list[int], n_queries: int = 200, dim: int = 384,
                  log=print) -> None:
    """The vector index alone, as MemoryStore builds it (VectorIndex), vs exact flat search."""
    import faiss
    for n in sizes:
        log(f'[retrieval] index alone: {n:,} clustered vectors ...')
        vectors = clustered_vectors(n, dim, seed=n)
        queries = clustered_vectors(n_queries, dim, seed=n + 1)
        t = time.perf_counter()
        ours = VectorIndex(dim, use_gpu=False)
        ours.build(np.arange(n, dtype=np.int64), vectors)
        build_s = time.perf_counter() - t
        flat = faiss.IndexFlatIP(dim)
        flat.add(vectors)
        del vectors
        lat, got = time_search(store_search(ours), queries, CANDIDATES)
        faiss.omp_set_num_threads(1)  # the same single-query conditions for the baseline
        base_lat, exact = time_search(flat.search, queries, CANDIDATES)
        del flat, ours
        p50, p95 = percentiles(lat)
        b50, b95 = percentiles(base_lat)
        recall = recall_at_10(got, exact)
        label = f'{n // 1000}k' if n < 1_000_000 else f'{n // 1_000_000}M'
        big = n >= 1_000_000
        section.add(f'index search p50 at {label} (k={CANDIDATES})', p50, 'ms', b50,
                    'exact flat search', target='<= 5 ms' if big else '',
                    met=(p50 <= 5.0) if big else None)
        section.add(f'index search p95 at {label}', p95, 'ms', b95, 'exact flat search')
        section.add(f'index recall@10 at {label}', recall, '', 1.0, 'exact flat search',
                    target='>= 0.95', met=recall >= 0.95)
        section.details[f'index_{n}'] = {'build_s': round(build_s, 1), 'p50_ms': p50,
                                         'p95_ms': p95, 'flat_p50_ms': b50, 'flat_p95_ms': b95,
                                         'recall_at_10': recall}


def query_figures(section: Section, n_queries: int = 100, log=print) -> None:
    """Embedding one query on one thread (the memory node's text_embedding.threads): the int8
    ONNX query encoder that retrieve uses vs sentence-transformers (what retrieve used before),
    same questions, same run; cache off (every question new)."""
    from omnilive.models.embedding import TextEmbedder
    log('[retrieval] query embedding: int8 ONNX vs sentence-transformers, one thread ...')
    embedder = TextEmbedder(threads=1, query_cache=0)
    if embedder.query_encoder is None:
        section.notes.append('Query encoder (role text_embedding_query) not provisioned: '
                             'run `omnilive models install`.')
        return
    qs = questions(max(n_queries, 20), seed=7)
    timings = {}
    for name, embed in (('st', lambda q: embedder.embed([q])[0]),
                        ('int8', embedder.query_encoder.encode)):
        embed(qs[0])  # warm
        lat, vecs = [], []
        for q in qs:
            t = time.perf_counter()
            vecs.append(embed(q))
            lat.append((time.perf_counter() - t) * 1000)
        timings[name] = (lat, np.stack(vecs))
    p50, p95 = percentiles(timings['int8'][0])
    b50, b95 = percentiles(timings['st'][0])
    cosine = np.sum(timings['int8'][1] * timings['st'][1], axis=1)
    section.add('query embedding p50 (int8 ONNX, 1 thread)', p50, 'ms', b50,
                'sentence-transformers float32, same model',
                note=f'cosine to float32 mean {cosine.mean():.4f}, min {cosine.min():.4f}')
    section.add('query embedding p95 (int8 ONNX, 1 thread)', p95, 'ms', b95,
                'sentence-transformers float32, same model')
    section.details['query_embedding'] = {'int8_p50_ms': p50, 'st_p50_ms': b50,
                                          'cosine_mean': float(cosine.mean()),
                                          'cosine_min': float(cosine.min())}


def build_store(path: Path, n: int, embedder, log=print, batch: int = 1000):
    """A store of `n` real descriptors; their embeddings come from the bench's disk cache
    (computed once, as the store would), so the build time is the store's own."""
    from omnilive.memory.store import MemoryStore
    items, vectors = embedded_descriptors(n, embedder, log=log)
    store = MemoryStore(path, Precomputed(
        embedder, [embed_text(i.kind, i.text, i.labels) for i in items], vectors))
    t = time.perf_counter()
    for lo in range(0, n, batch):
        store.insert(items[lo:lo + batch])
        if lo and lo % 20_000 == 0:
            log(f'[retrieval]   {lo:,}/{n:,} inserted ({(time.perf_counter() - t):.0f} s)')
    return store, time.perf_counter() - t


def store_vectors(store) -> tuple[np.ndarray, np.ndarray]:
    rows = store.db.execute('SELECT rowid, embedding FROM items '
                            'WHERE embedding IS NOT NULL').fetchall()
    ids = np.array([r[0] for r in rows], np.int64)
    return ids, np.frombuffer(b''.join(r[1] for r in rows), np.float32).reshape(len(ids), -1)


def call_figures(section: Section, sizes: list[int], n_queries: int = 100,
                 workdir: Path | None = None, log=print, profile: bool = True) -> None:
    """The full memory/retrieve service call (memory node process, ROS transport, query embedding,
    hybrid ranking) on stores of real descriptors; baseline: the same node on the same store with
    an exact flat index."""
    import faiss

    from omnilive.models.embedding import TextEmbedder
    embedder = TextEmbedder(threads=2)
    workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-bench-retrieval-'))
    for n in sizes:
        label = f'{n // 1000}k'
        path = workdir / f'store-{n}'
        shutil.rmtree(path, ignore_errors=True)
        log(f'[retrieval] store of {n:,} real descriptors (embedded in batches) ...')
        store, build_s = build_store(path, n, embedder, log)
        qs = questions(n_queries)
        qvecs = embedder.embed(qs)
        # recall@10 of the store's own index against exact search over the same vectors
        ids, vecs = store_vectors(store)
        store.close()
        ours = VectorIndex(vecs.shape[1], use_gpu=False)
        ours.build(ids, vecs)
        flat = faiss.IndexFlatIP(vecs.shape[1])
        flat.add(vecs)
        _, got = time_search(store_search(ours), qvecs, CANDIDATES)
        faiss.omp_set_num_threads(1)
        _, exact = time_search(flat.search, qvecs, CANDIDATES)
        recall = recall_at_10(got, exact)
        variants = {}
        for name, index in (('flat', VectorIndex(vecs.shape[1], ivf_threshold=1 << 62,
                                                 use_gpu=False)), ('ours', ours)):
            if name == 'flat':
                index.build(ids, vecs)
            generation = int(store_generation(path))
            index.save(path / 'index.faiss', generation)
            log(f'[retrieval]   memory node on {n:,} items, {index.kind} index ...')
            variants[name] = service_latencies(path, qs, workdir / f'memory-{n}-{name}.log')
        del vecs, flat
        p50, p95 = percentiles(variants['ours']['ms'])
        b50, b95 = percentiles(variants['flat']['ms'])
        s50, _ = percentiles(variants['ours']['server_ms'])
        section.add(f'memory/retrieve call p50 at {label}', p50, 'ms', b50,
                    'same call, exact flat index', target='<= 20 ms' if n >= 100_000 else '',
                    met=(p50 <= 20.0) if n >= 100_000 else None,
                    note=f'{s50:.1f} ms inside the node')
        section.add(f'memory/retrieve call p95 at {label}', p95, 'ms', b95,
                    'same call, exact flat index')
        section.add(f'store index recall@10 at {label}', recall, '', 1.0, 'exact flat search',
                    target='>= 0.95', met=recall >= 0.95)
        section.details[f'store_{n}'] = {'build_s': round(build_s, 1), 'index': ours.kind,
                                         'variants': variants, 'recall_at_10': recall}
        if profile and n >= 100_000 and p50 > 20.0:
            text, shares = profile_retrieve(path, embedder, qs)
            section.details[f'profile_store_{n}'] = text
            section.notes.append(
                f'Profile of MemoryStore.retrieve on the {label} store, in process '
                f'(pyinstrument, {len(qs)} queries): ' +
                ', '.join(f'{share:.0%} {name}' for name, share in shares) + '.')
        shutil.rmtree(path, ignore_errors=True)


def store_generation(path: Path) -> int:
    import sqlite3
    db = sqlite3.connect(path / 'memory.sqlite3')
    try:
        return int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
    finally:
        db.close()


def service_latencies(path: Path, qs: list[str], log_path: Path) -> dict:
    from omnilive.ros.harness import GraphHarness, isolate
    from omnilive.ros.node_util import wait_future
    isolate()
    ns = f'bench_retrieval_{int(time.time() * 1000) % 100000}'
    graph = GraphHarness(ns, log_path, arguments={'respawn': 'false'},
                         parameters={'memory': {'storage_path': str(path),
                                                'compress_period_s': 1e9}},
                         only=['memory'], client_name='bench_retrieval')
    try:
        client = graph.client
        srv = client.srv.Retrieve
        retrieve = client.node.create_client(srv, f'{client.ns}/memory/retrieve')
        graph.wait(retrieve.service_is_ready, 300, 'memory/retrieve', step=0.2)
        ms, server_ms, counts = [], [], []
        for i, q in enumerate([qs[0]] * 3 + qs):  # three warm-up calls
            t = time.perf_counter()
            res = wait_future(retrieve.call_async(srv.Request(query=q, top_k=TOP_K)), 60,
                              'memory/retrieve')
            if i >= 3:
                ms.append((time.perf_counter() - t) * 1000)
                server_ms.append(res.latency_ms)
                counts.append(len(res.items))
        return {'ms': ms, 'server_ms': server_ms, 'mean_items': float(np.mean(counts))}
    finally:
        graph.close()


def profile_retrieve(path: Path, embedder, qs: list[str]) -> tuple[str, list]:
    """Where an in-process retrieve on this store spends its time (pyinstrument): the text
    profile and the share of each direct callee of MemoryStore.retrieve."""
    from pyinstrument import Profiler

    from omnilive.memory.store import MemoryStore
    store = MemoryStore(path, embedder)
    try:
        store.retrieve(qs[0], top_k=TOP_K)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for q in qs:
            store.retrieve(q, top_k=TOP_K)
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False)[:6000]
        frames = [profiler.last_session.root_frame()]
        retrieve = None
        while frames and retrieve is None:
            frame = frames.pop()
            if frame.function == 'retrieve' and 'store' in (frame.file_path or ''):
                retrieve = frame
            frames += frame.children
        by_callee: dict[str, float] = {}
        if retrieve is not None and retrieve.time > 0:
            for child in retrieve.children:  # one frame per call site: add them up by name
                by_callee[child.function] = by_callee.get(child.function, 0.0) + \
                    child.time / retrieve.time
        return text, sorted(by_callee.items(), key=lambda kv: -kv[1])[:5]
    finally:
        store.db.close()
