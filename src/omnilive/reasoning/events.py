"""Time across modalities and order: what happened when, right after or right before an event.

"What were you looking at when the phone rang?", "what did you see right after I said hello?",
"what did you hear before you saw the dog?", "the first / last thing you saw", "the first car you
saw". `parse` reads the question into an `Anchored` (what is asked: seen, heard or said; how it
relates in time: during, after, before, first, last; and the anchor event's phrase and modality);
`find` picks the anchor event among retrieved items (a sound label, words said, a thing seen);
`window` is the time span the asked-about items are retrieved from; `answer` says what memory
holds in that span, or honestly that the anchor is not in memory. Plain Python.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

from omnilive.memory import describe
from omnilive.memory.store import STOPWORDS
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions, timephrases
from omnilive.reasoning.timephrases import clock, relative

FIRST_S = 120.0   # "the first thing you saw": within this long of memory's start
LAST_S = 600.0
AFTER_S = 60.0    # "right after X": what began within this long after X ended
BEFORE_S = 60.0
DURING_PAD_S = 2.0  # a sound 1 s before a clip began was heard while that scene was in view

_LEAD = r'(?:right |just |immediately |shortly |soon |straight )?'
_EVENT = re.compile(rf'\b(?:{_LEAD}(before or after|after or before|after|before)|(when|while|'
                    rf'as soon as|at the moment|the moment|during|(?:around|about|at|near) the '
                    rf'(?:same )?time(?: as| that| when)?))\s+(?:the time\s+)?(.+)$')
_HAPPENED = re.compile(r'\s*what\s+(?:happened|was\s+(?:going\s+on|happening)|went\s+on)\b')
# "what made that noise?", "what was that sound?", "what caused that bang?"
_THAT_SOUND = re.compile(r'\s*what\s+(?:made|caused|was)\s+(?:that|this|the)\s+'
                         r'(?:(?:loud|strange|weird|odd|sudden|funny|big|little)\s+)?'
                         r'(?:sound|noise|bang|beep|ring|ringing|crash|thud|thump|boom)\s*$')
_BETWEEN = re.compile(r'\bbetween\s+(.+?)\s+and\s+(.+)$')
_PERCEIVED = re.compile(r'\b(see|saw|seen|hear|heard|notice|noticed|spot|spotted|happen|'
                        r'happened|there)\b')
_YES_NO = re.compile(r'\s*(did|do|does|have|has|had|was|were)\b')
_ORDER = re.compile(r'\b(first|second|third|fourth|fifth|last|latest|most recent|earliest|'
                    r'final)\b')
NTH = {'second': 2, 'third': 3, 'fourth': 4, 'fifth': 5}
_SAID = re.compile(r'\b(?:i|you|someone|somebody|he|she|they|we|a person|the person|the user)\s+'
                   r'(?:(?:asked|told) you to (?:remember|note)|said|say|says|told you|asked you|'
                   r'asked|mentioned|talked about|was talking about)\s*(?:that\s+|about\s+)?'
                   r'(.*)$')
# the speech act of a said anchor: the user telling the robot something (a statement, a note)
# or someone asking a question (of the robot or of someone else)
_TOLD = re.compile(r'\s*(?:i|we)\s+(?:told\s+you|reminded\s+you|'
                   r'asked\s+you\s+to\s+(?:remember|note))\b')
_ASKED = re.compile(r'\s*(?:i|we|you|someone|somebody|he|she|they|a person|the person|the user)\s+'
                    r'asked\b(?!\s+(?:you\s+)?to\s+(?:remember|note))')
_HEARD = re.compile(r'\b(?:you\s+)?(?:heard|hear|noticed the sound of)\s+(?:a |an |the |some )?'
                    r'(.*)$')
_SEEN = re.compile(r'\b(?:you\s+)?(?:(?:were|was)\s+)?(?:saw|see|seen|spotted|noticed|looked at|'
                   r'looking at|watching|watched)\s+(.*)$')
# a verb that says an event was a sound ("the dog barked", "the phone rang", "a bang happened")
_SOUNDED = re.compile(r'\b(rang|ring|rings|ringing|barked|barks|barking|beeped|beeping|honked|'
                      r'knocked|knocking|buzzed|went off|sounded|played|clapped|banged|slammed|'
                      r'exploded|crashed|chimed|meowed|whistled|shouted|screamed|cried|laughed|'
                      r'coughed|sneezed|happened|started|stopped|began|happen|go off|goes off|'
                      r'bark|beep|honk|buzz|chime|explode|click|clicks|clicked|clicking|knock|'
                      r'slam|bang|creaked|squeaked|rattled|hissed|ticked)\b')
_THING_WORDS = {'thing', 'things', 'sound', 'sounds', 'noise', 'noises', 'object', 'objects',
                'item', 'items', 'something', 'anything', 'time', 'moment', 'one'}


@dataclasses.dataclass(frozen=True)
class Anchored:
    """What a question asks in relation to an event or to memory's order."""

    asks: str                        # 'seen' | 'heard' | 'said': what to report
    relation: str    # 'during' | 'after' | 'before' | 'order' (before or after?) | 'first'...
    event: str = ''                  # the anchor as asked: 'the phone rang', 'hello'
    event_modality: str = ''         # 'heard' | 'said' | 'seen' | '' (any)
    # the thing asked about: "the first car you saw", "did you see a cat before the alarm?"
    thing: Optional[questions.Thing] = None
    people: bool = False             # "who was there when ...?": only the people seen
    told: bool = False               # "when I told you ...": the user told the robot (a note)
    # "when I asked you ...", "when someone asked ...": a question was asked (of the robot)
    asked: bool = False
    # "what animal did you see before the squirrel?": only things of this kind are the answer
    kind: Optional[questions.Thing] = None
    kinds: bool = False              # asked in the plural ("what animals ..."): all of them
    count: bool = False              # "how many animals ...": counted
    # "what did you see between the cat and the dog?": the second event (`event` the first)
    until: str = ''
    until_modality: str = ''
    # "what was the first thing you heard?": what was said counts too (not "the first sound")
    voices: bool = False
    either: bool = False  # the thing asked may have been seen or heard (no verb says which)
    nth: int = 1  # "the second thing you saw": the second of the first ones
    gap: bool = False  # "how long between X and Y?": the time from the one to the other
    colour: bool = False  # "what colour was the first car you saw?": its colour is the answer
    # "what happened after the phone rang?": what was seen, heard and said then
    happened: bool = False


def second(anchored: Anchored) -> Anchored:
    """The anchor of the second event of a "between X and Y" question."""
    return dataclasses.replace(anchored, event=anchored.until,
                               event_modality=anchored.until_modality)


def _asked(head: str) -> str:
    if re.search(r'\b(hear|heard|sound|sounds|noise|noises|listen)\b', head):
        return 'heard'
    if re.search(r'\b(say|said|told|tell|talk|talking|mention)\b', head):
        return 'said'
    return 'seen'


def _event(clause: str) -> tuple[str, str]:
    """(phrase, modality) of an event clause: 'i said goodbye' -> ('goodbye', 'said'), 'the phone
    rang' -> ('the phone rang', 'heard'), 'you saw the dog' -> ('the dog', 'seen')."""
    clause = clause.strip(' ?.!,')
    for pattern, modality in ((_SAID, 'said'), (_HEARD, 'heard'), (_SEEN, 'seen')):
        m = pattern.search(clause)
        if m and m.group(1).strip():
            return m.group(1).strip(' "\''), modality
    if _SOUNDED.search(clause):
        return clause, 'heard'
    return clause, ''


def parse(question: str) -> Optional[Anchored]:
    """The question's anchor in time, or None when it has none ("what did you see?")."""
    q = lang.clean(question).lower().rstrip('?.! ')
    if lang.asks_when(q):
        return None  # "when did you hear X?" asks for a time, not for what happened then
    if re.match(r'\s*who\s+(?:spoke|talked|(?:was|were)\s+(?:talking|speaking))\b', q):
        return None  # "who spoke last?": who said something (direct.people._who_spoke)
    if lang.split_choices(question)[1]:
        return None  # "which came first, the cat or the dog?": which of its choices
    # "how much time passed between the alarm and the explosion?": the time between them
    gap = re.match(r'\s*how (?:much time|long|many (?:minutes|seconds|hours))\b(?:(?!\bago\b).)*?'
                   r'\bbetween\s+(.+?)\s+and\s+(.+)$', q)
    if gap:
        (first, one), (then, other) = _event(gap.group(1)), _event(gap.group(2))
        return Anchored('seen', 'between', first, one, until=then, until_modality=other,
                        gap=True)
    # "how long after the alarm was the explosion?", "how long before the explosion did you
    # see the cat?": the time from the earlier to the later
    apart = re.match(r'\s*how (?:much (?:time|later|earlier)|long|many (?:minutes|seconds|hours))'
                     r'\s+(after|before)\s+(.+?)\s+(?:was|were|did|had|came|happened)\s+(.+)$', q)
    if apart:
        side, anchor, other = apart.groups()
        (first, one), (then, other_m) = _event(anchor), _event(other)
        if side == 'before':
            (first, one), (then, other_m) = (then, other_m), (first, one)
        return Anchored('seen', 'between', first, one, until=then, until_modality=other_m,
                        gap=True)
    between = _BETWEEN.search(q)
    if between and _PERCEIVED.search(q[:between.start()]) and \
            re.match(r'\s*(what|which|who|tell|describe|name|list)\b', q):
        head = q[:between.start()]
        (first, one), (then, other) = _event(between.group(1)), _event(between.group(2))
        kind, kinds = _kind_asked(head)
        return Anchored(_asked(head), 'between', first, one, kind=kind, kinds=kinds,
                        until=then, until_modality=other)
    m = _EVENT.search(q)
    # "how many animals did you see after the explosion?": those of the kind on that side
    counted = re.match(r'\s*how many\s+([a-z -]+?)\s+(?:did|do|were|was|could|can)\b', q)
    if q.startswith('how many') and not (m and counted):
        return None
    if counted:
        kind = questions._thing(counted.group(1))
        if kind is None or not kind.words or m.group(1) == 'before or after':
            return None
        phrase, modality = _event(m.group(3))
        return Anchored(_asked(q[:m.start()]), m.group(1) or 'during', phrase, modality,
                        kind=kind, kinds=True, count=True)
    # "where were you looking when the alarm went off?": what was in view then
    if m and re.match(r'\s*(what|which|who|did|do|were|was|had|have|tell|describe|name|list|'
                      r'where\s+(?:were|was|did)\s+you\s+(?:looking|look|facing))\b',
                      q[:m.start()]):
        head = q[:m.start()]
        relation = m.group(1) or 'during'
        relation = 'order' if ' or ' in relation else relation
        phrase, modality = _event(m.group(3))
        if not phrase or re.fullmatch(r'(that|this|it|then|now)', phrase):
            return None
        # "did you see a cat before the alarm?", "did you see X before or after Y?": the thing
        # whose time is compared with the event's
        # (without how it sounded: "did the alarm go off ...")
        thing = questions.parse(_SOUNDED.sub(' ', head)).target \
            if _YES_NO.match(head) or relation == 'order' else None
        if relation == 'order' and thing is None:
            return None
        kind, kinds = _kind_asked(head) if thing is None else (None, False)
        # "did the explosion happen before the alarm?", "did the dog bark after ...": heard
        asks = 'heard' if thing is not None and _SOUNDED.search(head) else _asked(head)
        # "was the explosion before the alarm?": no verb says whether it was seen or heard
        either = thing is not None and not _PERCEIVED.search(head)
        return Anchored(asks, relation, phrase, modality, thing, either=either,
                        happened=thing is None and bool(_HAPPENED.match(head)),
                        people=bool(re.match(r'\s*who\b', head)),
                        told=bool(_TOLD.match(m.group(3))), asked=bool(_ASKED.match(m.group(3))),
                        kind=kind, kinds=kinds)
    if _THAT_SOUND.match(q):  # "what made that noise?": the last sound heard
        return Anchored('heard', 'last')
    # "in the last 30 seconds" is a window, not an order; "most recently" is the last
    q = timephrases.without_time(re.sub(r'\bmost recently\b', 'last', q))
    m = _ORDER.search(q)
    if m and not re.match(r'\s+(?:time|night|week|month|year|hour|minute|second)s?\b',
                          q[m.end():]) and \
            re.match(r'\s*(what|which|who|tell|name|describe)\b', q) and \
            not re.match(r'\s*which\s+(?:did|do|one)\b', q):  # "which did you see first?"
        head = q[:m.start()] + ' ' + q[m.end():]
        relation = 'first' if m.group(1) in ('first', 'earliest', *NTH) else 'last'
        # "what did the last sign say?", "what was the last thing I said?" are other questions
        if re.search(r'\b(sign|text|written|read|note|remember|ask|asked|told|question)\b',
                     head):
            return None
        rest = q[m.end():]
        noun = re.match(r'\s*([a-z -]+?)\s+(?:that |which )?(?:you|i|did)\b', rest)
        words = [w for w in (noun.group(1).split() if noun else []) if w not in _THING_WORDS]
        thing = questions._thing(' '.join(words)) if words else None
        # "which animal did you see first?": the first of that kind
        thing = thing or _kind_asked(head)[0]
        asks = _asked(head)
        return Anchored(asks, relation, thing=thing, voices=asks == 'heard' and thing is None and
                        not re.search(r'\b(?:sounds?|noises?)\b', head),
                        nth=NTH.get(m.group(1), 1),
                        colour=bool(re.search(r'\bcolou?rs?\b', head)))
    return None


KINDS_LISTED = 5  # "what animals did you see after X?": at most this many, nearest first


_KIND_ASKED = re.compile(r'\s*(?:what|which)\s+(?:kind of\s+|kinds of\s+|sort of\s+|type of\s+)?'
                         r'([a-z -]+?)\s+(?:did|do|were|was|could|can)\s+(?:you|i)\b')


def _kind_asked(head: str) -> tuple[Optional[questions.Thing], bool]:
    """The kind of thing a what/which question asks for, and whether in the plural: 'what
    animals did you see' -> (animal, True); 'what did you see', 'what sound did you hear': any
    (None)."""
    m = _KIND_ASKED.match(head)
    words = [w for w in (m.group(1).split() if m else []) if w not in _THING_WORDS]
    kind = questions._thing(' '.join(words)) if words else None
    last = m.group(1).split()[-1] if m else ''
    return kind, kind is not None and lang.singular(last) != last


@dataclasses.dataclass(frozen=True)
class Event:
    """The anchor found in memory: what it was and when."""

    item: MemoryItem
    said: str                        # how the answer names it: 'heard a telephone'
    start: float
    end: float


def find(anchored: Anchored, items: list[MemoryItem]) -> Optional[Event]:
    """The anchor event among `items`: words said that hold most of the asked words, a sound
    label that is the thing asked (questions.match), or a thing seen; the latest when several
    fit equally."""
    keys = lang.keys(anchored.event)
    thing = questions._thing(anchored.event)
    # what sounded, with every word of the phrase ("a camera click": the camera, which as a
    # question's word is only the robot's own camera)
    sounded = sound_thing(anchored.event) or thing
    found: list[tuple[float, float, Event]] = []
    signed = bool(set(re.findall(r'[a-z]+', anchored.event.lower())) & _SIGNS)
    for item in items:
        if anchored.event_modality in ('said', '') and keys:
            words = item.text if item.kind in ('speech', 'note') else \
                ' '.join(item.names(SPEECH))
            share = len(keys & lang.text_keys(words)) / len(keys)
            if share >= 0.5:
                quote = words if item.kind in ('speech', 'note') else item.names(SPEECH)[0]
                said = f'was asked to remember that {quote}' if item.kind == 'note' else \
                    f'heard someone say "{quote}"'
                # "before the motorcycle", no verb: the motorcycle seen, before words naming it
                weight = 1.0 if anchored.event_modality else UNSAID_WEIGHT
                found.append((weight * (share + ACT_WEIGHT * _act_fit(anchored, item)) -
                              ACT_WEIGHT, item.end, Event(item, said, item.start, item.end)))
        read = item.names(TEXT)
        if read and signed and anchored.event_modality in ('seen', ''):
            # "after the sign", "before the sign about parking": a text read, whose words the
            # rest of the phrase names
            if keys - _SIGN_KEYS <= lang.text_keys(' '.join(read)):
                found.append((0.9, item.end, Event(
                    item, f'saw a sign reading "{" ".join(read)}"', item.start, item.end)))
        if sounded is None or anchored.event_modality == 'said':
            continue
        for label in item.labels:
            if label.kind == SOUND and anchored.event_modality in ('heard', ''):
                m = questions.match(sounded, label, sound=True)
                if m is not None:  # a sound label naming one noun of the event still times it
                    name = lang.sound_name(label.name)
                    # "before the clock", no verb: a clock seen before an alarm clock heard
                    partial = not anchored.event_modality and \
                        not set(questions.stems_of(label.name)) <= set(sounded.stems)
                    # a sound item times its sound better than the clip or episode holding it
                    own = SOUND_ITEM_BONUS if item.kind == 'sound' else 0.0
                    found.append(((0.8 if m.unchecked or partial else 1.0) + own, item.end, Event(
                        item, f'heard {lang.plural(name, 1)}', item.start, item.end)))
            elif label.kind == OBJECT and thing is not None and \
                    anchored.event_modality in ('seen', ''):
                m = questions.match(thing, label)
                if m is not None and not m.unchecked:
                    found.append((0.9, item.end, Event(
                        item, f'saw {lang.plural(label.name, max(1, label.count))}',
                        item.start, item.end)))
    if not found:
        return None
    return max(found, key=lambda f: f[:2])[2]


_SIGNS = {'sign', 'notice', 'poster', 'banner', 'billboard', 'placard', 'text', 'writing'}
_SIGN_KEYS = {lang.key(w) for w in (*_SIGNS, 'about', 'saying', 'reading', 'read', 'said')}
ACT_WEIGHT = 0.25  # a said anchor of the speech act asked outweighs a closer wording
SOUND_ITEM_BONUS = 0.05
UNSAID_WEIGHT = 0.85  # an anchor named with no verb is a thing seen or heard before words


def is_question(item: MemoryItem) -> bool:
    """What was said in the item was a question (perception's `question` attribute, else its
    question mark)."""
    labels = [lab for lab in item.labels if lab.kind == SPEECH]
    if any(lab.attributes.get('question') for lab in labels):
        return True
    texts = [item.text] if item.kind == 'speech' else [lab.name for lab in labels]
    return any(t.rstrip().endswith('?') for t in texts)


def _act_fit(anchored: Anchored, item: MemoryItem) -> int:
    """How well a said item fits the anchor's speech act: "when I told you where my passport
    is" is a note or a statement, not the later question "Where is my passport?"; "when I asked
    you where my passport is" is that question, not the note. 2 fits, 1 may, 0 does not."""
    if not (anchored.told or anchored.asked):
        return 1
    if item.kind == 'note':
        return 2 if anchored.told else 0
    question = is_question(item)
    if anchored.told:
        return 0 if question else 1
    return 2 if question else 1


def sounded(text: str) -> str:
    """`text` without a verb saying its event was a sound ("the alarm go off" -> "the alarm"), or
    '' when it has none."""
    plain = _SOUNDED.sub(' ', text.lower())
    return plain if plain != text.lower() else ''


def each_sound(items: list[MemoryItem]) -> list[MemoryItem]:
    """The items that hold each sound on its own: the sound items, and a clip or an episode
    only for sounds no sound item of its time holds (an episode lists its several at once)."""
    sounds = [i for i in items if i.kind == 'sound']
    return [i for i in items if i.kind == 'sound' or not set(i.names(SOUND)) <= {
        n for s in sounds if s.start < i.end and i.start < s.end for n in s.names(SOUND)}]


def sound_thing(phrase: str) -> Optional[questions.Thing]:
    """The thing a heard event's phrase names, keeping the words a question's frame would drop
    ('camera', 'door', 'sound' aside): 'a camera click' -> ('camera', 'click')."""
    words = [lang.singular(w) for w in re.findall(r"[a-z0-9'-]+", phrase.lower())
             if w not in STOPWORDS and w not in questions.FILLER and w not in _THING_WORDS and
             len(w) > 1]
    return questions.Thing(tuple(words)) if words else None


def asked_kinds(anchored: Anchored) -> list[str]:
    """The memory kinds that can hold what the question asks for."""
    if anchored.voices or anchored.happened:
        return ['sound', 'speech', 'note', 'clip', 'episode']
    return {'seen': ['clip', 'episode'], 'heard': ['sound', 'clip', 'episode'],
            'said': ['speech', 'clip', 'episode']}[anchored.asks]


def event_kinds(anchored: Anchored) -> list[str]:
    """The memory kinds that can hold the anchor event."""
    return {'said': ['speech', 'note', 'clip', 'episode'], 'heard': ['sound', 'clip', 'episode'],
            'seen': ['clip', 'episode']}.get(anchored.event_modality, [])


def window(anchored: Anchored, event: Event) -> tuple[float, float]:
    """The span in which the asked-about items lie."""
    if anchored.relation == 'after':
        return event.end, event.end + AFTER_S
    if anchored.relation == 'before':
        return event.start - BEFORE_S, event.start
    return event.start - DURING_PAD_S, event.end + DURING_PAD_S


def _what(item: MemoryItem, asks: str, leave_out: set[str] = frozenset(),
          people: bool = False, alike: bool = True) -> str:
    """What an item holds of the asked modality, as said in an answer ('' when nothing);
    with `people`, only the people seen; with `alike`, what else a sound event sounded like."""
    if asks == 'heard':
        names = list(dict.fromkeys(lang.sound_name(n) for n in item.names(SOUND)
                                   if n not in leave_out))
        if item.kind == 'sound' and len(names) > 1:
            if not alike:
                return lang.plural(names[0], 1)
            # a sound event's other labels are other classes of the same sound, not more sounds
            main = lang.text_keys(names[0])
            other = [n for n in names[1:] if not lang.text_keys(n) & main][:SOUND_ALSO]
            like = f' (it also sounded like {" or ".join(lang.plural(n, 1) for n in other)})' \
                if other else ''
            return f'{lang.plural(names[0], 1)}{like}'
        return _and([lang.plural(n, 1) for n in names]) if names else ''
    if asks == 'said':
        words = [item.text] if item.kind == 'speech' else item.names(SPEECH)
        return ' / '.join(f'"{w}"' for w in words if w)
    labels = [lab for lab in item.labels if lab.kind in (OBJECT, TEXT)
              and lab.name not in leave_out and (not people or lab.kind == OBJECT and (
                  lab.name == 'person' or 'person' in questions.categories_of(lab)))]
    return describe.caption(labels, spoken=True) if labels else ''


SOUND_ALSO = 2  # a sound event's other classes said beside its own



def holds(item: MemoryItem, asks: str, leave_out: set[str] = frozenset()) -> bool:
    """The item holds something of the asked modality ('seen', 'heard' or 'said'), other than
    the labels `leave_out` names (an anchor event's own sound)."""
    return bool(_what(item, asks, leave_out))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ', '.join(words[:-1]) + ' and ' + words[-1]


_VERB = {'seen': 'I saw', 'heard': 'I heard', 'said': 'I heard someone say'}


def answer(anchored: Anchored, items: list[MemoryItem], now: float) -> Optional[str]:
    """The answer from `items` (the anchor and the items retrieved around it); when the anchor
    event is not among them, that it is not in memory; None when first/last finds nothing."""
    if anchored.relation in ('first', 'last'):
        return _ordered(anchored, items, now)
    if anchored.relation == 'between':
        return _gap(anchored, items) if anchored.gap else _between(anchored, items, now)
    event = find(anchored, items)
    if event is None:
        return _unknown(anchored)
    if anchored.thing is not None:
        return _compared(anchored, event, items, now)
    if anchored.kind is not None:
        return _of_kind(anchored, event, items, now)
    if anchored.happened:  # "what happened after ...?": each of what was seen, heard, said
        parts, first = [], None
        for asks in ('seen', 'heard', 'said'):
            when, what = _near(dataclasses.replace(anchored, asks=asks, happened=False), event,
                               items, now)
            if what and first in (None, when):
                first = when
                parts.append(f'{_VERB[asks]} {what}')
        if parts:
            return f'{first}, ' + '; '.join(parts) + '.'
    when, what = _near(anchored, event, items, now)
    if not what:
        nothing = {'seen': 'I did not see anyone then' if anchored.people else
                   'I have no record of what I saw then',
                   'heard': 'I did not hear anything else then',
                   'said': 'I did not hear anyone say anything then'}[anchored.asks]
        return f'I {event.said} {relative(event.end, now)}, at {clock(event.end)}, but ' \
               f'{nothing}.'
    return f'{when}, {_VERB[anchored.asks]} {what}.'


def _near(anchored: Anchored, event: Event, items: list[MemoryItem], now: float
          ) -> tuple[str, str]:
    """(when, what): how the answer places what it says against the event ("Right after I
    heard a telephone (about 80 seconds ago)"), and what of the asked modality memory holds
    then ('' when nothing)."""
    since, until = window(anchored, event)
    around = [i for i in items if i is not event.item and i.end >= since and i.start <= until
              and _what(i, anchored.asks, people=anchored.people)]
    if anchored.asks == 'seen' and event.item.kind in ('clip', 'episode') and \
            anchored.relation == 'during':
        around.append(event.item)  # the scene in which a sound or words were heard
    # "what did you hear when the phone rang?": the other sounds then, not the ring again
    rang = set(event.item.names(SOUND)) if anchored.asks == 'heard' and \
        event.said.startswith('heard ') and not event.said.startswith('heard someone') else set()
    when = f'When I {event.said} ({relative(event.end, now)}, at {clock(event.end)})'
    if anchored.relation in ('after', 'before'):
        after = anchored.relation == 'after'
        own = set(event.item.names(SOUND)) if anchored.asks == 'heard' else set()
        side = [i for i in around if (i.start >= event.start if after else i.end <= event.end)
                and _what(i, anchored.asks, own, anchored.people)]
        when = f'Right {anchored.relation} I {event.said} ({relative(event.end, now)})'
        if not side:  # nothing within the window: the nearest on that side, said as such
            side = [i for i in items if i is not event.item and
                    (i.start >= event.end if after else i.end <= event.start) and
                    _what(i, anchored.asks, own, anchored.people)]
            if side:
                span = AFTER_S if after else BEFORE_S
                when = f'Nothing in the {_span(span)} {anchored.relation} I {event.said} ' \
                       f'({relative(event.end, now)}); {"after" if after else "before"} that'
        pick = (min(side, key=lambda i: i.start) if after else
                max(side, key=lambda i: i.end)) if side else None
        if pick is not None and not when.startswith('Right'):
            when += f', {relative(pick.end, now)}'
    else:
        around = [i for i in around if not rang or _what(i, 'heard', rang)]
        pick = min(around, key=lambda i: abs((i.start + i.end) / 2 - (event.start + event.end)
                                            / 2)) if around else None
    seen_there = {lab.name for lab in event.item.labels} if event.item.kind != 'speech' else set()
    leave_out = seen_there if anchored.relation != 'during' else rang
    what = _what(pick, anchored.asks, leave_out, anchored.people) if pick else ''
    if pick is not None and not what:
        what = _what(pick, anchored.asks, people=anchored.people)
    return when, what


def _span(seconds: float) -> str:
    return 'minute' if seconds == 60 else f'{seconds:.0f} seconds'


def occurrences(anchored: Anchored, items: list[MemoryItem]) -> list[tuple[MemoryItem, str]]:
    """Items holding the thing asked about, each with how the answer names it."""
    kind = SOUND if anchored.asks == 'heard' else OBJECT
    out = []
    for item in items:
        for label in item.labels:
            if label.kind != kind:
                continue
            m = questions.match(anchored.thing, label, sound=kind == SOUND)
            if m is not None and (not m.unchecked or kind == SOUND):
                name = lang.sound_name(label.name) if kind == SOUND else label.name
                out.append((item, lang.plural(name, 1 if kind == SOUND else
                                                   max(1, label.count))))
                break
    return out


def _compared(anchored: Anchored, event: Event, items: list[MemoryItem], now: float) -> str:
    """"Did you see a cat before the alarm rang?", "did you see X before or after Y?": the
    thing's time compared with the event's."""
    seen = [(i, what) for i, what in occurrences(anchored, items) if i is not event.item or
            anchored.relation == 'during']
    if not seen and anchored.either and anchored.asks == 'seen':
        anchored = dataclasses.replace(anchored, asks='heard')  # "was the explosion ...?"
        seen = [(i, what) for i, what in occurrences(anchored, items) if i is not event.item]
    verb = 'heard' if anchored.asks == 'heard' else 'saw'
    if not seen:
        return f'I have no record of {lang.plural(str(anchored.thing), 1)} ' \
               f'{"heard" if verb == "heard" else "seen"} around then.'

    def relation(item: MemoryItem) -> str:
        return relation_to(item, event)
    asked = anchored.relation
    fitting = [(i, w) for i, w in seen if relation(i) == asked or
               (asked == 'during' and relation(i) != 'during' and
                min(abs(i.end - event.start), abs(i.start - event.end)) <= DURING_PAD_S)]
    if asked != 'order' and fitting:
        item, what = min(fitting, key=lambda iw: abs(iw[0].end - event.end))
        word = 'when' if asked == 'during' else asked
        return f'Yes, I {verb} {what} {relative(item.end, now)}, {word} I {event.said}.'
    item, what = min(seen, key=lambda iw: abs(iw[0].end - event.end))
    actual = relation(item)
    word = 'at the same time as' if actual == 'during' else actual
    text = f'I {verb} {what} {relative(item.end, now)}, {word} I {event.said}.'
    return text if asked == 'order' else f'No, {text}'


def _of_kind(anchored: Anchored, event: Event, items: list[MemoryItem], now: float) -> str:
    """"What animal did you see before the squirrel?": the nearest thing of the kind asked on
    the asked side of the event (any time before or after it; at the time of it for 'during')."""
    verb = 'heard' if anchored.asks == 'heard' else 'saw'
    kind = dataclasses.replace(anchored, thing=anchored.kind)
    seen = [(i, what) for i, what in occurrences(kind, items) if i is not event.item or
            anchored.relation == 'during']
    side = {'after': 'after', 'before': 'before'}.get(anchored.relation, 'during')
    fitting = [(i, w) for i, w in seen if relation_to(i, event) == side]
    name = lang.plural(str(anchored.kind), 1)
    if not fitting:
        when = {'after': 'after that', 'before': 'before that'}.get(side, 'at that time')
        return f'I {event.said} {relative(event.end, now)}, but I have no record of ' \
               f'{name} {"heard" if verb == "heard" else "seen"} {when}.'
    # nearest first
    fitting.sort(key=lambda iw: iw[0].start if side == 'after' else -iw[0].end
                 if side == 'before' else abs(iw[0].end - event.end))
    lead = {'after': 'After', 'before': 'Before'}.get(side, 'When')
    if anchored.count:  # "how many animals ...": each kind as many as seen at once
        most: dict[str, int] = {}
        for item, _ in fitting:
            for label in describe.unrefined(item.labels):  # a cat refined as a domestic cat: one
                m = questions.match(anchored.kind, label, sound=verb == 'heard')
                if label.kind in (OBJECT, SOUND) and m is not None and not m.unchecked:
                    name = lang.sound_name(label.name) if label.kind == SOUND else label.name
                    most[name] = max(most.get(name, 0), label.count or 1)
        listed = [lang.plural(n, c) for n, c in most.items()]
        total = lang.plural(str(anchored.kind), sum(most.values()))
        named = len(listed) > 1 or list(most) != [str(anchored.kind)]  # "animals": which
        return f'{lead} I {event.said} ({relative(event.end, now)}), I {verb} {total}' + \
            (f': {_and(listed)}.' if named else '.')
    if anchored.kinds:  # "what animals ...": each one, in the order of the answer
        names = list(dict.fromkeys(what for _, what in fitting))[:KINDS_LISTED]
        return f'{lead} I {event.said} ({relative(event.end, now)}), I {verb} {_and(names)}.'
    item, what = fitting[0]
    return f'{lead} I {event.said} ({relative(event.end, now)}), I {verb} {what} ' \
           f'{relative(item.end, now)}.'


def bounds(anchored: Anchored, items: list[MemoryItem]
           ) -> tuple[Optional[Event], Optional[Event]]:
    """The two events of a "between X and Y" question, earlier first (None where not found)."""
    a, b = find(anchored, items), find(second(anchored), items)
    if a is not None and b is not None and b.start < a.start:
        a, b = b, a
    return a, b


def between(anchored: Anchored, items: list[MemoryItem], a: Event, b: Event
            ) -> list[MemoryItem]:
    """The items holding what is asked (of the kind asked) from the end of event `a` to the
    start of `b`, in time order."""
    inside = [i for i in items if i is not a.item and i is not b.item and
              i.start >= a.end - DURING_PAD_S and i.end <= b.start + DURING_PAD_S and
              _what(i, anchored.asks)]
    if anchored.kind is not None:
        kind = dataclasses.replace(anchored, thing=anchored.kind)
        inside = [i for i, _ in occurrences(kind, inside)]
    return sorted({i.id: i for i in inside}.values(), key=lambda i: i.start)


def _between(anchored: Anchored, items: list[MemoryItem], now: float) -> str:
    """"What did you see between the cat and the squirrel?": what was there from the end of
    the one to the start of the other, in time order."""
    a, b = bounds(anchored, items)
    if a is None or b is None:
        return _unknown(anchored if a is None else second(anchored))
    verb = _VERB[anchored.asks]
    when = f'After I {a.said} ({relative(a.end, now)}) and before I {b.said} ' \
           f'({relative(b.end, now)})'
    inside = between(anchored, items, a, b)
    if not inside:
        what = lang.plural(str(anchored.kind), 1) if anchored.kind is not None else 'anything'
        return f'{when}, I have no record of {what} {"heard" if verb == "I heard" else "seen"}.'
    if anchored.kind is not None:
        kind = dataclasses.replace(anchored, thing=anchored.kind)
        whats = list(dict.fromkeys(w for _, w in occurrences(kind, inside)))
    else:  # several sounds: each by its own class
        whats = list(dict.fromkeys(_what(i, anchored.asks, alike=len(inside) == 1)
                                   for i in inside))
    return f'{when}, {verb} {_and(whats[:KINDS_LISTED])}.'


def _gap(anchored: Anchored, items: list[MemoryItem]) -> str:
    """"How much time passed between the alarm and the explosion?": from the start of the one
    to the start of the other, with the clock time of each."""
    a, b = bounds(anchored, items)
    if a is None or b is None:
        return _unknown(anchored if a is None else second(anchored), 'how long it was')
    return f'{timephrases.span(b.start - a.start).capitalize()}: I {a.said} at ' \
           f'{clock(a.start)} and {b.said} at {clock(b.start)}.'


def side_of(question: str, items: list[MemoryItem]) -> Optional[tuple[str, Event]]:
    """('before', the explosion heard) for "how many sounds did you hear before the
    explosion?": the side asked and the event found among `items`; None when the question names
    no side of an event ("when", "before or after") or the event is not among them."""
    m = _EVENT.search(lang.clean(question).lower().rstrip('?.! '))
    if m is None or m.group(1) not in ('before', 'after'):
        return None
    phrase, modality = _event(m.group(3))
    event = find(Anchored('heard', m.group(1), phrase, modality), items) if phrase else None
    return (m.group(1), event) if event is not None else None


def relation_to(item: MemoryItem, event: Event) -> str:
    """When `item` was, relative to the event: 'before', 'after' or 'during'."""
    if item.end <= event.start + DURING_PAD_S and item.start < event.start:
        return 'before'
    if item.start >= event.end - DURING_PAD_S and item.end > event.end:
        return 'after'
    return 'during'


def _unknown(anchored: Anchored, asked: str = '') -> str:
    """The anchor is not in memory: say so, and that what was asked (`asked`, else what was
    perceived then) cannot be told."""
    verb = {'seen': 'saw', 'heard': 'heard', 'said': 'heard said'}[anchored.asks]
    asked = asked or f'what I {verb} then'
    if anchored.event_modality == 'said':
        missing = f'I have no record of anyone saying "{anchored.event}"'
    elif anchored.event_modality == 'seen':
        missing = f'I have no record of seeing {anchored.event}'
    else:
        missing = f'I have no record of that ({anchored.event})'
    return f'{missing}, so I cannot tell {asked}.'


def _ordered(anchored: Anchored, items: list[MemoryItem], now: float) -> Optional[str]:
    """"The first thing you saw", "the last sound you heard", "the first car you saw"."""
    candidates = []
    voice = _first_voice(anchored, items)
    if anchored.asks == 'heard':
        items = each_sound(items)
    for item in items:
        if anchored.thing is not None:
            kind = SOUND if anchored.asks == 'heard' else OBJECT
            hits = [lab for lab in item.labels if lab.kind == kind and
                    (m := questions.match(anchored.thing, lab, sound=kind == SOUND)) is not None
                    and not m.unchecked]
            if hits:
                name = lang.sound_name(hits[0].name)
                candidates.append((item, lang.plural(name, max(1, hits[0].count)), hits[0]))
        else:
            what = _what(item, anchored.asks)
            if what:
                candidates.append((item, what, None))
    first = anchored.relation == 'first'
    order = 'first' if first else 'last'
    if not candidates and anchored.thing is not None and voice is None:
        # "what colour was the first dog you saw?" when none was: no other thing is its answer
        return f'I have no record of {"hearing" if anchored.asks == "heard" else "seeing"} ' \
               f'{lang.plural(str(anchored.thing), 1)}.'
    if not candidates:
        return None if voice is None else \
            f'The {order} thing I heard was {voice[1]}, {relative(voice[0].end, now)}, ' \
            f'at {clock(voice[0].end)}.'
    item, what, label = (min if first else max)(candidates,
                                                 key=lambda c: c[0].start if first else c[0].end)
    verb = {'seen': 'saw', 'heard': 'heard', 'said': 'heard someone say'}[anchored.asks]
    if anchored.nth > 1:  # "the second thing you saw": each thing once, in the order first seen
        ordered = list(dict.fromkeys(c[1] for c in sorted(candidates, key=lambda c: c[0].start)))
        if len(ordered) < anchored.nth:
            return None
        what = ordered[anchored.nth - 1]
        item = min((c[0] for c in candidates if c[1] == what), key=lambda i: i.start)
        ordinal = [k for k, v in NTH.items() if v == anchored.nth][0]
        noun = str(anchored.thing) if anchored.thing is not None else \
            'sound' if anchored.asks == 'heard' and not anchored.voices else 'thing'
        return f'The {ordinal} {noun} I {verb} was {what}, {relative(item.end, now)}, at ' \
               f'{clock(item.end)}.'
    if anchored.thing is not None:
        # "what (colour) was the first car you saw?": the one seen first, by its colours
        # (a thing's own colours: a person's are their clothes', not theirs)
        person = label.name == 'person' or bool(questions.people_of(label))
        colours = list(questions.attribute(label, 'colours') or ()) \
            if anchored.asks == 'seen' and not person else []
        when = f'{relative(item.end, now)}, at {clock(item.end)}'
        if anchored.colour and person:
            return None  # what they wore is people's answer
        if anchored.colour:
            return f'The {order} {anchored.thing} I {verb} was {_and(colours)}, {when}.' \
                if colours else \
                f'I {order} {verb} {what} {when}, but I did not notice its colour.'
        if colours:  # "a blue and green car"
            what = lang.plural(f'{_and(colours[:2])} {lang.sound_name(label.name)}',
                               max(1, label.count))
        return f'I {order} {verb} {what} {when}.'
    if voice is not None and (voice[0].start < item.start if first else voice[0].end > item.end):
        return f'The {order} thing I heard was {voice[1]}, {relative(voice[0].end, now)}, at ' \
               f'{clock(voice[0].end)}. The {order} sound was {what}, {relative(item.end, now)}.'
    return f'The {order} thing I {verb} was {what}, {relative(item.end, now)}, ' \
           f'at {clock(item.end)}.'


def _first_voice(anchored: Anchored, items: list[MemoryItem]
                 ) -> Optional[tuple[MemoryItem, str]]:
    """For "the first / last thing you heard": the first (last) utterance or note heard, and
    how it is said; None when the question asks about sounds only."""
    if not anchored.voices:
        return None
    said = [i for i in items if i.kind in ('speech', 'note') and i.text]
    if not said:
        return None
    first = anchored.relation == 'first'
    item = (min if first else max)(said, key=lambda i: i.start if first else i.end)
    if item.kind == 'note':
        return item, f'you asking me to remember that {item.text}'
    return item, f'someone saying "{item.text.rstrip(".")}"'
