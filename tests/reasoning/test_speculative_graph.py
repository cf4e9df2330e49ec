"""Speculative prefill in a real graph (memory, perception and reasoning nodes, default models):
a spoken question is published on speech/speculative_query in its end-of-speech pause, reasoning
prepares the answer and takes the plan when the question's Ask goal arrives; the answer is the
one given without speculation. A speculative question the final goal does not match is
discarded. Between questions, reasoning evaluates the standing records (the recent memory every
prompt starts with). (The model's prompt evaluated ahead: tests/models/test_llm_prefill.py.)"""
import threading
import time

import numpy as np
import pytest
import rclpy
from rclpy.action import ActionClient
from rclpy.executors import MultiThreadedExecutor

from omnilive.audio.speculative import SPECULATIVE_QUERY_TOPIC
from omnilive.bags import media
from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.ros.client import GraphDiagnostics, wait_until
from omnilive.ros.convert import item_to_msg, to_time
from omnilive.ros.feeder import Microphone, Sensors
from omnilive.ros.qos import DERIVED
from omnilive.util.diagnostics import Reasoning as R
from omnilive_msgs.action import Ask
from omnilive_msgs.msg import Answer, Utterance
from omnilive_msgs.srv import Insert
from tests.reasoning.conftest import NOW, scripted_items
from tests.rosutil import start_node_process

pytestmark = [pytest.mark.ros, pytest.mark.models]
NS = '/spectest'
QUESTION = 'How many cups did you see?'


class Graph:
    def __init__(self, tmp):
        args = ['-r', f'__ns:={NS}']
        self.procs = [start_node_process(exe, *args, *params, log_path=str(tmp / f'{exe}.log'))
                      for exe, params in [
                          ('memory_node', ['-p', f'storage_path:={tmp / "mem"}',
                                           '-p', 'compress_period_s:=3600.0']),
                          ('reasoning_node', ['-p', 'max_answer_tokens:=24',
                                              '-p', 'max_answer_sentences:=1']),
                          ('perception_node', ['-p', 'pose.enabled:=false',
                                               '-p', 'classifier.enabled:=false'])]]
        self.context = rclpy.context.Context()
        rclpy.init(context=self.context)
        self.node = rclpy.create_node('spectest', namespace=NS, context=self.context)
        self.speculative, self.answers = [], []
        self.node.create_subscription(Utterance, SPECULATIVE_QUERY_TOPIC, self.speculative.append,
                                      DERIVED)
        self.node.create_subscription(Answer, 'answers', self.answers.append, DERIVED)
        self.speculate_pub = self.node.create_publisher(Utterance, SPECULATIVE_QUERY_TOPIC,
                                                        DERIVED)
        self.insert = self.node.create_client(Insert, 'memory/insert')
        self.ask = ActionClient(self.node, Ask, 'ask')
        self.diagnostics = GraphDiagnostics(self.node, NS)
        self.sensors = Sensors(self.node)
        self.mic = Microphone(self.sensors, noise=0.002)
        self.executor = MultiThreadedExecutor(num_threads=3, context=self.context)
        self.executor.add_node(self.node)
        threading.Thread(target=self.executor.spin, daemon=True).start()

    def speculation(self, key: str) -> int:
        return int(self.diagnostics.number('reasoning', R.SPECULATION(key)))

    def wait(self, predicate, timeout, what):
        wait_until(predicate, timeout, what, 0.1,
                   lambda: f'reasoning: {self.diagnostics.of("reasoning")}')

    def call(self, future, timeout, what):
        self.wait(future.done, timeout, what)
        return future.result()

    def goal(self, question: str, asked_at: float, source: str):
        """Send an Ask goal and wait for its result."""
        handle = self.call(self.ask.send_goal_async(Ask.Goal(
            question_id=f'{source}-{len(self.answers)}', question=question, source=source,
            asked_at=to_time(asked_at))), 60, 'the goal accepted')
        assert handle.accepted
        return self.call(handle.get_result_async(), 240, f'the answer to {question!r}').result

    def close(self):
        self.mic.stop()
        self.executor.shutdown()
        self.node.destroy_node()
        rclpy.try_shutdown(context=self.context)
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(timeout=20)


@pytest.fixture(scope='module')
def graph(tmp_path_factory):
    g = Graph(tmp_path_factory.mktemp('speculative'))
    try:
        yield g
    finally:
        g.close()


def test_spoken_question_takes_the_prepared_plan_and_a_changed_text_is_discarded(graph):
    g = graph
    now = time.time()
    items = scripted_items()
    for item in items:   # the scripted memory, ending now (the microphone's stream clock)
        item.start, item.end = item.start - NOW + now, item.end - NOW + now
    items.append(MemoryItem(id='clip-desk', kind='clip', start=now - 30, end=now - 20,
                            text='1 laptop', labels=[Label(OBJECT, 'laptop', 1)]))
    assert g.insert.wait_for_service(timeout_sec=120)
    assert g.call(g.insert.call_async(Insert.Request(items=[item_to_msg(i) for i in items])),
                  60, 'memory/insert').success
    assert g.ask.wait_for_server(timeout_sec=180)
    g.wait(lambda: g.sensors.matched(['audio']) and
           g.speculate_pub.get_subscription_count() >= 2 and   # reasoning and ourselves
           g.diagnostics.of('reasoning'), 180, 'perception and reasoning active')
    # between questions the model evaluates the recent records every prompt starts with
    g.wait(lambda: g.diagnostics.number('reasoning', R.STANDING_TOKENS) > 0, 120,
           'the standing records evaluated')

    # a spoken question: speculated in its pause, prepared, taken by its goal
    g.mic.start()
    silence = np.zeros(16000, np.float32)
    g.mic.say(np.concatenate([silence, media.speak(QUESTION), silence, silence]))
    g.wait(lambda: any(a.source == 'voice' for a in g.answers), 240, 'the spoken answer')
    spoken = next(a for a in g.answers if a.source == 'voice')
    assert 'cups' in spoken.question.lower()
    assert len(g.speculative) == 1 and g.speculative[0].text == spoken.question
    assert spoken.answer   # a count: answered from the evidence (tests/models: the model's)
    g.wait(lambda: g.speculation('used') == 1, 10, 'the prepared plan counted as used')
    assert g.speculation('speculated') == 1 and g.speculation('discarded') == 0

    # the same question without speculation (a typed goal, same text and time): same answer
    typed = g.goal(spoken.question, spoken.asked_at.sec + spoken.asked_at.nanosec * 1e-9,
                   'text')
    assert typed.answer.answer == spoken.answer

    # the user went on speaking: the final text differs from the speculative one
    end = time.time()
    g.speculate_pub.publish(Utterance(id='speculative-test', text='How many cups did you',
                                      is_query=True, end=to_time(end)))
    g.wait(lambda: g.speculation('speculated') == 2, 30, 'the second speculation')
    result = g.goal('How many cups did you see on the table?', end, 'voice')
    assert result.answer.answer
    g.wait(lambda: g.speculation('discarded') == 1, 10, 'the speculation discarded')
    assert g.speculation('used') == 1
