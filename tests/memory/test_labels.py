"""Typed labels: the v1 string parser (the migration's), validation, the JSON form the store
keeps, items that take typed labels only, captions and how episodes merge labels. Plain Python,
no models."""
import dataclasses
import json

import pytest

from omnilive.memory import describe
from omnilive.memory.compressor import merge_labels
from omnilive.memory.types import (LABEL_KINDS, OBJECT, SOUND, SPEECH, TEXT, Label, MemoryItem,
                                   labels_from_v1)
from omnilive.vision.clips import ClipBuilder


@pytest.mark.parametrize('legacy, label', [
    ('person', Label(OBJECT, 'person', 3)),
    ('dining table', Label(OBJECT, 'dining table', 3)),
    ('text:EXIT', Label(TEXT, 'EXIT', 3)),
    ('text:GATE: 17', Label(TEXT, 'GATE: 17', 3)),            # only the first colon is a prefix
    ('sound:Baby cry, infant cry', Label(SOUND, 'Baby cry, infant cry', 3)),
    ('said:call me: at noon', Label(SPEECH, 'call me: at noon', 3)),
])
def test_v1_strings_parse_and_print_back(legacy, label):
    assert Label.parse(legacy, 3) == label
    assert label.legacy == legacy


def test_an_empty_v1_label_is_refused():
    with pytest.raises(ValueError, match='a text label needs a non-empty name'):
        Label.parse('text:')


@pytest.mark.parametrize('kwargs, error', [
    (dict(kind='colour', name='red'), 'unknown label kind'),
    (dict(kind=OBJECT, name=''), 'non-empty name'),
    (dict(kind=TEXT, name='   '), 'non-empty name'),
    (dict(kind=OBJECT, name='cup', count=-1), 'whole number'),
    (dict(kind=OBJECT, name='cup', count=1.5), 'whole number'),
    (dict(kind=OBJECT, name='cup', count=True), 'whole number'),
    (dict(kind=OBJECT, name='dog', synset='dog'), 'WordNet'),
    (dict(kind=OBJECT, name='cup', score=float('nan')), 'finite'),
    (dict(kind=OBJECT, name='cup', attributes={'seen': object()}), 'JSON values'),
    (dict(kind=OBJECT, name='cup', attributes={'x': float('inf')}), 'finite'),
])
def test_bad_labels_are_refused_clearly(kwargs, error):
    with pytest.raises((ValueError, TypeError), match=error):
        Label(**kwargs)


def test_json_form_round_trips_and_is_compact():
    full = Label(OBJECT, 'dog', 2, synset='dog.n.01', score=0.75,
                 attributes={'colour': 'brown', 'box': [1, 2, 3, 4], 'pose': {'sitting': True}})
    text = json.dumps(full.to_dict())
    back = Label.from_dict(json.loads(text))
    assert back == full and hash(back) == hash(full)
    assert back.attributes['box'] == (1, 2, 3, 4) and back.attributes['pose']['sitting'] is True
    with pytest.raises(TypeError):
        back.attributes['colour'] = 'black'  # labels are values: frozen all the way down
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.count = 3
    assert Label(TEXT, 'EXIT').to_dict() == {'kind': 'text', 'name': 'EXIT'}
    with pytest.raises(ValueError, match='unknown fields'):
        Label.from_dict({'kind': 'object', 'name': 'cup', 'colour': 'red'})
    assert set(LABEL_KINDS) == {OBJECT, TEXT, SOUND, SPEECH}


def test_items_take_typed_labels_only():
    typed = MemoryItem(id='a', kind='clip', start=0, end=1,
                       labels=[Label(OBJECT, 'person', 3), Label(TEXT, 'EXIT')])
    assert typed.labels_of(TEXT) == [Label(TEXT, 'EXIT')] and typed.names(OBJECT) == ['person']
    assert typed.counts(OBJECT) == {'person': 3} and typed.counts(TEXT) == {'EXIT': 0}
    assert dataclasses.replace(typed, text='x').labels == typed.labels
    # a prefixed string is a v1 label: only the migration reads those (labels_from_v1)
    with pytest.raises(TypeError, match="item b: a label is a Label, not str \\('sound:Siren'"):
        MemoryItem(id='b', kind='sound', start=0, end=1, labels=['sound:Siren'])
    with pytest.raises(TypeError, match='item e: a label is a Label'):
        MemoryItem(id='e', kind='clip', start=0, end=1, labels=[{'kind': 'object'}])
    with pytest.raises(ValueError, match='unknown label kind'):
        typed.labels_of('said')


def test_captions_from_typed_labels():
    labels = [Label(OBJECT, 'person', 3), Label(OBJECT, 'car', 1), Label(TEXT, 'EXIT'),
              Label(SOUND, 'Telephone', 2), Label(SPEECH, 'hello')]
    assert describe.caption(labels) == \
        '3 people and a car; text reads "EXIT"; heard telephone; someone said "hello"'
    assert describe.caption([]) == 'nothing notable'


def test_a_box_named_finely_is_one_thing_not_two():
    # the detector's 'apple' box that the classifier named a citrus fruit (it was a lemon), and
    # a cat box named a domestic cat: said once, by the finer name; an unrefined cup stays
    labels = [Label(OBJECT, 'apple', 1), Label(OBJECT, 'cat', 2), Label(OBJECT, 'cup', 1),
              Label(OBJECT, 'citrus fruit', 1, attributes={'refines': 'apple'}),
              Label(OBJECT, 'domestic cat', 1, attributes={'refines': 'cat'})]
    assert describe.caption(labels) == '2 cats, a citrus fruit, a cup and a domestic cat'
    objects = describe.split_labels(labels)[0]
    assert 'apple' not in objects and objects['cat'] == 2   # one of the 2 cats named only
    from omnilive.reasoning.answerer import _listing
    item = MemoryItem(id='clip-1', kind='clip', start=0.0, end=1.0, text='', labels=labels)
    assert _listing(item, noticed=False) == '2 cats, 1 cup, 1 citrus fruit and 1 domestic cat'


def test_clip_builder_makes_typed_labels():
    clip = ClipBuilder(10.0)
    clip.add_frame(10.5, None, {'person': 2, 'cup': 1}, ['EXIT', '..'])
    clip.add_frame(11.0, None, {'person': 3}, [])
    clip.add_sound('Telephone')
    clip.add_sound('Telephone')
    clip.add_speech('  see you at noon ')
    clip.add_speech('   ')  # an empty transcript makes no label
    item = clip.item()
    assert item.labels == [Label(OBJECT, 'person', 3), Label(OBJECT, 'cup', 1),
                           Label(TEXT, 'EXIT'), Label(SOUND, 'Telephone', 2),
                           Label(SPEECH, 'see you at noon')]
    assert item.text.startswith('3 people and a cup; text reads "EXIT"')


class _Row:  # what merge_labels reads of a stored row
    def __init__(self, labels):
        self.labels = labels


def test_episode_labels_merge_by_kind():
    rows = [_Row([Label(OBJECT, 'person', 2, synset='person.n.01', score=0.6),
                  Label(TEXT, 'STOP'), Label(SOUND, 'Siren', 1)]),
            _Row([Label(OBJECT, 'person', 3, score=0.9), Label(TEXT, 'STOP'),
                  Label(SOUND, 'Siren', 2), Label(SPEECH, 'hello', 0), Label(SOUND, 'Bark', 0)])]
    assert merge_labels(rows) == [
        Label(OBJECT, 'person', 3, synset='person.n.01', score=0.9),  # most seen at once
        Label(TEXT, 'STOP'),                                           # read: once
        Label(SOUND, 'Siren', 3),                                      # heard: times added
        Label(SPEECH, 'hello'),
        Label(SOUND, 'Bark', 1)]


def test_v1_labels_are_read_with_their_counts():
    assert labels_from_v1(['person', 'text:EXIT', 'sound:Siren'], [3, 0, 1]) == [
        Label(OBJECT, 'person', 3), Label(TEXT, 'EXIT'), Label(SOUND, 'Siren', 1)]
    assert labels_from_v1(['cup']) == [Label(OBJECT, 'cup')]
    with pytest.raises(ValueError, match='1 label counts for 2 labels'):
        labels_from_v1(['a', 'b'], [1])
    with pytest.raises(TypeError, match='a v1 label is a string'):
        labels_from_v1([Label(OBJECT, 'cup', 1)])


def test_a_spoken_caption_names_each_text_once_and_a_few():
    labels = [Label(OBJECT, 'car', 1), Label(TEXT, 'PRIORY'), Label(TEXT, 'GALLERIES'),
              Label(TEXT, 'priory galleries at the ship')]
    assert describe.caption(labels, spoken=True) == \
        'a car and a sign reading "priory galleries at the ship"'
    # as stored (embedded, searched): every text, as read
    assert describe.caption(labels) == \
        'a car; text reads "PRIORY", "GALLERIES", "priory galleries at the ship"'
    many = [Label(TEXT, t) for t in 'ABCDE']
    assert describe.caption(many, spoken=True) == 'a sign reading "A", "B", "C"'


@pytest.mark.parametrize('name, one, two', [
    ('cup', 'a cup', '2 cups'), ('orange', 'an orange', '2 oranges'),
    ('brown food', 'brown food', '2 brown foods'), ('coffee', 'coffee', '2 coffees'),
    ('scissors', 'scissors', '2 scissors'), ('Mechanisms', 'Mechanisms', '2 Mechanisms'),
    ('sheep', 'a sheep', '2 sheep'), ('coffee mug', 'a coffee mug', '2 coffee mugs')])
def test_things_not_counted_take_no_article(name, one, two):
    assert (describe.plural(name, 1), describe.plural(name, 2)) == (one, two)
