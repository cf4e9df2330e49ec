"""Reasoning and TTS nodes in a real graph with the real memory node and default models."""
import numpy as np
import pytest
import rclpy
from action_msgs.msg import GoalStatus
from builtin_interfaces.msg import Time
from rclpy.action import ActionClient
from rclpy.executors import SingleThreadedExecutor
from std_msgs.msg import Bool, Empty

from audio_common_msgs.msg import AudioData, AudioInfo
from omnilive.ros.convert import item_to_msg
from omnilive.ros.qos import DERIVED, LATCHED
from omnilive_msgs.action import Ask
from omnilive_msgs.msg import Answer, Sentence
from omnilive_msgs.srv import Insert
from tests.reasoning.conftest import NOW, scripted_items
from tests.rosutil import spin_until, start_node_process, wait_future

pytestmark = [pytest.mark.ros, pytest.mark.models]
NS = '/rtest'


@pytest.fixture(scope='module')
def graph(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('graph')
    procs = [start_node_process(exe, '-r', f'__ns:={NS}', *args, log_path=str(tmp / f'{exe}.log'))
             for exe, args in [('memory_node', ['-p', f'storage_path:={tmp / "mem"}']),
                               ('reasoning_node', ['-p', 'direct_answers:=false']),
                               ('tts_node', [])]]
    yield tmp
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=20)


@pytest.fixture
def client(graph, ros_context):
    node = rclpy.create_node('rtest_client', context=ros_context)
    executor = SingleThreadedExecutor(context=ros_context)
    executor.add_node(node)
    yield node, executor
    node.destroy_node()


def insert_scripted_memory_and_connect(node, executor) -> ActionClient:
    """The scripted memory in the memory node (upserts: the same ids every time), and an ask
    action client whose server is up."""
    insert = node.create_client(Insert, f'{NS}/memory/insert')
    assert insert.wait_for_service(timeout_sec=120)
    res = wait_future(executor, insert.call_async(Insert.Request(
        items=[item_to_msg(i) for i in scripted_items()])), 60, 'insert')
    assert res.success
    action = ActionClient(node, Ask, f'{NS}/ask')
    assert action.wait_for_server(timeout_sec=120)
    return action


def test_ask_streams_speaks_and_cancels(client):
    node, executor = client
    events = []
    audio, speaking, info = [], [], []
    subscriptions = [
        node.create_subscription(Sentence, f'{NS}/tts', lambda m: events.append(('sentence', m)),
                                 DERIVED),
        node.create_subscription(Answer, f'{NS}/answers', lambda m: events.append(('answer', m)),
                                 DERIVED),
        node.create_subscription(AudioData, f'{NS}/speech/audio',
                                 lambda m: audio.append(bytes(m.data)), DERIVED),
        node.create_subscription(AudioInfo, f'{NS}/speech/audio_info', info.append, LATCHED),
        node.create_subscription(Bool, f'{NS}/speaking', lambda m: speaking.append(m.data),
                                 DERIVED)]

    action = insert_scripted_memory_and_connect(node, executor)
    # a direct answer's sentences follow the goal within milliseconds: every topic matched first
    spin_until(executor, lambda: all(sub.get_publisher_count() > 0 for sub in subscriptions), 60,
               'reasoning and tts publishers matched')

    def feedback(fb):
        events.append(('feedback', fb.feedback.partial))

    goal = Ask.Goal(question='How many cars did you see?', source='text',
                    asked_at=Time(sec=int(NOW)), speak=True)
    handle = wait_future(executor, action.send_goal_async(goal, feedback_callback=feedback),
                         60, 'goal')
    result = wait_future(executor, handle.get_result_async(), 120, 'result')
    events.append(('result', result))
    assert result.status == GoalStatus.STATUS_SUCCEEDED
    answer = result.result.answer
    assert '3' in answer.answer or 'three' in answer.answer.lower(), answer.answer
    assert answer.answered_by in ('model', 'direct') and answer.evidence
    assert 0 < answer.first_token_ms <= answer.total_ms and answer.retrieval_ms > 0
    kinds = [k for k, _ in events]
    assert kinds.index('feedback') < kinds.index('result')
    assert kinds.index('sentence') < kinds.index('result')
    spin_until(executor, lambda: any(k == 'answer' for k, _ in events), 30, 'answers topic')

    # the TTS node speaks it: real, non-silent audio at the declared rate, speaking true -> false
    spin_until(executor, lambda: True in speaking and speaking[-1] is False and audio, 60,
               'speech to finish')
    spin_until(executor, lambda: info, 30, 'audio info')
    pcm = np.frombuffer(b''.join(audio), '<i2')
    assert info[0].sample_rate >= 8000 and info[0].sample_format == 'S16LE'
    assert np.abs(pcm).max() > 2000 and len(pcm) / info[0].sample_rate > 0.5

    # cancel: a long generation stops and ends CANCELED
    long_goal = Ask.Goal(question='Describe what you saw.', source='text',
                         asked_at=Time(sec=int(NOW)), speak=False)
    handle = wait_future(executor, action.send_goal_async(long_goal, feedback_callback=feedback),
                         60, 'goal 2')
    wait_future(executor, handle.cancel_goal_async(), 30, 'cancel')
    result = wait_future(executor, handle.get_result_async(), 120, 'cancelled result')
    assert result.status == GoalStatus.STATUS_CANCELED


def test_tts_speech_grows_with_text_and_interrupt_stops_it(client):
    node, executor = client
    audio, speaking = [], []
    audio_sub = node.create_subscription(AudioData, f'{NS}/speech/audio',
                                         lambda m: audio.append(len(m.data)), DERIVED)
    speaking_sub = node.create_subscription(Bool, f'{NS}/speaking',
                                            lambda m: speaking.append(m.data), DERIVED)
    pub = node.create_publisher(Sentence, f'{NS}/tts', DERIVED)
    interrupt = node.create_publisher(Empty, f'{NS}/interrupt', DERIVED)
    spin_until(executor, lambda: pub.get_subscription_count() > 0 and
               interrupt.get_subscription_count() > 0, 60, 'tts subscriber')
    # our own subscriptions must be matched too, or the first `speaking` message is missed
    spin_until(executor, lambda: audio_sub.get_publisher_count() > 0 and
               speaking_sub.get_publisher_count() > 0, 60, 'speech/audio and speaking matched')

    def speak(text):
        audio.clear()
        speaking.clear()
        pub.publish(Sentence(question_id='t', index=0, text=text))
        spin_until(executor, lambda: True in speaking and speaking[-1] is False, 60, 'speech')
        return sum(audio)

    short = speak('Hello.')
    long = speak('Hello. I saw three cars, two people and a traffic light on the street.')
    assert long > 2 * short > 0

    audio.clear()
    speaking.clear()
    pub.publish(Sentence(question_id='t', index=0, text='This is a long sentence ' * 8))
    spin_until(executor, lambda: True in speaking and audio, 60, 'speech start')
    interrupt.publish(Empty())
    spin_until(executor, lambda: speaking[-1] is False, 30, 'speaking false after interrupt')
    heard = sum(audio)
    full = 2 * 22050 * 10  # the sentence lasts well over 10 s when spoken in full
    assert heard < full


def test_an_answer_written_by_the_model_through_the_node(client):
    """The LLM path end to end (direct answers are off in this graph): the answer is the
    model's, not the evidence's replacement, and it states a fact that is in memory and not in
    the question. Never the exact wording: greedy text can differ between CPU builds."""
    node, executor = client
    action = insert_scripted_memory_and_connect(node, executor)
    goal = Ask.Goal(question='Where are my keys?', source='text', asked_at=Time(sec=int(NOW)),
                    speak=False)
    handle = wait_future(executor, action.send_goal_async(goal), 60, 'goal')
    result = wait_future(executor, handle.get_result_async(), 300, 'result')
    assert result.status == GoalStatus.STATUS_SUCCEEDED
    answer = result.result.answer
    assert answer.answered_by == 'model', (answer.answered_by, answer.answer)
    assert 'drawer' in answer.answer.lower(), answer.answer
    assert any(e.kind == 'note' for e in answer.evidence)
