"""Speculative prefill: prepare an answer while the user may still be speaking.

Perception transcribes an utterance speculatively when the end-of-speech pause begins
(`asr.speculate_s`), before the endpointer has closed it. Given that speculative transcript, the
coordinator plans the answer in a worker thread (`Answerer.prepare`: retrieval, the direct answer
or the model's prompt, and the prompt evaluated by the model without generating), so when the
final transcript arrives the first token is ready. The final transcript takes the prepared plan
when its text is the speculative one; otherwise the speculation is cancelled (the prefill stops
at its next chunk) and discarded, and the question is answered from scratch. A plan made before
the previous answer ended (its history differs) is stale: discarded as well.

The reasoning node feeds it from perception's `speech/speculative_query` (omnilive.audio.
speculative) and takes the plan when the spoken question's Ask goal arrives.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from omnilive.reasoning import language as lang
from omnilive.reasoning.answerer import Answerer, Plan


# a prepared plan no goal took after this long was for an utterance that was not a question
STALE_S = 15.0


class _Speculation:
    def __init__(self, question: str):
        self.question = question
        self.made = time.monotonic()
        self.offered_at = time.time()   # wall clock: compared with the speech's end by the bench
        self.ready = 0.0                # monotonic time the plan was ready
        self.plan: Optional[Plan] = None
        self.error: Optional[BaseException] = None
        self.cancelled = threading.Event()
        self.done = threading.Event()


class SpeculativeAnswers:
    """One pending speculation at a time (a newer speculative transcript replaces the older)."""

    def __init__(self, answerer: Answerer,
                 on_thread: Callable[[str], None] = lambda question: None):
        """`on_thread(question)`: called first in the preparing thread (the node sets the
        retrieval scope of that thread there)."""
        self.answerer = answerer
        self.on_thread = on_thread
        self._pending: Optional[_Speculation] = None
        self._lock = threading.Lock()
        self.counters = {'speculated': 0, 'used': 0, 'discarded': 0, 'failed': 0}
        self.skipped = 0   # speculative transcripts not prepared (see skip())
        # the last plan a goal took: when it was offered, its retrieval and prefill, and how
        # long the goal waited for it (the latency bench's stages)
        self.last: dict[str, float] = {}
        self._waiting: list[str] = []   # questions of goals accepted, not started (cleaned)
        self._running = 0               # goals being answered

    def speculate(self, text: str, now: float) -> None:
        """Start preparing the answer to a speculative transcript (returns at once)."""
        spec = _Speculation(lang.clean(text))
        with self._lock:
            self._cancel_locked()
            self._pending = spec
            self.counters['speculated'] += 1
        threading.Thread(target=self._prepare, args=(spec, now), daemon=True,
                         name='speculative-prefill').start()

    def _prepare(self, spec: _Speculation, now: float) -> None:
        try:
            self.on_thread(spec.question)
            spec.plan = self.answerer.prepare(spec.question, now, spec.cancelled.is_set)
        except Exception as err:  # retrieval or model failure: the final answer starts afresh
            spec.error = err
        finally:
            spec.ready = time.monotonic()
            spec.done.set()

    def take(self, final_text: str, timeout: Optional[float] = None) -> Optional[Plan]:
        """At the final transcript: the plan prepared for it when its text is the speculative
        one, else None (any speculation discarded). A preparation still running for the same
        text is waited for: what it evaluates, the answer would have to evaluate anyway."""
        with self._lock:
            spec, self._pending = self._pending, None
        if spec is None:
            return None
        if spec.question != lang.clean(final_text):
            spec.cancelled.set()
            self.counters['discarded'] += 1
            return None
        waited = time.monotonic()
        if not spec.done.wait(timeout) or spec.error is not None or spec.plan is None:
            spec.cancelled.set()
            self.counters['failed' if spec.error is not None else 'discarded'] += 1
            return None
        history = self.answerer.history
        if spec.plan.previous is not (history[-1] if history else None):
            self.counters['discarded'] += 1   # planned before the previous answer ended
            return None
        plan = spec.plan
        self.last = {'offered_at': spec.offered_at, 'ready_ms': (spec.ready - spec.made) * 1000,
                     'retrieval_ms': plan.retrieval_ms, 'prefill_tokens': plan.prefill_tokens,
                     'prefill_ms': plan.prefill_ms,
                     'wait_ms': max(0.0, spec.ready - waited) * 1000}
        self.counters['used'] += 1   # after `last`: a diagnostics message with it has both
        return plan

    # ------------------------------------------------------------------ the caller's goals
    def goal_accepted(self, question: str) -> None:
        with self._lock:
            self._waiting.append(lang.clean(question))

    def goal_started(self, question: str, runs: bool = True) -> None:
        """A goal left the queue: it runs (then `goal_ended()` follows) or failed to start."""
        with self._lock:
            question = lang.clean(question)
            if question in self._waiting:
                self._waiting.remove(question)
            self._running += int(runs)

    def goal_ended(self) -> None:
        with self._lock:
            self._running = max(0, self._running - 1)

    def offer(self, text: str, now: float) -> bool:
        """A speculative transcript from the caller: prepared (True) unless a goal is being
        answered (its own goal began without it, or the plan would be made against a history
        that changes before its turn) or another question waits; a waiting goal of the same
        text takes it when it starts. Skips are counted."""
        with self._lock:
            text_ = lang.clean(text)
            busy = self._running > 0 or any(q != text_ for q in self._waiting)
        if busy or not text_:
            self.skip()
            return False
        self.speculate(text, now)
        return True

    def idle(self) -> bool:
        """No goal is waiting or being answered and no speculation is being prepared or waits
        for its goal (one left untaken for STALE_S does not count): the model is free for
        work between questions (Answerer.keep_warm)."""
        with self._lock:
            spec = self._pending
            return not self._running and not self._waiting and (
                spec is None or spec.done.is_set() and time.monotonic() - spec.made > STALE_S)

    def skip(self) -> None:
        """Count a speculative transcript not prepared (the caller was busy answering)."""
        with self._lock:
            self.skipped += 1

    def cancel(self) -> None:
        """Drop any pending speculation (the utterance was not a question after all)."""
        with self._lock:
            self._cancel_locked()

    def _cancel_locked(self) -> None:
        if self._pending is not None:
            self._pending.cancelled.set()
            self.counters['discarded'] += 1
            self._pending = None
