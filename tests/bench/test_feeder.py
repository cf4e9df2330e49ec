"""The shared sensor feeder (omnilive.ros.feeder) that benches and tests feed perception with:
lossless publishers match reliable subscriptions and deliver every message with its stamp,
AudioInfo is latched, and the microphone mixes speech into its stream and marks where it ended."""
import itertools
import threading

import numpy as np
import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from rosgraph_msgs.msg import Clock
from sensor_msgs.msg import CompressedImage, Image

from audio_common_msgs.msg import AudioData, AudioDataStamped, AudioInfo
from omnilive.ros.convert import from_time
from omnilive.ros.feeder import CHUNK_SAMPLES, Camera, Microphone, Sensors, pace
from omnilive.ros.qos import LATCHED, LOSSLESS_AUDIO, LOSSLESS_IMAGES
from tests.rosutil import spin_until


def test_pace_counts_and_stops():
    assert list(itertools.islice(pace(0.0), 5)) == [0, 1, 2, 3, 4]
    stop = threading.Event()
    ticks = pace(3600.0, stop)
    assert next(ticks) == 0
    threading.Timer(0.1, stop.set).start()
    assert list(ticks) == []  # the stop ends the wait for the next tick


@pytest.fixture
def rig(ros_context):
    node = rclpy.create_node('feeder_test', context=ros_context)
    executor = SingleThreadedExecutor(context=ros_context)
    executor.add_node(node)
    yield node, executor
    executor.shutdown()
    node.destroy_node()


def subscribe(node, msg_type, topic, qos) -> list:
    got: list = []
    node.create_subscription(msg_type, topic, got.append, qos)
    return got


@pytest.mark.ros
def test_lossless_sensors_deliver_every_message_with_its_stamp(rig):
    node, executor = rig
    sensors = Sensors(node, lossless=True)
    sensors.audio_info('S32LE', 48000, 2)  # before anyone listens: latched
    audio = subscribe(node, AudioDataStamped, '/audio/audio_stamped', LOSSLESS_AUDIO)
    images = subscribe(node, Image, '/camera/image_raw', LOSSLESS_IMAGES)
    compressed = subscribe(node, CompressedImage, '/camera/image_raw/compressed',
                           LOSSLESS_IMAGES)
    clock = subscribe(node, Clock, '/clock', 10)
    info = subscribe(node, AudioInfo, '/audio/audio_info', LATCHED)
    keys = ('audio_stamped', 'image', 'compressed', 'clock')
    spin_until(executor, lambda: sensors.matched(keys), 30, 'reliable subscriptions to match')

    frame = np.full((24, 32, 3), 7, np.uint8)
    for i in range(200):
        t = 1000.0 + i * 0.02
        sensors.clock(t)
        sensors.audio(bytes([i]) * 640, stamp=t)
        if i % 20 == 0:
            sensors.image(frame, stamp=t)
            sensors.compressed(b'jpeg bytes', 'jpeg', stamp=t)
    # /clock keeps only the latest 10 (a clock's reader wants the time now)
    spin_until(executor, lambda: len(audio) == 200 and len(images) == len(compressed) == 10
               and clock and from_time(clock[-1].clock) == pytest.approx(1003.98) and info, 30,
               'every message')
    assert [from_time(m.header.stamp) for m in audio] == \
        pytest.approx([1000.0 + i * 0.02 for i in range(200)])
    assert [m.audio.data[0] for m in audio] == [i % 256 for i in range(200)]
    assert [from_time(m.header.stamp) for m in images] == pytest.approx(
        [1000.0 + i * 0.02 for i in range(0, 200, 20)])
    assert (images[0].height, images[0].width, images[0].encoding) == (24, 32, 'rgb8')
    assert bytes(images[0].data) == frame.tobytes() and compressed[0].format == 'jpeg'
    assert (info[0].sample_format, info[0].sample_rate, info[0].channels) == ('S32LE', 48000, 2)
    assert sensors.sent == {'image': 10, 'compressed': 10, 'audio': 0, 'audio_stamped': 200,
                            'audio_info': 1, 'clock': 200}


@pytest.mark.ros
def test_microphone_mixes_speech_in_and_marks_its_end_camera_loops(rig):
    node, executor = rig
    sensors = Sensors(node, lossless=True)
    chunks = subscribe(node, AudioData, '/audio/audio', LOSSLESS_AUDIO)
    frames = subscribe(node, Image, '/camera/image_raw', LOSSLESS_IMAGES)
    spin_until(executor, lambda: sensors.matched(('audio', 'image')), 30, 'subscriptions')
    mic = Microphone(sensors, noise=0.0, speed=10.0).start()
    scenes = [np.full((8, 8, 3), v, np.uint8) for v in (1, 2, 3)]
    camera = Camera(sensors, scenes, fps=200.0, stamp=lambda i: 50.0 + i).start()
    try:
        speech = np.full(1000, 0.5, np.float32)  # 62.5 ms of a constant level
        mark = mic.say(speech, mark_at=600)
        spin_until(executor, lambda: bool(mark), 30, 'the mark to be published')
        sent_by_then = mic.sent
        spin_until(executor, lambda: len(chunks) >= sent_by_then and len(frames) >= 7, 30,
                   'the chunks and frames published so far')
    finally:
        mic.stop()
        camera.stop()
    pcm = np.frombuffer(b''.join(bytes(c.data) for c in chunks), np.int16)
    assert {len(c.data) for c in chunks} == {CHUNK_SAMPLES * 2}
    loud = np.flatnonzero(pcm)
    assert len(loud) == 1000 and loud[-1] - loud[0] == 999 and pcm[loud[0]] == 16383
    # the mark is the time the chunk holding sample 600 of the speech was published
    assert isinstance(mark[0], float)
    assert [bytes(f.data)[0] for f in frames[:7]] == [1, 2, 3, 1, 2, 3, 1]
    assert [from_time(f.header.stamp) for f in frames[:3]] == [50.0, 51.0, 52.0]
