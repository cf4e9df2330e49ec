"""AudioInput: the format from the parameters until AudioInfo, changes reported once, an
unusable AudioInfo refuses audio until a usable one arrives."""
import numpy as np
import pytest

from omnilive.audio.pcm import AudioFormatError
from omnilive.audio.input import AudioInput


def test_bad_default_format_fails_at_start():
    with pytest.raises(AudioFormatError):
        AudioInput(('S24LE', 16000, 1))


def test_audio_info_changes_are_reported_once():
    audio = AudioInput(('S16LE', 16000, 1))
    assert audio.set_info('F32LE', 48000, 2, 'wave') is True
    assert audio.set_info('F32LE', 48000, 2, 'wave') is False     # repeated: no change
    assert audio.format == ('F32LE', 48000, 2)
    assert audio.set_info('S16LE', 16000, 1) is True


def test_unusable_audio_info_refuses_audio_until_a_usable_one():
    audio = AudioInput(('S16LE', 16000, 1))
    with pytest.raises(AudioFormatError):
        audio.set_info('MP3', 16000, 1)
    with pytest.raises(AudioFormatError, match='AudioInfo says'):
        audio.decode(bytes(640), received=1.0)
    assert audio.set_info('S16LE', 16000, 1) is True    # same format as before: still a change
    pcm, t = audio.decode(bytes(640), received=1.0)
    assert pcm.shape == (320,) and t == 1.0


def test_decode_resamples_and_keeps_the_sample_clock():
    audio = AudioInput(('S16LE', 16000, 1))
    audio.set_info('S16LE', 48000, 2)
    chunk = np.zeros(960 * 2, '<i2').tobytes()          # 20 ms of 48 kHz stereo
    pcm, t0 = audio.decode(chunk, received=100.0)
    _, t1 = audio.decode(chunk, received=100.5)          # late delivery: the clock counts samples
    assert pcm.shape == (320,) and t0 == 100.0 and abs(t1 - 100.02) < 1e-9
    _, stamped = audio.decode(chunk, received=101.0, stamp=55.0)
    assert stamped == 55.0
    with pytest.raises(AudioFormatError):
        audio.decode(bytes(3), received=102.0)           # not whole frames
