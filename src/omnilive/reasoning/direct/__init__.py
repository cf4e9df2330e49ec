"""Answers the evidence makes certain, given without the model (`answered_by: direct`).

A note that names what is asked, a count, when something was last seen or heard, what a sign
read, what someone said, whether something was seen or heard, and multiple-choice questions whose
choices memory tells apart. Each reads the typed labels the retrieved items carry (objects with
counts, text read, sounds, speech) and answers in one sentence with the time; anything else
(descriptions, open questions) is left to the model. Words are matched as stems
(omnilive.reasoning.language.key).

The rules live in the package's modules by concern: what was said, asked or told (said),
counts and comparisons (counts), text read (signs), sounds heard (sounds), people seen and heard
talking (people), what was seen (seen), multiple choice (choice), and what they share (mentions).
Their public names are this package's.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

from omnilive.memory.types import OBJECT, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions, timephrases
from omnilive.reasoning.direct.choice import choose, order_asked, perceived, unordered
from omnilive.reasoning.direct.counts import (SIGHTING_GAP_S, SOUNDS_COUNTED, SOUND_GAP_S,
                                              _at_most, _count, _how_long, _measured, _more,
                                              _sizes, _times, compared, in_a_row)
from omnilive.reasoning.direct.mentions import (PERCEIVED, PLACES_LISTED, SOUNDS_LISTED, WHY,
                                                YES_NO, Mention, a_sound, item_keys, labels_of,
                                                position_phrase)
from omnilive.reasoning.direct.people import (HOLDING_ANY, TALK_COUNTED, TALK_HEARD, TALK_WHEN,
                                              WHO_SEEN, WHO_SPOKE, _doing, _garment, _heading,
                                              _holding_any, _state_choice, _who, _who_spoke, _worn,
                                              people_seen, talk_asked)
from omnilive.reasoning.direct.said import (ASKED_LISTED, ASKED_OF_ROBOT, NOTES_LIST, REPLY_S,
                                            _asked, _conversation, _not_told, _note, _said,
                                            _said_so, asked_of_robot, is_this_question,
                                            notes_asked)
from omnilive.reasoning.direct.seen import (FIRST_TIME, _at_once, _attribute, _beside, _coloured,
                                            _every, _happened_at, _listed, _located, _looked,
                                            _not_seen, _placed, _seen, _seen_at, _when, _with,
                                            unrecorded)
from omnilive.reasoning.direct.signs import (NUMBERS_READ, SIGNS_LISTED, SIGN_KEYS, _clock_shown,
                                             _read, _signs_counted)
from omnilive.reasoning.direct.sounds import (AROUND_LOUD, HEARD_ANY, HEARD_AT, HEARD_LIST,
                                              LOUD_ABOVE_ROOM_DB, LOUD_MIN_DBFS, _alarm_of,
                                              _heard, _heard_at, _heard_list, _loudness,
                                              _sounded, _who_sounded, sound_verb)
from omnilive.reasoning.questions import Thing

__all__ = ['answer', 'AROUND_LOUD', 'ASKED_LISTED', 'ASKED_OF_ROBOT', 'FIRST_TIME', 'HEARD_ANY',
           'HEARD_AT', 'HEARD_LIST', 'HOLDING_ANY', 'LOUD_ABOVE_ROOM_DB', 'LOUD_MIN_DBFS',
           'Mention', 'NOTES_LIST', 'NUMBERS_READ', 'PERCEIVED', 'PLACES_LISTED', 'REPLY_S',
           'SIGHTING_GAP_S', 'SIGNS_LISTED', 'SIGN_KEYS', 'SOUNDS_COUNTED', 'SOUNDS_LISTED',
           'SOUND_GAP_S', 'TALK_COUNTED', 'TALK_HEARD', 'TALK_WHEN', 'WHO_SEEN', 'WHO_SPOKE',
           'WHY', 'YES_NO', 'a_sound', 'asked_of_robot', 'choose', 'compared', 'in_a_row',
           'is_this_question', 'item_keys', 'labels_of', 'notes_asked', 'order_asked',
           'people_seen', 'perceived', 'position_phrase', 'sound_verb', 'talk_asked', 'unordered',
           'unrecorded', 'in_view', 'not_in_view']


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
        (_more, _sizes, _measured, _at_most, _times, _how_long, _loudness, _heard_list, _sounded,
         _who_sounded, _who_spoke,
         _state_choice, _holding_any, _said_so, _said, _conversation, _read, _clock_shown, _when,
         _beside, _note, _not_told, _happened_at, _seen_at, _heard_at, _who, _garment, _worn,
         _heading, _doing, _placed, _located, _with, _at_once, _every, _attribute, _looked,
         _listed, _coloured, _alarm_of, _heard, _seen, _not_seen)
    for step in steps:
        text = step(question, items, keys, now, heard, yes_no, parsed)
        if text:
            return text
    return None


_EXCEPT = re.compile(r'\s*,?\s+(?:besides|other than|apart from|aside from|except(?: for)?)\s+'
                     r'([a-z][a-z -]*?)\s*(?=[?.!,]|$)', re.IGNORECASE)


def not_in_view(question: str, earlier: list[MemoryItem], focus: Optional[str],
                now: float) -> Optional[str]:
    """"Where is the cat now?", "is the cat still there?" when nothing in view now is one: that
    it is not in view, and the answer to the same question of any time from `earlier` (where and
    when it was last seen), or None when that is not settled either."""
    parsed = questions.parse(question)
    target = parsed.target
    if target is None or not target.words or parsed.modality not in ('seen', 'note'):
        return None
    a_thing = lang.plural(' '.join(target.words), 1)
    past = answer(timephrases.without_now(question), earlier, focus, now)
    if not past:  # the model's, unless nothing of it was ever seen
        return None if in_view(question, earlier) else f'I have not seen {a_thing}.'
    if re.search(r'\b(?:have|had) not seen\b', past) or past.startswith('You '):
        return past  # nor ever seen; or what the user said of it ("you told me: ...")
    past = re.sub(r'^(?:Yes|No), ', '', past)
    return f'I do not see {a_thing} now. ' + \
        (f'Earlier, {past}' if past.startswith('I ') else past[0].upper() + past[1:])


def in_view(question: str, items: list[MemoryItem]) -> bool:
    """Whether the thing a question names (by name or category, whatever its colour) is among
    the things of `items`; True when the question names none."""
    target = questions.parse(question).target
    return target is None or not target.words or any(
        questions.match(target, lab) is not None for i in items for lab in i.labels_of(OBJECT))
