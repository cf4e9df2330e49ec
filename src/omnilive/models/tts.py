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


# pyttsx3's espeak driver now and then finishes an utterance without audio (an empty WAV; about
# one synthesis in 12 back to back in a test process, 2026-12-07): it is synthesised again
SYNTH_TRIES = 3
RETRY_AFTER_S = 1.0  # an utterance espeak has finished, still without audio after this


class SpeechSynthesizer:
    def __init__(self, voice: str = '', rate_wpm: int = 175, volume: float = 1.0):
        import pyttsx3
        self.engine = pyttsx3.init('espeak')
        if voice:
            self.engine.setProperty('voice', voice)
        self.engine.setProperty('rate', int(rate_wpm))
        self.engine.setProperty('volume', float(volume))
        self._lock = threading.Lock()  # the engine is not thread-safe
        self.retries = 0  # utterances synthesised again (SYNTH_TRIES)

    def voices(self) -> list[str]:
        return [v.id for v in self.engine.getProperty('voices')]

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """Mono int16 PCM and its sample rate for `text`."""
        if not text.strip():
            return np.zeros(0, np.int16), 22050
        fd, path = tempfile.mkstemp(suffix='.wav', prefix='omnilive-tts-')
        os.close(fd)
        try:
            for attempt in range(1, SYNTH_TRIES + 1):
                with self._lock, contextlib.redirect_stdout(io.StringIO()):  # prints the path
                    self.engine.save_to_file(text, path)
                    self.engine.runAndWait()
                    finished = self._wait_finished()
                try:
                    # finished: the file is complete, or it never will be (no 5 s wait)
                    rate, channels, width, frames = _read_wav(
                        path, RETRY_AFTER_S if finished and attempt < SYNTH_TRIES else 5.0)
                    break
                except RuntimeError:
                    if attempt == SYNTH_TRIES:
                        raise
                    self.retries += 1
        finally:
            os.unlink(path)
        if width != 2:
            raise RuntimeError(f'espeak produced {8 * width}-bit audio; expected 16-bit')
        pcm = np.frombuffer(frames, np.int16)
        if channels > 1:
            pcm = pcm.reshape(-1, channels).mean(axis=1).astype(np.int16)
        return pcm, rate

    def _wait_finished(self, timeout_s: float = 5.0) -> bool:
        """Wait until espeak has finished the utterance. pyttsx3's espeak driver returns from
        runAndWait() while espeak still synthesises on its own thread; its end (the file written,
        then the driver marked idle) comes later. A next utterance started before that end is
        processed was lost (the end of the one before marks the driver as not speaking, and
        the new one's audio is ignored). Returns whether it finished within `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while self.engine.isBusy():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True


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

