"""Direct answers about what was said, asked or told: the notes the user asked the robot to
remember ("what did I ask you to remember?", "where is my passport?"), the questions asked of the
robot ("what did I ask you?"), what someone was heard to say ("did anyone mention a birthday?")
and the count, time or place an exchange heard states ("for how many people was the table
booked?").
"""
from __future__ import annotations

import difflib
import re
from typing import Optional

from omnilive.memory.types import OBJECT, SPEECH, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions, speech, timephrases
from omnilive.reasoning.direct.mentions import (PERCEIVED, _and, _best, _matching, _may_be_seen,
                                                _quote, labels_of)
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import relative

# an utterance starting this soon after another is its reply: one conversation
REPLY_S = 10.0
NOTES_LIST = re.compile(r'\b(what|anything|how many)\b.*\b(ask|asked|tell|told)\b.*\bremember\b|'
                        r'\bwhat\b.*\b(?:ask|asked|tell|told)\s+you\s+to\s+do\s*[?.!]*$|'
                        r'\b(?:did|have)\s+i\s+(?:ever\s+)?(?:tell|told|ask|asked)\s+you\s+'
                        r'(?:anything|something)\s+about\b|'
                        r'\b(?:first|last|latest|second|third)\s+(?:thing|note)\s+(?:that\s+)?'
                        r'i\s+(?:told|gave)\s+you\b|'
                        r'\b(ask|asked|tell|told)\b.*\bremember\b\s+(anything|something)'
                        r'\s*[?.!]*$|'
                        r'\bremind me\b|\bhow many notes\b|'
                        # "what did I tell you (about the keys)?": what the user told it to keep
                        r'^\s*what\s+(?:did|have|had)\s+i\s+(?:tell|told)\s+you\b',
                        re.IGNORECASE)
# the words of "what did I ask you to remember?" itself, not what the notes are about
_NOTES_FRAME = {lang.key(w) for w in '''what anything something how many ask asked tell told
remember remind me you i say said about note notes thing things first earliest last latest
most recent did do second third fourth fifth gave give'''.split()}
# words that say something was said, and who said it: not what was said about
_SAYING = {lang.key(w) for w in '''say said says saying mention mentioned mentions mentioning
tell told talk talked talking speak spoke ask asked person someone anyone somebody anybody
people word words'''.split()}


# "what did I ask you (before)?", "what was my last question?" (not notes: "... to remember")
ASKED_OF_ROBOT = re.compile(r'\b(?:what|which)(?: questions?)? (?:did|have) (?:(?:i|we) '
                            r'(?:just |last |first )?(?:ask|asked)(?: you)?|(?:anyone|someone|'
                            r'people) (?:just |last |first )?(?:ask|asked) you)\b'
                            r'(?!.*\bremember\b)(?! (?:you )?to\b)|'
                            r'\bmy (?:last|previous|first) question\b|'
                            r'\b(?:did|has|have) (?:i|we|anyone|anybody|someone|somebody) '
                            r'(?:ever )?ask(?:ed)? you\b(?!.*\b(?:remember|to)\b)',
                            re.IGNORECASE)


def asked_of_robot(labels) -> bool:
    return any(lb.kind == SPEECH and lb.attributes.get('to_robot') for lb in labels)


def is_this_question(item: MemoryItem, question: str) -> bool:
    """The item is the question being answered, as heard (asked of the robot, in nearly the
    same words): never its own anchor."""
    if not asked_of_robot(item.labels):
        return False
    heard = item.text if item.kind == 'speech' else ' '.join(item.names(SPEECH))
    return difflib.SequenceMatcher(None, heard.lower(), question.lower()).ratio() >= 0.75


ASKED_LISTED = 4  # "what did I ask you?": the latest this many questions


def _asked(question: str, items: list[MemoryItem], now: float, yes_no: bool) -> str:
    """"What did I ask you?", "did anyone ask you about the passport?", "what was my last
    question?": the questions asked of the robot in the evidence (never the one being
    answered), in time order. Who asked is not known: "you" only when the question says I."""
    asked = sorted((i for i in items if asked_of_robot(i.labels) and
                    not is_this_question(i, question)), key=lambda i: i.start)
    you = bool(re.search(r'\b(i|we|my)\b', question, re.IGNORECASE))
    said = [(i, i.text if i.kind == 'speech' else next(
        (lb.name for lb in i.labels if asked_of_robot([lb])), '')) for i in asked]
    about = re.search(r'\babout\s+(.+?)[?.!]*$', question, re.IGNORECASE)
    if about:  # "did I ask you about the passport?"
        wanted = lang.keys(about.group(1))
        said = [(i, t) for i, t in said if wanted & lang.text_keys(t)]
    if not said:
        what = f'about {about.group(1)}' if about else 'asked of me'
        return f'{"No, " if yes_no else ""}I have no record of a question {what}.'
    order = re.search(r'\b(last|latest|previous|first)\b', question, re.IGNORECASE)
    if order:
        item, text = said[0] if order.group(1).lower() == 'first' else said[-1]
        whose = 'Your' if you else 'The'
        return f'{whose} {order.group(1).lower()} question{"" if you else " I was asked"} ' \
               f'was "{text}", {relative(item.end, now)}.'
    listed = [f'"{t}" ({relative(i.end, now)})' for i, t in said[-ASKED_LISTED:]]
    who = 'you asked me' if you else 'I was asked'
    many = lang.plural('question', len(said)) if len(said) > 1 else 'one question'
    text = f'{who} {many}: {_and(listed)}.'
    return f'Yes, {text}' if yes_no else text[0].upper() + text[1:]


def notes_asked(question: str, notes: list[MemoryItem]) -> list[MemoryItem]:
    """The notes a "what did I ask you to remember?" question asks for, oldest first: all;
    "remind me what I said about Monday": those about it (when any is); "the last thing I
    asked you to remember": that one."""
    ordered = sorted(notes, key=lambda n: n.start)
    about = lang.keys(question) - _NOTES_FRAME
    if about and any(about & lang.text_keys(n.text) for n in ordered):
        ordered = [n for n in ordered if about & lang.text_keys(n.text)]
    order = re.search(r'\b(first|earliest|last|latest|most recent|second|third|fourth|fifth)\b',
                      question.lower())
    if order and order.group(1) in events.NTH:  # "the second thing": that one, if there was one
        n = events.NTH[order.group(1)]
        ordered = ordered[n - 1:n] if 'last' not in question.lower() else \
            ordered[-n:len(ordered) - n + 1]
    elif order:
        ordered = ordered[:1] if order.group(1) in ('first', 'earliest') else ordered[-1:]
    return ordered


# "what did the police officer say?", "did the nurse say anything?": words of a kind of person
_SAID_BY = re.compile(r'\s*(?:what|did|has|have)\s+(?:did\s+|has\s+)?(?:the|a|an|that|this)\s+'
                      r'([a-z][a-z -]*?)\s+(?:say|said|tell|told|mention|mentioned|ask|asked)\b',
                      re.IGNORECASE)


def _said(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if not lang.asks_said(question):
        return None
    by = _SAID_BY.match(question)
    speaker = questions._thing(by.group(1)) if by else None
    if speaker is not None and speaker.kinds_of_person:
        # memory keeps what was said, not who said it: a man, a nurse or a police officer is
        # never known to have said anything
        return f'I cannot tell who was speaking, so I do not know whether ' \
               f'{lang.plural(str(speaker), 1)} said anything.'
    # "did anyone mention a birthday?": what was said must hold what it is about, not only
    # that someone said something
    about = keys - _SAYING
    # in any of its forms: "did anyone talk about marriage?" is "had he married ..."
    about |= {k for w in re.findall(r'[a-z]+', question.lower()) if lang.key(w) in about
              for k in questions.derived_keys(w)}
    said = _matching(items, SPEECH, about or keys) if keys else \
        [m for i in items for m in labels_of(i) if m.kind == SPEECH]
    if not said:
        note = _note_about(items, about) if about else None
        if note is not None:  # "did I ask you to remember anything about keys?": a note is said
            return _told(note, now, 'Yes' if yes_no else '')
        if yes_no and about and re.match(r'\s*(did|has|have)\b', question, re.IGNORECASE):
            return f'No, I have not heard anyone mention {_mentioned(question, about)}.'
        return None
    found = speech.find(question, items)
    note = _note_about(items, keys)
    if found is not None and found.fact and not _note_says_it(note, keys, found, question):
        return speech.answer(question, items, now, found)  # "when did they say they'd meet?"
    best = _best(said, keys) if keys else max(said, key=lambda m: m.item.score)
    if note is not None and len(lang.text_keys(note.text) & keys) > \
            len(lang.text_keys(best.name) & keys):
        return None  # "what did I say about my keys?": the note says it better
    # "who said they would meet at noon?": what was said, and that who said it is not known
    who = 'I cannot tell who: I do not recognise voices. ' if parsed.form == 'who' else ''
    return f'{who}{relative(best.item.end, now).capitalize()} I heard someone say ' \
           f'{_quote(best.name)}'


def _mentioned(question: str, about: set[str]) -> str:
    """The words of the question that name what was to be said ('a birthday'), as asked."""
    m = re.search(r'\b(?:mention|mentioned|say|said|talk about|talked about|speak about|spoke '
                  r'about|tell you about|told you about|ask about|asked about)\s+(.+?)[?.!]*$',
                  question, re.IGNORECASE)
    if m and lang.keys(m.group(1)) & about:
        return m.group(1).strip()
    return 'that'


def _said_so(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Was the table booked for eight people?", "did someone say they would meet at one?":
    the count, time or day the question states, against what the exchange heard states: yes
    or no, with what was heard. None when no exchange states a fact of that kind."""
    if not yes_no or heard or re.search(r'\b(?:see|saw|seen|hear|heard)\b', question, re.I):
        return None
    kind, noun, asked = speech.stated(question)
    if kind is None:
        return None
    found = speech.find(question, items, kind, noun)
    if found is None or not found.fact:
        return None
    # a word of its own besides the fact stated: "booked for Saturday?" shares only "table"
    # with "... the table for Friday?", and that is the exchange it contradicts
    heard_keys = set().union(*(lang.text_keys(u.text) for u in found.exchange))
    if found.shared - len(lang.keys(' '.join(asked)) & heard_keys) < 1:
        return None
    def told(text: str) -> tuple[set, set]:  # its numbers, and its words
        text = speech.digits(text).lower()
        return set(re.findall(r'\d+', text)), lang.keys(re.sub(r'\d+', ' ', text))
    numbers, words = told(found.fact)
    same = any(n == numbers and w <= words | _PLACE_WORDS for n, w in map(told, asked))
    heard_it = speech.answer(question, items, now, found)
    if not heard_it.startswith('I '):
        heard_it = heard_it[0].lower() + heard_it[1:]
    return f'{"Yes" if same else "No"}, {heard_it}'


def _conversation(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"For how many people was the table booked?", "what time did they book it for?": a
    question about neither seeing nor hearing, whose words are those of an exchange heard (a
    question and its reply: "Did you book the table for Friday?" - "Yes, for seven people at
    eight"), is answered with the count, time, day or place the exchange states, else with what
    was said (omnilive.reasoning.speech). A thing seen or heard under the question's own words
    ("where was the cat?") is left to perception's answers."""
    if PERCEIVED.search(question) or not speech.about_speech(question, items) or \
            parsed.form == 'who' and any(questions.match(r.thing, lab) is not None
                                         for r in parsed.relations if r.thing.words
                                         for i in items for lab in i.labels_of(OBJECT)):
        return None  # "who was in the red car?" asks who was seen with the car seen
    found = speech.find(question, items)
    if found is None:
        return None
    if _note_says_it(_note_about(items, keys), keys, found, question):
        return None
    return speech.answer(question, items, now, found)


def _note_says_it(note: Optional[MemoryItem], keys: set[str], found: speech.Found,
                  question: str) -> bool:
    """What the user asked to remember holds at least as many of the question's words as the
    exchange heard, and states the time, day, place or count asked when the exchange does: the
    note answers ("when are we meeting?" is "at noon" heard, not the note that the meeting
    moved to room 5)."""
    kind = speech.asked_kind(question)
    return note is not None and \
        len(lang.keys(note.text) & (keys - speech.ASKED_WORDS)) >= found.shared and \
        not (found.fact and kind and not speech.facts(note.text, kind))


def _note(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if lang.asks_read(question):
        return None  # "did you see a sign about red?": a note is what the user said, not a sign
    note = _note_about(items, keys)
    if note is None:
        return None
    if parsed.targets:
        # "did you see a butterfly on a flower?", "what animal was on the flower?" are about the
        # butterfly, the animal: a note about a flower pot shares only the flower
        # and "was the bus moving?" about the bus, not the meeting that moved: the thing named,
        # what it did only when the question names no thing ("where did I park?")
        named = {lang.key(w) for t in parsed.targets for w in t.words} or \
            {lang.key(t.state) for t in parsed.targets if t.state}
        if not named & lang.text_keys(note.text):
            return None
    if yes_no and lang.asks_seen(question) and parsed.target is not None:
        # "did you see a flower pot?": a note naming it is no sighting; a sighting is _seen's
        if _may_be_seen(items, parsed.target):
            return None
        return f'I have not seen {lang.plural(str(parsed.target), 1)}, but you told me ' \
               f'{relative(note.start, now)}: {note.text}.'
    if yes_no:
        # "is my passport in the top drawer?": yes when the note says all of it; "is the key
        # under the red pot?" no when it names another colour; else what it says, no verdict
        said = lang.text_keys(note.text)
        left = keys - said - _SAYING
        # numbers as numbers: "is the meeting in room five?" against "room 5"
        asked_n = set(re.findall(r'\d+', speech.digits(question)))
        said_n = set(re.findall(r'\d+', speech.digits(note.text)))
        if asked_n and said_n:
            if not asked_n & said_n:
                return _told(note, now, 'No')  # another number
            left = {k for k in left if not re.fullmatch(r'\d+', speech.digits(k))}
        if not left:
            return _told(note, now, 'Yes')
        if any(left <= kind and said & kind for kind in (_COLOUR_KEYS, _DAY_KEYS, _WHERE_KEYS)):
            return _told(note, now, 'No')  # another colour, another day, another part of it
        # "is my passport in the car?": another place than the note's
        asked_at = [k for a in speech.places(question) if (k := lang.keys(a) - _PLACE_WORDS)]
        told_at = [lang.keys(t) for t in speech.places(note.text)]
        if asked_at and told_at and not any(a & t - _COLOUR_KEYS
                                            for a in asked_at for t in told_at):
            return _told(note, now, 'No')
    return _told(note, now)


# "where are my glasses?", "do you remember where I left my keys?", "have you seen my wallet?"
_MINE_WHERE = re.compile(r"\b(?:where\b.*|have you seen\s+)\bmy\s+((?:[a-z]+\s+)?[a-z]+)"
                         r"(?:\s+(?:is|are|was|were))?\s*[?.!]*$", re.IGNORECASE)


def _not_told(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Where are my glasses?" when no note, nothing said and nothing seen is about them: that
    the user has not said where they are, and (for a thing perception labels) that none was
    seen. A note, a sighting or words heard about it are other steps' (or the model's)."""
    mine = _MINE_WHERE.search(question)
    if mine is None or heard:
        return None
    phrase = mine.group(1).lower()
    words = tuple(lang.singular(w) for w in phrase.split())
    if _said_of({lang.key(w) for w in words} | lang.text_keys(phrase), items) or \
            _may_be_seen(items, Thing(words)):
        return None
    plural = lang.singular(phrase.split()[-1]) != phrase.split()[-1]
    told = f'you have not told me where your {phrase} {"are" if plural else "is"}'
    seen = f', and I have not seen {"any" if plural else "one"}' \
        if questions.labelled_kind(words) else ''
    return f'No: {told}{seen}.' if yes_no else f'{told[0].upper()}{told[1:]}{seen}.'


def _said_of(named: set[str], items: list[MemoryItem]) -> bool:
    """A note or something said shares a word of `named` (stems)."""
    return any(named & lang.text_keys(i.text) for i in items if i.kind in ('note', 'speech'))


def _told(note: MemoryItem, now: float, verdict: str = '') -> str:
    """'You told me about 5 minutes ago: <the note>.', after 'Yes, ' or 'No, ' when given."""
    told = f'ou told me {relative(note.start, now)}: {note.text}.'
    return f'{verdict}, y{told}' if verdict else f'Y{told}'


# colour words alone never make a note about a question: "was the motorcycle blue?" is not
# about "the spare key is under the blue flower pot"
_COLOUR_KEYS = {lang.key(w) for w in questions.COLOUR_WORDS}
_PLACE_WORDS = {lang.key(w) for w in '''in on under at behind inside near next beside by above
below top bottom'''.split()}
_DAY_KEYS = {lang.key(w) for w in timephrases.DAYS}
# where in or on a thing: "is my passport in the bottom drawer?" against "the top drawer"
_WHERE_KEYS = lang.keys('top bottom upper lower middle inside outside above below under behind '
                        'upstairs downstairs back')


def _note_about(items: list[MemoryItem], keys: set[str]) -> Optional[MemoryItem]:
    """The note a question is about: one that holds at least half the words the question
    names, one of them more than a colour or where in a place ("what was under the table?" is
    not about the key under the flower pot) (the most of them, the newest on ties)."""
    shared = [(keys & lang.text_keys(n.text), n) for n in items if n.kind == 'note' and keys]
    scored = [(len(words), n.start, n) for words, n in shared
              if len(words) >= max(1, len(keys) / 2) and words - _COLOUR_KEYS - _WHERE_KEYS]
    return max(scored, key=lambda s: s[:2])[2] if scored else None
