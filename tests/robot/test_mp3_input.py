"""mp3 (audio_capture's default coding) decoded by FFmpeg through PyAV, however the stream is
cut into messages; the format from AudioInfo or, without one, from the parameters."""
import numpy as np
import pytest

from omnilive.audio.input import AudioInput
from omnilive.audio.pcm import AudioFormatError, StreamDecoder, check_format
from tests.robot.mp3 import encode_mp3, librivox

CLIP = 'sense_and_sensibility_01_austen_64kb-0880'


@pytest.fixture(scope='module')
def speech():
    audio, _ = librivox(CLIP)
    return audio, encode_mp3(audio)


def aligned_correlation(decoded: np.ndarray, original: np.ndarray) -> float:
    """Correlation after removing the codec's delay (encoder padding, a few frames at most)."""
    n = len(original) - 4000
    delay = max(range(0, 4000, 1), key=lambda k: float(np.dot(decoded[k:k + n], original[:n])))
    return float(np.corrcoef(decoded[delay:delay + n], original[:n])[0, 1])


def test_mp3_frames_decode_to_the_speech(speech):
    audio, frames = speech
    decoder = StreamDecoder('mp3')
    out = np.concatenate([decoder.decode(f) for f in frames])
    assert out.dtype == np.float32 and abs(len(out) - len(audio)) < 0.15 * 16000
    assert aligned_correlation(out, audio) > 0.98


def test_mp3_cut_anywhere_decodes_the_same(speech):
    _, frames = speech
    one = StreamDecoder()
    whole = np.concatenate([one.decode(f) for f in frames])
    blob, rng = b''.join(frames), np.random.default_rng(7)
    cuts = np.sort(rng.choice(np.arange(1, len(blob)), 200, replace=False))
    decoder = StreamDecoder()
    parts = [decoder.decode(blob[a:b]) for a, b in zip([0, *cuts], [*cuts, len(blob)])]
    out = np.concatenate(parts)
    n = min(len(out), len(whole))
    assert n > len(whole) - 1200 and np.allclose(out[:n], whole[:n], atol=1e-6)


def test_garbage_is_no_audio_and_the_stream_recovers(speech):
    audio, frames = speech
    decoder = StreamDecoder()
    noise = np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    try:
        junk = decoder.decode(noise)
        assert len(junk) < 0.2 * 16000   # the parser finds (almost) no frame in it
    except AudioFormatError:
        pass                             # or refuses it: a counted drop upstream
    out, refused = [], 0
    for f in frames:
        try:
            out.append(decoder.decode(f))
        except AudioFormatError:
            refused += 1                 # the frame the junk ran into: a counted drop upstream
    assert refused <= 2
    assert aligned_correlation(np.concatenate(out), audio) > 0.9


def test_coding_from_audio_info_or_parameters(speech):
    audio, frames = speech
    by_info = AudioInput(('S16LE', 16000, 1))                 # parameters say raw PCM
    assert by_info.set_info('S16LE', 16000, 1, 'mp3') is True
    assert by_info.coding == 'mp3' and by_info.format == ('S16LE', 16000, 1)
    by_param = AudioInput(('S16LE', 16000, 1, 'mp3'))         # no AudioInfo ever comes
    for source in (by_info, by_param):
        chunks = [source.decode(f, received=10.0 + 0.036 * i) for i, f in enumerate(frames)]
        pcm = np.concatenate([c for c, _ in chunks])
        assert aligned_correlation(pcm, audio) > 0.98
        starts = [t for c, t in chunks if len(c)]
        assert starts[0] == 10.0 and abs(starts[-1] - (10.0 + (len(pcm) - len(chunks[-1][0]))
                                                        / 16000)) < 1e-6
    assert by_info.set_info('S16LE', 16000, 1, 'wave') is True   # back to raw PCM
    pcm, _ = by_info.decode(bytes(640), received=20.0)
    assert pcm.shape == (320,)


def test_unknown_codings_are_refused():
    for coding in ('opus', 'flac', 'aac'):
        with pytest.raises(AudioFormatError, match='not supported'):
            check_format('S16LE', 16000, 1, coding)
    with pytest.raises(AudioFormatError):
        AudioInput(('S16LE', 16000, 1, 'ogg'))
