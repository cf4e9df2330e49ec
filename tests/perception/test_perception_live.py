"""Perception on live topics: the robot's own voice is not heard as the user, and the node keeps
up with a 30 fps camera and 50 Hz microphone (counts, not timings)."""
import threading
import time

import numpy as np
import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from sensor_msgs.msg import Image
from std_msgs.msg import Bool

from audio_common_msgs.msg import AudioData
from omnilive.audio.pcm import to_int16
from omnilive.bags import media
from omnilive.ros.qos import DERIVED, SENSOR
from tests.perception.harness import PerceptionHarness

pytestmark = [pytest.mark.ros, pytest.mark.models]


class Feeder:
    def __init__(self, ns):
        self.ctx = rclpy.context.Context()
        rclpy.init(context=self.ctx)
        self.node = rclpy.create_node('feeder', context=self.ctx)
        self.executor = SingleThreadedExecutor(context=self.ctx)
        self.executor.add_node(self.node)
        self.audio = self.node.create_publisher(AudioData, '/audio/audio', SENSOR)
        self.image = self.node.create_publisher(Image, '/camera/image_raw', SENSOR)
        self.speaking = self.node.create_publisher(Bool, f'{ns}/speaking', DERIVED)

    def wait_matched(self, pubs, timeout=120):
        deadline = time.monotonic() + timeout
        while any(p.get_subscription_count() == 0 for p in pubs):
            assert time.monotonic() < deadline, 'perception did not subscribe'
            self.executor.spin_once(timeout_sec=0.05)
        time.sleep(0.5)

    def stream_audio(self, pcm: np.ndarray, realtime=True) -> int:
        data = to_int16(pcm).tobytes()
        step, sent, start = 640, 0, time.monotonic()
        for i in range(0, len(data), step):
            self.audio.publish(AudioData(data=data[i:i + step]))
            sent += 1
            if realtime:
                delay = start + sent * 0.02 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        return sent

    def close(self):
        self.node.destroy_node()
        rclpy.shutdown(context=self.ctx)


def test_robot_voice_is_not_heard_as_the_user(tmp_path):
    ns = '/selfvoice'
    harness = PerceptionHarness(tmp_path, ns, memory=False)
    feeder = Feeder(ns)
    try:
        feeder.wait_matched([feeder.audio, feeder.speaking])
        voice = media.speak('I saw three people and a red car near the door, about two minutes ago.')
        silence = np.zeros(16000, np.float32)
        feeder.speaking.publish(Bool(data=True))
        sent = feeder.stream_audio(np.concatenate([silence, voice, silence]))
        feeder.speaking.publish(Bool(data=False))
        harness.wait(lambda: harness.counter('audio_processed') >= sent, 120, 'audio processed')
        assert harness.counter('listener.self_voice_dropped') >= 1
        # control: the same audio when the robot is not speaking (after the echo tail; the
        # microphone streams silence meanwhile) is an utterance
        sent += feeder.stream_audio(np.concatenate([silence, voice, silence, silence]))
        harness.wait(lambda: harness.utterances, 120, 'the control utterance')
        assert len(harness.utterances) == 1
        assert 'people' in harness.utterances[0].text.lower()
        assert not harness.goals  # a statement, not a question
    finally:
        feeder.close()
        harness.close()


@pytest.mark.slow
def test_keeps_up_with_30fps_camera_and_50hz_microphone(tmp_path):
    ns = '/load'
    harness = PerceptionHarness(tmp_path, ns, memory=False)
    feeder = Feeder(ns)
    try:
        feeder.wait_matched([feeder.audio, feeder.image])
        rng = np.random.default_rng(0)
        # a real scene (people walking), 640x480, as a camera would see it
        frames = list(media.frames('opencv:data/vtest.avi', 10, 0.4, (640, 480)))
        images = [Image(height=480, width=640, encoding='rgb8', step=1920, data=f.tobytes())
                  for f in frames]
        stop = threading.Event()
        counts = {'images': 0}

        def camera():
            start = time.monotonic()
            while not stop.is_set():
                feeder.image.publish(images[counts['images'] % 4])
                counts['images'] += 1
                delay = start + counts['images'] / 30 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)

        thread = threading.Thread(target=camera)
        thread.start()
        noise = (0.01 * rng.standard_normal(16000 * 60)).astype(np.float32)
        sent = feeder.stream_audio(noise)
        stop.set()
        thread.join()
        harness.wait(lambda: harness.counter('audio_processed') >= sent, 120, 'all audio processed')
        harness.wait_stable('frames_processed')  # the last sampled frames finish too
        assert harness.counter('audio_msgs') == sent == 3000
        assert harness.counter('audio_dropped') == 0
        assert harness.counter('frames_processed') >= 60, harness.diag  # >= one frame per second
        # the drop counts are published; sampling keeps only the newest frame, so frames lost
        # on a busy best-effort camera topic cost nothing (the benchmark reports the rate)
        assert {'frames_dropped', 'audio_dropped', 'frames_bad'} <= set(harness.diag)
        assert 0 < harness.counter('frames_in') <= counts['images']
    finally:
        feeder.close()
        harness.close()
