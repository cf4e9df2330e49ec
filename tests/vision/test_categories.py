"""WordNet categories of classifier and detector labels (WordNet 3.0 through nltk)."""
import pytest

from omnilive.models import registry
from omnilive.vision import categories


@pytest.fixture(scope='module', autouse=True)
def wordnet():
    return categories.wordnet()


def test_wnid_to_synset():
    assert categories.synset_of_wnid('n02099601') == 'golden_retriever.n.01'
    assert categories.synset_of_wnid('n07749582') == 'lemon.n.01'
    with pytest.raises(ValueError):
        categories.synset_of_wnid('golden retriever')


def test_hypernyms_nearest_first():
    up = categories.hypernyms('golden_retriever.n.01')
    assert up[0] == 'retriever.n.01'
    assert up.index('dog.n.01') < up.index('animal.n.01') < up.index('entity.n.01')
    assert 'golden_retriever.n.01' not in up
    assert categories.direct_hypernyms('golden_retriever.n.01') == ['retriever.n.01']


def test_checked_facts():
    up = categories.hypernyms('fox_squirrel.n.01')
    assert up.index('rodent.n.01') < up.index('mammal.n.01') < up.index('animal.n.01')
    assert categories.is_a('fox_squirrel.n.01', 'animal')
    assert categories.is_a('fox_squirrel.n.01', 'rodent.n.01')
    assert categories.is_a('lemon.n.01', 'fruit')
    assert categories.is_a('minivan.n.01', 'car') and categories.is_a('minivan.n.01', 'vehicle')
    assert categories.categories('minivan.n.01') == ['car', 'vehicle']


def test_categories_most_specific_first():
    assert categories.categories('golden_retriever.n.01') == ['dog', 'animal']
    assert categories.categories('tabby.n.01') == ['cat', 'animal']
    assert categories.categories('lemon.n.01') == ['fruit', 'food']
    assert categories.categories('espresso.n.01')[0] == 'drink'


def test_negatives_and_exclusions():
    assert not categories.is_a('lemon.n.01', 'animal')
    assert not categories.is_a('golden_retriever.n.01', 'food')
    # WordNet files a wheeled vehicle under container: a minivan is not one for us
    assert not categories.is_a('minivan.n.01', 'container')
    assert categories.is_a('coffee_mug.n.01', 'container')
    with pytest.raises(KeyError):
        categories.is_a('lemon.n.01', 'no such category')


def test_every_category_names_existing_synsets():
    wn = categories.wordnet()
    for name, category in categories.CATEGORIES.items():
        for synset in category['synsets'] + category.get('not', []):
            assert wn.synset(synset).pos() == 'n', (name, synset)


def test_coco_labels_map_to_wordnet():
    labels_file = registry.default_path('object_detector').with_name('labels.txt')
    labels = [x for x in labels_file.read_text().split('\n') if x][:80]
    mapping = categories.coco_synsets()
    assert sorted(mapping) == sorted(labels)
    wn = categories.wordnet()
    for label, synset in mapping.items():
        assert wn.synset(synset).pos() == 'n', label
    assert mapping['person'] == 'person.n.01'
    assert categories.is_a(mapping['dining table'], 'table.n.03')  # the furniture
    assert mapping['cell phone'] == 'cellular_telephone.n.01'
    assert categories.synset_of_label('cell phone') == 'cellular_telephone.n.01'
    assert categories.synset_of_label('unicorn') is None
    for label, category in [('dog', 'animal'), ('banana', 'fruit'), ('bus', 'vehicle'),
                            ('couch', 'furniture'), ('laptop', 'electronic device'),
                            ('potted plant', 'plant'), ('tie', 'clothing'),
                            ('broccoli', 'vegetable'), ('scissors', 'tool'),
                            ('bottle', 'container'), ('person', 'person')]:
        assert category in categories.categories(mapping[label]), label


def test_sound_classes_map_to_what_makes_them():
    """The AudioSet classes that name a sound's source, each a YAMNet class and an existing
    noun synset; the first WordNet sense is not taken blindly (a chicken's sound is the bird,
    not its meat; a quack the duck, not a false doctor)."""
    import csv
    class_map = registry.default_path('sound_events').with_name('yamnet_class_map.csv')
    with open(class_map) as f:
        labels = {row['display_name'] for row in csv.DictReader(f)}
    mapping = categories.sound_synsets()
    assert len(mapping) > 150 and not set(mapping) - labels
    wn = categories.wordnet()
    for label, synset in mapping.items():
        assert wn.synset(synset).pos() == 'n', label
    for label, category in [('Chicken, rooster', 'bird'), ('Quack', 'bird'), ('Moo', 'animal'),
                            ('Bee, wasp, etc.', 'insect'), ('Car passing by', 'vehicle'),
                            ('Violin, fiddle', 'musical instrument'), ('Hammer', 'tool'),
                            ('Mouse', 'animal'), ('Vacuum cleaner', 'appliance')]:
        assert category in categories.categories(categories.synset_of_sound(label)), label
    # classes that name a sound and not what made it have none
    assert categories.synset_of_sound('Knock') is None
    assert categories.synset_of_sound('Speech') is None


def test_common_steps_and_the_detector_class_of_a_fine_name():
    assert categories.common_steps('tabby.n.01', 'cat.n.01') == 0
    assert categories.common_steps('coffee_mug.n.01', 'cup.n.01') == 1
    assert categories.common_steps('golden_retriever.n.01', 'cat.n.01') >= 1
    assert categories.coco_label_of('egyptian_cat.n.01') == 'cat'
    assert categories.coco_label_of('moped.n.01') == 'motorcycle'
    assert categories.coco_label_of('espresso.n.01') is None


def test_hedging_names_what_the_scores_support():
    butterflies = [('monarch.n.02', 0.55), ('admiral.n.02', 0.2), ('ringlet.n.04', 0.1),
                   ('lacewing.n.01', 0.05)]
    assert categories.hedge(butterflies, 0.5) == ('monarch.n.02', 0.55)
    node, mass = categories.hedge(butterflies, 0.8)
    assert node == 'butterfly.n.01' and abs(mass - 0.85) < 1e-9
    assert categories.hedge(butterflies, 0.95) is None   # even insect, animal hold only 0.9
    # a modem at 0.67 and other devices: never hedged up to 'device' or 'equipment'
    assert categories.hedge([('modem.n.01', 0.67), ('hard_disc.n.01', 0.3)], 0.9) is None
    assert categories.wnid_and_name('butterfly.n.01') == ('n02274259', 'butterfly')
    # a lemon and an orange hedged up: the fruit, not the tree that 'citrus' also names
    assert categories.wnid_and_name('citrus.n.01')[1] == 'citrus fruit'
    assert categories.name('bus.n.01') == 'bus'   # its first sense: not a 'passenger vehicle'
    assert categories.name('goat.n.01') == 'goat'
