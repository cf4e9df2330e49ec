"""Streamed text cut into what TTS says: whole sentences as soon as each ends and, with
first_clause_words, the answer's first clause on its own, so a long first sentence (a list of
what was seen) starts being spoken while the model still writes it."""
from omnilive.reasoning.sentences import SentenceSplitter


def stream(text: str, splitter: SentenceSplitter) -> list[str]:
    """Fed as a model streams it (a word at a time), then flushed."""
    out = []
    for i, word in enumerate(text.split(' ')):
        out += splitter.feed(word if i == 0 else ' ' + word)
    return out + splitter.flush()


def test_sentences_end_at_their_punctuation_not_at_abbreviations_or_decimals():
    assert stream('Mr. Smith paid 3.50 dollars. Then he left! Did he?', SentenceSplitter()) == \
        ['Mr. Smith paid 3.50 dollars.', 'Then he left!', 'Did he?']


def test_the_first_clause_is_said_before_its_sentence_ends():
    splitter = SentenceSplitter(first_clause_words=3)
    said = splitter.feed('I saw four people, a car')   # the sentence is still being written
    assert said == ['I saw four people,']
    assert splitter.feed(', a fire hydrant and a van. It was dark, at night. ') == \
        ['a car, a fire hydrant and a van.', 'It was dark, at night.']
    assert (splitter.pieces, splitter.sentences) == (3, 2)


def test_a_short_clause_numbers_and_quotes_stay_whole():
    # "Yes," is too short to say alone; "1,000" and "10:30" are not clause ends; a comma
    # inside a quotation would cut what was heard in two
    assert stream('Yes, 1,000 people came at 10:30, then left.', SentenceSplitter(3)) == \
        ['Yes, 1,000 people came at 10:30,', 'then left.']
    quoted = 'I heard someone say "Yes, for 7 people at 8 o\'clock."'
    assert stream(quoted, SentenceSplitter(3)) == [quoted]


def test_without_first_clause_words_only_sentences():
    assert stream('I saw four people, a car, and a van. Nothing else.', SentenceSplitter()) == \
        ['I saw four people, a car, and a van.', 'Nothing else.']
