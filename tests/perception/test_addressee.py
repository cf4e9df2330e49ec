"""Who an utterance is for, without a wake word (issue 17): questions about what the robot
perceived or remembers are for it; questions about the listener's own actions or plans, and
questions inside a running conversation between people, are not. Every decision says why."""
from pathlib import Path

import pytest
import yaml

from omnilive.audio import queries
from omnilive.audio.queries import QueryDetector

DATA = Path(__file__).resolve().parents[1] / 'data'

FOR_THE_ROBOT = [
    'Did you see where I put my glasses?', 'Did you hear the doorbell?',
    'Did you notice anyone at the window?', 'Where did you last see my keys?',
    'How many cups were there on the table?', 'Have you seen my wallet?',
    'Was anyone in the kitchen this morning?', 'Who came in while I was out?',
    'What colour was the car outside?', 'Did the phone ring while I was asleep?',
    'Can you tell me what was on the whiteboard?', 'Could you describe the living room?',
    'What did the note on the fridge say?', 'Where did I leave my umbrella?',
    'Did I lock the front door?', 'Do you remember where I parked the bike?',
    'Did anybody knock?', 'What was the last thing you heard?',
    'Robot, are you listening?', 'Did you spot a dog in the garden?',
    'When did the delivery arrive?', 'What is my locker code?',
    'Show me what happened in the hallway.', 'Did you read the sign on the door?',
]
BETWEEN_PEOPLE = [
    'Did you book the table for Friday?', 'Are you coming to the party tonight?',
    'Did you call your mother?', 'Have you finished the report yet?',
    'Did you buy milk on the way home?', 'Are you hungry?', 'What do you think of it?',
    'Should we leave now?', "Let's go to the park, shall we?", 'Can I borrow your pen?',
    'Do you want some coffee?', 'Will you pick up the kids at five?',
    'How are you doing today?', 'Did you hear about the new manager?',
    'Why did you change the plan?', 'Where are you going for the holidays?',
    'Is it raining outside?', 'Did you watch the match last night?',
    'Could you pass me the salt?', 'Would you like to come with us?',
    'I think the train is late.', 'The table is booked for eight.',
]


@pytest.mark.parametrize('text', FOR_THE_ROBOT)
def test_questions_about_what_the_robot_perceived_are_for_it(text):
    decision = QueryDetector().classify(text)
    assert decision.kind == 'query' and decision.addressed, decision


@pytest.mark.parametrize('text', BETWEEN_PEOPLE)
def test_questions_between_people_are_speech(text):
    decision = QueryDetector().classify(text)
    assert decision.kind == 'speech' and not decision.addressed, decision
    assert decision.reason  # explained


def test_the_public_sets_spoken_questions_are_for_the_robot():
    spoken = []
    for name in ('demo', 'errands'):
        data = yaml.safe_load((DATA / f'{name}_questions.yaml').read_text())
        spoken += [q['question'] for q in data['questions'] if q.get('ask') == 'audio']
    assert len(spoken) >= 6
    for text in spoken:
        assert QueryDetector().is_query(text), QueryDetector().classify(text)


def test_a_question_inside_a_conversation_between_people_is_theirs():
    detector = QueryDetector(conversation_s=6.0)
    first = detector.in_context('Did you book the table for Friday?', 10.0, 12.0)
    assert first.kind == 'speech' and first.reason == queries.LISTENERS_DOING
    # "which table?" alone would be a question about the world; here it continues theirs
    follow = detector.in_context('Where is the table?', 13.0, 14.0)
    assert follow.kind == 'speech' and follow.reason.startswith(queries.CONVERSATION), follow
    # a question that asks what the robot perceived is the robot's, conversation or not
    asked = detector.in_context('Did you see my keys?', 15.0, 16.0)
    assert asked.kind == 'query' and asked.reason == queries.PERCEIVED
    # after a pause the conversation is over: the same question is for the robot again
    later = detector.in_context('Where is the table?', 40.0, 41.0)
    assert later.kind == 'query' and later.reason == queries.WORLD_QUESTION


def test_with_a_wake_word_only_addressed_utterances_are_queries():
    detector = QueryDetector('robot')
    assert detector.classify('Did you see my keys?').kind == 'speech'
    assert detector.classify('Robot, did you book the table?').kind == 'query'
    note = detector.classify('Robot, remember that the code is 4821.')
    assert note.kind == 'note' and QueryDetector.note_text(note) == 'the code is 4821'


def test_every_utterance_is_kept_as_speech_marked_with_who_it_was_for():
    from omnilive.audio.hearing import speech_item
    from omnilive.audio.listener import HeardUtterance
    detector = QueryDetector()
    marks = []
    for text in ('Did you book the table for Friday?', 'Did you see my keys?',
                 'I left them by the door.'):
        decision = detector.in_context(text, 0.0, 1.0)
        heard = HeardUtterance(0.0, 1.0, text, 'en', 0.9, decision.kind, decision.reason)
        item = speech_item(heard, 'u1')
        assert item.kind == 'speech' and item.text == text
        said, = item.labels_of('speech')
        marks.append((said.attributes['to_robot'], said.attributes['question']))
        assert said.attributes['addressee_reason'] == decision.reason
    assert marks == [(False, True), (True, True), (False, False)]
