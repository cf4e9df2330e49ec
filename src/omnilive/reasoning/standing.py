"""Keeping the standing records evaluated between questions.

`Answerer.standing()` is the recent memory an open question ("what did you see?") is answered
from, and the start of that question's prompt; `Answerer.keep_warm()` has the model evaluate it.
The reasoning node runs a `StandingRecords` thread that calls it every `period_s` while the model
is free (no goal waiting or answered, no speculation being prepared or waiting for its goal:
`SpeculativeAnswers.idle`), and stops it within a chunk when a question comes. What it evaluated
stays in the model's cache: the question then evaluates only its own words.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from omnilive.reasoning.answerer import Answerer
from omnilive.reasoning.speculative import SpeculativeAnswers


# a failure is warned about at most this often (memory down: every period would fail)
WARN_EVERY_S = 60.0


class StandingRecords:
    def __init__(self, answerer: Answerer, speculation: SpeculativeAnswers,
                 now: Callable[[], float], period_s: float,
                 warn: Callable[[str], None] = lambda text: None):
        self.answerer, self.speculation, self.now = answerer, speculation, now
        self.period_s, self.warn = period_s, warn
        self.tokens = 0    # tokens evaluated between questions
        self.failed = 0    # evaluations that failed (memory or model)
        self._warned = -WARN_EVERY_S
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        """Start the thread (none with `period_s` 0: nothing is evaluated ahead)."""
        if self.period_s <= 0:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True, name='standing-records')
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread (an evaluation under way ends within a chunk)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _busy(self) -> bool:
        return self._stop.is_set() or not self.speculation.idle()

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            if self._busy():
                continue
            try:
                self.tokens += self.answerer.keep_warm(self.now(), should_stop=self._busy)
            except Exception as err:  # memory down, model failure: the next question will say
                self.failed += 1
                if time.monotonic() - self._warned >= WARN_EVERY_S:
                    self._warned = time.monotonic()
                    self.warn(f'standing records not evaluated ({self.failed} times): {err!r}')
