"""A model answer the grounding check replaces is never spoken (issue 17): sentences go to the
TTS topic only once the answer so far passes the check, so the robot says the honest sentence
instead of saying the wrong one first. The model here is a scripted text source: what is under
test is the answerer's handling of the text, whichever model wrote it."""
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


def ask(question, answer, evidence):
    answerer = Answerer(lambda *a: list(evidence), Scripted(answer),
                        config=AnswerConfig(direct_answers=False))
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
