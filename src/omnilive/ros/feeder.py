"""A robot's sensors played from a Python process into the graph: camera frames (raw or
compressed, stamped), a microphone (20 ms chunks at 50 Hz, plain or stamped, its AudioInfo
latched) and /clock, on the input topics perception subscribes to by default. Used by the
benchmarks, the soak run and the tests, so each feeds perception the way a driver does.

QoS: SENSOR (best effort) like camera and microphone drivers; `lossless=True` publishes reliably
with deep queues (LOSSLESS_*) for runs that must not lose a message, matching perception's
`lossless` subscriptions (a best-effort publisher never matches a reliable subscription).
"""
from __future__ import annotations

import collections
import threading
import time
from typing import Callable, Iterator, Optional, Sequence

import numpy as np
from rosgraph_msgs.msg import Clock
from sensor_msgs.msg import CompressedImage, Image

from audio_common_msgs.msg import AudioData, AudioDataStamped, AudioInfo
from omnilive.audio.pcm import to_int16
from omnilive.ros import graph
from omnilive.ros.convert import to_time
from omnilive.ros.qos import LATCHED, LOSSLESS_AUDIO, LOSSLESS_IMAGES, SENSOR
from omnilive.vision.image_convert import rgb_to_image_fields

RATE = 16000
CHUNK_S = 0.02                # a 50 Hz microphone driver: 20 ms per message
CHUNK_SAMPLES = int(RATE * CHUNK_S)
TOPICS = {
    'image': graph.ARGUMENTS['camera_topic'][0],
    'compressed': graph.ARGUMENTS['camera_compressed_topic'][0],
    'audio': graph.ARGUMENTS['audio_topic'][0],
    'audio_stamped': graph.ARGUMENTS['audio_stamped_topic'][0],
    'audio_info': graph.ARGUMENTS['audio_info_topic'][0],
    'clock': '/clock',
}


def pace(period_s: float, stop: Optional[threading.Event] = None) -> Iterator[int]:
    """0, 1, 2, ...: number i at start + i * period_s, like a driver publishing at a fixed rate
    (late items come at once, so the average rate holds); ends when `stop` is set."""
    start, i = time.monotonic(), 0
    while stop is None or not stop.is_set():
        delay = start + i * period_s - time.monotonic()
        if delay > 0:
            if stop is None:
                time.sleep(delay)
            elif stop.wait(delay):
                return
        yield i
        i += 1


class Sensors:
    """Publishers of every sensor input of the graph on `node`, created at once (unused ones
    cost nothing). `sent` counts the messages published per topic key (TOPICS)."""

    def __init__(self, node, lossless: bool = False):
        images = LOSSLESS_IMAGES if lossless else SENSOR
        audio = LOSSLESS_AUDIO if lossless else SENSOR
        self.publishers = {
            'image': node.create_publisher(Image, TOPICS['image'], images),
            'compressed': node.create_publisher(CompressedImage, TOPICS['compressed'], images),
            'audio': node.create_publisher(AudioData, TOPICS['audio'], audio),
            'audio_stamped': node.create_publisher(AudioDataStamped, TOPICS['audio_stamped'],
                                                   audio),
            'audio_info': node.create_publisher(AudioInfo, TOPICS['audio_info'], LATCHED),
            'clock': node.create_publisher(Clock, TOPICS['clock'], 10),
        }
        self.sent = {key: 0 for key in self.publishers}
        self._lock = threading.Lock()

    def matched(self, keys: Sequence[str] = ('image', 'audio')) -> bool:
        """Every publisher named has a subscriber (perception is listening)."""
        return all(self.publishers[k].get_subscription_count() > 0 for k in keys)

    def _publish(self, key: str, msg) -> None:
        self.publishers[key].publish(msg)
        with self._lock:
            self.sent[key] += 1

    def image(self, frame, stamp: Optional[float] = None, encoding: str = 'rgb8') -> Image:
        """Publish a frame (an Image, or an HxWx3 uint8 array in `encoding`); `stamp` (seconds)
        sets its header stamp, otherwise it is kept. Returns the message."""
        msg = frame if isinstance(frame, Image) else Image(**rgb_to_image_fields(frame, encoding))
        if stamp is not None:
            msg.header.stamp = to_time(stamp)
        self._publish('image', msg)
        return msg

    def compressed(self, frame, fmt: str = 'jpeg',
                   stamp: Optional[float] = None) -> CompressedImage:
        """Publish a compressed frame (a CompressedImage, or encoded bytes in `fmt`)."""
        msg = frame if isinstance(frame, CompressedImage) else CompressedImage(format=fmt,
                                                                              data=frame)
        if stamp is not None:
            msg.header.stamp = to_time(stamp)
        self._publish('compressed', msg)
        return msg

    def audio(self, data: bytes, stamp: Optional[float] = None) -> None:
        """One chunk of audio: AudioData, or AudioDataStamped stamped `stamp` when given."""
        if stamp is None:
            self._publish('audio', AudioData(data=data))
            return
        msg = AudioDataStamped()
        msg.header.stamp = to_time(stamp)
        msg.audio.data = data
        self._publish('audio_stamped', msg)

    def audio_info(self, sample_format: str = 'S16LE', rate: int = RATE,
                   channels: int = 1) -> None:
        """The stream's format, latched: drivers publish it once."""
        self._publish('audio_info', AudioInfo(channels=channels, sample_rate=rate,
                                              sample_format=sample_format,
                                              coding_format='wave'))

    def clock(self, t: float) -> None:
        self._publish('clock', Clock(clock=to_time(t)))


class Paced:
    """`step(i)` for i = 0, 1, ... every `period_s` on a thread of its own (a driver's loop),
    from start() until stop(); `sent` counts the steps taken."""

    def __init__(self, period_s: float, step: Callable[[int], None], name: str = 'sensor'):
        self.period_s, self.step, self.sent = period_s, step, 0
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        for i in pace(self.period_s, self.stop_event):
            self.step(i)
            self.sent = i + 1

    def start(self) -> 'Paced':
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)


class Camera(Paced):
    """`frames` in a loop at `fps`; `stamp(i)` gives frame i's stamp in seconds (None:
    the frame's own stamp is kept; perception then stamps it on receipt)."""

    def __init__(self, sensors: Sensors, frames: Sequence, fps: float = 30.0,
                 stamp: Optional[Callable[[int], Optional[float]]] = None):
        self.sensors = sensors
        self.frames = [f if isinstance(f, Image) else Image(**rgb_to_image_fields(f))
                       for f in frames]  # converted once: rgb8 arrays (HxWx3 uint8) or Images
        self.stamp = stamp or (lambda i: None)
        super().__init__(1.0 / fps, self._frame, 'camera')

    def _frame(self, i: int) -> None:
        self.sensors.image(self.frames[i % len(self.frames)], self.stamp(i))


class Microphone(Paced):
    """A live microphone: 16 kHz S16LE mono, 20 ms per AudioData message at 50 Hz (`speed`
    times faster when asked). Between utterances it hears `background(i)` (int16 samples of
    chunk i; default low Gaussian noise, `noise` of full scale); `say()` mixes speech in."""

    def __init__(self, sensors: Sensors, noise: float = 0.002, seed: int = 0,
                 background: Optional[Callable[[int], np.ndarray]] = None, speed: float = 1.0):
        self.sensors = sensors
        rng = np.random.default_rng(seed)
        self.background = background or (lambda i: (noise * 32767 * rng.standard_normal(
            CHUNK_SAMPLES)).astype(np.int16))
        self.pending: collections.deque = collections.deque()  # int16 speech still to say
        self.lock = threading.Lock()
        self.position = 0      # samples put into chunks so far
        self.marks: dict[int, list] = {}  # stream sample index -> [wall time it was published]
        super().__init__(CHUNK_S / speed, self._chunk, 'microphone')

    def say(self, pcm: np.ndarray, mark_at: Optional[int] = None) -> list:
        """Queue float32 16 kHz speech after what is still queued. The returned list receives
        the wall-clock time (time.time()) at which sample `mark_at` of it (default: its end) was
        published, as a microphone driver would have captured it."""
        mark: list = []
        with self.lock:
            queued = sum(len(p) for p in self.pending)
            at = len(pcm) if mark_at is None else mark_at
            self.marks[self.position + queued + at] = mark
            self.pending.append(to_int16(pcm))
        return mark

    def _mixed(self, i: int) -> tuple[np.ndarray, int]:
        """Chunk i with queued speech mixed in, and the stream position of its end."""
        out = self.background(i).astype(np.int32)
        with self.lock:
            self.position += len(out)
            filled = 0
            while filled < len(out) and self.pending:
                head = self.pending[0]
                take = min(len(out) - filled, len(head))
                out[filled:filled + take] += head[:take]
                filled += take
                if take == len(head):
                    self.pending.popleft()
                else:
                    self.pending[0] = head[take:]
            return np.clip(out, -32768, 32767).astype(np.int16), self.position

    def _chunk(self, i: int) -> None:
        chunk, end = self._mixed(i)
        self.sensors.audio(chunk.tobytes())
        now = time.time()
        with self.lock:
            for at in [a for a in self.marks if a <= end]:
                self.marks.pop(at).append(now - (end - at) / RATE)
