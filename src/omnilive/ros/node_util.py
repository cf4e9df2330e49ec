"""Small pieces every omnilive node uses: /diagnostics (its Counters are plain:
omnilive.util.diagnostics), futures, main()."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable

import rclpy
from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue
from rclpy.clock import Clock, ClockType
from rclpy.exceptions import ParameterException
from rclpy.executors import (ExternalShutdownException, MultiThreadedExecutor,
                             SingleThreadedExecutor)
from rclpy.node import Node

from omnilive.ros.graph import EXIT_CONFIG
from omnilive.util.diagnostics import LevelTracker, Schema
from omnilive.util.errors import ConfigurationError


def now_s(node: Node) -> float:
    """The node's clock in seconds (sim time when use_sim_time is set)."""
    return node.get_clock().now().nanoseconds * 1e-9


class Diagnostics:
    """Publishes a DiagnosticStatus of key/value counters on /diagnostics, its level from the
    schema's rules (omnilive.util.diagnostics.LevelTracker).

    The period runs on the steady clock, not the node's: with use_sim_time a paused or finished
    bag stops /clock, and observers (tests, the evaluation's pacing) must still see progress."""

    def __init__(self, node: Node, schema: type[Schema], values: Callable[[], dict],
                 period_s: float = 2.0):
        self.node = node
        self.values = values
        self.levels = LevelTracker(schema)
        self.pub = node.create_publisher(DiagnosticArray, '/diagnostics', 10)
        node.create_timer(period_s, self.publish, clock=Clock(clock_type=ClockType.STEADY_TIME))

    def publish(self) -> None:
        values = self.values()
        level, message = self.levels.update(values)
        status = DiagnosticStatus(level=bytes([level]),
                                  name=f'omnilive: {self.node.get_fully_qualified_name()}',
                                  hardware_id=self.node.get_name(), message=message)
        status.values = [KeyValue(key=str(k), value=str(v)) for k, v in values.items()]
        msg = DiagnosticArray(status=[status])
        msg.header.stamp = self.node.get_clock().now().to_msg()
        self.pub.publish(msg)


def wait_future(future, timeout: float, what: str = 'call'):
    """Block a worker thread (not an executor thread) until an rclpy future is done."""
    done = threading.Event()
    future.add_done_callback(lambda _: done.set())
    if not done.wait(timeout):
        future.cancel()
        raise TimeoutError(f'{what} did not answer within {timeout:.0f} s')
    return future.result()


# Fast DDS drops a service's answer when the server has not matched the client's reply reader
# within 100 ms of the request (ros2/rmw_fastrtps#390): a loaded machine sees it on a client's
# first calls. A request whose repeat does no harm is sent again after this long unanswered.
RESEND_S = 5.0


def call_service(client, request, timeout: float, wait_s: float | None = None,
                 resend_s: float | None = None):
    """Call a service from a worker thread (not an executor thread): TimeoutError when it is
    not up within `wait_s` (default: `timeout`) or does not answer within `timeout`. With
    `resend_s` (a query, an insert by id: a repeat does no harm) the request is sent again every
    `resend_s` seconds until one answer comes."""
    if not client.wait_for_service(timeout_sec=timeout if wait_s is None else wait_s):
        raise TimeoutError(f'{client.srv_name} is not available')
    if resend_s is None:
        return wait_future(client.call_async(request), timeout, client.srv_name)
    answered = threading.Event()
    futures = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            futures.append(client.call_async(request))
            futures[-1].add_done_callback(lambda _: answered.set())
            if answered.wait(max(0.0, min(resend_s, deadline - time.monotonic()))):
                return next(f for f in futures if f.done()).result()
            if time.monotonic() >= deadline:
                raise TimeoutError(f'{client.srv_name} did not answer within {timeout:.0f} s')
    finally:
        for future in futures:
            if not future.done():
                client.remove_pending_request(future)


# What a node's construction raises when its configuration cannot work: a missing or damaged model,
# an unusable memory directory, a parameter out of its range or of the wrong type.
CONFIGURATION_ERRORS = (ConfigurationError, ParameterException, ValueError)


def _node_name() -> str:
    """The node name given by `-r __node:=NAME` on the command line, else the program's name."""
    for arg in sys.argv:
        if arg.startswith('__node:='):
            return arg.split(':=', 1)[1]
    return Path(sys.argv[0]).name.removesuffix('_node')


def spin(make_node: Callable[[], Node], threads: int | Callable[[Node], int] = 4) -> int:
    """Rclpy main loop shared by the nodes: an executor with `threads` threads (or as many as
    `threads(node)` says; 1: the single-threaded executor, which costs less per message than the
    multi-threaded one and suits callbacks that never wait), clean Ctrl-C/SIGTERM exit (0,
    whatever the executor was doing).
    A managed node (omnilive.ros.lifecycle) is brought to active first when its `autostart`
    parameter says so. A node releases what it holds (worker threads, the store) in its
    destroy_node(). A node that cannot be configured exits with EXIT_CONFIG, which supervisors
    do not restart; another failure to start exits with 1 (a crash: respawned)."""
    rclpy.init(args=sys.argv)
    node = None
    try:
        try:
            node = make_node()
        except CONFIGURATION_ERRORS as err:  # one clear line, and no respawn: it cannot help
            print(f'[{_node_name()}] cannot start: {err}', file=sys.stderr, flush=True)
            return EXIT_CONFIG
        if hasattr(node, 'autostart'):
            code, reason = node.autostart()
            if code:
                print(f'[{node.get_name()}] cannot start: {reason}', file=sys.stderr, flush=True)
                return code
        n = threads(node) if callable(threads) else threads
        executor = SingleThreadedExecutor() if n == 1 else MultiThreadedExecutor(num_threads=n)
        executor.add_node(node)
        executor.spin()
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    except Exception:
        # rclpy's shutdown race (ros2/rclpy#398, ros-visualization/rqt#357): a stop signal shuts
        # the context down while the executor builds its next wait set ('the given context is
        # not valid') or a callback publishes. That is a stop, not a crash: exit 0, so that
        # supervisors do not respawn a node they are stopping. While the context is up, a
        # failure is one.
        if rclpy.ok():
            raise
    finally:
        if node is not None:
            node.destroy_node()
        if rclpy.ok():
            rclpy.shutdown()
    return 0
