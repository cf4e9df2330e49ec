"""A small client for a running omnilive graph (used by `omnilive ask`, `omnilive memory`,
the demo and the evaluation): ask questions, call the memory services.

Every question ends in a defined state: an action client alone waits forever for the result of
a goal whose server died, so `ask` re-requests the result now and then (a restarted server
answers UNKNOWN for a goal it never had) and watches the server's presence (a dead one leaves
discovery after its lease, ~20 s); either way the question ends ABORTED with a message."""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

import rclpy
from action_msgs.msg import GoalStatus
from rclpy.action import ActionClient
from rclpy.executors import MultiThreadedExecutor

from omnilive.ros.convert import to_time
from omnilive.ros.interfaces import omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.node_util import wait_future


def check_text(text: str, what: str = 'question') -> None:
    """ValueError unless `text` can be sent as a ROS string (UTF-8). Undecodable bytes from a
    command line or a file arrive in Python as lone surrogates, which rclpy cannot encode."""
    try:
        text.encode('utf-8')
    except UnicodeEncodeError as err:
        raw = text[err.start:err.end].encode('utf-8', 'surrogateescape')
        raise ValueError(f'the {what} is not valid UTF-8 text (bytes {raw!r} at character '
                         f'{err.start}): check the encoding of the terminal (locale) or file '
                         'it came from') from None


class AskOutcome(tuple):
    """The end of one question: unpacks as (status, answer) (a GoalStatus and an Answer) and
    says in `error` why there is no answer ('' when there is one): the reasoning node's Ask
    result `error` (memory unavailable, the model failed), or the client's own finding (the
    goal was rejected, the server stopped or restarted before answering)."""

    def __new__(cls, status: int, answer, error: str = ''):
        outcome = super().__new__(cls, (status, answer))
        outcome.status, outcome.answer, outcome.error = status, answer, error
        return outcome


class GraphClient:
    RESULT_PROBE_S = 3.0     # how often a pending goal's result is re-requested
    SERVER_GONE_S = 2.0      # the ask server absent this long: the goal is lost
    PROBES_SETTLE_S = 0.5    # a finished goal's other result probes, answered with it

    def __init__(self, namespace: str = '/omnilive', name: str = 'omnilive_client'):
        import os
        from omnilive.ros.supervisor import fastdds_profile
        # the same transports as the graph's nodes (raw frames over shared memory)
        os.environ.setdefault('FASTDDS_DEFAULT_PROFILES_FILE', str(fastdds_profile()))
        self.ns = '/' + namespace.strip('/')
        self.context = rclpy.context.Context()
        rclpy.init(context=self.context)
        self.node = rclpy.create_node(name, context=self.context)
        self.executor = MultiThreadedExecutor(num_threads=2, context=self.context)
        self.executor.add_node(self.node)
        self.Ask = omnilive_actions().Ask
        self.ask_client = ActionClient(self.node, self.Ask, f'{self.ns}/ask')
        self.srv = omnilive_srvs()
        self.msgs = omnilive_msgs()
        # spin only once the action client is whole: an executor that lists its waitables while
        # ActionClient.__init__ runs meets one without its lock and its thread dies
        self._thread = threading.Thread(target=self.executor.spin, daemon=True)
        self._thread.start()

    def ask(self, question: str, source: str = 'text', speak: bool = False,
            asked_at: float = 0.0, timeout: float = 180.0,
            on_feedback: Optional[Callable[[str], None]] = None):
        """The AskOutcome of one question: (status, Answer) with status a GoalStatus: SUCCEEDED,
        CANCELED or ABORTED (also when the server rejected the goal or stopped before
        answering), and `error` saying why there is no answer. ValueError for text that is not
        UTF-8; TimeoutError when no server is up, or no answer came within `timeout` (the goal
        is then cancelled)."""
        check_text(question)
        if not self.ask_client.wait_for_server(timeout_sec=timeout):
            raise TimeoutError(f'no ask action server at {self.ns}/ask: is the graph running?')
        goal = self.Ask.Goal(question=question, source=source, speak=speak,
                             asked_at=to_time(asked_at))
        handle = wait_future(self.ask_client.send_goal_async(
            goal, feedback_callback=(lambda fb: on_feedback(fb.feedback.partial))
            if on_feedback else None), timeout, 'ask')
        if not handle.accepted:
            return self._no_answer(goal, 'The reasoning node rejected the question (too many '
                                   'are waiting): ask again later.')
        return self._result(handle, goal, time.monotonic() + timeout)

    def _no_answer(self, goal, why: str) -> AskOutcome:
        return AskOutcome(GoalStatus.STATUS_ABORTED,
                          self.msgs.Answer(question=goal.question, source=goal.source), why)

    def _result(self, handle, goal, deadline: float):
        """Wait for the goal's result, or find out that its server is gone."""
        requests = [handle.get_result_async()]
        next_probe = time.monotonic() + self.RESULT_PROBE_S
        gone_since = None
        try:
            while True:
                for future in requests:
                    res = future.result() if future.done() else None
                    if res is not None and res.status != GoalStatus.STATUS_UNKNOWN:
                        # the server answers every probe of a finished goal at once: the other
                        # probes take their answers first (dropped, each answer would be logged
                        # as an unexpected result)
                        settle = time.monotonic() + self.PROBES_SETTLE_S
                        while not all(f.done() for f in requests) and time.monotonic() < settle:
                            time.sleep(0.005)
                        return AskOutcome(res.status, res.result.answer, res.result.error)
                if any(f.done() and f.result() is not None for f in requests):
                    # a server answered UNKNOWN: it never had this goal (it was restarted)
                    return self._no_answer(
                        goal, 'The reasoning node restarted before answering: ask again.')
                now = time.monotonic()
                if self.ask_client.server_is_ready():
                    gone_since = None
                elif gone_since is None:
                    gone_since = now
                elif now - gone_since > self.SERVER_GONE_S:
                    return self._no_answer(
                        goal, 'The reasoning node stopped before answering: ask again.')
                if now > deadline:
                    handle.cancel_goal_async()  # do not leave it queued for nobody
                    raise TimeoutError(f'no answer from {self.ns}/ask within the timeout')
                if now >= next_probe:
                    requests.append(handle.get_result_async())
                    next_probe = now + self.RESULT_PROBE_S
                time.sleep(0.05)
        finally:
            for future in requests:
                if not future.done():
                    future.cancel()  # drops the client's pending request

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


class GraphDiagnostics:
    """The latest /diagnostics values of each omnilive node (omnilive.ros.node_util.Diagnostics)
    by node name, and how many reports came from each; only the nodes under `namespace` when it
    is given (several graphs may share a domain)."""

    def __init__(self, node, namespace: Optional[str] = None, depth: int = 50):
        from diagnostic_msgs.msg import DiagnosticArray
        self.prefix = '/' + namespace.strip('/') + '/' if namespace else None
        self.latest: dict[str, dict[str, str]] = {}
        self.reports: dict[str, int] = {}
        node.create_subscription(DiagnosticArray, '/diagnostics', self._on_message, depth)

    def _on_message(self, msg) -> None:
        for status in msg.status:
            name = status.name.split(': ', 1)[-1]  # 'omnilive: /<namespace>/<node>'
            if self.prefix and not name.startswith(self.prefix):
                continue
            node = name.rsplit('/', 1)[-1]
            self.latest[node] = {kv.key: kv.value for kv in status.values}
            self.reports[node] = self.reports.get(node, 0) + 1

    def of(self, node: str) -> dict[str, str]:
        return self.latest.get(node, {})

    def forget(self, node: str) -> None:
        """Drop a node's values (it was restarted: its counters start again from zero)."""
        self.latest.pop(node, None)

    def number(self, node: str, *keys: str) -> float:
        """The sum of these counters of `node` (0 for one not reported)."""
        values = self.of(node)
        return sum(float(values.get(k, 0) or 0) for k in keys)


def wait_until(predicate, timeout: float, what: str, step: float = 0.1,
               detail: Callable[[], str] = lambda: '') -> None:
    """Poll `predicate` until it holds; TimeoutError naming `what` (and `detail()`) after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            extra = detail()
            raise TimeoutError(f'timed out after {timeout:.0f} s waiting for {what}'
                               + (f'; {extra}' if extra else ''))
        time.sleep(step)
