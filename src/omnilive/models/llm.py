"""Text generation (role llm): llama.cpp through llama-cpp-python, any GGUF.

Default: the packaged Qwen2.5-Coder-0.5B-Instruct Q4_K_M (the only packaged instruct model found).
On a GPU build of llama-cpp-python, `gpu_layers=-1` offloads every layer.
"""
from __future__ import annotations

import threading
from typing import Iterator

from omnilive.models import registry


class LlamaCppGenerator:
    def __init__(self, model: str | None = None, n_ctx: int = 2048, threads: int = 1,
                 gpu_layers: int = 0, seed: int = 0):
        from llama_cpp import Llama
        self.path = registry.resolve('llm', model)
        try:
            self.llm = Llama(model_path=self.path, n_ctx=n_ctx, n_threads=max(1, int(threads)),
                             n_threads_batch=max(1, int(threads)), n_gpu_layers=gpu_layers,
                             seed=seed, verbose=False)
        except ValueError as err:  # llama.cpp: "Failed to load model from file: ..."
            raise registry.load_error('llm', self.path, err) from err
        self._lock = threading.Lock()  # one llama context: one generation at a time

    def stream(self, messages: list[dict], max_tokens: int = 96, temperature: float = 0.0,
               seed: int | None = 0, stop: list[str] | None = None,
               should_stop=lambda: False) -> Iterator[str]:
        """Yield text pieces of the chat completion as they are generated.

        `should_stop()` is polled between tokens, so a cancelled answer stops within a token."""
        with self._lock:
            if seed is not None:
                self.llm.set_seed(int(seed))
            chunks = self.llm.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=temperature,
                top_k=1 if temperature == 0 else 40, stop=stop or [], stream=True)
            try:
                for chunk in chunks:
                    if should_stop():
                        break
                    piece = chunk['choices'][0]['delta'].get('content')
                    if piece:
                        yield piece
            finally:
                chunks.close()
