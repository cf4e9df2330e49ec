"""Helpers for tests that run real rclpy graphs: wait on conditions, never on fixed sleeps."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Callable


def spin_until(executor, predicate: Callable[[], bool], timeout: float = 30.0,
               what: str = 'condition') -> None:
    """Spin `executor` until `predicate()` holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f'timed out after {timeout:.0f} s waiting for {what}')
        executor.spin_once(timeout_sec=0.05)


def wait_future(executor, future, timeout: float = 30.0, what: str = 'future'):
    spin_until(executor, future.done, timeout, what)
    return future.result()


# A first call from a new client can go unanswered: Fast DDS drops a service's answer when the
# server has not matched the client's reply reader within 100 ms of the request
# (ros2/rmw_fastrtps#390), which a loaded 2-core machine sees now and then.
RESEND_S = 5.0


def call_resending(executor, client, request, timeout: float = 60.0, what: str = 'call',
                   resend_s: float = RESEND_S):
    """The first answer to `request`, sent again every `resend_s` seconds until one comes (for
    requests whose repeat does no harm: a query, setting a value); TimeoutError after
    `timeout`."""
    deadline = time.monotonic() + timeout
    futures = []
    try:
        while True:
            futures.append(client.call_async(request))
            try:
                spin_until(executor, lambda: any(f.done() for f in futures),
                           min(resend_s, max(0.0, deadline - time.monotonic())), what)
                return next(f for f in futures if f.done()).result()
            except TimeoutError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f'timed out after {timeout:.0f} s waiting for {what}')
    finally:
        for future in futures:
            if not future.done():
                client.remove_pending_request(future)


def start_node_process(executable: str, *ros_args: str, env: dict | None = None,
                       log_path: str | None = None) -> subprocess.Popen:
    """Start one omnilive console script in its own process with --ros-args."""
    cmd = [os.path.join(os.path.dirname(sys.executable), executable), '--ros-args', *ros_args]
    out = open(log_path, 'wb') if log_path else subprocess.DEVNULL
    return subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=out,
                            stderr=subprocess.STDOUT)


def process_running(pid: int) -> bool:
    """The process exists and is not a zombie (exited, not yet reaped by its parent)."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().split(') ', 1)[1][0] != 'Z'
    except FileNotFoundError:
        return False
