"""Multiple-choice questions memory tells apart: the choice the retrieved items support
(`choose`), or the one seen first or last when the question asks for an order
(`order_asked`).
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from omnilive.memory.types import OBJECT, SOUND, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions
from omnilive.reasoning.direct.mentions import item_keys
from omnilive.reasoning.timephrases import relative

_FIRST = re.compile(r'\b(first|earliest|earlier|sooner)\b', re.IGNORECASE)
_LAST = re.compile(r'\b(last|latest|later|most recently|final)\b', re.IGNORECASE)


def order_asked(question: str) -> Optional[str]:
    """'first' or 'last' when a question asks which of its choices came first or last ("which
    did you see first?", "which one did you hear most recently?"), else None. A question
    anchored on an event ("which did you see before the alarm?") is not an order question."""
    anchored = events.parse(question)  # "which came first?" is parsed as memory's first
    if anchored is not None and anchored.relation not in ('first', 'last') or \
            not re.match(r'\s*(which|what)\b', question, re.IGNORECASE):
        return None
    first, last = _FIRST.search(question), _LAST.search(question)
    if bool(first) == bool(last):
        return None
    return 'first' if first else 'last'


_SEEN_VERB = re.compile(r'\b(see|saw|seen|spot|spotted|notice|noticed|look|looked|watch|'
                        r'watched|observe|observed)\b', re.IGNORECASE)


def perceived(question: str) -> tuple[str, ...]:
    """The label kinds a question's verb asks about: sounds for "which did you hear first?",
    things seen for "... see first?", both for "which came first?"."""
    if lang.asks_heard(question):
        return (SOUND,)
    return (OBJECT,) if _SEEN_VERB.search(question) else (OBJECT, SOUND)


def _found(choices: list[str], retrieve: Callable[[str], list[MemoryItem]],
           order: Optional[str] = None, kinds: tuple[str, ...] = (OBJECT, SOUND)
           ) -> tuple[list[float], list[list[MemoryItem]]]:
    """Each choice looked up: the share of its words the best retrieved item covers, and the
    items that cover that much. For an order, only by the things of `kinds` (seen, heard): a
    sign reading "Car Parks" is no car seen."""
    def said(item: MemoryItem) -> set[str]:
        return item_keys(item) if order is None else _thing_keys(item, kinds)
    coverage, support = [], []
    for choice in choices:
        # a choice is a thing: "the camera" is one here ("which did you hear last, the alarm
        # or the camera?"), not the robot's own view
        keys = lang.keys(choice) | {lang.key(w) for w in re.findall(r'[a-z]+', choice.lower())
                                    if w in questions.OWN_THINGS}
        items = retrieve(choice) if keys else []
        scored = [(len(keys & said(i)) / len(keys), i) for i in items]
        best = max((c for c, _ in scored), default=0.0)
        coverage.append(best)
        support.append([i for c, i in scored if best > 0 and c == best])
    return coverage, support


def _thing_keys(item: MemoryItem, kinds: tuple[str, ...]) -> set[str]:
    """Stems of the things of `kinds` (seen, heard) an item holds, and their categories."""
    keys = set()
    for label in item.labels:
        if label.kind in kinds:
            keys |= lang.text_keys(label.name)
            for category in questions.categories_of(label):
                keys |= lang.text_keys(category)
    return keys


def choose(choices: list[str], retrieve: Callable[[str], list[MemoryItem]],
           order: Optional[str] = None, kinds: tuple[str, ...] = (OBJECT, SOUND)
           ) -> tuple[Optional[int], list[MemoryItem]]:
    """The one choice memory supports, with the items that support it: each choice is looked up,
    and the choice whose words are best covered by a retrieved item wins, if it covers at least
    half of them and no other choice is covered as well. With `order` ('first' / 'last': "which
    did you see first?"), of the choices memory holds, the one seen earliest / latest (all
    must have been found, at different times, as things of `kinds`: `perceived`). (None, [])
    when memory cannot tell the choices apart."""
    coverage, support = _found(choices, retrieve, order, kinds)
    if order is not None:
        return _ordered_choice(coverage, support, order)
    ranked = sorted(range(len(choices)), key=lambda i: -coverage[i])
    top = ranked[0]
    if coverage[top] >= 0.5 and (len(ranked) == 1 or coverage[top] > coverage[ranked[1]]):
        return top, support[top]
    return None, []


def unordered(choices: list[str], retrieve: Callable[[str], list[MemoryItem]], order: str,
              kinds: tuple[str, ...], now: float) -> Optional[str]:
    """Why "which did you see first, the car or the bicycle?" has no choice for an answer: one
    of them was never seen ("I have no record of seeing the bicycle, ... I first saw the car
    ..."), or they were seen together. None when none was found (nothing to say but that)."""
    coverage, support = _found(choices, retrieve, order, kinds)
    found = [n for n, c in enumerate(coverage) if c >= 0.5]
    if not found:
        return None
    first = order == 'first'
    verb, perceiving = {(SOUND,): ('heard', 'hearing'), (OBJECT,): ('saw', 'seeing')}.get(
        kinds, ('noticed', 'noticing'))

    def when(n: int) -> float:
        return min(i.start for i in support[n]) if first else max(i.end for i in support[n])
    missing = [choices[n] for n in range(len(choices)) if n not in found]
    if missing:
        said = '; '.join(f'I {order} {verb} {choices[n]} {relative(when(n), now)}'
                         for n in found)
        return f'I have no record of {perceiving} ' \
               f'{" or ".join(missing)}, so I cannot tell which came {order}. {said[0].upper()}' \
               f'{said[1:]}.'
    times = {n: when(n) for n in found}
    if len(set(times.values())) == 1:
        return f'I {verb} {" and ".join(choices)} at the same time, ' \
               f'{relative(next(iter(times.values())), now)}.'
    return None


def _ordered_choice(coverage: list[float], support: list[list[MemoryItem]], order: str
                    ) -> tuple[Optional[int], list[MemoryItem]]:
    """The choice seen first (or last) of those memory holds: every choice must be found (one
    never seen cannot be ordered against the others), the earliest (latest) strictly so."""
    if any(c < 0.5 for c in coverage):
        return None, []
    first = order == 'first'
    times = [min(i.start for i in items) if first else max(i.end for i in items)
             for items in support]
    ranked = sorted(range(len(times)), key=lambda i: times[i] if first else -times[i])
    if len(ranked) > 1 and times[ranked[0]] == times[ranked[1]]:
        return None, []  # seen together: no order between them
    return ranked[0], support[ranked[0]]
