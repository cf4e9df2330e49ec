"""Every omnilive interface crosses a real ROS graph (two processes) intact."""
import os
import subprocess
import sys

import pytest
import rclpy
from action_msgs.msg import GoalStatus
from builtin_interfaces.msg import Time
from rclpy.action import ActionClient
from rclpy.executors import SingleThreadedExecutor

from audio_common_msgs.msg import AudioData
from omnilive_msgs.action import Ask
from omnilive_msgs.srv import Forget, Insert, Remember, Retrieve, Stats
from omnilive.memory.types import OBJECT, SPEECH, TEXT, Label
from omnilive.memory.types import MemoryItem as Item
from omnilive.ros.convert import item_from_msg, item_to_msg
from omnilive.ros.qos import DERIVED
from tests.rosutil import spin_until, wait_future

pytestmark = pytest.mark.ros


@pytest.fixture(scope='module')
def echo_server():
    proc = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__),
                                                          'interface_echo_server.py')],
                            stdout=subprocess.PIPE, env=os.environ.copy())
    assert proc.stdout.readline().strip() == b'ready'
    yield proc
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def client(ros_context, echo_server):
    node = rclpy.create_node('roundtrip_client', context=ros_context)
    executor = SingleThreadedExecutor(context=ros_context)
    executor.add_node(node)
    yield node, executor
    node.destroy_node()


def call(node, executor, srv_type, name, request):
    cli = node.create_client(srv_type, name)
    assert cli.wait_for_service(timeout_sec=30), f'{name} not available'
    return wait_future(executor, cli.call_async(request), what=name)


def sample_items():
    clip = Item(id='clip-1', kind='clip', start=100.25, end=104.5,
                text='2 people; a sign reads EXIT',
                labels=[Label(OBJECT, 'person', 2, synset='person.n.01', score=0.875,
                              attributes={'colour': 'red', 'box': [1, 2.5, 30, 40]}),
                        Label(TEXT, 'EXIT'), Label(SPEECH, 'see you: at noon')],
                pose=(1.0, 2.0, 0.0, 0, 0, 0.7071, 0.7071),
                keyframe_jpeg=b'\xff\xd8\xff\xe0' + bytes(range(256)) * 4,
                image_embedding=[0.25, -1.5, 3.0])
    speech = Item(id='speech-1', kind='speech', start=105.0, end=106.0, text='hello there')
    return [clip, speech]


def test_memory_services_round_trip(client):
    node, executor = client
    items = sample_items()
    res = call(node, executor, Insert, 'memory/insert',
               Insert.Request(items=[item_to_msg(i) for i in items]))
    assert res.success and list(res.ids) == ['clip-1', 'speech-1']

    res = call(node, executor, Retrieve, 'memory/retrieve',
               Retrieve.Request(query='exit sign', top_k=5, kinds=['clip'],
                                since=Time(sec=100), until=Time(sec=200)))
    assert len(res.items) == 1 and res.latency_ms == pytest.approx(1.5)
    back = item_from_msg(res.items[0])
    sent = items[0]
    assert (back.id, back.kind, back.text, back.labels) == \
        (sent.id, sent.kind, sent.text, sent.labels)
    assert back.labels[0].attributes['box'] == (1, 2.5, 30, 40)
    assert back.start == pytest.approx(sent.start) and back.end == pytest.approx(sent.end)
    assert back.pose == pytest.approx(sent.pose)
    assert back.keyframe_jpeg == sent.keyframe_jpeg
    assert back.image_embedding == pytest.approx(sent.image_embedding)
    assert back.score == pytest.approx(0.5)

    res = call(node, executor, Remember, 'memory/remember',
               Remember.Request(text='keys in the drawer', stamp=Time(sec=42)))
    assert res.id == 'note:keys in the drawer:42'

    res = call(node, executor, Stats, 'memory/stats', Stats.Request())
    assert list(res.kinds) == ['clip', 'speech'] and list(res.counts) == [1, 1]
    assert res.bytes == 12345678901 and res.oldest.sec == 100

    res = call(node, executor, Forget, 'memory/forget', Forget.Request(ids=['clip-1']))
    assert res.removed == 1


def test_ask_feedback_result_and_cancel(client):
    node, executor = client
    action = ActionClient(node, Ask, 'ask')
    assert action.wait_for_server(timeout_sec=30)

    feedback = []
    goal = Ask.Goal(question_id='q1', question='what did you see today', source='text',
                    asked_at=Time(sec=7), speak=True)
    handle = wait_future(executor, action.send_goal_async(
        goal, feedback_callback=lambda fb: feedback.append(fb.feedback.partial)), what='goal')
    assert handle.accepted
    result = wait_future(executor, handle.get_result_async(), what='result')
    assert result.status == GoalStatus.STATUS_SUCCEEDED
    answer = result.result.answer
    assert answer.question_id == 'q1' and answer.answer == 'WHAT DID YOU SEE TODAY'
    assert answer.asked_at.sec == 7 and answer.answered_by == 'direct'
    assert feedback and feedback[-1] == 'what did you see today'

    slow = Ask.Goal(question='slow ' + 'word ' * 100, source='voice')
    handle = wait_future(executor, action.send_goal_async(slow), what='slow goal')
    cancel = wait_future(executor, handle.cancel_goal_async(), what='cancel')
    assert len(cancel.goals_canceling) == 1
    result = wait_future(executor, handle.get_result_async(), what='canceled result')
    assert result.status == GoalStatus.STATUS_CANCELED


def test_audio_data_byte_identical(client):
    node, executor = client
    received = []
    # Reliable on both legs: this checks the type's payload, not best-effort delivery.
    pub = node.create_publisher(AudioData, 'audio_in', DERIVED)
    node.create_subscription(AudioData, 'audio_echo', lambda m: received.append(bytes(m.data)),
                             DERIVED)
    spin_until(executor, lambda: pub.get_subscription_count() > 0, what='audio subscriber')
    spin_until(executor, lambda: node.count_publishers('audio_echo') > 0, what='echo publisher')
    payloads = [bytes(range(256)) * 2 + bytes([i]) for i in range(10)] + [b'', b'\x00' * 64000]
    for n, data in enumerate(payloads, start=1):
        pub.publish(AudioData(data=data))
        spin_until(executor, lambda: len(received) >= n, what=f'echo of audio message {n}')
    assert received == payloads
