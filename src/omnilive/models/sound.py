"""Sound events (role sound_events): YAMNet (521 AudioSet classes) through onnxruntime."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from omnilive.models import registry


class SoundClassifier:
    SAMPLE_RATE = 16000
    HOP_S = 0.48  # one row of scores per hop
    MIN_SAMPLES = 15600  # YAMNet's 0.975 s analysis window

    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1):
        self.path = registry.resolve('sound_events', model)
        self.session = registry.onnx_session(self.path, device, threads)
        class_map = Path(self.path).with_name('yamnet_class_map.csv')
        with open(class_map) as f:
            rows = list(csv.DictReader(f))
        self.labels = [row['display_name'] for row in rows]
        self._speech = self.labels.index('Speech')

    def frame_scores(self, pcm: np.ndarray) -> np.ndarray:
        """[N, 521] scores, one row per 0.48 s hop; `pcm` float32 mono 16 kHz in [-1, 1]."""
        return self.outputs(pcm)[0]

    def outputs(self, pcm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """([N, 521] scores, [N, 1024] embeddings) from one run, one row per 0.48 s hop: the
        embeddings feed the sound-event head (audio/sound_events.Head)."""
        audio = np.asarray(pcm, np.float32).reshape(-1)
        if audio.size < self.MIN_SAMPLES:  # pad short clips to one analysis window
            audio = np.pad(audio, (0, self.MIN_SAMPLES - audio.size))
        scores, embeddings = self.session.run(['scores', 'embeddings'], {'waveform': audio})
        return scores, embeddings

    def classify(self, pcm: np.ndarray, top_k: int = 5) -> list[tuple[str, float]]:
        """The top classes over the clip (scores averaged over its frames)."""
        mean = self.frame_scores(pcm).mean(axis=0)
        order = np.argsort(-mean)[:top_k]
        return [(self.labels[i], float(mean[i])) for i in order]

    def speech_score(self, pcm: np.ndarray) -> float:
        return float(self.frame_scores(pcm)[:, self._speech].mean())
