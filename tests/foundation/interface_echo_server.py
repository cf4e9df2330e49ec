"""A separate process that serves every omnilive interface by echoing what it receives, so the
round-trip test crosses a real process boundary (DDS serialization both ways)."""
import sys
import time

import rclpy
from rclpy.action import ActionServer, CancelResponse, GoalResponse
from rclpy.callback_groups import ReentrantCallbackGroup
from rclpy.executors import ExternalShutdownException, MultiThreadedExecutor
from rclpy.node import Node

from audio_common_msgs.msg import AudioData
from omnilive_msgs.action import Ask
from omnilive_msgs.msg import Answer
from omnilive_msgs.srv import Forget, Insert, Remember, Retrieve, Stats
from omnilive.ros.qos import DERIVED


class EchoServer(Node):
    def __init__(self):
        super().__init__('interface_echo')
        self.stored = []
        group = ReentrantCallbackGroup()
        self.create_service(Insert, 'memory/insert', self.insert, callback_group=group)
        self.create_service(Retrieve, 'memory/retrieve', self.retrieve, callback_group=group)
        self.create_service(Remember, 'memory/remember', self.remember, callback_group=group)
        self.create_service(Forget, 'memory/forget', self.forget, callback_group=group)
        self.create_service(Stats, 'memory/stats', self.stats, callback_group=group)
        self.echo = self.create_publisher(AudioData, 'audio_echo', DERIVED)
        self.create_subscription(AudioData, 'audio_in', self.echo.publish, DERIVED)
        ActionServer(self, Ask, 'ask', self.execute, callback_group=group,
                     goal_callback=lambda goal: GoalResponse.ACCEPT,
                     cancel_callback=lambda handle: CancelResponse.ACCEPT)

    def insert(self, req, res):
        self.stored.extend(req.items)
        res.ids = [item.id for item in req.items]
        res.success = True
        return res

    def retrieve(self, req, res):
        res.items = [i for i in self.stored if not req.kinds or i.kind in req.kinds][:req.top_k]
        for item in res.items:
            item.score = 0.5
        res.latency_ms = 1.5
        return res

    def remember(self, req, res):
        res.id = f'note:{req.text}:{req.stamp.sec}'
        return res

    def forget(self, req, res):
        before = len(self.stored)
        self.stored = [i for i in self.stored if i.id not in req.ids]
        res.removed = before - len(self.stored)
        return res

    def stats(self, req, res):
        kinds = sorted({i.kind for i in self.stored})
        res.kinds = kinds
        res.levels = ['short'] * len(kinds)
        res.counts = [sum(i.kind == k for i in self.stored) for k in kinds]
        res.bytes = 12345678901
        res.compression_ratio = 2.5
        if self.stored:
            res.oldest = min((i.start for i in self.stored), key=lambda t: (t.sec, t.nanosec))
        return res

    def execute(self, handle):
        goal = handle.request
        words = goal.question.split()
        for n in range(1, len(words) + 1):
            if handle.is_cancel_requested:
                handle.canceled()
                return Ask.Result()
            handle.publish_feedback(Ask.Feedback(partial=' '.join(words[:n])))
            time.sleep(0.2 if goal.question.startswith('slow') else 0.01)
        handle.succeed()
        answer = Answer(question_id=goal.question_id or 'generated', question=goal.question,
                        source=goal.source, asked_at=goal.asked_at, answer=goal.question.upper(),
                        answered_by=Answer.BY_DIRECT, evidence=self.stored[:1], total_ms=3.0)
        return Ask.Result(answer=answer)


def main():
    rclpy.init()
    node = EchoServer()
    executor = MultiThreadedExecutor(num_threads=4)
    executor.add_node(node)
    print('ready', flush=True)
    try:
        executor.spin()
    except (KeyboardInterrupt, ExternalShutdownException):
        pass


if __name__ == '__main__':
    sys.exit(main())
