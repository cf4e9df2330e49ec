"""Direct answers about text read: what a sign read ("what did the sign say?"), the signs
read and how many, a room or gate number seen on a sign ("did you see room 204?"), a place only a
sign named, and the time a clock showed.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

from omnilive.memory.types import OBJECT, TEXT, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions
from omnilive.reasoning.direct.mentions import (PERCEIVED, _and, _last_of_each, _matching, _some,
                                                item_keys)
from omnilive.reasoning.direct.said import _COLOUR_KEYS
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import clock, relative

_MENTION = re.compile(r'\b(?:mention|mentioned|talk about|talked about|speak about|spoke about)\b',
                      re.IGNORECASE)


def _read(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if _MENTION.search(question):
        return None  # "did someone mention a sign?" asks what was said
    signs = [i for i in items if i.labels_of(TEXT)]
    if not lang.asks_read(question):
        if heard:
            return None
        if yes_no:
            return _seen_sign(question, signs, now) or _on_a_sign(items, signs, parsed, now)
        # "where is the sports centre?", "what does GM125 mean?" when only a sign named it:
        # the sign, and that memory holds no more (a model guessed a meaning for a code)
        means = _MEANS.search(question)
        thing = parsed.target
        if means and thing is not None:
            thing = dataclasses.replace(thing, state=None, words=tuple(
                w for w in thing.words if w not in ('mean', 'means', 'meant', 'stand', 'refer')))
        sign = _sign_naming(items, signs, thing) if parsed.form == 'where' or means else None
        if sign is None:
            return None
        read = f'I read "{" ".join(sign.names(TEXT))}" on a sign {relative(sign.end, now)}'
        return f'{read}; I do not know what it means.' if means else \
            f'{read}, at {clock(sign.end)}; I do not know more about where it is.'
    # "did you see a sign about bread?": words no sign reads are no sign (the most relevant
    # one would say yes to a false premise)
    about = _ABOUT.search(question)
    unseen = None if yes_no or about else _unseen_carrier(question, items, keys)
    if unseen:
        return unseen
    if not yes_no and NUMBERS_READ.search(question):
        # "what numbers did you see?": the signs that read one, in the order they were read
        read = _signs_read(signs)
        numbered = {k: s for k, s in read.items() if re.search(r'\d', k)}
        if numbered:
            return f'I read {"numbers" if len(numbered) > 1 else "a number"} on ' \
                   f'{len(numbered)} sign{"s" if len(numbered) > 1 else ""}: ' \
                   f'{_signs_said(numbered, now)}.'
    # "which signs did you read?", "what did you read?": each one, in the order they were
    # read ("what did the last sign say?", "what was on the wall?" ask about one of them)
    if not yes_no and (_SIGNS.search(question) or not _one_sign(question)) and \
            not keys - SIGN_KEYS:
        read = _signs_read(signs)
        if len(read) > 1:
            return f'I read {len(read)} signs: {_signs_said(read, now)}.'
    # "did you see a red sign?": a colour or the word sign itself is no word the sign must read
    sign = _sign(question, signs, keys - _COLOUR_KEYS - _SIGN_WORDS, about=yes_no or bool(about))
    if sign is None and yes_no and signs and _SAID_ON_SIGN.search(question) and \
            keys - SIGN_KEYS - _COLOUR_KEYS:
        # "did you see a sign that said exit?": no sign read says it; what the signs said
        read = _signs_read(signs)
        return f'No, I did not read a sign saying that. The sign{"s" if len(read) > 1 else ""}' \
               f' I read said {_signs_said(read, now)}.'
    if sign is None:
        return None
    texts = ' '.join(sign.names(TEXT))
    # what the sign should say ("about gate 11") and any number asked must be on it: a sign
    # reading "GATE 17" is no yes to gate 11
    required = (lang.keys(question[about.end():]) if about else set()) | \
        {k for k in keys if k.isdigit()}
    if required - item_keys(sign):
        return f'I did not read that: the sign I saw read "{texts}", {relative(sign.end, now)}.'
    # text read carries no colour: "did you see a red sign?" is no yes, "what colour was the
    # sign?" no reading of it (a colour among the words it should say is what it says)
    quoted = re.search(r'\b(?:say|says|said|saying|read|reads|reading|about)\b', question,
                       re.IGNORECASE)
    coloured = parsed.asks == 'colour' or (
        parsed.target is not None and parsed.target.colour is not None and not quoted)
    if coloured:
        read = f'it read "{texts}", {relative(sign.end, now)}'
        return f'I did not notice the colour of the sign; {read}.' if parsed.asks == 'colour' \
            else f'I saw a sign, but I did not notice its colour: {read}.'
    if parsed.form == 'where' and not quoted:  # text read is not placed in the view
        return f'I read "{texts}" on a sign {relative(sign.end, now)}; I did not notice where ' \
               f'it was in my view.'
    return f'{"Yes, t" if yes_no else "T"}he sign read "{texts}", {relative(sign.end, now)}.'


# what text is written on ("on the generator"); the words of things that are themselves signs
# or that perception does not name (a wall, a door) are not taken for things it should have seen
_WRITTEN_ON = re.compile(r"\b(?:written|printed|painted|read|text|words?|says?)\s+(?:on|of)\s+"
                         r"(?:the|a|an|that|this)\s+([a-z][a-z ]*?)\s*[?.!]*$", re.IGNORECASE)
_SIGN_WORDS = {lang.key(w) for w in '''sign board notice poster banner label screen plate card
wall door paper page note text writing sticker display billboard placard plaque box packet
package cover front side back'''.split()}


_SIGNS = re.compile(r'\b(signs|notices|texts|labels|posters)\b', re.IGNORECASE)
NUMBERS_READ = re.compile(r'\b(?:what|which|any)\s+numbers?\b', re.IGNORECASE)
# "a sign that said exit", "any sign saying no parking", "a poster about the concert"
_SAID_ON_SIGN = re.compile(r'\b(?:signs?|notices?|posters?|labels?|banners?|boards?)\b.*\b(?:say|'
                           r'says|said|saying|read|reads|reading|about|with)\b', re.IGNORECASE)
# the words of a question about signs in general ("what did the signs say?")
SIGN_KEYS = _SIGN_WORDS | {lang.key(w) for w in '''read say said written see saw all different
distinct separate first last latest earliest word words'''.split()}
SIGNS_LISTED = 4  # "which signs did you read?": the latest this many

_DETERMINED = re.compile(r'\b(?:the|that|this|a|an|its)\s+(\w+)(?:\s+(\w+))?', re.IGNORECASE)


def _one_sign(question: str) -> bool:
    """"the sign", "that last notice", "a poster", "the wall", "what did it say?": the question
    is about one thing read, not all of them."""
    return bool(re.search(r'\b(?:it|that)\s+(?:say|said|read)\b', question, re.IGNORECASE)) or \
        any(lang.key(w) in _SIGN_WORDS for m in _DETERMINED.finditer(question)
            for w in m.groups() if w)


def _unseen_carrier(question, items, keys) -> Optional[str]:
    """"What was written on the generator?" when nothing seen was a generator and no sign
    read the word: which text was on it cannot be told (the most relevant sign would be a
    guess), and that is the answer."""
    on = _WRITTEN_ON.search(question)
    if on is None:
        return None
    carrier = lang.keys(on.group(1)) - _SIGN_WORDS
    if not carrier or not carrier <= keys or any(carrier & item_keys(i) for i in items):
        return None
    return f'I did not notice {lang.plural(on.group(1).strip(), 1)}, so I cannot tell what ' \
           f'was written on it.'


# "room 204", "gate 17", "bus 42": a thing named by a number after its noun (not "at 5", "5 pm")
_IDENTIFIER = re.compile(r"\b([a-z][a-z'-]+)\s+(\d+)\b(?!\s*(?::|am\b|pm\b|o'clock|minutes?|"
                         r"seconds?|hours?|days?|times?))", re.IGNORECASE)


def _signs_read(signs: list[MemoryItem]) -> dict[str, MemoryItem]:
    """Each text read, once, as last read (earliest first): the same sign read again in
    another clip, spaced or cased otherwise ("NO PARKING", "NOPARKING"), is one sign."""
    return _last_of_each(((re.sub(r'[^a-z0-9]', '', ' '.join(s.names(TEXT)).lower()), s)
                          for s in signs), lambda s: s.end)


def _signs_counted(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"How many signs did you read?": the different texts read (a traffic light or a street
    sign seen is no sign read)."""
    counted = lang.asks_count(question)
    if heard or not lang.asks_read(question) or lang.keys(counted) - SIGN_KEYS:
        return None
    read = _signs_read([i for i in items if i.labels_of(TEXT)])
    if not read:
        return 'I did not read any signs.'
    many = f'{len(read)} different signs' if len(read) > 1 else 'one sign'
    latest = ', the latest' if len(read) > SIGNS_LISTED else ''
    return f'I read {many}{latest}: {_signs_said(read, now)}.'


def _signs_said(read: dict[str, MemoryItem], now: float) -> str:
    """'"EXIT" (about 3 minutes ago) and "CAFE LUNA" (just now)': the latest SIGNS_LISTED."""
    return _and([f'"{" ".join(s.names(TEXT))}" ({relative(s.end, now)})'
                 for s in list(read.values())[-SIGNS_LISTED:]])


def _seen_sign(question: str, signs: list[MemoryItem], now: float) -> Optional[str]:
    """"Did you see room 204?": a room, gate or bus number is seen on a sign. Yes when a sign
    reads the noun and the number; when the signs that read the noun have another number, what
    they read (never yes to room 2004 for a sign reading "ROOM 204")."""
    m = _IDENTIFIER.search(question)
    if m is None or m.group(1).lower() in questions.STOPWORDS:
        return None
    noun, number = lang.key(m.group(1)), m.group(2)
    named = [s for s in signs if noun in item_keys(s)]
    if not named:
        return None
    sign = max(named, key=lambda s: (number in item_keys(s), s.score))
    texts = ' '.join(sign.names(TEXT))
    if number in item_keys(sign):
        return f'Yes, I saw a sign reading "{texts}", {relative(sign.end, now)}.'
    return f'I did not see that: the sign I saw read "{texts}", {relative(sign.end, now)}.'


_MEANS = re.compile(r'\b(?:mean|means|meant|stand for|stands for|refer to)\b', re.IGNORECASE)


def _on_a_sign(items: list[MemoryItem], signs: list[MemoryItem], parsed, now: float
               ) -> Optional[str]:
    """"Did you see a copy centre?" when nothing seen is one but a sign read "COPY CENTRE":
    the sign, said as read (no yes: the words on a sign are not the thing)."""
    sign = _sign_naming(items, signs, parsed.target)
    if sign is None:
        return None
    return f'I read "{" ".join(sign.names(TEXT))}" on a sign {relative(sign.end, now)}.'


def _sign_naming(items: list[MemoryItem], signs: list[MemoryItem],
                 thing: Optional[Thing]) -> Optional[MemoryItem]:
    """The latest sign reading every word of `thing`, when nothing seen is the thing."""
    if thing is None or not thing.words or 'person' in thing.words or \
            _matching(items, OBJECT, set(), thing):
        return None
    words = {lang.key(w) for w in thing.words}
    named = [s for s in signs if words <= lang.text_keys(' '.join(s.names(TEXT)))]
    return max(named, key=lambda s: s.end) if named else None


_CLOCK_SHOWN = re.compile(r'\bwhat time\b.*\b(clock|watch|display|screen)\b|'
                         r'\btime (?:on|shown on|of) the (clock|watch|display|screen)\b',
                         re.IGNORECASE)


def _clock_shown(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What time did the clock show?": a time read in the view of the clock (OCR), else that
    the clock was seen but its time not read (the time of seeing it is not its reading)."""
    m = _CLOCK_SHOWN.search(question)
    if m is None or heard or PERCEIVED.search(question):
        return None  # "what time did you see the clock?" asks when
    thing = Thing(((m.group(1) or m.group(2)).lower(),))
    seen = sorted(_matching(items, OBJECT, set(), thing), key=lambda s: -s.item.end)
    if not seen:
        return None
    for sighting in seen:
        shown = [t for t in sighting.item.names(TEXT) if re.search(r'\b\d{1,2}[:.]\d{2}\b', t)]
        if shown:
            return f'The {sighting.name} read "{shown[0]}", {relative(sighting.item.end, now)}.'
    return f'I saw {_some(seen[0])} {relative(seen[0].item.end, now)}, but I did not read the ' \
           f'time on it.'


_NOUN = re.compile(r"\b(?:the|a|an|that|this)\s+([a-z]+)")


_ABOUT = re.compile(r'\b(about|mention(ed|ing)?)\b', re.IGNORECASE)


def _sign(question: str, signs: list[MemoryItem], keys: set[str],
          about: bool = False) -> Optional[MemoryItem]:
    """The sign the question means: the one sharing its words, else the first or last one it
    names, else the most relevant one retrieved; with `about` (the question says what the sign
    is about, or asks yes or no), a question with words of its own gets only a sign sharing
    them."""
    if not signs:
        return None
    # OCR runs words together ("NOPARKING"): two words of the question read as one count twice

    def joined(sign: MemoryItem) -> int:
        return lang.run_together(question, ' '.join(sign.names(TEXT)))
    named = [s for s in signs if item_keys(s) & keys or joined(s)]
    if named:
        return max(named, key=lambda s: (len(item_keys(s) & keys) + 2 * joined(s), s.score))
    # a noun of the question that the sign itself reads: "what was written on the notice?" means
    # the sign reading "NOTICE" (a word too generic to name a thing otherwise: 'notice', 'text')
    nouns = {lang.key(w) for w in _NOUN.findall(question.lower())}
    reads = [s for s in signs if lang.text_keys(' '.join(s.names(TEXT))) & nouns]
    if reads:
        return max(reads, key=lambda s: s.score)
    if about and keys:
        return None
    if re.search(r'\bfirst\b', question, re.IGNORECASE):
        return min(signs, key=lambda s: s.start)
    if re.search(r'\b(last|latest|most recent)\b', question, re.IGNORECASE):
        return max(signs, key=lambda s: s.end)
    return max(signs, key=lambda s: s.score)
