"""Audio logic without ROS or models: query classification, PCM decoding, downmix, resampling."""
import numpy as np
import pytest

from omnilive.audio import pcm
from omnilive.audio.queries import QueryDetector

QUERIES = ["Tell me what you saw", "describe the room", "where are my keys?",
           "Where did I leave my keys", "what did you see in the kitchen",
           "please list everything on the table", "who was at the door this morning",
           "Did you see my phone?"]
NOT_QUERIES = ["I went to the shop yesterday", "nice weather today",
               "Are you coming to dinner with us tonight?", "the meeting moved to three", ""]


@pytest.mark.parametrize('text', QUERIES)
def test_questions_and_imperatives_are_queries(text):
    assert QueryDetector().is_query(text), QueryDetector().classify(text)


@pytest.mark.parametrize('text', NOT_QUERIES)
def test_statements_and_chat_are_not_queries(text):
    assert not QueryDetector().is_query(text), QueryDetector().classify(text)


def test_remember_becomes_a_note_and_wake_word_gates():
    d = QueryDetector().classify("Remember that the keys are in the drawer.")
    assert d.kind == 'note' and QueryDetector.note_text(d) == 'the keys are in the drawer'
    woke = QueryDetector(wake_word='robot')
    assert woke.classify('where are my keys').kind == 'speech'
    assert woke.classify('Robot, where are my keys').kind == 'query'


def test_decode_downmix_and_resample():
    stereo = np.array([[1000, 3000], [-2000, 0]], dtype='<i2').tobytes()
    mono = pcm.decode(stereo, 'S16LE', channels=2)
    assert mono.shape == (2,) and np.allclose(mono, [2000 / 32768, -1000 / 32768], atol=1e-4)
    f32 = pcm.decode(np.array([0.5, -0.25], dtype='<f4').tobytes(), 'F32LE', 1)
    assert np.allclose(f32, [0.5, -0.25])
    tone = np.sin(2 * np.pi * 440 * np.arange(48000) / 48000).astype(np.float32)
    out = pcm.resample(tone, 48000, 16000)
    assert len(out) == 16000
    peak = np.argmax(np.abs(np.fft.rfft(out)))
    assert abs(peak - 440) <= 1
    with pytest.raises(ValueError):
        pcm.decode(b'\x00\x01\x02', 'S16LE', 1)


def test_endpointer_keeps_preroll_and_ends_after_hangover():
    from omnilive.audio.endpointing import CHUNK, RATE, Endpointer
    ep = Endpointer(min_speech_s=2 * CHUNK / RATE, hangover_s=4 * CHUNK / RATE,
                    preroll_s=3 * CHUNK / RATE)
    probs = [0.0] * 5 + [0.9] * 10 + [0.1] * 3 + [0.9] * 2 + [0.0] * 10
    done = []
    for i, p in enumerate(probs):
        u = ep.push(np.full(CHUNK, i, np.float32), i * CHUNK / RATE, p, robot_speaking=False)
        if u is not None:
            done.append((i, u))
    assert len(done) == 1  # a 3-chunk pause is shorter than the hangover: one utterance
    i, u = done[0]
    assert i == 20 + 4 - 1                       # ended after 4 silent chunks
    assert u.start == pytest.approx(2 * CHUNK / RATE)  # pre-roll: 3 chunks before the speech run
    assert u.end == pytest.approx(20 * CHUNK / RATE)
    assert not u.during_robot_speech


def test_endpointer_speculates_in_pauses_with_the_final_audio():
    from omnilive.audio.endpointing import CHUNK, RATE, Endpointer
    ep = Endpointer(min_speech_s=2 * CHUNK / RATE, hangover_s=6 * CHUNK / RATE,
                    preroll_s=2 * CHUNK / RATE, speculate_s=3 * CHUNK / RATE)
    # speech, a pause shorter than the hangover (speculated, then superseded), speech, the end
    probs = [0.0] * 3 + [0.9] * 8 + [0.1] * 4 + [0.9] * 4 + [0.0] * 8
    out = []
    for i, p in enumerate(probs):
        u = ep.push(np.full(CHUNK, i, np.float32), i * CHUNK / RATE, p)
        if u is not None:
            out.append((i, u))
    provisional = [u for _, u in out if u.provisional]
    final = [u for _, u in out if not u.provisional]
    assert [i for i, u in out if u.provisional] == [13, 21]   # 3 chunks into each pause
    assert len(final) == 1 and out[-1][0] == 19 + 6 - 1
    assert provisional[0].key != final[0].key                 # speech came back: superseded
    assert provisional[1].key == final[0].key                 # no more speech: the same audio
    assert np.array_equal(provisional[1].pcm, final[0].pcm)
