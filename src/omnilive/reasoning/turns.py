"""Whose turn it is to be answered: questions are answered one at a time, in arrival order.

Plain Python (no rclpy): the reasoning node passes goal handles in and a `start(handle)` that
begins a goal's execution. Waiting goals hold no thread (a goal that blocked an executor thread
while waiting could starve the callbacks the running answer needs, e.g. its memory/retrieve
response); the number waiting is bounded (a goal over the bound is refused at once); a goal
cancelled while waiting is started at once, so it ends as canceled without waiting its turn.
"""
from __future__ import annotations

import collections
import threading
from typing import Any, Callable


class GoalQueue:
    def __init__(self, max_waiting: int, start: Callable[[Any], None],
                 cancel_requested: Callable[[Any], bool], poll_s: float = 0.1,
                 on_error: Callable[[Any, Exception], None] = lambda handle, err: None):
        self.max_waiting = max(1, int(max_waiting))
        self._start = start
        self._cancel_requested = cancel_requested
        self._on_error = on_error
        self._poll_s = poll_s
        self._cond = threading.Condition()
        self._waiting: collections.deque = collections.deque()
        self._reserved = 0        # admitted, not yet pushed (between accept and the handle)
        self._running = None      # the goal being answered
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name='goal-queue', daemon=True)
        self._thread.start()

    def admit(self) -> bool:
        """Room for one more goal? (called when a goal arrives; False: refuse it)"""
        with self._cond:
            if len(self._waiting) + self._reserved >= self.max_waiting:
                return False
            self._reserved += 1
            return True

    def push(self, handle) -> None:
        """An admitted goal, accepted: it waits for its turn."""
        with self._cond:
            self._reserved = max(0, self._reserved - 1)
            self._waiting.append(handle)
            self._cond.notify_all()

    def finished(self, handle) -> None:
        """A started goal ended (any terminal state): the next one may start."""
        with self._cond:
            if self._running is handle:
                self._running = None
            self._cond.notify_all()

    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while True:
            with self._cond:
                # cancel requests are only visible on the handles: poll them while waiting
                self._cond.wait(self._poll_s)
                if self._stopped:
                    return
                starting = [h for h in self._waiting if self._cancel_requested(h)]
                for handle in starting:
                    self._waiting.remove(handle)
                if self._running is None and self._waiting:
                    self._running = self._waiting.popleft()
                    starting.append(self._running)
            for handle in starting:  # outside the lock: start() schedules on the executor
                try:
                    self._start(handle)
                except Exception as err:  # a goal that cannot start must not stop the queue
                    self.finished(handle)
                    self._on_error(handle, err)
