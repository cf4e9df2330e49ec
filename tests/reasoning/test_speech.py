"""Facts inside what was said (issue 17): an exchange of utterances read as one, and the count,
time, day or place a question about it asks for, read as numbers. Our own examples."""
from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.reasoning import direct, speech

NOW = 20_000.0


def said(id_, start, text, end=None):
    return MemoryItem(id=id_, kind='speech', start=start, end=end or start + 2.5, text=text)


# a question and its elliptic reply, 1.5 s apart, then an unrelated line a minute later
TALK = [said('q', NOW - 600, 'Have you reserved the boat for Sunday?'),
        said('r', NOW - 596, 'Yes, for five adults at half past ten.'),
        said('x', NOW - 540, 'The weather was lovely on the coast.')]
# people were seen too: a count question about what was said must not count them
SEEN = MemoryItem(id='c', kind='clip', start=NOW - 610, end=NOW - 580, text='2 people',
                  labels=[Label(OBJECT, 'person', 2)])


def test_a_reply_belongs_to_the_question_before_it():
    groups = speech.exchanges(TALK)
    assert [[u.text for u in g] for g in groups] == [
        ['Have you reserved the boat for Sunday?', 'Yes, for five adults at half past ten.'],
        ['The weather was lovely on the coast.']]


def test_numbers_are_read_as_numbers():
    assert speech.digits("for seven people at eight o'clock") == "for 7 people at 8 o'clock"
    assert speech.clock_times("at eight o'clock") == ["8 o'clock"]
    assert speech.clock_times('half past nine, quarter to six or 7 pm') == \
        ['9:30', '5:45', '7 pm']
    assert speech.counts('a table for twenty-two guests', 'guest') == ['for 22 guests']
    assert speech.clock_times('for 8 people') == []


def test_a_count_of_what_was_said_is_not_a_count_of_what_was_seen():
    answer = direct.answer('For how many adults was the boat reserved?', TALK + [SEEN], None,
                           NOW)
    assert answer.startswith('I heard it was for 5 adults:'), answer
    answer = direct.answer('How many people was the boat reserved for?',
                           TALK[:1] + [said('r2', NOW - 596, 'Yes, for seven people.'), SEEN],
                           None, NOW)
    assert answer.startswith('I heard it was for 7 people:'), answer


def test_time_and_day_of_what_was_said():
    answer = direct.answer('What time did they reserve the boat for?', TALK, None, NOW)
    assert answer.startswith('I heard it was at 10:30:') and 'Sunday' in answer, answer
    answer = direct.answer('What day was the boat reserved for?', TALK, None, NOW)
    assert answer.startswith('I heard it was for Sunday:'), answer
    answer = direct.answer('When did they say they would sail?',
                           [said('s', NOW - 300, 'We sail at noon tomorrow.')], None, NOW)
    assert answer.startswith('I heard it was at noon:'), answer


def test_place_of_what_was_said_and_what_was_heard_when_it_states_none():
    answer = direct.answer('Where is the green torch?',
                           [said('t', NOW - 100, 'I put the green torch under the stairs.')],
                           None, NOW)
    assert answer.startswith('I heard it was under the stairs:'), answer
    # the exchange holds the words but no time: what was heard, not a guess
    answer = direct.answer('What time does the ferry to the island leave?',
                           [said('f', NOW - 100, 'The ferry to the island leaves from pier two.')],
                           None, NOW)
    assert answer is not None and 'pier two' in answer and 'heard it was' not in answer, answer


def test_a_thing_seen_under_its_own_name_is_left_to_perception():
    cat = MemoryItem(id='cat', kind='clip', start=NOW - 50, end=NOW - 40, text='a cat',
                     labels=[Label(OBJECT, 'cat', 1, attributes={'position': 'left'})])
    talk = [said('k', NOW - 100, 'The cat is asleep on the sofa.')]
    answer = direct.answer('Where was the cat?', talk + [cat], None, NOW)
    assert answer is not None and 'on the left' in answer, answer


def test_a_model_answer_must_state_the_fact_that_was_said():
    from omnilive.reasoning import grounding
    ask = 'For how many adults was the boat reserved?'
    evidence = TALK + [SEEN]
    assert grounding.check('It was reserved for five adults.', ask, evidence, NOW) is None
    assert grounding.check('I saw 2 people.', ask, evidence, NOW) == 'contradiction'
    when = 'What time was the boat reserved for?'
    assert grounding.check('At half past ten.', when, evidence, NOW) is None
    assert grounding.check('You asked me to remember the key.', when, evidence,
                           NOW) == 'contradiction'
    assert grounding.honest(when, evidence, NOW).startswith('I heard it was at 10:30:')


def test_the_prompt_gives_an_exchange_on_one_line():
    from omnilive.reasoning.answerer import Answerer
    prompt = Answerer(lambda *a: [], None)._prompt('What time was the boat reserved for?',
                                                   TALK, NOW, None)[1]['content']
    assert 'I heard a conversation: "Have you reserved the boat for Sunday?", then "Yes, for ' \
        'five adults at half past ten."' in prompt, prompt
    assert prompt.count('five adults') == 1 and 'lovely on the coast' in prompt, prompt


def test_records_of_a_question_anchored_in_time_say_where_they_are_around_it():
    from omnilive.memory.types import SOUND
    from omnilive.reasoning.answerer import Answerer

    def scene(id_, start, name):
        return MemoryItem(id=id_, kind='clip', start=start, end=start + 30, text=name,
                          labels=[Label(OBJECT, name, 1)], score=0.5)
    items = [scene('kite', NOW - 300, 'kite'), scene('drum', NOW - 270, 'drum'),
             MemoryItem(id='gong', kind='sound', start=NOW - 265, end=NOW - 264, text='gong',
                        labels=[Label(SOUND, 'Gong', 1)], score=0.9),
             scene('vase', NOW - 240, 'vase'), scene('oar', NOW - 210, 'oar')]
    prompt = Answerer(lambda *a: [], None)._prompt(
        'What did you see right after the gong?', items, NOW, None)[1]['content']
    lines = [line for line in prompt.splitlines() if line.startswith('- ')]
    # what came after the anchor, in time order, tagged with it (the scene the gong sounded
    # in, and what was before it, are other moments: left out, see test_timeline.py)
    assert [line.split(', ', 1)[1].split(':')[0] for line in lines] == [
        'right after I heard a gong', 'later'], prompt
    prompt = Answerer(lambda *a: [], None)._prompt(
        'What was the first thing you saw?', items, NOW, None)[1]['content']
    assert 'the first thing I saw: I saw 1 kite' in prompt and 'oar' not in prompt, prompt
    prompt = Answerer(lambda *a: [], None)._prompt(
        'What was the last thing you saw?', items, NOW, None)[1]['content']
    assert 'the last thing I saw: I saw 1 oar' in prompt and 'kite' not in prompt, prompt


def test_a_model_answer_naming_another_moment_is_replaced():
    from omnilive.memory.types import SOUND
    from omnilive.reasoning import grounding

    def scene(id_, start, name):
        return MemoryItem(id=id_, kind='clip', start=start, end=start + 30, text=name,
                          labels=[Label(OBJECT, name, 1)])
    items = [scene('kite', NOW - 300, 'kite'), scene('drum', NOW - 270, 'drum'),
             MemoryItem(id='gong', kind='sound', start=NOW - 265, end=NOW - 264, text='gong',
                        labels=[Label(SOUND, 'Gong', 1)]),
             scene('vase', NOW - 240, 'vase')]
    after = 'What did you see right after the gong?'
    assert grounding.check('I saw a vase.', after, items, NOW) is None
    assert grounding.check('I saw a drum.', after, items, NOW) == 'contradiction'
    assert grounding.check('I saw nothing notable.', after, items, NOW) == 'contradiction'
    assert 'vase' in grounding.honest(after, items, NOW)
    assert grounding.check('A kite.', 'What was the last thing you saw?', items,
                           NOW) == 'contradiction'


def test_what_only_clip_labels_hold_joins_only_its_own_clip():
    from omnilive.memory.types import SPEECH

    def clip(id_, start, *said):
        return MemoryItem(id=id_, kind='clip', start=start, end=start + 30, text='',
                          labels=[Label(SPEECH, s, 0) for s in said])
    groups = speech.exchanges([clip('a', NOW - 90, 'Is it raining?', 'Yes, a little.'),
                               clip('b', NOW - 60, 'Pass the salt.')])
    assert [[u.text for u in g] for g in groups] == [['Is it raining?', 'Yes, a little.'],
                                                     ['Pass the salt.']]


def test_when_is_the_time_heard_not_a_note_that_states_no_time():
    """"When is the rehearsal?" after the note that the rehearsal moved to hall B and the
    exchange "Is the rehearsal still on?" - "Yes, at half past six": the time is what was heard
    (the note shares the word but states no time); "where is the rehearsal?" is the note's."""
    items = [said('q', NOW - 400, 'Is the rehearsal still on for Thursday?'),
             said('r', NOW - 397, 'Yes, we rehearse at half past six.'),
             MemoryItem(id='n', kind='note', start=NOW - 100, end=NOW - 100,
                        text='the rehearsal moved to hall B')]
    answer = direct.answer('When is the rehearsal?', items, None, NOW)
    assert answer.startswith('I heard it was at 6:30:'), answer
    assert direct.answer('Where is the rehearsal?', items, None, NOW) == \
        'You told me about 2 minutes ago: the rehearsal moved to hall B.'
    # a note that states the time answers it
    timed = items[:2] + [MemoryItem(id='n2', kind='note', start=NOW - 100, end=NOW - 100,
                                    text='the rehearsal is at 7 pm on Thursday')]
    assert direct.answer('When is the rehearsal?', timed, None, NOW) == \
        'You told me about 2 minutes ago: the rehearsal is at 7 pm on Thursday.'


def test_a_count_time_or_day_asked_yes_or_no_is_checked_against_what_was_said():
    """"Was the boat reserved for six adults?" is no when the reply said five; the day and the
    time likewise; what the question states that no exchange states is left to other answers."""
    answer = direct.answer('Was the boat reserved for six adults?', TALK, None, NOW)
    assert answer.startswith('No, I heard it was for 5 adults:'), answer
    answer = direct.answer('Was the boat reserved for five adults?', TALK, None, NOW)
    assert answer.startswith('Yes, I heard it was for 5 adults:'), answer
    answer = direct.answer('Was the boat reserved for Saturday?', TALK, None, NOW)
    assert answer.startswith('No, I heard it was for Sunday:'), answer
    answer = direct.answer('Was the boat reserved for half past ten?', TALK, None, NOW)
    assert answer.startswith('Yes, I heard it was 10:30:'), answer
    assert speech.stated('Did they mention the weather?') == (None, '', [])
