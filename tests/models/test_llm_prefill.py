"""Prompt reuse and speculative prefill with the packaged LLM (real llama.cpp, greedy decoding).

What the model evaluates is counted at llama-cpp-python's Llama.eval (every prompt and generated
token goes through it), not timed."""
import pytest

from omnilive.memory.types import OBJECT, SOUND, Label, MemoryItem
from omnilive.reasoning.answerer import AnswerConfig, Answerer
from omnilive.reasoning.speculative import SpeculativeAnswers

NOW = 10_000.0


class EvalCounter:
    """Counts the tokens passed to the real Llama.eval, which it then calls."""

    def __init__(self, llm):
        self.tokens, self._eval = 0, llm.eval
        llm.eval = self

    def __call__(self, tokens):
        self.tokens += len(tokens)
        return self._eval(tokens)


@pytest.fixture(scope='module')
def gen():
    from omnilive.models.llm import LlamaCppGenerator
    generator = LlamaCppGenerator(threads=2, n_ctx=2048, seed=0)
    generator.evaluated = EvalCounter(generator.llm)
    return generator


def decoded(gen) -> int:
    """Tokens llama.cpp has evaluated in this context so far (prompt and generated)."""
    return gen.evaluated.tokens


def items():
    return [MemoryItem(id='clip-1', kind='clip', start=NOW - 300, end=NOW - 290,
                       text='2 cups, 1 bottle', score=0.6,
                       labels=[Label(OBJECT, 'cup', 2), Label(OBJECT, 'bottle', 1)]),
            MemoryItem(id='sound-1', kind='sound', start=NOW - 100, end=NOW - 99, score=0.5,
                       text='heard telephone', labels=[Label(SOUND, 'Telephone', 1)])]


class CountingMemory:
    def __init__(self):
        self.calls = 0

    def __call__(self, query, k, since, until, kinds):
        self.calls += 1
        return items()


def answerer(gen, memory=None):
    return Answerer(memory or CountingMemory(), gen,
                    config=AnswerConfig(direct_answers=False, max_tokens=12, max_sentences=1))


def test_questions_share_the_stable_prompt_prefix(gen):
    from omnilive.models.llm import common_prefix
    a = answerer(gen)
    first, _ = gen.tokens(a._prompt('How many cups did you see?', items(), NOW, None))
    second, _ = gen.tokens(a._prompt('Did you hear a doorbell?', items()[1:], NOW + 60, None))
    system, _ = gen.tokens([a._prompt('x', [], NOW, None)[0]])
    # everything up to the per-question records is shared: the system prompt and its examples
    assert common_prefix(first, second) >= len(system) - 1 > 200


def test_prefill_then_generate_reuses_the_prompt_and_answers_the_same(gen):
    a = answerer(gen)
    messages = a._prompt('How many cups did you see?', items(), NOW, None)
    tokens, _ = gen.tokens(messages)
    gen.llm.reset()
    cold = ''.join(gen.stream(messages, max_tokens=12))

    other = a._prompt('Did you hear a doorbell?', items(), NOW, None)
    gen.stream(other, max_tokens=1).__next__()  # the cache now holds another question
    before = decoded(gen)
    evaluated = gen.prefill(messages)
    assert 0 < evaluated < len(tokens) // 2  # the shared prefix is not evaluated again
    assert decoded(gen) - before == evaluated
    assert gen.cached_tokens() == len(tokens)
    assert gen.prefill(messages) == 0  # already evaluated: nothing to do

    before = decoded(gen)
    warm = ''.join(gen.stream(messages, max_tokens=12))
    # no prompt token evaluated again: only the generated tokens were decoded
    assert decoded(gen) - before <= len(gen.llm.tokenize(warm.encode(), add_bos=False)) + 1
    assert warm == cold
    assert '2' in warm or 'two' in warm.lower()


def test_prefill_stops_when_asked(gen):
    a = answerer(gen)
    gen.llm.reset()
    messages = a._prompt('What did you see?', items(), NOW, None)
    evaluated = gen.prefill(messages, should_stop=lambda: True)
    assert evaluated == 0 and gen.cached_tokens() == 0
    evaluated = gen.prefill(messages, should_stop=lambda: gen.llm.n_tokens >= 16, chunk=16)
    assert evaluated == 16 and gen.cached_tokens() == 16  # one chunk, then stopped


def test_work_between_questions_stops_within_a_chunk(gen):
    """For a partial prefill (the standing records) llama.cpp polls should_stop between graph
    nodes: a question need not wait for the chunk in flight. The chunk is dropped whole and
    the context stays usable. A question's own prefill is polled between chunks only."""
    a = answerer(gen)
    gen.llm.reset()
    messages = a._prompt('What did you see?', items(), NOW, None)
    tokens, _ = gen.tokens(messages, partial=True)
    calls = iter(range(10_000))
    # call 0 is the check before the chunk; the later ones come from inside the decode
    evaluated = gen.prefill(messages, should_stop=lambda: next(calls) >= 3, chunk=len(tokens),
                            partial=True)
    assert evaluated == 0 and gen.cached_tokens() == 0
    assert next(calls) > 4   # polled by the decode, not only between chunks
    assert gen.prefill(messages, partial=True) == len(tokens)
    full, _ = gen.tokens(messages)
    calls = iter(range(10_000))
    evaluated = gen.prefill(messages, should_stop=lambda: next(calls) >= 3, chunk=len(full))
    assert evaluated == len(full) - len(tokens) and next(calls) == 1   # before the chunk only


def test_speculation_with_the_final_text_is_used(gen):
    memory = CountingMemory()
    a = answerer(gen, memory)
    spec = SpeculativeAnswers(a)
    spec.speculate('How many cups did you see?', NOW)
    plan = spec.take('How many cups did you see?')
    assert plan is not None and plan.messages is not None
    assert spec.counters == {'speculated': 1, 'used': 1, 'discarded': 0, 'failed': 0}
    assert plan.prefill_tokens > 0 and spec.last['prefill_tokens'] == plan.prefill_tokens
    calls, before = memory.calls, decoded(gen)
    result = a.answer('How many cups did you see?', NOW + 0.5, prepared=plan)
    assert memory.calls == calls  # retrieval was done ahead
    assert result.answered_by in ('model', 'direct') and result.answer
    generated = len(gen.llm.tokenize(result.answer.encode(), add_bos=False))
    assert decoded(gen) - before <= generated + 2  # the prompt was already evaluated

    # the same question answered from scratch by a fresh answerer gives the same answer
    fresh = answerer(gen).answer('How many cups did you see?', NOW)
    assert fresh.answer == result.answer


def test_speculation_with_another_final_text_is_discarded(gen):
    memory = CountingMemory()
    a = answerer(gen, memory)
    spec = SpeculativeAnswers(a)
    spec.speculate('How many cups did you', NOW)  # the user went on speaking
    assert spec.take('How many cups did you see on the table?') is None
    assert spec.counters['discarded'] == 1 and spec.counters['used'] == 0
    calls = memory.calls
    result = a.answer('How many cups did you see on the table?', NOW + 1)
    assert memory.calls > calls and result.answer


def test_plan_of_another_history_is_not_used(gen):
    a = answerer(gen)
    plan = a.prepare('What was it?', NOW)  # planned before the previous turn existed
    a.answer('Did you hear a telephone?', NOW)
    assert not a._current(plan, 'What was it?')
    assert a.prepare('remember that the keys are in the drawer', NOW) is None  # stores nothing


def test_standing_records_evaluated_ahead_leave_only_the_question(gen):
    """Between questions the node evaluates the standing records (keep_warm, a partial
    prompt); an open question then evaluates only its own words. A new record costs only its
    own line; one still growing is taken as it is, and costs nothing more when it settles so."""
    recent = [MemoryItem(id=f'clip-{n}', kind='clip', start=NOW - 100 + 20 * n,
                         end=NOW - 92 + 20 * n, text=name, score=0.5,
                         labels=[Label(OBJECT, name, n + 1)])
              for n, name in enumerate(['chair', 'laptop', 'backpack', 'umbrella'])]
    memory = recent + items()[:1]   # and the cups, 5 minutes ago

    def retrieve(query, k, since, until, kinds):
        return sorted((i for i in memory if i.end >= since and (not until or i.start <= until)),
                      key=lambda i: -i.end)[:k]

    a = Answerer(retrieve, gen, config=AnswerConfig(direct_answers=False, max_tokens=12,
                                                    max_sentences=1, standing_window_s=240.0))
    gen.llm.reset()
    system, _ = gen.tokens([a._prompt('x', [], NOW, None)[0]])
    ahead = a.keep_warm(NOW - 30)   # the last clip still grows: taken as it is
    assert ahead > len(system) and a.keep_warm(NOW - 30) == 0
    assert a.keep_warm(NOW) == 0   # it settled as it was taken: nothing new
    memory.append(MemoryItem(id='clip-4', kind='clip', start=NOW - 10, end=NOW - 1,
                             text='kettle', labels=[Label(OBJECT, 'kettle', 1)]))
    recent.append(memory[-1])
    before = decoded(gen)
    assert 0 < a.keep_warm(NOW) < 40   # a new record: its line alone is evaluated
    assert decoded(gen) - before < 40

    plan = a._plan('What did you see?', NOW + 5)
    assert [i.id for i in plan.evidence] == [i.id for i in recent]
    tokens, _ = gen.tokens(plan.messages)
    evaluated = gen.prefill(plan.messages)
    # the question's words and the template's end of turn, not the records before them
    assert 0 < evaluated <= 16 < len(tokens) // 10
    before = decoded(gen)
    answer = ''.join(gen.stream(plan.messages, max_tokens=12))
    assert answer.strip() and decoded(gen) - before <= 13   # generated tokens only


def test_standing_records_survive_another_questions_prompt(gen):
    """A question with its own prompt (it names a thing) overwrites the context; the standing
    records evaluated before it are put back from their saved copy, so the next open question
    still evaluates only its own words, and answers as it does from a cold context."""
    recent = [MemoryItem(id=f'clip-{n}', kind='clip', start=NOW - 100 + 20 * n,
                         end=NOW - 92 + 20 * n, text=name, score=0.5,
                         labels=[Label(OBJECT, name, n + 1)])
              for n, name in enumerate(['chair', 'laptop', 'backpack', 'umbrella'])]

    def retrieve(query, k, since, until, kinds):
        return [i for i in recent + items() if i.end >= since][:k]

    a = Answerer(retrieve, gen, config=AnswerConfig(direct_answers=False, max_tokens=12,
                                                    max_sentences=1, standing_window_s=240.0))
    gen.llm.reset()
    assert a.keep_warm(NOW) > 0
    named = a.answer('Did you hear a telephone?', NOW + 2)   # not an open question
    assert named.answered_by == 'model' and gen.cached_tokens() > 0
    plan = a._plan('What did you see?', NOW + 5)
    tokens, _ = gen.tokens(plan.messages)
    before = decoded(gen)
    evaluated = gen.prefill(plan.messages)
    assert 0 < evaluated <= 16 < len(tokens) // 10 and decoded(gen) - before == evaluated
    warm = ''.join(gen.stream(plan.messages, max_tokens=12))
    gen.llm.reset()
    gen._saved = None
    assert ''.join(gen.stream(plan.messages, max_tokens=12)) == warm   # as from a cold context
