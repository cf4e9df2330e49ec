"""Frame embeddings (role image_embedding, GPU profile): SigLIP / CLIP through transformers'
Auto classes. Image and text land in one space, so a question can be matched to keyframes."""
from __future__ import annotations

import numpy as np

from omnilive.models import registry


class ImageEmbedder:
    def __init__(self, model: str, device: str = 'cpu', threads: int = 1, dtype: str = 'float32'):
        import torch
        from transformers import AutoModel, AutoProcessor
        registry.set_torch_threads(threads)
        self.path = registry.resolve('image_embedding', model)
        self.device = registry.torch_device(device)
        self.processor = AutoProcessor.from_pretrained(self.path)
        self.model = AutoModel.from_pretrained(
            self.path, dtype=getattr(torch, dtype) if self.device != 'cpu' else torch.float32)
        self.model.to(self.device).eval()
        self._torch = torch

    def _normalise(self, features) -> np.ndarray:
        if not isinstance(features, self._torch.Tensor):  # some versions return an output object
            features = features.pooler_output
        vectors = features.float().cpu().numpy()
        norms = np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)
        return (vectors / norms).astype(np.float32)

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        """float32 [n, dim] L2-normalised embeddings of HxWx3 uint8 RGB images."""
        inputs = self.processor(images=list(images), return_tensors='pt').to(self.device)
        with self._torch.inference_mode():
            features = self.model.get_image_features(pixel_values=inputs['pixel_values'])
            return self._normalise(features)

    def embed_text(self, texts: list[str]) -> np.ndarray:
        inputs = self.processor(text=list(texts), return_tensors='pt', padding='max_length',
                                truncation=True).to(self.device)
        with self._torch.inference_mode():
            return self._normalise(self.model.get_text_features(
                **{k: v for k, v in inputs.items() if k in ('input_ids', 'attention_mask')}))
