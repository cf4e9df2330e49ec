"""Which sign a question about text means (direct answers)."""
from omnilive.memory.types import TEXT, Label, MemoryItem
from omnilive.reasoning import direct

NOW = 5_000.0


def sign(id_, start, *words, score):
    return MemoryItem(id=id_, kind='clip', start=start, end=start + 10,
                      text='text reading ' + ', '.join(words), score=score,
                      labels=[Label(TEXT, w) for w in words])


def test_the_sign_that_reads_the_word_the_question_names_it_by():
    # "notice" is too generic a word to name a thing ("did you notice..."), but the sign that
    # reads NOTICE is the notice, however the retrieval ranked the other sign
    signs = [sign('notice', NOW - 60, 'NOTICE', 'DOUBLE', 'PARKING', score=0.35),
             sign('later', NOW - 20, 'NOPARKING', score=0.6)]
    answer = direct.answer('What was written on the notice?', signs, None, NOW)
    assert answer and 'DOUBLE PARKING' in answer, answer
    # without a word the sign reads, the most relevant one still answers
    assert 'NOPARKING' in direct.answer('What did the sign say?', signs, None, NOW)
