"""Text embeddings (role text_embedding): sentence-transformers, all-MiniLM-L6-v2 by default."""
from __future__ import annotations

import numpy as np

from omnilive.models import registry


class TextEmbedder:
    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1,
                 batch_size: int = 64):
        from sentence_transformers import SentenceTransformer
        registry.set_torch_threads(threads)
        self.path = registry.resolve('text_embedding', model)
        self.model = SentenceTransformer(self.path, device=registry.torch_device(device),
                                         local_files_only=True)
        self.dim = int(self.model.get_embedding_dimension())
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 [len(texts), dim], L2-normalised (cosine similarity = dot product)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)
