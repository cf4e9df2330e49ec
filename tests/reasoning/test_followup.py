"""A follow-up takes its referent from the previous turn, never its premise: after "did you see
a dog with a hat?" (no hat in memory), "what kind of dog was it?" is looked up, prompted and
answered about the dog, and a model answer that states the hat is replaced."""
import pytest

from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.reasoning import grounding, questions
from omnilive.reasoning.answerer import AnswerConfig, Answerer

NOW = 50_000.0
DOG = Label(OBJECT, 'golden retriever', 1, synset='golden_retriever.n.01',
            attributes={'categories': ('dog', 'animal'), 'colours': ('gold',)})
ITEMS = [MemoryItem(id='yard', kind='clip', start=NOW - 130, end=NOW - 120,
                    labels=[DOG, Label(OBJECT, 'bench', 1)], text=''),
         MemoryItem(id='street', kind='clip', start=NOW - 60, end=NOW - 50,
                    labels=[Label(OBJECT, 'car', 2, attributes={'colours': ('grey',)})],
                    text='')]


@pytest.mark.parametrize('question, referent', [
    ('Did you see a dog with a hat?', 'dog'), ('Was the red car on the left?', 'car'),
    ('How many cars did you see?', 'car'), ('Did you see a man wearing a red shirt?', 'man'),
    ('What did you see?', None)])
def test_referent_leaves_the_premise_out(question, referent):
    assert questions.referent(question) == referent


@pytest.fixture
def answerer(tmp_path, embedder):
    from omnilive.memory.store import MemoryStore
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert(ITEMS)

    def retrieve(query, top_k, since, until, kinds):
        return store.retrieve(query, top_k=top_k, since=since, until=until, kinds=kinds,
                              now=NOW)
    yield Answerer(retrieve, None, config=AnswerConfig())
    store.close()


def test_follow_up_answers_about_the_referent(answerer):
    first = answerer.answer('Did you see a dog with a hat?', NOW).answer
    assert first == 'I saw a golden retriever about 2 minutes ago, but I did not see a hat.'
    follow = answerer.answer('What kind of dog was it?', NOW)
    assert follow.answer == 'I saw a golden retriever about 2 minutes ago.', follow.answer
    # the model's prompt names the referent, not the previous question's premise
    prompt = answerer._prompt('What kind of dog was it?', follow.evidence, NOW,
                              answerer.history[-2])
    user = prompt[-1]['content']
    assert 'about: dog' in user and 'with a hat' not in user


@pytest.mark.parametrize('answer, replaced', [
    ('It was a golden retriever with a hat.', True),
    ('The dog wore a hat.', True),
    ('It was a golden retriever.', False),
    ('It was a golden retriever; I did not see a hat.', False),
])
def test_a_model_answer_stating_the_premise_is_replaced(answer, replaced):
    why = grounding.check(answer, 'What kind of dog was it?', ITEMS, NOW,
                          previous='Did you see a dog with a hat?')
    assert (why == 'contradiction') == replaced, why


def test_an_unsupported_colour_premise_is_not_stated():
    previous = 'Did you see a red car?'
    assert grounding.check('It was a red car.', 'Where was it?', ITEMS, NOW, previous)
    assert grounding.check('It was a grey car.', 'Where was it?', ITEMS, NOW, previous) is None


def test_a_follow_up_count_or_pronoun_takes_the_turn_before(answerer):
    """"And how many were there?" after "did you see a car?" counts cars (it was a label dump
    of whatever was retrieved); "what was she doing?" asks about the previous referent."""
    from omnilive.reasoning.answerer import Turn, resolved
    assert answerer.answer('Did you see a car?', NOW).answer.startswith('Yes, I saw')
    assert answerer.answer('And how many were there?', NOW).answer == \
        'I saw 2 cars at once, about 50 seconds ago.'
    turn = Turn('Did you see a woman in pink?', 'Yes.', 'woman', [])
    assert resolved('What was she doing?', turn) == 'What was the woman doing?'
    assert resolved('How many did you see?', Turn('Did you see a dog?', '', 'dog', [])) == \
        'How many dogs did you see?'
    assert resolved('How many people did you see?', turn) == 'How many people did you see?'


def test_elliptical_follow_ups_take_the_previous_question_and_its_time():
    """"What about the car?" asks the previous question of the car; "when?", "where?" and
    "what colour?" alone ask it of the previous thing; "what did you see then?" anchors on
    when that thing was seen."""
    from omnilive.reasoning.answerer import Turn, resolved
    dog = Turn('Did you see a dog?', 'Yes.', 'dog', [])
    assert resolved('What about a car?', dog) == 'Did you see a car?'
    assert resolved('And the cats?', dog) == 'Did you see the cats?'
    assert resolved('When?', dog) == 'When did you see the dog?'
    assert resolved('Where exactly?', dog) == 'Where was the dog?'
    assert resolved('What colour?', dog) == 'What colour was the dog?'
    assert resolved('What did you hear then?', dog) == 'What did you hear when you saw the dog?'
    bang = Turn('Did you hear an explosion?', 'Yes.', 'explosion', [])
    assert resolved('When?', bang) == 'When did you hear the explosion?'
    # not elliptical: as asked
    assert resolved('And when was that?', dog) == 'And when was that?'


def test_a_follow_up_naming_its_own_thing_is_about_that_thing(answerer):
    assert answerer.answer('Did you see a bicycle?', NOW).answer == 'I have not seen that.'
    assert answerer.answer('What about a car?', NOW).answer.startswith('Yes, I saw 2 cars')
    # "it" is now the cars, not the bicycle
    assert answerer.answer('What colour was it?', NOW).answer.startswith('The 2 cars were grey')


def test_a_count_looks_at_every_sighting_not_only_the_best_matches(tmp_path, embedder):
    """"How many times did you see a car?" over more sightings than one retrieval returns: the
    count's evidence also holds the thing's clips retrieved by its name."""
    from omnilive.memory.store import MemoryStore
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert([MemoryItem(id=f'street-{n}', kind='clip', start=NOW - 900 + 60 * n,
                             end=NOW - 890 + 60 * n, labels=[Label(OBJECT, 'car', 1)], text='')
                  for n in range(9)])

    def retrieve(query, top_k, since, until, kinds):
        return store.retrieve(query, top_k=top_k, since=since, until=until, kinds=kinds,
                              now=NOW)
    try:
        answer = Answerer(retrieve, None, config=AnswerConfig(top_k=6)).answer(
            'How many times did you see a car?', NOW).answer
        assert answer.startswith('I saw a car 9 times'), answer
    finally:
        store.close()
