"""A durable, ordered outbox: rows that must reach a server, kept in SQLite until it took them.

The Milvus backend writes every insert here first (committed, fsynced) and then sends what waits
in order, deleting each batch once the server acknowledged it. When the server is away nothing is
lost: the batches stay, in order, and go when it answers again (even after a restart of the node).
A batch the server refuses for another reason than being away moves to a `rejected` table
(kept, counted, never silently dropped).
"""
from __future__ import annotations

import base64
import json
import sqlite3
import threading
from pathlib import Path

import numpy as np


def _encode(value):
    if isinstance(value, np.ndarray):
        return {'__f32__': base64.b64encode(value.astype(np.float32).tobytes()).decode()}
    return value


def _decode(obj: dict):
    if '__f32__' in obj:
        return np.frombuffer(base64.b64decode(obj['__f32__']), np.float32).tolist()
    return obj


class Outbox:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute('PRAGMA journal_mode=WAL')
        self.db.execute('PRAGMA synchronous=FULL')  # a buffered insert survives power loss
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS pending(seq INTEGER PRIMARY KEY AUTOINCREMENT,
                                               rows TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS rejected(seq INTEGER PRIMARY KEY, rows TEXT NOT NULL,
                                                error TEXT NOT NULL);""")

    def put(self, rows: list[dict]) -> None:
        """Append one batch (committed when this returns). Vectors may be float32 arrays."""
        text = json.dumps([{k: _encode(v) for k, v in row.items()} for row in rows],
                          separators=(',', ':'))
        with self._lock:
            self.db.execute('INSERT INTO pending(rows) VALUES (?)', (text,))

    def oldest(self) -> tuple[int, list[dict]] | None:
        """(seq, rows) of the oldest batch waiting, or None."""
        with self._lock:
            row = self.db.execute('SELECT seq, rows FROM pending ORDER BY seq LIMIT 1').fetchone()
        return (row[0], json.loads(row[1], object_hook=_decode)) if row else None

    def done(self, seq: int) -> None:
        with self._lock:
            self.db.execute('DELETE FROM pending WHERE seq=?', (seq,))

    def reject(self, seq: int, error: str) -> None:
        with self._lock:
            self.db.execute('BEGIN IMMEDIATE')
            self.db.execute('INSERT INTO rejected SELECT seq, rows, ? FROM pending WHERE seq=?',
                            (error, seq))
            self.db.execute('DELETE FROM pending WHERE seq=?', (seq,))
            self.db.execute('COMMIT')

    def counts(self) -> tuple[int, int]:
        """(batches pending, batches rejected)"""
        with self._lock:
            return (self.db.execute('SELECT COUNT(*) FROM pending').fetchone()[0],
                    self.db.execute('SELECT COUNT(*) FROM rejected').fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self.db.close()
