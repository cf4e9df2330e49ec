"""Direct answers about sounds heard: whether a sound was heard ("did you hear a phone
ring?"), the sounds heard ("what did you hear?") and what was heard at a time, how loud they were
("what was the loudest sound?", "was it noisy?") and which of two was louder.
"""
from __future__ import annotations

import re
from typing import Optional

from omnilive.memory.types import OBJECT, SOUND, SPEECH, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions, speech, timephrases
from omnilive.reasoning.direct.counts import _LOUDER, compared
from omnilive.reasoning.direct.mentions import (SOUNDS_LISTED, Mention, _and, _could_be,
                                                _latest_first, _main_sound, _matching, _mentions,
                                                _when_each, a_sound, labels_of)
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import relative

HEARD_AT = 3  # "what did you hear 8 minutes ago?": the sounds and words nearest that moment


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


_THERE = re.compile(r'\s*(?:was|were|is|are)\s+there\b', re.IGNORECASE)


# "what sounds did you hear?", "what did you hear in the last 5 minutes?" (group 1: sounds only)
HEARD_LIST = re.compile(r'\s*(?:what|which)\s+(?:(sounds?|noises?)\s+)?(?:did|have|could)\s+you\s+'
                        r'(?:hear|heard)\b(?!\s+(?:someone|somebody|anyone|anybody|people|a|an|'
                        r'the|him|her|them|when|while|after|before|during|about)\b)',
                        re.IGNORECASE)


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


# "what rang?", "what was beeping?", "what went off just now?": the sound heard that did that
_SOUNDED = re.compile(r'\s*what\s+(?:just\s+|was\s+|were\s+|is\s+|has\s+|had\s+)?'
                      r'(?:just\s+)?([a-z]+)(\s+off)?(?:\s+(?:earlier|before|just now|today|'
                      r'again|recently|then))?\s*[?.!]*$', re.IGNORECASE)
# what goes off: alarms and what explodes (no sound class says "go off")
_GOES_OFF = {lang.key(w) for w in 'alarm siren buzzer detector explosion bomb timer'.split()}


def _sound_verbs(name: str) -> set[str]:
    """The keys of a sound class's words as verbs: 'Telephone bell ringing' -> telephone,
    bell, ring."""
    return {lang.key(questions.verb_lemma(w)) for w in re.findall(r'[a-z]+', name.lower())}


def sound_verb(question: str) -> Optional[tuple[str, bool]]:
    """"What rang?" -> ('ring', False), "what went off?" -> ('go', True): the sound verb a
    "what <verb>?" question asks about, and whether with "off"; None for other questions
    ("what happened?")."""
    m = _SOUNDED.match(question)
    if not m:
        return None
    lemma, off = questions.verb_lemma(m.group(1)), bool(m.group(2))
    verb = lang.key(lemma)
    # (music plays, but no sound class says so: "nothing played" would be a false no)
    return (lemma, off) if verb in questions.SOUND_VERBS - {'play'} and off == (verb == 'go') \
        else None


def _sounded(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What rang?": the sounds heard whose class says they did ('Telephone bell ringing'), by
    what each was heard as ("I heard a telephone ring ..."); a class that is only the sound
    ('Beep') cannot tell what made it. None for other questions or when nothing was heard."""
    asked = sound_verb(question)
    sounds = [s for i in events.each_sound(items) for s in labels_of(i) if s.kind == SOUND]
    if asked is None or not sounds:
        return None
    lemma, off = asked
    verb = lang.key(lemma)

    def did(s: Mention) -> bool:
        return bool(_GOES_OFF & lang.text_keys(s.name)) if off else verb in _sound_verbs(s.name)
    heard_as = {s.item.id: (_main_sound(s) or s.name, s.item) for s in sounds if did(s)}
    phrase = f'{lemma} off' if off else lemma
    if not heard_as:
        latest = _latest_first([(a_sound(_main_sound(s) or s.name), s.item) for s in sounds])
        return f'I have no record of hearing anything {phrase}; I heard {_when_each(latest, now)}.'
    latest = _latest_first([(a_sound(name), item) for name, item in heard_as.values()])
    if len(latest) > 1:
        return f'I heard {len(latest)} things {phrase}: {_when_each(latest, now)}.'
    (what, item), = latest
    name = next(n for n, i in heard_as.values() if i is item)
    # 'Beep': the sound itself, not what made it; 'Telephone bell ringing' names its source
    if not _sound_verbs(lang.sound_name(name)) - {verb} - questions.SOUND_VERBS:
        return f'I heard {what} {relative(item.end, now)}, but I cannot tell what made it.'
    if verb in _sound_verbs(lang.sound_name(name)):
        return f'I heard {what} {relative(item.end, now)}.'
    return f'I heard {what} {phrase} {relative(item.end, now)}.'


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


# "who knocked?", "who slammed the door?", "who set off the alarm?"
_WHO_DID = re.compile(r'\s*who\s+(?!(?:is|are|did you|do you|have you)\b)(.+?)\s*[?.!]*$',
                      re.IGNORECASE)


def _who_sounded(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Who knocked?", "who set off the alarm?": the sound heard and when; who made it cannot be
    told (hands and voices are not recognised, and someone in view then is no proof)."""
    m = _WHO_DID.match(question)
    if m is None or questions.form_of(question) != 'who':
        return None
    phrase = m.group(1)
    rest = events.sounded(phrase)  # without the verb saying it was heard; '' when none does
    only_verb = bool(rest) and not rest.strip()  # "who knocked?": the verb is the sound
    thing = None if only_verb else events.sound_thing(rest or phrase)
    thing = thing or Thing((phrase.split()[-1],))
    found = [mention for mention, f in _mentions(events.each_sound(items), SOUND, thing)
             if not f.unchecked]
    if not found:
        return None
    latest = max(found, key=lambda mention: mention.item.end)
    return f'I heard {a_sound(_main_sound(latest) or latest.name)} ' \
           f'{relative(latest.item.end, now)}, but I cannot tell who {phrase}.'


def _alarm_of(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Was there a fire?", "did you hear a fire?" when a fire alarm was heard and no fire
    seen: the alarm, and that whether there was a fire is not known (not "yes")."""
    thing = parsed.target
    if thing is None or not thing.stems or _matching(items, OBJECT, set(), thing):
        return None
    alarms = [m for i in items for m in labels_of(i) if m.kind == SOUND and
              questions.signal_for(name := questions.stems_of(m.name), thing.stems) and
              set(thing.stems) <= set(name)]
    if not alarms:
        return None
    m = max(alarms, key=lambda m: m.item.end)
    return f'I heard {a_sound(m.name)} {relative(m.item.end, now)}; I cannot tell whether ' \
           f'there was {lang.plural(" ".join(thing.words), 1)}.'


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


def _sounds_said(heard: list[Mention], now: float) -> str:
    """Each sound once, by when it was last heard, the latest first (_when_each)."""
    return _when_each(_latest_first([(a_sound(m.name), m.item) for m in heard]), now)
