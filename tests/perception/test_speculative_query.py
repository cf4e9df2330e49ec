"""The speculative query: a question transcribed in the end-of-speech pause, before the endpoint
(omnilive.audio.speculative), with the real VAD, YAMNet and Whisper on synthesized speech."""
import types

import numpy as np
import pytest

from omnilive.audio.endpointing import CHUNK, RATE
from omnilive.audio.hearing import Hearing
from omnilive.audio.listener import HeardUtterance, Listener, ListenerConfig
from omnilive.audio.speculative import speculative_query
from omnilive.util.diagnostics import Counters, Perception as K
from omnilive.util.timing import StageTimer

pytestmark = pytest.mark.models


@pytest.fixture(scope='module')
def hearing_parts():
    from omnilive.models.asr import Transcriber
    from omnilive.models.sound import SoundClassifier
    from omnilive.models.vad import VoiceActivityDetector
    return VoiceActivityDetector(), SoundClassifier(), Transcriber(threads=2)


def hearing(parts, speculate_s=0.2, on=True) -> Hearing:
    vad, sounds, transcriber = parts
    listener = Listener(vad, sounds, ListenerConfig(speculate_s=speculate_s))
    settings = types.SimpleNamespace(speculative_queries=on, wake_word='', lossless=True,
                                     asr=types.SimpleNamespace(language='en'))
    return Hearing(listener, transcriber, None, Counters(K), StageTimer(), settings)


def utterances(h: Hearing, pcm: np.ndarray) -> list:
    """The listener's utterances (provisional and final) for `pcm`, in order."""
    out = []
    for i in range(0, len(pcm) - CHUNK + 1, CHUNK):
        found, _, _ = h.listener.push(pcm[i:i + CHUNK], 100.0 + i / RATE)
        out += found
    return out


def said(text: str) -> np.ndarray:
    from omnilive.bags import media
    silence = np.zeros(RATE, np.float32)
    return np.concatenate([silence, media.speak(text), silence])


def test_a_question_is_heard_before_its_endpoint_with_the_final_text(hearing_parts):
    h = hearing(hearing_parts)
    utts = utterances(h, said('How many cups did you see on the table?'))
    assert [u.provisional for u in utts][-2:] == [True, False]
    provisional, final = utts[-2], utts[-1]
    assert h.transcribe(provisional) is None       # kept for the final one, not published
    query = h.speculative_query(provisional)
    assert query is not None and 'cups' in query.text.lower()
    assert query.end == pytest.approx(final.end)   # the final goal's asked_at
    heard = h.transcribe(final)                     # the final reuses the speculation
    assert heard.kind == 'query' and heard.text == query.text
    assert h.listener.counters['speculative_used'] == 1
    assert h.speculative_query(final) is None       # its Ask goal is the real question


def test_no_speculative_query_for_statements_or_when_off(hearing_parts):
    h = hearing(hearing_parts)
    utts = utterances(h, said('The meeting moved to three this afternoon.'))
    provisional = [u for u in utts if u.provisional][-1]
    h.transcribe(provisional)
    assert h.listener.speculation_of(provisional) is not None   # transcribed: speech
    assert h.speculative_query(provisional) is None

    off = hearing(hearing_parts, on=False)
    utts = utterances(off, said('What did you see in the kitchen?'))
    provisional = [u for u in utts if u.provisional][-1]
    off.transcribe(provisional)
    assert off.listener.speculation_of(provisional).kind == 'query'
    assert off.speculative_query(provisional) is None


def test_only_a_transcribed_provisional_question_gives_a_query():
    utt = types.SimpleNamespace(provisional=True)
    heard = HeardUtterance(1.0, 2.5, 'Where are my keys?', 'en', 0.9, 'query', '')
    assert speculative_query(utt, heard).text == 'Where are my keys?'
    assert speculative_query(types.SimpleNamespace(provisional=False), heard) is None
    assert speculative_query(utt, None) is None
    note = HeardUtterance(1.0, 2.5, 'Remember that the keys are in the drawer', 'en', 0.9,
                          'note', '')
    assert speculative_query(utt, note) is None
