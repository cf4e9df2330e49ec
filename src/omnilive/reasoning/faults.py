"""Fault injection around the real reasoning backend, for reliability tests and drills.

Off unless configured (the reasoning node's `fault.*` parameters). The wrapped generator is the
real model: only its timing is changed.
"""
from __future__ import annotations

import threading
import time
from typing import Iterator


class StallingGenerator:
    """The real generator, stalled for `stall_s` seconds after `after_pieces` text pieces of each
    answer (0: before the first), like a model that hangs. A cancel (`should_stop`) still ends
    the stall, as it ends a real generation between tokens."""

    def __init__(self, generator, stall_s: float, after_pieces: int = 0):
        self.generator = generator
        self.stall_s = float(stall_s)
        self.after_pieces = max(0, int(after_pieces))
        self.stalls = 0          # stalls begun
        self.stalling = False    # a stall is in progress (visible on /diagnostics)
        self._wake = threading.Event()

    def __getattr__(self, name):  # everything else is the real generator's
        return getattr(self.generator, name)

    def _stall(self, should_stop) -> None:
        self.stalls += 1
        self.stalling = True
        try:
            deadline = time.monotonic() + self.stall_s
            while not should_stop() and time.monotonic() < deadline:
                self._wake.wait(0.05)
        finally:
            self.stalling = False

    def stream(self, messages, **kwargs) -> Iterator[str]:
        should_stop = kwargs.get('should_stop', lambda: False)
        if self.after_pieces == 0:
            self._stall(should_stop)
        for n, piece in enumerate(self.generator.stream(messages, **kwargs), 1):
            yield piece
            if n == self.after_pieces:
                self._stall(should_stop)
