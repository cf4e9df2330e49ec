"""Vision-language model (role vlm, GPU profile): any transformers image-text-to-text model
(Qwen2-VL, SmolVLM, ...) through AutoProcessor + AutoModelForImageTextToText. It writes clip
captions for perception and answers questions over retrieved keyframes for reasoning.
"""
from __future__ import annotations

import threading
from typing import Iterator

import numpy as np

from omnilive.models import registry


class VisionLanguageModel:
    def __init__(self, model: str, device: str = 'cpu', threads: int = 1, dtype: str = 'bfloat16',
                 max_image_side: int = 448):
        import torch
        from transformers import AutoModelForImageTextToText, AutoProcessor
        registry.set_torch_threads(threads)
        self.path = registry.resolve('vlm', model)
        self.device = registry.torch_device(device)
        self.processor = AutoProcessor.from_pretrained(self.path)
        self.model = AutoModelForImageTextToText.from_pretrained(
            self.path, dtype=getattr(torch, dtype) if self.device != 'cpu' else torch.float32)
        self.model.to(self.device).eval()
        self.max_image_side = max_image_side
        self._torch = torch
        self._lock = threading.Lock()

    def _prepare(self, rgb: np.ndarray):
        from PIL import Image
        image = Image.fromarray(np.ascontiguousarray(rgb))
        image.thumbnail((self.max_image_side, self.max_image_side))
        return image

    def stream(self, messages: list[dict], images: list[np.ndarray] | None = None,
               max_tokens: int = 96, temperature: float = 0.0, seed: int | None = 0,
               should_stop=lambda: False) -> Iterator[str]:
        """Chat completion over `messages` (dicts with role/content text); `images` are attached
        to the last user message. Yields text pieces as they are generated."""
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer
        images = [self._prepare(i) for i in (images or [])]
        chat = [{'role': m['role'], 'content': [{'type': 'text', 'text': m['content']}]}
                for m in messages]
        last_user = max(i for i, m in enumerate(chat) if m['role'] == 'user')
        chat[last_user]['content'] = ([{'type': 'image'} for _ in images]
                                      + chat[last_user]['content'])
        prompt = self.processor.apply_chat_template(chat, add_generation_prompt=True,
                                                    tokenize=False)
        inputs = self.processor(text=[prompt], images=images or None, return_tensors='pt')
        inputs = inputs.to(self.device)
        streamer = TextIteratorStreamer(self.processor.tokenizer, skip_prompt=True,
                                        skip_special_tokens=True)

        class Stop(StoppingCriteria):
            def __call__(self, *args, **kwargs):
                return bool(should_stop())

        if seed is not None:
            self._torch.manual_seed(int(seed))
        kwargs = dict(**inputs, max_new_tokens=max_tokens, streamer=streamer,
                      do_sample=temperature > 0, stopping_criteria=StoppingCriteriaList([Stop()]))
        if temperature > 0:
            kwargs['temperature'] = temperature
        with self._lock:
            worker = threading.Thread(target=self._generate, args=(kwargs,), daemon=True)
            worker.start()
            for piece in streamer:
                if piece:
                    yield piece
            worker.join()
        if self._error:
            raise self._error

    def _generate(self, kwargs) -> None:
        self._error = None
        try:
            with self._torch.inference_mode():
                self.model.generate(**kwargs)
        except Exception as err:  # surfaced to the caller after the stream ends
            self._error = err
            kwargs['streamer'].end()

    def caption(self, rgb: np.ndarray, max_tokens: int = 40) -> str:
        prompt = [{'role': 'user', 'content': 'Describe this scene in one short sentence: '
                                              'people, objects, any text you can read.'}]
        return ''.join(self.stream(prompt, [rgb], max_tokens=max_tokens)).strip()
