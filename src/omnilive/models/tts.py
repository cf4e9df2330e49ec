"""Speech synthesis (role tts_voice): pyttsx3 driving espeak-ng.

pyttsx3 renders to a WAV file (save_to_file), read back as int16 PCM, so speech can be published
as audio on headless robots as well as played.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
import time
import wave

import numpy as np


class SpeechSynthesizer:
    def __init__(self, voice: str = '', rate_wpm: int = 175, volume: float = 1.0):
        import pyttsx3
        self.engine = pyttsx3.init('espeak')
        if voice:
            self.engine.setProperty('voice', voice)
        self.engine.setProperty('rate', int(rate_wpm))
        self.engine.setProperty('volume', float(volume))
        self._lock = threading.Lock()  # the engine is not thread-safe

    def voices(self) -> list[str]:
        return [v.id for v in self.engine.getProperty('voices')]

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """Mono int16 PCM and its sample rate for `text`."""
        if not text.strip():
            return np.zeros(0, np.int16), 22050
        fd, path = tempfile.mkstemp(suffix='.wav', prefix='omnilive-tts-')
        os.close(fd)
        try:
            with self._lock, contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints the path
                self.engine.save_to_file(text, path)
                self.engine.runAndWait()
            rate, channels, width, frames = _read_wav(path)
        finally:
            os.unlink(path)
        if width != 2:
            raise RuntimeError(f'espeak produced {8 * width}-bit audio; expected 16-bit')
        pcm = np.frombuffer(frames, np.int16)
        if channels > 1:
            pcm = pcm.reshape(-1, channels).mean(axis=1).astype(np.int16)
        return pcm, rate


def _read_wav(path: str, timeout_s: float = 5.0) -> tuple[int, int, int, bytes]:
    """(rate, channels, sample width, frames) of the WAV espeak wrote. pyttsx3's espeak driver
    can return from runAndWait() before the file is closed (seen on a loaded machine: an empty
    or headerless file, EOFError): read again until the file parses and stops growing."""
    deadline, last = time.monotonic() + timeout_s, None
    while True:
        size = os.path.getsize(path)
        try:
            with wave.open(path, 'rb') as w:
                got = (w.getframerate(), w.getnchannels(), w.getsampwidth(),
                       w.readframes(w.getnframes()))
            if got[3] and size == last:
                return got
        except (EOFError, wave.Error) as err:
            got = err
        if time.monotonic() > deadline:
            if isinstance(got, tuple) and got[3]:
                return got
            raise RuntimeError(f'espeak did not finish writing {path} within {timeout_s:.0f} s '
                               f'({got if isinstance(got, Exception) else "no audio"})')
        last = size
        time.sleep(0.02)

