"""Long-term (compressed) memory answers as short-term memory does: a note and clips go into a
real MemoryStore, the compressor folds the clips older than the short-term window into episodes,
and questions about the first minutes are answered from the episodes (labels with their synsets
and attributes kept: categories, colours, clothing)."""
import pytest

from omnilive.memory.compressor import Compressor
from omnilive.memory.types import OBJECT, SOUND, Label, MemoryItem
from omnilive.reasoning.answerer import AnswerConfig, Answerer

T0 = 1_000_000.0
NOW = T0 + 900.0


def obj(name, count=1, synset='', **attributes):
    return Label(OBJECT, name, count, synset=synset, attributes=attributes)


def clip(id_, start, labels):
    return MemoryItem(id=id_, kind='clip', start=start, end=start + 10, labels=labels, text='')


DOG = obj('golden retriever', 1, 'golden_retriever.n.01', categories=['dog', 'animal'],
          colours=['gold'], position='left')
EARLY = [clip(f'yard-{n}', T0 + 10 * n, [DOG, obj('bench', 1, 'bench.n.01',
                                                 categories=['furniture'])])
         for n in range(3)] + [
    clip('porch', T0 + 60, [obj('person', 1, 'person.n.01', categories=['person'],
                                clothing=[{'upper': 'red', 'lower': 'blue'}]),
                            Label(SOUND, 'Doorbell', 1)])]
LATE = [clip(f'office-{n}', NOW - 100 + 10 * n, [obj('laptop', 1, 'laptop.n.01'),
                                                  obj('chair', 2, 'chair.n.01')])
        for n in range(5)]


@pytest.fixture(scope='module')
def compressed(tmp_path_factory, embedder):
    from omnilive.memory.store import MemoryStore
    store = MemoryStore(tmp_path_factory.mktemp('longterm') / 'mem', embedder,
                        short_term_window_s=300.0)
    store.insert(EARLY + LATE)
    store.remember('my keys are in the top drawer', T0 + 30)
    Compressor(store).run(NOW)
    yield store
    store.close()


def test_early_clips_became_episodes_that_keep_synsets_and_attributes(compressed):
    early = compressed.retrieve('', top_k=20, since=T0, until=T0 + 100, now=NOW)
    assert {i.kind for i in early} == {'episode', 'note'}, [(i.id, i.kind) for i in early]
    dogs = [lab for i in early for lab in i.labels if lab.name == 'golden retriever']
    assert dogs and dogs[0].synset == 'golden_retriever.n.01'
    assert dogs[0].attributes['categories'] == ('dog', 'animal')
    assert dogs[0].attributes['colours'] == ('gold',)
    people = [lab for i in early for lab in i.labels if lab.name == 'person']
    assert people and people[0].attributes['clothing'][0]['upper'] == 'red'


@pytest.mark.parametrize('question, expected', [
    ('What did I ask you to remember?', 'You asked me to remember: my keys are in the top '
                                        'drawer.'),
    ('Where are my keys?', 'You told me about 14 minutes ago: my keys are in the top drawer.'),
    ('What did you see at the start?', 'a golden retriever'),
    ('What was the first thing you saw?', 'The first thing I saw was a bench and a golden '
                                          'retriever, about 14 minutes ago'),
    ('Which animals did you see?', 'I saw a golden retriever about 14 minutes ago.'),
    ('What colour was the dog?', 'The golden retriever was gold, about 14 minutes ago.'),
    ('Did you see a dog?', 'Yes, I saw a golden retriever about 14 minutes ago.'),
    ('What did you see when the doorbell rang?', 'I saw a person'),
    ('How many chairs did you see?', 'I saw 2 chairs at once, about 50 seconds ago.'),
])
def test_questions_about_the_first_minutes(compressed, question, expected):
    def retrieve(query, top_k, since, until, kinds):
        return compressed.retrieve(query, top_k=top_k, since=since, until=until, kinds=kinds,
                                   now=NOW)
    answerer = Answerer(retrieve, None, config=AnswerConfig(),
                        start_of_memory=lambda: T0)
    answer = answerer.answer(question, NOW).answer
    assert expected in answer, answer


def test_an_episode_label_takes_synset_and_attributes_from_the_first_clip_that_has_them():
    from types import SimpleNamespace

    from omnilive.memory.compressor import merge_labels
    rows = [SimpleNamespace(labels=[obj('dog', 1)]),  # a clip stored before attributes
            SimpleNamespace(labels=[obj('dog', 2, 'dog.n.01', categories=['dog', 'animal'])])]
    dog, = merge_labels(rows)
    assert (dog.count, dog.synset, dog.attributes['categories']) == (2, 'dog.n.01',
                                                                      ('dog', 'animal'))
