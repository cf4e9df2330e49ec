"""One way to start an omnilive graph from Python and watch it: node specs (omnilive.ros.graph)
-> supervised processes (omnilive.ros.supervisor) -> a client node (omnilive.ros.client) ->
/diagnostics per node. Used by the evaluation, the demo, the benchmarks, the soak run and the
tests, so each starts, observes and stops the graph the same way `omnilive run` does.
"""
from __future__ import annotations

import os
import random
import re
import threading
from typing import Callable, Iterable, Optional

from omnilive.ros import graph
from omnilive.ros.client import GraphClient, GraphDiagnostics, wait_until
from omnilive.ros.supervisor import Supervisor, fastdds_profile


def isolate(domain_id: Optional[int] = None) -> int:
    """Keep this process's graphs on this machine, on a domain of their own (a given id, the
    OMNILIVE_DOMAIN_ID of a parent that chose one, or a random one); returns the id."""
    os.environ['ROS_AUTOMATIC_DISCOVERY_RANGE'] = 'LOCALHOST'
    if domain_id is None:
        domain_id = int(os.environ.get('OMNILIVE_DOMAIN_ID')
                        or random.SystemRandom().randint(101, 199))
    os.environ['OMNILIVE_DOMAIN_ID'] = os.environ['ROS_DOMAIN_ID'] = str(domain_id)
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
    os.environ.setdefault('FASTDDS_DEFAULT_PROFILES_FILE', str(fastdds_profile()))
    return domain_id


class LogLines:
    """A log file that also keeps its lines, so a test can wait for what a node said
    (`GraphHarness(log=LogLines(path))`, then `harness.wait_log(pattern)`)."""

    def __init__(self, path):
        self.name = str(path)
        self.file = open(path, 'w')
        self.lines: list[str] = []
        self.lock = threading.Lock()

    def write(self, text: str) -> None:
        with self.lock:
            self.lines.extend(text.splitlines())
            self.file.write(text)

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.file.close()

    def mark(self) -> int:
        """The number of lines so far: wait_log(start=mark()) looks at later lines only."""
        with self.lock:
            return len(self.lines)

    def find(self, pattern: str, start: int = 0) -> Optional[re.Match]:
        with self.lock:
            lines = self.lines[start:]
        return next((m for m in (re.search(pattern, line) for line in lines) if m), None)


class GraphHarness:
    """Nodes of the graph as processes (all, or `only` these), a client node in this process and
    the nodes' latest /diagnostics. `arguments` are launch arguments (graph.ARGUMENTS),
    `parameters` per-node parameter overrides; node output goes to `log` (a path, a file or a
    LogLines, which a path becomes when `keep_lines`)."""

    def __init__(self, namespace: str, log, arguments: Optional[dict] = None,
                 parameters: Optional[dict] = None, only: Optional[Iterable[str]] = None,
                 client_name: str = 'omnilive_harness', client: bool = True,
                 handle_signals: bool = True, keep_lines: bool = False):
        self.namespace = namespace.strip('/')
        self.specs = graph.nodes({**(arguments or {}), 'namespace': self.namespace},
                                 parameters, only=list(only) if only is not None else None)
        self._own_log = not hasattr(log, 'write')
        if self._own_log:
            log = LogLines(log) if keep_lines else open(log, 'w')
        self.log_file = log
        self.supervisor = Supervisor(self.specs, out=self.log_file,
                                     handle_signals=handle_signals)
        self.client: Optional[GraphClient] = None
        self.diagnostics: Optional[GraphDiagnostics] = None
        try:
            self.supervisor.start_all()
            if client:
                self.client = GraphClient(self.namespace, client_name)
                self.diagnostics = GraphDiagnostics(self.client.node, self.namespace)
        except BaseException:
            self.close()
            raise

    @property
    def node(self):
        """The client's rclpy node (for extra publishers and subscriptions)."""
        return self.client.node

    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.supervisor.procs.items()}

    def check_alive(self) -> None:
        """RuntimeError when a node exited for good (respawn off, or it cannot start)."""
        if self.supervisor.failed.is_set():
            raise RuntimeError(f'{self.supervisor.failure}; see {self.log_path}')

    @property
    def log_path(self) -> str:
        return getattr(self.log_file, 'name', '<log>')

    def wait(self, predicate: Callable[[], object], timeout: float, what: str,
             detail: Callable[[], str] = lambda: '', step: float = 0.05) -> None:
        """Poll `predicate` until it holds; RuntimeError as soon as a node exited for good,
        TimeoutError naming `what`, the log and `detail()` after `timeout` seconds."""
        def where() -> str:
            extra = detail()
            return f'see {self.log_path}' + (f'; {extra}' if extra else '')
        wait_until(lambda: self.check_alive() or predicate(), timeout, what, step, where)

    def wait_log(self, pattern: str, timeout: float = 60.0, start: int = 0) -> re.Match:
        """The first node output line from line `start` on that matches `pattern` (a harness
        made with keep_lines, or given a LogLines)."""
        match = None

        def seen() -> bool:
            nonlocal match
            match = self.log_file.find(pattern, start)
            return match is not None
        self.wait(seen, timeout, f'a graph log line matching {pattern!r}')
        return match

    def wait_diagnostics(self, nodes: Iterable[str], timeout: float = 300.0) -> None:
        """Until every node in `nodes` has published /diagnostics (it is up and spinning)."""
        nodes = list(nodes)
        self.wait(lambda: all(self.diagnostics.of(n) for n in nodes), timeout,
                  f'{nodes} to report diagnostics')

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        self.supervisor.stop()
        if self._own_log:
            self.log_file.close()

    def __enter__(self) -> 'GraphHarness':
        return self

    def __exit__(self, *exc) -> None:
        self.close()

