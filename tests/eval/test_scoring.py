"""Evaluation scoring without a graph: matching, the cap, multiple choice, hedges, echoes, counts
and times checked as numbers, honest not-known answers, the questions file (and the public sets in
tests/data), the baselines' inputs, spoken questions matched by text and time, and the summary."""
from collections import namedtuple
from pathlib import Path

import pytest

from omnilive.eval.evaluate import plan_topics
from omnilive.bags.replay import BagError
from omnilive.eval.checks import counts, doubt, not_known, numbers, times
from omnilive.eval.scoring import (REPLACED, Question, QuestionsError, evidence_dump, judge,
                                   load_questions, match_spoken, summarize, words)

PUBLIC_SET = Path(__file__).parents[1] / 'data' / 'demo_questions.yaml'
SECOND_SET = Path(__file__).parents[1] / 'data' / 'errands_questions.yaml'
PUBLIC_SETS = [PUBLIC_SET, SECOND_SET]


def test_words_normalise_case_punctuation_and_numbers():
    assert words('I saw TWO people, at 00:16:56!') == ['i', 'saw', '2', 'people', 'at', '00',
                                                       '16', '56']
    assert words("You haven't") == ['you', "haven't"]


@pytest.mark.parametrize('answer, expect, passed', [
    ('I saw 2 cups.', {'any': ['two cups']}, True),
    ('I saw two cups.', {'any': ['2 cups']}, True),
    ('I saw a cupboard.', {'any': ['cup']}, False),            # words, not substrings
    ('I saw 3 oranges.', {'any': ['orange']}, True),           # singular and plural alike
    ('I saw two buses.', {'any': ['a bus']}, False),
    ('I saw two buses.', {'any': ['bus']}, True),
    ('Two people.', {'any': ['person']}, True),
    ('The keys are on the shelf.', {'any': ['shelf'], 'none': ['drawer']}, True),
    ('On the shelf, or in the drawer.', {'any': ['shelf'], 'none': ['drawer']}, False),
    ('No, I did not see a pizza.', {'any': ['no'], 'none': ['pizzas']}, True),  # a plural
    ('No, but I saw 2 pizzas.', {'any': ['no'], 'none': ['pizzas']}, False),  # forbids several
    ('No, but I saw 2 dogs.', {'any': ['no'], 'none': ['dog']}, False),  # a singular forbids both
    ('Room five, at noon.', {'all': ['room 5', 'noon']}, True),
    ('Room five.', {'all': ['room 5', 'noon']}, False),
    ('', {'any': ['x']}, False),
])
def test_judge_any_all_none(answer, expect, passed):
    assert judge(answer, expect, max_words=40).passed is passed


def test_answers_over_the_cap_fail():
    padded = 'I saw a cup ' + 'and more things ' * 20
    verdict = judge(padded, {'any': ['cup']}, max_words=40)
    assert not verdict.passed and 'cap' in verdict.reason


@pytest.mark.parametrize('answer, passed', [
    ('B', True), ('(b)', True), ('I saw a cup.', True), ('A cup, not a giraffe.', False),
    ('C', False), ('An elephant.', False), ('I do not know.', False)])
def test_multiple_choice(answer, passed):
    expect = {'choices': ['a giraffe', 'a cup', 'an elephant'], 'answer': 'B'}
    assert judge(answer, expect, max_words=40).passed is passed


def write(tmp_path, text):
    path = tmp_path / 'q.yaml'
    path.write_text(text)
    return path


@pytest.mark.parametrize('text, message', [
    ('questions: []', 'non-empty'),
    ('questions:\n  - {at: 1, question: q}', 'missing `expect`'),
    ('questions:\n  - {at: x, question: q, expect: {any: [a]}}', '`at` must be seconds'),
    ('questions:\n  - {at: 1, ask: video, question: q, expect: {any: [a]}}', '`ask` must be'),
    ('questions:\n  - {at: 1, question: q, expect: {none: [a]}}', 'needs `any` or `all`'),
    ('questions:\n  - {at: 1, question: q, expect: {choices: [a, b], answer: D}}', 'not a letter'),
    ('questions:\n  - {id: a, at: 1, question: q, expect: {any: [a]}}\n'
     '  - {id: a, at: 2, question: q, expect: {any: [a]}}', 'duplicate id'),
    ('questions: [', 'cannot read'),
    ('questions:\n  - {at: 1, question: q, expect: {any: [yes]}}', 'quote it'),
])
def test_bad_questions_files_name_the_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(QuestionsError, match=message) as err:
        load_questions(path)
    assert str(path) in str(err.value)


def test_public_set_is_broad_and_every_question_can_fail():
    questions = load_questions(PUBLIC_SET)
    assert len(questions) >= 40
    assert {q.ask for q in questions} == {'text', 'audio'}
    tags = {t for q in questions for t in q.tags}
    assert {'objects', 'people', 'counts', 'text', 'sounds', 'speech', 'notes', 'time',
            'follow-up', 'paraphrase', 'negative'} <= tags
    for q in questions:
        assert q.expect.get('none'), f'{q.id} has no `none` list'
        # the "always not seen" baseline must not pass a positive question by accident
        if 'negative' not in q.tags:
            assert not judge('I have not seen that.', q.expect, 40, q.question, asked_at=q.at,
                             clock0=1000.0).passed, q.id


def test_evidence_dump_and_summary():
    evidence = [{'labels': [{'kind': 'object', 'name': 'person', 'count': 3},
                            {'kind': 'object', 'name': 'cup', 'count': 1},
                            {'kind': 'text', 'name': 'NOTICE', 'count': 0},
                            {'kind': 'sound', 'name': 'Telephone', 'count': 2}], 'text': 'x'},
                {'labels': [], 'text': 'my keys are on the shelf'}]
    assert evidence_dump(evidence) == \
        '3 people, cup, NOTICE, Telephone, my keys are on the shelf'
    rows = [dict(id='a', ask='text', tags=['t1'], passed=True, baseline_not_seen=False,
                 baseline_labels=True, answered_by='direct', latency_first_sentence_s=1.0,
                 latency_answer_s=2.0),
            dict(id='b', ask='audio', tags=['t1', 't2'], passed=False, baseline_not_seen=True,
                 baseline_labels=False, answered_by='model', latency_first_sentence_s=3.0,
                 latency_answer_s=4.0),
            dict(id='c', ask='text', tags=[], skipped=True, passed=False)]
    s = summarize(rows)
    assert s['n'] == 2 and s['skipped'] == 1 and s['accuracy'] == 0.5
    assert s['baselines'] == {'not_seen': 0.5, 'evidence_labels': 0.5}
    assert s['per_tag']['t2'] == {'n': 1, 'accuracy': 0.0, 'not_seen': 1.0,
                                  'evidence_labels': 0.0}
    assert s['answered_by'] == {'direct': 1, 'model': 1}
    assert s['latency_first_sentence_s']['p50'] == 2.0
    assert s['replaced'] == {'n': 0, 'model_answers': 1, 'share': 0.0}


def test_replaced_model_answers_are_counted_apart():
    """A model answer the grounding check replaced is neither 'direct' nor 'model': the share
    of the model's answers replaced is reported (the issue's target: at most a fifth)."""
    from omnilive.reasoning.answerer import REPLACED as ANSWERER_REPLACED
    assert REPLACED == ANSWERER_REPLACED
    rows = [dict(id=str(i), ask='text', tags=[], passed=True, baseline_not_seen=False,
                 baseline_labels=False, answered_by=by, latency_first_sentence_s=None,
                 latency_answer_s=None)
            for i, by in enumerate(['direct', 'model', 'model', REPLACED, None])]
    s = summarize(rows)
    assert s['answered_by'] == {'direct': 1, 'model': 2, REPLACED: 1, 'none': 1}
    assert s['replaced'] == {'n': 1, 'model_answers': 3, 'share': 0.333}
    assert summarize(rows[:1])['replaced'] == {'n': 0, 'model_answers': 0, 'share': None}


Conn = namedtuple('Conn', 'topic msgtype')


def test_topics_are_planned_by_type():
    conns = [Conn('/front/image_raw', 'sensor_msgs/msg/Image'),
             Conn('/mic/audio', 'audio_common_msgs/msg/AudioData'),
             Conn('/mic/audio_stamped', 'audio_common_msgs/msg/AudioDataStamped'),
             Conn('/tf', 'tf2_msgs/msg/TFMessage')]
    assert plan_topics(conns, {}) == {'/front/image_raw': '/camera/image_raw',
                                      '/mic/audio_stamped': '/audio/audio_stamped'}
    assert plan_topics(conns, {'/mic/audio': '/audio/audio'})['/mic/audio'] == '/audio/audio'
    with pytest.raises(BagError, match='no camera'):
        plan_topics([Conn('/tf', 'tf2_msgs/msg/TFMessage')], {})
    with pytest.raises(BagError, match='does not have'):
        plan_topics(conns, {'/nope': '/camera/image_raw'})


# ------------------------------------------------------------------ the stricter scorer (issue 17)
@pytest.mark.parametrize('answer', [
    'Maybe red.', "I'm not sure, I may have.", 'It might have been a dog.', 'Probably a car.',
    'I think it was blue.', 'It could have been the phone.', 'It seemed to be a cat.',
    'Perhaps two people?', 'Red?', 'I am not entirely certain, a bus I guess.',
    "I can't be sure it was there."])
def test_doubt_is_a_hedge(answer):
    assert doubt(answer)


@pytest.mark.parametrize('answer', [
    'I did not notice its colour.', 'I have not seen that.', "I didn't hear that.",
    'I could not see its colour.', "I don't know where your glasses are.",
    'I saw a car, but it was grey, not red.',
    'About 90 seconds ago I heard someone say "he might even have been made amiable himself".'])
def test_plain_statements_are_not_hedges(answer):
    assert doubt(answer) is None


@pytest.mark.parametrize('answer, known', [
    ('I did not notice its colour.', False), ('I have not seen that.', False),
    ('I have no idea.', False), ("I couldn't tell.", False), ('The car was red.', True),
    ('Maybe it was red.', True)])
def test_not_known_is_recognised(answer, known):
    assert (not_known(answer) is None) is known


def test_hedges_and_echoes_fail_even_with_the_right_words():
    cup = {'any': ['cup'], 'none': ['giraffe']}
    assert judge('Yes, I saw a cup.', cup, 40, 'Did you see a cup?').passed
    assert judge('I saw a cup.', cup, 40, 'Did you see a cup?').passed       # asserts the yes
    assert not judge('Did you see a cup?', cup, 40, 'Did you see a cup?').passed
    assert not judge('Maybe a cup.', cup, 40, 'Did you see a cup?').passed
    said = {'any': ['lunch today', 'coming to lunch']}
    verdict = judge('Someone asked about lunch.', said, 40, 'What did someone ask about lunch?')
    assert not verdict.passed and 'echo' in verdict.reason
    negative = {'any': ['not', 'no', "haven't", 'never'], 'none': ['yes']}
    assert judge('I have not seen that.', negative, 40, 'Did you see a giraffe?').passed
    assert judge('No.', negative, 40, 'Did you see a giraffe?').passed
    assert not judge('I am not sure, I may have.', negative, 40, 'Did you see a giraffe?').passed
    # choosing one of the alternatives a question offers is an answer
    side = {'any': ['left'], 'none': ['right']}
    assert judge('On the left.', side, 40, 'Which side was it on, left or right?').passed
    assert not judge('Left or right.', side, 40, 'Which side was it on, left or right?').passed
    # expected words that are themselves doubt words are not a hedge
    assert judge('You told me: the meeting might move.', {'any': ['might move']}, 40,
                 'What did I say about the meeting?').passed


def test_the_issue_examples_fail_every_public_question():
    """The echo passed 13 of 49 public questions, "I'm not sure. " + the question 22, and
    "I am not sure, I may have." every negative: now none passes."""
    for path in PUBLIC_SETS:
        for q in load_questions(path):
            for answer in (q.question, "I'm not sure. " + q.question,
                           'I am not sure, I may have.'):
                assert not judge(answer, q.expect, 40, q.question, asked_at=q.at,
                                 clock0=1000.0).passed, (q.id, answer)


@pytest.mark.parametrize('text, values', [
    ('I saw 200 people.', [200]), ('two hundred and five people', [205]),
    ('twenty-one cars', [21]), ('a dozen eggs', [12]), ('no one', [0]), ('I saw one cup', [1]),
    ('1,200 birds', [1200]), ('No, I did not.', [])])
def test_numbers_are_parsed(text, values):
    assert [v for v, _, _ in numbers(text)] == values


def test_counts_are_checked_as_numbers():
    people = {'any': ['people'], 'count': [2, 2]}
    assert judge('I saw 2 people.', people, 40).passed
    assert judge('I saw two people, about 20 seconds ago.', people, 40).passed
    assert not judge('I saw 200 people.', people, 40).passed
    assert not judge('I saw twenty people.', people, 40).passed
    assert not judge('I saw people.', people, 40).passed
    assert counts('I saw 9 people at once, about 20 seconds ago, at 00:16:56.') == [9]
    assert counts('I saw 3 people and 2 cars.', {'people'}) == [3]
    one = {'any': ['cup'], 'count': [1, 1]}
    assert judge('I saw a cup.', one, 40).passed and not judge('I saw 2 cups.', one, 40).passed
    none = {'any': ['not', 'no'], 'count': [0, 0]}
    assert judge('I have not seen any.', none, 40).passed
    assert not judge('No, I saw 1 giraffe.', none, 40).passed


def test_times_are_checked_as_times():
    # the event at bag seconds 15-20, asked at 100; the bag starts at 00:16:40 on the ROS clock
    expect = {'when': [15, 20]}
    ok = ['I heard a telephone about 80 seconds ago, at 00:16:56.', 'About 90 seconds ago.',
          'At 00:16:57.']
    for answer in ok:
        assert judge(answer, expect, 40, asked_at=100.0, clock0=1000.0).passed, answer
    assert judge('About 2 minutes ago.', expect, 40, asked_at=130.0).passed
    assert not judge('About 5 minutes ago.', expect, 40, asked_at=130.0).passed
    for answer in ('About 20 seconds ago.', 'At 00:17:30.', 'I heard a telephone.', 'Just now.',
                   'About 80 seconds ago, at 00:18:10.'):
        assert not judge(answer, expect, 40, asked_at=100.0, clock0=1000.0).passed, answer
    assert times('just now', 100.0, None) == [(85.0, 100.0)]


def test_unknown_expects_an_honest_not_known():
    expect = {'unknown': True, 'any': ['car'], 'none': ['red', 'blue']}
    question = 'What colour was the car?'
    assert judge('I saw a car; I did not notice its colour.', expect, 40, question).passed
    assert not judge('I saw a car.', expect, 40, question).passed
    assert not judge('Maybe the car was grey.', expect, 40, question).passed


def test_spoken_questions_are_matched_by_text_and_time_not_order():
    spoken = [Question('people', 38.0, 'audio', 'How many people did you see?', {}),
              Question('sign', 58.0, 'audio', 'Tell me what the sign said', {}),
              Question('keys', 90.0, 'audio', 'Where are my keys?', {})]
    # the first was never detected (a misheard wake word): the second's answer comes 20 s
    # after it, within its window, and must not be scored against it
    heard = [('a2', 'tell me what the sign said', 59.6),
             ('a3', 'where are my keys', 91.0)]
    assert match_spoken(spoken, heard) == {'sign': 'a2', 'keys': 'a3'}
    # a misheard word still matches; an unrelated utterance never does
    assert match_spoken(spoken[:1], [('x', 'how many peoples did you see', 39.0)]) == \
        {'people': 'x'}
    assert match_spoken(spoken[:1], [('x', 'what time is it', 39.0)]) == {}


def test_second_public_set_covers_every_kind():
    """At least 40 questions, 3 spoken, 4 of each kind, negatives at least a fifth, long-term
    questions asked more than the short-term window (300 s) after what they ask about, and the
    "not seen" answer failing every question that is not a negative or a false premise."""
    from omnilive.bags.make import bundled_script
    questions = load_questions(SECOND_SET)
    assert len(questions) >= 40
    assert sum(q.ask == 'audio' for q in questions) >= 3
    kinds = ('attribute', 'false-premise', 'category', 'order', 'cross-modal', 'count',
             'negative', 'note', 'speech')
    for kind in kinds:
        assert sum(kind in q.tags for q in questions) >= 4, kind
    assert sum('negative' in q.tags for q in questions) >= len(questions) / 5
    assert any(q.expect.get('unknown') for q in questions)
    script = bundled_script('errands')
    duration = sum(s['duration'] for s in script['video'])
    assert duration >= 480
    spoken = {e['say'].rstrip('?.') for e in script['audio'] if e.get('kind') == 'query'}
    assert {q.question.rstrip('?.') for q in questions if q.ask == 'audio'} == spoken
    assert min(q.at for q in questions if 'long-term' in q.tags) >= 300 + 225
    for q in questions:
        assert q.expect.get('none'), f'{q.id} has no `none` list'
        if not {'negative', 'false-premise'} & set(q.tags):
            assert not judge('I have not seen that.', q.expect, 40, q.question, asked_at=q.at,
                             clock0=1000.0).passed, q.id


def test_an_earlier_run_is_rescored_without_replaying():
    from omnilive.eval.evaluate import rescore
    questions = [Question('people', 100.0, 'text', 'How many people did you see?',
                          {'any': ['people'], 'count': (5.0, 12.0), 'none': ['not seen']},
                          ['count']),
                 Question('phone', 100.0, 'text', 'When did the phone ring?',
                          {'when': (15.0, 20.0), 'none': ['not heard']}, ['time'])]
    row = dict(ask='text', at=100.0, tags=[], heard=None, answered_by='model', evidence=[],
               latency_first_sentence_s=1.0, latency_answer_s=2.0, asked_at=100.0, passed=True,
               reason='ok')
    report = {'summary': {'bag': '/nonexistent', 'max_words': 40, 'bag_start_s': 1000.0},
              'questions': [dict(row, id='people', question='q', answer='I saw 200 people.'),
                            dict(row, id='phone', question='q',
                                 answer='About 80 seconds ago, at 00:16:56.'),
                            dict(row, id='gone', question='q', answer='x')]}
    again = rescore(report, questions)
    verdicts = {r['id']: (r['passed'], r['reason']) for r in again['questions']}
    assert verdicts == {'people': (False, 'counts 200, not 5-12'), 'phone': (True, 'ok')}
    assert again['summary']['accuracy'] == 0.5 and again['summary']['n'] == 2
    assert again['summary']['per_tag']['count']['accuracy'] == 0.0


def test_a_number_in_a_duration_is_not_the_number_asked_for():
    expect = {'any': ['8', "o'clock"]}
    assert not judge('I heard someone say it about 8 minutes ago.', expect, 40).passed
    assert judge('They booked it for 8 in the evening.', expect, 40).passed
    assert judge("At eight o'clock, about 3 minutes ago.", expect, 40).passed
