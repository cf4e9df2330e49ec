"""Standing records: the recent memory an open question ("what did you see?") is answered from,
which the reasoning node keeps evaluated between questions (Answerer.standing / keep_warm), over a
real memory store. Their tokens evaluated ahead by the real model: tests/models/test_llm_prefill.py
."""
import dataclasses

import pytest

from omnilive.memory.types import OBJECT, SOUND, Label, MemoryItem
from omnilive.reasoning.answerer import STANDING_HEAD, AnswerConfig, Answerer
from omnilive.reasoning.timephrases import clock, relative

NOW = 9_999.0   # the half window is 60 s: at NOW the span starts at 9900 (NOW - 99)


def clip(id_, start, end, *names):
    return MemoryItem(id=id_, kind='clip', start=start, end=end, text=', '.join(names),
                      labels=[Label(OBJECT, n, 1) for n in names])


ITEMS = [clip('clip-old', NOW - 400, NOW - 390, 'bicycle'),           # before the span
         clip('clip-a', NOW - 50, NOW - 41, 'cup', 'bottle'),
         MemoryItem(id='sound-b', kind='sound', start=NOW - 30, end=NOW - 29,
                    text='heard dog', labels=[Label(SOUND, 'Dog', 1)]),
         clip('clip-open', NOW - 20, NOW - 2, 'laptop')]              # still growing at NOW


class PrefillRecorder:
    """The generator's prefill interface, recording what it was asked to evaluate."""

    def __init__(self):
        self.calls = []

    def prefill(self, messages, should_stop=lambda: False, partial=False, chunk=64):
        self.calls.append((messages, partial))
        return 1


@pytest.fixture
def store(tmp_path, embedder):
    from omnilive.memory.store import MemoryStore
    s = MemoryStore(tmp_path / 'mem', embedder)
    s.insert(ITEMS)
    yield s
    s.close()


def answerer(store, generator, **config):
    return Answerer(lambda q, k, since, until, kinds: store.retrieve(q, k, since, until, kinds,
                                                                     now=NOW + 500),
                    generator, config=AnswerConfig(**{'direct_answers': False,
                                                      'standing_window_s': 120.0, **config}))


def ids(items):
    return [i.id for i in items]


def test_standing_records_only_grow_at_their_end_until_the_span_moves(store):
    a = answerer(store, PrefillRecorder())
    # settled items of the span, oldest first, then the clip still growing
    assert ids(a.standing(NOW)) == ['clip-a', 'sound-b', 'clip-open']
    # once it has settled it is among the settled: what was evaluated before stays the start
    assert ids(a.standing(NOW + 10)) == ['clip-a', 'sound-b', 'clip-open']
    assert ids(a.standing(NOW + 20)) == ['clip-a', 'sound-b', 'clip-open']
    # the span moves on once per half window (at 10020 it starts at 9960, NOW - 39): the
    # oldest records leave then
    assert ids(a.standing(NOW + 21)) == ['sound-b', 'clip-open']
    assert ids(a.standing(NOW + 200)) == []


def test_a_growing_record_is_shown_as_it_was_taken_for_growing_s(store):
    a = answerer(store, PrefillRecorder(), standing_growing_s=10.0)
    taken = a.standing(NOW)[-1]
    assert taken.id == 'clip-open'
    store.insert([clip('clip-open', NOW - 20, NOW + 3, 'laptop', 'mouse')])   # it grew
    # within growing_s (10 s) it is the record taken before: its evaluated tokens stay valid
    assert a.standing(NOW + 4)[-1] == taken
    store.insert([clip('clip-open', NOW - 20, NOW + 11, 'laptop', 'mouse', 'keyboard')])
    later = a.standing(NOW + 12)[-1]   # then it is taken again, as it is now
    assert later.id == 'clip-open' and {lab.name for lab in later.labels} == {
        'laptop', 'mouse', 'keyboard'}


def test_standing_records_are_bounded(store):
    a = answerer(store, PrefillRecorder(), standing_max_chars=60)
    assert ids(a.standing(NOW + 10)) == ['clip-a']   # the newest settled beyond it stay out
    assert answerer(store, PrefillRecorder(), standing_window_s=0.0).standing(NOW) == []
    assert answerer(store, None).standing(NOW) == []  # no model, no prompt


def test_an_open_question_is_answered_from_the_standing_records(store):
    gen = PrefillRecorder()
    a = answerer(store, gen)
    plan = a._plan('What did you see?', NOW + 10)
    assert ids(plan.evidence) == ['clip-a', 'sound-b', 'clip-open']   # the recent memory
    user = plan.messages[1]['content']
    assert a.keep_warm(NOW + 10) == 1
    messages, partial = gen.calls[-1]
    head = messages[1]['content']
    assert partial and messages[0] == plan.messages[0]   # the system prompt
    # what was evaluated ahead is the prompt but for the question
    assert user == head + '\nQuestion: What did you see?\nAnswer:'
    assert 'cup' in head and 'dog' in head and 'laptop' in head
    # nothing in the span: nothing evaluated, and the question's own retrieval answers it
    assert a.keep_warm(NOW + 500) == 0 and len(gen.calls) == 1
    assert ids(a._plan('What did you see?', NOW + 500).evidence) != []


def test_standing_records_name_a_sound_by_its_best_class_and_ask_for_the_first_person(
        embedder, tmp_path):
    from omnilive.memory.store import MemoryStore
    store = MemoryStore(tmp_path / 'mem', embedder)
    # YAMNet's classes beside an explosion are other readings of the same sound, not sounds
    store.insert([MemoryItem(id='sound-x', kind='sound', start=NOW - 30, end=NOW - 29,
                             text='heard explosion',
                             labels=[Label(SOUND, n, 1) for n in
                                     ('Explosion', 'Burst, pop', 'Ocean', 'Waves, surf')])])
    head = answerer(store, PrefillRecorder())._plan('What did you hear?', NOW + 10
                                                    ).messages[1]['content']
    assert 'I heard an explosion\n' in head and 'ocean' not in head.lower()
    assert 'first person' in head[:head.index('\n')]


@pytest.mark.parametrize('question', ['Did you see a bicycle?', 'What did you see at the start?',
                                      'What did the sign say?', 'What did you see after the dog?'])
def test_a_question_that_names_a_thing_or_a_time_has_its_own_records(store, question):
    a = answerer(store, PrefillRecorder())
    user = a._prompt(question, [ITEMS[0], ITEMS[1]], NOW + 10, None)[1]['content']
    assert user.startswith('Records') and 'laptop' not in user
    assert not user.startswith(STANDING_HEAD)


@pytest.mark.parametrize('question, clocks, place', [
    ('Did you see a bicycle?', False, False),
    ('When did you see the bicycle?', True, False),
    ('How long ago did you see the bicycle?', True, False),
    ('How many bicycles do you see right now?', True, False),
    ('Where was the bicycle?', False, True)])
def test_a_questions_own_records_carry_clock_times_and_place_only_when_asked(question, clocks,
                                                                             place):
    # each digit is a token: the records evaluated after the question is heard stay short
    item = dataclasses.replace(ITEMS[0], pose=(3.0, 4.0, 0.0, 0.0, 0.0, 0.0, 1.0))
    user = answerer(None, PrefillRecorder())._prompt(question, [item], NOW + 100, None)[1][
        'content']
    assert ('now is' in user and clock(item.start) in user) == clocks, user
    assert ('x=3.0 m, y=4.0 m' in user) == place, user
    assert relative(item.end, NOW + 100) in user, user   # the relative time always


def test_standing_records_say_no_relative_time(store):
    a = answerer(store, PrefillRecorder())
    # the same tokens whenever the question comes: clock times only
    first = a._plan('What did you see?', NOW + 10).messages[1]['content']
    later = a._plan('Describe the room.', NOW + 20).messages[1]['content']
    head = first[:first.index('\nQuestion:')]
    assert later.startswith(head) and 'ago' not in head


def test_the_standing_thread_evaluates_only_while_the_model_is_free(store):
    import time

    from omnilive.reasoning.speculative import SpeculativeAnswers
    from omnilive.reasoning.standing import StandingRecords
    gen = PrefillRecorder()
    a = answerer(store, gen)
    speculation = SpeculativeAnswers(a)
    warnings = []
    thread = StandingRecords(a, speculation, lambda: NOW + 10, 0.01, warnings.append)
    speculation.goal_accepted('How many cups did you see?')   # a question waits its turn
    thread.start()
    time.sleep(0.3)
    assert gen.calls == [] and thread.tokens == 0
    speculation.goal_started('How many cups did you see?')
    speculation.goal_ended()   # answered: the model is free again
    deadline = time.monotonic() + 10
    while thread.tokens == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    thread.stop()
    assert thread.tokens > 0 and gen.calls[0][1] is True and warnings == []

    # memory down: counted, warned about once (not every period)
    def down(*args):
        raise TimeoutError('memory/retrieve is not available')
    failing = StandingRecords(answerer(store, gen), speculation, lambda: NOW, 0.01,
                              warnings.append)
    failing.answerer._retrieve_all = down
    failing.start()
    while failing.failed < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    failing.stop()
    assert failing.failed >= 5 and len(warnings) == 1 and 'not available' in warnings[0]


def test_no_thread_with_no_period(store):
    from omnilive.reasoning.speculative import SpeculativeAnswers
    from omnilive.reasoning.standing import StandingRecords
    a = answerer(store, PrefillRecorder())
    off = StandingRecords(a, SpeculativeAnswers(a), lambda: NOW, 0.0)
    off.start()
    assert off._thread is None
    off.stop()
