"""A model answer the grounding check replaces is never spoken (issue 17): sentences go to the
TTS topic only once the answer so far passes the check, so the robot says the honest sentence
instead of saying the wrong one first; the same holds for an answer's first clause, said on
its own before its sentence ends (first_clause_words). The model here is a scripted text
source: what is under test is the answerer's handling of the text, whichever model wrote it."""
from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.reasoning.answerer import AnswerConfig, Answerer

NOW = 50_000.0
CUP = MemoryItem(id='cup', kind='clip', start=NOW - 200, end=NOW - 170, text='1 cup',
                 labels=[Label(OBJECT, 'cup', 1, attributes={'colours': ['red']})], score=0.9)
BALLS = MemoryItem(id='balls', kind='clip', start=NOW - 100, end=NOW - 80, text='2 balls',
                   labels=[Label(OBJECT, 'sports ball', 2)], score=0.9)


class Scripted:
    """Yields a fixed answer word by word, as a model streams its tokens."""

    def __init__(self, text: str):
        self.text = text

    def stream(self, messages, **kwargs):
        words = self.text.split(' ')
        for i, word in enumerate(words):
            yield word + (' ' if i < len(words) - 1 else '')


def ask(question, answer, evidence, first_clause_words=3):
    answerer = Answerer(lambda *a: list(evidence), Scripted(answer),
                        config=AnswerConfig(direct_answers=False,
                                            first_clause_words=first_clause_words))
    spoken = []
    result = answerer.answer(question, NOW, on_sentence=spoken.append)
    return result, spoken


def test_a_replaced_answer_is_not_spoken_only_its_replacement_is():
    result, spoken = ask('What colour was the cup?', 'I did not notice its colour.', [CUP])
    assert result.answered_by == 'model-replaced'
    assert spoken == [result.answer] and 'red' in result.answer, spoken
    assert result.first_sentence_ms > 0


def test_a_grounded_answer_is_spoken_sentence_by_sentence():
    result, spoken = ask('What colour was the cup?', 'The cup was red. It was on the table.',
                         [CUP])
    assert result.answered_by == 'model'
    assert spoken == ['The cup was red.', 'It was on the table.'], spoken


def test_a_first_sentence_the_second_completes_is_held_until_then():
    # "balls" alone gives no count; with the second sentence the answer holds the count 2
    result, spoken = ask('How many balls did you see?', 'I saw some balls. There were 2.',
                         [BALLS])
    assert result.answered_by == 'model', result
    assert spoken == ['I saw some balls.', 'There were 2.'], spoken


def test_a_grounded_first_clause_is_said_before_its_sentence_is_written():
    words = []

    class Streamed(Scripted):
        def stream(self, messages, **kwargs):
            for piece in super().stream(messages, **kwargs):
                words.append(piece)
                yield piece
    text = 'The cup was red, on the table, next to a plate.'
    answerer = Answerer(lambda *a: [CUP], Streamed(text),
                        config=AnswerConfig(direct_answers=False, first_clause_words=3))
    said = []
    result = answerer.answer('What colour was the cup?', NOW,
                             on_sentence=lambda s: said.append((s, len(words))))
    assert result.answered_by == 'model' and result.answer == text
    # said with its 4th word (and the space after its comma), long before the sentence's 11th
    assert said[0] == ('The cup was red,', 4), said
    assert [s for s, _ in said] == ['The cup was red,', 'on the table, next to a plate.']


def test_a_first_clause_that_fails_alone_waits_for_the_rest_of_its_sentence():
    # "some balls" gives no count: the clause is held until the sentence holds the count 2
    result, spoken = ask('How many balls did you see?', 'I saw some balls, 2 of them in all.',
                         [BALLS])
    assert result.answered_by == 'model', result
    assert spoken == ['I saw some balls,', '2 of them in all.'], spoken


def test_a_first_clause_that_grants_a_false_premise_is_never_said():
    # "Yes, I saw a man," alone would pass for an answer: said before its sentence ends it
    # would grant the gun; it is held, and only the honest sentence is spoken
    man = MemoryItem(id='man', kind='clip', start=NOW - 100, end=NOW - 80, text='1 person',
                     labels=[Label(OBJECT, 'person', 1)], score=0.9)
    result, spoken = ask('Did you see a man with a gun?',
                         'Yes, I saw a man, he was standing there with a gun.', [man])
    assert result.answered_by == 'model-replaced'
    assert spoken == [result.answer] and 'did not see a gun' in result.answer, spoken
    result, spoken = ask('Did you see a man with a gun?',
                         'I saw a man, but I did not see a gun.', [man])
    assert spoken == ['I saw a man,', 'but I did not see a gun.'], spoken


def test_what_the_robot_perceived_is_said_in_the_first_person():
    """A small model tells the robot's sightings as the user's ("You saw 2 balls"): spoken and
    kept as "I saw"; "you told me" stays."""
    result, spoken = ask('What did you see?', 'You saw 2 sports balls. You did not see a cup.',
                         [BALLS], first_clause_words=0)
    assert result.answer == 'I saw 2 sports balls. I did not see a cup.', result.answer
    assert spoken == ['I saw 2 sports balls.', 'I did not see a cup.'], spoken
    from omnilive.reasoning.grounding import as_robot
    assert as_robot('You told me the keys are in the drawer.') == \
        'You told me the keys are in the drawer.'
