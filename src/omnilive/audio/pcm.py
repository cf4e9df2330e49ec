"""PCM handling: decode raw microphone bytes (or a compressed stream: mp3, audio_common's
audio_capture default), downmix, resample, load audio files.

Everything downstream works on float32 mono at 16 kHz in [-1, 1].
"""
from __future__ import annotations

import shutil
import subprocess
from math import gcd

import numpy as np

TARGET_RATE = 16000
# sample_format (AudioInfo / ROS audio_common conventions) -> numpy dtype and full scale
FORMATS = {
    'S16LE': ('<i2', 32768.0), 'S16BE': ('>i2', 32768.0),
    'S32LE': ('<i4', 2147483648.0), 'S32BE': ('>i4', 2147483648.0),
    'F32LE': ('<f4', 1.0), 'F32BE': ('>f4', 1.0),
    'U8': ('u1', None),
}


MIN_RATE, MAX_RATE = 1000, 384000   # microphones in use lie well inside these
MAX_CHANNELS = 64
PCM_CODINGS = ('', 'wave', 'wav', 'pcm', 'raw', 'lpcm', 'linear16')  # AudioInfo.coding_format
# Compressed codings decoded by FFmpeg through PyAV (coding_format -> FFmpeg decoder name).
STREAM_CODINGS = {'mp3': 'mp3'}


class AudioFormatError(ValueError):
    pass


def coding_of(coding: str) -> str:
    """'wave' for raw PCM, or the compressed coding ('mp3'); AudioFormatError otherwise."""
    name = coding.strip().lower()
    if name in PCM_CODINGS:
        return 'wave'
    if name in STREAM_CODINGS:
        return name
    raise AudioFormatError(f'coding {coding!r} is not supported (raw PCM: {PCM_CODINGS[1:]}, '
                           f'compressed: {sorted(STREAM_CODINGS)})')


def check_format(sample_format: str, rate: int, channels: int, coding: str = '') -> None:
    """AudioFormatError unless omnilive can decode this (e.g. an AudioInfo). For a compressed
    coding the stream carries its own rate and channels; sample_format, rate and channels are
    still those the driver captured, and are checked the same way."""
    coding_of(coding)
    if sample_format.upper() not in FORMATS:
        raise AudioFormatError(f'unsupported sample format {sample_format!r}; supported: '
                               f'{sorted(FORMATS)}')
    if not MIN_RATE <= int(rate) <= MAX_RATE:
        raise AudioFormatError(f'sample rate {rate} Hz outside {MIN_RATE}-{MAX_RATE} Hz')
    if not 1 <= int(channels) <= MAX_CHANNELS:
        raise AudioFormatError(f'invalid channel count {channels}')


def decode(data: bytes, sample_format: str = 'S16LE', channels: int = 1) -> np.ndarray:
    """Raw interleaved PCM bytes -> float32 mono. A trailing partial frame is an error (the
    caller counts the drop); NaN/inf in float formats are zeroed and clipping is preserved."""
    fmt = sample_format.upper()
    if fmt not in FORMATS:
        raise AudioFormatError(f'unsupported sample format {sample_format!r}; supported: '
                               f'{sorted(FORMATS)}')
    if channels < 1:
        raise AudioFormatError(f'invalid channel count {channels}')
    dtype, scale = FORMATS[fmt]
    frame = np.dtype(dtype).itemsize * channels
    if len(data) % frame:
        raise AudioFormatError(f'{len(data)} bytes is not a whole number of {fmt} frames of '
                               f'{channels} channel(s) ({frame} bytes each)')
    samples = np.frombuffer(data, dtype)
    if scale is None:  # unsigned 8-bit
        audio = (samples.astype(np.float32) - 128.0) / 128.0
    else:
        audio = samples.astype(np.float32) / np.float32(scale)
    if channels > 1:
        audio = audio.reshape(-1, channels).mean(axis=1)
    audio = np.nan_to_num(audio, nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(audio, -1.0, 1.0).astype(np.float32)


class StreamDecoder:
    """A compressed audio stream (mp3) decoded chunk by chunk with FFmpeg (PyAV): chunks may
    split or join codec frames anywhere (audio_capture publishes lamemp3enc's buffers as they
    come); the parser reassembles them. Output: float32 mono at `rate`, possibly empty while the
    decoder fills."""

    def __init__(self, coding: str = 'mp3', rate: int = TARGET_RATE):
        import av
        self._av = av
        self.coding = coding_of(coding)
        if self.coding not in STREAM_CODINGS:
            raise AudioFormatError(f'{coding!r} is not a compressed coding')
        self.codec = av.CodecContext.create(STREAM_CODINGS[self.coding], 'r')
        # stateful: keeps the filter's history across chunks, so no clicks at chunk borders
        self.resampler = av.AudioResampler(format='flt', layout='mono', rate=rate)

    def decode(self, data: bytes) -> np.ndarray:
        """The audio completed by this chunk. A damaged codec frame is skipped (the next ones
        still decode); AudioFormatError when the chunk held damaged data and nothing usable."""
        out, error = [], None
        try:
            packets = self.codec.parse(bytes(data))
        except self._av.error.FFmpegError as err:
            packets, error = [], err
        for packet in packets:
            try:
                for frame in self.codec.decode(packet):
                    out.extend(f.to_ndarray().reshape(-1) for f in self.resampler.resample(frame))
            except self._av.error.FFmpegError as err:
                error = err
        if error is not None and not out:
            raise AudioFormatError(f'{self.coding} data that does not decode: {error}')
        if not out:
            return np.zeros(0, np.float32)
        audio = np.concatenate(out).astype(np.float32, copy=False)
        return np.clip(np.nan_to_num(audio), -1.0, 1.0)


def resample(audio: np.ndarray, rate: int, target: int = TARGET_RATE) -> np.ndarray:
    """Polyphase resampling (scipy) from `rate` to `target`."""
    if rate == target or audio.size == 0:
        return audio.astype(np.float32, copy=False)
    if not MIN_RATE <= rate <= MAX_RATE:  # 1 Hz or 4 GHz would cost seconds per message
        raise AudioFormatError(f'sample rate {rate} Hz outside {MIN_RATE}-{MAX_RATE} Hz')
    from scipy.signal import resample_poly
    g = gcd(int(rate), int(target))
    return resample_poly(audio, target // g, rate // g).astype(np.float32)


def to_int16(audio: np.ndarray) -> np.ndarray:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)


def load_file(path: str, rate: int = TARGET_RATE) -> np.ndarray:
    """Any audio file ffmpeg reads (wav, ogg/oga, mp3, flac...) as float32 mono at `rate`."""
    ffmpeg = shutil.which('ffmpeg')
    if not ffmpeg:
        raise FileNotFoundError('ffmpeg is needed to read audio files: apt-get install ffmpeg')
    run = subprocess.run([ffmpeg, '-nostdin', '-loglevel', 'error', '-i', str(path), '-ac', '1',
                          '-ar', str(rate), '-f', 'f32le', '-'], capture_output=True)
    if run.returncode != 0:
        raise AudioFormatError(f'cannot decode {path}: '
                               f'{run.stderr.decode(errors="replace")[-300:]}')
    return np.frombuffer(run.stdout, np.float32).copy()


def rms_db(audio: np.ndarray) -> float:
    """Level in dBFS (-120 for silence)."""
    if audio.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    return 20.0 * np.log10(max(rms, 1e-6))
