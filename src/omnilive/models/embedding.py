"""Text embeddings (role text_embedding): sentence-transformers, all-MiniLM-L6-v2 by default.

Stored items are embedded by sentence-transformers (float32, batched). A query, embedded one at a
time on the retrieve path, goes through the int8 ONNX export of the same model (role
text_embedding_query, made at install time): ~5-10x faster on one thread, cosine >= 0.99 to the
float32 vector (tests/models/test_query_embedding.py), in the same vector space as the stored
items. Recent queries are kept in a small LRU cache (the reasoning node asks the same question
again on follow-ups and retries)."""
from __future__ import annotations

import json
import logging
from collections import OrderedDict
from pathlib import Path

import numpy as np

from omnilive.models import registry

log = logging.getLogger(__name__)


class QueryEncoder:
    """One sentence -> its L2-normalised embedding with the int8 ONNX MiniLM (single sentences
    only: with padding in a batch, the dynamic quantization ranges change slightly)."""

    def __init__(self, onnx_path: str, model_dir: str, threads: int = 1):
        from tokenizers import Tokenizer
        self.session = registry.load_onnx('text_embedding_query', onnx_path, 'cpu', threads)
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / 'tokenizer.json'))
        self.tokenizer.no_padding()
        config = Path(model_dir) / 'sentence_bert_config.json'
        max_len = json.loads(config.read_text()).get('max_seq_length', 256)
        self.tokenizer.enable_truncation(int(max_len))

    def encode(self, text: str) -> np.ndarray:
        ids = np.array([self.tokenizer.encode(text).ids], np.int64)
        return self.session.run(None, {'input_ids': ids})[0][0].astype(np.float32)


class TextEmbedder:
    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1,
                 batch_size: int = 64, query_model: str | None = 'default',
                 query_cache: int = 256):
        """`query_model`: the ONNX query encoder ('default': the provisioned int8 export, used
        only with the default text model it was exported from, on CPU; None: queries go
        through sentence-transformers too)."""
        from sentence_transformers import SentenceTransformer
        registry.set_torch_threads(threads)
        self.path = registry.resolve('text_embedding', model)
        self.model = SentenceTransformer(self.path, device=registry.torch_device(device),
                                         local_files_only=True)
        self.dim = int(self.model.get_embedding_dimension())
        self.batch_size = batch_size
        self.query_encoder = None if device != 'cpu' else \
            self._query_encoder(model, query_model, threads)
        self.query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.query_cache_size = max(0, int(query_cache))

    def _query_encoder(self, model, query_model, threads) -> QueryEncoder | None:
        if query_model is None or (query_model == 'default' and model):
            return None  # a configured text model: the export is of the default one
        try:
            path = registry.resolve('text_embedding_query',
                                    None if query_model == 'default' else query_model)
        except registry.ModelNotProvisioned as err:
            log.warning('query embeddings through sentence-transformers (slower): %s', err)
            return None
        return QueryEncoder(path, self.path, threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 [len(texts), dim], L2-normalised (cosine similarity = dot product)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """float32 [dim] of one search query, from the LRU cache, else the fast query encoder
        (else sentence-transformers)."""
        cached = self.query_cache.get(text)
        if cached is not None:
            self.query_cache.move_to_end(text)
            return cached
        if self.query_encoder is not None:
            vector = self.query_encoder.encode(text)
        else:
            vector = self.embed([text])[0]
        if self.query_cache_size:
            vector.setflags(write=False)  # shared with later callers of the same query
            self.query_cache[text] = vector
            if len(self.query_cache) > self.query_cache_size:
                self.query_cache.popitem(last=False)
        return vector
