"""Test helpers for managed nodes: one node process, a client node, the lifecycle services,
SetParameters and the node's /diagnostics status, all waited for (never slept)."""
from __future__ import annotations

import time

import rclpy
from diagnostic_msgs.msg import DiagnosticArray
from lifecycle_msgs.msg import Transition
from lifecycle_msgs.srv import ChangeState, GetState
from rcl_interfaces.srv import SetParameters
from rclpy.executors import SingleThreadedExecutor
from rclpy.parameter import Parameter

from tests.rosutil import RESEND_S, call_resending, spin_until, start_node_process

TRANSITIONS = {'configure': Transition.TRANSITION_CONFIGURE,
               'activate': Transition.TRANSITION_ACTIVATE,
               'deactivate': Transition.TRANSITION_DEACTIVATE,
               'cleanup': Transition.TRANSITION_CLEANUP}
REACHES = {'configure': 'inactive', 'activate': 'active', 'deactivate': 'inactive',
           'cleanup': 'unconfigured'}


class ManagedProcess:
    """`executable` started as /<ns>/<name> with `args`, and a client on `context`."""

    def __init__(self, context, executable: str, ns: str, name: str, args: list[str], log: str):
        self.ns, self.path = ns, f'{ns}/{name}'
        self.proc = start_node_process(executable, '-r', f'__ns:={ns}', *args, log_path=log)
        self.log = log
        self.node = rclpy.create_node(f'{name}_test_client', context=context)
        self.executor = SingleThreadedExecutor(context=context)
        self.executor.add_node(self.node)
        self.status = None
        self.node.create_subscription(DiagnosticArray, '/diagnostics', self._diagnostics, 10)
        self.change = self.node.create_client(ChangeState, f'{self.path}/change_state')
        self.get = self.node.create_client(GetState, f'{self.path}/get_state')
        self.set = self.node.create_client(SetParameters, f'{self.path}/set_parameters')

    def _diagnostics(self, msg) -> None:
        for status in msg.status:
            if status.name == f'omnilive: {self.path}':
                self.status = status

    def values(self) -> dict:
        return {kv.key: kv.value for kv in self.status.values} if self.status else {}

    def wait(self, predicate, timeout: float = 60.0, what: str = 'condition') -> None:
        def check():
            if self.proc.poll() is not None:
                raise RuntimeError(f'{self.path} exited ({self.proc.returncode}); see {self.log}')
            return predicate()
        spin_until(self.executor, check, timeout, what)

    def state(self, timeout: float = 60.0) -> str:
        assert self.get.wait_for_service(timeout_sec=120), f'{self.path}/get_state'
        return call_resending(self.executor, self.get, GetState.Request(), timeout,
                              'get_state').current_state.label

    def transition(self, name: str, timeout: float = 180.0) -> bool:
        """Whether the node made the transition. A transition is not sent twice blindly: when
        no answer came within RESEND_S, the node's state says whether it was made (its answer
        was lost) or its request was (sent again)."""
        assert self.change.wait_for_service(timeout_sec=120), f'{self.path}/change_state'
        start = self.state()
        request = ChangeState.Request()
        request.transition.id = TRANSITIONS[name]
        deadline = time.monotonic() + timeout
        futures = [self.change.call_async(request)]
        while True:
            try:
                spin_until(self.executor, lambda: any(f.done() for f in futures),
                           min(RESEND_S, max(0.0, deadline - time.monotonic())), name)
                return any(f.result().success for f in futures if f.done())
            except TimeoutError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f'timed out after {timeout:.0f} s waiting for {name}')
            now = self.state(max(1.0, deadline - time.monotonic()))
            if now == REACHES[name]:
                return True
            if now == start:
                futures.append(self.change.call_async(request))

    def set_parameter(self, name: str, value):
        assert self.set.wait_for_service(timeout_sec=120)
        request = SetParameters.Request(
            parameters=[Parameter(name, value=value).to_parameter_msg()])
        return call_resending(self.executor, self.set, request, 30, f'set {name}').results[0]

    def wait_status(self, predicate, what: str, timeout: float = 60.0):
        self.wait(lambda: self.status is not None and predicate(self.status, self.values()),
                  timeout, what)
        return self.status

    def close(self) -> int:
        self.node.destroy_node()
        if self.proc.poll() is None:
            self.proc.terminate()
        return self.proc.wait(timeout=30)
