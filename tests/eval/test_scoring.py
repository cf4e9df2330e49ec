"""Evaluation scoring without a graph: matching, the cap, multiple choice, the questions file
(and the public set in tests/data), the baselines' inputs and the summary."""
from collections import namedtuple
from pathlib import Path

import pytest

from omnilive.eval.evaluate import plan_topics
from omnilive.bags.replay import BagError
from omnilive.eval.scoring import (QuestionsError, evidence_dump, judge, load_questions,
                                   summarize, words)

PUBLIC_SET = Path(__file__).parents[1] / 'data' / 'demo_questions.yaml'


def test_words_normalise_case_punctuation_and_numbers():
    assert words('I saw TWO people, at 00:16:56!') == ['i', 'saw', '2', 'people', 'at', '00',
                                                       '16', '56']
    assert words("You haven't") == ['you', "haven't"]


@pytest.mark.parametrize('answer, expect, passed', [
    ('I saw 2 cups.', {'any': ['two cups']}, True),
    ('I saw two cups.', {'any': ['2 cups']}, True),
    ('I saw a cupboard.', {'any': ['cup']}, False),            # words, not substrings
    ('The keys are on the shelf.', {'any': ['shelf'], 'none': ['drawer']}, True),
    ('On the shelf, or in the drawer.', {'any': ['shelf'], 'none': ['drawer']}, False),
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
            assert not judge('I have not seen that.', q.expect, 40).passed, q.id


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
