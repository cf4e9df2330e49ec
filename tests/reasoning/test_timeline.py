"""A question anchored in time or order gets a compact timeline in the model's prompt (issue 17):
the anchor and the few records that answer it, in time order, each tagged with its place; not
every record retrieved (a small model loses the order among 18 of them). Our own examples."""
from omnilive.memory.types import OBJECT, SOUND, Label, MemoryItem
from omnilive.reasoning.answerer import Answerer

NOW = 30_000.0


def scene(id_, start, *names, sounds=()):
    labels = [Label(OBJECT, n, 1) for n in names] + [Label(SOUND, s, 1) for s in sounds]
    return MemoryItem(id=id_, kind='clip', start=start, end=start + 30, text=' '.join(names),
                      labels=labels, score=0.5)


def sound(id_, at, *names):
    return MemoryItem(id=id_, kind='sound', start=at, end=at + 1.5, text='heard ' + names[0],
                      labels=[Label(SOUND, n, 1) for n in names], score=0.5)


# a day of scenes one after the other, 30 s each, and two sounds heard during them
DAY = [scene(f's{n}', NOW - 600 + 30 * n, name) for n, name in enumerate(
    ['kite', 'drum', 'vase', 'oar', 'lamp', 'chair', 'bench', 'tent', 'kettle', 'violin',
     'anchor', 'globe', 'ladder', 'saddle', 'bucket', 'canoe', 'broom', 'piano'])]
DAY += [sound('gong', NOW - 600 + 30 * 3 + 10, 'Gong'),
        sound('slam', NOW - 600 + 30 * 14 + 12, 'Knock', 'Door', 'Slam')]


def records(question, items=DAY):
    prompt = Answerer(lambda *a: [], None)._prompt(question, items, NOW, None)[1]['content']
    return [line for line in prompt.splitlines() if line.startswith('- ')], prompt


def test_after_an_anchor_only_what_followed_it_tagged_with_the_anchor():
    lines, prompt = records('What did you see right after the gong?')
    assert len(lines) == 2, prompt
    assert lines[0].endswith(', right after I heard a gong: I saw 1 lamp'), prompt
    assert lines[1].endswith(', later: I saw 1 chair'), prompt
    assert 'oar' not in prompt  # the scene the gong sounded in is another moment than "after"


def test_before_an_anchor_in_time_order_nearest_last():
    lines, prompt = records('What did you see just before the gong?')
    assert [line.split(', ', 1)[1] for line in lines] == [
        'earlier: I saw 1 drum', 'right before I heard a gong: I saw 1 vase'], prompt


def test_order_of_a_thing_against_an_anchor_is_tagged_on_the_thing():
    lines, prompt = records('Did you see the canoe before or after the gong?')
    assert lines == ['- 08:17:30-08:18:00: I saw 1 canoe, after I heard a gong'], prompt
    lines, prompt = records('Did you see the kite before or after the gong?')
    assert lines[0].endswith(': I saw 1 kite, before I heard a gong'), prompt


def test_a_sound_while_looking_at_a_thing_lists_what_was_heard_then():
    lines, prompt = records('What sound did you hear while you were looking at the bucket?')
    assert lines == ['- 08:17:12-08:17:13, at that moment: I heard knock, door, slam'], prompt
    assert 'gong' not in prompt and 'saddle' not in prompt, prompt  # a neighbour only touches it


def test_a_sound_said_again_by_a_sound_record_is_listed_once():
    bucket = [i for i in DAY if i.id == 's14'][0]
    scene_heard = MemoryItem(id='b', kind='clip', start=bucket.start, end=bucket.end,
                             text='bucket', labels=bucket.labels + [Label(SOUND, 'Knock', 1)])
    lines, prompt = records('What sound did you hear while you were looking at the bucket?',
                            [scene_heard] + [i for i in DAY if i is not bucket])
    assert lines == ['- 08:17:12-08:17:13, at that moment: I heard knock, door, slam'], prompt


def test_what_was_seen_when_a_sound_was_heard_is_the_scene_it_was_heard_in():
    lines, prompt = records('What were you looking at when you heard the gong?')
    assert lines == ['- 08:11:30-08:12:00, at that moment: I saw 1 oar'], prompt
    assert 'vase' not in prompt and 'lamp' not in prompt, prompt


def test_seen_things_are_listed_with_their_kind():
    fruit = Label(OBJECT, 'apple', 2, attributes={'categories': ['fruit', 'food'],
                                                   'colours': ['red']})
    after = MemoryItem(id='f', kind='clip', start=NOW - 600 + 30 * 4, end=NOW - 600 + 30 * 5,
                       text='2 apples', labels=[fruit, Label(OBJECT, 'person', 1)])
    lines, prompt = records('What did you see right after the gong?', DAY[:4] + [after] +
                            DAY[-2:])
    assert lines[0].endswith('right after I heard a gong: I saw 2 apples (a kind of fruit) and 1 '
                             'person'), prompt


def test_first_last_and_a_missing_anchor():
    lines, prompt = records('What was the first thing you saw?')
    assert lines == ['- 08:10:00-08:10:30, the first thing I saw: I saw 1 kite'], prompt
    lines, prompt = records('What was the last thing you saw?')
    assert len(lines) == 1 and lines[0].endswith('the last thing I saw: I saw 1 piano'), prompt
    lines, prompt = records('What did you see just before the rocket?')
    assert lines == ['- no record of the rocket'], prompt


def test_which_choice_came_first_shows_each_choice_where_it_was():
    lines, prompt = records('Which did you see first? Choices: A) the canoe; B) the vase')
    assert len(lines) == 2, prompt
    assert lines[0].endswith(', choice B) the vase: I saw 1 vase'), prompt
    assert lines[1].endswith(', choice A) the canoe: I saw 1 canoe'), prompt


def test_a_question_about_what_was_seen_leaves_out_what_was_said_there():
    from omnilive.memory.types import SPEECH
    talk = MemoryItem(id='t', kind='clip', start=NOW - 90, end=NOW - 60, text='a car',
                      labels=[Label(OBJECT, 'car', 1), Label(SPEECH, 'The weather in Brighton '
                                                           'was lovely all week long.', 1)])
    lines, prompt = records('Did you see any vehicles?', [talk])
    assert lines[0].endswith('I saw 1 car'), prompt
    lines, prompt = records('What did someone say about the weather?', [talk])
    assert 'Brighton' in lines[0], prompt


def test_a_question_about_a_kind_lists_only_the_things_of_that_kind():
    fruit = Label(OBJECT, 'orange', 1, attributes={'categories': ['fruit', 'food']})
    balls = Label(OBJECT, 'sports ball', 4, attributes={'categories': ['ball']})
    mixed = MemoryItem(id='m', kind='clip', start=NOW - 90, end=NOW - 60, text='balls, orange',
                       labels=[balls, fruit])
    lines, prompt = records('What fruit did you see?', [mixed])
    assert 'orange' in lines[0] and 'ball' not in lines[0], prompt
    lines, prompt = records('What did you see?', [mixed])  # no kind asked: everything
    assert 'orange' in lines[0] and 'ball' in lines[0], prompt


def test_between_two_events_the_records_between_them_in_order():
    lines, prompt = records('What did you see between the tent and the globe?')
    assert [line.split(', ', 1)[1] for line in lines] == [
        'after I saw a tent, before I saw a globe: I saw 1 kettle',
        'after I saw a tent, before I saw a globe: I saw 1 violin'], prompt  # TIMELINE_NEAR
