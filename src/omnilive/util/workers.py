"""Worker threads for a node: each takes items from a source and handles them one at a time, so
executor callbacks only enqueue and never wait for a model."""
from __future__ import annotations

import os
import queue
import sys
import threading
from typing import Any, Callable, Optional


def from_queue(q: queue.Queue, timeout: float = 0.2) -> Callable[[], Any]:
    """A source for Worker: the next item of `q`, or None after `timeout` without one (so the
    worker can notice a stop)."""
    def next_item():
        try:
            return q.get(timeout=timeout)
        except queue.Empty:
            return None
    return next_item


class LatestSlot:
    """Holds only the newest item: a busy consumer skips to the latest frame instead of working
    through a backlog of stale ones."""

    def __init__(self):
        self._lock = threading.Lock()
        self._item = None
        self._ready = threading.Event()

    def put(self, item) -> bool:
        """Store `item`; True when it replaced one that was never taken (a drop)."""
        with self._lock:
            replaced = self._item is not None
            self._item = item
            self._ready.set()
        return replaced

    def take(self, timeout: float = 0.2):
        """The newest item (removing it), or None after `timeout` without one."""
        self._ready.wait(timeout)
        with self._lock:
            item, self._item = self._item, None
            self._ready.clear()
        return item


def lower_priority(steps: int) -> bool:
    """Lower the calling thread's CPU priority by `steps` nice steps (at most to 19). On Linux
    nice is per thread, so only this thread and what runs in it (an onnxruntime session with one
    intra-op thread computes in its caller) yield; elsewhere nothing is changed (False)."""
    if steps <= 0 or not sys.platform.startswith('linux'):
        return False
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + steps))
    except OSError:
        return False
    return True


class Worker(threading.Thread):
    """Runs `handle(item)` for each item `next_item()` returns (None: nothing yet) until `stop`
    is set. An exception from one item goes to `on_error(item, err)` and the loop goes on: one
    bad message or a failing model must not stop a path of the node. `nice` > 0 lowers the
    thread's CPU priority (`lower_priority`)."""

    def __init__(self, name: str, next_item: Callable[[], Any], handle: Callable[[Any], None],
                 on_error: Callable[[Any, Exception], None], stop: threading.Event,
                 after: Optional[Callable[[Any], None]] = None, nice: int = 0):
        super().__init__(name=name, daemon=True)
        self.next_item, self.handle, self.on_error, self.stop = next_item, handle, on_error, stop
        self.after = after   # runs after each item, whatever its outcome (e.g. a pending count)
        self.nice = nice

    def run(self) -> None:
        lower_priority(self.nice)
        while not self.stop.is_set():
            item = self.next_item()
            if item is None:
                continue
            try:
                self.handle(item)
            except Exception as err:  # noqa: BLE001 (reported through on_error, never lost)
                self.on_error(item, err)
            finally:
                if self.after is not None:
                    self.after(item)


def count_drops(counters, warn: Callable[[str], None], error: Callable[[str], None], what: str,
                bad, bad_key: str, error_key: str) -> Callable[[Any, Exception], None]:
    """A Worker's on_error: an item failing with one of the `bad` exception types (bad input)
    is counted under `bad_key` with a warning; any other failure (a model) under `error_key`
    with an error. Either way the item is dropped and the worker goes on."""
    def on_error(_item, err: Exception) -> None:
        if isinstance(err, bad):
            counters.add(bad_key)
            warn(f'{what} dropped: {err}')
        else:
            counters.add(error_key)
            error(f'{what} dropped: {err!r}')
    return on_error
