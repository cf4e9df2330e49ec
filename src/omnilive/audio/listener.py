"""The audio path of perception, as plain Python: stream clock, VAD endpointing, the robot's own
voice gate, barge-in, sound events (YAMNet, sliding window, debounced) and utterance vetting.

Fast work happens in `push()` (VAD, sound events); utterances come out raw and are transcribed
by `transcribe()`, which the node runs on another thread so VAD never waits for Whisper.
With `speculate_s` set, `push()` also hands out provisional utterances when a pause begins;
transcribing one keeps its result, and the final utterance with the same audio (no more speech
came before the hangover ended) reuses it instead of waiting for Whisper again.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from omnilive.audio import transcript
from omnilive.audio.endpointing import CHUNK, RATE, Endpointer, Utterance
from omnilive.audio.pcm import rms_db
from omnilive.audio.queries import QueryDetector
from omnilive.audio.sound_events import (  # noqa: F401 (NOT_EVENTS: re-exported)
    NOT_EVENTS, SPEECH_CLASSES, Calibration, SoundEvent, SoundEventDetector)

class SampleClock:
    """Stream time of audio chunks: the message stamp when there is one, else a clock kept from
    the sample count and anchored at the first chunk's receive time, so bursty delivery does not
    shift audio against video. When the stream stops for longer than `max_gap_s` (a driver
    restart), the clock re-anchors at the next chunk."""

    def __init__(self, max_gap_s: float = 3.0):
        self.anchor: Optional[float] = None
        self.seconds = 0.0
        self.max_gap_s = max_gap_s

    def start_of(self, n_samples: int, rate: int, receive_time: float,
                 stamp: Optional[float] = None) -> float:
        if stamp:
            return stamp
        if self.anchor is None or receive_time - (self.anchor + self.seconds) > self.max_gap_s:
            self.anchor, self.seconds = receive_time, 0.0
        t = self.anchor + self.seconds
        self.seconds += n_samples / rate
        return t


@dataclasses.dataclass
class HeardUtterance:
    start: float
    end: float
    text: str
    language: str
    confidence: float
    kind: str               # 'query', 'note' or 'speech'
    reason: str


@dataclasses.dataclass
class ListenerConfig:
    vad_threshold: float = 0.5
    min_speech_s: float = 0.25
    hangover_s: float = 0.6
    preroll_s: float = 0.3
    max_utterance_s: float = 20.0
    self_voice_tail_s: float = 0.6      # the robot's voice echoes on after `speaking` goes false
    self_voice_margin_db: float = 10.0  # user speech must be this much louder than the robot's
    sound_threshold: float = 0.1        # lowest score any class fires at (calibrated above)
    sound_hop_s: float = 0.48
    sound_release_s: float = 1.0
    sound_refractory_s: float = 3.0
    min_speech_score: float = 0.2       # YAMNet speech score an utterance needs to be transcribed
    # pause after which transcription starts (0: at the endpoint)
    speculate_s: float = 0.0


class Listener:
    def __init__(self, vad, sound_classifier, config: Optional[ListenerConfig] = None,
                 calibration: Optional[Calibration] = None):
        """`calibration`: sound-event thresholds (default: models/data/sound_events.json)."""
        self.cfg = config or ListenerConfig()
        self.vad = vad
        self.sounds = sound_classifier
        self.endpointer = Endpointer(self.cfg.vad_threshold, self.cfg.min_speech_s,
                                     self.cfg.hangover_s, self.cfg.preroll_s,
                                     self.cfg.max_utterance_s, self.cfg.speculate_s)
        self._speculation: Optional[tuple] = None   # (utterance key, its recognition)
        self._pending = np.zeros(0, np.float32)
        self._pending_t = 0.0
        self.detector = SoundEventDetector(sound_classifier, self.cfg, calibration)
        self._speaking_until = -1.0
        self.robot_voice_db = -120.0
        self._speech_labels = [sound_classifier.labels.index(c) for c in SPEECH_CLASSES
                               if c in sound_classifier.labels]
        self.counters = {'chunks': 0, 'utterances': 0, 'self_voice_dropped': 0,
                         'not_speech_dropped': 0, 'sound_events': 0, 'barge_ins': 0,
                         'speculative': 0, 'speculative_used': 0}

    def robot_speaking(self, speaking: bool, now: float) -> None:
        """Report the `speaking` topic; the gate stays closed for a tail after it ends."""
        if speaking:
            self._speaking_until = float('inf')
        elif self._speaking_until == float('inf'):
            self._speaking_until = now + self.cfg.self_voice_tail_s

    def _robot_voice_at(self, t: float) -> bool:
        return t <= self._speaking_until

    def push(self, pcm: np.ndarray, t: float) -> tuple[list[Utterance], list[SoundEvent], bool]:
        """Feed float32 16 kHz audio starting at stream time `t`.
        Returns (finished raw utterances, finished sound events, barge-in now); with
        `speculate_s` set the utterances include provisional ones (`utt.provisional`)."""
        if not self._pending.size:
            self._pending_t = t
        self._pending = np.concatenate([self._pending, pcm])
        utterances, barge_in = [], False
        while self._pending.size >= CHUNK:
            chunk, self._pending = self._pending[:CHUNK], self._pending[CHUNK:]
            ct = self._pending_t
            self._pending_t += CHUNK / RATE
            self.counters['chunks'] += 1
            robot = self._robot_voice_at(ct)
            prob = self.vad.speech_prob(chunk)
            level = rms_db(chunk)
            if robot and prob >= self.cfg.vad_threshold:  # learn how loud our own voice is here
                self.robot_voice_db = max(self.robot_voice_db - 0.05, level)
            was_active = self.endpointer.active
            utt = self.endpointer.push(chunk, ct, prob, robot)
            if not was_active and self.endpointer.active and robot and \
                    level >= self.robot_voice_db + self.cfg.self_voice_margin_db:
                barge_in = True
                self.counters['barge_ins'] += 1
            if utt is not None:
                if utt.during_robot_speech and \
                        utt.peak_db < self.robot_voice_db + self.cfg.self_voice_margin_db:
                    if not utt.provisional:
                        self.counters['self_voice_dropped'] += 1
                else:
                    utterances.append(utt)
            self.detector.push(chunk, ct)
        return utterances, self._finished_sounds(self._pending_t), barge_in

    # ------------------------------------------------------------------ sound events
    def _finished_sounds(self, now: float) -> list[SoundEvent]:
        events = self.detector.finished(now)
        self.counters['sound_events'] += len(events)
        return events

    def flush(self) -> tuple[list[Utterance], list[SoundEvent]]:
        """End of stream: close an open utterance and pending sound events."""
        utts = []
        if self.endpointer.active:
            utts.append(self.endpointer._finish())
        return utts, self._finished_sounds(float('inf'))

    # ------------------------------------------------------------------ utterances
    def speech_score(self, pcm: np.ndarray) -> tuple[float, str]:
        """How much YAMNet hears speech in the utterance, and its top class."""
        frames = self.sounds.frame_scores(pcm)
        speech = float(frames[:, self._speech_labels].max(axis=1).mean())
        top = self.sounds.labels[int(frames.mean(axis=0).argmax())]
        return speech, top

    def transcribe(self, utt: Utterance, transcriber, queries: QueryDetector,
                   language: Optional[str] = None) -> Optional[HeardUtterance]:
        """Vet (is it speech at all?) and transcribe one utterance; None when dropped.
        A provisional utterance is recognised and kept for its final one; it returns None."""
        if utt.provisional:
            self.counters['speculative'] += 1
            self._speculation = (utt.key, self._recognize(utt, transcriber, queries, language))
            return None
        if self._speculation is not None and self._speculation[0] == utt.key:
            heard = self._speculation[1]
            self.counters['speculative_used'] += 1
        else:
            heard = self._recognize(utt, transcriber, queries, language)
        self._speculation = None
        self.counters['utterances' if heard is not None else 'not_speech_dropped'] += 1
        return heard

    def speculation_of(self, utt: Utterance) -> Optional[HeardUtterance]:
        """The recognition kept for this utterance's audio (a provisional one just transcribed),
        None when none is kept or it was not speech."""
        if self._speculation is not None and self._speculation[0] == utt.key:
            return self._speculation[1]
        return None

    def speculation_ready(self, utt: Utterance) -> bool:
        """Whether this final utterance's transcript is already known from its provisional one."""
        return self._speculation is not None and self._speculation[0] == utt.key

    def _recognize(self, utt: Utterance, transcriber, queries: QueryDetector,
                   language: Optional[str]) -> Optional[HeardUtterance]:
        speech, top = self.speech_score(utt.pcm)
        if speech < self.cfg.min_speech_score:
            return None  # a phone ring or music the VAD let through
        result = transcriber.transcribe(utt.pcm, language=language or None,
                                        initial_prompt=transcript.prompt(queries.wake))
        if not result.text or result.confidence < 0.2:
            return None
        text = transcript.normalise(result.text)
        decision = queries.classify(text)
        return HeardUtterance(utt.start, utt.end, text, result.language,
                              result.confidence, decision.kind, decision.reason)
