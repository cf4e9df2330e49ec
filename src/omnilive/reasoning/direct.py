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
import difflib
import re
from typing import Callable, Mapping, Optional

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions, speech, timephrases
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import clock, relative, span

YES_NO = re.compile(r'\s*(did|do|does|have|has|had|was|were|is|are)\b', re.IGNORECASE)
WHY = re.compile(r'\s*(why|how come)\b', re.IGNORECASE)
# a question about what the robot perceived (not about what it was told)
PERCEIVED = re.compile(r"\b(see|saw|seen|sees|notice|noticed|look|looked|looking|watch|watched|"
                       r"spot|spotted|visible|hear|heard|hears|there)\b", re.IGNORECASE)
# an utterance starting this soon after another is its reply: one conversation
REPLY_S = 10.0
NOTES_LIST = re.compile(r'\b(what|anything|how many)\b.*\b(ask|asked|tell|told)\b.*\bremember\b|'
                        r'\b(?:first|last|latest|second|third)\s+(?:thing|note)\s+(?:that\s+)?'
                        r'i\s+(?:told|gave)\s+you\b|'
                        r'\b(ask|asked|tell|told)\b.*\bremember\b\s+(anything|something)'
                        r'\s*[?.!]*$|'
                        r'\bremind me\b|\bhow many notes\b', re.IGNORECASE)
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
                            r'(?!.*\bremember\b)|\bmy (?:last|previous|first) question\b|'
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


def answer(question: str, items: list[MemoryItem], focus: Optional[str], now: float,
           previous_question: Optional[str] = None) -> Optional[str]:
    """The direct answer to `question` from `items`, or None when the model should answer.

    Tried in this order, the first that the evidence settles wins: the notes listed, what was
    said, a count, what a sign read (or a room or gate number seen on one), when something was
    seen or heard, a note about what is asked, what was seen at a named time, the colour or
    place of a thing, the things of a category ("which animals?"), whether something was
    heard, whether something was seen.
    Yes/no answers are "yes" only when the evidence supports every part of the question
    (questions.parse): the thing, its colour, place, count and relations; otherwise the answer
    says what was seen and what was not, or could not be, checked."""
    if WHY.match(question):
        return None  # reasons are not in the labels: the model answers from the evidence
    # "any animals besides the cat?": the question without the cat, over memory without it
    but = _EXCEPT.search(question)
    left_out = [t for part in re.split(r'\b(?:and|or)\b', but.group(1))
                if (t := questions._thing(part)) is not None and t.words] if but else []
    if left_out:
        question = question[:but.start()] + question[but.end():]
        items = [dataclasses.replace(i, labels=[
            lab for lab in i.labels if lab.kind != OBJECT or
            all(questions.match(t, lab) is None for t in left_out)]) for i in items]
    anchored = events.parse(question)
    if anchored is not None:  # "what did you see when the phone rang?", "the first thing ..."
        return events.answer(anchored, items, now)
    keys = lang.keys(question) | ({lang.key(focus)} if focus else set())
    heard = lang.asks_heard(f'{previous_question or ""} {question}') and \
        not lang.asks_said(question)
    yes_no = bool(YES_NO.match(question))
    parsed = questions.parse(question)
    if not parsed.targets and focus:  # "and when was that?": the previous question's thing
        parsed = dataclasses.replace(parsed, targets=(Thing(tuple(focus.split())),))
    notes = [i for i in items if i.kind == 'note']
    if notes and NOTES_LIST.search(question):
        ordered = notes_asked(question, notes)
        listed = '; '.join(n.text for n in ordered)
        about = re.search(r'\babout\s+(.+?)\s*[?.!]*$', question, re.IGNORECASE)
        if about and not lang.keys(about.group(1)) & set().union(
                *(lang.text_keys(n.text) for n in ordered)):
            # "remind me about my wallet": no note is; what the notes are
            yours = re.sub(r'\bmy\b', 'your', about.group(1), flags=re.IGNORECASE)
            return f'You did not ask me to remember anything about {yours}. You asked me to ' \
                   f'remember: {listed}.'
        if re.match(r'\s*how many\b', question, re.IGNORECASE):
            many = f'{len(ordered)} things' if len(ordered) > 1 else 'one thing'
            return f'You asked me to remember {many}: {listed}.'
        return f'{"Yes, you" if YES_NO.match(question) else "You"} asked me to remember: {listed}.'
    if ASKED_OF_ROBOT.search(question):
        return _asked(question, items, now, yes_no)
    # a count is settled by counted labels or not at all (a note naming the thing is no count)
    steps = (_who_spoke, _times, _conversation, _signs_counted, _count) \
        if lang.asks_count(question) else \
        (_more, _sizes, _at_most, _times, _how_long, _loudness, _heard_list, _who_spoke,
         _state_choice, _holding_any, _said_so, _said, _conversation, _read, _clock_shown, _when,
         _note, _not_told, _happened_at, _seen_at, _heard_at, _who, _garment, _worn, _heading,
         _doing, _placed, _located, _with, _at_once, _every, _attribute, _looked, _listed,
         _coloured, _heard, _seen, _not_seen)
    for step in steps:
        text = step(question, items, keys, now, heard, yes_no, parsed)
        if text:
            return text
    return None


_EXCEPT = re.compile(r'\s*,?\s+(?:besides|other than|apart from|aside from|except(?: for)?)\s+'
                     r'([a-z][a-z -]*?)\s*(?=[?.!,]|$)', re.IGNORECASE)


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


def _said(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if not lang.asks_said(question):
        return None
    # "did anyone mention a birthday?": what was said must hold what it is about, not only
    # that someone said something
    about = keys - _SAYING
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
    return f'{relative(best.item.end, now).capitalize()} I heard someone say {_quote(best.name)}'


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
    if PERCEIVED.search(question) or not speech.about_speech(question, items):
        return None
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


# "how many sounds did you hear?": the sound events (group 1 is for HEARD_LIST's readers: sounds
# only, no words)
SOUNDS_COUNTED = re.compile(r'\s*how many\s+((?:different\s+)?(?:sounds|noises))\s+(?:did|have)\s+'
                            r'you\s+(?:hear|heard)\b', re.IGNORECASE)


def _pieces_said(sounds: list[tuple[list[MemoryItem], float]], now: float) -> str:
    """'a knock (about 7 minutes ago) and a buzzer (about 8 minutes ago)': sounds heard in
    pieces (in_a_row), each by its first piece and when it ended; the first SOUNDS_LISTED."""
    return _and([f'{a_sound(pieces[0].names(SOUND)[0])} ({relative(end, now)})'
                 for pieces, end in sounds[:SOUNDS_LISTED]])


def _count(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    counted = lang.asks_count(question)
    if not counted:
        return None
    if SOUNDS_COUNTED.match(question):
        # one sound heard in pieces (an alarm as a buzzer, then a beep) is one sound, named by
        # its first piece; the latest first
        heard_items = [i for i in events.each_sound(items) if i.kind == 'sound' and
                       i.names(SOUND)]
        side, lead = events.side_of(question, items), ''
        if side is None and re.search(r'\b(?:before|after|when|while|during)\b', question,
                                      re.IGNORECASE):
            return None  # an event it names that memory does not hold, or a time around one
        sounds = in_a_row(heard_items, SOUND_GAP_S)[::-1]
        if side is not None:  # "... before the explosion": those on that side of it (not the
            relation, event = side  # other pieces of the event's own sound)
            sounds = [(pieces, end) for pieces, end in sounds
                      if event.item not in pieces and events.relation_to(
                          pieces[0] if relation == 'after' else pieces[-1], event) == relation]
            lead = f'{relation.capitalize()} I {event.said} ({relative(event.end, now)}), '
            if not sounds:
                return f'{lead}I heard no other sound.'
        if not sounds:
            return None
        latest = ', the latest' if len(sounds) > SOUNDS_LISTED else ''
        return f'{lead}I heard {len(sounds)} sound{"s" if len(sounds) > 1 else ""}{latest}: ' \
               f'{_pieces_said(sounds, now)}.'
    thing = questions._thing(counted) or Thing(tuple(counted.split()))
    if heard:
        # "how many dogs / animals did you hear?": the sound events of that thing (pieces in a
        # row are one); how many animals made them a microphone cannot tell
        sounds = in_a_row(list({m.item.id: m.item for m in _matching(items, SOUND, set(), thing)
                                if _main_sound(m) is None}.values()), SOUND_GAP_S)[::-1]
        if not sounds:
            return None
        n, many = len(sounds), lang.plural(str(thing), 2).split(' ', 1)[-1]
        return f'I heard {"one" if n == 1 else n} {thing} sound{"s" if n > 1 else ""}: ' \
               f'{_pieces_said(sounds, now)}; I cannot tell how many {many} made ' \
               f'{"it" if n == 1 else "them"}.'
    if thing.colour and not thing.words:
        # "how many red things?": each thing seen in that colour, as many as seen at once
        most: dict[str, Mention] = {}
        for m in (m for i in items for m in labels_of(i) if m.kind == OBJECT and
                  m.label is not None and m.name != 'person' and  # a person's are clothes
                  thing.colour in questions.colours_of(m.label)):
            if m.name not in most or (m.count, m.item.end) > (most[m.name].count,
                                                             most[m.name].item.end):
                most[m.name] = m
        if not most:
            return None
        seen = sorted(most.values(), key=lambda m: -m.item.end)
        total = sum(max(m.count, 1) for m in seen)
        latest = ', the latest' if len(seen) > PLACES_LISTED else ''
        return f'I saw {"one" if total == 1 else total} {thing.colour} ' \
               f'thing{"s" if total != 1 else ""}{latest}: ' + \
            _and([f'{lang.plural(m.name, max(m.count, 1))} ({relative(m.item.end, now)})'
                  for m in seen[:PLACES_LISTED]]) + '.'
    # "how many animals?": each kind seen, as many as seen at once (a kind the classifier named
    # in the whole view, uncounted, is one)
    mentions = _mentions(items, OBJECT, thing)
    found = [(m, f) for m, f in mentions if not f.unchecked]
    kinds: dict[str, int] = {}
    if any(f.by == 'category' for _, f in found):
        for m, _ in found:
            # a citrus fruit and the orange it may be are one kind: the finer name counts
            if not any(o.name != m.name and questions.kind_of(o.label, tuple(m.name.split()))
                       for o, _ in found):
                kinds[m.name] = max(kinds.get(m.name, 0), m.count, 1)
    if len(kinds) > 1:
        total = sum(kinds.values())
        return f'I saw {lang.plural(str(thing), total)}: ' \
               f'{_and([lang.plural(n, c) for n, c in kinds.items()])}.'
    seen = [m for m in _matching(items, OBJECT, set(), thing) if m.count > 0]
    if not seen:
        broader = _could_be(items, thing)
        if broader and not mentions:  # "how many apples?" when only food was seen
            return _may_be(broader, str(thing), now)
        return None
    state = parsed.target.state if parsed.target is not None else None
    if state:  # "how many people were walking?": those perception noticed so
        return _counted_in(state, seen, now)
    worn = next((r.thing.colour for r in parsed.relations
                 if r.kind == 'wearing' and r.thing.colour), None)
    if worn and any(questions.people_of(m.label) for m in seen):
        # "how many people were wearing black?": those whose clothes perception saw in it
        return _counted_in(f'wearing {worn}', seen, now, lambda p: worn in (
            (p.get('clothing') or {}).values()))
    other = next((r for r in parsed.relations if r.kind in ('wearing', 'with') and
                  set(r.thing.words) - {'clothes'} and not r.thing.colour), None)
    if other is not None:
        # "how many people were wearing a tie?": as many as a view held of both, at most;
        # "how many people did you see with the ball?": the people of the views with it
        both = []
        for m in seen:
            company = _companions(m, other.thing)
            worn = sum(max(c.count, 1) for c in company)
            both.append((min(m.count, worn) if other.kind == 'wearing' else
                         m.count if company else 0, m, company))
        n, m, company = max(both, key=lambda b: (b[0], b[1].item.end))
        if n:
            people = lang.plural(m.name, n).split(' ', 1)[-1]
            what = lang.plural(company[0].name, n if other.kind == 'wearing' else 1)
            return f'I saw {"one" if n == 1 else n} {people} with {what} ' \
                   f'{"at once, " if n > 1 else ""}{relative(m.item.end, now)}.'
    best = max(seen, key=lambda m: (m.count, m.item.end))
    name = f'{thing.colour} {best.name}' if thing.colour else best.name  # "2 grey cars"
    if best.count == 1:
        return f'I saw one {name}, {relative(best.item.end, now)}.'
    return f'I saw {lang.plural(name, best.count)} at once, {relative(best.item.end, now)}.'


_MORE = re.compile(r'\b(more|fewer|less)\s+([a-z ]+?)\s+(than|or)\s+([a-z ]+?)\s*[?.!]*$',
                   re.IGNORECASE)


def compared(question: str) -> list[Thing]:
    """The two things "more people than cars?" / "more animals or vehicles?" / "which was
    louder (bigger), the explosion (squirrel) or the alarm (cat)?" compares ([] for other
    questions): each is retrieved on its own, so that neither is "none" for want of
    retrieval."""
    m = _MORE.search(question)
    phrases = [m.group(2), m.group(4)] if m else []
    if m is None:  # "which was louder / bigger, X or Y?", "was X quieter / taller than Y?"
        m = _LOUDER.search(question) or _COMPARED.search(question)
        phrases = [] if m is None else \
            [m.group(2), m.group(3)] if m.group(1) else [m.group(4), m.group(6)]
    things = [questions._thing(p) for p in phrases]
    return things if len(things) == 2 and all(t is not None and t.words for t in things) else []


def _more(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Were there more people than cars?", "more cars or people?": each as many as seen at
    once, compared. None when neither was seen."""
    m = _MORE.search(question)
    things = compared(question) if m and not heard else []
    if not things:
        return None
    most = [max((c.count for c in _matching(items, OBJECT, set(), t)), default=0)
            for t in things]
    if not any(most):
        return None
    names = [lang.plural(str(t), 2).split(' ', 1)[-1] for t in things]
    (a, na), (b, nb) = sorted(zip(names, most), key=lambda x: -x[1])
    verdict = f'as many {a} as {b}' if na == nb else f'more {a} than {b}'
    counts = ' and '.join(lang.plural(str(t), n) if n else f'no {name}'
                          for t, n, name in zip(things, most, names))
    verdict = f'I saw {verdict}: {counts} at most at once.'
    if not yes_no or m.group(3).lower() == 'or':  # "more cars or people?": which
        return verdict
    holds = most[0] > most[1] if m.group(1).lower() == 'more' else most[0] < most[1]
    return f'{"Yes" if holds else "No"}, {verdict}'


# "was the squirrel bigger than the cat?", "which was taller, X or Y?": sizes, speeds and ages
# are not measured, so only whether both were seen can be said
_COMPARED = re.compile(
    r'\bwhich(?:\s+[a-z]+)?\s+(?:was|were|is|looked)\s+(bigger|larger|smaller|taller|shorter|longer|'
    r'heavier|lighter|faster|slower|older|younger)\b[,:]?\s+(.+?)\s+or\s+(.+?)\s*[?.!]*$|'
    r'^\s*(?:was|were|is|are|did)\s+(.+?)\s+(?:look\s+)?(bigger|larger|smaller|taller|shorter|'
    r'longer|heavier|lighter|faster|slower|older|younger)\s+than\s+(.+?)\s*[?.!]*$',
    re.IGNORECASE)


def _sizes(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Was the squirrel bigger than the cat?": perception measures no size, speed or age,
    so the answer says when each was seen and that it cannot compare them. None when neither
    was seen."""
    m = _COMPARED.search(question) if not heard else None
    things = compared(question) if m else []
    if not things:
        return None
    word = (m.group(1) or m.group(5)).lower()
    said = []
    for thing in things:
        seen = _matching(items, OBJECT, set(), thing)
        said.append(f'{_some(max(seen, key=lambda s: s.item.end))} '
                    f'{relative(max(s.item.end for s in seen), now)}' if seen else None)
    if not any(said):
        return None
    if not all(said):
        missing = lang.plural(str(things[said.index(None)]), 1)
        return f'I have not seen {missing}; I saw {next(x for x in said if x)}.'
    return f'I saw {said[0]} and {said[1]}, but I cannot tell which was {word}: I do not ' \
           f'measure how {_MEASURES.get(word, word)} things are.'


_MEASURES = {'bigger': 'big', 'larger': 'big', 'smaller': 'big', 'taller': 'tall',
             'shorter': 'tall', 'longer': 'long', 'heavier': 'heavy', 'lighter': 'heavy',
             'faster': 'fast', 'slower': 'fast', 'older': 'old', 'younger': 'old'}


_AT_MOST = re.compile(r'\b(?:(fewer|less) than|at most|no more than|not more than)\s+'
                      r'([a-z0-9]+)\s+(.+?)[?.!]*$', re.IGNORECASE)


def _at_most(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Did you see fewer than 3 cars?", "at most two people?": the most seen at once against
    the bound (a count is the most seen at once, as for "how many"). None when none was seen."""
    m = _AT_MOST.search(question) if yes_no and not heard else None
    if m is None:
        return None
    word = m.group(2).lower()
    bound = int(word) if word.isdigit() else timephrases.NUMBER_WORDS.get(word)
    thing = questions._thing(m.group(3))
    if bound is None or thing is None or not thing.words:
        return None
    bound -= 1 if m.group(1) else 0  # fewer than 3: at most 2
    seen = [s for s in _matching(items, OBJECT, set(), thing) if s.count > 0]
    if not seen:
        return None
    most = max(seen, key=lambda s: (s.count, s.item.end))
    n = f'one {most.name}' if most.count == 1 else lang.plural(most.name, most.count)
    said = f'the most I saw at once was {n}, {relative(most.item.end, now)}.'
    return f'{"Yes" if most.count <= bound else "No"}, {said}'


def _counted_in(state: str, seen: list[Mention], now: float,
                fits: Optional[Callable[[Mapping], bool]] = None) -> str:
    """"How many people were sitting?": the most perception noticed in that state at once
    (`fits`: whether one person is as asked, by default in `state`), said as noticed (it looks
    at the few most present people of a view), or that it noticed none so; for things whose
    states it does not notice ("how many cats were sleeping?"), the count seen and that the
    state was not noticed."""
    fits = fits or (lambda person: state in questions.person_states(person))

    def noticed(m: Mention) -> int:
        people = questions.people_of(m.label)
        if people:
            return sum(bool(fits(p)) for p in people)
        return m.count if state in questions.states_of(m.label) else 0
    best = max(seen, key=lambda m: (noticed(m), m.count, m.item.end))
    n, when = noticed(best), relative(best.item.end, now)
    if n == 1:
        return f'I noticed one {best.name} {state}, {when}.'
    if n:
        return f'I noticed {lang.plural(best.name, n)} {state} at once, {when}.'
    be = 'were' if best.count > 1 or best.name == 'person' else 'was'
    if any(questions.states_of(m.label) or questions.people_of(m.label) for m in seen):
        return f'I saw {lang.plural(best.name, best.count)} {when}, but I did not notice any ' \
               f'of them {state}.' if best.count > 1 else \
            f'I saw {lang.plural(best.name, 1)} {when}, but I did not notice it {state}.'
    return f'I saw {lang.plural(best.name, best.count)} {when}, but I did not notice whether ' \
           f'{"they" if be == "were" else "it"} {be} {state}.'


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
    # "which signs did you read?": each one, in the order they were read
    if not yes_no and _SIGNS.search(question) and not keys - SIGN_KEYS:
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
    return f'{"Yes, t" if yes_no else "T"}he sign read "{texts}", {relative(sign.end, now)}.'


# what text is written on ("on the generator"); the words of things that are themselves signs
# or that perception does not name (a wall, a door) are not taken for things it should have seen
_WRITTEN_ON = re.compile(r"\b(?:written|printed|painted|read|text|words?|says?)\s+(?:on|of)\s+"
                         r"(?:the|a|an|that|this)\s+([a-z][a-z ]*?)\s*[?.!]*$", re.IGNORECASE)
_SIGN_WORDS = {lang.key(w) for w in '''sign board notice poster banner label screen plate card
wall door paper page note text writing sticker display billboard placard plaque box packet
package cover front side back'''.split()}


_SIGNS = re.compile(r'\b(signs|notices|texts|labels|posters)\b', re.IGNORECASE)
# "a sign that said exit", "any sign saying no parking", "a poster about the concert"
_SAID_ON_SIGN = re.compile(r'\b(?:signs?|notices?|posters?|labels?|banners?|boards?)\b.*\b(?:say|'
                           r'says|said|saying|read|reads|reading|about|with)\b', re.IGNORECASE)
# the words of a question about signs in general ("what did the signs say?")
SIGN_KEYS = _SIGN_WORDS | {lang.key(w) for w in '''read say said written see saw all different
distinct separate first last latest earliest'''.split()}
SIGNS_LISTED = 4  # "which signs did you read?": the latest this many


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


def _when(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if not lang.asks_when(question) or not keys:
        return None
    thing = parsed.target if parsed.modality in ('seen', 'heard') else None
    objects, sounds = _matching(items, OBJECT, keys, thing), _matching(items, SOUND, keys, thing)
    if sounds and (heard or not objects):  # a sound item times a sound better than its clip
        best = max(sounds, key=lambda m: (m.item.kind == 'sound', m.item.end))
        return f'I heard {a_sound(best.name)} {relative(best.item.end, now)}, ' \
               f'at {clock(best.item.end)}.'
    if objects:
        best = max(objects, key=lambda m: m.item.end)
        return f'I last saw {lang.plural(best.name, max(1, best.count))} ' \
               f'{relative(best.item.end, now)}, at {clock(best.item.end)}.'
    return None


def _note(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if lang.asks_read(question):
        return None  # "did you see a sign about red?": a note is what the user said, not a sign
    note = _note_about(items, keys)
    if note is None:
        return None
    if parsed.targets and (lang.asks_seen(question) or lang.asks_heard(question)):
        # "did you see a butterfly on a flower?" is about the butterfly: a note about a flower
        # pot shares only the flower
        named = {lang.key(w) for t in parsed.targets for w in t.words + (t.state or '',) if w}
        if not named & lang.text_keys(note.text):
            return None
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


def _may_be_seen(items: list[MemoryItem], thing: Thing) -> bool:
    """An object label is `thing`, or may be it (_could_be)."""
    return bool(_mentions(items, OBJECT, thing) or _could_be(items, thing))


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


def _seen_at(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What do you see now?", "what did you see at the start?": the clip of that time."""
    span = timephrases.window(question, now, 0.0)
    if keys or not lang.asks_seen(question) or not span:
        return None
    clips = [i for i in items if i.kind in ('clip', 'episode')]
    # the clips of the time asked, when evidence was not already retrieved for it alone
    clips = [i for i in clips if i.end >= span[0] and i.start <= span[1]] or clips
    if not clips:
        return None
    start = re.search(r'\b(start|beginning|first)\b', question, re.IGNORECASE)
    mid = (span[0] + span[1]) / 2
    if start:
        clip = min(clips, key=lambda i: i.start)
    elif span[1] >= now:  # "now", "recently": the latest
        clip = max(clips, key=lambda i: i.end)
    else:  # "at 10:05", "5 minutes ago": the clip of that moment, else the nearest to it
        clip = min(clips, key=lambda i: (max(0.0, i.start - mid, mid - i.end), -i.end))
    caption = describe.caption([m for m in clip.labels if m.kind not in (SOUND, SPEECH)],
                               spoken=True)
    return f'{relative(clip.end, now).capitalize()} I saw {caption}.'


HEARD_AT = 3  # "what did you hear 8 minutes ago?": the sounds and words nearest that moment
_HAPPENED = re.compile(r'\s*what\s+(?:happened|was\s+(?:going\s+on|happening)|went\s+on)\b',
                       re.IGNORECASE)


def _happened_at(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What happened 3 minutes ago?", "what was going on at the start?": what was seen then
    and what was heard around that moment (_seen_at, _heard_at), not a model's list of records."""
    asked = _HAPPENED.match(question)
    if asked is None or keys or not timephrases.window(question, now, 0.0):
        return None
    rest = question[asked.end():]
    seen = _seen_at(f'What did you see{rest}', items, keys, now, False, False, parsed)
    sounds = _heard_at(f'What did you hear{rest}', items, keys, now, True, False, parsed)
    return ' '.join(t for t in (seen, sounds) if t) or None


def _heard_at(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What did you hear about 8 minutes ago?", "... at 10:05?": the sounds and words heard
    nearest that moment (the window of "about 8 minutes ago" is minutes wide), in order."""
    span = timephrases.window(question, now, 0.0)
    if keys or not heard or yes_no or not span or span[1] >= now:
        return None  # "what did you hear?" / "just now": the latest, _heard_list's
    # "at the start": memory's start is not known here; the earliest of what was retrieved
    # for that time is
    start = re.search(r'\b(start|beginning)\b', question, re.IGNORECASE)
    heard_then = [(f'someone say {speech.quote(m.name)}' if m.kind == SPEECH else
                   a_sound(m.name), m.item)
                  for i in events.each_sound(items) + [i for i in items if i.kind == 'speech']
                  if start or i.end >= span[0] and i.start <= span[1]
                  for m in labels_of(i)[:1 if i.kind == 'sound' else None]
                  if m.kind in (SOUND, SPEECH)]
    if not heard_then:
        return None
    mid = min(i.start for _, i in heard_then) if start else (span[0] + span[1]) / 2
    # each sound once (a clip holds the sound item's sound again), the nearest to the moment
    closest: dict[str, MemoryItem] = {}
    for w, i in sorted(heard_then, key=lambda wi: abs((wi[1].start + wi[1].end) / 2 - mid)):
        closest.setdefault(w, i)
    nearest = sorted(list(closest.items())[:HEARD_AT], key=lambda wi: wi[1].start)
    return 'I heard ' + _and([f'{w} ({relative(i.end, now)})' for w, i in nearest]) + '.'


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


def _problems(thing: Thing, m: Mention) -> list[tuple[str, str]]:
    """What of `thing`'s colour, place and distance label `m` contradicts ('no', 'it was grey,
    not red') or does not hold ('unknown', 'I did not notice its colour'); [] when it supports
    them all. A missing attribute is never a match nor a contradiction."""
    label, it = m.label, _pronoun(m)
    out = []
    if thing.colour:
        colours = questions.colours_of(label)
        missing = [c for c in thing.colours if c not in colours]
        if not colours:
            out.append(('unknown', 'I did not notice its colour'))
        elif missing:
            out.append(('no', f'{it} {"were" if it == "they" else "was"} {_and(colours)}, '
                              f'not {_and(missing)}'))
    if thing.position:
        position = questions.attribute(label, 'position')
        if not position:
            out.append(('unknown', 'I did not notice where it was in view'))
        elif position != thing.position:
            was = 'were' if it == 'they' else 'was'
            out.append(('no', f'{it} {was} {position_phrase(position)}, '
                              f'not {position_phrase(thing.position)}'))
    if thing.state:
        states = questions.states_of(label)
        be = 'were' if it == 'they' else 'was'
        if not states:
            out.append(('unknown', f'I did not notice whether {it} {be} {thing.state}'))
        elif thing.state not in states and not questions.denied(thing.state, states):
            # "looking at the camera": nothing perception tells of people says so or not
            out.append(('unknown', f'I did not notice whether {it} {be} {thing.state}; {it} '
                                   f'{be} {_and(questions.finest(states))}'))
        elif thing.state not in states:
            # perception looks at the few most present people of a crowd: said of those only
            who = 'the ones I noticed' if m.count > len(questions.people_of(label)) > 0 else it
            out.append(('no', f'{who} {"were" if it == "they" else "was"} '
                              f'{_and(questions.finest(states))}, not {thing.state}'))
    if thing.distance:
        distance = questions.attribute(label, 'distance')
        if not distance:
            out.append(('unknown', 'I did not notice how far away it was'))
        elif distance != thing.distance:
            out.append(('no', f'{it} {"were" if it == "they" else "was"} '
                              f'{"near" if distance == "near" else "far away"}'))
    return out


def _but(m: Mention, now: float, problem: tuple[str, str], colour: bool = False) -> str:
    """'I saw a car about 2 minutes ago, but it was grey, not red.' / '...; I did not notice
    its colour.'"""
    status, text = problem
    seen = f'I saw {_some(m)} {relative(m.item.end, now)}'
    return f'{seen}, but {text}.' if status == 'no' else f'{seen}; {text}.'


def _wearing(relation: questions.Relation, m: Mention) -> tuple[str, str]:
    """('yes', '') when a person label's clothing has the colour asked, else why not. A thing
    worn that perception detects itself ("a green tie") is checked by that label's colour when
    it was seen with the person: "the tie I saw was red, not green"."""
    colour = relation.thing.colour
    worn_things = [c for c, found in _mentions([m.item], OBJECT, relation.thing)
                   if not found.unchecked and c.label is not m.label] \
        if set(relation.thing.words) - {'clothes'} else []
    if colour is not None and worn_things:
        seen = [c for c in worn_things if questions.colours_of(c.label)]
        if any(colour in questions.colours_of(c.label) for c in seen):
            return ('yes', '')
        if seen:
            c = seen[0]
            them = 'them' if m.count > 1 or m.name == 'person' else 'it'
            return ('no', f'the {c.name} I saw with {them} was '
                          f'{_and(questions.colours_of(c.label))}, not {colour}')
    if colour is None and any('clothing' in questions.categories_of(c.label)
                              for c in worn_things):
        return ('yes', '')  # "wearing a tie": a tie seen on them (in one view with them)
    outfits = [p['clothing'] for p in questions.people_of(m.label)
               if isinstance(p.get('clothing'), Mapping)]
    if colour is None:  # "wearing a hat": clothes are only noticed by colour
        return ('unchecked', f'I cannot tell whether they were {relation.phrase.rstrip("?.")}')
    if not outfits:
        return ('unknown', 'I did not notice what they wore')
    part = _part(relation.thing)
    worn = [c for o in outfits for k, c in o.items() if c and (part is None or k == part)]
    if colour in worn:
        return ('yes', '')
    if not worn:
        return ('unknown', 'I did not notice what they wore')
    return ('no', f'they wore {_and(dict.fromkeys(worn))}, not {colour}')


def _relations(m: Mention, relations, items, now) -> Optional[tuple[str, str]]:
    """None when every relation of the question holds for label `m`, else ('no', the answer)
    when one is contradicted (never seen together, never seen at all, another colour worn) or
    ('unknown', the answer) when one cannot be checked (a companion in the same clip is not
    "with", "holding" or "riding": the labels do not say how things were together). A
    contradicted relation is said before one that cannot be checked."""
    unknown = None
    for relation in relations:
        found = _relation(m, relation, items, now)
        if found is None:
            continue
        if found[0] == 'no':
            return found
        unknown = unknown or found
    return unknown


def _together(m: Mention, relations) -> bool:
    """A thing of one of the question's relations was seen in the same item as label `m`."""
    return any(set(r.thing.words) - {'clothes'} and _companions(m, r.thing) for r in relations)


def _relation(m: Mention, relation: questions.Relation, items, now
              ) -> Optional[tuple[str, str]]:
    if relation.kind == 'wearing':
        status, text = _wearing(relation, m)
        if status == 'yes':
            return None
        return ('no', _but(m, now, ('no', text))) if status == 'no' else \
            ('unknown', _but(m, now, ('no' if status != 'unknown' else 'unknown', text)))
    phrase = relation.phrase.rstrip('?.! ')
    with_it = _companions(m, relation.thing)
    having = relation.kind == 'with' and re.match(r'(?:have|has|had)\b', phrase)
    if with_it:
        if phrase.split()[0] in questions.states_of(m.label):
            return None  # "kicking a ball": perception saw them kick, with the ball in view
        if relation.kind == 'containing':
            return None  # "a cup of coffee": the cup and the coffee in one view
        if relation.kind in ('holding', 'with') and any(
                questions.match(relation.thing, Label(OBJECT, held)) is not None
                for held in questions.held_by(m.label)):
            return None  # perception saw it in their hands
        word = questions.PLACED_WORDS.match(phrase)
        if word and any(_is(m, subject) and questions.match(relation.thing, obj) is not None
                        for subject, obj in questions.placements(m.item.labels, word.group(1))):
            return None  # perception saw them placed so ("the cup on the table")
        other = with_it[0]
        the = lang.plural(m.name, m.count).split(' ', 1)[-1] if m.count > 1 else m.name
        be = 'had' if having else 'were' if m.count > 1 else 'was'
        return 'unknown', f'I saw {_some(m)} and {_some(other)} at the same time, ' \
                          f'{relative(m.item.end, now)}, but I cannot tell whether ' \
                          f'the {the} {be} {phrase.split(" ", 1)[1] if having else phrase}.'
    if relation.kind == 'in':
        return 'unknown', _but(m, now, ('no', f'I cannot tell whether {_pronoun(m)} '
                                              f'{"were" if _pronoun(m) == "they" else "was"} '
                                              f'{phrase}'))
    if not with_it and having:
        # "did the cat have stripes?": parts and patterns are never labelled, a thing held may
        # be too small to be: not noticed, never "no"
        return 'unknown', f'I saw {_some(m)} {relative(m.item.end, now)}; I did not notice ' \
                          f'whether {_pronoun(m)} had {phrase.split(" ", 1)[1]}.'
    elsewhere = [c for c, found in _mentions(items, OBJECT, relation.thing)
                 if not found.unchecked] or _could_be(items, relation.thing)
    if elsewhere:
        return 'no', f'I saw {_some(m)} and {_some(elsewhere[0])}, but not at the same time.'
    a = lang.plural(str(relation.thing), max(1, relation.thing.count or 1))
    return 'no', _but(m, now, ('no', f'I did not see {a}'))


def _is(m: Mention, label: Label) -> bool:
    """`label` is the thing `m` names (itself, or the same name: a relation's other thing is
    known by its name only)."""
    return label is m.label or label.name.lower() == m.name.lower()


_WHAT_PLACED = re.compile(r'\s*what\s+(?:was|were|is|are|did you see|could you see)\s+'
                          r'(?:there\s+)?' + questions.PLACED_WORDS.pattern + r'\s+(.+?)[?.!]*$',
                          re.IGNORECASE)


def _placed(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was next to the cup?", "what was on the table?", "what was behind the car?": the
    things perception saw placed so (its stored relations), at the latest sighting that has
    any; when it noticed none, what was seen with the thing, said as not telling where."""
    m = _WHAT_PLACED.match(question)
    other = questions._thing(m.group(2)) if m and not heard else None
    if other is None or not other.words:
        return None
    word = m.group(1).lower()
    seen = sorted(_matching(items, OBJECT, set(), other), key=lambda s: -s.item.end)
    if not seen:
        return None
    for sighting in seen:
        found = [subject.name for subject, obj in questions.placements(sighting.item.labels, word)
                 if questions.match(other, obj) is not None and not _is(sighting, subject)]
        if found:
            names = _and([lang.plural(n, 1) for n in dict.fromkeys(found)])
            return f'{word.capitalize()} the {sighting.name} I saw {names}, ' \
                   f'{relative(sighting.item.end, now)}.'
    best = seen[0]
    others = [c for c in labels_of(best.item) if c.kind == OBJECT and c.label is not best.label]
    the = f'the {best.name}' if best.count == 1 else lang.plural(best.name, 2).split(' ', 1)[-1]
    if not others:
        return f'I saw {_some(best)} {relative(best.item.end, now)}, but I did not notice ' \
               f'anything {word} {"it" if best.count == 1 else "them"}.'
    return f'I saw {_some(best)} with {_and([_some(c) for c in others[:4]])} ' \
           f'{relative(best.item.end, now)}, but I did not notice what was {word} {the}.'


_WHAT_THERE = re.compile(r'\s*what\s+(?:else\s+)?(?:was|were|is|are|did you see|could you see|'
                         r'do you see)\b', re.IGNORECASE)
PLACES_LISTED = 4  # "what was on the left?": the latest this many things


def _located(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was on the left?", "what did you see far away?": the things seen there (their
    stored position and distance), latest first. None when none was."""
    if heard or parsed.relations or not _WHAT_THERE.match(question) or \
            questions.parse(question).targets:  # its own (not a focus taken for one)
        return None
    position, distance, _ = questions.place(question.lower())
    if not (position or distance):
        return None
    latest = _last_of_each(((m.name, m) for i in items for m in labels_of(i)
                            if m.kind == OBJECT and m.label is not None and
                            (not position or questions.attribute(m.label, 'position') == position)
                            and (not distance or
                                 questions.attribute(m.label, 'distance') == distance)),
                           lambda m: m.item.end)
    if not latest:
        return None
    where = ' '.join(w for w in (position_phrase(position) if position else '',
                                 {'near': 'nearby', 'far': 'far away'}.get(distance, '')) if w)
    seen = [f'{_some(m)} {relative(m.item.end, now)}' for m in reversed(latest.values())]
    return f'{where[0].upper()}{where[1:]} I saw {_and(seen[:PLACES_LISTED])}.'


_WHAT_WITH = re.compile(r'\s*what\s+(?:else\s+)?(?:was|were|did you see|could you see)\s+'
                        r'(?:there\s+)?(?:with|together with|alongside|along with)\s+(.+?)'
                        r'[?.!]*$', re.IGNORECASE)


def _with(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What else did you see with the sports ball?": what was seen in the same view as it
    (its latest sightings with company, at most two)."""
    m = _WHAT_WITH.match(question)
    thing = questions._thing(m.group(1)) if m and not heard else None
    if thing is None or not thing.words:
        return None
    seen = sorted(_matching(items, OBJECT, set(), thing), key=lambda s: -s.item.end)
    if not seen:
        return None
    said, views = [], set()
    for sighting in seen:
        others = [c for c in labels_of(sighting.item) if c.kind in (OBJECT, TEXT) and
                  c.label is not None and c.label is not sighting.label and
                  questions.match(thing, c.label) is None]
        if others and sighting.item.id not in views:
            views.add(sighting.item.id)
            said.append(f'{describe.caption([c.label for c in others], spoken=True)} '
                        f'{relative(sighting.item.end, now)}')
    if not said:
        return f'I saw {_some(seen[0])} {relative(seen[0].item.end, now)}, with nothing else ' \
               f'I noticed.'
    return f'With the {seen[0].name} I saw {" and also ".join(said[:2])}.'


_DIRECTION = re.compile(r'\b(?:which|what) (?:direction|way)\b|\bwhere (?:was|were) .*\b'
                        r'(?:walking|going|heading)\b', re.IGNORECASE)


def _heading(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Which way were the people walking?": the headings perception gave the people it saw
    walking (latest sighting first), or that it noticed none walking."""
    if heard or not _DIRECTION.search(question):
        return None
    people = sorted(people_seen(items), key=lambda m: -m.item.end)
    if not people:
        return None
    for m in people:
        walking = [p for p in questions.people_of(m.label) if p.get('activity') == 'walking']
        if walking:
            ways = list(dict.fromkeys(p.get('heading') or '' for p in walking))
            said = [f'walking {w}' if w else 'walking (I did not notice which way)' for w in ways]
            who = lang.plural('person', len(walking))
            if len(said) > 1:
                return f'I saw {who} {relative(m.item.end, now)}: {_and(said)}.'
            return f'I saw {who} {said[0]}, {relative(m.item.end, now)}.'
    return f'I saw {_some(people[0])} {relative(people[0].item.end, now)}, but I did not ' \
           f'notice anyone walking.'


HOLDING_ANY = re.compile(r'\b(?:holding|carrying)\s+(?:something|anything|things|stuff)\b',
                          re.IGNORECASE)


def _holding_any(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Was anyone holding something?", "who was carrying anything?": the people perception
    saw holding a thing (latest first), or that it noticed none holding anything."""
    if heard or not HOLDING_ANY.search(question):
        return None
    people = sorted(people_seen(items), key=lambda m: -m.item.end)
    if not people:
        return None
    holding = [(m, p) for m in people for p in questions.people_of(m.label) if p.get('holding')]
    if not holding:
        return f'I saw {_some(people[0])} {relative(people[0].item.end, now)}, but I did not ' \
               f'notice anyone holding anything.'
    seen = _and([f'{_person(p)} {relative(m.item.end, now)}' for m, p in holding[:2]])
    return f'{"Yes, I" if yes_no else "I"} saw {seen}.'


_EVERY = re.compile(r'\b(?:all|every|each)\b', re.IGNORECASE)


def _every(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Were all the cars grey?": every sighting of the thing whose colour perception noticed
    checked against the colour, by its main colour (a black car with grey windows is not a grey
    car); the ones that were not are said."""
    thing = parsed.target
    if heard or not yes_no or not _EVERY.search(question) or thing is None or \
            not thing.words or not thing.colour or parsed.relations:
        return None
    plain = dataclasses.replace(thing, colour=None, more_colours=())
    noticed = [m for m in _matching(items, OBJECT, set(), plain) if questions.colours_of(m.label)]
    if not noticed:
        return None
    other = sorted((m for m in noticed if questions.colours_of(m.label)[0] != thing.colour),
                   key=lambda m: -m.item.end)
    name = lang.plural(str(plain), 2).split(' ', 1)[-1]
    if not other:
        return f'Yes, every {plain} I noticed the colour of was {thing.colour}.' \
            if len(noticed) > 1 else f'Yes, I saw {_some(noticed[0], thing.colour)} ' \
                                     f'{relative(noticed[0].item.end, now)}.'
    seen = [f'{_some(m, questions.colours_of(m.label)[0])} {relative(m.item.end, now)}'
            for m in other[:3]]
    return f'No, not all the {name} were {thing.colour}: I saw {_and(seen)}.'


_AT_ONCE = re.compile(r'\b(together|at the same time|at once)\b', re.IGNORECASE)


def _at_once(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Was there a grey car and a white van together?": a view that held every thing asked
    (each with its colour), else each one's own sighting, said as not at the same time."""
    if heard or not yes_no or not _AT_ONCE.search(question):
        return None
    parsed = questions.parse(_AT_ONCE.sub(' ', question))  # "at the same time": no place
    things = parsed.targets
    if len(things) < 2 or parsed.relations:
        return None
    seen = [[m for m in _matching(items, OBJECT, set(), t) if not _problems(t, m)]
            for t in things]
    if not all(seen):
        return None  # one was not seen (as asked): the yes/no steps say which
    views = [i for i in {m.item.id: m.item for m in seen[0]}.values()
             if all(any(m.item.id == i.id for m in ms) for ms in seen[1:])]
    if views:
        view = max(views, key=lambda i: i.end)
        said = [_some(next(m for m in ms if m.item.id == view.id), t.colour)
                for t, ms in zip(things, seen)]
        return f'Yes, I saw {_and(said)} together, {relative(view.end, now)}.'
    latest = [max(ms, key=lambda m: m.item.end) for ms in seen]
    return 'I saw ' + _and([f'{_some(m, t.colour)} {relative(m.item.end, now)}'
                            for t, m in zip(things, latest)]) + ', but not at the same time.'


def _judge(thing: Thing, relations, items, now) -> tuple[str, str]:
    """('yes', what was seen) when the evidence supports every part of `thing` and its
    relations; ('none', '') when nothing seen is `thing`; otherwise ('partial', the answer)."""
    mentions = _mentions(items, OBJECT, thing)
    if not mentions:
        broader = _could_be(items, thing)
        if not broader:
            return 'none', ''
        # "a basketball" when a sports ball was seen: memory neither shows nor denies it
        return 'partial', _may_be(broader, str(dataclasses.replace(
            thing, colour=None, more_colours=(), count=None)), now)
    full = [m for m, found in mentions if not found.unchecked]
    kind = [questions.PEOPLE_KINDS[w] for w in thing.words if w in questions.PEOPLE_KINDS]
    if not full and kind and (thing.state or any(r.kind in ('holding', 'riding')
                                                  for r in relations or ())):
        # "the player kicking the ball": a person was seen doing it; who they were is unknown
        status, text = _judge(dataclasses.replace(thing, words=('person',)), relations, items,
                              now)
        if status == 'yes':
            return 'partial', f'I saw {text}, but I cannot tell whether they were ' \
                              f'{lang.plural(kind[0], 1)}.'
        if status == 'partial':  # no one seen doing it: that, whoever they were
            return status, text
    if not full:  # 'police car': a car was seen, 'police' is not in the labels
        if relations:  # "a man riding the bike" when no one was seen on it: no, whoever it was
            # the ones the question means: those seen with a thing of its relations ("the man
            # in the car"), else all; "no" when a relation is contradicted for each of them
            pool = [m for m, _ in mentions if _together(m, relations)] or \
                [m for m, _ in mentions]
            refused = [(m, _relations(m, relations, items, now)) for m in pool]
            if all(r is not None and r[0] == 'no' for _, r in refused):
                return 'partial', max(refused, key=lambda mr: mr[0].item.end)[1][1]
        # "a man with a ball": the people seen with a ball, if any, are the ones it may be
        together = [m for m, _ in mentions if relations and _together(m, relations)]
        m = max(together or (m for m, _ in mentions), key=lambda m: m.item.end)
        any_ = 'any was' if m.count > 1 else f'the {m.name} was' if m.name == 'person' \
            else 'it was'
        a = lang.plural(str(dataclasses.replace(thing, colour=None)), 1)
        with_ = ''
        if together:
            other = next(c for r in relations for c in _companions(m, r.thing))
            with_ = f' with {_some(other)}'
        return 'partial', f'I saw {_some(m)}{with_} {relative(m.item.end, now)}, but I cannot ' \
                          f'tell whether {any_} {a}.'
    if thing.count:
        most = max(full, key=lambda m: (m.count, m.item.end))
        if most.count < thing.count:
            return 'partial', f'The most I saw at once was {_some(most)}, ' \
                              f'{relative(most.item.end, now)}, not {thing.count}.'
        full = [m for m in full if m.count >= thing.count]
    # "the person in the orange top": what they wore says which person is meant
    worn = [r for r in relations or () if r.kind == 'wearing']
    dressed = [m for m in full if all(_relation(m, r, items, now) is None for r in worn)]
    if worn and not dressed:  # nobody seen in it: that first (of those seen with it, if any)
        refusal = _relations(max(full, key=lambda m: (_together(m, worn), m.item.end)), worn,
                             items, now)
        if refusal is not None:
            return 'partial', refusal[1]
    full = dressed or full
    judged = [(m, _problems(thing, m)) for m in full]
    supported = [m for m, problems in judged if not problems]
    if not supported:
        m, problems = max(judged, key=lambda mp: (any(s == 'no' for s, _ in mp[1]),
                                                   mp[0].item.end))
        problem = next((p for p in problems if p[0] == 'no'), problems[0])
        return 'partial', _but(m, now, problem)
    refusals = []
    for m in sorted(supported, key=lambda m: -m.item.end):
        refusal = _relations(m, [] if relations is None else relations, items, now)
        if refusal is None:
            # "a person sitting", "a person holding a bottle": at least one of them was, and
            # what was seen of them that the question asked
            seen = ' '.join([lang.plural(m.name, 1)] + ([thing.state] if thing.state else []) +
                            [r.phrase.rstrip('?.! ') for r in relations or ()]) \
                if thing.state or relations else _some(m, ' and '.join(thing.colours))
            return 'yes', f'{seen} {relative(m.item.end, now)}'
        refusals.append((m, refusal[1]))
    # seen together with what the relation names (unknown how) says more than "not at the
    # same time" of a later sighting alone
    return 'partial', next((r for m, r in refusals if relations and _together(m, relations)),
                           refusals[0][1])


def _seen(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Did you see a red car?": yes only when every part is supported."""
    if not yes_no or heard or parsed.modality not in ('seen', 'note') or not parsed.targets:
        return None
    verdicts = [_judge(t, parsed.relations if i == 0 else (), items, now)
                for i, t in enumerate(parsed.targets)]
    if all(status == 'yes' for status, _ in verdicts):
        return f'Yes, I saw {_and(text for _, text in verdicts)}.'
    if all(status == 'none' for status, _ in verdicts):
        # "a dog with the cat" when only the cat was seen: no dog, and what was seen
        seen = [m for r in parsed.relations for m, found in _mentions(items, OBJECT, r.thing)
                if not found.unchecked] if len(parsed.targets) == 1 else []
        if not seen:
            return None
        m = max(seen, key=lambda m: m.item.end)
        return f'I have not seen {lang.plural(str(parsed.target), 1)}; I saw {_some(m)} ' \
               f'{relative(m.item.end, now)}.'
    parts = []
    for thing, (status, text) in zip(parsed.targets, verdicts):
        if status == 'none':
            parts.append(f'I have not seen {lang.plural(str(thing), 1)}.')
        elif status == 'yes':
            parts.append(f'I saw {text}.')
        else:
            parts.append(text)
    return ' '.join(parts)


def _unseen(thing: Thing, items: list[MemoryItem]) -> bool:
    """Memory holds nothing that is `thing` or may be it, of a kind perception labels when it
    sees one (questions.labelled_kind: a horse, a collar; not a room or a hand), and nothing
    retrieved names it in words either (a sign, a note, speech: those are other steps')."""
    if not thing.words or set(thing.words) & (lang.GENERIC | set(questions.PEOPLE) |
                                              set(questions.PEOPLE_KINDS) | {'person'}) or \
            not questions.labelled_kind(thing.words) or _may_be_seen(items, thing) or \
            _mentions(items, SOUND, thing):
        return False  # seen, may have been, or heard ("tell me about the alarm")
    named = {lang.key(w) for w in thing.words}
    return not _said_of(named, items) and \
        not any(named & lang.text_keys(t) for i in items for t in i.names(TEXT))


def _not_seen(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Was the horse brown?", "what colour was the dog's collar?", "did you see a cow?" when
    nothing retrieved is a horse, a dog, a cow: that it was not seen (the question's premise),
    not a model's guess about its colour. The owner of a thing ("the dog's collar") is the
    premise first; a part or garment of something seen is other steps' to answer."""
    if heard or parsed.modality != 'seen' or not parsed.targets or WHY.match(question):
        return None
    owners = [r.thing for r in parsed.relations if r.kind == 'of']
    premises = owners if owners else list(parsed.targets)
    if not all(_unseen(t, items) for t in premises):
        return None
    things = ' or '.join(lang.plural(str(dataclasses.replace(t, colour=None, more_colours=(),
                                                             count=None, state=None)), 1)
                         for t in premises)
    asks_seen = yes_no and PERCEIVED.search(question) and not owners
    return f'{"No, I" if asks_seen else "I"} have not seen {things}.'


_THERE = re.compile(r'\s*(?:was|were|is|are)\s+there\b', re.IGNORECASE)

# what no label records: the weather, day or night, indoors or outdoors ("was it raining?")
_WEATHER = re.compile(r'\b(?:weather|(?:was|is)\s+it\s+(?:raining|snowing|sunny|cloudy|windy|'
                      r'foggy|stormy|hot|cold|warm|freezing))\b', re.IGNORECASE)
_DAYLIGHT = re.compile(r'\b(?:day\s+or\s+night|night\s+or\s+day|(?:was|is)\s+it\s+(?:dark|'
                       r'light|daytime|night(?:time)?|day)\b)', re.IGNORECASE)
_INDOORS = re.compile(r'\b(?:were|are|was|is)\s+(?:you|we|it)\s+(?:indoors|outdoors|inside|'
                      r'outside)\b', re.IGNORECASE)
# what something unusual is, is a judgement no label holds: "did you see anything strange?"
_SEEN_JUDGED = re.compile(r'\s*(?:(?:did|have|had)\s+you\s+(?:see|seen|notice|noticed|spot|'
                          r'spotted)|(?:was|is)\s+there)\s+(?:anything|something)\s+(unusual|'
                          r'strange|weird|odd|suspicious|dangerous|out of place)\b', re.IGNORECASE)


def unrecorded(question: str, items: list[MemoryItem], now: float) -> Optional[str]:
    """What memory holds no record of, said so instead of a model's guess ("It was night."):
    the weather (unless a sound of it was heard: rain, thunder, wind), day or night, indoors
    or outdoors, and whether what was seen was unusual (what was seen is said)."""
    judged = _SEEN_JUDGED.match(question)
    if judged:
        clips = sorted((i for i in items if i.kind in ('clip', 'episode') and i.labels_of(OBJECT)),
                       key=lambda i: -i.end)[:2]
        seen = _and(f'{describe.caption(i.labels_of(OBJECT), spoken=True)} '
                    f'({relative(i.end, now)})' for i in clips)
        return f'I cannot tell what is {judged.group(1).lower()}' + \
            (f'; I saw {seen}.' if seen else '.')
    if _WEATHER.search(question):
        if any(re.search(r'\b(?:rain|thunder|wind|storm)', m.name, re.IGNORECASE)
               for i in items for m in labels_of(i) if m.kind == SOUND):
            return None  # heard: the sounds' steps and the model answer
        return 'I cannot tell: I do not record the weather.'
    if _DAYLIGHT.search(question):
        return 'I cannot tell: I do not record whether it was day or night, or how light it was.'
    if _INDOORS.search(question):
        return 'I cannot tell: I do not record whether I was indoors or outdoors.'
    return None


def _main_sound(m: Mention) -> Optional[str]:
    """The class a sound event was heard as, when sound label `m` is only one of the other
    classes it also sounded like (a sound item's first label is its own); else None."""
    main = next((lab for lab in m.item.labels if lab.kind == SOUND), None) \
        if m.item.kind == 'sound' else None
    return None if main is None or main is m.label else main.name


# "what sounds did you hear?", "what did you hear in the last 5 minutes?" (group 1: sounds only)
HEARD_LIST = re.compile(r'\s*(?:what|which)\s+(?:(sounds?|noises?)\s+)?(?:did|have|could)\s+you\s+'
                        r'(?:hear|heard)\b(?!\s+(?:someone|somebody|anyone|anybody|people|a|an|'
                        r'the|him|her|them|when|while|after|before|during|about)\b)',
                        re.IGNORECASE)
SOUNDS_LISTED = 5  # the latest this many
# "did you hear anything (unusual)?", "any sounds?": what was heard; whether it was unusual is a
# judgement no label holds, said as such
HEARD_ANY = re.compile(r'\s*(?:did|have|had)\s+you\s+(?:hear|heard)\s+(?:anything|something|'
                       r'any\s+(sounds?|noises?)|a\s+(?:sound|noise))(?:\s+at all)?'
                       r'(?:\s+(unusual|strange|weird|odd|interesting|suspicious|new))?'
                       r'(?:\s+(?:today|earlier|recently))?\s*[?.!]*$', re.IGNORECASE)


def _heard_list(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What sounds did you hear?": each sound event once by what it was heard as, latest
    first; "what did you hear?" the words heard too. None when the evidence holds none."""
    listed = HEARD_LIST.match(question) or HEARD_ANY.match(question)
    span = timephrases.window(question, now, 0.0)
    if not listed or span and span[1] < now:
        return None  # "what did you hear at the start / 8 minutes ago?": _heard_at's
    said = [] if listed.group(1) else \
        [(f'someone say {speech.quote(i.text)}', i) for i in items if i.kind == 'speech']
    # a sound item by what it was heard as; a clip's or an episode's sounds each on its own
    sounds = [(a_sound(name), i) for i in events.each_sound(items) if i.kind != 'speech'
              for name in (i.names(SOUND)[:1] if i.kind == 'sound' else i.names(SOUND))]
    latest = _latest_first(said + sounds)
    if not latest:
        return None
    more = ', the latest first' if len(latest) > 1 else ''
    judged = listed.group(2) if listed.re is HEARD_ANY else None
    return f'{"Yes, I" if yes_no else "I"} heard{more}: ' + _when_each(latest, now) + '.' + \
        (f' I cannot tell {"which of them was" if len(latest) > 1 else "whether it was"} '
         f'{judged.lower()}.' if judged else '')


_LOUD = re.compile(r'\b(?:(loudest|noisiest)|(quietest|softest)|loud|noisy|(quiet|silent|calm|'
                   r'peaceful))\b', re.IGNORECASE)
# "was it noisy?", "was the room quiet?": the sounds heard, whichever they were
AROUND_LOUD = re.compile(r'\s*(?:was|is|were|are)\s+(?:it|everything|things|the\s+(?:room|place|'
                         r'street|area|house|office|surroundings))\s+(?:very\s+|too\s+|really\s+)?'
                         r'(?:loud|noisy|quiet|silent|calm|peaceful)\b', re.IGNORECASE)
# a sound is loud when it reached this level (louder than speech near the microphone, at about
# -30 to -20 dBFS) and stood this far over the room's noise (a noisy room's sounds are not loud
# for being over -20)
LOUD_ABOVE_ROOM_DB = 20.0
LOUD_MIN_DBFS = -20.0


def _level(m: Mention) -> Optional[float]:
    level = questions.attribute(m.label, 'level_db') if m.label is not None else None
    return float(level) if isinstance(level, (int, float)) else None


def _is_loud(m: Mention) -> bool:
    above = questions.attribute(m.label, 'above_room_db')
    return _level(m) >= LOUD_MIN_DBFS and (not isinstance(above, (int, float)) or
                                           above >= LOUD_ABOVE_ROOM_DB)


# "which was louder, the explosion or the alarm?", "was the alarm quieter than the knock?"
_LOUDER = re.compile(r'\bwhich(?:\s+one)?\s+(?:was|sounded)\s+(louder|noisier|quieter|softer)\b'
                     r'[,:]?\s+(.+?)\s+or\s+(.+?)\s*[?.!]*$|^\s*(?:was|were|is|did)\s+(.+?)\s+'
                     r'(?:sound\s+)?(louder|noisier|quieter|softer)\s+than\s+(.+?)\s*[?.!]*$',
                     re.IGNORECASE)


def _louder(question: str, items: list[MemoryItem], now: float) -> Optional[str]:
    """"Which was louder, the explosion or the alarm?": the levels perception measured of
    each (the loudest time each was heard, by what it was heard as); what was not heard, or
    not measured, is said so."""
    m, sides = _LOUDER.search(question), compared(question)
    if m is None or not sides:
        return None
    heard = [[s for s, f in _mentions(items, SOUND, thing)
              if not f.unchecked and _main_sound(s) is None] for thing in sides]
    if not all(heard):
        return 'I have no record of hearing ' + ' or '.join(
            lang.plural(str(t), 1) for t, h in zip(sides, heard) if not h) + '.'
    # a clip's copy of a sound carries no level: the sound events of each side that were measured
    measured = [[s for s in found if _level(s) is not None] for found in heard]
    if not all(measured):
        return f'I heard {_and(a_sound(found[0].name) for found in heard)}, but I did not ' \
               f'measure how loud they were.'
    picked = [max(found, key=_level) for found in measured]
    louder = (m.group(1) or m.group(5)).lower() in ('louder', 'noisier')
    first, second = picked if (_level(picked[0]) >= _level(picked[1])) == louder else \
        picked[::-1]

    def the(s: Mention) -> str:
        return f'the {lang.sound_name(s.name)} ({relative(s.item.end, now)})'
    said = f'{the(first)} was {"louder" if louder else "quieter"} than {the(second)}.'
    if m.group(1):  # "which was louder, ...?"
        return said[0].upper() + said[1:]
    return ('Yes: ' if first is picked[0] else 'No: ') + said


def _loudness(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was the loudest sound?", "did you hear anything loud / a loud bang?", "how loud
    was the explosion?": by the level perception measured of each sound event; when it
    measured none, the sounds heard and that their loudness is not known (never "not heard"
    because no label says "loud")."""
    if _LOUDER.search(question):
        return _louder(question, items, now)
    asked = _LOUD.search(question)
    if not asked:
        return None
    thing = parsed.target
    # "was the street noisy?": the place is where, not what was heard
    nouns = [] if thing is None or AROUND_LOUD.match(question) else \
        [w for w in thing.words if not _LOUD.fullmatch(w) and
         w not in ('sound', 'noise', 'anything', 'something')]
    if nouns:  # "a loud bang", "was the alarm loud?": those heard, each by its main class
        found = {m.item.id: m.item for m, _ in _mentions(items, SOUND, Thing(tuple(nouns)))}
        sounds = [m for i in found.values() for m in labels_of(i)[:1] if m.kind == SOUND]
    elif heard or asked.group(1) or asked.group(2) or AROUND_LOUD.match(question) or \
            re.search(r'\b(?:sound|noise)s?\b', question, re.IGNORECASE):
        sounds = [m for i in events.each_sound(items) if i.kind != 'speech'
                  for m in labels_of(i)[:1] if m.kind == SOUND]
    else:
        return None  # "a loud party?": not asked of a sound
    if not sounds:
        return None

    def said(m: Mention) -> str:
        return f'{a_sound(m.name)} ({relative(m.item.end, now)})'
    measured = [m for m in sounds if _level(m) is not None]
    if not measured:
        latest = sorted(sounds, key=lambda m: -m.item.end)[:SOUNDS_LISTED]
        return f'I heard {_and(said(m) for m in latest)}, but I did not measure how loud ' \
               f'{"they were" if len(latest) > 1 else "it was"}.'
    if asked.group(1) or asked.group(2):
        pick = max if asked.group(1) else min
        m = pick(measured, key=_level)
        which = 'loudest' if asked.group(1) else 'quietest'
        return f'The {which} sound I heard was {said(m)}.'
    loud = sorted((m for m in measured if _is_loud(m)), key=lambda m: -_level(m))
    if asked.group(3):  # "was it quiet?", "was the alarm quiet?": no when it was loud
        if loud:
            heard_loud = _and(said(m) for m in loud[:SOUNDS_LISTED])
            return f'{"No: " if yes_no else ""}I heard {heard_loud}, and ' \
                   f'{"they were" if len(loud) > 1 else "it was"} loud.'
        m = max(measured, key=_level)
        if nouns:
            return f'{"Yes: " if yes_no else ""}I heard {said(m)}, and it was not loud.'
        return f'{"Yes: " if yes_no else ""}nothing I heard was loud; the loudest was {said(m)}.'
    if nouns and re.match(r'\s*how loud\b', question, re.IGNORECASE):
        m = max(measured, key=_level)
        return f'It was {"loud" if _is_loud(m) else "not loud"}: I heard {a_sound(m.name)} ' \
               f'{relative(m.item.end, now)}.'
    if loud:
        listed = _and(said(m) for m in loud[:SOUNDS_LISTED])
        return f'{"Yes, I" if yes_no else "I"} heard {listed}.'
    m = max(measured, key=_level)
    if nouns:  # "was the alarm loud?"
        return f'{"No: " if yes_no else ""}I heard {said(m)}, but it was not loud.'
    return f'{"No, nothing" if yes_no else "Nothing"} I heard was loud: the loudest was {said(m)}.'


def _heard(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Did you hear a phone ring?": a sound label that is the thing asked ("the doorbell" is
    not a telephone, whatever both do)."""
    there = bool(_THERE.match(question)) and not heard  # "was there an explosion?": either
    if not yes_no or not (heard or there) or not (parsed.target or keys):
        return None
    if len(parsed.targets) > 1 and not there:
        return _heard_each(question, parsed.targets, items, now)
    thing = parsed.target or Thing(tuple(keys))
    mentions = _mentions(items, SOUND, thing)
    full = [m for m, found in mentions if not found.unchecked]
    if there:  # seen is for _seen to say; heard only when a sound is the thing asked
        if not full or _matching(items, OBJECT, set(), thing):
            return None
    if full:
        # a sound event's main class before its alternatives: "did you hear an alarm?" when a
        # telephone rang whose alternatives hold 'Alarm' (AudioSet's parent class) is no yes
        main = [m for m in full if _main_sound(m) is None]
        best = max(main or full, key=lambda m: (len(lang.text_keys(m.name) & keys), m.item.end))
        if not main:
            return f'I heard {a_sound(_main_sound(best))} {relative(best.item.end, now)}; it ' \
                   f'also sounded like {a_sound(best.name)}.'
        if thing.category and len({m.name for m in main}) > 1:  # "an animal?": each kind heard
            return f'Yes, I heard {_sounds_said(main, now)}.'
        return f'Yes, I heard {a_sound(best.name)} {relative(best.item.end, now)}.'
    broader = [m for m, _ in mentions] or _could_be(items, thing, SOUND)
    if broader:  # an insect heard when a bee is asked about
        m = max(broader, key=lambda m: m.item.end)
        return f'I heard {a_sound(m.name)} {relative(m.item.end, now)}, but I cannot tell ' \
               f'whether it was {lang.plural(str(thing), 1)}.'
    nouns = [w for w in thing.words if lang.key(w) not in questions.SOUND_VERBS]
    verbs = {lang.key(w) for w in thing.words} & questions.SOUND_VERBS
    alike = [m for i in items for m in labels_of(i)
             if m.kind == SOUND and verbs & lang.text_keys(m.name)]
    if nouns and alike:  # "the doorbell ring?" when a telephone bell rang
        m = max(alike, key=lambda m: m.item.end)
        what = lang.plural(" ".join(nouns), 1)
        if lang.text_keys(m.name) <= questions.SOUND_VERBS:
            # "paper crumpling?" when 'Crumpling, crinkling' was heard: no source to compare
            return f'I heard {a_sound(m.name)} {relative(m.item.end, now)}, but I cannot tell ' \
                   f'whether it was {what}.'
        return f'I did not hear {what}; I heard {a_sound(m.name)} {relative(m.item.end, now)}.'
    return None


def _heard_each(question: str, things: tuple[Thing, ...], items: list[MemoryItem],
                now: float) -> Optional[str]:
    """"Did you hear an alarm and a knock?": yes only when each was heard (by what each sound
    event was heard as); "a dog or a cat?" when either was. None when none was (a sound
    missed is not a sound absent: the model says what it may)."""
    heard, alike, unheard = [], [], []
    for thing in things:
        full = [m for m, f in _mentions(items, SOUND, thing) if not f.unchecked]
        main = [m for m in full if _main_sound(m) is None]
        if main:
            m = max(main, key=lambda m: m.item.end)
            heard.append(f'{a_sound(m.name)} {relative(m.item.end, now)}')
        elif full:  # only another class of a sound heard as something else
            m = max(full, key=lambda m: m.item.end)
            alike.append(f'{a_sound(_main_sound(m))} {relative(m.item.end, now)} (it also '
                         f'sounded like {a_sound(m.name)})')
        else:
            unheard.append(lang.plural(str(thing), 1))
    if not heard and not alike:
        return None
    if heard and (not alike and not unheard or re.search(r'\bor\b', question, re.IGNORECASE)):
        return f'Yes, I heard {_and(heard)}.'
    return f'I heard {_and(heard + alike)}' + \
        (f', but I have no record of hearing {_and(unheard)}.' if unheard else '.')


def in_a_row(items: list[MemoryItem], gap: float) -> list[tuple[list[MemoryItem], float]]:
    """`items` in time order, one group while each starts within `gap` s of the group's end
    (one sound heard in pieces, one sighting over clips in a row): each group's items and end."""
    groups: list[tuple[list[MemoryItem], float]] = []
    for item in sorted(items, key=lambda i: i.start):
        if groups and item.start <= groups[-1][1] + gap:
            groups[-1] = (groups[-1][0] + [item], max(groups[-1][1], item.end))
        else:
            groups.append(([item], item.end))
    return groups


_TIMES = re.compile(r'\s*how (?:many times|often)\s+(.*)$', re.IGNORECASE)
SIGHTING_GAP_S = 5.0  # clips closer than this are one sighting ("how many times did you see")
SOUND_GAP_S = 1.0     # and sound events: one alarm heard in pieces is one time


# "did the phone ring twice?", "did you see the cat again?": asked as often as that
_TIMES_YES_NO = re.compile(r'\s*(?:did|do|does|was|were|have|has|had)\b(.*?)\s+(once|twice|thrice|'
                           r'again|more than once|([a-z0-9]+) times)\s*[?.!]*$', re.IGNORECASE)


def _occurrences(phrase: str, items: list[MemoryItem], heard: bool
                 ) -> Optional[tuple[list[tuple[list[MemoryItem], float]], str, str]]:
    """Each time what `phrase` names ("did you see the cat", "the alarm go off") was seen or
    heard (in_a_row: clips or sound events in a row are one), with the verb and what it was
    seen or heard as; None when it names nothing or the evidence holds none of it."""
    rest = re.sub(r'\b(did|do|does|you|i|hear|heard|see|saw|seen|notice|noticed|was|were|'
                  r'there)\b', ' ', phrase.lower())
    heard = heard or bool(events.sounded(rest))  # "how many times did the alarm go off?"
    rest = events.sounded(rest) or rest
    thing = events.sound_thing(rest) if heard else questions._thing(rest)
    if thing is None or not thing.words:
        return None
    kind = SOUND if heard else OBJECT
    pool = events.each_sound(items) if heard else items
    found = [m for m, f in _mentions(pool, kind, thing) if not f.unchecked]
    spans = in_a_row(list({m.item.id: m.item for m in found}.values()),
                     SOUND_GAP_S if heard else SIGHTING_GAP_S)
    if not spans:
        return None
    name = found[0].name if heard else str(thing)
    what = a_sound(name) if heard else lang.plural(name, 1)
    if heard and all(_main_sound(m) for m in found):  # only ever one of its other classes
        what = f'{a_sound(_main_sound(found[0]))} (it also sounded like {what})'
    return spans, 'heard' if heard else 'saw', what


# "how long did you see the butterfly (for)?", "how long was the cat there?", "how long did the
# alarm ring?"; "was the car there the whole time?"
_HOW_LONG = re.compile(r'\s*how long\s+(?!ago\b)((?:did you (?:see|hear|watch)|have you seen|was|'
                       r'were|did)\s+(?:(?!\bbetween\b).)+?)\s*(?:for|there|here|around|in view|'
                       r'visible|in sight|last|go on|ring|sound|play)?\s*[?.!]*$', re.IGNORECASE)
_WHOLE_TIME = re.compile(r'^\s*((?:was|were|is|did)\s+.+?)\s+(?:there\s+|here\s+|in view\s+|'
                         r'visible\s+|around\s+)?(?:the whole time|all the time|all along|the '
                         r'entire time)\s*[?.!]*$', re.IGNORECASE)


def _how_long(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"How long did you see the butterfly?": how long it was in view (the clips that showed
    it, in a row, as one sighting), or a sound lasted; "was the car there the whole time?":
    without a break, or the sightings with breaks between them. None when the evidence holds
    none of it."""
    asked = _HOW_LONG.match(question) or _WHOLE_TIME.match(question)
    if not asked:
        return None
    # "how long was the explosion?": seen, else heard; a sound's time is its sound events'
    # (a clip that held it lasted longer than the sound)
    found = None if heard else _occurrences(asked.group(1), items, False)
    if found is None or found[1] == 'heard':
        found = _occurrences(asked.group(1), [i for i in items if i.kind == 'sound'], True)
    if found is None:
        return None
    spans, verb, what = found
    total = sum(end - pieces[0].start for pieces, end in spans)
    if asked.re is _WHOLE_TIME:
        since = min(i.start for i in items)  # the evidence's time: all memory shows of it
        first, end = spans[0][0][0], spans[-1][1]
        if len(spans) == 1 and now - end < 15 and end - first.start >= 0.8 * (now - since):
            return f'Yes, I {verb} {what} without a break from ' \
                   f'{relative(first.start, now)} until {relative(end, now)}.'
        if len(spans) == 1:
            return f'No, I {verb} {what} for {span(total)}, {relative(end, now)}.'
        return f'No, I {verb} {what} {len(spans)} times, with breaks in between: ' \
               f'{_and([relative(e, now) for _, e in spans])}.'
    if len(spans) == 1:
        return f'I {verb} {what} for {span(total)}, {relative(spans[0][1], now)}.'
    return f'I {verb} {what} {len(spans)} times, for {span(total)} in all; the last time ' \
           f'{relative(spans[-1][1], now)}.'


def _times(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"How many times did you hear the phone?", "how often did you see the cat?": each sound
    event (a clip's or an episode's sound only when no sound item holds it), or each sighting,
    with its time (events or clips in a row are one); "did the phone ring twice?" yes when it
    was as often or more. None when the evidence holds none."""
    asked, often = _TIMES.match(question), None
    if not asked:
        asked = _TIMES_YES_NO.match(question)
        if not asked:
            return None
        word = (asked.group(3) or asked.group(2)).lower()
        often = {'once': 1, 'twice': 2, 'thrice': 3, 'again': 2, 'more than once': 2}.get(word) \
            or (int(word) if word.isdigit() else timephrases.NUMBER_WORDS.get(word))
        if not often:
            return None
    found = _occurrences(asked.group(1), items, heard)
    if found is None:
        return None
    spans, verb, what = found
    verdict = '' if often is None else 'Yes, ' if len(spans) >= often else 'No, '
    if len(spans) == 1:
        return f'{verdict}I {verb} {what} once, {relative(spans[0][1], now)}.'
    return f'{verdict}I {verb} {what} {len(spans)} times: ' \
           f'{_and([relative(end, now) for _, end in spans])}.'


def _attribute(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What colour was the cup?", "where was the cup?" from the labels' attributes. A place
    not noticed is left to the model (its records carry where the robot was)."""
    if parsed.asks not in ('colour', 'position') or heard or parsed.modality in ('said', 'read') \
            or not parsed.target:
        return None
    found = _matching(items, OBJECT, keys, parsed.target)
    if not found:
        return _attribute_of_kind(parsed, items, now)
    if parsed.asks == 'colour':
        noticed = [m for m in found if questions.colours_of(m.label)]
        if not noticed:
            m = max(found, key=lambda m: m.item.end)
            return f'I saw {_some(m)} {relative(m.item.end, now)}; I did not notice its colour.'
        if re.search(r'\b(?:were|are)\b', question, re.IGNORECASE):  # "the cars": each one
            latest = _last_of_each((((m.name, questions.colours_of(m.label)[0]), m)
                                    for m in noticed), lambda m: m.item.end)  # by main colour
            if len(latest) > 1:
                seen = [f'{_some(m, colour)} {relative(m.item.end, now)}'
                        for (_, colour), m in reversed(latest.items())]
                return f'I saw {_and(seen[:PLACES_LISTED])}.'
        m = max(noticed, key=lambda m: m.item.end)
        some = f'The {m.name} was' if m.count <= 1 else \
            f'The {lang.plural(m.name, m.count)} were'
        return f'{some} {_and(questions.colours_of(m.label))}, {relative(m.item.end, now)}.'
    placed = [m for m in found if questions.attribute(m.label, 'position')]
    if not placed:
        return None
    m = max(placed, key=lambda m: m.item.end)
    distance = questions.attribute(m.label, 'distance')
    far = {'near': ', near me', 'far': ', far away'}.get(distance, '')
    where = position_phrase(questions.attribute(m.label, 'position'))
    went = ''
    if _WENT.search(question):  # "where did the cat go?": where it went, if it was seen going
        headings = [s for s in questions.states_of(m.label) if s.startswith('walking ')]
        it = _pronoun(m)
        went = f'; {it} {"were" if it == "they" else "was"} {headings[0]}' if headings else \
            f'; I did not see where {it} went'
    return f'I saw the {m.name} {where} of my view{far}, {relative(m.item.end, now)}{went}.'


_WENT = re.compile(r'\bwhere\b.*\b(?:go|went|gone|going|head|headed|heading)\s*[?.!]*$',
                   re.IGNORECASE)


# "what did the car look like?", "describe the man": what perception noticed of it (people's
# clothes: _worn)
_LOOKED = re.compile(r'\s*(?:what\s+(?:did|does|do)\b.*\blook(?:s|ed)?\s+like|'
                     r'describe\s+(?:the|that|this|these|those)\b|(?:(?:can|could)\s+you\s+)?'
                     r'tell\s+me\s+(?:more\s+)?about\s+(?:the|that|this|these|those)\b|'
                     r'what\s+(?:can|could)\s+you\s+tell\s+me\s+about\s+(?:the|that|this|these|'
                     r'those)\b)', re.IGNORECASE)


def _looked(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What did the car look like?", "describe the cat": what perception noticed of the
    latest sighting (its colours, kind, place in the view and what it was doing); people are
    _worn's."""
    thing = parsed.target
    if heard or thing is None or not _LOOKED.match(question) or 'person' in thing.words:
        return None
    found = _matching(items, OBJECT, keys, thing)
    if not found:  # "tell me about the alarm": when it was heard, and how loud
        heard_it = _matching(items, SOUND, keys, thing)
        if not heard_it:
            return None
        m = max(heard_it, key=lambda m: (_level(m) is not None, m.item.end))
        level = '' if _level(m) is None else \
            f', and it was {"loud" if _is_loud(m) else "not loud"}'
        return f'I heard {a_sound(m.name)} {relative(m.item.end, now)}, at ' \
               f'{clock(m.item.end)}{level}.'
    m = max(found, key=lambda m: m.item.end)
    colours = questions.colours_of(m.label)
    seen = _some(m, ' and '.join(colours[:2]) if colours else None)
    kinds = [c for c in questions.categories_of(m.label) if c not in m.name.lower()][:1]
    position = questions.attribute(m.label, 'position')
    distance = questions.attribute(m.label, 'distance')
    details = ([f'a kind of {kinds[0]}'] if kinds else []) + \
        ([f'{position_phrase(position)} of my view'] if position else []) + \
        ([{'near': 'near me', 'far': 'far away'}[distance]] if distance in ('near', 'far') else
         []) + questions.states_of(m.label)[:1]
    return f'I saw {seen}{"".join(", " + d for d in details)}, {relative(m.item.end, now)}' + \
        ('' if colours else '; I did not notice its colour') + '.'


def _attribute_of_kind(parsed, items, now) -> Optional[str]:
    """"What colour was the bow tie?" when memory holds a tie, not a bow tie: the colour of
    what was seen, said as such, and that whether it was the thing asked cannot be told ("I saw
    a red tie ...; I cannot tell whether it was a bow tie"). Only when the question says no
    more of the thing than its owner or place (relations 'of', 'in'), which memory cannot
    check either; a relation such as "holding the basketball" is left to the model."""
    thing = parsed.target
    if any(r.kind not in ('of', 'in') for r in parsed.relations) or thing.colour or \
            thing.position:
        return None
    partial = [m for m, found in _mentions(items, OBJECT, thing) if found.unchecked and
               (questions.colours_of(m.label) if parsed.asks == 'colour' else
                questions.attribute(m.label, 'position'))]
    if not partial:
        return None
    m = max(partial, key=lambda m: m.item.end)
    asked = lang.plural(str(dataclasses.replace(thing, colour=None)), 1)
    if parsed.asks == 'colour':
        seen = _some(m, '/'.join(questions.colours_of(m.label)))
        return f'I saw {seen} {relative(m.item.end, now)}; I cannot tell whether it was ' \
               f'{asked}.'
    place = position_phrase(questions.attribute(m.label, 'position'))
    return f'I saw {_some(m)} {place} of my view, {relative(m.item.end, now)}; I cannot tell ' \
           f'whether it was {asked}.'


def _person(person: Mapping) -> str:
    """'a person in a red top and blue trousers, sitting, holding a cup': what perception noticed
    of one person (docs/architecture.md, people and relations)."""
    worn = person.get('clothing') or {}
    dress = ' and '.join(([lang.plural(f'{worn["upper"]} top', 1)] if worn.get('upper') else
                          []) +
                         ([f'{worn["lower"]} trousers'] if worn.get('lower') else []))
    parts = ['a person' + (f' in {dress}' if dress else '')]
    doing = [v for v in questions.finest(questions.person_states(person))
             if v != 'standing still']
    parts += list(dict.fromkeys(doing))
    held = list(person.get('holding') or ())
    if held:
        parts.append('holding ' + _and([lang.plural(h, 1) for h in held]))
    return ', '.join(parts)


def _part(worn: Thing) -> Optional[str]:
    """The part of an outfit a garment is ('upper' for a shirt, 'lower' for jeans), or None
    ("in red": any)."""
    words = set(worn.words)
    return 'upper' if words & questions.CLOTHES_UPPER else \
        'lower' if words & questions.CLOTHES_LOWER else None


def _dressed(person: Mapping, worn: Thing) -> bool:
    """The person's clothes have the colour asked, on the part asked ("a red shirt": the
    top; "in red": any)."""
    part = _part(worn)
    clothes = person.get('clothing') or {}
    return any(c == worn.colour for k, c in clothes.items() if part is None or k == part)


def _fits(person: Mapping, state: Optional[str], holding: Optional[Thing],
          colour: Optional[str]) -> tuple[str, str]:
    """('yes', '') when the person is what a "who" question asks (sitting, holding a cup, in
    red), ('no', what they were instead) or ('unknown', what was not noticed)."""
    if state:
        states = questions.person_states(person)
        if state not in states:
            return ('unknown', f'whether they were {state}') if not any(states) else \
                ('no', _and([s for s in states if s]))
    if holding is not None:
        held = list(person.get('holding') or ())
        if not held:
            return 'unknown', f'whether they were holding {lang.plural(str(holding), 1)}'
        if not any(questions.match(holding, Label(OBJECT, h)) for h in held):
            return 'no', 'holding ' + _and([lang.plural(h, 1) for h in held])
    if colour:
        worn = [c for c in (person.get('clothing') or {}).values() if c]
        if not worn:
            return 'unknown', 'what they wore'
        if colour not in worn:
            return 'no', 'in ' + _and(dict.fromkeys(worn))
    return 'yes', ''


# "who" questions that what people looked like and did can answer
WHO_SEEN = re.compile(r'\s*who\s+(?:(?:did|do|have|had)\s+you\s+(?:see|seen|notice|noticed|spot|'
                      r'spotted|meet|met)\b|(?:did\s+)?you\s+saw\b|(?:came|walked|went|passed|'
                      r'entered)\b|(?:was|were|is|are)\s+(?:holding|carrying|wearing|dressed|'
                      r'sitting|seated|standing|lying|walking|waving|in|at|there|here|near|next|'
                      r'by|beside|with|around|present|visible|' + '|'.join(questions.ACTIVITIES) +
                      r')\b|(?:had|has|raised|put)\b.*\b(?:arms?|hands?)\b)', re.IGNORECASE)


def people_seen(items: list[MemoryItem]) -> list[Mention]:
    """The labels of people seen (a person, or a finer name of one)."""
    return [m for i in items for m in labels_of(i) if m.kind == OBJECT and m.label is not None
            and (m.name == 'person' or 'person' in questions.categories_of(m.label))]


# "who was talking?", "who spoke?": someone, unknown (voices are not recognised), and what
WHO_SPOKE = re.compile(r'\s*who\s+(?:(?:was|were|is|has been)\s+(?:talking|speaking)|spoke|talked|'
                       r'said (?:something|anything))\s*(?:(first)|last|just now|earlier|before|'
                       r'then)?\s*[?.!]*$', re.IGNORECASE)
# "did you hear anyone talking?", "any voices?", "was there a conversation?", "what were people
# talking about?": what was said heard, whoever said it
TALK_HEARD = re.compile(
    r'\s*(?:(?:did|have)\s+you\s+(?:hear|heard)\s+(?:(?:any(?:one|body)|some(?:one|body)|'
    r'(?:any\s+)?(?:people|humans?)|a\s+(?:man|woman|person|child))(?:\s+(?:talking|speaking|'
    r'talk|speak|chatting))?|(?:any\s+|a\s+)?(?:voices?|conversations?|talking|speech))|(?:was|were)\s+(?:(?:any(?:one|body)|'
    r'some(?:one|body)|people)\s+(?:talking|speaking|chatting)|there\s+(?:any\s+|a\s+)?'
    r'(?:conversations?|talking))|what\s+(?:were|was)\s+(?:people|they|everyone|someone|somebody)'
    r'\s+(?:talking|speaking|chatting)\s+about)\s*(?:earlier|today|just now|recently)?\s*[?.!]*$',
    re.IGNORECASE)
# "how many people talked?": voices are not told apart
TALK_COUNTED = re.compile(r'\s*how many\s+(?:different\s+)?(?:people|persons|voices|speakers)\s+'
                          r'(?:talked|spoke|were\s+(?:talking|speaking)|did you hear(?:\s+talking|'
                          r'\s+speaking)?)\s*(?:earlier|today)?\s*[?.!]*$', re.IGNORECASE)


# "when did you last hear someone talking?": when, not a time someone mentioned
TALK_WHEN = re.compile(r'\s*when\s+(?:did|have)\s+you\s+(?:(last|first)\s+)?(?:hear|heard)\s+'
                       r'(?:any(?:one|body)|some(?:one|body)|people|a\s+(?:man|woman|person|'
                       r'child)|voices?)\s+(?:talking|speaking|talk|speak|chatting|say\s+'
                       r'(?:something|anything))\s*(?:(last)|(first))?\s*[?.!]*$', re.IGNORECASE)


def talk_asked(question: str) -> bool:
    """Whether the question asks about people talking, not about what a thing said."""
    return bool(WHO_SPOKE.match(question) or TALK_HEARD.match(question) or
                TALK_COUNTED.match(question) or TALK_WHEN.match(question))


def _who_spoke(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Who was talking?", "did you hear anyone talking?", "how many people spoke?": what was
    said heard (not the questions asked of the robot), latest first; who said it, or how many
    people did, is not known: voices are not recognised."""
    if not talk_asked(question):
        return None
    who, counted = WHO_SPOKE.match(question), TALK_COUNTED.match(question)
    said = [i for i in items if i.kind == 'speech' and i.text and not asked_of_robot(i.labels)
            and not is_this_question(i, question)]
    if not said:
        return None
    when = TALK_WHEN.match(question)
    if when:  # the latest, unless the first is asked
        first = bool(when.group(1) and when.group(1).lower() == 'first' or when.group(3))
        one = min(said, key=lambda i: i.start) if first else max(said, key=lambda i: i.end)
        return f'I {"first" if first else "last"} heard someone talking ' \
               f'{relative(one.end, now)}, at {clock(one.end)}: they said ' \
               f'{speech.quote(one.text)}.'
    if who:
        one = min(said, key=lambda i: i.start) if who.group(1) else max(said, key=lambda i: i.end)
        return f'I cannot tell who it was: I do not recognise voices. The ' \
               f'{"first" if who.group(1) else "latest"} I heard was someone say ' \
               f'{speech.quote(one.text)}, {relative(one.end, now)}.'
    latest = _latest_first([(f'someone say {speech.quote(i.text)}', i) for i in said])
    more = ', the latest first' if len(latest) > 1 else ''
    if counted:
        n = len(latest)
        return f'I cannot tell how many people spoke: I do not recognise voices. I heard ' \
               f'{"one thing" if n == 1 else f"{n} things"} said{more}: ' \
               f'{_when_each(latest, now)}.'
    kind = re.search(r'\ba\s+(man|woman|child)\b', question, re.IGNORECASE)
    # "did you hear a woman?": not a yes, voices are not told apart
    return f'{"Yes, I" if yes_no and not kind else "I"} heard{more}: ' \
        f'{_when_each(latest, now)}.' + \
        (f' I cannot tell whether it was a {kind.group(1).lower()}: I do not recognise voices.'
         if kind else '')


def _who(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Who did you see?", "who was holding the cup?", "who was sitting?", "who was wearing
    red?": the people seen, each with what perception noticed of them (clothing, posture,
    activity, what they held); what it did not notice is said, not guessed. People are not
    recognised: "who" is answered by what they looked like and did."""
    if parsed.form != 'who' or heard or parsed.modality not in ('seen', 'note') or \
            not WHO_SEEN.match(question):
        return None  # "who owned the bicycle?" is not in what was seen
    people = people_seen(items)
    if not people:
        return None
    m = re.match(r'\s*who\s+(?:was|were|is|are|had|has)?\s*(.+)', question, re.IGNORECASE)
    if m:  # "who was holding a cup?" read as "someone holding a cup"
        parsed = questions.parse(f'Did you see someone {m.group(1)}')
    state = parsed.target.state if parsed.target is not None else None
    # "who was kicking the ball?": an action perception notices is a state to check
    acting = next((w for r in parsed.relations if r.kind == 'riding'
                   for w in r.phrase.split()[:1] if w in questions.ACTIVITIES), None)
    state = state or acting or next((questions.STATES[w] for w in
                                     re.findall(r'[a-z]+', question.lower())
                                     if w in questions.STATES), None)
    holding = next((r.thing for r in parsed.relations if r.kind in ('holding', 'with')), None)
    colour = next((r.thing.colour for r in parsed.relations if r.kind == 'wearing'), None)
    judged = []
    for m in sorted(people, key=lambda m: -m.item.end):
        for person in questions.people_of(m.label) or [{}]:
            judged.append((m, person, _fits(person, state, holding, colour)))
    fitting = [(m, p) for m, p, (status, _) in judged if status == 'yes']
    if fitting:
        seen = [f'{_person(p) if p else _some(m)} {relative(m.item.end, now)}'
                for m, p in fitting[:3]]
        unnoticed = '' if state or holding or colour or any(p for _, p in fitting[:3]) else \
            '; I did not notice what they wore'
        return f'I saw {_and(seen)}{unnoticed}.'
    m, person, (status, text) = judged[0]
    asked = ' '.join(w for w in (state, f'holding {lang.plural(str(holding), 1)}'
                                 if holding else '', f'in {colour}' if colour else '') if w)
    if status == 'no':
        return f'I did not see anyone {asked}; I saw {_person(person)} ' \
               f'{relative(m.item.end, now)}.'
    return f'I saw {_person(person) if person else _some(m)} {relative(m.item.end, now)}, ' \
           f'but I did not notice {text}.'


_WEARING = re.compile(r"\s*what\b.*\b(?:wearing|wear|wore|dressed|have on|had on)\b",
                      re.IGNORECASE)
# the words of a "what was the man wearing?" that name the person asked about and the asking
_PEOPLE_KEYS = {lang.key(w) for w in ('person', 'wear', 'like', 'describe',
                                      *questions.PEOPLE_KINDS)}


def _meant(people: list[Mention], context: set[str], position: Optional[str],
           part: Optional[str] = None) -> Mention:
    """The sighting of people a question means: the one with the question's other words, then
    someone seen where it says ("the man on the left"), then someone whose clothing (`part` of
    it: 'upper' or 'lower') was noticed, then the latest."""
    def rank(m: Mention) -> tuple:
        persons = questions.people_of(m.label)
        return (len(context & item_keys(m.item)),
                bool(position) and (questions.attribute(m.label, 'position') == position or
                                    any(p.get('position') == position for p in persons)),
                any((p.get('clothing') or {}).get(part) if part else p.get('clothing')
                    for p in persons), m.item.end)
    return max(people, key=rank)


_GARMENT_KEYS = {lang.key(w) for w in questions.WORN_WORDS | {'colour', 'color', 'wear'}}


def _garment(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What colour was the man's shirt?", "was her jacket red?": the colour perception noticed
    on the top (or the trousers) of the person the question means. Perception tells a top from
    trousers, not a shirt from a jacket: the answer says "top"."""
    thing = parsed.target
    if heard or thing is None:
        return None
    words = {lang.singular(w) for w in thing.words}
    part = 'upper' if words & questions.CLOTHES_UPPER else \
        'lower' if words & (questions.CLOTHES_LOWER | {'pant', 'trouser'}) else None
    owner = next((r.thing for r in parsed.relations if r.kind == 'of'), None)
    of_person = 'person' in thing.words or words & {'his', 'her', 'their'} or \
        owner is not None and 'person' in owner.words
    if part is None or not of_person or not (parsed.asks == 'colour' or yes_no and thing.colour):
        return None
    people = people_seen(items)
    if not people or any(r.kind != 'of' for r in parsed.relations):
        return None  # "the man holding the basketball": which person that was is not known
    position = thing.position or (owner.position if owner is not None else None)
    # the question's other words ("the man in the car"; "man's" read as "man")
    context = lang.keys(re.sub(r"'s\b", '', question)) - _PEOPLE_KEYS - _GARMENT_KEYS - \
        _COLOUR_KEYS - {lang.key(position or '')}
    best = _meant(people, context, position, part)
    if context and not context & item_keys(best.item):
        return None  # "the man in the car" when no person was seen with a car
    persons, who = questions.people_of(best.label), _some(best)
    there = [p for p in persons if p.get('position') == position] if position else []
    if there:  # "the man on the right": the people seen there
        persons, who = there, f'{lang.plural("person", len(there))} {position_phrase(position)}'
    colours = [c for p in persons if (c := (p.get('clothing') or {}).get(part))][:2]
    name, when = ('top' if part == 'upper' else 'trousers'), relative(best.item.end, now)
    if not colours:
        return f'I saw {who} {when}, but I did not notice the colour of their {name}.'
    worn = [lang.plural(f'{c} {name}', 1) if part == 'upper' else f'{c} {name}'
            for c in colours]
    worn = f'wearing {worn[0]}' if len(colours) == 1 else \
        f'each wearing {worn[0]}' if colours[0] == colours[1] else \
        f'one wearing {worn[0]}, another {worn[1]}'
    if yes_no and thing.colour in colours:
        return f'Yes, I saw {who} {when}, {worn}.'
    if yes_no:
        return f'No, I saw {who} {when}, {worn}, not {thing.colour}.'
    return f'I saw {who} {when}, {worn}.'


def _worn(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was the man in the car wearing?", "what did he look like?": the clothing
    perception noticed on the people seen, first those of the clip the question's other words
    point to ("in the car"), then the latest whose clothing was noticed. People are not
    recognised: the answer says what the person it means wore, never that it was "the man";
    what was not noticed is said, not guessed."""
    thing = parsed.target
    if heard or not (_WEARING.match(question) or _LOOKED.match(question)) or thing is None or \
            'person' not in thing.words:
        return None
    people = people_seen(items)
    if not people:
        return None
    context = keys - _PEOPLE_KEYS  # "in the car", "football"
    best = _meant(people, context, thing.position)
    persons = questions.people_of(best.label)
    if thing.position:  # "the man on the left"
        persons = [p for p in persons if p.get('position') == thing.position] or persons
    dressed = [p for p in persons if p.get('clothing')]
    # clothing the detector or classifier named on its own in that view ("a red tie")
    worn = [_some(m, (questions.attribute(m.label, 'colours') or [None])[0])
            for m in labels_of(best.item) if m.kind == OBJECT and m.label is not None and
            'clothing' in questions.categories_of(m.label)]
    with_worn = f', with {_and(worn)},' if worn else ''
    when = relative(best.item.end, now)
    if not dressed and not worn:
        return f'I saw {_some(best)} {when}, but I did not notice what they wore.'
    who = _and([_person(p) for p in dressed[:2]]) if dressed else _some(best)
    # "the football player" when nothing seen then says football: not claimed to be them
    named = ' '.join(w for w in thing.words if w != 'person' and lang.key(w) != 'wear')
    unsure = f', but I cannot tell whether that was the {named}' \
        if context and not context & item_keys(best.item) else ''
    return f'I saw {who}{with_worn} {when}{unsure}.'


_DOING = re.compile(r"\s*what\s+(?:(?:was|were|is|are)\b.*\b(?:doing\b|(holding|carrying)\s*"
                    r"[?.!]*$)|did\b.*\bdo\s*[?.!]*$)", re.IGNORECASE)


_STATE_WORDS = '|'.join(sorted({*questions.STATES, *questions.ACTIVITIES}, key=len, reverse=True))
_STATE_OR = re.compile(rf'\b({_STATE_WORDS})\s+or\s+({_STATE_WORDS})\b', re.IGNORECASE)


def _state_choice(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Were the people walking or standing?": the most perception noticed at once in each
    state (both may be so); for a thing whose states it does not notice, that it did not."""
    m = _STATE_OR.search(question)
    thing = parsed.target
    if heard or m is None or thing is None or not thing.words:
        return None
    choices = [questions.STATES.get(w.lower(), w.lower()) for w in m.groups()]
    thing = dataclasses.replace(thing, state=None)
    seen = people_seen(items) if 'person' in thing.words else \
        _matching(items, OBJECT, set(), thing)
    if not seen:
        return None

    def noticed(s: Mention, state: str) -> int:
        def fits(states: list[str]) -> bool:
            return any(x == state or x.startswith(state + ' ') for x in states)
        people = questions.people_of(s.label)
        if people:
            return sum(fits(questions.person_states(p)) for p in people)
        return s.count if fits(questions.states_of(s.label)) else 0
    found = []
    for state in choices:
        best = max(seen, key=lambda s: (noticed(s, state), s.item.end))
        if noticed(best, state):
            found.append((state, best, noticed(best, state)))
    latest = max(seen, key=lambda s: s.item.end)
    if not found:
        it = _pronoun(latest)
        return f'I saw {_some(latest)} {relative(latest.item.end, now)}, but I did not notice ' \
               f'whether {it} {"were" if it == "they" else "was"} {" or ".join(choices)}.'
    said = [f'{lang.plural(s.name, n)} {state} ({relative(s.item.end, now)})'
            for state, s, n in found]
    if len(found) == 2:
        return f'Both: I noticed {_and(said)}.'
    other = next(c for c in choices if c != found[0][0])
    return f'{found[0][0].capitalize()}: I noticed {said[0]}, and none {other}.'


def _doing(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was the squirrel doing?": what perception noticed of it (posture, activity, what
    it held), from the sighting the question's other words point to ("the man in the car"),
    else the latest; when nothing was noticed, that is the answer (not a guess)."""
    thing, asked = parsed.target, _DOING.match(question)
    if heard or not asked or thing is None or not thing.words:
        return None
    holding = asked.group(1) is not None  # "what was the man holding?": only what was held
    if holding:
        thing = dataclasses.replace(thing, words=tuple(w for w in thing.words
                                                       if w != asked.group(1).lower()))
    # people are not recognised: "the football player" is any person seen
    seen = people_seen(items) if 'person' in thing.words else \
        _matching(items, OBJECT, set(), dataclasses.replace(thing, state=None))
    if not seen:
        return None
    # "the man in the red shirt": the person seen so; nobody seen so is the answer (a premise)
    worn = [r for r in parsed.relations if r.kind == 'wearing' and r.thing.colour]
    if worn and 'person' in thing.words:
        dressed = [(m, p) for m in seen for p in questions.people_of(m.label)
                   if all(_dressed(p, r.thing) for r in worn)]
        if not dressed:
            said = ' and '.join(f'in {r.thing.colour}' if r.thing.words == ('clothes',) else
                                f'in {lang.plural(str(r.thing), 1)}' for r in worn)
            return f'I did not see anyone {said}.'
        m, person = max(dressed, key=lambda mp: (  # one of whom something was noticed
            bool(mp[1].get('holding') if holding else questions.person_states(mp[1])),
            mp[0].item.end))
        doing = questions.finest(questions.person_states(person)) if not holding else []
        doing += [f'holding {lang.plural(h, 1)}' for h in person.get('holding') or ()]
        what = asked.group(1) or 'doing'
        return f'I saw {_person(person).split(", ")[0]} {relative(m.item.end, now)}; ' + \
            (f'they were {_and(doing)}.' if doing else f'I did not notice what they were {what}.')
    # "in the car": the sighting with the question's other words
    context = keys - {lang.key(w) for w in (*thing.words, 'doing', 'holding', 'carrying',
                                            *questions.PEOPLE_KINDS)}

    def rank(m: Mention) -> tuple:
        return len(context & item_keys(m.item)), bool(
            questions.held_by(m.label) if holding else questions.states_of(m.label)), m.item.end
    best = max(seen, key=rank)
    doing = ([] if holding else questions.finest(questions.states_of(best.label))) + \
        [f'holding {lang.plural(h, 1)}' for h in questions.held_by(best.label)]
    it = _pronoun(best)
    be = 'were' if it == 'they' else 'was'
    # what the question says of them that this sighting does not show
    named = ' '.join(w for w in thing.words if w != 'person')
    unsure = ''
    if context and not context & item_keys(best.item):
        where = re.sub(r'(?:\s+doing)?[?.! ]*$', '', parsed.relations[0].phrase) \
            if parsed.relations else ''
        unsure = f', but I cannot tell whether {it} {be} {where}' if where else \
            f', but I cannot tell whether that was the {named}' if named else ''
    if not doing:
        return f'I saw {_some(best)} {relative(best.item.end, now)}; I did not notice what ' \
               f'{it} {be} {asked.group(1) or "doing"}{unsure}.'
    return f'I saw {_some(best)} {relative(best.item.end, now)}; {it} {be} {_and(doing)}' \
           f'{unsure}.'


def _coloured(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Did you see anything yellow?", "what red things did you see?": the things seen in that
    colour, latest first. None when the evidence holds none: what was retrieved may not be all
    that was seen, so "no" is not settled here."""
    thing = parsed.target
    if heard or parsed.modality != 'seen' or thing is None or thing.words or \
            not thing.colour or parsed.relations:
        return None
    found = sorted((m for i in items for m in labels_of(i) if m.kind == OBJECT and
                    m.label is not None and
                    thing.colour in (questions.attribute(m.label, 'colours') or ())),
                   key=lambda m: -m.item.end)
    said = list(dict.fromkeys(f'{_some(m, thing.colour)} {relative(m.item.end, now)}'
                              for m in found))[:3]
    if not said:
        return None
    return f'{"Yes, I" if yes_no else "I"} saw {_and(said)}.'


def _latest_first(named: list[tuple[str, MemoryItem]]) -> list[tuple[str, MemoryItem]]:
    """Each name once, with its latest item, the latest first."""
    return sorted(_last_of_each(named, lambda i: i.end).items(), key=lambda wi: -wi[1].end)


def _when_each(latest: list[tuple[str, MemoryItem]], now: float) -> str:
    """'a crow (about 40 seconds ago) and a pig (about 2 minutes ago)': the first
    SOUNDS_LISTED of `latest` (_latest_first), each with when."""
    return _and([f'{w} ({relative(i.end, now)})' for w, i in latest[:SOUNDS_LISTED]])


def _sounds_said(heard: list[Mention], now: float) -> str:
    """Each sound once, by when it was last heard, the latest first (_when_each)."""
    return _when_each(_latest_first([(a_sound(m.name), m.item) for m in heard]), now)


def _listed(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Which animals did you see?": every thing seen of that category, with its count and
    time; "which animals did you hear?" each sound of that category."""
    thing = parsed.target
    # "which animals did you see with people / near the car?": those seen at the same time
    beside = [r for r in parsed.relations if r.kind in ('with', 'next to')]
    if parsed.form != 'what' or parsed.asks or parsed.modality not in ('seen', 'heard') or \
            thing is None or thing.category is None or len(beside) != len(parsed.relations):
        return None
    if heard:  # by what each sound event was heard as, not the classes it also sounded like
        found = [m for m in _matching(items, SOUND, keys, thing) if _main_sound(m) is None]
        return f'I heard {_sounds_said(found, now)}.' if found and not beside else None
    found = [m for m in _matching(items, OBJECT, keys, thing) if not _problems(thing, m)]
    if not found:
        return None
    if beside:
        found = [m for m in found if _together(m, beside)]
        others = _and(lang.plural(str(r.thing), 2).split(' ', 1)[-1] for r in beside)
        if not found:
            return f'I did not see any {lang.plural(str(thing), 2).split(" ", 1)[-1]} at the ' \
                   f'same time as {others}.'
        near = '; I cannot tell how near they were' if any(r.kind == 'next to' for r in beside) \
            else ''
        latest = max(found, key=lambda m: m.item.end)
        return f'At the same time as {others}, I saw {_some(latest)} ' \
               f'{relative(latest.item.end, now)}{near}.'
    by_name: dict[str, Mention] = {}
    for m in found:
        kept = by_name.get(m.name)
        if kept is None or (m.count, m.item.end) > (kept.count, kept.item.end):
            by_name[m.name] = m
    ranked = sorted(by_name.values(), key=lambda m: -m.item.end)[:5]
    return 'I saw ' + _and(f'{_some(m, thing.colour)} {relative(m.item.end, now)}'
                           for m in ranked) + '.'

def _quote(text: str) -> str:
    """'"Yes, I will meet you at noon."' with a full stop after the quote only when it has none."""
    text = text.strip()
    return f'"{text}"' if text[-1:] in '.!?' else f'"{text}".'


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
    named = [s for s in signs if item_keys(s) & keys]
    if named:
        return max(named, key=lambda s: (len(item_keys(s) & keys), s.score))
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
