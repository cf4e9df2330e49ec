"""Facts inside what was said: exchanges of utterances, and the count, time, day or place a
question about them asks for.

People talk in exchanges: "Did you book the table for Friday?" - "Yes, for seven people at eight
o'clock." The reply's "for seven people" belongs to the question before it, so consecutive
utterances less than EXCHANGE_GAP_S apart are read as one exchange (`exchanges`). A question
whose words are those of an exchange ("For how many people was the table booked?", "What time
did they book the table for?") is answered from it (`answer`): the number, clock time, day or
place the exchange states, read as numbers ("seven" -> 7, "eight o'clock" -> 8 o'clock, "half
past nine" -> 9:30), with what was heard quoted; when it states none, what was heard. Plain
Python, no model.
"""
from __future__ import annotations

import dataclasses
import math
import re
from typing import Optional

from omnilive.audio.transcript import CARDINALS
from omnilive.memory.types import OBJECT, SOUND, SPEECH, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions
from omnilive.reasoning.timephrases import DAYS, relative

EXCHANGE_GAP_S = 5.0   # an utterance beginning this soon after another ended replies to it
MAX_QUOTE_WORDS = 14   # each utterance quoted in an answer, at most
MAX_UTTERANCES = 3     # utterances of an exchange quoted, at most

_UNITS = {w: v for w, v in CARDINALS.items() if v < 20}
_TENS = {w: v for w, v in CARDINALS.items() if v >= 20}
_NUMBER_WORD = re.compile(r'\b(' + '|'.join(_TENS) + r')(?:[- ](' +
                          '|'.join(w for w in _UNITS if 0 < _UNITS[w] < 10) +
                          r'))?\b|\b(' + '|'.join(_UNITS) + r')\b')
_DAY = re.compile(r'\b(' + '|'.join(DAYS) + r'|today|tonight|tomorrow|yesterday|'
                  r'the weekend|this weekend|next week)s?\b')
_TIME = re.compile(
    r"\b(?P<half>half past|quarter past|quarter to) (?P<h1>\d{1,2})\b|"
    r"\b(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))? ?(?P<ap>a\.?m\.?|p\.?m\.?)(?!\w)|"
    r"\b(?P<h3>\d{1,2}) ?o'? ?clock\b|"
    r"\b(?P<h4>\d{1,2}):(?P<m4>\d{2})\b|"
    r"\b(?:at|by|until|till|from|around|before|after) (?P<h5>\d{1,2})(?: (?P<m5>[0-5]\d))?"
    r"(?= ?(?:[,.;!?]|$|and\b|or\b|on\b|tonight|tomorrow|today|this\b|next\b|sharp\b|then\b|"
    r"in the (?:morning|evening|afternoon)))|"
    r"\b(?P<named>noon|midday|midnight)\b")
_PLACE = re.compile(r"\b((?:in front of|on top of|next to|inside|under|underneath|behind|"
                    r"beside|in|on|at|near) (?:the|my|your|his|her|our|their|a|an) "
                    r"[a-z][a-z' -]*?)(?=\s*(?:[,.;!?]|$|\band\b|\bbut\b|\bbecause\b|"
                    r"\bfor\b|\bat\b|\bon\b|\bwhen\b|\bif\b))")
_PREPOSITIONS = {'for', 'at', 'on', 'by', 'until', 'till', 'from', 'around', 'about', 'before',
                 'after', 'in', 'under', 'behind', 'near', 'next', 'inside', 'beside', 'of',
                 'with', 'only', 'just'}
# words that say what kind of answer is wanted, not what it is about
ASKED_WORDS = {lang.key(w) for w in '''time day date hour clock o'clock place where when number
many much'''.split()}


@dataclasses.dataclass(frozen=True)
class Utterance:
    text: str
    start: float
    end: float
    # the clip or episode whose speech label it is ('' for a speech item, timed precisely)
    within: str = ''


def digits(text: str) -> str:
    """Number words as digits: 'for seven people at eight o'clock' -> 'for 7 people at 8
    o'clock', 'twenty-one' -> '21' ('no' stays a word)."""
    def one(m: re.Match) -> str:
        if m.group(3):
            return str(_UNITS[m.group(3)])
        return str(_TENS[m.group(1)] + (_UNITS[m.group(2)] if m.group(2) else 0))
    return _NUMBER_WORD.sub(one, text.lower().replace('’', "'"))


def utterances(items: list[MemoryItem]) -> list[Utterance]:
    """What was heard said, once each, in time order: speech items, and the speech labels of
    clips and episodes that no speech item holds (timed by their item)."""
    out: dict[str, Utterance] = {}
    for item in sorted(items, key=lambda i: i.start):
        if item.kind == 'speech' and item.text.strip():
            said = lang.clean(item.text)
            out[said.lower()] = Utterance(said, item.start, item.end)
    for item in sorted(items, key=lambda i: i.start):
        if item.kind in ('clip', 'episode'):
            for name in item.names(SPEECH):
                said = lang.clean(name)
                if said and said.lower() not in out:
                    out[said.lower()] = Utterance(said, item.start, item.end, item.id)
    return sorted(out.values(), key=lambda u: (u.start, u.end))


def exchanges(items: list[MemoryItem], gap: float = EXCHANGE_GAP_S) -> list[list[Utterance]]:
    """Consecutive utterances less than `gap` seconds apart, grouped (a question and its reply
    are one exchange). What only a clip's or episode's labels hold is timed by the whole item:
    it joins only utterances of the same item."""
    groups: list[list[Utterance]] = []
    for u in utterances(items):
        last = groups[-1][-1] if groups else None
        if last is not None and (u.within or last.within) and u.within != last.within:
            groups.append([u])
        elif groups and u.start - max(x.end for x in groups[-1]) <= gap:
            groups[-1].append(u)
        else:
            groups.append([u])
    return groups


def asked_kind(question: str) -> Optional[str]:
    """What a question about something said asks for: 'count', 'time', 'day', 'place' or None
    (what was said)."""
    q = question.lower()
    if lang.asks_count(q):
        return 'count'
    if re.search(r'\b(?:what|which) (?:day|date)\b|\bon what (?:day|date)\b', q):
        return 'day'
    if re.match(r'\s*(?:(?:and|so|then),?\s+)?(?:(?:at )?what time|when|how late|how early)\b',
                q):
        return 'time'
    if re.match(r'\s*(?:(?:and|so|then),?\s+)?where\b', q):
        return 'place'
    if questions.parse(question).asks == 'colour':
        return 'colour'
    return None


def colours(text: str, noun: str) -> list[str]:
    """The colours an utterance gives `noun`: 'the red umbrella', 'the umbrella is red'."""
    key = lang.key(noun.split()[-1]) if noun.split() else ''
    names = '|'.join(questions.COLOUR_WORDS)
    out = []
    # 'the red (leather) umbrella', 'the umbrella is red'
    for m in re.finditer(rf"\b({names})(?:\s+(?:and|or)\s+({names}))?\s+([a-z'-]+)"
                         rf"(?:\s+([a-z'-]+))?|\b([a-z'-]+)\s+(?:is|was|are|were)\s+({names})\b",
                         text.lower()):
        if m.group(1) and key in (lang.key(m.group(3)), lang.key(m.group(4) or '')):
            out.append(' and '.join(questions.COLOUR_WORDS[c] for c in m.group(1, 2) if c))
        elif m.group(5) and lang.key(m.group(5)) == key:
            out.append(questions.COLOUR_WORDS[m.group(6)])
    return out


def counts(text: str, noun: str) -> list[str]:
    """The counts of `noun` an utterance states, as said with digits: 'for 7 people'."""
    key = lang.key(noun.split()[-1]) if noun.split() else ''
    out = []
    for m in re.finditer(r"\b((?:for|of|with|about|around|only|just)\s+)?(\d+)\s+"
                         r"((?:[a-z'-]+\s+)?)([a-z'-]+)", digits(text)):
        if lang.key(m.group(4)) == key or (m.group(3) and lang.key(m.group(3).strip()) == key):
            noun_said = m.group(3).strip() if m.group(3) and \
                lang.key(m.group(3).strip()) == key else f'{m.group(3)}{m.group(4)}'.strip()
            out.append(f'{m.group(1) or ""}{m.group(2)} {noun_said}'.strip())
    return out


def clock_times(text: str) -> list[str]:
    """The clock times an utterance states, read as numbers: 'eight o'clock' -> "8 o'clock",
    'half past nine' -> '9:30', 'at 7 pm' -> '7 pm', 'at nine thirty' -> '9:30'."""
    out = []
    for m in _TIME.finditer(digits(text)):
        if m.group('half'):
            h = int(m.group('h1'))
            minute = {'half past': 30, 'quarter past': 15, 'quarter to': 45}[m.group('half')]
            h = h - 1 if m.group('half') == 'quarter to' else h
            out.append(f'{h}:{minute:02d}')
        elif m.group('h2'):
            ap = m.group('ap').replace('.', '')
            out.append(f'{int(m.group("h2"))}{":" + m.group("m2") if m.group("m2") else ""} '
                       f'{ap}')
        elif m.group('h3'):
            out.append(f"{int(m.group('h3'))} o'clock")
        elif m.group('h4'):
            out.append(f'{int(m.group("h4"))}:{m.group("m4")}')
        elif m.group('h5') and 1 <= int(m.group('h5')) <= 24:
            out.append(f'{int(m.group("h5"))}:{m.group("m5")}' if m.group('m5') else
                       f"{int(m.group('h5'))} o'clock")
        elif m.group('named'):
            out.append(m.group('named'))
    return [t for t in out if re.match(r'\D|([01]?\d|2[0-4])\b', t)]


def days(text: str) -> list[str]:
    return [d.capitalize() if d in DAYS else d for d in
            (m.group(1) for m in _DAY.finditer(text.lower()))]


def places(text: str) -> list[str]:
    return [m.group(1).strip() for m in _PLACE.finditer(text.lower())
            if not re.search(r'\b(?:morning|evening|afternoon|night|moment|time)\b',
                             m.group(1))]


def facts(text: str, kind: str, noun: str = '') -> list[str]:
    """What an utterance states of the kind asked."""
    if kind == 'count':
        return counts(text, noun)
    if kind == 'time':
        return clock_times(text) or days(text)
    if kind == 'day':
        return days(text)
    if kind == 'place':
        return places(text)
    if kind == 'colour':
        return colours(text, noun)
    return []


def _quote(u: Utterance) -> str:
    return quote(u.text)


def quote(text: str) -> str:
    """What was said, in quotes, its first MAX_QUOTE_WORDS words."""
    words = text.split()
    text = ' '.join(words[:MAX_QUOTE_WORDS]) + ('...' if len(words) > MAX_QUOTE_WORDS else '')
    return f'"{text}"'


def _heard(exchange: list[Utterance], around: Optional[Utterance] = None) -> str:
    """'someone said "A" and then "B"', at most MAX_UTTERANCES of the exchange (those nearest
    `around`, the one that states the fact)."""
    said = exchange
    if len(said) > MAX_UTTERANCES:
        at = exchange.index(around) if around in exchange else 0
        lo = max(0, min(at - 1, len(exchange) - MAX_UTTERANCES))
        said = exchange[lo:lo + MAX_UTTERANCES]
    quoted = [_quote(u) for u in said]
    return 'someone said ' + (quoted[0] if len(quoted) == 1 else
                              ', then '.join(quoted[:-1]) + ' and then ' + quoted[-1])


def about_speech(question: str, items: list[MemoryItem]) -> bool:
    """The thing a question names is not something seen or heard under its own name: a question
    about "the table booked" is about what was said, one about "the cat" (a cat label) is not."""
    target = questions.parse(question).target
    if target is None:
        return True
    for item in items:
        for label in item.labels:
            if label.kind in (OBJECT, SOUND):
                m = questions.match(target, label, sound=label.kind == SOUND)
                if m is not None and not m.unchecked:
                    return False
    return True


@dataclasses.dataclass(frozen=True)
class Found:
    """The exchange a question is about, what it states of the kind asked, and its time."""

    exchange: tuple[Utterance, ...]
    shared: int                     # question words it holds
    fact: str = ''                  # '7 people', "8 o'clock", 'Friday', 'in the car'
    stated_in: Optional[Utterance] = None


def find(question: str, items: list[MemoryItem], kind: Optional[str] = None,
         noun: str = '') -> Optional[Found]:
    """The exchange holding the words of `question` (at least half of them; all but one when it
    states nothing of the kind asked), and the fact it states; None when none does. `kind` and
    `noun`: the kind of fact to read (by default the one the question asks for)."""
    if kind is None:
        kind = asked_kind(question)
        noun = (lang.asks_count(question) or '') if kind == 'count' else \
            ' '.join(getattr(questions.parse(question).target, 'words', ())) \
            if kind == 'colour' else ''
    keys = lang.keys(question) - ASKED_WORDS
    if noun and kind == 'count':
        keys.add(lang.key(noun.split()[-1]))
    if not keys:
        return None
    # the words besides a fact the question states ("booked for Saturday?"): an exchange that
    # states another day is the one it is about, though it cannot share that word
    own = (keys - lang.keys(' '.join(facts(question, kind, noun))) if kind else keys) or keys
    best: Optional[Found] = None
    for exchange in exchanges(items):
        heard = set().union(*(lang.text_keys(digits(u.text)) for u in exchange))
        shared = len(keys & heard)
        stated = [(f, u) for u in exchange for f in facts(u.text, kind, noun)] if kind else []
        # "where did I park my car?" is not answered by "... in the car": a place stated is
        # about the thing asked only when the exchange shares a word besides the place itself
        stated = [(f, u) for f, u in stated
                  if kind != 'place' or own & heard - lang.text_keys(f)]
        enough = len(own & heard) >= max(1, math.ceil(len(own) / 2)) if stated else \
            shared >= max(2, len(keys) - 1)
        if not enough:
            continue
        fact, stated_in = stated[-1] if stated else ('', None)  # a reply states it last
        found = Found(tuple(exchange), shared, fact, stated_in)
        if best is None or (shared, bool(fact), exchange[-1].end) > \
                (best.shared, bool(best.fact), best.exchange[-1].end):
            best = found
    return best


def stated(question: str) -> tuple[Optional[str], str, list[str]]:
    """The fact a yes/no question states, to check against what was said: "was the table
    booked for eight people?" -> ('count', 'people', ['for 8 people']); "did they book it for
    Saturday?" -> ('day', '', ['Saturday']); (None, '', []) when it states none."""
    said = digits(question)
    number = re.search(r"\b\d+\s+([a-z'-]+)", said)
    if number and not clock_times(said):
        found = counts(said, number.group(1))
        if found:
            return 'count', number.group(1), found
    for kind, found in (('time', clock_times(said)), ('day', days(said))):
        if found:
            return kind, '', found
    return None, '', []


def answer(question: str, items: list[MemoryItem], now: float,
           found: Optional[Found] = None) -> Optional[str]:
    """The count, time, day or place asked, as the matching exchange states it, with what was
    heard quoted; what was heard when it states none; None when no exchange is about it.
    `found`: the exchange `find` found for the question, when the caller has it already."""
    found = found or find(question, items)
    if found is None:
        return None
    exchange = list(found.exchange)
    when = relative(exchange[-1].end, now)
    heard = _heard(exchange, found.stated_in)
    if not found.fact:
        return f'{when.capitalize()} {heard}.'
    fact = found.fact
    if found.stated_in is not None and fact.split()[0] not in _PREPOSITIONS:
        # as said: 'at 8 o'clock', 'on Friday' ('for Friday' when the words were 'for Friday')
        before = re.search(rf"\b(\w+) {re.escape(fact.split()[0].lower())}",
                           digits(found.stated_in.text))
        word = before.group(1) if before and before.group(1) in _PREPOSITIONS else \
            {'time': 'at', 'day': 'on'}.get(asked_kind(question), '')
        fact = f'{word} {fact}'.strip()
    return f'I heard it was {fact}: {heard} ({when}).'
