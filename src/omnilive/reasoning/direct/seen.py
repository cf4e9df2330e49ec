"""Direct answers about what was seen: whether a thing was seen, with its colour, place,
count and relations ("did you see a red car?", "a man riding a bike?"), that it was not seen,
when it was last seen, what was seen at a time, placed by or with a thing, or in a place of the
view, its colour or place, what it looked like, the things of a category or colour, and what
memory holds no record of (the weather, day or night).
"""
from __future__ import annotations

import dataclasses
import re
from typing import Mapping, Optional

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions, speech, timephrases
from omnilive.reasoning.direct.mentions import (PERCEIVED, PLACES_LISTED, WHY, Mention, _and,
                                                _companions, _could_be, _last_of_each,
                                                _latest_first, _main_sound, _matching, _may_be,
                                                _may_be_seen, _mentions, _pronoun, _some,
                                                _when_each, a_sound, labels_of, person_doing,
                                                position_phrase)
from omnilive.reasoning.direct.people import _LOOKED, _part
from omnilive.reasoning.direct.said import _said_of
from omnilive.reasoning.direct.sounds import (_heard_at, _heard_list, _is_loud, _level,
                                              _sounds_said)
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import clock, relative


def _when(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    if not lang.asks_when(question) or not keys:
        return None
    thing = parsed.target if parsed.modality in ('seen', 'heard') else None
    objects, sounds = _matching(items, OBJECT, keys, thing), _matching(items, SOUND, keys, thing)
    # "when did you first see a car?": the earliest sighting, else the latest
    first = bool(FIRST_TIME.search(question))
    if sounds and (heard or not objects):  # a sound item times a sound better than its clip
        best = (min if first else max)(sounds, key=lambda m: (
            (m.item.kind == 'sound') != first, m.item.start if first else m.item.end))
        return f'I {"first " if first else ""}heard {a_sound(best.name)} ' \
               f'{relative(best.item.end, now)}, at {clock(best.item.end)}.'
    if objects:
        best = (min if first else max)(objects, key=lambda m: m.item.start if first else
                                       m.item.end)
        return f'I {"first" if first else "last"} saw ' \
               f'{lang.plural(best.name, max(1, best.count))} {relative(best.item.end, now)}, ' \
               f'at {clock(best.item.end)}.'
    return None


# "what did you see in the last 5 minutes?": a span this long or longer is what was seen in it
SPAN_LISTED_S = 120.0
FIRST_TIME = re.compile(r'\b(?:first|earliest)\b', re.IGNORECASE)


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
    if not start and span[1] >= now and span[1] - span[0] >= SPAN_LISTED_S:
        # "what did you see in the last 5 minutes?": each thing seen then, the latest first
        seen = _latest_first([(lang.plural(m.name, 1), m.item) for c in clips
                              for m in labels_of(c) if m.kind == OBJECT])
        if seen:
            more = ', the latest first' if len(seen) > 1 else ''
            return f'I saw{more}: {_when_each(seen, now)}.'
    if start:
        clip = min(clips, key=lambda i: i.start)
    elif span[1] >= now:  # "now", "recently": the latest
        clip = max(clips, key=lambda i: i.end)
    else:  # "at 10:05", "5 minutes ago": the clip of that moment, else the nearest to it
        clip = min(clips, key=lambda i: (max(0.0, i.start - mid, mid - i.end), -i.end))
    caption = describe.caption([m for m in clip.labels if m.kind not in (SOUND, SPEECH)],
                               spoken=True)
    return f'{relative(clip.end, now).capitalize()} I saw {caption}.'


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
    # "... in the last 2 minutes": the sounds of that time, latest first (words would make it
    # too long to say)
    sounds = _heard_at(f'What did you hear{rest}', items, keys, now, True, False, parsed) or \
        _heard_list(f'What sounds did you hear{rest}', items, keys, now, True, False, parsed)
    return ' '.join(t for t in (seen, sounds) if t) or None


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


# "on the left of the car" is a side of the view, not something on the car: positions are
# stored in the frame (left, centre, right) only, so that is not a placement asked
_WHAT_PLACED = re.compile(r'\s*what\s+(?:was|were|is|are|did you see|could you see)\s+'
                          r'(?:there\s+)?(?!(?:on|to) the (?:left|right)\b)' +
                          questions.PLACED_WORDS.pattern + r'\s+(.+?)[?.!]*$', re.IGNORECASE)


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
    return f'I saw {_some(best)} {relative(best.item.end, now)}, and ' \
           f'{_and([_some(c) for c in others[:4]])} in the same view, but I did not notice ' \
           f'what was {word} {the}.'


_WHAT_SIDE = re.compile(r'\s*what\s+(?:else\s+)?(?:was|were|is|are|did you see|could you see)\s+'
                        r'(?:there\s+)?(?:on|to)\s+the\s+(left|right)\s+(?:side\s+)?of\s+(.+?)'
                        r'[?.!]*$', re.IGNORECASE)
_SIDES = ('left', 'centre', 'right')


def _beside(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was on the left of the blue car?": the things of the same view further to that
    side of it, by their stored positions in the frame (left, centre, right: no finer), at the
    latest sighting of it that has a position."""
    m = _WHAT_SIDE.match(question)
    other = questions._thing(m.group(2)) if m and not heard else None
    if other is None or not other.words:
        return None
    side = m.group(1).lower()

    def place(c: Mention) -> Optional[int]:  # left 0, centre 1, right 2; None when not noticed
        position = questions.attribute(c.label, 'position') if c.label is not None else None
        return _SIDES.index(position) if position in _SIDES else None
    seen = [s for s in _matching(items, OBJECT, set(), other) if place(s) is not None and
            (not other.colour or other.colour in (questions.attribute(s.label, 'colours') or ()))]
    if not seen:
        return None
    best = max(seen, key=lambda s: s.item.end)
    at = place(best)
    further = [c for c in labels_of(best.item) if c.kind == OBJECT and c.label is not best.label
               and place(c) is not None and (place(c) - at) * (-1 if side == 'left' else 1) > 0]
    where, it = position_phrase(_SIDES[at]), _some(best, other.colour)
    if not further:
        return f'I saw {it} {where} of my view {relative(best.item.end, now)}, and ' \
               f'nothing further to its {side}.'
    listed = _and([f'{_some(c)} {position_phrase(_SIDES[place(c)])}' for c in further[:4]])
    return f'I saw {it} {where} of my view {relative(best.item.end, now)}, and to its ' \
           f'{side} {listed}.'


_WHAT_THERE = re.compile(r'\s*what\s+(?:else\s+)?(?:was|were|is|are|did you see|could you see|'
                         r'do you see)\b', re.IGNORECASE)


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
    kind = thing.kinds_of_person
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
        doing = person_doing(thing.words)
        if doing:  # "was anyone crossing the street?": not "any was a person crossing street"
            any_, a = ('any of them were' if m.count > 1 else 'they were'), doing
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


def _unseen(thing: Thing, items: list[MemoryItem], said_too: bool = True) -> bool:
    """Memory holds nothing that is `thing` or may be it, of a kind perception labels when it
    sees one (questions.labelled_kind: a horse, a collar; not a room or a hand), and nothing
    retrieved names it in words either (a sign, a note, speech: those are other steps'; with
    `said_too` False, a note or speech naming it does not count)."""
    if not thing.words or set(thing.words) & (lang.GENERIC | set(questions.PEOPLE) |
                                              set(questions.PEOPLE_KINDS) | {'person'}) or \
            not questions.labelled_kind(thing.words) or _may_be_seen(items, thing) or \
            _mentions(items, SOUND, thing):
        return False  # seen, may have been, or heard ("tell me about the alarm")
    named = {lang.key(w) for w in thing.words}
    return not (said_too and _said_of(named, items)) and \
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
    asks_seen = yes_no and PERCEIVED.search(question) and not owners
    if not all(_unseen(t, items) for t in premises):
        # "did you see a table?" when someone only spoke of one: not seen, and what was heard
        if not asks_seen or not all(_unseen(t, items, said_too=False) for t in premises):
            return None
        named = {lang.key(w) for t in premises for w in t.words}
        spoken = [i for i in items if i.kind == 'speech' and named & lang.text_keys(i.text)]
        if not spoken:
            return None  # a note names it: _note's
        said = max(spoken, key=lambda i: i.end)
        return f'No, I have not seen {_things(premises)}, but I heard someone say ' \
               f'{speech.quote(said.text)} {relative(said.end, now)}.'
    return f'{"No, I" if asks_seen else "I"} have not seen {_things(premises)}.'


def _things(premises: list[Thing]) -> str:
    """'a horse or a cow': the things a premise names, without what is said of them."""
    return ' or '.join(lang.plural(str(dataclasses.replace(t, colour=None, more_colours=(),
                                                         count=None, state=None)), 1)
                       for t in premises)


# what no label records: the weather, day or night, indoors or outdoors ("was it raining?")
_WEATHER = re.compile(r'\b(?:weather|(?:was|is)\s+it\s+(?:raining|snowing|sunny|cloudy|windy|'
                      r'foggy|stormy|hot|cold|warm|freezing)|(?:did|does|has)\s+it\s+(?:rain|'
                      r'rained|snow|snowed|hail|hailed))\b', re.IGNORECASE)
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
    asked = parsed.target.colours  # "where was the red car?": the red one, not the latest car
    coloured = [m for m in placed if set(asked) <= set(questions.colours_of(m.label))]
    noticed = [m for m in placed if questions.colours_of(m.label)]
    if asked and not coloured and noticed:  # the premise is wrong: what was seen instead
        m = max(noticed, key=lambda m: m.item.end)
        return f'I did not see {lang.plural(" ".join((*asked, m.name)), 1)}; the latest ' \
               f'{m.name} I saw was {_and(questions.colours_of(m.label))} ' \
               f'({relative(m.item.end, now)}).'
    if not coloured:
        return None
    m = max(coloured, key=lambda m: m.item.end)
    distance = questions.attribute(m.label, 'distance')
    far = {'near': ', near me', 'far': ', far away'}.get(distance, '')
    where = position_phrase(questions.attribute(m.label, 'position'))
    went = ''
    if _WENT.search(question):  # "where did the cat go?": where it went, if it was seen going
        headings = [s for s in questions.states_of(m.label) if s.startswith('walking ')]
        it = _pronoun(m)
        went = f'; {it} {"were" if it == "they" else "was"} {headings[0]}' if headings else \
            f'; I did not see where {it} went'
    name = ' '.join((*asked, m.name))
    return f'I saw the {name} {where} of my view{far}, {relative(m.item.end, now)}{went}.'


_WENT = re.compile(r'\bwhere\b.*\b(?:go|went|gone|going|head|headed|heading)\s*[?.!]*$',
                   re.IGNORECASE)


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


def _listed(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"Which animals did you see?": every thing seen of that category, with its count and
    time; "which animals did you hear?" each sound of that category."""
    thing = parsed.target
    # "which animals did you see with people / near the car?": those seen at the same time
    beside = [r for r in parsed.relations if r.kind in ('with', 'next to')]
    # "what kind of monkey did you see?", "what breed was the dog?": the names finer than it
    kind_of = bool(_KIND_OF.search(question))
    if kind_of and thing is not None:  # "what breed was the cat?": the cat
        thing = dataclasses.replace(thing, words=tuple(
            w for w in thing.words if w not in _KIND_WORDS)) if thing.words[1:] else thing
    if parsed.form != 'what' or parsed.asks or parsed.modality not in ('seen', 'heard') or \
            thing is None or thing.category is None and not kind_of or \
            len(beside) != len(parsed.relations):
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
    # "what type of car was it?" when only 'car' was seen: what kind it was is not known
    asked = {lang.key(w) for w in thing.words}
    unknown = ', but I cannot tell what kind it was' if kind_of and \
        all(lang.text_keys(m.name) == asked for m in ranked) else ''
    return 'I saw ' + _and(f'{_some(m, thing.colour)} {relative(m.item.end, now)}'
                           for m in ranked) + f'{unknown}.'


_KIND_WORDS = {'breed', 'species', 'make', 'model', 'variety'}
_KIND_OF = re.compile(r'\b(?:kinds?|types?|sorts?|breeds?|species|makes?|models?|varieties|'
                      r'variety)\s+of\b|\bwhat\s+(?:breed|species|make|model|variety)\b',
                      re.IGNORECASE)
