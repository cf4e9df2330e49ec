"""The robot's voice: speaks queued sentences in order, as audio chunks paced in real time.

Synthesis goes through omnilive.models.tts.SpeechSynthesizer (pyttsx3 + espeak-ng). Every chunk
is handed to `on_chunk` (the node publishes it on speech/audio) and, when the machine has a sound
device, played with aplay. `on_speaking(bool)` reports when the voice starts and stops, so
perception can ignore the robot's own voice. `interrupt()` flushes the queue and cuts the current
sentence at once (barge-in).
"""
from __future__ import annotations

import glob
import logging
import queue
import shutil
import subprocess
import threading
import time
from typing import Callable, Optional

import numpy as np

log = logging.getLogger(__name__)
SYNTH_TRIES = 2   # espeak under load can return without writing a file: one more try


def has_sound_device() -> bool:
    return bool(shutil.which('aplay')) and bool(glob.glob('/dev/snd/pcmC*D*p'))


class Speaker:
    def __init__(self, synthesizer, on_chunk: Callable[[bytes], None],
                 on_speaking: Callable[[bool], None], chunk_s: float = 0.1,
                 play: Optional[bool] = None, tail_s: float = 0.0):
        self.synth = synthesizer
        self.on_chunk = on_chunk
        self.on_speaking = on_speaking
        self.chunk_s = chunk_s
        self.play = has_sound_device() if play is None else play
        self.tail_s = tail_s
        self.queue: queue.Queue = queue.Queue(maxsize=100)
        self.sample_rate = 0
        self._interrupt = threading.Event()
        self._stop = threading.Event()
        self.counters = {'sentences': 0, 'interrupted': 0, 'dropped': 0, 'audio_s': 0.0,
                         'synth_failures': 0}
        self._thread = threading.Thread(target=self._run, name='speaker', daemon=True)
        self._thread.start()

    def say(self, text: str) -> None:
        try:
            self.queue.put_nowait(text)
        except queue.Full:
            self.counters['dropped'] += 1

    def interrupt(self) -> None:
        self._interrupt.set()
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                break

    def close(self) -> None:
        self._stop.set()
        self.interrupt()
        self.queue.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        speaking = False
        while not self._stop.is_set():
            try:
                text = self.queue.get(timeout=0.05 if speaking else None)
            except queue.Empty:
                if speaking:
                    speaking = False
                    self.on_speaking(False)
                continue
            if text is None:
                break
            self._interrupt.clear()
            voiced = self._synthesize(text)
            if voiced is None:
                continue
            pcm, rate = voiced
            self.sample_rate = rate
            if self._interrupt.is_set() or not len(pcm):
                continue
            if not speaking:
                speaking = True
                self.on_speaking(True)
            self._speak(pcm, rate)
            self.counters['sentences'] += 1
        if speaking:
            self.on_speaking(False)

    def _synthesize(self, text: str):
        """(pcm, rate) of `text`, or None when synthesis failed SYNTH_TRIES times: the sentence
        is dropped and counted, the voice goes on with the next one."""
        for attempt in range(1, SYNTH_TRIES + 1):
            try:
                return self.synth.synthesize(text)
            except Exception as err:  # noqa: BLE001 - a failed sentence must not end the voice
                log.warning('speech synthesis failed (try %d of %d) for %r: %s', attempt,
                            SYNTH_TRIES, text[:60], err)
        self.counters['synth_failures'] += 1
        return None

    def _speak(self, pcm: np.ndarray, rate: int) -> None:
        player = None
        if self.play:
            player = subprocess.Popen(['aplay', '-q', '-f', 'S16_LE', '-c', '1', '-r', str(rate)],
                                      stdin=subprocess.PIPE)
        step = max(1, int(rate * self.chunk_s))
        start = time.monotonic()
        for n, i in enumerate(range(0, len(pcm), step)):
            if self._interrupt.is_set():
                self.counters['interrupted'] += 1
                break
            chunk = pcm[i:i + step].astype('<i2').tobytes()
            self.on_chunk(chunk)
            if player:
                player.stdin.write(chunk)
            self.counters['audio_s'] += len(chunk) / 2 / rate
            # pace in real time: the voice lasts as long as its audio
            delay = start + (n + 1) * self.chunk_s - time.monotonic()
            if delay > 0:
                self._interrupt.wait(delay)
        if player:
            if self._interrupt.is_set():
                player.kill()
            else:
                player.stdin.close()
                player.wait()
