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


def test_after_an_anchor_only_the_anchor_and_what_followed():
    lines, prompt = records('What did you see right after the gong?')
    assert len(lines) == 3, prompt
    assert lines[0].endswith('I heard gong [the moment I heard a gong]'), prompt
    assert 'lamp [right after that moment]' in lines[1] and 'chair [later]' in lines[2], prompt
    assert 'oar' not in prompt  # the scene the gong sounded in is another moment than "after"


def test_before_an_anchor_in_time_order_nearest_last():
    lines, prompt = records('What did you see just before the gong?')
    assert [line.rsplit(' [', 1)[1] for line in lines] == [
        'earlier]', 'right before that moment]', 'the moment I heard a gong]'], prompt
    assert 'drum' in lines[0] and 'vase' in lines[1], prompt


def test_order_of_a_thing_against_an_anchor_is_tagged_on_the_thing():
    lines, prompt = records('Did you see the canoe before or after the gong?')
    assert len(lines) == 2, prompt
    assert lines[0].endswith('[the moment I heard a gong]'), prompt
    assert lines[1].endswith('[a canoe: after that moment]'), prompt
    lines, prompt = records('Did you see the kite before or after the gong?')
    assert lines[0].endswith('[a kite: before that moment]'), prompt


def test_a_sound_while_looking_at_a_thing_lists_what_was_heard_then():
    lines, prompt = records('What sound did you hear while you were looking at the bucket?')
    assert any(line.endswith('I heard knock, door, slam [at that moment]') for line in lines), \
        prompt
    assert 'gong' not in prompt and 'saddle' not in prompt, prompt  # a neighbour only touches it


def test_what_was_seen_when_a_sound_was_heard_is_the_scene_it_was_heard_in():
    lines, prompt = records('What were you looking at when you heard the gong?')
    assert any('oar [at that moment]' in line for line in lines), prompt
    assert 'vase' not in prompt and 'lamp' not in prompt, prompt


def test_first_last_and_a_missing_anchor():
    lines, prompt = records('What was the first thing you saw?')
    assert len(lines) == 2 and lines[0].endswith('kite [the earliest record]'), prompt
    lines, prompt = records('What was the last thing you saw?')
    assert len(lines) == 2 and lines[1].endswith('piano [the latest record]'), prompt
    lines, prompt = records('What did you see just before the rocket?')
    assert lines == ['- no record of the rocket'], prompt


def test_which_choice_came_first_shows_each_choice_where_it_was():
    lines, prompt = records('Which did you see first? Choices: A) the canoe; B) the vase')
    assert len(lines) == 2, prompt
    assert lines[0].endswith('vase [B) the vase]') and lines[1].endswith('canoe [A) the canoe]'), \
        prompt
