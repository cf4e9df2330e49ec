"""A real omnilive graph for reliability tests, started the way bringup starts it
(omnilive.ros.harness: the node executables under the supervisor, respawn on), with its log
lines kept, so tests wait on /diagnostics counts and log lines instead of sleeping."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from omnilive.ros.harness import GraphHarness, LogLines


class SupervisedGraph:
    def __init__(self, tmp: Path, ns: str, nodes: tuple[str, ...], params: dict,
                 respawn_delay: float = 1.0):
        self.ns = ns
        self.tmp = tmp
        self.storage = tmp / 'mem'
        self.observed: dict = {}  # figures worth reporting (docs/reliability.md), not asserted
        params = {**params, 'memory': {'storage_path': str(self.storage),
                                       **params.get('memory', {})}}
        self.log = LogLines(tmp / 'graph.log')
        self.harness = GraphHarness(ns, self.log, arguments={'respawn': 'true',
                                                             'respawn_delay': str(respawn_delay)},
                                    parameters=params, only=nodes,
                                    client_name='reliability_client')
        self.supervisor = self.harness.supervisor
        self.client = self.harness.client
        self.node = self.client.node
        self.watch = self.harness.diagnostics
        self.diag, self.diag_count = self.watch.latest, self.watch.reports

    def pid(self, name: str) -> int:
        return self.supervisor.pid(name)

    def note(self, key: str, value) -> None:
        self.observed[key] = value
        (self.tmp / 'observed.json').write_text(json.dumps(self.observed, indent=1, default=str))

    def close(self) -> None:
        self.harness.close()
        self.log.close()

    # ------------------------------------------------------------------ observation
    def value(self, node: str, key: str) -> float:
        return self.watch.number(node, key)

    def wait(self, predicate, timeout: float, what: str) -> None:
        self.harness.wait(predicate, timeout, what, lambda: f'diagnostics: {self.diag}')

    def wait_diag(self, node: str, timeout: float = 180) -> None:
        """Until a new /diagnostics message of `node` arrives (fresh values after this call)."""
        seen = self.diag_count.get(node, 0)
        self.wait(lambda: self.diag_count.get(node, 0) > seen, timeout, f'{node} diagnostics')

    def wait_log(self, pattern: str, timeout: float = 60, start: int = 0) -> re.Match:
        return self.harness.wait_log(pattern, timeout, start)

    def log_mark(self) -> int:
        return self.log.mark()

    def wait_ready(self, nodes, timeout: float = 240) -> None:
        for node in nodes:
            self.wait(lambda: node in self.diag, timeout, f'{node} to start')

    # ------------------------------------------------------------------ the store, read directly
    def store_rows(self, columns: str = 'id, kind, level, start, "end", text, labels'
                   ) -> list[tuple]:
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
