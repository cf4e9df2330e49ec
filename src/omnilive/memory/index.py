"""Vector index over memory embeddings (faiss), keyed by the SQLite rowid of each item.

Index type by size: exact inner-product search (flat) while small, an IVF index above
`ivf_threshold` vectors (trained on the stored vectors, 4*sqrt(n) lists); on a GPU when faiss-gpu
and CUDA are present. `needs_rebuild()` says when the store should rebuild it: flat past the
threshold, or an IVF trained for a quarter of the vectors it now holds. The index is a cache of
what SQLite holds: it is saved with the database generation it covers and rebuilt whenever that
does not match.
"""
from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)


class VectorIndex:
    def __init__(self, dim: int, ivf_threshold: int = 50_000, nprobe: int = 32,
                 use_gpu: bool = True):
        self.dim = dim
        self.ivf_threshold = ivf_threshold
        self.nprobe = nprobe
        self.use_gpu = use_gpu and hasattr(faiss, 'StandardGpuResources') and \
            faiss.get_num_gpus() > 0
        self.index = self._flat()

    def _flat(self):
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    @property
    def kind(self) -> str:
        ivf = isinstance(faiss.downcast_index(self._cpu().index), faiss.IndexIVF)
        return 'ivf' if ivf else 'flat'

    def _cpu(self):
        return faiss.index_gpu_to_cpu(self.index) if self.use_gpu else self.index

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @staticmethod
    def nlist_for(n: int) -> int:
        return int(4 * math.sqrt(n))

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the index with these vectors, choosing its type by their number."""
        ids = np.asarray(ids, np.int64)
        vectors = np.ascontiguousarray(vectors, np.float32).reshape(-1, self.dim)
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # training and adding use every core
        if len(ids) >= self.ivf_threshold:
            nlist = self.nlist_for(len(ids))
            quantizer = faiss.IndexFlatIP(self.dim)
            ivf = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
            sample = vectors[np.random.default_rng(0).permutation(len(vectors))[:nlist * 40]]
            ivf.train(sample)
            ivf.nprobe = self.nprobe
            index = faiss.IndexIDMap2(ivf)
        else:
            index = self._flat()
        if len(ids):
            index.add_with_ids(vectors, ids)
        if self.use_gpu:
            index = faiss.index_cpu_to_gpu(faiss.StandardGpuResources(), 0, index)
        self.index = index

    def add(self, ids, vectors) -> None:
        ids = np.asarray(ids, np.int64)
        if not len(ids):
            return
        self.remove(ids)
        vectors = np.ascontiguousarray(vectors, np.float32).reshape(-1, self.dim)
        self.index.add_with_ids(vectors, ids)

    def remove(self, ids) -> None:
        ids = np.asarray(ids, np.int64)
        if len(ids) and len(self):
            self.index.remove_ids(faiss.IDSelectorBatch(ids))

    def needs_rebuild(self) -> bool:
        """Flat past the threshold, or an IVF whose lists were trained for a quarter of the
        vectors it holds now (lists 2x too long: slower searches for the same nprobe)."""
        if self.kind == 'flat':
            return len(self) >= self.ivf_threshold
        ivf = faiss.extract_index_ivf(self._cpu())
        return self.nlist_for(len(self)) > 2 * ivf.nlist

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not len(self) or k <= 0:
            return []
        # one query: an OpenMP thread team costs more than it saves (IDMap2 over a flat index,
        # 2k vectors, loaded 2-core machine: 8 ms with 2 threads, 0.1 ms with one). Per calling
        # thread; the store never builds and searches at once (its lock).
        faiss.omp_set_num_threads(1)
        scores, ids = self.index.search(np.asarray(query, np.float32).reshape(1, self.dim),
                                        min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def save(self, path: Path, generation: int) -> None:
        tmp = path.with_name(path.name + '.tmp')
        faiss.write_index(self._cpu(), str(tmp))
        tmp.replace(path)
        path.with_suffix('.json').write_text(json.dumps({'generation': generation,
                                                         'ntotal': len(self)}))

    def load(self, path: Path, generation: int, expected: int) -> bool:
        """Load a saved index if it covers exactly this database generation."""
        meta = path.with_suffix('.json')
        try:
            info = json.loads(meta.read_text())
            if info['generation'] != generation or info['ntotal'] != expected:
                return False
            index = faiss.read_index(str(path))
        except (OSError, ValueError, KeyError, RuntimeError) as err:
            log.info('vector index at %s not reusable (%s): rebuilding', path, err)
            return False
        if index.d != self.dim:
            return False
        if isinstance(faiss.downcast_index(index.index), faiss.IndexIVF):
            faiss.extract_index_ivf(index).nprobe = self.nprobe  # the configured, not the saved
        if self.use_gpu:
            index = faiss.index_cpu_to_gpu(faiss.StandardGpuResources(), 0, index)
        self.index = index
        return True
