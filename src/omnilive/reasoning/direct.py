"""Answers the evidence makes certain, given without the model (`answered_by: direct`).

A note that names what is asked, a count, when something was last seen or heard, what a sign
read, what someone said, whether something was seen or heard, and multiple-choice questions whose
choices memory tells apart. Each reads the typed labels the retrieved items carry (objects with
counts, text read, sounds, speech) and answers in one sentence with the time; anything else
(descriptions, open questions) is left to the model. Words are matched as stems
(omnilive.reasoning.language.key).
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable, Optional

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import timephrases
from omnilive.reasoning.timephrases import clock, relative

YES_NO = re.compile(r'\s*(did|do|does|have|has|had|was|were|is|are)\b', re.IGNORECASE)
WHY = re.compile(r'\s*(why|how come)\b', re.IGNORECASE)
NOTES_LIST = re.compile(r'\b(what|anything)\b.*\b(ask|asked|tell|told)\b.*\bremember\b|'
                        r'\bremind me\b', re.IGNORECASE)


@dataclasses.dataclass
class Mention:
    """A label of a retrieved item, with the item (its time and score)."""

    kind: str        # a label kind: OBJECT, TEXT, SOUND or SPEECH
    name: str        # 'cup', 'NOTICE', 'Telephone', 'Yes, I will meet you at noon.'
    count: int
    item: MemoryItem


def labels_of(item: MemoryItem) -> list[Mention]:
    """The item's labels; a speech item's words are what was said."""
    out = [Mention(label.kind, label.name, label.count, item) for label in item.labels]
    if item.kind == 'speech' and item.text:
        out.append(Mention(SPEECH, item.text, 0, item))
    return out


def item_keys(item: MemoryItem) -> set[str]:
    """Stems of everything an item says (labels and text): what relevance is checked against."""
    keys = lang.text_keys(item.text)
    for label in item.labels:
        keys |= lang.text_keys(label.name)
    return keys


def _matching(items: list[MemoryItem], kind: str, keys: set[str]) -> list[Mention]:
    return [label for item in items for label in labels_of(item)
            if label.kind == kind and lang.text_keys(label.name) & keys]


def _best(labels: list[Mention], keys: set[str]) -> Mention:
    """The label sharing most words with the question; the newest on ties."""
    return max(labels, key=lambda m: (len(lang.text_keys(m.name) & keys), m.item.end))


def _a(name: str) -> str:
    """'a telephone' for the AudioSet class 'Telephone' ('Crumpling, crinkling': its first
    name)."""
    return describe.plural(name.split(',')[0].strip().lower(), 1)


def answer(question: str, items: list[MemoryItem], focus: Optional[str], now: float,
           previous_question: Optional[str] = None) -> Optional[str]:
    """The direct answer to `question` from `items`, or None when the model should answer.

    Tried in this order, the first that the evidence settles wins: the notes listed, what was
    said, a count, what a sign read, when something was seen or heard, a note about what is
    asked, what was seen at a named time, whether something was heard or seen."""
    if WHY.match(question):
        return None  # reasons are not in the labels: the model answers from the evidence
    keys = lang.keys(question) | ({lang.key(focus)} if focus else set())
    heard = lang.asks_heard(f'{previous_question or ""} {question}') and \
        not lang.asks_said(question)
    yes_no = bool(YES_NO.match(question))
    notes = [i for i in items if i.kind == 'note']
    if notes and NOTES_LIST.search(question):
        listed = '; '.join(n.text for n in sorted(notes, key=lambda n: n.start))
        return f'You asked me to remember: {listed}.'
    # a count is settled by counted labels or not at all (a note naming the thing is no count)
    steps = (_count,) if lang.asks_count(question) else \
        (_said, _read, _when, _note, _seen_at, _heard_or_seen)
    for step in steps:
        text = step(question, items, keys, now, heard, yes_no)
        if text:
            return text
    return None


def _said(question, items, keys, now, heard, yes_no) -> Optional[str]:
    if not lang.asks_said(question):
        return None
    said = _matching(items, SPEECH, keys) if keys else \
        [m for i in items for m in labels_of(i) if m.kind == SPEECH]
    if not said:
        return None
    best = _best(said, keys) if keys else max(said, key=lambda m: m.item.score)
    note = _note_about(items, keys)
    if note is not None and len(lang.text_keys(note.text) & keys) > \
            len(lang.text_keys(best.name) & keys):
        return None  # "what did I say about my keys?": the note says it better
    return f'{relative(best.item.end, now).capitalize()} I heard someone say {_quote(best.name)}'


def _count(question, items, keys, now, heard, yes_no) -> Optional[str]:
    counted = lang.asks_count(question)
    if not counted:
        return None
    seen = [m for m in _matching(items, OBJECT, {lang.key(counted)}) if m.count > 0]
    if not seen:
        return None
    best = max(seen, key=lambda m: (m.count, m.item.end))
    if best.count == 1:
        return f'I saw one {best.name}, {relative(best.item.end, now)}.'
    return f'I saw {describe.plural(best.name, best.count)} at once, ' \
           f'{relative(best.item.end, now)}.'


def _read(question, items, keys, now, heard, yes_no) -> Optional[str]:
    if not lang.asks_read(question):
        return None
    signs = [i for i in items if i.labels_of(TEXT)]
    sign = _sign(question, signs, keys)
    if sign is None:
        return None
    texts = ' '.join(sign.names(TEXT))
    return f'{"Yes, t" if yes_no else "T"}he sign read "{texts}", {relative(sign.end, now)}.'


def _when(question, items, keys, now, heard, yes_no) -> Optional[str]:
    if not lang.asks_when(question) or not keys:
        return None
    objects, sounds = _matching(items, OBJECT, keys), _matching(items, SOUND, keys)
    if sounds and (heard or not objects):  # a sound item times a sound better than its clip
        best = max(sounds, key=lambda m: (m.item.kind == 'sound', m.item.end))
        return f'I heard {_a(best.name)} {relative(best.item.end, now)}, ' \
               f'at {clock(best.item.end)}.'
    if objects:
        best = max(objects, key=lambda m: m.item.end)
        return f'I last saw {describe.plural(best.name, max(1, best.count))} ' \
               f'{relative(best.item.end, now)}, at {clock(best.item.end)}.'
    return None


def _note(question, items, keys, now, heard, yes_no) -> Optional[str]:
    note = _note_about(items, keys)
    return f'You told me {relative(note.start, now)}: {note.text}.' if note else None


def _note_about(items: list[MemoryItem], keys: set[str]) -> Optional[MemoryItem]:
    """The note a question is about: one that holds at least half the words the question
    names (the most of them, the newest on ties)."""
    scored = [(len(keys & lang.text_keys(n.text)), n.start, n) for n in items
              if n.kind == 'note' and keys]
    scored = [s for s in scored if s[0] >= max(1, len(keys) / 2)]
    return max(scored, key=lambda s: s[:2])[2] if scored else None


def _seen_at(question, items, keys, now, heard, yes_no) -> Optional[str]:
    """"What do you see now?", "what did you see at the start?": the clip of that time."""
    if keys or not lang.asks_seen(question) or not timephrases.window(question, now, 0.0):
        return None
    clips = [i for i in items if i.kind in ('clip', 'episode')]
    if not clips:
        return None
    start = re.search(r'\b(start|beginning|first)\b', question, re.IGNORECASE)
    clip = min(clips, key=lambda i: i.start) if start else max(clips, key=lambda i: i.end)
    caption = describe.caption([m for m in clip.labels if m.kind not in (SOUND, SPEECH)])
    return f'{relative(clip.end, now).capitalize()} I saw {caption}.'


def _heard_or_seen(question, items, keys, now, heard, yes_no) -> Optional[str]:
    if not yes_no or not keys:
        return None
    if heard:
        sounds = _matching(items, SOUND, keys)
        if sounds:
            best = max(sounds, key=lambda m: (len(lang.text_keys(m.name) & keys), m.item.end))
            return f'Yes, I heard {_a(best.name)} {relative(best.item.end, now)}.'
        return None
    objects = _matching(items, OBJECT, keys)
    if objects:
        best = max(objects, key=lambda m: m.item.end)
        return f'Yes, I saw {describe.plural(best.name, max(1, best.count))} ' \
               f'{relative(best.item.end, now)}.'
    return None


def _quote(text: str) -> str:
    """'"Yes, I will meet you at noon."' with a full stop after the quote only when it has none."""
    text = text.strip()
    return f'"{text}"' if text[-1:] in '.!?' else f'"{text}".'


def _sign(question: str, signs: list[MemoryItem], keys: set[str]) -> Optional[MemoryItem]:
    """The sign the question means: the one sharing its words, else the first or last one it
    names, else the most relevant one retrieved."""
    if not signs:
        return None
    named = [s for s in signs if item_keys(s) & keys]
    if named:
        return max(named, key=lambda s: (len(item_keys(s) & keys), s.score))
    if re.search(r'\bfirst\b', question, re.IGNORECASE):
        return min(signs, key=lambda s: s.start)
    if re.search(r'\b(last|latest|most recent)\b', question, re.IGNORECASE):
        return max(signs, key=lambda s: s.end)
    return max(signs, key=lambda s: s.score)


def choose(choices: list[str], retrieve: Callable[[str], list[MemoryItem]]
           ) -> tuple[Optional[int], list[MemoryItem]]:
    """The one choice memory supports, with the items that support it: each choice is looked up,
    and the choice whose words are best covered by a retrieved item wins, if it covers at least
    half of them and no other choice is covered as well. (None, []) when memory cannot tell the
    choices apart."""
    coverage, support = [], []
    for choice in choices:
        keys = lang.keys(choice)
        items = retrieve(choice) if keys else []
        scored = [(len(keys & item_keys(i)) / len(keys), i) for i in items]
        best = max((c for c, _ in scored), default=0.0)
        coverage.append(best)
        support.append([i for c, i in scored if best > 0 and c == best])
    ranked = sorted(range(len(choices)), key=lambda i: -coverage[i])
    top = ranked[0]
    if coverage[top] >= 0.5 and (len(ranked) == 1 or coverage[top] > coverage[ranked[1]]):
        return top, support[top]
    return None, []
