"""What people asked the robot is stored as speech marked `to_robot` (audio.hearing), and it is
not evidence of what it asks about: a spoken "did anyone mention the dentist?" must not answer
itself, in short-term speech or folded into an episode; "what did I ask you?" reads them."""
import pytest

from omnilive.memory.types import OBJECT, SPEECH, Label, MemoryItem
from omnilive.reasoning.answerer import AnswerConfig, Answerer

NOW = 20_000.0


def said(id_, start, text, to_robot):
    return MemoryItem(id=id_, kind='speech', start=start, end=start + 2, text=text,
                      labels=[Label(SPEECH, text, 1, attributes={'to_robot': to_robot})])


@pytest.fixture
def store(tmp_path, embedder):
    from omnilive.memory.store import MemoryStore
    s = MemoryStore(tmp_path / 'mem', embedder)
    yield s
    s.close()


def answerer_on(store):
    def retrieve(query, top_k, since, until, kinds):
        return store.retrieve(query, top_k=top_k, since=since, until=until, kinds=kinds,
                              now=NOW)
    return Answerer(retrieve, None, config=AnswerConfig())


def test_a_question_to_the_robot_is_not_its_own_evidence(store):
    store.insert([said('q1', NOW - 3, 'Did anyone mention the dentist?', True),
                  said('p1', NOW - 200, 'The plumber is coming on Monday.', False)])
    answer = answerer_on(store).answer('Did anyone mention the dentist?', NOW).answer
    assert 'dentist' not in answer.lower().replace('mention the dentist.', '') \
        and not answer.startswith('Yes'), answer
    answer = answerer_on(store).answer('Did anyone mention the plumber?', NOW).answer
    assert 'Monday' in answer, answer


def test_a_clip_loses_the_questions_asked_of_the_robot(store):
    clip = MemoryItem(id='c', kind='clip', start=NOW - 900, end=NOW - 800, text='',
                         labels=[Label(OBJECT, 'bicycle', 1),
                                 Label(SPEECH, 'did you see a ferret?', 0,
                                       attributes={'to_robot': True})])
    store.insert([clip])
    answer = answerer_on(store).answer('Did anyone mention a ferret?', NOW).answer
    assert not answer.startswith('Yes') and 'did you see a ferret' not in answer, answer


def test_what_did_i_ask_you_reads_the_questions(store):
    store.insert([said('q1', NOW - 60, 'Where did you last see my umbrella?', True),
                  said('p1', NOW - 50, 'The umbrella is wet.', False)])
    result = answerer_on(store).answer('What did I ask you before?', NOW)
    assert [i.id for i in result.evidence] == ['q1'], result
