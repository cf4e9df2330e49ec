"""Voice activity (role vad): Silero VAD v6 through onnxruntime, 512-sample chunks at 16 kHz.

Silero's ONNX model is stateful: it takes the previous recurrent state and 64 samples of context
with every chunk; this wrapper keeps both, so callers just feed consecutive chunks.
"""
from __future__ import annotations

import numpy as np

from omnilive.models import registry


class VoiceActivityDetector:
    SAMPLE_RATE = 16000
    CHUNK = 512
    CONTEXT = 64

    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1):
        self.path = registry.resolve('vad', model)
        self.session = registry.onnx_session(self.path, 'cpu' if device == 'cpu' else device,
                                             threads)
        self.reset()

    def reset(self) -> None:
        self._state = np.zeros((2, 1, 128), np.float32)
        self._context = np.zeros((1, self.CONTEXT), np.float32)

    def speech_prob(self, chunk: np.ndarray) -> float:
        """Probability that this 512-sample float32 chunk (16 kHz) contains speech."""
        x = np.asarray(chunk, np.float32).reshape(1, -1)
        if x.shape[1] != self.CHUNK:
            raise ValueError(f'VAD chunks must have {self.CHUNK} samples, got {x.shape[1]}')
        x = np.concatenate([self._context, x], axis=1)
        out, self._state = self.session.run(None, {'input': x, 'state': self._state,
                                                   'sr': np.array(self.SAMPLE_RATE, np.int64)})
        self._context = x[:, -self.CONTEXT:]
        return float(out.reshape(-1)[0])
