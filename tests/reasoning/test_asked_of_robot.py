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


def test_what_i_asked_you_to_do_is_a_request_not_a_question(store):
    """"What did I ask you to do (on Friday)?" reads the notes, "what did I ask you?" the
    questions asked of the robot."""
    store.insert([said('q1', NOW - 60, 'Where did you last see my umbrella?', True),
                  MemoryItem(id='n1', kind='note', start=NOW - 90, end=NOW - 90,
                             text='I have to water the plants on Friday'),
                  MemoryItem(id='n2', kind='note', start=NOW - 80, end=NOW - 80,
                             text='the charger is in the blue bag')])
    answerer = answerer_on(store)
    for question in ('What did I ask you to do?', 'What did I ask you to do on Friday?'):
        result = answerer.answer(question, NOW)
        assert 'water the plants on Friday' in result.answer and \
            'umbrella' not in result.answer, (question, result.answer)
    assert 'umbrella' in answerer.answer('What did I ask you?', NOW).answer
    # "did I tell you anything about ...?" is about the notes, not about what was seen
    assert answerer.answer('Did I tell you anything about my charger?', NOW).answer.startswith(
        'Yes, you asked me to remember: the charger is in the blue bag')
    assert answerer.answer('Did I tell you anything about my car?', NOW).answer.startswith(
        'You did not ask me to remember anything about your car.')


def _scene(id_, start, name):
    return MemoryItem(id=id_, kind='clip', start=start, end=start + 30, text=f'a {name}',
                      labels=[Label(OBJECT, name, 1)])


def test_told_is_a_note_and_asked_a_question_to_the_robot(store):
    """"When I told you where the charger is" is the note; "when I asked you where the charger
    is" is the later question asked of the robot (kept out of evidence, but an event in time);
    the question being answered is never its own anchor."""
    note = MemoryItem(id='n', kind='note', start=NOW - 395, end=NOW - 395,
                      text='the charger is in the blue bag')
    store.insert([_scene('kettle', NOW - 410, 'kettle'), note,
                  _scene('scooter', NOW - 215, 'scooter'),
                  said('q', NOW - 200, 'Where is the charger?', True),
                  _scene('ladder', NOW - 20, 'ladder')])
    told = 'What did you see when I told you where the charger is?'
    answer = answerer_on(store).answer(told, NOW).answer
    assert 'kettle' in answer and 'scooter' not in answer, answer
    asked = 'What did you see when I asked you where the charger is?'
    store.insert([said('now', NOW - 3, asked, True)])  # as heard, being answered
    answer = answerer_on(store).answer(asked, NOW).answer
    assert 'scooter' in answer and 'kettle' not in answer and 'ladder' not in answer, answer


def test_the_questions_asked_of_the_robot_are_answered_from_memory():
    """"Did anyone ask you a question?", "what was my last question?", "did I ask you about the
    umbrella?": the questions asked of the robot, in time order, never the one being answered;
    who asked is not known ("you" only when the question says I)."""
    from omnilive.reasoning import direct
    asked = [said('q1', NOW - 300, 'Where is my umbrella?', True),
             said('q2', NOW - 100, 'How many cars did you see?', True),
             said('now', NOW - 3, 'What was my last question?', True)]
    ask = lambda question: direct.answer(question, asked, None, NOW)  # noqa: E731
    assert ask('What was my last question?') == \
        'Your last question was "How many cars did you see?", about 2 minutes ago.'
    assert ask('Did anyone ask you a question?') == 'Yes, I was asked 3 questions: "Where is ' \
        'my umbrella?" (about 5 minutes ago), "How many cars did you see?" (about 2 minutes ' \
        'ago) and "What was my last question?" (just now).'
    assert ask('Did I ask you about the umbrella?') == \
        'Yes, you asked me one question: "Where is my umbrella?" (about 5 minutes ago).'
    assert ask('Did I ask you about the weather?') == \
        'No, I have no record of a question about the weather.'
    # someone asking someone else is what was said, not a question to the robot
    assert not direct.ASKED_OF_ROBOT.search('What did someone ask about lunch?')
