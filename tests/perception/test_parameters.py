"""Parameters of a live perception node, changed through its SetParameters service: a run-time
one takes effect at once (the frame sampling rate, the wake word), a read-only one is refused
with its reason (its descriptor says it needs a restart) and an out-of-range value is refused.
The same node through its lifecycle services: deactivated it stops listening and watching (the
privacy mute) and activated it hears again; with image_transport auto it keeps only the camera
topic that publishes. What RViz or Foxglove see: a Detection2DArray per analysed frame in the
camera's frame, and a stored clip as a marker where the robot was, in the odometry's frame; the
items perception inserts name this robot (its namespace) and the frame of their pose. Also:
utterances name their frame, audio in an unknown format turns the status WARN, and everything it
publishes on /diagnostics is declared in the schema.

The photo is opencv-doc's scenetext01.jpg (looked at: a parked silver station wagon right of
centre, a woman at the right edge, a man at the left edge, a sign on a pole)."""
import itertools

import numpy as np
import pytest
from lifecycle_msgs.msg import Transition
from lifecycle_msgs.srv import ChangeState
from rcl_interfaces.srv import DescribeParameters, SetParameters
from rclpy.parameter import Parameter
from sensor_msgs.msg import Image

from audio_common_msgs.msg import AudioInfo
from diagnostic_msgs.msg import DiagnosticArray
from nav_msgs.msg import Odometry
from visualization_msgs.msg import Marker, MarkerArray
from omnilive.bags import media
from omnilive.bags.media import speak
from omnilive.ros.convert import to_time
from omnilive.ros.feeder import Microphone, Sensors
from omnilive.ros.qos import DERIVED, LATCHED, LOSSLESS_IMAGES
from omnilive.ros.visualization import vision_msgs
from omnilive.util.diagnostics import OK, WARN, Perception as K
from omnilive.vision.image_convert import rgb_to_image_fields
from tests.perception.harness import PerceptionHarness

pytestmark = [pytest.mark.ros, pytest.mark.models]
NS = '/paramtest'


@pytest.fixture(scope='module')
def harness(tmp_path_factory):
    h = PerceptionHarness(tmp_path_factory.mktemp('params'), NS,
                          ['-p', 'lossless:=true', '-p', 'diagnostics_period_s:=0.25',
                           '-p', 'clip_update_s:=1.0'])
    try:
        h.set_client = h.node.create_client(SetParameters, f'{NS}/perception/set_parameters')
        h.describe = h.node.create_client(DescribeParameters,
                                          f'{NS}/perception/describe_parameters')
        h.change_state = h.node.create_client(ChangeState, f'{NS}/perception/change_state')
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
    # the first frame waits for WordNet (lossless mode), minutes on a loaded machine
    h.wait(lambda: h.counter(K.FRAMES_IN) >= before_in + len(stamps), 300, 'frames to arrive')
    h.wait_stable(K.FRAMES_SAMPLED, 60)
    return h.counter(K.FRAMES_SAMPLED) - before


def test_frame_rate_changes_at_run_time(harness):
    quarter_seconds = [1000.0 + 0.25 * i for i in range(8)]
    assert sampled_of(harness, quarter_seconds) == 3        # 1.5 fps: 0, 0.75, 1.5 s
    result = set_parameter(harness, 'frame_rate_hz', 10.0)
    assert result.successful, result.reason
    later = [1010.0 + 0.25 * i for i in range(8)]
    assert sampled_of(harness, later) == 8                  # 10 fps: every 0.25 s frame


def call(h, client, request, what):
    future = client.call_async(request)
    h.wait(future.done, 60, what)
    return future.result()


def test_read_only_and_out_of_range_changes_are_refused(harness):
    result = set_parameter(harness, 'lossless', False)
    assert not result.successful and 'read-only' in result.reason
    [described] = call(harness, harness.describe, DescribeParameters.Request(
        names=['lossless']), 'describe').descriptors
    assert described.read_only and 'restart' in described.description
    result = set_parameter(harness, 'frame_rate_hz', 1000.0)
    assert not result.successful
    result = set_parameter(harness, 'scene.threshold', 0.8)   # a run-time one still works
    assert result.successful, result.reason


def test_diagnostics_keys_are_all_declared(harness):
    harness.wait(lambda: K.FRAMES_PROCESSED in harness.diag, 30, 'diagnostics')
    assert K.undeclared(harness.diag) == []


def test_wake_word_changes_at_run_time(harness):
    """The same spoken sentence: speech without a wake word, a question to the robot once
    `wake_word` is set to the word it starts with."""
    h = harness
    mic = Microphone(Sensors(h.node, lossless=True), noise=0.001).start()
    sentence = speak('Robot, my keys are on the kitchen table.')
    try:
        h.wait(lambda: h.node.count_subscribers('/audio/audio') > 0, 60, 'audio subscription')
        for wake_word, is_query in (('', False), ('robot', True)):
            assert set_parameter(h, 'wake_word', wake_word).successful
            heard = len(h.utterances)
            mic.say(sentence)
            h.wait(lambda: len(h.utterances) > heard, 180, 'the utterance')
            utterance = h.utterances[heard]
            assert 'keys' in utterance.text.lower(), utterance.text
            assert utterance.is_query is is_query, (wake_word, utterance.text)
            assert utterance.header.frame_id == 'base_link'   # unstamped audio: the parameter
    finally:
        mic.stop()
    h.wait(lambda: h.goals, 60, 'the question sent to the ask action')
    assert 'keys' in h.goals[-1].question.lower()


def transition(h, transition_id) -> bool:
    request = ChangeState.Request()
    request.transition.id = transition_id
    return call(h, h.change_state, request, 'change_state').success


def test_auto_transport_keeps_the_camera_topic_that_publishes(harness):
    h = harness   # the fixture's camera publishes raw Images
    assert h.node.count_subscribers('/camera/image_raw') == 1
    assert h.node.count_subscribers('/camera/image_raw/compressed') == 0


def test_deactivate_is_a_privacy_mute_and_activate_listens_again(harness):
    h = harness
    assert transition(h, Transition.TRANSITION_DEACTIVATE)
    h.wait(lambda: h.diag.get('lifecycle') == 'inactive', 30, 'inactive status')
    for topic in ('/audio/audio', '/audio/audio_stamped', '/camera/image_raw'):
        assert h.node.count_subscribers(topic) == 0, topic   # nothing heard or seen
    assert transition(h, Transition.TRANSITION_ACTIVATE)
    h.wait(lambda: h.node.count_subscribers('/audio/audio') == 1 and
           h.camera.get_subscription_count() == 1, 30, 'perception to subscribe again')
    assert sampled_of(h, [2000.0 + i for i in range(3)]) == 3   # and it watches again


def test_audio_in_an_unknown_format_turns_the_status_warn_until_a_usable_one(harness):
    h = harness
    levels = []
    h.node.create_subscription(DiagnosticArray, '/diagnostics', lambda m: levels.extend(
        s.level[0] for s in m.status if s.name == f'omnilive: {NS}/perception'), 50)
    info = h.node.create_publisher(AudioInfo, '/audio/audio_info', LATCHED)
    info.publish(AudioInfo(channels=1, sample_rate=16000, sample_format='S16LE',
                           coding_format='opus'))
    h.wait(lambda: 'opus' in h.diag.get(K.AUDIO_UNUSABLE, '') and levels and levels[-1] == WARN,
           60, 'a WARN status saying why audio is dropped')
    info.publish(AudioInfo(channels=1, sample_rate=16000, sample_format='S16LE',
                           coding_format='wave'))
    h.wait(lambda: h.diag.get(K.AUDIO_UNUSABLE) == '' and levels[-1] == OK, 60, 'OK again')


def test_detections_markers_and_item_frames(harness):
    h = harness
    detections, markers = [], []
    h.node.create_subscription(vision_msgs().Detection2DArray, f'{NS}/detections',
                               detections.append, DERIVED)
    h.node.create_subscription(MarkerArray, f'{NS}/memory/markers', markers.append, DERIVED)
    odom = h.node.create_publisher(Odometry, '/odom', DERIVED)
    h.wait(lambda: odom.get_subscription_count() and h.node.count_publishers(
        f'{NS}/detections') and h.node.count_publishers(f'{NS}/memory/markers'), 60,
        'odometry and the visual topics to match')
    poses, stamps = h.counter(K.POSES_IN), itertools.count(2999.0)

    def stand():   # the robot stands at (2, -1) in its odometry frame, odometry streaming
        pose = Odometry()
        pose.header.stamp, pose.header.frame_id = to_time(next(stamps)), 'odom'
        pose.pose.pose.position.x, pose.pose.pose.position.y = 2.0, -1.0
        pose.pose.pose.orientation.w = 1.0
        odom.publish(pose)
        return h.counter(K.POSES_IN) > poses
    # a best-effort subscription (depth 5) under load can drop a burst: frames only once a
    # pose arrived, or the clip has none and no marker
    h.wait(stand, 60, 'perception to receive odometry')
    rgb = next(media.frames('opencv:text/scenetext01.jpg', 1, 1, (640, 480)))
    processed = h.counter(K.FRAMES_PROCESSED)
    for i in range(4):
        frame = Image(**rgb_to_image_fields(rgb))
        frame.header.stamp, frame.header.frame_id = to_time(3000.0 + 0.7 * i), 'front_camera'
        h.camera.publish(frame)
    h.wait(lambda: h.counter(K.FRAMES_PROCESSED) >= processed + 3 and markers, 300,
           'frames analysed and a clip stored')
    ours = [m for m in detections if m.header.stamp.sec >= 3000]
    assert ours and all(m.header.frame_id == 'front_camera' for m in ours)
    for msg in ours:
        names = {r.hypothesis.class_id for d in msg.detections for r in d.results}
        assert {'car', 'person'} <= names, names
    clip = [m for array in markers for m in array.markers if m.ns == 'clip']
    assert clip and all(m.header.frame_id == 'odom' and m.action == Marker.ADD for m in clip)
    assert (clip[-1].pose.position.x, clip[-1].pose.position.y) == (2.0, -1.0)
    items = h.retrieve('car', kinds=['clip'])
    assert items and all(i.robot_id == 'paramtest' for i in items)
    cars = [i for i in items if i.has_pose and any(label.name == 'car' for label in i.labels)]
    assert cars and all(i.frame_id == 'odom' for i in cars), [(i.text, i.frame_id) for i in items]
