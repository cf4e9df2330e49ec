"""How transcripts write numbers: the forms Whisper base was seen to write for spoken clock times
and codes (docs/benchmarks.md, spoken numbers) come out in one form; what is not a time stays."""
import pytest

from omnilive.audio.transcript import normalise, prompt


@pytest.mark.parametrize('heard, written', [
    ('The meeting is at 3.30 pm in room 12.', 'The meeting is at 3:30 pm in room 12.'),
    ('Call me at 745 tomorrow morning.', 'Call me at 7:45 tomorrow morning.'),
    ('My locker number is 4,821', 'My locker number is 4821'),
    ('Remember that a train leaves at 6.0.5pm.', 'Remember that a train leaves at 6:05 pm.'),
    ('Set an alarm for 5.40 am.', 'Set an alarm for 5:40 am.'),
    ('It starts at three thirty p.m. sharp', 'It starts at 3:30 pm sharp'),
    ("We leave at six o'clock", 'We leave at 6:00'),
    ('The 3:30PM bus', 'The 3:30 pm bus'),
    ('Dinner is at 8pm.', 'Dinner is at 8 pm.'),
])
def test_times_and_codes_are_written_one_way(heard, written):
    assert normalise(heard) == written


@pytest.mark.parametrize('text', [
    'There were 26 boxes and 14 chairs.', 'We moved in at 2024 prices.', 'one two three',
    'Room 208 is on the second floor.', 'I came at one point', 'pi is 3.14159',
])
def test_what_is_not_a_time_stays(text):
    assert normalise(text) == text


def test_the_prompt_is_the_wake_word_alone():
    assert prompt('robot') == 'Robot,' and prompt('') is None


def test_three_or_four_digits_with_am_or_pm_are_a_time():
    assert normalise('Set an alarm for 540 AM.') == 'Set an alarm for 5:40 am.'
    assert normalise('room 1130') == 'room 1130'


@pytest.mark.parametrize('spoken, digits', [
    ('We need three apples and twelve eggs.', 'We need 3 apples and 12 eggs.'),
    ('There were twenty-six boxes', 'There were 26 boxes'),
    ('Room two hundred and eight', 'Room 208'),
    ('the code is four thousand eight hundred twenty one', 'the code is 4821'),
    ('dinner at eight pm', 'dinner at 8 pm'), ('at seven forty-five', 'at 7:45'),
    ('one two three', 'one two three'), ('the hundred', 'the hundred'),
])
def test_spelled_numbers_compare_as_digits(spoken, digits):
    from omnilive.audio.transcript import spoken_digits
    assert spoken_digits(spoken) == digits


def test_numbers_heard_counts_the_references_numbers_found():
    from omnilive.bench.asr import numbers_heard
    assert numbers_heard(['At 3:30 pm in room 12.'], ['at 3.30 pm in room 21']) == 0.5
    assert numbers_heard(['We need 3 apples.'], ['We need three apples']) == 1.0
