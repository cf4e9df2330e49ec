"""The Speaker's queue survives a sentence the synthesizer cannot voice (espeak under load once
returned without writing its file, which ended the speaker thread and every later answer)."""
import threading

import numpy as np

from omnilive.speech.speaker import Speaker


class Flaky:
    """A synthesizer that fails on the sentences it is told to, and voices the others."""

    def __init__(self, failing: set[str]):
        self.failing = failing
        self.calls: list[str] = []

    def synthesize(self, text: str):
        self.calls.append(text)
        if text in self.failing:
            raise RuntimeError('espeak did not finish writing the file (no audio)')
        return np.full(1600, 1000, np.int16), 16000


def test_a_sentence_that_fails_to_synthesize_is_dropped_and_the_next_is_spoken():
    synth = Flaky({'Broken sentence.'})
    chunks, done = [], threading.Event()
    speaker = Speaker(synth, on_chunk=chunks.append,
                      on_speaking=lambda on: done.set() if not on else None,
                      chunk_s=0.05, play=False)
    try:
        speaker.say('Broken sentence.')
        speaker.say('I saw a cup.')
        assert done.wait(10)
        assert synth.calls == ['Broken sentence.', 'Broken sentence.', 'I saw a cup.']
        assert speaker.counters['synth_failures'] == 1
        assert speaker.counters['sentences'] == 1 and chunks
        assert speaker._thread.is_alive()
    finally:
        speaker.close()
