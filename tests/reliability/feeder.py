"""Sensor input for the perception node from the test process: images, compressed images, audio
and AudioInfo on the absolute input topics, with a stream clock for frame stamps (the node samples
frames by stamp, so bad frames must be spaced like a camera's)."""
from __future__ import annotations

import threading
import time

import cv2
import numpy as np
from sensor_msgs.msg import CompressedImage, Image

from audio_common_msgs.msg import AudioData, AudioInfo
from omnilive.audio.pcm import to_int16
from omnilive.bags import media
from omnilive.ros.convert import to_time
from omnilive.ros.qos import LATCHED, SENSOR
from omnilive.vision.image_convert import rgb_to_image_fields

PHOTOS = ['astronaut', 'coffee', 'chelsea', 'rocket']


def photo(name: str, size=(320, 240)) -> np.ndarray:
    return next(media.frames(f'skimage:{name}', 1, 1, size))


class Feeder:
    def __init__(self, g):
        self.g = g
        node = g.node
        self.image = node.create_publisher(Image, '/camera/image_raw', SENSOR)
        self.compressed = node.create_publisher(CompressedImage, '/camera/image_raw/compressed',
                                                SENSOR)
        self.audio = node.create_publisher(AudioData, '/audio/audio', SENSOR)
        self.audio_info = node.create_publisher(AudioInfo, '/audio/audio_info', LATCHED)
        self.t = time.time()
        self._stream_stop = threading.Event()
        self._stream_thread = None
        self.streamed = {'frames': 0, 'audio': 0}
        self.format = ('S16LE', 16000, 1)  # what perception assumes until AudioInfo says more
        self.sent: list = []               # (format, counter changes) of each send_audio()

    def wait_matched(self, pubs=None, timeout=180) -> None:
        pubs = pubs or [self.image, self.compressed, self.audio, self.audio_info]
        self.g.wait(lambda: all(p.get_subscription_count() > 0 for p in pubs), timeout,
                    'perception subscriptions')

    def stamp(self, gap: float = 1.0) -> float:
        """The next frame time: at least `gap` after the last one (the node samples 1.5 fps)."""
        self.t = max(time.time(), self.t + gap)
        return self.t

    # ------------------------------------------------------------------ frames, one at a time
    def frame_outcomes(self) -> float:
        v = self.g.value
        return sum(v('perception', k) for k in ('frames_bad', 'frames_processed',
                                                 'frames_errors', 'frames_dropped'))

    def offer(self, msg, compressed: bool = False, tries: int = 3) -> str:
        """Publish one frame and wait for the node's verdict: 'bad', 'processed', 'errors'."""
        g, pub = self.g, self.compressed if compressed else self.image
        before = {k: g.value('perception', k) for k in ('frames_bad', 'frames_processed',
                                                        'frames_errors', 'frames_dropped')}
        outcomes = self.frame_outcomes()
        msg.header.stamp = to_time(self.stamp())
        for attempt in range(tries):
            arrived = g.value('perception', 'frames_in')
            pub.publish(msg)
            try:  # best-effort transport: a frame lost on the way is sent again
                g.wait(lambda: g.value('perception', 'frames_in') > arrived, 10, 'frame arrival')
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
        self.audio_info.publish(AudioInfo(channels=channels, sample_rate=rate,
                                          sample_format=sample_format, coding_format='wave'))
        # the node takes it (its log line) or refuses it (an unusable format: audio dropped)
        self.g.wait_log(rf"audio format from AudioInfo: \('{sample_format}', {rate}, "
                        rf"{channels}\)|audio dropped until a usable AudioInfo", 30, start=mark)
        self.format = (sample_format, rate, channels)

    def audio_outcomes(self) -> float:
        v = self.g.value
        return sum(v('perception', k) for k in ('audio_processed', 'audio_bad', 'audio_errors',
                                                 'audio_dropped'))

    def drain(self, timeout: float = 120) -> None:
        """Until every audio message that arrived has been handled."""
        g = self.g
        g.wait_diag('perception')
        g.wait(lambda: self.audio_outcomes() >= g.value('perception', 'audio_msgs'), timeout,
               'the audio queue to drain')

    def send_audio(self, chunks: list[bytes], realtime_s: float = 0.0) -> dict:
        """Publish audio messages (optionally paced) and wait until all that arrived are
        handled; returns the change of each audio counter."""
        g = self.g
        self.drain()
        keys = ('audio_msgs', 'audio_processed', 'audio_bad', 'audio_errors', 'audio_dropped')
        before = {k: g.value('perception', k) for k in keys}
        start = time.monotonic()
        for i, chunk in enumerate(chunks):
            self.audio.publish(AudioData(data=chunk))
            if realtime_s:
                delay = start + (i + 1) * realtime_s - time.monotonic()
                if delay > 0:
                    time.sleep(delay)  # pacing the stream like a microphone, not a wait
        g.wait(lambda: g.value('perception', 'audio_msgs') > before['audio_msgs'], 30,
               'audio arrival')
        self.drain()
        changes = {k: g.value('perception', k) - before[k] for k in keys}
        self.sent.append((self.format, changes))
        return changes

    # ------------------------------------------------------------------ a live stream
    def start_stream(self, fps: float = 4.0, scene_s: float = 3.0) -> None:
        """Camera (real photos, a new scene every `scene_s`) and microphone (low noise with a
        phone ring every 20 s) in real time, until stop_stream()."""
        scenes = [rgb_to_image_fields(photo(p)) for p in PHOTOS]
        ring = to_int16(media.audio('sound:phone-incoming-call')[:16000 * 2])
        rng = np.random.default_rng(0)
        noise = to_int16((0.003 * rng.standard_normal(16000 * 20)).astype(np.float32))

        def audio_at(i: int) -> bytes:  # 20 ms chunk i of a 20 s loop: ring in the first 2 s
            pcm = ring if i % 1000 < 100 else noise
            j = (i % 1000) * 320 if pcm is noise else (i % 100) * 320
            return pcm[j:j + 320].tobytes()

        def run():
            start, n = time.monotonic(), 0
            while not self._stream_stop.is_set():
                self.audio.publish(AudioData(data=audio_at(n)))
                self.streamed['audio'] += 1
                if n % int(50 / fps) == 0:
                    t = self.stamp(0.0)
                    fields = scenes[int(t / scene_s) % len(scenes)]
                    img = Image(**fields)
                    img.header.stamp = to_time(t)
                    self.image.publish(img)
                    self.streamed['frames'] += 1
                n += 1
                delay = start + n * 0.02 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        self._stream_stop.clear()
        self._stream_thread = threading.Thread(target=run, daemon=True)
        self._stream_thread.start()

    def stop_stream(self) -> None:
        self._stream_stop.set()
        if self._stream_thread:
            self._stream_thread.join(timeout=10)


def jpeg(rgb: np.ndarray, ext: str = '.jpg') -> bytes:
    return cv2.imencode(ext, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()
