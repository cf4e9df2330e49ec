"""What the rules of omnilive.reasoning.direct share: the labels of retrieved items as
mentions (`Mention`, `labels_of`, `item_keys`) and which of them name the thing a question asks
about (`_matching`, `_mentions`, `_could_be`), how they are said in an answer (`_some`, `_and`,
`position_phrase`, `a_sound`, `_quote`, `_when_each`), and the patterns that tell what kind of
question it is (`YES_NO`, `WHY`, `PERCEIVED`). It answers nothing itself.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable, Optional

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, Label, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import relative

YES_NO = re.compile(r'\s*(did|do|does|have|has|had|was|were|is|are)\b|'
                    r'\s*(?:can|could) you (?:see|hear|spot|notice)\b', re.IGNORECASE)
WHY = re.compile(r'\s*(why|how come)\b', re.IGNORECASE)
# a question about what the robot perceived (not about what it was told)
PERCEIVED = re.compile(r"\b(see|saw|seen|sees|notice|noticed|look|looked|looking|watch|watched|"
                       r"spot|spotted|visible|hear|heard|hears|there)\b", re.IGNORECASE)


@dataclasses.dataclass
class Mention:
    """A label of a retrieved item, with the item (its time and score)."""

    kind: str        # a label kind: OBJECT, TEXT, SOUND or SPEECH
    name: str        # 'cup', 'NOTICE', 'Telephone', 'Yes, I will meet you at noon.'
    count: int
    item: MemoryItem
    label: Optional[Label] = None  # the label itself (its synset and attributes)


def labels_of(item: MemoryItem) -> list[Mention]:
    """The item's labels, each thing once by its finest name (a detector's 'apple' box the
    classifier called a citrus fruit is the citrus fruit); a speech item's words are what was
    said."""
    out = [Mention(label.kind, label.name, label.count, item, label)
           for label in describe.unrefined(item.labels)]
    if item.kind == 'speech' and item.text:
        out.append(Mention(SPEECH, item.text, 0, item, None))
    return out


def item_keys(item: MemoryItem) -> set[str]:
    """Stems of everything an item says (labels, their categories and text): what relevance is
    checked against ("which animals?" keeps the clip of a golden retriever)."""
    keys = lang.text_keys(item.text)
    for label in item.labels:
        keys |= lang.text_keys(label.name)
        if label.kind in (OBJECT, SOUND):
            for category in questions.categories_of(label):
                keys |= lang.text_keys(category)
    return keys


def _matching(items: list[MemoryItem], kind: str, keys: set[str],
              thing: Optional[Thing] = None) -> list[Mention]:
    """Labels of `kind` that are `thing` with nothing asked left unchecked (questions.match), or
    without a thing, that share a word with `keys`."""
    if thing is not None:
        return [m for m, found in _mentions(items, kind, thing) if not found.unchecked]
    return [label for item in items for label in labels_of(item)
            if label.kind == kind and lang.text_keys(label.name) & keys]


def _could_be(items: list[MemoryItem], thing: Thing, kind: str = OBJECT) -> list[Mention]:
    """Labels of `kind` more general than `thing` (questions.could_be): a sports ball seen may
    be the basketball asked about, an insect heard the bee."""
    return [m for item in items for m in labels_of(item) if m.kind == kind and
            m.label is not None and questions.could_be(m.label, thing.words)]


def _may_be(broader: list[Mention], what: str, now: float) -> str:
    """"I saw a sports ball ..., but I cannot tell whether it was a basketball": the latest
    label more general than what was asked (`_could_be`), said as neither shown nor denied."""
    m = max(broader, key=lambda m: m.item.end)
    return f'I saw {_some(m)} {relative(m.item.end, now)}, but I cannot tell whether ' \
           f'{"any" if m.count > 1 else "it"} was {lang.plural(what, 1)}.'


def person_doing(words: tuple[str, ...]) -> Optional[str]:
    """'crossing the street' of a thing asked as ('person', 'crossing', 'street'): "was anyone
    crossing the street?", "did anyone answer the phone?"; None for other things."""
    if len(words) < 2 or words[0] != 'person':
        return None
    verb = words[1] if words[1].endswith('ing') else lang.ing(words[1])
    return f'{verb} the {" ".join(words[2:])}' if len(words) > 2 else verb


def _companions(m: Mention, thing: Thing) -> list[Mention]:
    """The other labels of `m`'s item that are `thing`, else those that may be it."""
    return [c for c, found in _mentions([m.item], OBJECT, thing)
            if not found.unchecked and c.label is not m.label] or \
        [c for c in _could_be([m.item], thing) if c.label is not m.label]


def _mentions(items: list[MemoryItem], kind: str, thing: Thing
              ) -> list[tuple[Mention, questions.Match]]:
    """Every label of `kind` that names `thing`, with how (questions.match)."""
    out = []
    for item in items:
        for mention in labels_of(item):
            if mention.kind != kind or mention.label is None:
                continue
            found = questions.match(thing, mention.label, sound=kind == SOUND)
            if found is not None:
                out.append((mention, found))
    return out


def _best(labels: list[Mention], keys: set[str]) -> Mention:
    """The label sharing most words with the question; the newest on ties."""
    return max(labels, key=lambda m: (len(lang.text_keys(m.name) & keys), m.item.end))


def a_sound(name: str) -> str:
    """'a telephone' for the AudioSet class 'Telephone' ('Crumpling, crinkling': its first
    name)."""
    return lang.plural(lang.sound_name(name), 1)


def _may_be_seen(items: list[MemoryItem], thing: Thing) -> bool:
    """An object label is `thing`, or may be it (_could_be)."""
    return bool(_mentions(items, OBJECT, thing) or _could_be(items, thing))


def _last_of_each(keyed, when: Callable) -> dict:
    """Each (key, value) pair's key -> its last value by `when`, ordered by that time:
    each sign text, each thing, each thing in a colour once, as last seen (earliest first)."""
    last: dict = {}
    for key, value in sorted(keyed, key=lambda kv: when(kv[1])):
        last.pop(key, None)
        last[key] = value
    return last


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ', '.join(words[:-1]) + ' and ' + words[-1]


def _some(m: Mention, colour: Optional[str] = None) -> str:
    """'a car', '2 red cars', '2 people in white': a label as said in an answer (a person's
    colours are those of their clothes)."""
    if colour and m.name.lower() == 'person':
        return f'{lang.plural(m.name, max(1, m.count))} in {colour}'
    name = f'{colour} {m.name}' if colour else m.name
    return lang.plural(name, max(1, m.count))


def position_phrase(position: str) -> str:
    """'in the centre', 'on the left': a label's position as said."""
    return 'in the centre' if position == 'centre' else f'on the {position}'


def _pronoun(m: Mention) -> str:
    return 'they' if m.count > 1 or m.name.lower() == 'person' else 'it'


PLACES_LISTED = 4  # "what was on the left?": the latest this many things


def _main_sound(m: Mention) -> Optional[str]:
    """The class a sound event was heard as, when sound label `m` is only one of the other
    classes it also sounded like (a sound item's first label is its own); else None."""
    main = next((lab for lab in m.item.labels if lab.kind == SOUND), None) \
        if m.item.kind == 'sound' else None
    return None if main is None or main is m.label else main.name


SOUNDS_LISTED = 5  # the latest this many


def _latest_first(named: list[tuple[str, MemoryItem]]) -> list[tuple[str, MemoryItem]]:
    """Each name once, with its latest item, the latest first."""
    return sorted(_last_of_each(named, lambda i: i.end).items(), key=lambda wi: -wi[1].end)


def _when_each(latest: list[tuple[str, MemoryItem]], now: float) -> str:
    """'a crow (about 40 seconds ago) and a pig (about 2 minutes ago)': the first
    SOUNDS_LISTED of `latest` (_latest_first), each with when."""
    return _and([f'{w} ({relative(i.end, now)})' for w, i in latest[:SOUNDS_LISTED]])


def _quote(text: str) -> str:
    """'"Yes, I will meet you at noon."' with a full stop after the quote only when it has none."""
    text = text.strip()
    return f'"{text}"' if text[-1:] in '.!?' else f'"{text}".'
