"""Turning typed labels (omnilive.memory.types.Label) into the short captions stored in memory."""
from __future__ import annotations

from typing import Iterable

from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label

_PLURALS = {'person': 'people', 'bus': 'buses', 'wine glass': 'wine glasses', 'knife': 'knives',
            'mouse': 'mice', 'sheep': 'sheep', 'skis': 'skis', 'scissors': 'scissors'}


def plural(label: str, count: int) -> str:
    if count == 1:
        return f'a {label}' if label[0] not in 'aeiou' else f'an {label}'
    noun = _PLURALS.get(label, label + ('es' if label.endswith(('s', 'sh', 'ch')) else 's'))
    return f'{count} {noun}'


def split_labels(labels: Iterable[Label]):
    """(objects {name: most seen at once}, texts read, sounds, speech) of typed labels."""
    objects, texts, sounds, said = {}, [], [], []
    for label in labels:
        if label.kind == OBJECT:
            objects[label.name] = max(objects.get(label.name, 0), label.count)
        elif label.kind == TEXT:
            texts.append(label.name)
        elif label.kind == SOUND:
            sounds.append(label.name)
        elif label.kind == SPEECH:
            said.append(label.name)
    return objects, texts, sounds, said


def caption(labels: Iterable[Label], max_objects: int = 6) -> str:
    """'2 people and a car; a sign reads "EXIT"; heard a Telephone'

    from typed labels."""
    objects, texts, sounds, said = split_labels(list(labels))
    parts = []
    ranked = sorted(objects.items(), key=lambda kv: (-kv[1], kv[0]))[:max_objects]
    names = [plural(label, max(count, 1)) for label, count in ranked]
    if names:
        parts.append(names[0] if len(names) == 1 else ', '.join(names[:-1]) + ' and ' + names[-1])
    if texts:
        parts.append('text reads ' + ', '.join(f'"{t}"' for t in texts[:6]))
    if sounds:
        parts.append('heard ' + ', '.join(s.lower() for s in sounds[:6]))
    if said:
        parts.append('someone said ' + ' / '.join(f'"{s}"' for s in said[:3]))
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
    return phrase


def _join(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ', '.join(phrases[:-1]) + ' and ' + phrases[-1]


def _people_phrase(label: Label) -> str:
    """'2 people on the left, one in a red top and blue trousers'."""
    attrs = label.attributes
    count = max(label.count, 1)
    where = f" {'in the' if attrs.get('position') == 'centre' else 'on the'} " \
            f"{attrs.get('position')}" if attrs.get('position') else ''
    worn = list(attrs.get('clothing') or [])
    dress = ''
    if worn:
        pieces = [f'a {worn[0]["upper"]} top'] if worn[0].get('upper') else []
        if worn[0].get('lower'):
            pieces.append(f'{worn[0]["lower"]} trousers')
        dress = ' and '.join(pieces)
    if count == 1:
        return f'a person{where}' + (f' in {dress}' if dress else '')
    return f'{plural("person", count)}{where}' + (f', one in {dress}' if dress else '')


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
    refined: dict[str, int] = {}
    for lab in objects:
        if lab.attributes.get('refines'):
            key = lab.attributes['refines']
            refined[key] = refined.get(key, 0) + max(lab.count, 1)
    people = [lab for lab in objects if lab.name == 'person']
    things = [lab for lab in objects if lab.name != 'person'
              and refined.get(lab.name, 0) < max(lab.count, 1)]
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
