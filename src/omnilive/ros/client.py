"""A small client for a running omnilive graph (used by `omnilive ask`, `omnilive memory`,
the demo and the evaluation): ask questions, call the memory services."""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

import rclpy
from rclpy.action import ActionClient
from rclpy.executors import MultiThreadedExecutor

from omnilive.ros.convert import to_time
from omnilive.ros.interfaces import omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.node_util import wait_future


class GraphClient:
    def __init__(self, namespace: str = '/omnilive', name: str = 'omnilive_client'):
        import os
        from omnilive.ros.run import fastdds_profile
        # the same transports as the graph's nodes (raw frames over shared memory)
        os.environ.setdefault('FASTDDS_DEFAULT_PROFILES_FILE', str(fastdds_profile()))
        self.ns = '/' + namespace.strip('/')
        self.context = rclpy.context.Context()
        rclpy.init(context=self.context)
        self.node = rclpy.create_node(name, context=self.context)
        self.executor = MultiThreadedExecutor(num_threads=2, context=self.context)
        self.executor.add_node(self.node)
        self._thread = threading.Thread(target=self.executor.spin, daemon=True)
        self._thread.start()
        self.Ask = omnilive_actions().Ask
        self.ask_client = ActionClient(self.node, self.Ask, f'{self.ns}/ask')
        self.srv = omnilive_srvs()
        self.msgs = omnilive_msgs()

    def ask(self, question: str, source: str = 'text', speak: bool = False,
            asked_at: float = 0.0, timeout: float = 180.0,
            on_feedback: Optional[Callable[[str], None]] = None):
        """(status, Answer) of one question."""
        if not self.ask_client.wait_for_server(timeout_sec=timeout):
            raise TimeoutError(f'no ask action server at {self.ns}/ask: is the graph running?')
        goal = self.Ask.Goal(question=question, source=source, speak=speak,
                             asked_at=to_time(asked_at))
        handle = wait_future(self.ask_client.send_goal_async(
            goal, feedback_callback=(lambda fb: on_feedback(fb.feedback.partial))
            if on_feedback else None), timeout, 'ask')
        result = wait_future(handle.get_result_async(), timeout, 'answer')
        return result.status, result.result.answer

    def call(self, srv_name: str, request, timeout: float = 60.0):
        srv_type = getattr(self.srv, {'insert': 'Insert', 'retrieve': 'Retrieve',
                                      'remember': 'Remember', 'forget': 'Forget',
                                      'stats': 'Stats'}[srv_name])
        client = self.node.create_client(srv_type, f'{self.ns}/memory/{srv_name}')
        try:
            if not client.wait_for_service(timeout_sec=timeout):
                raise TimeoutError(f'{self.ns}/memory/{srv_name} is not available')
            return wait_future(client.call_async(request), timeout, srv_name)
        finally:
            self.node.destroy_client(client)

    def close(self) -> None:
        # stop the spin thread before tearing down what it spins: a C++ executor thread still
        # running at interpreter exit aborts the process
        self.executor.shutdown(timeout_sec=5)
        self._thread.join(timeout=5)
        self.node.destroy_node()
        rclpy.try_shutdown(context=self.context)


def wait_until(predicate, timeout: float, what: str, step: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f'timed out waiting for {what}')
        time.sleep(step)
