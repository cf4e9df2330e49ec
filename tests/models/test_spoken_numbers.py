"""Spoken numbers and the wake word through the packaged Whisper base, decoded as perception
decodes them (omnilive.audio.transcript: the wake word as the prompt, numbers normalised): a slice
of the benchmark's scripts (bench/asr.py; the full figures are in docs/benchmarks.md), spoken by
espeak-ng and by a Piper neural voice. References are the scripts as written."""
import jiwer
import numpy as np
import pytest

from omnilive.audio import transcript
from omnilive.audio.queries import QueryDetector
from omnilive.bags import media
from omnilive.bench.asr import (NATURAL_VOICES, NUMBERS_TIMES, NUMBERS_TIMES_HELD_OUT,
                                WAKE_QUESTIONS, WAKE_WORD, compared)

pytestmark = pytest.mark.models


@pytest.fixture(scope='module')
def whisper():
    from omnilive.models.asr import Transcriber
    return Transcriber(threads=2)


def test_clock_times_and_codes_within_ten_percent_wer(whisper):
    lines = NUMBERS_TIMES[:6]
    hyps = [transcript.normalise(whisper.transcribe(media.speak(line)).text) for line in lines]
    wer = jiwer.wer([compared(line) for line in lines], [compared(h) for h in hyps])
    assert wer <= 0.10, list(zip(lines, hyps))


def test_held_out_times_in_a_neural_voice_within_ten_percent_wer(whisper):
    # lines the decoding was never chosen on, in a voice closer to a person's than espeak-ng
    voice, rate = NATURAL_VOICES[0]
    lines = NUMBERS_TIMES_HELD_OUT[:6]
    hyps = [transcript.normalise(whisper.transcribe(media.speak(line, voice, rate),
                                                    initial_prompt=transcript.prompt(WAKE_WORD)
                                                    ).text) for line in lines]
    wer = jiwer.wer([compared(line) for line in lines], [compared(h) for h in hyps])
    assert wer <= 0.10, list(zip(lines, hyps))


def test_the_wake_word_is_heard(whisper):
    detector = QueryDetector(WAKE_WORD)
    for question in WAKE_QUESTIONS[:4]:
        heard = whisper.transcribe(media.speak(f'{WAKE_WORD.capitalize()}, {question}',
                                               'en-us+m3'),
                                   initial_prompt=transcript.prompt(WAKE_WORD)).text
        assert detector.classify(heard).kind == 'query', heard


def test_a_neural_voice_says_a_line_the_same_way_each_time():
    # no sampling noise in the synthesis, so WER figures do not move between runs
    line = 'Gate 17 opens at 6:25 am.'
    first, again = media.speak(line, 'piper:joe', 160), media.speak(line, 'piper:joe', 160)
    faster = media.speak(line, 'piper:joe', 200)
    assert first.dtype == np.float32 and np.array_equal(first, again)
    assert 1.0 < len(first) / 16000 < 5.0 and len(faster) < 0.9 * len(first)
    with pytest.raises(ValueError, match='unknown Piper voice'):
        media.speak(line, 'piper:nobody')
