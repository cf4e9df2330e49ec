"""Fleet scope from the question's words: the fleet is the subject ("did any robot see"), not a
thing seen ("did you see any robots?")."""
import pytest

from omnilive.reasoning.questions import scope_of


@pytest.mark.parametrize('question', [
    'Did any robot see a dog?', 'Has any of you heard a doorbell?',
    'Did the other robots see the cat?', 'Which robot saw the red car?',
    'Any of you seen my keys?', 'Did all of you hear that?', 'Have you guys seen a cat?',
    'Which robots heard a bell?', 'Did one of you notice a bicycle?'])
def test_fleet_questions(question):
    assert scope_of(question) == 'fleet'


@pytest.mark.parametrize('question', [
    'Did you see any robots?', 'Did you see a dog?', 'What robots did you see?',
    'Did you see the robot in the kitchen?', 'Did you see anyone?',
    'Were the robots in the kitchen?', 'How many of the cups were white?'])
def test_own_memory_questions(question):
    assert scope_of(question) == ''
