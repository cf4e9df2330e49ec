"""Speech recognition (role asr): faster-whisper (CTranslate2), Whisper base by default."""
from __future__ import annotations

import dataclasses

import numpy as np

from omnilive.models import registry


@dataclasses.dataclass
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float


@dataclasses.dataclass
class Transcript:
    text: str
    language: str
    language_probability: float
    confidence: float          # mean token probability over the segments, 0..1
    segments: list[Segment]


class Transcriber:
    SAMPLE_RATE = 16000

    def __init__(self, model: str | None = None, device: str = 'cpu', compute_type: str = 'int8',
                 threads: int = 1, beam_size: int = 5):
        from faster_whisper import WhisperModel
        self.path = registry.resolve('asr', model)
        device = registry.torch_device(device)  # 'cuda' only where CUDA is present
        if device == 'cpu' and compute_type not in ('int8', 'float32', 'int8_float32'):
            compute_type = 'int8'  # float16 kinds need a GPU
        self.model = WhisperModel(self.path, device='cuda' if device.startswith('cuda') else 'cpu',
                                  compute_type=compute_type, cpu_threads=max(1, int(threads)),
                                  local_files_only=True)
        self.beam_size = beam_size

    def transcribe(self, pcm: np.ndarray, language: str | None = None,
                   initial_prompt: str | None = None) -> Transcript:
        """`pcm`: float32 mono at 16 kHz in [-1, 1]."""
        audio = np.asarray(pcm, dtype=np.float32).reshape(-1)
        segments, info = self.model.transcribe(
            audio, language=language, beam_size=self.beam_size, vad_filter=False,
            condition_on_previous_text=False, initial_prompt=initial_prompt,
            without_timestamps=True)
        segs = [Segment(s.start, s.end, s.text.strip(), s.avg_logprob, s.no_speech_prob)
                for s in segments]
        text = ' '.join(s.text for s in segs if s.text).strip()
        confidence = float(np.exp(np.mean([s.avg_logprob for s in segs]))) if segs else 0.0
        return Transcript(text, info.language, float(info.language_probability), confidence, segs)
