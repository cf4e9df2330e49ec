"""A real omnilive graph for reliability tests, started the way bringup starts it: the node
executables under omnilive.ros.run.Supervisor (respawn on), plus a GraphClient whose node also
records /diagnostics per node and the graph's log lines, so tests wait on counts and log lines
instead of sleeping."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from pathlib import Path

from omnilive.ros import graph
from omnilive.ros.client import GraphClient, GraphDiagnostics, wait_until
from omnilive.ros.run import Supervisor


class LogLines:
    """The Supervisor's output: kept in memory for wait_log() and written to a file."""

    def __init__(self, path: Path):
        self.file = open(path, 'w')
        self.lines: list[str] = []
        self.lock = threading.Lock()

    def write(self, text: str) -> None:
        with self.lock:
            self.lines.extend(text.splitlines())
            self.file.write(text)

    def flush(self) -> None:
        self.file.flush()


class SupervisedGraph:
    def __init__(self, tmp: Path, ns: str, nodes: tuple[str, ...], params: dict,
                 respawn_delay: float = 1.0):
        self.ns = ns
        self.tmp = tmp
        self.storage = tmp / 'mem'
        self.observed: dict = {}  # figures worth reporting (docs/reliability.md), not asserted
        specs = graph.nodes({'namespace': ns, 'respawn': 'true',
                             'respawn_delay': str(respawn_delay)}, params, only=nodes)
        for spec in specs:
            if spec.name == 'memory':
                spec.parameters.setdefault('storage_path', str(self.storage))
        self.log = LogLines(tmp / 'graph.log')
        self.supervisor = Supervisor(specs, out=self.log)
        self.supervisor.start_all()
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, daemon=True)
        self._poller.start()
        self.client = GraphClient(ns, 'reliability_client')
        self.node = self.client.node
        self.watch = GraphDiagnostics(self.node, ns)
        self.diag, self.diag_count = self.watch.latest, self.watch.reports

    # ------------------------------------------------------------------ supervision
    def _poll(self) -> None:
        while not self._stop.is_set():
            self.supervisor.poll()
            self._stop.wait(0.2)

    def pid(self, name: str) -> int:
        return self.supervisor.procs[name].pid

    def note(self, key: str, value) -> None:
        self.observed[key] = value
        (self.tmp / 'observed.json').write_text(json.dumps(self.observed, indent=1, default=str))

    def close(self) -> None:
        self._stop.set()
        self._poller.join(timeout=10)
        self.supervisor.stop()
        self.client.close()
        self.log.file.close()

    # ------------------------------------------------------------------ observation
    def value(self, node: str, key: str) -> float:
        return self.watch.number(node, key)

    def wait(self, predicate, timeout: float, what: str) -> None:
        wait_until(predicate, timeout, what, 0.05, lambda: f'diagnostics: {self.diag}')

    def wait_diag(self, node: str, timeout: float = 180) -> None:
        """Until a new /diagnostics message of `node` arrives (fresh values after this call)."""
        seen = self.diag_count.get(node, 0)
        self.wait(lambda: self.diag_count.get(node, 0) > seen, timeout, f'{node} diagnostics')

    def wait_log(self, pattern: str, timeout: float = 60, start: int = 0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.log.lock:
                lines = self.log.lines[start:]
            for line in lines:
                m = re.search(pattern, line)
                if m:
                    return m
            time.sleep(0.05)
        raise TimeoutError(f'no graph log line matching {pattern!r}')

    def log_mark(self) -> int:
        with self.log.lock:
            return len(self.log.lines)

    def wait_ready(self, nodes, timeout: float = 240) -> None:
        for node in nodes:
            self.wait(lambda: node in self.diag, timeout, f'{node} to start')

    # ------------------------------------------------------------------ the store, read directly
    def store_rows(self, columns: str = 'id, kind, level, start, "end", text, labels, '
                                        'label_counts') -> list[tuple]:
        """Every item in the memory's SQLite file (read while the node runs: WAL readers see
        the last committed state)."""
        db = sqlite3.connect(self.storage / 'memory.sqlite3')
        try:
            return sorted(db.execute(f'SELECT {columns} FROM items').fetchall())
        finally:
            db.close()

    def integrity(self) -> str:
        db = sqlite3.connect(self.storage / 'memory.sqlite3')
        try:
            return db.execute('PRAGMA integrity_check').fetchone()[0]
        finally:
            db.close()
