"""Property-based: whatever bytes and format a microphone driver claims, pcm.decode returns finite
mono float32 in [-1, 1] of the right length or raises AudioFormatError (which perception counts
as a drop), and pcm.resample keeps the signal finite, bounded and of the right length."""
from math import ceil, gcd

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omnilive.audio.pcm import FORMATS, TARGET_RATE, AudioFormatError, decode, resample, to_int16

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
FORMAT_NAMES = sorted(FORMATS) + [f.lower() for f in FORMATS] + ['S24LE', 'MP3', '', 'F64LE']
RATES = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000]


def frame_bytes(fmt: str, channels: int) -> int:
    return np.dtype(FORMATS[fmt.upper()][0]).itemsize * channels


@SETTINGS
@given(data=st.binary(max_size=4096), fmt=st.sampled_from(FORMAT_NAMES),
       channels=st.integers(-1, 8))
def test_any_bytes_decode_to_bounded_mono_or_a_format_error(data, fmt, channels):
    try:
        audio = decode(data, fmt, channels)
    except AudioFormatError:
        assert fmt.upper() not in FORMATS or channels < 1 or \
            len(data) % frame_bytes(fmt, channels)
        return
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == len(data) // frame_bytes(fmt, channels)
    assert np.all(np.isfinite(audio)) and np.all(np.abs(audio) <= 1.0)


@SETTINGS
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), min_size=1,
                       max_size=400), big_endian=st.booleans())
def test_float_samples_nan_becomes_silence_and_overs_clip(values, big_endian):
    raw = np.array(values, '>f4' if big_endian else '<f4')
    audio = decode(raw.tobytes(), 'F32BE' if big_endian else 'F32LE')
    expected = np.clip(np.nan_to_num(raw.astype(np.float32), nan=0.0, posinf=1.0, neginf=-1.0),
                       -1.0, 1.0)
    assert np.array_equal(audio, expected)


@SETTINGS
@given(samples=st.lists(st.integers(-32768, 32767), min_size=1, max_size=400),
       channels=st.integers(1, 6))
def test_int16_both_endians_agree_and_channels_average(samples, channels):
    samples = samples[: len(samples) // channels * channels] or [0] * channels
    pcm = np.array(samples, np.int16)
    little = decode(pcm.astype('<i2').tobytes(), 'S16LE', channels)
    big = decode(pcm.astype('>i2').tobytes(), 'S16BE', channels)
    assert np.array_equal(little, big)
    want = (pcm.astype(np.float32) / 32768.0).reshape(-1, channels).mean(axis=1)
    assert np.allclose(little, want, atol=1e-6)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4000))
def test_s16_round_trip_is_within_one_step(seed, n):
    x = np.random.default_rng(seed).uniform(-1, 1, n).astype(np.float32)
    assert np.max(np.abs(decode(to_int16(x).tobytes(), 'S16LE') - x)) <= 2 / 32768


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 5000), rate=st.sampled_from(RATES),
       loud=st.booleans())
def test_resample_keeps_length_and_stays_finite(seed, n, rate, loud):
    rng = np.random.default_rng(seed)
    x = (np.sign(rng.standard_normal(n)) if loud else rng.uniform(-1, 1, n)).astype(np.float32)
    y = resample(x, rate)
    g = gcd(rate, TARGET_RATE)
    assert y.dtype == np.float32
    assert len(y) == (ceil(n * (TARGET_RATE // g) / (rate // g)) if rate != TARGET_RATE else n)
    # a polyphase FIR: |y| <= max|x| * the L1 norm of its heaviest phase (2.24 for 8 kHz and
    # 11.025 kHz with scipy's Kaiser filter; below 1.9 for the others). Interpolated peaks of
    # noise go past full scale (downstream to_int16 clips), but never blow up.
    assert np.all(np.isfinite(y)) and (not len(y) or np.max(np.abs(y)) <= 2.25)


def test_resample_rejects_a_zero_rate_and_keeps_a_tone():
    with pytest.raises(AudioFormatError):
        resample(np.ones(100, np.float32), 0)
    t = np.arange(44100) / 44100
    y = resample(np.sin(2 * np.pi * 1000 * t).astype(np.float32), 44100)
    spectrum = np.abs(np.fft.rfft(y))
    assert len(y) == 16000 and abs(np.argmax(spectrum) - 1000) <= 1  # 1 Hz bins over 1 s
