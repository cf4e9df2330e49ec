"""Spoken numbers and the wake word through the packaged Whisper base, decoded as perception
decodes them (omnilive.audio.transcript: the wake word as the prompt, numbers normalised): a slice
of the benchmark's scripts (bench/asr.py; the full figures are in docs/benchmarks.md), spoken by
espeak-ng. References are the scripts as written."""
import jiwer
import pytest

from omnilive.audio import transcript
from omnilive.audio.queries import QueryDetector
from omnilive.bags import media
from omnilive.bench.asr import NUMBERS_TIMES, WAKE_QUESTIONS, WAKE_WORD, compared

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


def test_the_wake_word_is_heard(whisper):
    detector = QueryDetector(WAKE_WORD)
    for question in WAKE_QUESTIONS[:4]:
        heard = whisper.transcribe(media.speak(f'{WAKE_WORD.capitalize()}, {question}',
                                               'en-us+m3'),
                                   initial_prompt=transcript.prompt(WAKE_WORD)).text
        assert detector.classify(heard).kind == 'query', heard
