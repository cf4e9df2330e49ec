"""Voice activity endpointing: cuts the microphone stream into utterances.

Fed consecutive 512-sample chunks (32 ms at 16 kHz) with their speech probability (Silero VAD);
an utterance starts after `min_speech_s` of speech (keeping `preroll_s` of audio before it, so
first syllables are not clipped) and ends after `hangover_s` of silence, or at `max_utterance_s`.
"""
from __future__ import annotations

import collections
import dataclasses
from typing import Optional

import numpy as np

CHUNK = 512
RATE = 16000


@dataclasses.dataclass
class Utterance:
    start: float          # stream time of the first sample (s)
    end: float            # stream time of the last speech chunk (s)
    pcm: np.ndarray       # float32 mono 16 kHz, pre-roll included
    during_robot_speech: bool = False
    peak_db: float = -120.0


class Endpointer:
    def __init__(self, threshold: float = 0.5, min_speech_s: float = 0.25, hangover_s: float = 0.6,
                 preroll_s: float = 0.3, max_utterance_s: float = 20.0):
        self.threshold = threshold
        self.min_speech = max(1, int(min_speech_s * RATE / CHUNK))
        self.hangover = max(1, int(hangover_s * RATE / CHUNK))
        self.preroll = collections.deque(maxlen=max(1, int(preroll_s * RATE / CHUNK)))
        self.max_chunks = int(max_utterance_s * RATE / CHUNK)
        self.reset()

    def reset(self) -> None:
        self.active = False
        self.chunks: list[np.ndarray] = []
        self.start_t = 0.0
        self.last_speech_t = 0.0
        self.speech_run = 0
        self.silence_run = 0
        self.overlap = False
        self.preroll.clear()

    def push(self, chunk: np.ndarray, t: float, prob: float,
             robot_speaking: bool = False) -> Optional[Utterance]:
        """`chunk` starts at stream time `t`. Returns an Utterance when one has just ended."""
        speech = prob >= self.threshold
        if not self.active:
            self.preroll.append((t, chunk))
            self.speech_run = self.speech_run + 1 if speech else 0
            if self.speech_run >= self.min_speech:
                self.active = True
                self.start_t = self.preroll[0][0]
                self.chunks = [c for _, c in self.preroll]
                self.preroll.clear()
                self.silence_run = 0
                self.last_speech_t = t + CHUNK / RATE
                self.overlap = robot_speaking
            return None
        self.chunks.append(chunk)
        self.overlap |= robot_speaking
        if speech:
            self.silence_run = 0
            self.last_speech_t = t + CHUNK / RATE
        else:
            self.silence_run += 1
        if self.silence_run >= self.hangover or len(self.chunks) >= self.max_chunks:
            return self._finish()
        return None

    def _finish(self) -> Utterance:
        keep = len(self.chunks) - self.silence_run + min(self.silence_run, 3)  # trim long tails
        pcm = np.concatenate(self.chunks[:max(1, keep)])
        utt = Utterance(self.start_t, self.last_speech_t, pcm, self.overlap)
        from omnilive.audio.pcm import rms_db
        utt.peak_db = max(rms_db(pcm[i:i + CHUNK * 4]) for i in range(0, len(pcm), CHUNK * 4))
        self.reset()
        return utt
