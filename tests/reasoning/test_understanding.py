"""Parts of questions read and checked against the evidence (our own examples, not the public
sets'): how many notes, whether something was mentioned (what was said must hold it), and a
sound named with a word a question's frame would drop ("a camera click", "the door slammed")."""
import dataclasses

from omnilive.memory.types import OBJECT, SOUND, TEXT, Label, MemoryItem
from omnilive.reasoning import direct, events
from omnilive.reasoning import language as lang
from omnilive.reasoning.timephrases import clock

NOW = 9000.0


def item(id_, kind, start, text='', labels=()):
    return MemoryItem(id=id_, kind=kind, start=start, end=start + 3, text=text,
                      labels=list(labels))


NOTES = [item('n1', 'note', NOW - 900, 'the bike lock code is 4512'),
         item('n2', 'note', NOW - 500, 'the plumber comes on Thursday')]
TALK = [item('s1', 'speech', NOW - 300, 'Shall we paint the fence green this weekend?'),
        item('s2', 'speech', NOW - 295, 'Only if it does not rain.')]


def test_how_many_things_to_remember_counts_the_notes():
    answer = direct.answer('How many things did I ask you to remember?', NOTES, 'thing', NOW)
    assert answer.startswith('You asked me to remember 2 things:') and '4512' in answer, answer
    one = direct.answer('How many notes did I ask you to remember?', NOTES[:1], None, NOW)
    assert one.startswith('You asked me to remember one thing'), one


def test_a_mention_needs_what_was_mentioned():
    answer = direct.answer('Did anyone mention a wedding?', TALK, None, NOW)
    assert answer == 'No, I have not heard anyone mention a wedding.', answer
    answer = direct.answer('Did someone mention the fence?', TALK, None, NOW)
    assert 'paint the fence green' in answer, answer
    answer = direct.answer('What did somebody say about the weather?', TALK, None, NOW)
    assert answer is None or 'fence' not in answer, answer


def test_a_sound_named_with_the_thing_that_made_it():
    shutter = item('snd', 'sound', NOW - 60, labels=[Label(SOUND, 'Camera', 1)])
    scene = MemoryItem(id='c', kind='clip', start=NOW - 65, end=NOW - 55, text='',
                       labels=[Label(OBJECT, 'bench', 1)])
    anchored = events.parse('What were you looking at when you heard a camera click?')
    assert events.find(anchored, [shutter, scene]).item is shutter
    answer = events.answer(anchored, [shutter, scene], NOW)
    assert 'bench' in answer and 'camera' in answer, answer
    slam = item('slam', 'sound', NOW - 30, labels=[Label(SOUND, 'Door', 1)])
    anchored = events.parse('What did you see when the door slammed?')
    assert events.find(anchored, [slam, scene]).item is slam


def test_when_i_told_you_prefers_the_note_to_a_question_about_it():
    note = item('n', 'note', NOW - 400, 'the charger is in the blue bag')
    asked = item('q', 'speech', NOW - 100, 'Where is the charger?')
    anchored = events.parse('What did you see when I told you where the charger is?')
    assert anchored.told and events.find(anchored, [note, asked]).item is note
    anchored = events.parse('What did you see when someone asked where the charger is?')
    assert not anchored.told and events.find(anchored, [note, asked]).item is asked


def test_a_chase_is_a_relation_never_assumed():
    fox = MemoryItem(id='f', kind='clip', start=NOW - 300, end=NOW - 290, text='',
                     labels=[Label(OBJECT, 'fox', 1)])
    hen = MemoryItem(id='h', kind='clip', start=NOW - 200, end=NOW - 190, text='',
                     labels=[Label(OBJECT, 'hen', 1)])
    answer = direct.answer('Was the fox chasing the hen?', [fox, hen], None, NOW)
    assert answer == 'I saw a fox and a hen, but not at the same time.', answer


def test_the_thing_of_an_owner_is_the_thing_asked():
    """"the bow tie of the man", "the dog's collar": the thing is the bow tie / the collar; the
    owner is a relation, not more words of the thing."""
    from omnilive.reasoning import questions
    parsed = questions.parse('What colour was the scarf of the woman on the bench?')
    assert [str(t) for t in parsed.targets] == ['scarf']
    assert [(r.kind, str(r.thing)) for r in parsed.relations] == [('of', 'woman'),
                                                                    ('in', 'bench')]
    parsed = questions.parse("What colour was the fox's collar?")
    assert [str(t) for t in parsed.targets] == ['collar'] and parsed.relations[0].kind == 'of'
    assert [str(t) for t in questions.parse('What kind of animal was it?').targets] == \
        ['animal']
    scene = MemoryItem(id='s', kind='clip', start=NOW - 60, end=NOW - 50, text='', labels=[
        Label(OBJECT, 'person', 1), Label(OBJECT, 'scarf', 1, attributes={'colours': ['yellow']})])
    answer = direct.answer('What colour was the scarf of the woman?', [scene], None, NOW)
    assert answer == 'The scarf was yellow, about 50 seconds ago.', answer


def test_the_colour_of_a_kind_memory_only_holds_more_generally():
    """"What colour was the bow tie?" when a red tie was seen: its colour, and that whether it
    was a bow tie cannot be told (not "I did not notice its colour")."""
    scene = MemoryItem(id='s', kind='clip', start=NOW - 300, end=NOW - 270, text='', labels=[
        Label(OBJECT, 'person', 2),
        Label(OBJECT, 'tie', 1, attributes={'colours': ['red'], 'position': 'centre'}),
        Label(OBJECT, 'van', 1, attributes={'colours': ['grey'], 'position': 'left'})])
    answer = direct.answer('What colour was the bow tie of the man on the bench?', [scene],
                           None, NOW)
    assert answer == 'I saw a red tie about 4 minutes ago; I cannot tell whether it was a ' \
        'bow tie.', answer
    answer = direct.answer('Where was the police van?', [scene], None, NOW)
    assert answer == 'I saw a van on the left of my view, about 4 minutes ago; I cannot tell ' \
        'whether it was a police van.', answer
    # a relation memory could contradict is not waved through
    assert direct.answer('What colour was the bow tie of the man holding a cup?', [scene],
                         None, NOW) is None


def test_a_sound_someone_made_is_asked_as_heard():
    """"Did anyone knock?" is a knock heard (who knocked, a robot that heard it cannot tell)."""
    assert lang.as_heard('Did anyone knock?') == 'Did you hear a knock?'
    assert lang.as_heard('Did someone knock on the door?') == 'Did you hear a knock on the door?'
    assert lang.as_heard('Did somebody ring the doorbell?') == 'Did you hear the doorbell ring?'
    assert lang.as_heard('Did you hear someone laughing?') == 'Did you hear laughter?'
    assert lang.as_heard('Did someone slam a door?') == 'Did you hear a door slam?'
    assert lang.as_heard('Did anyone say hello?') == 'Did anyone say hello?'
    knock = item('k', 'sound', NOW - 200, labels=[Label(SOUND, 'Knock', 1)])
    assert direct.answer(lang.as_heard('Did anyone knock?'), [knock], None, NOW) == \
        'Yes, I heard a knock about 3 minutes ago.'


def test_around_the_time_is_during():
    anchored = events.parse('What did you see around the time the phone rang?')
    assert (anchored.asks, anchored.relation, anchored.event) == ('seen', 'during',
                                                                  'the phone rang')
    assert events.parse('What did you see at the time someone mentioned the bus?').relation == \
        'during'


def test_a_kind_of_person_with_a_thing_is_looked_for_among_those_with_it():
    """"Did you see a man with a ball?": the people seen with a ball are the ones it may be;
    whether one was a man, a person label cannot tell."""
    items = [item('match', 'clip', NOW - 400, labels=[Label(OBJECT, 'person', 2),
                                                      Label(OBJECT, 'sports ball', 1)]),
             item('later', 'clip', NOW - 100, labels=[Label(OBJECT, 'person', 1)])]
    assert direct.answer('Did you see a man with a ball?', items, None, NOW) == \
        'I saw 2 people with a sports ball about 7 minutes ago, but I cannot tell whether any ' \
        'was a man.'


def test_which_of_two_states_is_what_perception_noticed_in_each():
    """"Were the people walking or standing?" is two states, not a person walking and a thing
    called 'standing'; both may hold, each counted as noticed at once."""
    walkers = Label(OBJECT, 'person', 3, attributes={'people': [
        {'activity': 'walking', 'heading': 'to the left'}, {'activity': 'walking'},
        {'posture': 'standing'}]})
    items = [item('street', 'clip', NOW - 100, labels=[walkers]),
             item('cat', 'clip', NOW - 50, labels=[Label(OBJECT, 'cat', 1)])]
    assert direct.answer('Were the people walking or standing?', items, None, NOW) == \
        'Both: I noticed 2 people walking (about 2 minutes ago) and a person standing (about ' \
        '2 minutes ago).'
    assert direct.answer('Was anyone sitting or walking?', items, None, NOW) == \
        'Walking: I noticed 2 people walking (about 2 minutes ago), and none sitting.'
    assert direct.answer('Was the cat sleeping or eating?', items, None, NOW) == \
        'I saw a cat about 50 seconds ago, but I did not notice whether it was sleeping or ' \
        'eating.'


def test_a_part_or_pattern_asked_with_have_is_not_noticed_never_denied():
    """"Did the cat have stripes?": perception labels no stripes, tails or collars: not
    noticed (was "No" from the model); a thing seen with it cannot tell whether it had it."""
    items = [item('cat', 'clip', NOW - 100, labels=[Label(OBJECT, 'cat', 1)]),
             item('kick', 'clip', NOW - 300, labels=[Label(OBJECT, 'person', 1),
                                                     Label(OBJECT, 'sports ball', 1)])]
    assert direct.answer('Did the cat have stripes?', items, None, NOW) == \
        'I saw a cat about 2 minutes ago; I did not notice whether it had stripes.'
    assert direct.answer('Did the person have a ball?', items, None, NOW) == \
        'I saw a person and a sports ball at the same time, about 5 minutes ago, but I cannot ' \
        'tell whether the person had a ball.'


def test_a_colour_said_of_a_thing_not_seen_answers_its_colour():
    said = [item('u', 'speech', NOW - 120, 'I left the red umbrella in the car.')]
    assert direct.answer('What colour is my umbrella?', said, None, NOW).startswith(
        'I heard it was red:')
    said = [item('b', 'speech', NOW - 120, 'The new bag is green and white.')]
    assert direct.answer('What colour was the bag?', said, None, NOW).startswith(
        'I heard it was green:')


def test_a_place_read_on_a_sign_is_said_as_read():
    """"Did you see a copy centre?" when only a sign read COPY CENTRE: the sign, no yes."""
    items = [item('s', 'clip', NOW - 60, 'text reading "COPY CENTRE"',
                  labels=[Label('text', 'COPY CENTRE')])]
    assert direct.answer('Did you see a copy centre?', items, None, NOW) == \
        'I read "COPY CENTRE" on a sign about 60 seconds ago.'
    assert direct.answer('Did you see a bakery?', items, None, NOW) is None


def test_what_sounds_were_heard_lists_each_once_latest_first():
    """"What sounds did you hear?": each sound event by what it was heard as (a clip's or an
    episode's sounds each on its own, a sound heard again once, when last); "what did you
    hear?" the words heard too."""
    items = [item('k', 'sound', NOW - 400, labels=[Label(SOUND, 'Knock', 1),
                                                   Label(SOUND, 'Door', 1)]),
             item('k2', 'sound', NOW - 100, labels=[Label(SOUND, 'Knock', 1)]),
             item('ep', 'episode', NOW - 700, labels=[Label(SOUND, 'Dog', 1),
                                                      Label(SOUND, 'Bark', 1)]),
             item('s', 'speech', NOW - 200, 'The parcel is on the porch.')]
    assert direct.answer('What sounds did you hear?', items, None, NOW) == \
        'I heard, the latest first: a knock (about 2 minutes ago), a dog (about 12 minutes ' \
        'ago) and a bark (about 12 minutes ago).'
    assert direct.answer('What did you hear?', items, None, NOW) == \
        'I heard, the latest first: a knock (about 2 minutes ago), someone say "The parcel is ' \
        'on the porch." (about 3 minutes ago), a dog (about 12 minutes ago) and a bark (about ' \
        '12 minutes ago).'
    assert direct.answer('What did you hear when the dog barked?', items, None, NOW) != \
        direct.answer('What did you hear?', items, None, NOW)


def test_a_worn_thing_seen_with_a_person_and_counted_with_them():
    """A tie (a clothing label) in one view with a person is worn; "how many people were
    wearing a tie?" is how many a view held of both, not the most people seen."""
    tie = Label(OBJECT, 'tie', 1, attributes={'categories': ['clothing'], 'colours': ['red']})
    items = [item('office', 'clip', NOW - 240, labels=[Label(OBJECT, 'person', 1), tie]),
             item('crowd', 'clip', NOW - 100, labels=[Label(OBJECT, 'person', 5)])]
    assert direct.answer('Was anyone wearing a tie?', items, None, NOW) == \
        'Yes, I saw a person wearing a tie about 4 minutes ago.'
    assert direct.answer('How many people were wearing a tie?', items, None, NOW) == \
        'I saw one person with a tie about 4 minutes ago.'
    assert direct.answer('Did you see someone wearing a green tie?', items, None, NOW) == \
        'I saw a person about 4 minutes ago, but the tie I saw with them was red, not green.'


def test_the_time_a_clock_showed_is_read_or_said_unread():
    clock = item('c', 'clip', NOW - 120, labels=[Label(OBJECT, 'clock', 1)])
    assert direct.answer('What time did the clock show?', [clock], None, NOW) == \
        'I saw a clock about 2 minutes ago, but I did not read the time on it.'
    read = item('r', 'clip', NOW - 60, labels=[Label(OBJECT, 'clock', 1), Label('text', '10:25')])
    assert direct.answer('What time was on the clock?', [clock, read], None, NOW) == \
        'The clock read "10:25", about 60 seconds ago.'
    assert direct.answer('What time did you see the clock?', [clock], None, NOW).startswith(
        'I last saw a clock')


def test_who_was_talking_is_not_known_and_what_was_said_is():
    said = [item('s1', 'speech', NOW - 300, 'See you at the station.'),
            item('s2', 'speech', NOW - 30, 'The oven is still on.')]
    assert direct.answer('Who was talking?', said, None, NOW) == \
        'I cannot tell who it was: I do not recognise voices. The latest I heard was someone ' \
        'say "The oven is still on.", about 30 seconds ago.'


def test_a_choice_of_places_a_size_and_the_same_thing_again():
    """"On the left or the right?", "near or far?" ask where it was; "was it big?" a size
    perception does not note; "the same cat twice" is the cat seen twice."""
    cat = Label(OBJECT, 'cat', 1, attributes={'position': 'centre', 'distance': 'near'})
    items = [item('c', 'clip', NOW - 100, labels=[cat])]
    where = 'I saw the cat in the centre of my view, near me, about 2 minutes ago.'
    for question in ('Was the cat on the left or on the right?', 'Was the cat near or far?',
                     'Was the cat on the left or the right?'):
        assert direct.answer(question, items, None, NOW) == where, question
    assert direct.answer('Was the cat big?', items, None, NOW) == \
        'I saw a cat about 2 minutes ago; I did not notice whether it was big.'
    assert direct.answer('Did you see the same cat twice?', items, None, NOW) == \
        'No, I saw a cat once, about 2 minutes ago.'


def test_a_person_named_by_clothes_is_that_person_or_nobody():
    """"Did the person in pink wave?" keeps the wave (was dropped with the clothes: a false
    yes); "what was the man in the red shirt doing?" is the person in a red top of a group,
    what was noticed of them; nobody in green is the answer to one in green."""
    group = Label(OBJECT, 'person', 2, attributes={'people': [
        {'clothing': {'upper': 'white'}, 'arms': 'waving'},
        {'clothing': {'upper': 'red', 'lower': 'blue'}, 'posture': 'sitting'}]})
    pink = Label(OBJECT, 'person', 1, attributes={'people': [{'clothing': {'upper': 'pink'}}]})
    items = [item('g', 'clip', NOW - 200, labels=[group]),
             item('p', 'clip', NOW - 20, labels=[pink])]
    assert not direct.answer('Did the person in pink wave?', items, None, NOW).startswith('Yes')
    assert direct.answer('What was the man in the red shirt doing?', items, None, NOW) == \
        'I saw a person in a red top and blue trousers about 3 minutes ago; they were sitting.'
    assert direct.answer('What was the woman in green doing?', items, None, NOW) == \
        'I did not see anyone in green.'


def test_notes_asked_about_one_thing_by_order_or_at_another_place():
    """"Remind me what I said about the boiler" is that note; "the last thing I asked you to
    remember" the last one; "about my wallet", none of them (said so); "is my passport in the
    car?" is no when the note puts it elsewhere."""
    notes = [item('a', 'note', NOW - 900, 'my passport is in the top drawer'),
             item('b', 'note', NOW - 500, 'the boiler service is on Tuesday')]
    assert direct.answer('Remind me what I said about the boiler.', notes, None, NOW) == \
        'You asked me to remember: the boiler service is on Tuesday.'
    assert direct.answer('What was the last thing I asked you to remember?', notes, None,
                         NOW) == 'You asked me to remember: the boiler service is on Tuesday.'
    assert direct.answer('Remind me about my wallet.', notes, None, NOW) == \
        'You did not ask me to remember anything about your wallet. You asked me to remember: ' \
        'my passport is in the top drawer; the boiler service is on Tuesday.'
    assert direct.answer('Is my passport in the car?', notes, None, NOW) == \
        'No, you told me about 15 minutes ago: my passport is in the top drawer.'
    assert direct.answer('Is my passport in the drawer?', notes, None, NOW).startswith('Yes')


def test_where_a_thing_went_is_its_heading_or_not_seen():
    walker = Label(OBJECT, 'person', 1, attributes={'position': 'right', 'people': [
        {'activity': 'walking', 'heading': 'to the left'}]})
    cat = Label(OBJECT, 'cat', 1, attributes={'position': 'centre'})
    items = [item('w', 'clip', NOW - 100, labels=[walker]), item('c', 'clip', NOW - 50,
                                                                 labels=[cat])]
    assert direct.answer('Where did the person go?', items, None, NOW) == \
        'I saw the person on the right of my view, about 2 minutes ago; they were walking to ' \
        'the left.'
    assert direct.answer('Where did the cat go?', items, None, NOW) == \
        'I saw the cat in the centre of my view, about 50 seconds ago; I did not see where it ' \
        'went.'


def test_how_many_things_of_a_colour():
    ball = Label(OBJECT, 'ball', 3, attributes={'colours': ['red']})
    cup = Label(OBJECT, 'cup', 1, attributes={'colours': ['red', 'white']})
    man = Label(OBJECT, 'person', 1, attributes={'colours': ['red']})
    items = [item('a', 'clip', NOW - 300, labels=[ball, man]),
             item('b', 'clip', NOW - 100, labels=[cup])]
    assert direct.answer('How many red things did you see?', items, None, NOW) == \
        'I saw 4 red things: a cup (about 2 minutes ago) and 3 balls (about 5 minutes ago).'
    assert direct.answer('How many white things did you see?', items, None, NOW) == \
        'I saw one white thing: a cup (about 2 minutes ago).'


def test_a_number_asked_of_a_note_and_the_other_sounds_heard_during_one():
    note = [item('n', 'note', NOW - 60, 'the meeting moved to room 5')]
    assert direct.answer('Is the meeting in room five?', note, None, NOW).startswith('Yes,')
    assert direct.answer('Is the meeting in room six?', note, None, NOW).startswith('No,')
    ring = [item('r', 'sound', NOW - 100, labels=[Label(SOUND, 'Telephone', 1)]),
            item('c', 'clip', NOW - 105, labels=[Label(SOUND, 'Telephone', 1),
                                                 Label(OBJECT, 'cat', 1)])]
    assert direct.answer('What did you hear when the phone rang?', ring, None, NOW).endswith(
        'but I did not hear anything else then.')
    ring.append(item('d', 'sound', NOW - 99, labels=[Label(SOUND, 'Dog', 1)]))
    assert direct.answer('What did you hear when the phone rang?', ring, None, NOW).endswith(
        'I heard a dog.')


def loud(id_, ago, name, level_db=None, above_room_db=None):
    attributes = {k: v for k, v in (('level_db', level_db), ('above_room_db', above_room_db))
                  if v is not None}
    return item(id_, 'sound', NOW - ago, labels=[Label(SOUND, name, 1, attributes=attributes),
                                                 Label(SOUND, 'Burst, pop', 1)])


def test_loud_and_loudest_by_the_level_perception_measured():
    """"Anything loud?" names the sounds that stood far over the room; "the loudest" the one of
    the highest level; with no level measured (older memory) the sounds heard are listed and
    their loudness said to be unknown, never "I have not heard that"."""
    sounds = [loud('bang', 300, 'Explosion', -6.0, 42.0), loud('knock', 200, 'Knock', -35.0, 9.0),
              loud('beep', 100, 'Beep, bleep', -28.0, 12.0),
              loud('hum', 50, 'Hum', -15.0, 4.0)]  # over -20 dBFS, but not over a noisy room
    assert direct.answer('Did you hear anything loud?', sounds, None, NOW) == \
        'Yes, I heard an explosion (about 5 minutes ago).'
    assert direct.answer('What was the loudest sound?', sounds, None, NOW) == \
        'The loudest sound I heard was an explosion (about 5 minutes ago).'
    assert direct.answer('What was the quietest noise you heard?', sounds, None, NOW) \
        .startswith('The quietest sound I heard was a knock')
    assert direct.answer('Was the knock loud?', sounds, None, NOW) == \
        'No: I heard a knock (about 3 minutes ago), but it was not loud.'
    assert direct.answer('Did you hear anything loud?', sounds[1:], None, NOW) == \
        'No, nothing I heard was loud: the loudest was a hum (about 50 seconds ago).'
    old = [loud('bang', 300, 'Explosion'), loud('knock', 200, 'Knock')]
    assert direct.answer('Did you hear a loud noise?', old, None, NOW) == \
        'I heard a knock (about 3 minutes ago) and an explosion (about 5 minutes ago), but I ' \
        'did not measure how loud they were.'
    # not asked of a sound: left to the rest
    assert direct.answer('Was the party loud?', old, None, NOW) is None
    # how loud one was; which of two was louder (both heard and measured, else not said)
    assert direct.answer('How loud was the explosion?', sounds, None, NOW) == \
        'It was loud: I heard an explosion about 5 minutes ago.'
    assert direct.answer('How loud was the beep?', sounds, None, NOW) == \
        'It was not loud: I heard a beep about 2 minutes ago.'
    assert direct.answer('Which was louder, the knock or the beep?', sounds, None, NOW) == \
        'The beep (about 2 minutes ago) was louder than the knock (about 3 minutes ago).'
    assert direct.answer('Was the explosion quieter than the knock?', sounds, None, NOW) == \
        'No: the knock (about 3 minutes ago) was quieter than the explosion (about 5 minutes ' \
        'ago).'
    assert direct.answer('Which was louder, the knock or the dog?', sounds, None, NOW) == \
        'I have no record of hearing a dog.'
    assert direct.answer('Which was louder, the knock or the explosion?', old, None, NOW) == \
        'I heard a knock and an explosion, but I did not measure how loud they were.'
    # "was it noisy / quiet?": the sounds heard around, whatever place is named
    assert direct.answer('Was it noisy?', sounds, None, NOW) == \
        'Yes, I heard an explosion (about 5 minutes ago).'
    assert direct.answer('Was the street quiet?', sounds, None, NOW) == \
        'No: I heard an explosion (about 5 minutes ago), and it was loud.'
    assert direct.answer('Was it quiet?', sounds[1:], None, NOW) == \
        'Yes: nothing I heard was loud; the loudest was a hum (about 50 seconds ago).'
    assert direct.answer('Was the knock quiet?', sounds, None, NOW) == \
        'Yes: I heard a knock (about 3 minutes ago), and it was not loud.'
    # a clip holding a copy of the sound (no level) does not hide the sound event's level
    copies = [MemoryItem(id=f'clip-{i.id}', kind='clip', start=i.start, end=i.end + 5, text='',
                         labels=[Label(SOUND, i.labels[0].name, 1)]) for i in sounds]
    assert direct.answer('Which was louder, the knock or the beep?', sounds + copies, None,
                         NOW).startswith('The beep (about 2 minutes ago) was louder')
    assert [t.words for t in direct.compared('Was the beep louder than the knock?')] == \
        [('beep',), ('knock',)]  # each side retrieved on its own


def test_anything_heard_and_a_judgement_no_label_holds():
    sounds = [loud('bang', 300, 'Explosion'), loud('knock', 200, 'Knock')]
    assert direct.answer('Did you hear anything unusual?', sounds, None, NOW) == \
        'Yes, I heard, the latest first: a knock (about 3 minutes ago) and an explosion ' \
        '(about 5 minutes ago). I cannot tell which of them was unusual.'
    assert direct.answer('Did you hear any sounds?', sounds[:1], None, NOW) == \
        'Yes, I heard: an explosion (about 5 minutes ago).'


def test_a_request_is_asked_as_its_question():
    assert lang.normalised('Tell me everything you heard.') == 'What did you hear?'
    assert lang.normalised('Can you list the animals you saw today?') == \
        'What animals did you see today?'
    assert lang.normalised("Tell me about the signs you've read") == \
        "Tell me about the signs you've read"  # not a form it knows: as it was
    assert lang.normalised('Tell me where my keys are.') == 'Tell me where my keys are.'
    assert lang.normalised("Didn't anyone knock?") == 'Did you hear a knock?'


def test_something_someone_did_is_asked_as_seen_or_said():
    assert lang.normalised('Did anyone carry a bag?') == 'Did you see anyone carrying a bag?'
    assert lang.normalised('Did somebody sit on the bench?') == \
        'Did you see anyone sitting on the bench?'
    assert lang.normalised('Did anyone lie down?') == 'Did you see anyone lying down?'
    assert lang.normalised('Did someone invite me to lunch?') == 'Did anyone mention lunch?'
    assert lang.normalised('Did someone knock?') == 'Did you hear a knock?'  # a sound made
    for kept in ('Did anyone see my keys?', 'Did anyone call?', 'Has anyone left?',
                 'Did someone say hello?'):
        assert lang.normalised(kept) == kept
    lunch = [item('s', 'speech', NOW - 60, 'Are you coming to lunch today?')]
    assert 'coming to lunch' in direct.answer(lang.normalised('Did someone invite me to lunch?'),
                                              lunch, None, NOW)


def test_the_first_and_last_sign_are_read_in_order():
    """"What did the first sign say?" is a question about signs in general ('first' is no word
    a sign must read): the earliest sign read, not the most relevant one."""
    signs = [item('a', 'clip', NOW - 90, 'text reading "NOTICE"', [Label(TEXT, 'NOTICE', 1)]),
             item('b', 'clip', NOW - 40, 'text reading "NO PARKING"',
                  [Label(TEXT, 'NO PARKING', 1)]),
             item('c', 'clip', NOW - 10, 'text reading "COPY CENTRE"',
                  [Label(TEXT, 'COPY CENTRE', 1)])]
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    scored = [dataclasses.replace(s, score=score) for s, score in zip(signs, (0.3, 0.7, 0.6))]
    answerer = Answerer(lambda *args: list(scored), None, config=AnswerConfig())
    # the earliest sign is the least like the question: kept as a sign, not dropped by score
    assert 'NOTICE' in answerer.answer('What did the first sign say?', NOW).answer
    assert 'COPY CENTRE' in answerer.answer('What did the last sign say?', NOW).answer


def test_who_did_it_is_unknown_but_what_was_done_is_said():
    """"Did the player kick the ball?" is asked as what was seen; a person was seen kicking
    with a ball in view: that is said, and that whether they were a player is not known (it
    was "I saw 4 sports balls ... whether any was a player kick ball")."""
    people = {'people': [{'posture': 'sitting', 'activity': 'kicking', 'position': 'centre'},
                         {'position': 'left'}], 'activities': ['kicking']}
    match = [item('m', 'clip', NOW - 360, labels=[Label(OBJECT, 'sports ball', 1),
                                                  Label(OBJECT, 'person', 2, attributes=people)])]
    question = lang.normalised('Did the player kick the ball?')
    assert question == 'Did you see the player kicking the ball?'
    assert direct.answer(question, match, None, NOW) == \
        'I saw a person kicking the ball about 6 minutes ago, but I cannot tell whether they ' \
        'were a player.'
    assert direct.answer('Did you see a woman running?', match, None, NOW) == \
        'I saw 2 people about 6 minutes ago, but they were sitting and kicking, not running.'
    assert lang.normalised('Did the dog bark?') == 'Did you hear the dog bark?'  # not seen


def test_notes_by_their_order_and_sounds_counted_once_each():
    notes = NOTES + [item('n3', 'note', NOW - 100, 'the dentist is on Monday')]
    assert direct.answer('What was the second thing I asked you to remember?', notes, None,
                         NOW) == 'You asked me to remember: the plumber comes on Thursday.'
    assert direct.answer('What was the last thing I told you?', notes, None, NOW) == \
        'You asked me to remember: the dentist is on Monday.'
    # an alarm heard in two pieces is one sound
    pieces = [item('a1', 'sound', NOW - 480, labels=[Label(SOUND, 'Buzzer', 1)]),
              item('a2', 'sound', NOW - 477.5, labels=[Label(SOUND, 'Beep, bleep', 1)]),
              item('k', 'sound', NOW - 400, labels=[Label(SOUND, 'Knock', 1)])]
    assert direct.answer('How many sounds did you hear?', pieces, 'sound', NOW) == \
        'I heard 2 sounds: a knock (about 7 minutes ago) and a buzzer (about 8 minutes ago).'
    # on one side of a sound: the others there, not the anchor's own pieces
    bang = [item('x', 'sound', NOW - 300, labels=[Label(SOUND, 'Explosion', 1)])]
    assert direct.answer('How many sounds did you hear before the explosion?', pieces + bang,
                         None, NOW) == \
        'Before I heard an explosion (about 5 minutes ago), I heard 2 sounds: a knock (about ' \
        '7 minutes ago) and a buzzer (about 8 minutes ago).'
    assert direct.answer('How many sounds did you hear after the buzzer?', pieces + bang,
                         None, NOW) == \
        'After I heard a buzzer (about 8 minutes ago), I heard 2 sounds: an explosion (about ' \
        '5 minutes ago) and a knock (about 7 minutes ago).'
    assert direct.answer('How many sounds did you hear after the explosion?', pieces + bang,
                         None, NOW) == \
        'After I heard an explosion (about 5 minutes ago), I heard no other sound.'
    assert direct.answer('How many sounds did you hear after the doorbell?', pieces + bang,
                         None, NOW) is None  # no doorbell: nothing to count from


def test_each_sound_asked_is_checked_and_a_things_click_is_heard():
    """"Did you hear an alarm and a knock?": yes only for both; "a dog or a cat?" for either.
    "The camera click" is a camera heard, not the robot's own camera."""
    sounds = [item('a', 'sound', NOW - 480, labels=[Label(SOUND, 'Buzzer', 1),
                                                    Label(SOUND, 'Alarm', 1)]),
              item('k', 'sound', NOW - 400, labels=[Label(SOUND, 'Knock', 1)]),
              item('c', 'sound', NOW - 33, labels=[Label(SOUND, 'Camera', 1)])]
    assert direct.answer('Did you hear a buzzer and a knock?', sounds, None, NOW) == \
        'Yes, I heard a buzzer about 8 minutes ago and a knock about 7 minutes ago.'
    assert direct.answer('Did you hear a knock and a dog?', sounds, None, NOW) == \
        'I heard a knock about 7 minutes ago, but I have no record of hearing a dog.'
    assert direct.answer('Did you hear a dog or a knock?', sounds, None, NOW) == \
        'Yes, I heard a knock about 7 minutes ago.'
    assert direct.answer('Did you hear a dog or a cat?', sounds, None, NOW) is None
    # 'Alarm' is only another class of the buzzer's sound: no alarm heard for certain
    assert direct.answer('Did you hear an alarm and a knock?', sounds, None, NOW) == \
        'I heard a knock about 7 minutes ago and a buzzer about 8 minutes ago (it also ' \
        'sounded like an alarm).'
    assert direct.answer(lang.normalised('Did the camera click?'), sounds, None, NOW) == \
        'Yes, I heard a camera about 30 seconds ago.'


def test_nothing_said_of_it_is_not_heard_rather_than_not_seen():
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    answerer = Answerer(lambda *args: [], None, config=AnswerConfig())
    assert answerer.answer('Did I mention a doctor?', NOW).answer == 'I have not heard that.'
    assert answerer.answer('Did you see a doctor?', NOW).answer == 'I have not seen that.'


def test_another_part_of_the_place_or_another_day_is_a_no():
    """"Is my passport in the bottom drawer?" against the note "top drawer"; "is the table booked
    for Saturday?" against an exchange (its "book" misheard) that said Friday: the exchange is
    found by its other words, though it cannot share the day asked."""
    passport = [item('p', 'note', NOW - 300, 'my passport is in the top drawer')]
    assert direct.answer('Is my passport in the bottom drawer?', passport, None, NOW) \
        .startswith('No, you told me')
    assert direct.answer('Is my passport in the top drawer?', passport, None, NOW) \
        .startswith('Yes, you told me')
    # where in a place is no word a note is about: "what was in the top box?" is not the note
    assert direct.answer('What was in the top box?', passport, None, NOW) is None
    talk = [item('q', 'speech', NOW - 500, 'Did you work the table for Friday?'),
            item('r', 'speech', NOW - 496, "Yes, for 7 people at 8 o'clock.")]
    assert direct.answer('Is the table booked for Saturday?', talk, None, NOW) \
        .startswith('No, I heard it was for Friday')
    assert direct.answer('Is the table booked for Friday?', talk, None, NOW) \
        .startswith('Yes, I heard it was for Friday')
    # "how many people is it ...?": people counted, not "booked for"
    assert lang.asks_count('How many people is the table booked for?') == 'person'


def test_what_was_heard_at_a_time_is_the_nearest_sounds_and_words():
    """"What did you hear about 8 minutes ago?" ("about" is no topic here): the sounds and words
    nearest that moment, each once, in order."""
    heard = [item('beep', 'sound', NOW - 490, labels=[Label(SOUND, 'Beep, bleep', 1)]),
             item('talk', 'speech', NOW - 470, 'We ran out of milk.'),
             item('clip', 'clip', NOW - 492, labels=[Label(SOUND, 'Beep, bleep', 1)]),
             item('knock', 'sound', NOW - 200, labels=[Label(SOUND, 'Knock', 1)])]
    assert direct.answer('What did you hear about 8 minutes ago?', heard, None, NOW) == \
        'I heard a beep (about 8 minutes ago) and someone say "We ran out of milk." (about 8 ' \
        'minutes ago).'
    # "what happened about 8 minutes ago?": what was seen then and what was heard around it
    view = item('view', 'clip', NOW - 488, labels=[Label(OBJECT, 'dog', 1)])
    assert direct.answer('What happened about 8 minutes ago?', heard + [view], None, NOW) == \
        'About 8 minutes ago I saw a dog. I heard a beep (about 8 minutes ago) and someone say ' \
        '"We ran out of milk." (about 8 minutes ago).'
    # "at the start": the earliest of what was retrieved, not the latest first
    assert direct.answer('What did you hear at the start?', heard, None, NOW).startswith(
        'I heard a beep (about 8 minutes ago)')


def test_a_word_that_completes_a_name_is_no_state():
    """"a traffic light": 'light' is part of the name (COCO's class), not the thing's state as
    in "was the box light?" ("did you see a traffic light?" went to the model)."""
    from omnilive.reasoning import questions
    assert questions.parse('Did you see a traffic light?').target.words == ('traffic', 'light')
    assert questions.parse('Was the box light?').target.state == 'light'
    lights = [item('street', 'clip', NOW - 60, labels=[Label(OBJECT, 'traffic light', 1)])]
    assert direct.answer('Did you see a traffic light?', lights, None, NOW) == \
        'Yes, I saw a traffic light about 60 seconds ago.'


def test_a_state_perception_cannot_see_is_not_denied():
    """"Was the monkey looking at the camera?" was "Yes, I saw a monkey" ('looking' was dropped
    as a word about the robot's own look); a person seen sitting and kicking is not running
    (sitting rules it out), but nothing says whether they were looking."""
    from omnilive.reasoning import questions
    assert questions.parse('Was the monkey looking at the camera?').target.state == 'looking'
    assert questions.parse('What were you looking at?').target is None
    monkey = [item('zoo', 'clip', NOW - 180, labels=[Label(OBJECT, 'monkey', 1)])]
    assert direct.answer('Was the monkey looking at the camera?', monkey, None, NOW) == \
        'I saw a monkey about 3 minutes ago; I did not notice whether it was looking.'
    people = {'people': [{'posture': 'sitting', 'activity': 'kicking'}]}
    match = [item('m', 'clip', NOW - 360, labels=[Label(OBJECT, 'person', 1, attributes=people)])]
    assert direct.answer('Was anyone looking at the camera?', match, None, NOW) == \
        'I saw a person about 6 minutes ago; I did not notice whether they were looking; they ' \
        'were sitting and kicking.'
    assert direct.answer('Was anyone running?', match, None, NOW).endswith('not running.')


def test_more_of_one_than_the_other_retrieves_each():
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    zoo = item('zoo', 'clip', NOW - 300, labels=[Label(OBJECT, 'cat', 2, attributes={
        'categories': ['cat', 'animal']})])
    street = item('street', 'clip', NOW - 100, labels=[Label(OBJECT, 'car', 1, attributes={
        'categories': ['car', 'vehicle']})])

    def retrieve(query, k, since, until, kinds):  # finds a thing by its name or category only
        return [i for i in (zoo, street) if query in (
            w for lab in i.labels for w in (lab.name, *lab.attributes['categories']))]
    answer = Answerer(retrieve, None, config=AnswerConfig()).answer(
        'Did you see more animals or vehicles?', NOW).answer
    assert answer == 'I saw more animals than vehicles: 2 animals and a vehicle at most at once.'


def test_people_talking_is_what_was_said_heard_whoever_said_it():
    """"Did you hear anyone talking?", "any voices?", "what were people talking about?": the
    things said heard, latest first, never the questions asked of the robot; who spoke, how
    many people did, or whether it was a man, is not known (voices are not recognised)."""
    from omnilive.memory.types import SPEECH
    asked = MemoryItem(id='q', kind='speech', start=NOW - 20, end=NOW - 18,
                       text='What did you see?', labels=[Label(SPEECH, 'What did you see?', 1,
                                                               attributes={'to_robot': True})])
    said = [item('s1', 'speech', NOW - 300, 'The bus leaves at nine.'),
            item('s2', 'speech', NOW - 100, 'I left my umbrella in the car.'), asked]
    assert direct.answer('Did you hear anyone talking?', said, None, NOW) == \
        'Yes, I heard, the latest first: someone say "I left my umbrella in the car." (about ' \
        '2 minutes ago) and someone say "The bus leaves at nine." (about 5 minutes ago).'
    assert direct.answer('What were people talking about?', said[:1], None, NOW) == \
        'I heard: someone say "The bus leaves at nine." (about 5 minutes ago).'
    answer = direct.answer('Did you hear a woman talking?', said[:1], None, NOW)
    assert answer.startswith('I heard') and answer.endswith(
        'I cannot tell whether it was a woman: I do not recognise voices.'), answer
    # when, not a time someone mentioned ("the bus leaves at nine")
    assert direct.answer('When did you last hear someone talking?', said, None, NOW) == \
        f'I last heard someone talking about 2 minutes ago, at {clock(NOW - 97)}: they said ' \
        '"I left my umbrella in the car.".'
    assert direct.answer('When did you first hear someone speak?', said, None, NOW).startswith(
        'I first heard someone talking about 5 minutes ago')
    # people heard are people talking: "did you hear any people?"
    assert direct.answer('Did you hear any people?', said, None, NOW).startswith(
        'Yes, I heard, the latest first: someone say "I left my umbrella in the car."')
    assert direct.answer('How many people talked?', said, None, NOW).startswith(
        'I cannot tell how many people spoke: I do not recognise voices. I heard 2 things said')
    assert direct.answer('Who spoke last?', said, None, NOW) == \
        'I cannot tell who it was: I do not recognise voices. The latest I heard was someone ' \
        'say "I left my umbrella in the car.", about 2 minutes ago.'
    assert direct.answer('Who spoke first?', said, None, NOW).startswith(
        'I cannot tell who it was: I do not recognise voices. The first I heard was someone ' \
        'say "The bus leaves at nine."')
    assert direct.answer('Was there a conversation?', [asked], None, NOW) is None


def test_sizes_speeds_and_ages_are_not_measured():
    """"Was the squirrel bigger than the cat?": both seen, but nothing measures their sizes;
    one never seen is said so. A comparison of loudness between things seen is not a count."""
    views = [item('sq', 'clip', NOW - 300, labels=[Label(OBJECT, 'squirrel', 1)]),
             item('cat', 'clip', NOW - 120, labels=[Label(OBJECT, 'cat', 1)])]
    assert direct.answer('Was the squirrel bigger than the cat?', views, None, NOW) == \
        'I saw a squirrel about 5 minutes ago and a cat about 2 minutes ago, but I cannot tell ' \
        'which was bigger: I do not measure how big things are.'
    assert direct.answer('Which was faster, the cat or the squirrel?', views, None, NOW) \
        .endswith('I cannot tell which was faster: I do not measure how fast things are.')
    assert direct.answer('Which animal was bigger, the cat or the squirrel?', views, None, NOW) \
        .endswith('I cannot tell which was bigger: I do not measure how big things are.')
    assert direct.answer('Was the dog smaller than the cat?', views, None, NOW) == \
        'I have not seen a dog; I saw a cat about 2 minutes ago.'
    assert direct.answer('Was the dog older than the horse?', views, None, NOW) is None
    assert [t.words for t in direct.compared('Which was taller, the man or the tree?')] == \
        [('man', 'person'), ('tree',)]
    assert direct.answer('Was the cat louder than the squirrel?', views, None, NOW) == \
        'I have no record of hearing a cat or a squirrel.'


def test_how_long_a_thing_was_seen_or_a_sound_lasted(wordnet):
    """"How long did you see the cat?": the clips that showed it, in a row as one sighting;
    "how long did the alarm ring?" its sound events, not the clip it sounded in; "was the car
    there the whole time?" yes only without a break up to now."""
    def clip(id_, start, end, *names):
        return MemoryItem(id=id_, kind='clip', start=NOW - start, end=NOW - end, text='',
                          labels=[Label(OBJECT, n, 1) for n in names])
    views = [clip('a', 600, 560, 'car', 'cat'), clip('b', 560, 530, 'car', 'cat'),
             clip('c', 300, 200, 'car'), clip('d', 200, 5, 'car', 'dog'),
             MemoryItem(id='r', kind='sound', start=NOW - 550, end=NOW - 546, text='',
                        labels=[Label(SOUND, 'Alarm', 1)]),
             clip('e', 560, 530, 'cat', 'person')]
    assert direct.answer('How long did you see the cat for?', views, None, NOW) == \
        'I saw a cat for about 70 seconds, about 9 minutes ago.'
    assert direct.answer('How long did the alarm ring?', views, None, NOW) == \
        'I heard an alarm for 4 seconds, about 9 minutes ago.'
    assert direct.answer('Was the car there the whole time?', views, None, NOW) == \
        'No, I saw a car 2 times, with breaks in between: about 9 minutes ago and just now.'
    assert direct.answer('Was the car there the whole time?', views[2:4], None, NOW) == \
        'Yes, I saw a car without a break from about 5 minutes ago until just now.'
    assert direct.answer('Was the dog there the whole time?', views, None, NOW) == \
        'No, I saw a dog for about 3 minutes, just now.'
    assert direct.answer('How long did you see the horse?', views, None, NOW) == \
        'I have not seen a horse.'


def test_what_a_thing_or_a_person_looked_like_is_what_perception_noticed():
    """"What did the car look like?", "describe the cat": its colours, kind, place in the view;
    "what did the man in the car look like?": what the person seen with the car wore."""
    street = item('street', 'clip', NOW - 100, labels=[
        Label(OBJECT, 'car', 1, attributes={'categories': ['car', 'vehicle'],
                                            'colours': ['blue', 'grey'], 'position': 'left',
                                            'distance': 'far'}),
        Label(OBJECT, 'person', 1, attributes={'people': [{'clothing': {'upper': 'black'}}]})])
    cat = item('cat', 'clip', NOW - 400, labels=[Label(OBJECT, 'cat', 1, attributes={
        'categories': ['cat', 'animal']})])
    assert direct.answer('What did the car look like?', [street, cat], None, NOW) == \
        'I saw a blue and grey car, a kind of vehicle, on the left of my view, far away, about ' \
        '2 minutes ago.'
    assert direct.answer('Describe the cat.', [street, cat], None, NOW) == \
        'I saw a cat, a kind of animal, about 7 minutes ago; I did not notice its colour.'
    assert direct.answer('What did the man in the car look like?', [street, cat], None, NOW) == \
        'I saw a person in a black top about 2 minutes ago.'
    assert direct.answer('Tell me about the car.', [street, cat], None, NOW).startswith(
        'I saw a blue and grey car')
    # a thing heard is told by when it was heard and how loud
    bang = item('bang', 'sound', NOW - 200, labels=[Label(SOUND, 'Explosion', 1, attributes={
        'level_db': -6.0, 'above_room_db': 42.0})])
    assert direct.answer('What can you tell me about the explosion?', [street, bang], None,
                         NOW) == f'I heard an explosion about 3 minutes ago, at ' \
                                 f'{clock(NOW - 197)}, and it was loud.'


def test_what_memory_does_not_record_is_said_not_guessed():
    """The weather, day or night, indoors or outdoors, and what is unusual are in no label: the
    model answered "It was night." (with keyframes, a VLM may see them: not answered here); a
    weather sound heard is left to the steps that read sounds."""
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    street = item('street', 'clip', NOW - 100, labels=[Label(OBJECT, 'car', 1)])
    rain = item('rain', 'sound', NOW - 50, labels=[Label(SOUND, 'Rain', 1)])
    answerer = Answerer(lambda q, k, since, until, kinds: [street], None, config=AnswerConfig())
    assert answerer.answer('Was it day or night?', NOW).answer.startswith(
        'I cannot tell: I do not record whether it was day or night')
    for question in ('Was it raining?', 'Did it rain?', 'Has it snowed?'):
        assert answerer.answer(question, NOW).answer == \
            'I cannot tell: I do not record the weather.', question
    assert answerer.answer('Were you indoors or outdoors?', NOW).answer == \
        'I cannot tell: I do not record whether I was indoors or outdoors.'
    assert answerer.answer('Did you see anything unusual?', NOW).answer == \
        'I cannot tell what is unusual; I saw a car (about 2 minutes ago).'
    assert direct.unrecorded('Was it raining?', [street, rain], NOW) is None
    with_images = Answerer(lambda q, k, since, until, kinds: [street], None,
                           config=AnswerConfig(), keyframes=lambda evidence: [])
    assert with_images._direct('Was it raining?', [street], None, NOW) is None
