"""Voice activity endpointing: cuts the microphone stream into utterances.

Fed consecutive 512-sample chunks (32 ms at 16 kHz) with their speech probability (Silero VAD);
an utterance starts after `min_speech_s` of speech (keeping `preroll_s` of audio before it, so
first syllables are not clipped) and ends after `hangover_s` of silence, or at `max_utterance_s`.

Speculation (`speculate_s` > 0): once a pause has lasted `speculate_s`, the utterance so far is
handed out as a *provisional* one, so transcription can start while the hangover runs. Its audio is
exactly what the final utterance will hold if no more speech comes (both keep the same short
silence tail); if speech resumes, the provisional one is simply superseded.
"""
from __future__ import annotations

import collections
import dataclasses
from typing import Optional

import numpy as np

CHUNK = 512
RATE = 16000
TAIL_CHUNKS = 3  # silence kept after the last speech chunk (Whisper ends words cleanly)


@dataclasses.dataclass
class Utterance:
    start: float          # stream time of the first sample (s)
    end: float            # stream time of the last speech chunk (s)
    pcm: np.ndarray       # float32 mono 16 kHz, pre-roll included
    during_robot_speech: bool = False
    peak_db: float = -120.0
    provisional: bool = False  # a speculative snapshot taken in a pause, before the endpoint
    endpointed_at: float = 0.0  # wall clock when it left the endpointer (set by the node)

    @property
    def key(self) -> tuple:
        """Equal for a provisional utterance and the final one with the same audio."""
        return (round(self.start, 4), round(self.end, 4), int(self.pcm.size))


class Endpointer:
    def __init__(self, threshold: float = 0.5, min_speech_s: float = 0.25, hangover_s: float = 0.6,
                 preroll_s: float = 0.3, max_utterance_s: float = 20.0, speculate_s: float = 0.0):
        self.threshold = threshold
        self.min_speech = max(1, int(min_speech_s * RATE / CHUNK))
        self.hangover = max(1, int(hangover_s * RATE / CHUNK))
        # the speech run that opens an utterance plus `preroll_s` before it: the VAD rises late on
        # soft onsets ("what ..."), and a pre-roll counted from the run's end clipped them
        self.preroll = collections.deque(maxlen=max(1, int(preroll_s * RATE / CHUNK)) +
                                         self.min_speech)
        self.max_chunks = int(max_utterance_s * RATE / CHUNK)
        # not before the silence tail is complete: the provisional audio must equal the final's
        self.speculate = max(TAIL_CHUNKS, int(round(speculate_s * RATE / CHUNK))) \
            if speculate_s > 0 else 0
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
        """`chunk` starts at stream time `t`. Returns an Utterance when one has just ended, or a
        provisional one when a pause has just reached `speculate_s`."""
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
        if self.speculate and self.silence_run == self.speculate:
            return self._utterance(provisional=True)
        return None

    def _utterance(self, provisional: bool = False) -> Utterance:
        keep = len(self.chunks) - self.silence_run + min(self.silence_run, TAIL_CHUNKS)
        pcm = np.concatenate(self.chunks[:max(1, keep)])
        utt = Utterance(self.start_t, self.last_speech_t, pcm, self.overlap,
                        provisional=provisional)
        from omnilive.audio.pcm import rms_db
        utt.peak_db = max(rms_db(pcm[i:i + CHUNK * 4]) for i in range(0, len(pcm), CHUNK * 4))
        return utt

    def _finish(self) -> Utterance:
        utt = self._utterance()
        self.reset()
        return utt
