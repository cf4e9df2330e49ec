"""The speculative prefill coordinator (omnilive.reasoning.speculative) on a real memory, without
the model (the model's prompt evaluated ahead: tests/models/test_llm_prefill.py)."""
import threading

import pytest

from omnilive.reasoning.answerer import Answerer
from omnilive.reasoning.speculative import SpeculativeAnswers
from tests.reasoning.conftest import NOW

pytestmark = pytest.mark.models


def answerer(memory, calls=None) -> Answerer:
    def retrieve(query, top_k, since, until, kinds):
        if calls is not None:
            calls.append(query)
        return memory.retrieve(query, top_k=top_k, since=since, until=until, kinds=kinds,
                               now=NOW)
    return Answerer(retrieve, None, remember=memory.remember)


def prepared(spec: SpeculativeAnswers) -> None:
    """Wait until the pending speculation is prepared."""
    assert spec._pending.done.wait(60)


def test_the_final_text_takes_the_plan_prepared_on_the_preparing_thread(memory):
    calls, threads = [], []
    a = answerer(memory, calls)
    spec = SpeculativeAnswers(a, on_thread=lambda q: threads.append(
        (q, threading.current_thread().name)))
    spec.speculate('  How many cups\tdid you see? ', NOW)
    prepared(spec)
    assert threads == [('How many cups did you see?', 'speculative-prefill')]
    retrieved = len(calls)
    plan = spec.take('How many cups did you see?')   # the same text once cleaned
    assert plan is not None and plan.evidence
    result = a.answer('How many cups did you see?', NOW, prepared=plan)
    assert len(calls) == retrieved                    # retrieval was done ahead
    assert result.answer == answerer(memory).answer('How many cups did you see?', NOW).answer
    assert spec.counters == {'speculated': 1, 'used': 1, 'discarded': 0, 'failed': 0}
    # its timeline, for the latency bench: no model, so nothing prefilled, and ready before
    # the goal came (the goal did not wait)
    last = spec.last
    assert set(last) == {'offered_at', 'ready_ms', 'retrieval_ms', 'prefill_tokens',
                         'prefill_ms', 'wait_ms'}
    assert last['prefill_tokens'] == 0 and last['wait_ms'] == 0.0
    assert 0 <= last['retrieval_ms'] <= last['ready_ms']


def test_a_plan_made_before_the_previous_answer_ended_is_discarded(memory):
    a = answerer(memory)
    spec = SpeculativeAnswers(a)
    spec.speculate('What did the sign say?', NOW)
    prepared(spec)
    a.answer('How many cups did you see?', NOW)       # the history changed meanwhile
    assert spec.take('What did the sign say?') is None
    assert spec.counters['discarded'] == 1 and spec.counters['used'] == 0


def test_a_newer_speculation_replaces_the_older_and_skips_are_counted(memory):
    spec = SpeculativeAnswers(answerer(memory))
    spec.speculate('How many cups', NOW)
    spec.speculate('How many cups did you see?', NOW)
    spec.skip()
    assert spec.take('How many cups did you see?') is not None
    assert spec.take('How many cups did you see?') is None   # taken once
    assert spec.counters == {'speculated': 2, 'used': 1, 'discarded': 1, 'failed': 0}
    assert spec.skipped == 1


def test_offers_are_skipped_while_another_goal_is_busy(memory):
    spec = SpeculativeAnswers(answerer(memory))
    spec.goal_accepted('How many cups did you see?')     # its own goal came first: waits
    assert spec.offer('How many cups did you see?', NOW)
    spec.goal_started('How many cups did you see?')
    assert spec.take('How many cups did you see?') is not None
    assert not spec.offer('What did the sign say?', NOW)  # a goal is being answered
    spec.goal_ended()
    spec.goal_accepted('Where are my keys?')
    assert not spec.offer('What did the sign say?', NOW)  # another question waits its turn
    spec.goal_started('Where are my keys?', runs=False)   # it failed to start
    assert spec.offer('What did the sign say?', NOW)
    assert spec.skipped == 2 and spec.counters['speculated'] == 2
    spec.cancel()
