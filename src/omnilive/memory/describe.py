"""Turning structured labels into the short captions stored in memory.

Label conventions shared by perception and memory: object classes are plain labels with their
count ("person": 3); read text is "text:<words>"; sounds are "sound:<AudioSet class>"; speech heard
during a clip is "said:<transcript>". Counts are 0 where a count makes no sense.
"""
from __future__ import annotations

TEXT, SOUND, SAID = 'text:', 'sound:', 'said:'

_PLURALS = {'person': 'people', 'bus': 'buses', 'wine glass': 'wine glasses', 'knife': 'knives',
            'mouse': 'mice', 'sheep': 'sheep', 'skis': 'skis', 'scissors': 'scissors'}


def plural(label: str, count: int) -> str:
    if count == 1:
        return f'a {label}' if label[0] not in 'aeiou' else f'an {label}'
    noun = _PLURALS.get(label, label + ('es' if label.endswith(('s', 'sh', 'ch')) else 's'))
    return f'{count} {noun}'


def split_labels(labels: list[str], counts: list[int]):
    objects, texts, sounds, said = {}, [], [], []
    for label, count in zip(labels, counts):
        if label.startswith(TEXT):
            texts.append(label[len(TEXT):])
        elif label.startswith(SOUND):
            sounds.append(label[len(SOUND):])
        elif label.startswith(SAID):
            said.append(label[len(SAID):])
        else:
            objects[label] = max(objects.get(label, 0), int(count))
    return objects, texts, sounds, said


def caption(labels: list[str], counts: list[int], max_objects: int = 6) -> str:
    """'2 people and a car; a sign reads "EXIT"; heard a Telephone'"""
    objects, texts, sounds, said = split_labels(labels, counts)
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
