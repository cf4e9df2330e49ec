"""Turning typed labels (omnilive.memory.types.Label) into the short captions stored in memory."""
from __future__ import annotations

import re
from typing import Iterable

from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label

IRREGULAR_PLURALS = {
    'person': 'people', 'man': 'men', 'woman': 'women', 'child': 'children', 'mouse': 'mice',
    'foot': 'feet', 'tooth': 'teeth', 'goose': 'geese', 'knife': 'knives', 'leaf': 'leaves',
    'wolf': 'wolves', 'shelf': 'shelves', 'loaf': 'loaves', 'calf': 'calves', 'half': 'halves',
    'life': 'lives', 'wife': 'wives', 'potato': 'potatoes', 'tomato': 'tomatoes',
    'hero': 'heroes', 'cactus': 'cacti', 'bus': 'buses'}
_SAME = {'sheep', 'fish', 'deer', 'moose', 'scissors', 'glasses', 'skis', 'trousers', 'pants',
         'jeans', 'shorts', 'aircraft', 'series', 'species', 'sweets'}
# things not counted, said without an article ("food", "coffee", "applause"): labels of
# WordNet categories and AudioSet classes that "a" would make wrong ("I saw a food")
MASS = {'food', 'foodstuff', 'produce', 'coffee', 'tea', 'water', 'milk', 'juice', 'wine',
        'beer', 'bread', 'meat', 'rice', 'pasta', 'soup', 'cheese', 'cream', 'chocolate',
        'sugar', 'salt', 'dough', 'furniture', 'clothing', 'equipment', 'kitchenware',
        'tableware', 'cookware', 'luggage', 'baggage', 'money', 'jewelry', 'jewellery',
        'hardware', 'music', 'applause', 'laughter', 'thunder', 'rain', 'wind', 'static',
        'gunfire', 'traffic', 'chatter', 'speech', 'grass', 'sand', 'snow', 'smoke', 'steam',
        # plural in form: "I heard footsteps", "I saw scissors" (AudioSet's 'Mechanisms')
        'scissors', 'glasses', 'trousers', 'pants', 'jeans', 'shorts', 'skis', 'sweets',
        'footsteps', 'fireworks', 'mechanisms', 'gears', 'pulleys', 'tools', 'dishes',
        'cutlery', 'silverware', 'cattle', 'livestock'}


def plural(name: str, count: int) -> str:
    """'a cat', 'an Egyptian cat', '2 butterflies', '3 Old World monkeys', '2 people', 'brown
    food': a label said with its count (the last word takes the plural)."""
    name = name.strip()
    if count == 1:
        if name.rpartition(' ')[2].lower() in MASS:
            return name
        return f'{"an" if name[:1].lower() in "aeiou" else "a"} {name}'
    head, _, last = name.rpartition(' ')
    low = last.lower()
    if low in IRREGULAR_PLURALS:
        word = IRREGULAR_PLURALS[low]
    elif low in _SAME or low in MASS and low.endswith('s'):
        word = last
    elif re.search(r'[^aeiou]y$', low):
        word = last[:-1] + 'ies'
    elif re.search(r'(s|x|z|ch|sh)$', low):
        word = last + 'es'
    else:
        word = last + 's'
    return f'{count} {head + " " if head else ""}{word}'


def refinements(labels: Iterable[Label]) -> dict[str, int]:
    """{detector label: instances of it that classifier labels name more finely} (a 'cat' box
    the classifier called a 'domestic cat' refines 'cat' once: one cat, not two things)."""
    refined: dict[str, int] = {}
    for lab in labels:
        key = lab.attributes.get('refines') if lab.kind == OBJECT else None
        if key:
            refined[key] = refined.get(key, 0) + max(lab.count, 1)
    return refined


def unrefined(labels: Iterable[Label]) -> list[Label]:
    """The labels but a detector label whose every instance a finer label names
    (`refinements`): what was seen, each thing once and by its finest name."""
    labels = list(labels)
    refined = refinements(labels)
    return [lab for lab in labels
            if lab.kind != OBJECT or refined.get(lab.name, 0) < max(lab.count, 1)]


def split_labels(labels: Iterable[Label]):
    """(objects {name: most seen at once}, texts read, sounds, speech) of typed labels, each
    thing once (`unrefined`)."""
    objects, texts, sounds, said = {}, [], [], []
    for label in unrefined(labels):
        if label.kind == OBJECT:
            objects[label.name] = max(objects.get(label.name, 0), label.count)
        elif label.kind == TEXT:
            texts.append(label.name)
        elif label.kind == SOUND:
            sounds.append(label.name)
        elif label.kind == SPEECH:
            said.append(label.name)
    return objects, texts, sounds, said


SPOKEN_TEXTS = 3  # texts read that a spoken caption names


def caption(labels: Iterable[Label], max_objects: int = 6, spoken: bool = False) -> str:
    """'2 people and a car; text reads "EXIT"; heard a Telephone'

    from typed labels; `spoken`: as the object of "I saw" ('... and a sign reading "EXIT"')."""
    objects, texts, sounds, said = split_labels(list(labels))
    parts = []
    ranked = sorted(objects.items(), key=lambda kv: (-kv[1], kv[0]))[:max_objects]
    names = [plural(label, max(count, 1)) for label, count in ranked]
    if names:
        parts.append(names[0] if len(names) == 1 else ', '.join(names[:-1]) + ' and ' + names[-1])
    if texts and spoken:  # said aloud: each text once (not a word of a longer one), a few
        lower = [t.lower() for t in texts]
        kept = [t for t, low in zip(texts, lower)
                if not any(low != other and low in other for other in lower)]
        parts.append('a sign reading ' + ', '.join(f'"{t}"' for t in kept[:SPOKEN_TEXTS]))
    elif texts:
        parts.append('text reads ' + ', '.join(f'"{t}"' for t in texts[:6]))
    if sounds:
        parts.append('heard ' + ', '.join(s.lower() for s in sounds[:6]))
    if said:
        parts.append('someone said ' + ' / '.join(f'"{s}"' for s in said[:3]))
    if spoken and len(parts) == 2:  # "2 cups and a sign reading "EXIT""
        return parts[0] + (', and ' if ' and ' in parts[0] else ' and ') + parts[1]
    return '; '.join(parts) if parts else 'nothing notable'


# --------------------------------------------------------------------- clip captions from facts
_POSITIONS = ('left', 'centre', 'right')


def _article(word: str) -> str:
    return 'an' if word[:1].lower() in 'aeiou' else 'a'


def _object_phrase(label: Label, count: int) -> str:
    """'a white cup', '2 red cars', 'a golden retriever (dog)'."""
    attrs = label.attributes
    colour = (list(attrs.get('colours') or []) or [''])[0]
    noun = label.name if count == 1 else plural(label.name, count).split(' ', 1)[1]
    if colour in label.name.lower().split():
        colour = ''                   # not 'an orange orange'
    words = ' '.join(w for w in (colour, noun) if w)
    phrase = f'{_article(words)} {words}' if count == 1 else f'{count} {words}'
    kinds = [c for c in attrs.get('categories') or [] if c != 'person']
    if attrs.get('source') in ('classifier', 'scene') and kinds and \
            kinds[0] not in label.name.lower():
        phrase += f' ({kinds[0]})'    # what kind of thing a fine name is: searchable
    surfaces = [other for relation, other in attrs.get('relations') or [] if relation == 'on']
    if surfaces:
        phrase += f' on {_article(surfaces[0])} {surfaces[0]}'
    return phrase


def _join(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ', '.join(phrases[:-1]) + ' and ' + phrases[-1]


def _person_words(person: dict) -> str:
    """'in a green top and blue trousers walking, holding a cup' from one entry of a person
    label's 'people' attribute (omnilive.vision.people)."""
    worn = person.get('clothing') or {}
    pieces = [f'{_article(worn["upper"])} {worn["upper"]} top'] if worn.get('upper') else []
    if worn.get('lower'):
        pieces.append(f'{worn["lower"]} trousers')
    words = ['in ' + ' and '.join(pieces)] if pieces else []
    doing = person.get('activity') or person.get('posture')
    if doing:
        words.append(doing)
    if doing == 'walking' and person.get('heading'):
        words.append(person['heading'])       # 'walking to the left'
    if person.get('arms') == 'waving':
        words.append('waving')
    elif person.get('arms') == 'raised':
        words.append('with an arm raised')
    text = ' '.join(words)
    held = list(person.get('holding') or [])
    if held:
        text += (', ' if text else '') + 'holding ' + ' and '.join(
            f'{_article(h)} {h}' for h in held)
    return text


def _people_phrase(label: Label) -> str:
    """'a person in a green top walking on the left, holding a cup'; '2 people on the left,
    one in a red top and blue trousers'."""
    attrs = label.attributes
    count = max(label.count, 1)
    people = [dict(p) for p in attrs.get('people') or []]
    if not people and attrs.get('clothing'):
        people = [{'clothing': dict(attrs['clothing'][0])}]
    position = attrs.get('position')
    if count == 1 and people and people[0].get('position'):
        position = people[0]['position']
    where = f" {'in the' if position == 'centre' else 'on the'} {position}" if position else ''
    described = [w for w in (_person_words(p) for p in people[:2]) if w]
    if count == 1:
        if not described:
            return f'a person{where}'
        head, _, held = described[0].partition(', holding')
        return f'a person {head}{where}'.replace('  ', ' ') + \
            (f', holding{held}' if held else '')
    return f'{plural("person", count)}{where}' + ''.join(
        f', {"one" if i == 0 else "another"} {w}' for i, w in enumerate(described))


def clip_caption(labels: Iterable, max_words: int = 40, max_objects: int = 5) -> str:
    """A clip's caption from its facts: 'A white cup and a brown dining table in the centre;
    2 people on the left, one in a red top and blue trousers; text reading "EXIT"; heard
    telephone.' Objects are grouped by position (left, centre, right), people after them.
    A detector label is left out when a classifier label names all its instances more finely
    (its 'refines'). Objects are dropped, least seen first, until the caption has at most
    `max_words` words. Labels without facts (no 'position' attribute) get `caption`'s form."""
    labels = list(labels)
    objects = [lab for lab in labels if lab.kind == OBJECT]
    if not any('position' in lab.attributes for lab in objects):
        return caption(labels)
    texts = [lab.name for lab in labels if lab.kind == TEXT]
    sounds = [lab.name for lab in labels if lab.kind == SOUND]
    said = [lab.name for lab in labels if lab.kind == SPEECH]
    people = [lab for lab in objects if lab.name == 'person']
    things = [lab for lab in unrefined(objects) if lab.name != 'person']
    source_rank = {'detector': 0, 'classifier': 0, 'scene': 1}
    things.sort(key=lambda lab: (source_rank.get(lab.attributes.get('source'), 0),
                                 -lab.count, -lab.score, lab.name))
    tail = []
    if texts:
        tail.append('text reading ' + ', '.join(f'"{t}"' for t in texts[:3]))
    if sounds:
        tail.append('heard ' + ', '.join(s.lower() for s in sounds[:3]))
    if said:
        tail.append('someone said ' + ' / '.join(
            '"' + ' '.join(s.split()[:10]) + ('..."' if len(s.split()) > 10 else '"')
            for s in said[:2]))

    def build(n: int) -> str:
        parts = []
        for where in _POSITIONS:
            here = [_object_phrase(lab, max(lab.count, 1)) for lab in things[:n]
                    if lab.attributes.get('position', 'centre') == where]
            if here:
                parts.append(_join(here) + (' in the centre' if where == 'centre'
                                            else f' on the {where}'))
        parts += [_people_phrase(lab) for lab in people[:1]]
        text = '; '.join(parts + tail) or 'nothing notable'
        return text[0].upper() + text[1:] + '.'

    n = min(len(things), max_objects)
    text = build(n)
    while n > 1 and len(text.split()) > max_words:
        n -= 1
        text = build(n)
    return text
