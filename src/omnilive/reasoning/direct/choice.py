"""Multiple-choice questions memory tells apart: the choice the retrieved items support
(`choose`), or the one seen first or last when the question asks for an order
(`order_asked`).
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from omnilive.memory.types import MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions
from omnilive.reasoning.direct.mentions import item_keys

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


def choose(choices: list[str], retrieve: Callable[[str], list[MemoryItem]],
           order: Optional[str] = None) -> tuple[Optional[int], list[MemoryItem]]:
    """The one choice memory supports, with the items that support it: each choice is looked up,
    and the choice whose words are best covered by a retrieved item wins, if it covers at least
    half of them and no other choice is covered as well. With `order` ('first' / 'last': "which
    did you see first?"), of the choices memory holds, the one seen earliest / latest (all
    must have been found, at different times). (None, []) when memory cannot tell the choices
    apart."""
    coverage, support = [], []
    for choice in choices:
        # a choice is a thing: "the camera" is one here ("which did you hear last, the alarm
        # or the camera?"), not the robot's own view
        keys = lang.keys(choice) | {lang.key(w) for w in re.findall(r'[a-z]+', choice.lower())
                                    if w in questions.OWN_THINGS}
        items = retrieve(choice) if keys else []
        scored = [(len(keys & item_keys(i)) / len(keys), i) for i in items]
        best = max((c for c, _ in scored), default=0.0)
        coverage.append(best)
        support.append([i for c, i in scored if best > 0 and c == best])
    if order is not None:
        return _ordered_choice(coverage, support, order)
    ranked = sorted(range(len(choices)), key=lambda i: -coverage[i])
    top = ranked[0]
    if coverage[top] >= 0.5 and (len(ranked) == 1 or coverage[top] > coverage[ranked[1]]):
        return top, support[top]
    return None, []


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
