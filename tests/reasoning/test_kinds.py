"""A noun asked about matches a label that WordNet places below it (the label's stored synset,
or its COCO class's): a ladybug is a beetle and an insect, a capuchin a monkey; a noun far above
('object') or beside it ('hot dog' for a dog) does not. Our own examples."""
import dataclasses

from omnilive.memory.types import OBJECT, SOUND, Label, MemoryItem
from omnilive.reasoning import direct, questions
from omnilive.reasoning.questions import Thing

NOW = 7000.0


def obj(name, synset, **attributes):
    return Label(OBJECT, name, 1, synset=synset, attributes=attributes)


def clip(id_, ago, *labels, score=0.0):
    """A 10 s clip that ended `ago - 10` s before NOW, seeing `labels`."""
    return MemoryItem(id=id_, kind='clip', start=NOW - ago, end=NOW - ago + 10, text='',
                      labels=list(labels), score=score)


LADYBUG = obj('ladybug', 'ladybug.n.01', categories=['insect', 'animal'], colours=['red'])
CAPUCHIN = obj('capuchin', 'capuchin.n.02', categories=['animal'])
HOTDOG = obj('hot dog', 'hotdog.n.02', categories=['food'])


def test_hyponyms_match_by_wordnet(wordnet):
    assert questions.match(Thing(('beetle',)), LADYBUG) is not None
    assert questions.match(Thing(('monkey',)), CAPUCHIN) is not None
    assert questions.match(Thing(('primate',)), CAPUCHIN) is not None
    assert questions.match(Thing(('dog',)), HOTDOG) is None
    assert questions.match(Thing(('object',)), LADYBUG) is None  # too far above to say anything
    assert questions.match(Thing(('monkey',)), LADYBUG) is None
    # a COCO label without a stored synset: its class's (a sandwich is a snack food)
    assert questions.match(Thing(('snack', 'food')), Label(OBJECT, 'sandwich', 1)) is not None


def test_answers_find_what_was_seen_under_its_own_name(wordnet):
    items = [clip('leaf', 100, LADYBUG), clip('zoo', 50, CAPUCHIN)]
    assert direct.answer('What colour was the beetle?', items, None, NOW) == \
        'The ladybug was red, about 2 minutes ago.'
    assert direct.answer('Did you see a monkey?', items, None, NOW).startswith(
        'Yes, I saw a capuchin')
    assert direct.answer('Did you see a beetle on the left?', items, None, NOW).startswith(
        'I saw a ladybug')


def test_the_answerer_keeps_evidence_named_otherwise(wordnet):
    from omnilive.reasoning.answerer import Answerer
    items = [clip('leaf', 100, LADYBUG, score=0.2)]
    answerer = Answerer(lambda query, k, since, until, kinds: list(items))
    assert answerer.answer('What colour was the beetle?', NOW).answer == \
        'The ladybug was red, about 2 minutes ago.'


def test_a_more_general_label_could_be_the_thing_asked(wordnet):
    """'sports ball' could be the basketball asked about (neither shown nor denied); a person
    is no gun, and a ladybug no monkey."""
    ball = Label(OBJECT, 'sports ball', 1)
    assert questions.could_be(ball, ('basketball',))
    assert questions.could_be(obj('beetle', 'beetle.n.01'), ('ladybug',))
    assert not questions.could_be(Label(OBJECT, 'person', 1), ('gun',))
    assert not questions.could_be(LADYBUG, ('monkey',))
    assert not questions.could_be(LADYBUG, ('beetle',))   # the other way: kind_of


def test_a_premise_under_a_more_general_label_is_not_false(wordnet):
    from omnilive.reasoning import grounding
    game = [clip('court', 100, Label(OBJECT, 'person', 2), Label(OBJECT, 'sports ball', 1))]
    assert grounding.check('I saw 2 people with the basketball.',
                           'How many people did you see with the basketball?', game, NOW) is None
    # what no label could be stays a false premise stated as fact
    assert grounding.check('Yes, I saw a man with a gun.', 'Did you see a man with a gun?',
                           game, NOW) == 'contradiction'


def test_a_label_more_general_than_the_thing_asked_neither_shows_nor_denies_it(wordnet):
    """A sports ball seen may be the basketball asked about; a dog the poodle: memory can say
    neither yes nor no, and says so, whether it is the thing asked or the thing of a
    relation."""
    items = [clip('court', 120, Label(OBJECT, 'person', 2), Label(OBJECT, 'sports ball', 1)),
             clip('park', 60, Label(OBJECT, 'dog', 1))]
    assert direct.answer('Did you see a basketball?', items, None, NOW) == \
        'I saw a sports ball about 2 minutes ago, but I cannot tell whether it was a basketball.'
    assert direct.answer('Did you see a poodle?', items, None, NOW) == \
        'I saw a dog about 50 seconds ago, but I cannot tell whether it was a poodle.'
    answer = direct.answer('Did you see two people playing basketball?', items, None, NOW)
    assert answer.startswith('I saw 2 people and a sports ball at the same time') and \
        'cannot tell whether the people were playing basketball' in answer, answer
    # a gun is no kind of ball or dog: nothing seen may be it
    assert direct.answer('Did you see a gun?', items, None, NOW) == 'No, I have not seen a gun.'
    # nor a count: "how many poodles?" is not "none", nor "one"
    assert direct.answer('How many poodles did you see?', items, None, NOW) == \
        'I saw a dog about 50 seconds ago, but I cannot tell whether it was a poodle.'


def test_how_many_of_a_category_counts_each_kind_seen(wordnet):
    """"How many animals did you see?": every kind of animal seen (one when the classifier named
    it in the whole view, uncounted), not the most seen at once of one kind; a finer name and
    the broader one it refines (an orange, a citrus fruit) are one."""
    items = [clip('a', 300, LADYBUG), clip('b', 200, CAPUCHIN),
             clip('c', 100, Label(OBJECT, 'dog', 2), Label(OBJECT, 'car', 1)),
             clip('d', 50, obj('orange', 'orange.n.01', categories=['fruit', 'food']),
                  obj('citrus fruit', 'citrus.n.01', categories=['fruit', 'food']))]
    assert direct.answer('How many animals did you see?', items, None, NOW) == \
        'I saw 4 animals: a ladybug, a capuchin and 2 dogs.'
    assert direct.answer('How many dogs did you see?', items, None, NOW) == \
        'I saw 2 dogs at once, about 2 minutes ago.'
    assert direct.answer('How many different fruits did you see?', items, None, NOW) == \
        'I saw one orange, about 40 seconds ago.'


def test_a_thing_left_out_is_not_the_answer(wordnet):
    """"Any animals besides the capuchin?": the question without it, over memory without it."""
    items = [clip('bug', 300, LADYBUG), clip('monkey', 100, CAPUCHIN), clip('lunch', 50, HOTDOG)]
    answer = direct.answer('Did you see any animals besides the capuchin?', items, None, NOW)
    assert answer == 'Yes, I saw a ladybug about 5 minutes ago.', answer
    answer = direct.answer('What animals did you see other than the ladybug?', items, None, NOW)
    assert answer == 'I saw a capuchin about 2 minutes ago.', answer
    assert direct.answer('Did you see any animals apart from the capuchin and the ladybug?',
                         items, None, NOW) is None


def test_a_pet_is_a_domestic_animal_and_a_kind_is_found_under_its_category(wordnet, tmp_path,
                                                                            embedder):
    """"Did you see a pet?" is a domestic animal (a cat, not a monkey); "did you see a
    mandrill?" retrieves what memory holds of animals, so an Old World monkey is found and
    said as what it may be."""
    from omnilive.memory.store import MemoryStore
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    cat = obj('domestic cat', 'domestic_cat.n.01', categories=['cat', 'animal'])
    monkey = obj('Old World monkey', 'old_world_monkey.n.01', categories=['animal'])
    items = [clip('cat', 300, cat), clip('monkey', 100, monkey)]
    assert direct.answer('Did you see a pet?', items, None, NOW).startswith(
        'Yes, I saw a domestic cat')
    store = MemoryStore(tmp_path / 'm', embedder)
    store.insert([dataclasses.replace(i, text='a domestic cat' if i.id == 'cat' else
                                      'an Old World monkey (animal)') for i in items] + [
        MemoryItem(id=f'c{n}', kind='clip', start=NOW - 900 - n, end=NOW - 890 - n,
                   text=f'a parked car {n}', labels=[Label(OBJECT, 'car', 1)])
        for n in range(12)])
    queries = []

    def retrieve(query, k, since, until, kinds):
        queries.append(query)
        return store.retrieve(query, k, since, until, kinds, now=NOW)
    result = Answerer(retrieve, None, config=AnswerConfig()).answer('Did you see a mandrill?',
                                                                    NOW)
    assert result.answer.startswith('I saw an Old World monkey') and \
        'mandrill' in result.answer, result.answer
    assert 'animal' in queries, queries


def test_things_of_the_same_category_are_no_evidence_for_another(wordnet):
    """With WordNet loaded, "did you see a giraffe?" also looks up animals; a dog found so is
    not evidence (it cannot be a giraffe): the answer stays "I have not seen that" (it became
    the model's, or a label dump, when the whole suite had loaded WordNet first)."""
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    dog = clip('yard', 100, obj('dog', 'dog.n.01', categories=['dog', 'animal']), score=0.5)

    food = clip('bowl', 50, obj('food', 'food.n.02', categories=['food']), score=0.5)

    def retrieve(query, k, since, until, kinds):
        return [dog] if query == 'animal' else [food] if query == 'dog' else []
    answerer = Answerer(retrieve, None, config=AnswerConfig())
    assert answerer.answer('Did you see a giraffe?', NOW).answer == 'I have not seen that.'
    # nor is food, which WordNet lets a dog be (a hot dog), for "did you see a dog?"
    assert answerer.answer('Did you see a dog?', NOW).answer == 'I have not seen that.'


def test_a_word_is_taken_in_the_senses_it_usually_has(wordnet):
    """Food seen is no "maybe a dog" (a hot dog is a rare sense of 'dog', none in WordNet's
    tagged corpus), so "a dog with the cat" when only the cat was seen is no dog, and the cat;
    a word whose usual sense is no thing seen ('basketball', mostly the game) keeps the thing."""
    cat = clip('sofa', 300, obj('tabby', 'tabby.n.01', categories=['cat', 'animal']))
    food = clip('bowl', 100, obj('food', 'food.n.02', categories=['food']))
    assert not questions.could_be(food.labels[0], ('dog',))
    assert questions.could_be(obj('food', 'food.n.02'), ('hot', 'dog'))
    assert direct.answer('Did you see a dog with the cat?', [cat, food], None, NOW) == \
        'I have not seen a dog; I saw a tabby about 5 minutes ago.'
    assert questions.could_be(Label(OBJECT, 'sports ball', 1), ('basketball',))
    assert questions.could_be(Label(OBJECT, 'sports ball', 1), ('footballs',))


def heard(id_, ago, *names, synset=''):
    """A 2 s sound event `ago` s before NOW, heard as `names` (its class, then those it also
    sounded like); its main label carries `synset` as perception stores it ('' for old items)."""
    from omnilive.memory.types import SOUND
    return MemoryItem(id=id_, kind='sound', start=NOW - ago, end=NOW - ago + 2,
                      text=f'heard {names[0].lower()}',
                      labels=[Label(SOUND, n, 1, synset=synset if i == 0 else '')
                              for i, n in enumerate(names)])


def test_what_made_a_sound_has_a_kind(wordnet):
    """A sound's class names what made it (models/data/audioset_wordnet.yaml), so a question
    about a kind finds it: a crow's caw is a bird, a moo cattle, which WordNet also calls
    cows; a more general sound (an insect) neither shows nor denies the bee asked about."""
    items = [heard('moo', 300, 'Cattle, bovinae', 'Moo', synset='cattle.n.01'),
             heard('caw', 75, 'Caw'),  # stored before perception wrote synsets
             heard('buzz', 52, 'Insect'), heard('knock', 30, 'Knock'),
             heard('ring', 20, 'Telephone', 'Alarm')]
    assert direct.answer('Did you hear a cow?', items, None, NOW) == \
        'Yes, I heard cattle about 5 minutes ago.'
    assert direct.answer('Did you hear a bird?', items, None, NOW) == \
        'Yes, I heard a caw about 70 seconds ago.'
    assert direct.answer('Did you hear a bee?', items, None, NOW) == \
        'I heard an insect about 50 seconds ago, but I cannot tell whether it was a bee.'
    assert direct.answer('Did you hear any animals?', items, None, NOW) == \
        'Yes, I heard an insect (about 50 seconds ago), a caw (about 70 seconds ago) and ' \
        'cattle (about 5 minutes ago).'
    assert direct.answer('Which animals did you hear?', items, None, NOW) == \
        'I heard an insect (about 50 seconds ago), a caw (about 70 seconds ago) and cattle ' \
        '(about 5 minutes ago).'
    # a sound that names no source, and things of another kind, are no animal
    assert 'knock' not in direct.answer('What animals did you hear?', items, None, NOW)
    assert direct.answer('What vehicles did you hear?', items, None, NOW) is None
    # the sound class 'Mouse' is the animal, not the detector's computer mouse
    assert not questions.match(Thing(('computer',)), Label('sound', 'Mouse', 1), sound=True)
    assert questions.match(Thing(('rodent',)), Label('sound', 'Mouse', 1), sound=True)


def test_a_things_sound_is_asked_as_heard_and_counted_as_sounds(wordnet):
    """"Did the dog bark?" asks what was heard (the dog seen is no answer to it); "how many
    animals did you hear?" counts sound events (pieces in a row once), never things seen, and
    says that how many animals made them is not known."""
    from omnilive.reasoning import language as lang
    items = [heard('bark', 400, 'Bark', 'Dog'), heard('bark2', 399, 'Bark'),
             heard('meow', 100, 'Meow', 'Cat'), heard('bell', 300, 'Doorbell'),
             clip('dog', 420, obj('dog', 'dog.n.01')),
             clip('cats', 200, obj('cat', 'cat.n.01'), obj('cat', 'cat.n.01'))]
    assert lang.normalised('Did the dog bark?') == 'Did you hear the dog bark?'
    assert lang.normalised('Did the man knock?') == 'Did the man knock?'  # people: as seen
    assert direct.answer(lang.normalised('Did the dog bark?'), items, None, NOW) == \
        'Yes, I heard a bark about 7 minutes ago.'
    assert direct.answer('How many animals did you hear?', items, None, NOW) == \
        'I heard 2 animal sounds: a meow (about 2 minutes ago) and a bark (about 7 minutes ' \
        'ago); I cannot tell how many animals made them.'
    assert direct.answer('How many cats did you hear?', items, None, NOW) == \
        'I heard one cat sound: a meow (about 2 minutes ago); I cannot tell how many cats ' \
        'made it.'
    assert direct.answer('How many birds did you hear?', items, None, NOW) is None


def test_a_question_about_a_thing_never_seen_says_so_not_its_colour(wordnet):
    """"Was the dog's collar red?" when no dog was seen (a red monkey and a red umbrella were):
    the premise is false, and the answer is that, not a colour. Only for things perception
    labels when it sees them: a room, a hand or a shirt is never an object label."""
    said = MemoryItem(id='said', kind='speech', start=NOW - 40, end=NOW - 38,
                      text='I left the red umbrella in the car')
    items = [clip('zoo', 120, obj('Old World monkey', 'old_world_monkey.n.01', colours=['red'])),
             clip('desk', 60, Label(OBJECT, 'person', 1), obj('cup', 'cup.n.01',
                                                              colours=['brown'])), said]

    def ask(question):
        return direct.answer(question, items, None, NOW)

    assert ask("Was the dog's collar red?") == 'I have not seen a dog.'
    assert ask("What colour was the dog's collar?") == 'I have not seen a dog.'
    assert ask('Was the horse brown?') == 'I have not seen a horse.'
    assert ask('Where was the horse?') == 'I have not seen a horse.'
    assert ask('Did you see a cow or a horse?') == 'No, I have not seen a cow or a horse.'
    # seen, or may be it: not this step's
    assert ask('Was the monkey red?').startswith('Yes')
    assert ask('Was the primate brown?').startswith('I saw an Old World monkey')
    # the scene, a body part, clothes, people, reasons: memory does not label them as things
    for question in ('Was the room dark?', 'Was his hand raised?', "Was the man's shirt red?",
                     'Was the singer tall?', 'Why was the horse there?', 'Was the sky blue?',
                     'Was the street wet?', 'Did you see a tree?', 'Was the grass green?'):
        assert 'have not seen' not in (ask(question) or ''), question
    # heard, not seen: not unseen ("tell me about the alarm")
    alarm = MemoryItem(id='alarm', kind='sound', start=NOW - 30, end=NOW - 28, text='',
                       labels=[Label(SOUND, 'Fire alarm', 1)])
    assert 'not seen' not in (direct.answer('Tell me about the alarm.', items + [alarm], None,
                                            NOW) or '')
    # named in what was said: that is the answer's subject, not a thing unseen
    assert ask('Was the umbrella red?') != 'I have not seen an umbrella.'
    # "how long": a measure asked, not a 'long horse' (WordNet's vaulting horse)
    assert questions.parse('How long did you see the horse?').target.words == ('horse',)


def test_things_of_a_category_seen_with_another_are_those_seen_at_the_same_time(wordnet):
    """"Which animals did you see with people?": the model listed every animal seen "near the
    people"; only those in view together count, and how near cannot be told."""
    park = clip('park', 300, obj('dog', 'dog.n.01', categories=['dog', 'animal']),
                Label(OBJECT, 'person', 1))
    zoo = clip('zoo', 100, obj('capuchin', 'capuchin.n.02', categories=['animal']))
    assert direct.answer('Which animals did you see with people?', [park, zoo], None, NOW) == \
        'At the same time as people, I saw a dog about 5 minutes ago.'
    assert direct.answer('What animals were near the people?', [park, zoo], None, NOW) == \
        'At the same time as people, I saw a dog about 5 minutes ago; I cannot tell how near ' \
        'they were.'
    assert direct.answer('Which animals did you see with people?', [zoo], None, NOW) == \
        'I did not see any animals at the same time as people.'


def test_what_kind_of_a_thing_is_its_finer_name_or_not_known(wordnet):
    """"What kind of monkey did you see?" is the finer name perception stored (a kind of monkey
    in WordNet); "what make was the car?" when only 'car' was stored: not known, said so."""
    zoo = [clip('zoo', 200, obj('Old World monkey', 'old_world_monkey.n.01',
                                categories=['animal'])),
           clip('street', 100, obj('car', 'car.n.01', categories=['vehicle']))]
    assert direct.answer('What kind of monkey did you see?', zoo, None, NOW) == \
        'I saw an Old World monkey about 3 minutes ago.'
    for question in ('What make was the car?', 'What type of car did you see?'):
        assert direct.answer(question, zoo, None, NOW) == \
            'I saw a car about 2 minutes ago, but I cannot tell what kind it was.', question
