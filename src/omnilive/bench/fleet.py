"""Fleet memory at scale: retrieval on a real Milvus server (the embedded Milvus 2.3.5 standalone
scripts/setup.sh installs, its own process and data directory; HNSW index) beside the default
store (SQLite + FTS5 + faiss) on the same real descriptors, embedded once and inserted into both:
the in-process retrieve call (query embedding, vector search, keyword match, ranking, fetching
the items), the vector search alone, and recall@10 of each index against exact search over the
same vectors."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from omnilive.bench.corpus import (Precomputed, clustered_vectors, embedded_descriptors,
                                   questions, recall_at_10)
from omnilive.bench.report import Section, percentiles
from omnilive.memory.backend import embed_text

CANDIDATES = 200      # what both stores ask their vector index for (MemoryStore, MilvusStore)
TOP_K = 6             # what the reasoning node asks memory/retrieve for (config top_k)


def timed(calls) -> tuple[list[float], list]:
    """(latencies in ms, results) of calling each of `calls` in turn, after one warm-up call."""
    calls[0]()
    lat, out = [], []
    for call in calls:
        t = time.perf_counter()
        out.append(call())
        lat.append((time.perf_counter() - t) * 1000)
    return lat, out


def wait_indexed(store, timeout_s: float = 1800.0, log=print) -> float:
    """Seal what the Milvus store holds and wait until its vector index covers every row (a
    search meanwhile scans the unindexed rows); seconds waited."""
    from pymilvus import utility
    t = time.perf_counter()
    store.coll.flush(timeout=600)
    name = next(i.index_name for i in store.coll.indexes if i.field_name == 'embedding')
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        progress = utility.index_building_progress(store.coll.name, index_name=name,
                                                   using=store.alias, timeout=60)
        if progress.get('pending_index_rows', 0) == 0 and \
                progress.get('indexed_rows', 0) >= progress.get('total_rows', 0):
            return time.perf_counter() - t
        time.sleep(1.0)
    log(f'[fleet]   index still building after {timeout_s:.0f} s: {progress}')
    return time.perf_counter() - t


def build(store, items, batch: int = 1000) -> float:
    t = time.perf_counter()
    for lo in range(0, len(items), batch):
        store.insert(items[lo:lo + batch])
    return time.perf_counter() - t


def fleet_figures(section: Section, sizes: list[int], n_queries: int = 100,
                  workdir: Path | None = None, log=print, server_uri: str = '',
                  embedder=None, cache: Path | None = None,
                  index_sizes: list[int] = ()) -> None:
    """Milvus beside the default store at each size. `server_uri`: a running Milvus server
    (else one is started in `workdir`); `embedder`: the text embedder (else the provisioned one,
    its query cache off: every question embedded); `index_sizes`: also the vector index alone
    on clustered synthetic vectors (no embedding: sizes real descriptors take hours to embed
    on a loaded machine)."""
    from omnilive.memory.milvus import MilvusStore
    from omnilive.memory.milvus_server import MilvusServer
    from omnilive.memory.store import MemoryStore
    from omnilive.models.embedding import TextEmbedder
    workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-bench-fleet-'))
    embedder = embedder or TextEmbedder(threads=2, query_cache=0)
    log(f'[fleet] {max(sizes):,} real descriptors, embedded once (cached) ...')
    items, vectors = embedded_descriptors(max(sizes), embedder, cache=cache, log=log)
    cached = Precomputed(embedder, [embed_text(i.kind, i.text, i.labels) for i in items],
                         vectors)
    qs = questions(n_queries)
    qvecs = np.stack([embedder.embed_query(q) for q in qs])
    server = None
    if not server_uri:
        log('[fleet] starting a Milvus standalone server ...')
        t = time.perf_counter()
        server = MilvusServer(workdir / 'milvus')
        try:
            server.start()
        except (TimeoutError, RuntimeError) as err:  # the embedded server waits 180 s at
            log(f'[fleet]   {err}; starting it again')  # most: a loaded machine needs more
            server.stop()
            server.start()
        server_uri = server.uri
        section.details['server_start_s'] = round(time.perf_counter() - t, 1)
    try:
        for n in sizes:
            figures(section, n, items[:n], vectors[:n], qs, qvecs, cached, workdir, server_uri,
                    log, MemoryStore, MilvusStore)
        for n in index_sizes:
            index_figures(section, n, n_queries, server_uri, embedder.dim, log)
    finally:
        if server is not None:
            server.stop()
            shutil.rmtree(workdir / 'milvus', ignore_errors=True)
    section.notes.append(
        'Both stores hold the same items with the same text embeddings (computed once); the '
        'retrieve call is in process (no ROS transport), the same questions on each store, '
        "query embedding included (int8 ONNX, no cache). Milvus: one collection, HNSW (M 16, "
        'efConstruction 200) searched with ef 400 (twice the candidates), indexes built before '
        "timing; the default store: faiss flat below 50k items, IVF above. Recall@10: the "
        "index's top 10 of 200 candidates against exact inner-product search over the same "
        'vectors.')


def figures(section, n, items, vectors, qs, qvecs, cached, workdir, uri, log, MemoryStore,
            MilvusStore) -> None:
    label = f'{n // 1000}k' if n >= 1000 else str(n)
    exact = vectors @ qvecs.T                       # [n, q]
    k = min(CANDIDATES, n)
    exact_top = -np.sort(-exact, axis=0)[:k].T      # [q, k]
    del exact
    details = {}

    path = workdir / f'sqlite-{n}'
    shutil.rmtree(path, ignore_errors=True)
    log(f'[fleet] default store, {n:,} items ...')
    store = MemoryStore(path, cached)
    try:
        details['sqlite_insert_s'] = round(build(store, items), 1)
        lat, found = timed([lambda q=q: store.index.search(q, k) for q in qvecs])
        faiss_search = lat
        faiss_recall = recall_at_10(np.array([[s for _, s in f] for f in found]), exact_top)
        faiss_retrieve, _ = timed([lambda q=q: store.retrieve(q, top_k=TOP_K) for q in qs])
        details['sqlite_index'] = store.index.kind
    finally:
        store.close()
        shutil.rmtree(path, ignore_errors=True)

    log(f'[fleet] Milvus, {n:,} items ...')
    local = workdir / f'milvus-local-{n}'
    shutil.rmtree(local, ignore_errors=True)
    collection = f'bench_{n}_{int(time.time())}'
    store = MilvusStore(uri, cached, local_dir=local, robot_id='bench', collection=collection,
                        timeout_s=60)
    try:
        details['milvus_insert_s'] = round(build(store, items), 1)
        details['milvus_index_wait_s'] = round(wait_indexed(store, log=log), 1)
        params = {'metric_type': 'IP', 'params': {'ef': 2 * k}}  # as MilvusStore.retrieve
        lat, found = timed([lambda q=q: store._call(store.coll.search, [q.tolist()], 'embedding',
                                                     params, limit=k)[0] for q in qvecs])
        milvus_search = lat
        milvus_recall = recall_at_10(np.array([[h.distance for h in f] for f in found]),
                                     exact_top)
        milvus_retrieve, answers = timed([lambda q=q: store.retrieve(q, top_k=TOP_K)
                                          for q in qs])
        details['milvus_mean_items'] = float(np.mean([len(a) for a in answers]))
        # stats() as a diagnostics period calls it: the first call scans every row, later
        # ones answer from the figures kept on each write (and one count(*) query)
        stats_scan = []
        for _ in range(3):
            store._stat_rows = None
            t = time.perf_counter()
            stats = store.stats()
            stats_scan.append((time.perf_counter() - t) * 1000)
        stats_kept, _ = timed([store.stats] * 10)
        details['milvus_items'] = stats['items']
    finally:
        try:
            store.coll.drop(timeout=120)
        finally:
            store.close()
            shutil.rmtree(local, ignore_errors=True)

    p50, p95 = percentiles(milvus_retrieve)
    b50, b95 = percentiles(faiss_retrieve)
    s50, s95 = percentiles(milvus_search)
    f50, f95 = percentiles(faiss_search)
    base = 'default store (SQLite + faiss), same queries'
    section.add(f'Milvus retrieve call p50 at {label}', p50, 'ms', b50, base)
    section.add(f'Milvus retrieve call p95 at {label}', p95, 'ms', b95, base)
    section.add(f'Milvus vector search p50 at {label} (HNSW, k={k})', s50, 'ms', f50,
                f'faiss {details["sqlite_index"]} of the default store')
    section.add(f'Milvus vector search p95 at {label}', s95, 'ms', f95,
                f'faiss {details["sqlite_index"]} of the default store')
    section.add(f'Milvus recall@10 at {label}', milvus_recall, '', 1.0, 'exact search',
                target='>= 0.95', met=milvus_recall >= 0.95)
    section.add(f'default store (faiss) recall@10 at {label}', faiss_recall, '', 1.0,
                'exact search', target='>= 0.95', met=faiss_recall >= 0.95)
    k50, _ = percentiles(stats_kept)
    c50, _ = percentiles(stats_scan)
    section.add(f'Milvus stats() at {label}, kept per-row figures', k50, 'ms', c50,
                'a scan of every row (what stats() did before)')
    details.update(milvus_stats_kept_ms=stats_kept, milvus_stats_scan_ms=stats_scan)
    details.update(milvus_retrieve_ms=milvus_retrieve, sqlite_retrieve_ms=faiss_retrieve,
                   milvus_search_ms=milvus_search, faiss_search_ms=faiss_search,
                   milvus_recall_at_10=milvus_recall, faiss_recall_at_10=faiss_recall)
    section.details[f'fleet_{n}'] = details
    log(f'[fleet]   {label}: retrieve p50 Milvus {p50:.1f} ms, default store {b50:.1f} ms; '
        f'recall@10 Milvus {milvus_recall:.3f}, faiss {faiss_recall:.3f}')


def index_figures(section: Section, n: int, n_queries: int, uri: str, dim: int,
                  log=print) -> None:
    """The vector index alone: Milvus HNSW (the index MilvusStore creates, in a collection of
    ids and vectors) beside faiss as the default store builds it (VectorIndex), on the same
    clustered unit vectors; recall@10 against exact search."""
    from pymilvus import (Collection, CollectionSchema, DataType, FieldSchema, connections,
                          utility)

    from omnilive.memory.index import VectorIndex
    label = f'{n // 1000}k' if n < 1_000_000 else f'{n // 1_000_000}M'
    log(f'[fleet] index alone: {n:,} clustered vectors in Milvus and faiss ...')
    vectors = clustered_vectors(n, dim, seed=n)
    qvecs = clustered_vectors(n_queries, dim, seed=n + 1)
    k = min(CANDIDATES, n)
    exact_top = -np.sort(-(vectors @ qvecs.T), axis=0)[:k].T
    ours = VectorIndex(dim, use_gpu=False)
    t = time.perf_counter()
    ours.build(np.arange(n, dtype=np.int64), vectors)
    faiss_build = time.perf_counter() - t
    faiss_lat, found = timed([lambda q=q: ours.search(q, k) for q in qvecs])
    faiss_recall = recall_at_10(np.array([[s for _, s in f] for f in found]), exact_top)
    alias = f'bench-index-{n}'
    connections.connect(alias=alias, uri=uri, timeout=60)
    name = f'bench_index_{n}_{int(time.time())}'
    coll = Collection(name, CollectionSchema([
        FieldSchema('id', DataType.INT64, is_primary=True),
        FieldSchema('embedding', DataType.FLOAT_VECTOR, dim=dim)]), using=alias,
        consistency_level='Session')  # as MilvusStore's: a search sees this client's inserts
    try:
        coll.create_index('embedding', {'index_type': 'HNSW', 'metric_type': 'IP',
                                        'params': {'M': 16, 'efConstruction': 200}})
        t = time.perf_counter()
        for lo in range(0, n, 5000):
            hi = min(n, lo + 5000)
            coll.insert([list(range(lo, hi)), vectors[lo:hi]], timeout=300)
        coll.flush(timeout=600)
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            p = utility.index_building_progress(name, using=alias, timeout=60)
            if p.get('pending_index_rows', 0) == 0 and \
                    p.get('indexed_rows', 0) >= p.get('total_rows', 0):
                break
            time.sleep(2.0)
        coll.load(timeout=600)
        milvus_build = time.perf_counter() - t
        params = {'metric_type': 'IP', 'params': {'ef': 2 * k}}  # as MilvusStore.retrieve
        milvus_lat, found = timed([lambda q=q: coll.search([q.tolist()], 'embedding', params,
                                                           limit=k, timeout=60)[0]
                                   for q in qvecs])
        milvus_recall = recall_at_10(np.array([[h.distance for h in f] for f in found]),
                                     exact_top)
    finally:
        coll.drop(timeout=120)
        connections.disconnect(alias)
    p50, p95 = percentiles(milvus_lat)
    b50, b95 = percentiles(faiss_lat)
    base = f'faiss {ours.kind} as the default store builds it'
    section.add(f'Milvus index search p50 at {label} clustered vectors (HNSW, k={k})', p50, 'ms',
                b50, base)
    section.add(f'Milvus index search p95 at {label} clustered vectors', p95, 'ms', b95, base)
    section.add(f'Milvus index recall@10 at {label} clustered vectors', milvus_recall, '', 1.0,
                'exact search', target='>= 0.95', met=milvus_recall >= 0.95,
                note=f'faiss {ours.kind}: {faiss_recall:.3f}')
    section.details[f'index_{n}'] = {
        'milvus_insert_and_index_s': round(milvus_build, 1),
        'faiss_build_s': round(faiss_build, 1),
        'faiss_kind': ours.kind, 'milvus_ms': milvus_lat, 'faiss_ms': faiss_lat,
        'milvus_recall_at_10': milvus_recall, 'faiss_recall_at_10': faiss_recall}
    log(f'[fleet]   index alone at {label}: p50 Milvus {p50:.1f} ms, faiss {b50:.2f} ms; '
        f'recall@10 Milvus {milvus_recall:.3f}, faiss {faiss_recall:.3f}')
