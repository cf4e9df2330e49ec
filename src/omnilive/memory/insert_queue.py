"""Perception's memory writer: a bounded queue of items to insert, retried with backoff while
the memory node is down, so nothing is lost to a restart of memory (within the bound).

An upsert of an item already waiting (the open clip, stored again every few seconds) replaces
the queued version instead of queueing both: the newest version is the one that counts, and
the queue does not fill with stale copies while memory is down. Plain Python: the insert call
is a function given by the node (`insert(items) -> bool`, True when memory took them all)."""
from __future__ import annotations

import collections
import threading
from typing import Callable, Sequence

from omnilive.memory.types import MemoryItem


class Backoff:
    """Delays between failed attempts: `start`, doubled after each failure, at most `limit`;
    back to `start` after a success."""

    def __init__(self, start: float = 0.5, limit: float = 5.0, factor: float = 2.0):
        self.start, self.limit, self.factor = start, limit, factor
        self._next = start

    def failed(self) -> float:
        """The delay to wait after this failure."""
        delay, self._next = self._next, min(self._next * self.factor, self.limit)
        return delay

    def succeeded(self) -> None:
        self._next = self.start


class InsertQueue:
    def __init__(self, insert: Callable[[Sequence[MemoryItem]], bool], max_items: int = 500,
                 batch: int = 32, backoff: Backoff | None = None):
        self.insert = insert
        self.max_items = max_items
        self.batch = batch
        self.backoff = backoff or Backoff()
        self._items: collections.deque = collections.deque()
        self._cv = threading.Condition()
        self.inserted = 0    # items memory acknowledged
        self.failures = 0    # failed insert attempts (each retried)
        self.dropped = 0     # items pushed out of a full queue (oldest first)

    def __len__(self) -> int:
        with self._cv:
            return len(self._items)

    def pending(self) -> list[MemoryItem]:
        with self._cv:
            return list(self._items)

    def put(self, item: MemoryItem) -> None:
        with self._cv:
            for i, queued in enumerate(self._items):
                if queued.id == item.id:
                    self._items[i] = item   # keeps its place in the queue, newest content
                    break
            else:
                if len(self._items) >= self.max_items:
                    self._items.popleft()
                    self.dropped += 1
                self._items.append(item)
            self._cv.notify()

    def send_once(self) -> float:
        """Send the oldest batch. Returns 0 after a success (or with nothing to send), else the
        backoff delay to wait before the next attempt."""
        with self._cv:
            batch = list(self._items)[:self.batch]
        if not batch:
            return 0.0
        try:
            ok = bool(self.insert(batch))
        except Exception:  # noqa: BLE001 (a failed call is retried like a refused one)
            ok = False
        if not ok:
            with self._cv:
                self.failures += 1
            return self.backoff.failed()
        with self._cv:
            sent = {item.id: item for item in batch}
            # an item replaced by a newer version while this batch was in flight stays queued
            self._items = collections.deque(q for q in self._items if sent.get(q.id) is not q)
            self.inserted += len(batch)
        self.backoff.succeeded()
        return 0.0

    def run(self, stop: threading.Event) -> None:
        """Send until `stop` is set (the node's writer thread)."""
        while not stop.is_set():
            with self._cv:
                self._cv.wait_for(lambda: self._items or stop.is_set(), timeout=0.5)
            delay = self.send_once()
            if delay:
                stop.wait(delay)

    def wake(self) -> None:
        """Wake run() (after setting its stop event)."""
        with self._cv:
            self._cv.notify_all()
