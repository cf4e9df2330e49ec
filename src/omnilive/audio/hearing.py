"""Perception's hearing, without ROS: audio messages in; utterances queued for Whisper, sound
events and transcripts out, counted on /diagnostics in the order the evaluation's pacing reads
them (omnilive.util.diagnostics: `audio_processed` last, after what the message produced)."""
from __future__ import annotations

import queue
import time
from typing import Callable, Optional

from omnilive.audio import pcm as pcmlib
from omnilive.audio.queries import QUESTIONS, QueryDetector
from omnilive.audio.speculative import SpeculativeQuery, speculative_query
from omnilive.memory.types import SOUND, SPEECH, Label, MemoryItem, new_id
from omnilive.audio.input import AudioInput
from omnilive.util.diagnostics import Counters, Perception as K
from omnilive.util.timing import StageTimer
from omnilive.vision.categories import synset_of_sound


class Hearing:
    def __init__(self, listener, transcriber, audio_in: AudioInput, counters: Counters,
                 timer: StageTimer, settings, queue_depth: int = 8):
        """`settings`: perception's config (lossless, asr.language), read on every message."""
        self.listener, self.transcriber, self.audio_in = listener, transcriber, audio_in
        self.counters, self.timer, self.settings = counters, timer, settings
        self.utterances: queue.Queue = queue.Queue(maxsize=queue_depth)  # for the ASR worker
        self.queries = QueryDetector(settings.wake_word)

    def hear(self, data: bytes, received: float, stamp: Optional[float],
             on_sound: Callable, on_barge_in: Callable[[], None]) -> None:
        """One audio message: VAD and endpointing (utterances queued for transcribe()), sound
        events (to `on_sound`), barge-in. AudioFormatError for audio that cannot be decoded."""
        t0 = time.perf_counter()
        audio, t = self.audio_in.decode(data, received, stamp)
        utterances, sounds, barge_in = self.listener.push(audio, t)
        if barge_in:
            on_barge_in()
        for utt in utterances:
            utt.endpointed_at = time.time()  # wall clock: latency figures across processes
            if utt.provisional:  # speculation only when Whisper is idle: never delays a final one
                if self.counters.get(K.ASR_PENDING) == 0 and self._queue(utt, wait=False):
                    self.counters.add(K.ASR_PENDING)
            elif self._queue(utt, wait=self.settings.lossless):
                self.counters.add(K.ASR_PENDING)  # queued or being transcribed
            else:
                self.counters.add(K.UTTERANCES_DROPPED)
        for event in sounds:
            on_sound(event)
        # counted last: whoever sees this count also sees the utterances and events it produced
        self.counters.add(K.AUDIO_PROCESSED)
        self.counters.set(K.AUDIO_UNTIL, round(t + len(audio) / pcmlib.TARGET_RATE, 3))
        self.timer.add('audio', time.perf_counter() - t0)

    def _queue(self, utt, wait: bool) -> bool:
        try:
            self.utterances.put(utt, block=wait, timeout=60)
            return True
        except queue.Full:
            return False

    def transcribe(self, utt):
        """The HeardUtterance of a final utterance (kind: query, note or speech), None for a
        provisional one (kept for its final) or one that is not speech."""
        t0 = time.perf_counter()
        speculated = self.listener.speculation_ready(utt)
        heard = self.listener.transcribe(utt, self.transcriber, self.queries,
                                         self.settings.asr.language or None)
        self.timer.add('asr_speculative' if utt.provisional else 'asr', time.perf_counter() - t0)
        if utt.provisional:
            return None
        # the stages of the last utterance, wall clock (the benchmark's latency breakdown)
        self.counters.set(K.LAST_ENDPOINTED_AT, round(utt.endpointed_at, 4))
        self.counters.set(K.LAST_TRANSCRIBED_AT, round(time.time(), 4))
        self.counters.set(K.LAST_SPECULATIVE, 'hit' if speculated else 'miss')
        self.counters.set(K.ASR_FALLBACKS, self.transcriber.fallbacks)
        if heard is not None:
            # who it is for, read with the utterance before it (a conversation between people)
            decision = self.queries.in_context(heard.text, heard.start, heard.end)
            heard.kind, heard.reason = decision.kind, decision.reason
            self.counters.set(K.LAST_TEXT, heard.text)
        return heard

    def speculative_query(self, utt) -> Optional[SpeculativeQuery]:
        """After transcribe() of a provisional utterance: the question heard so far (to publish
        before the endpoint), None when speculation is off or it is not a question."""
        if not self.settings.speculative_queries:
            return None
        return speculative_query(utt, self.listener.speculation_of(utt))

    def note_text(self, heard) -> str:
        """What a "remember that ..." utterance asks to remember."""
        return QueryDetector.note_text(self.queries.classify(heard.text)) or heard.text


def sound_item(event, pose=None) -> MemoryItem:
    """A sound event; its main label carries how loud it was (`level_db`, dBFS, and
    `above_room_db`, over the room's noise floor) when the detector measured it. Each label
    carries the synset of what made the sound when its class names one (a moo: cattle.n.01)."""
    level = {}
    if event.level_db is not None:
        level['level_db'] = round(event.level_db, 1)
        if event.room_db is not None:
            level['above_room_db'] = round(event.level_db - event.room_db, 1)
    labels = [Label(SOUND, name, 1, synset=synset_of_sound(name) or '',
                    attributes=level if i == 0 else {})
              for i, name in enumerate([event.label] + event.also)]
    return MemoryItem(id=new_id('sound'), kind='sound', start=event.start, end=event.end,
                      text=f'heard {event.label.lower()}', labels=labels, score=event.score,
                      pose=pose)


def speech_item(heard, uid: str, pose=None) -> MemoryItem:
    """What was said, kept whoever it was for. Its one speech label carries who it was for:
    attributes `to_robot` (a question or instruction to the robot: not evidence of what it
    asks about), `question` and `addressee_reason` (QueryDecision.reason)."""
    said = Label(SPEECH, heard.text[:500], 1, attributes={
        'to_robot': heard.kind == 'query', 'addressee_reason': heard.reason,
        'question': heard.text.rstrip().endswith('?') or heard.reason.startswith(QUESTIONS)})
    return MemoryItem(id=f'speech-{uid}', kind='speech', start=heard.start, end=heard.end,
                      text=heard.text, labels=[said], score=heard.confidence, pose=pose)


def unsaved_note_item(text: str, stamp: float) -> MemoryItem:
    """A note memory/remember did not take, stored as speech instead (never lost)."""
    return MemoryItem(id=new_id('speech'), kind='speech', start=stamp, end=stamp,
                      text=f'remember that {text}')
