"""Test helpers for managed nodes: one node process, a client node, the lifecycle services,
SetParameters and the node's /diagnostics status, all waited for (never slept)."""
from __future__ import annotations

import rclpy
from diagnostic_msgs.msg import DiagnosticArray
from lifecycle_msgs.msg import Transition
from lifecycle_msgs.srv import ChangeState, GetState
from rcl_interfaces.srv import SetParameters
from rclpy.executors import SingleThreadedExecutor
from rclpy.parameter import Parameter

from tests.rosutil import spin_until, start_node_process, wait_future

TRANSITIONS = {'configure': Transition.TRANSITION_CONFIGURE,
               'activate': Transition.TRANSITION_ACTIVATE,
               'deactivate': Transition.TRANSITION_DEACTIVATE,
               'cleanup': Transition.TRANSITION_CLEANUP}


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

    def state(self) -> str:
        assert self.get.wait_for_service(timeout_sec=120), f'{self.path}/get_state'
        return wait_future(self.executor, self.get.call_async(GetState.Request()), 60,
                           'get_state').current_state.label

    def transition(self, name: str, timeout: float = 180.0) -> bool:
        assert self.change.wait_for_service(timeout_sec=120), f'{self.path}/change_state'
        request = ChangeState.Request()
        request.transition.id = TRANSITIONS[name]
        return wait_future(self.executor, self.change.call_async(request), timeout,
                           name).success

    def set_parameter(self, name: str, value):
        assert self.set.wait_for_service(timeout_sec=120)
        future = self.set.call_async(SetParameters.Request(
            parameters=[Parameter(name, value=value).to_parameter_msg()]))
        return wait_future(self.executor, future, 30, f'set {name}').results[0]

    def wait_status(self, predicate, what: str, timeout: float = 60.0):
        self.wait(lambda: self.status is not None and predicate(self.status, self.values()),
                  timeout, what)
        return self.status

    def close(self) -> int:
        self.node.destroy_node()
        if self.proc.poll() is None:
            self.proc.terminate()
        return self.proc.wait(timeout=30)
