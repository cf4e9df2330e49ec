"""Sensor input for the perception node from the test process (omnilive.ros.feeder), with what
these tests wait for: one frame offered at a time until the node's verdict, audio sent and
drained, a live camera and microphone. Frame stamps follow a stream clock (the node samples
frames by stamp, so bad frames must be spaced like a camera's)."""
from __future__ import annotations

import time

import cv2
import numpy as np
from sensor_msgs.msg import Image

from omnilive.audio.pcm import to_int16
from omnilive.bags import media
from omnilive.ros.feeder import CHUNK_S, Microphone, Paced, Sensors, pace
from omnilive.util.diagnostics import Perception as P
from omnilive.vision.image_convert import rgb_to_image_fields

PHOTOS = ['astronaut', 'coffee', 'chelsea', 'rocket']
INPUTS = ('image', 'compressed', 'audio', 'audio_info')
# the counters of which exactly one rises per frame (offer() returns its name after 'frames_')
# and per audio message
FRAME_OUTCOMES = (P.FRAMES_BAD, P.FRAMES_PROCESSED, P.FRAMES_ERRORS, P.FRAMES_DROPPED)
AUDIO_OUTCOMES = (P.AUDIO_PROCESSED, P.AUDIO_BAD, P.AUDIO_ERRORS, P.AUDIO_DROPPED)


def photo(name: str, size=(320, 240)) -> np.ndarray:
    return next(media.frames(f'skimage:{name}', 1, 1, size))


class Feeder:
    def __init__(self, g):
        self.g = g
        self.sensors = Sensors(g.node)
        self.t = time.time()
        self.streams: list = []
        self.format = ('S16LE', 16000, 1)  # what perception assumes until AudioInfo says more
        self.sent: list = []               # (format, counter changes) of each send_audio()

    def wait_matched(self, keys=INPUTS, timeout=180) -> None:
        self.g.wait(lambda: self.sensors.matched(keys), timeout, 'perception subscriptions')

    def stamp(self, gap: float = 1.0) -> float:
        """The next frame time: at least `gap` after the last one (the node samples 1.5 fps)."""
        self.t = max(time.time(), self.t + gap)
        return self.t

    # ------------------------------------------------------------------ frames, one at a time
    def frame_outcomes(self) -> float:
        v = self.g.value
        return sum(v('perception', k) for k in FRAME_OUTCOMES)

    def offer(self, msg, compressed: bool = False, tries: int = 3) -> str:
        """Publish one frame and wait for the node's verdict: 'bad', 'processed', 'errors'."""
        g = self.g
        publish = self.sensors.compressed if compressed else self.sensors.image
        before = {k: g.value('perception', k) for k in FRAME_OUTCOMES}
        outcomes = self.frame_outcomes()
        stamp = self.stamp()
        for attempt in range(tries):
            arrived = g.value('perception', P.FRAMES_IN)
            publish(msg, stamp=stamp)
            try:  # best-effort transport: a frame lost on the way is sent again
                g.wait(lambda: g.value('perception', P.FRAMES_IN) > arrived, 10, 'frame arrival')
                break
            except TimeoutError:
                if attempt == tries - 1:
                    raise
        g.wait(lambda: self.frame_outcomes() > outcomes, 120, 'the frame to be handled')
        changed = [k for k in before if g.value('perception', k) > before[k]]
        assert len(changed) == 1, (changed, g.diag['perception'])
        return changed[0].split('_', 1)[1]

    # ------------------------------------------------------------------ audio
    def set_format(self, sample_format: str, rate: int, channels: int) -> None:
        """Publish AudioInfo and wait until the node says it uses it (its log line)."""
        self.drain()
        mark = self.g.log_mark()
        self.sensors.audio_info(sample_format, rate, channels)
        # the node takes it (its log line) or refuses it (an unusable format: audio dropped)
        self.g.wait_log(rf"audio format from AudioInfo: \('{sample_format}', {rate}, "
                        rf"{channels}\)|audio dropped until a usable AudioInfo", 30, start=mark)
        self.format = (sample_format, rate, channels)

    def audio_outcomes(self) -> float:
        v = self.g.value
        return sum(v('perception', k) for k in AUDIO_OUTCOMES)

    def drain(self, timeout: float = 120) -> None:
        """Until every audio message that arrived has been handled."""
        g = self.g
        g.wait_diag('perception')
        g.wait(lambda: self.audio_outcomes() >= g.value('perception', P.AUDIO_MSGS), timeout,
               'the audio queue to drain')

    def send_audio(self, chunks: list[bytes], realtime_s: float = 0.0) -> dict:
        """Publish audio messages (paced `realtime_s` apart like a microphone, when given) and
        wait until all that arrived are handled; returns the change of each audio counter."""
        g = self.g
        self.drain()
        keys = (P.AUDIO_MSGS,) + AUDIO_OUTCOMES
        before = {k: g.value('perception', k) for k in keys}
        for chunk, _ in zip(chunks, pace(realtime_s)):
            self.sensors.audio(chunk)
        g.wait(lambda: g.value('perception', P.AUDIO_MSGS) > before[P.AUDIO_MSGS], 30,
               'audio arrival')
        self.drain()
        changes = {k: g.value('perception', k) - before[k] for k in keys}
        self.sent.append((self.format, changes))
        return changes

    # ------------------------------------------------------------------ a live stream
    def start_stream(self, fps: float = 4.0, scene_s: float = 3.0) -> None:
        """Camera (real photos, a new scene every `scene_s`) and microphone (low noise with a
        phone ring every 20 s) in real time, until stop_stream()."""
        scenes = [Image(**rgb_to_image_fields(photo(p))) for p in PHOTOS]
        ring = to_int16(media.audio('sound:phone-incoming-call')[:16000 * 2])
        rng = np.random.default_rng(0)
        noise = to_int16((0.003 * rng.standard_normal(16000 * 20)).astype(np.float32))
        n = int(16000 * CHUNK_S)

        def audio_at(i: int) -> np.ndarray:  # chunk i of a 20 s loop: ring in the first 2 s
            return ring[(i % 100) * n:][:n] if i % 1000 < 100 else noise[(i % 1000) * n:][:n]

        def frame(i: int) -> None:  # the scene of the frame's stamp
            t = self.stamp(0.0)
            self.sensors.image(scenes[int(t / scene_s) % len(scenes)], stamp=t)
        self.streams = [Microphone(self.sensors, background=audio_at).start(),
                        Paced(1.0 / fps, frame, 'camera').start()]

    def stop_stream(self) -> None:
        for stream in self.streams:
            stream.stop()


def jpeg(rgb: np.ndarray, ext: str = '.jpg') -> bytes:
    return cv2.imencode(ext, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()
