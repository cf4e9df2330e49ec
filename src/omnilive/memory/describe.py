"""Turning typed labels (omnilive.memory.types.Label) into the short captions stored in memory."""
from __future__ import annotations

from typing import Iterable, Optional

from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label, coerce_labels

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


def caption(labels: Iterable, counts: Optional[list[int]] = None, max_objects: int = 6) -> str:
    """'2 people and a car; a sign reads "EXIT"; heard a Telephone'

    `labels` are Labels; v1 strings with their `counts` are still read (callers not switched)."""
    objects, texts, sounds, said = split_labels(coerce_labels(labels, counts))
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
