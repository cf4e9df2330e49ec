"""The audio Whisper gets (omnilive.models.asr.front_end): quiet ends trimmed, level, leading
silence; the decoding settings a profile can name are checked when the Transcriber is built."""
import numpy as np
import pytest

from omnilive.models.asr import TRIM_DB, front_end

RATE = 16000


def tone(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def quiet(seconds: float, level: float = 0.0) -> np.ndarray:
    return np.random.default_rng(0).normal(0, level, int(seconds * RATE)).astype(np.float32)


def test_trim_keeps_the_speech_and_at_most_the_asked_quiet_around_it():
    speech = tone(1.0, 0.5)
    # 0.3 s of pre-roll room noise 50 dB under the speech, 0.2 s of tail
    audio = np.concatenate([quiet(0.3, 0.5 * 10 ** (-50 / 20)), speech, quiet(0.2)])
    out = front_end(audio, trim_s=0.05)
    assert abs(out.size / RATE - 1.1) < 0.02
    assert np.abs(out).max() == pytest.approx(0.5, rel=1e-3)
    assert front_end(audio).size == audio.size  # 0: untouched


def test_trim_keeps_a_soft_onset_above_its_threshold():
    soft = tone(0.2, 0.5 * 10 ** (-(TRIM_DB - 10) / 20))  # 30 dB under the peak: speech
    audio = np.concatenate([quiet(0.3), soft, tone(1.0, 0.5)])
    assert abs(front_end(audio, trim_s=0.05).size / RATE - 1.25) < 0.02


def test_level_and_lead():
    audio = tone(0.5, 0.05)
    out = front_end(audio, peak_db=-6.0, lead_s=0.25)
    assert out.dtype == np.float32
    assert out.size == audio.size + RATE // 4 and not out[:RATE // 4].any()
    assert np.abs(out).max() == pytest.approx(10 ** (-6 / 20), rel=1e-3)
    silent = np.zeros(RATE, np.float32)
    assert not front_end(silent, peak_db=-3.0).any()  # digital silence is not amplified
