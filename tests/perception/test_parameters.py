"""Parameters of a live perception node, changed through its SetParameters service: a run-time
one takes effect at once (the frame sampling rate), a read-only one and an out-of-range value
are refused. Also: everything it publishes on /diagnostics is declared in the schema."""
import numpy as np
import pytest
from rcl_interfaces.srv import SetParameters
from rclpy.parameter import Parameter
from sensor_msgs.msg import Image

from omnilive.ros.convert import to_time
from omnilive.ros.qos import LOSSLESS_IMAGES
from omnilive.util.diagnostics import Perception as K
from omnilive.vision.image_convert import rgb_to_image_fields
from tests.perception.harness import PerceptionHarness

pytestmark = [pytest.mark.ros, pytest.mark.models]
NS = '/paramtest'


@pytest.fixture(scope='module')
def harness(tmp_path_factory):
    h = PerceptionHarness(tmp_path_factory.mktemp('params'), NS,
                          ['-p', 'lossless:=true', '-p', 'diagnostics_period_s:=0.25'],
                          memory=False)
    try:
        h.set_client = h.node.create_client(SetParameters, f'{NS}/perception/set_parameters')
        assert h.set_client.wait_for_service(timeout_sec=180)
        h.camera = h.node.create_publisher(Image, '/camera/image_raw', LOSSLESS_IMAGES)
        h.wait(lambda: h.camera.get_subscription_count() > 0 and K.FRAMES_IN in h.diag, 180,
               'perception to subscribe and report')
        yield h
    finally:
        h.close()


def set_parameter(h, name, value):
    future = h.set_client.call_async(SetParameters.Request(
        parameters=[Parameter(name, value=value).to_parameter_msg()]))
    h.wait(future.done, 30, f'set {name}')
    return future.result().results[0]


def sampled_of(h, stamps) -> int:
    """Publish one small frame per stamp; how many perception sampled."""
    rgb = np.random.default_rng(0).integers(0, 255, (48, 64, 3), np.uint8)
    before_in, before = h.counter(K.FRAMES_IN), h.counter(K.FRAMES_SAMPLED)
    for t in stamps:
        msg = Image(**rgb_to_image_fields(rgb))
        msg.header.stamp = to_time(t)
        h.camera.publish(msg)
    h.wait(lambda: h.counter(K.FRAMES_IN) >= before_in + len(stamps), 60, 'frames to arrive')
    h.wait_stable(K.FRAMES_SAMPLED, 60)
    return h.counter(K.FRAMES_SAMPLED) - before


def test_frame_rate_changes_at_run_time(harness):
    quarter_seconds = [1000.0 + 0.25 * i for i in range(8)]
    assert sampled_of(harness, quarter_seconds) == 3        # 1.5 fps: 0, 0.75, 1.5 s
    result = set_parameter(harness, 'frame_rate_hz', 10.0)
    assert result.successful, result.reason
    later = [1010.0 + 0.25 * i for i in range(8)]
    assert sampled_of(harness, later) == 8                  # 10 fps: every 0.25 s frame


def test_read_only_and_out_of_range_changes_are_refused(harness):
    result = set_parameter(harness, 'lossless', False)
    assert not result.successful and 'read-only' in result.reason
    result = set_parameter(harness, 'frame_rate_hz', 1000.0)
    assert not result.successful
    result = set_parameter(harness, 'scene.threshold', 0.8)   # a run-time one still works
    assert result.successful, result.reason


def test_diagnostics_keys_are_all_declared(harness):
    harness.wait(lambda: K.FRAMES_PROCESSED in harness.diag, 30, 'diagnostics')
    assert K.undeclared(harness.diag) == []
