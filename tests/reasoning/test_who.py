""""Who" questions: the people seen, with what perception noticed of them (clothing, posture,
activity, what they held: the `people` attributes of a person label, docs/architecture.md), and
plainly what it did not notice when those attributes are absent (older labels have none)."""
import pytest

from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.reasoning import direct

NOW = 8000.0


def clip(id_, start, labels):
    return MemoryItem(id=id_, kind='clip', start=start, end=start + 10, labels=labels, text='')


OFFICE = clip('office', NOW - 130, [
    Label(OBJECT, 'person', 2, synset='person.n.01', attributes={
        'categories': ['person'], 'postures': ['sitting', 'standing'],
        'people': [{'posture': 'sitting', 'clothing': {'upper': 'white'},
                    'holding': ['bottle'], 'position': 'right'},
                   {'posture': 'standing', 'activity': 'walking',
                    'clothing': {'upper': 'black', 'lower': 'blue'}}]}),
    Label(OBJECT, 'bottle', 1, attributes={'colours': ['white']})])
HALL = clip('hall', NOW - 600, [Label(OBJECT, 'person', 1)])  # stored before person attributes


@pytest.mark.parametrize('question, expected', [
    ('Who did you see?',
     'I saw a person in a white top, sitting, holding a bottle about 2 minutes ago, a person in '
     'a black top and blue trousers, standing, walking about 2 minutes ago and a person about '
     '10 minutes ago.'),
    ('Who was holding a bottle?',
     'I saw a person in a white top, sitting, holding a bottle about 2 minutes ago.'),
    ('Who was sitting?',
     'I saw a person in a white top, sitting, holding a bottle about 2 minutes ago.'),
    ('Who was wearing black?',
     'I saw a person in a black top and blue trousers, standing, walking about 2 minutes ago.'),
    ('Who was holding a cup?',
     'I did not see anyone holding a cup; I saw a person in a white top, sitting, holding a '
     'bottle about 2 minutes ago.'),
    ('Who was wearing red?',
     'I did not see anyone in red; I saw a person in a white top, sitting, holding a bottle '
     'about 2 minutes ago.'),
])
def test_who_with_person_attributes(question, expected):
    assert direct.answer(question, [OFFICE, HALL], None, NOW) == expected


@pytest.mark.parametrize('question, expected', [
    ('Who did you see?', 'I saw a person about 10 minutes ago; I did not notice what they wore.'),
    ('Who was holding a cup?', 'I saw a person about 10 minutes ago, but I did not notice '
                               'whether they were holding a cup.'),
    ('Who was sitting?', 'I saw a person about 10 minutes ago, but I did not notice whether '
                         'they were sitting.'),
    ('Who was wearing red?', 'I saw a person about 10 minutes ago, but I did not notice what '
                             'they wore.'),
])
def test_who_without_person_attributes(question, expected):
    assert direct.answer(question, [HALL], None, NOW) == expected


def test_who_with_nobody_seen_is_left_to_the_next_step():
    assert direct.answer('Who did you see?', [clip('empty', NOW - 50, [Label(OBJECT, 'cup', 1)])],
                         None, NOW) is None


@pytest.mark.parametrize('question, items, expected', [
    ('Was anyone sitting?', [OFFICE], 'Yes, I saw a person sitting about 2 minutes ago.'),
    ('Was anybody waving?', [OFFICE], 'I saw 2 people about 2 minutes ago, but they were '
                                      'sitting, standing and walking, not waving.'),
    ('Was anyone sitting?', [HALL], 'I saw a person about 10 minutes ago; I did not notice '
                                    'whether they were sitting.'),
    ('Did you see anyone in the sitting room?', [HALL],
     'I saw a person about 10 minutes ago, but I cannot tell whether they were in the sitting '
     'room.'),
])
def test_yes_no_about_what_people_were_doing(question, items, expected):
    assert direct.answer(question, items, None, NOW) == expected



TAXI = clip('taxi', NOW - 300, [
    Label(OBJECT, 'person', 1, attributes={'people': [{'clothing': {'upper': 'brown'},
                                                       'position': 'centre'}]}),
    Label(OBJECT, 'tie', 1, attributes={'colours': ['red'], 'categories': ['clothing']}),
    Label(OBJECT, 'car', 1)])
STREET = clip('street', NOW - 400, [Label(OBJECT, 'person', 1, attributes={
    'people': [{'clothing': {'upper': 'green'}, 'position': 'left'}]})])


@pytest.mark.parametrize('question, expected', [
    # the people of the clip the question's other words point to: "in the car"
    ('What was the man in the car wearing?',
     'I saw a person in a brown top, with a red tie, about 5 minutes ago.'),
    # the one seen where the question says, though others were seen later
    ('What was the person on the left wearing?',
     'I saw a person in a green top about 6 minutes ago.'),
    # else the latest
    ('What did the woman wear?',
     'I saw a person in a white top, sitting, holding a bottle and a person in a black top and '
     'blue trousers, standing, walking about 2 minutes ago.'),
])
def test_what_people_wore(question, expected):
    assert direct.answer(question, [OFFICE, TAXI, STREET], None, NOW) == expected


def test_what_people_wore_unnoticed_is_said():
    assert direct.answer('What was the cyclist wearing?', [HALL], None, NOW) == \
        'I saw a person about 10 minutes ago, but I did not notice what they wore.'
    # a later sighting with nothing noticed does not hide what an earlier one noticed
    later = clip('later', NOW - 100, [Label(OBJECT, 'person', 1)])
    assert direct.answer('What was the cyclist wearing?', [STREET, later], None, NOW) == \
        'I saw a person in a green top about 6 minutes ago.'
    # what the question says of them that nothing seen then shows is not claimed
    assert direct.answer('What was the football player wearing?', [STREET], None, NOW) == \
        'I saw a person in a green top about 6 minutes ago, but I cannot tell whether that was ' \
        'the football player.'
    # a question about what was said is not about clothing seen
    assert direct.answer('What did you hear about what she wore?', [HALL], None, NOW) is None


COURT = clip('court', NOW - 60, [
    Label(OBJECT, 'person', 2, attributes={'people': [
        {'posture': 'standing', 'activity': 'kicking', 'arms': 'raised',
         'clothing': {'upper': 'blue', 'lower': 'red'}},
        {'posture': 'standing', 'clothing': {'upper': 'green'}}]}),
    Label(OBJECT, 'sports ball', 1)])


@pytest.mark.parametrize('question, expected', [
    # raised arms, however asked, are what perception noticed of the arms
    ('Did anyone raise their arms?', 'Yes, I saw a person with raised arms about 50 seconds ago.'),
    ('Did you see someone with their hands up?',
     'Yes, I saw a person with raised arms about 50 seconds ago.'),
    ('Was anyone waving?', 'I saw 2 people about 50 seconds ago, but they were standing, kicking '
                           'and with raised arms, not waving.'),
    # an action with its thing ("kicking the ball") is who did it, not everyone seen
    ('Who was kicking the ball?', 'I saw a person in a blue top and red trousers, standing, '
                                  'kicking, with raised arms about 50 seconds ago.'),
    ('Who had their arms raised?', 'I saw a person in a blue top and red trousers, standing, '
                                   'kicking, with raised arms about 50 seconds ago.'),
])
def test_raised_arms_and_actions_are_checked_per_person(question, expected):
    assert direct.answer(question, [COURT, OFFICE], None, NOW) == expected


def test_who_questions_keep_the_people_seen_as_evidence():
    """"Who was sitting?" shares no word with any label ('sitting' is in the people's
    attributes): the people seen are its evidence, not nothing ("I have not seen that")."""
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    street = clip('street', NOW - 30, [Label(OBJECT, 'car', 1)])
    answerer = Answerer(lambda q, k, since, until, kinds: [street, OFFICE], None,
                        config=AnswerConfig())
    assert answerer.answer('Who was sitting?', NOW).answer == \
        'I saw a person in a white top, sitting, holding a bottle about 2 minutes ago.'
    # what they wore is in the people's attributes too; "what did X do?" is what they did
    queries = []

    def retrieve(q, k, since, until, kinds):
        queries.append(q)
        return [street, OFFICE] if q == 'person' else [street]
    answerer = Answerer(retrieve, None, config=AnswerConfig())
    assert answerer.answer('Was anyone wearing blue trousers?', NOW).answer.startswith(
        'Yes, I saw a person wearing blue trousers'), queries
    assert direct.answer('What did the person in the black top do?', [OFFICE], None, NOW) == \
        'I saw a person in a black top and blue trousers about 2 minutes ago; they were ' \
        'standing and walking.'


def test_holding_hands_is_not_raising_them():
    from omnilive.reasoning import questions
    assert questions.parse('Did anyone put their hand up?').target.state == 'with raised arms'
    parsed = questions.parse('Were the two people holding hands?')
    assert parsed.target.state is None and [r.kind for r in parsed.relations] == ['holding']


def test_who_was_with_a_thing_is_who_was_seen_with_it():
    """"Who was riding the bicycle?": who was in view with the bicycle, and that how they were
    with it is not known; no one in view with it: said so; "who was with the bottle?": whoever
    was seen with it."""
    yard = clip('yard', NOW - 300, [Label(OBJECT, 'bicycle', 1)])
    items = [OFFICE, HALL, yard]
    assert direct.answer('Who was riding the bicycle?', items, None, NOW) == \
        'I saw a bicycle about 5 minutes ago, but no one with it.'
    street = clip('street', NOW - 60, [Label(OBJECT, 'bicycle', 1), Label(OBJECT, 'person', 1)])
    assert direct.answer('Who was riding the bicycle?', items + [street], None, NOW) == \
        'I saw a person at the same time as the bicycle, about 50 seconds ago; I cannot tell ' \
        'whether they were riding the bicycle.'
    assert direct.answer('Who was with the bottle?', items, None, NOW) == \
        'I saw a person in a white top, sitting, holding a bottle and a person in a black top ' \
        'and blue trousers, standing, walking at the same time as the bottle, about 2 minutes ago.'


def test_what_perception_never_notes_is_not_denied_by_what_it_did_note():
    """Perception notes postures, walking and kicking, never reading: someone seen sitting may
    have been reading (not known, said so); someone seen sitting was not walking (denied)."""
    assert direct.answer('Who was reading?', [OFFICE, HALL], None, NOW) == \
        'I saw a person in a white top, sitting, holding a bottle about 2 minutes ago, but I ' \
        'did not notice whether they were reading.'
    sitting = clip('desk', NOW - 30, [Label(OBJECT, 'person', 1, attributes={
        'people': [{'posture': 'sitting', 'clothing': {'upper': 'red'}}]})])
    assert direct.answer('Who was walking?', [sitting], None, NOW) == \
        'I did not see anyone walking; I saw a person in a red top, sitting about 20 seconds ago.'


def test_who_made_a_sound_is_not_known_what_was_heard_is():
    """"Who knocked?", "who set off the alarm?": the sound heard and when, and that who made it
    cannot be told (someone in view then is no proof); a sound never heard is not made up."""
    from omnilive.memory.types import SOUND
    knock = MemoryItem(id='knock', kind='sound', start=NOW - 125, end=NOW - 124, text='',
                       labels=[Label(SOUND, 'Knock', 1)])
    alarm = MemoryItem(id='alarm', kind='sound', start=NOW - 300, end=NOW - 296, text='',
                       labels=[Label(SOUND, 'Fire alarm', 1)])
    items = [OFFICE, knock, alarm]
    assert direct.answer('Who knocked?', items, None, NOW) == \
        'I heard a knock about 2 minutes ago, but I cannot tell who knocked.'
    assert direct.answer('Who set off the alarm?', items, None, NOW) == \
        'I heard a fire alarm about 5 minutes ago, but I cannot tell who set off the alarm.'
    assert 'cannot tell who' not in (direct.answer('Who rang the doorbell?', items, None, NOW)
                                     or '')
    assert 'sitting' in direct.answer('Who was sitting?', items, None, NOW)


def test_who_was_in_a_thing_is_who_was_seen_with_it_of_its_colour():
    """"Who was in the red car?": the people seen in one view with the red car (not with a car
    of another colour, nor words heard about a red car), and that being in it cannot be told."""
    red = clip('red', NOW - 300, [Label(OBJECT, 'car', 1, attributes={'colours': ['red']}),
                                  Label(OBJECT, 'person', 1, attributes={
                                      'people': [{'clothing': {'upper': 'black'}}]})])
    blue = clip('blue', NOW - 20, [Label(OBJECT, 'car', 1, attributes={'colours': ['blue']})])
    talk = MemoryItem(id='talk', kind='speech', start=NOW - 100, end=NOW - 98,
                      text='I left the red umbrella in the car.')
    items = [red, blue, talk]
    assert direct.answer('Who was in the red car?', items, None, NOW) == \
        'I saw a person in a black top at the same time as the red car, about 5 minutes ago; ' \
        'I cannot tell whether they were in the red car.'
    assert direct.answer('Who was in the blue car?', items, None, NOW) == \
        'I saw a blue car just now, but no one with it.'
