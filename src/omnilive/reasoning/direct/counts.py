"""Direct answers that count or compare: how many of a thing were seen or heard ("how many
cars?", "how many sounds did you hear?"), more or fewer ("more people than cars?"), at most a
number, sizes (never measured), how many times or how long something was seen or heard, and
whether it was there the whole time.
"""
from __future__ import annotations

import re
from typing import Callable, Mapping, Optional

from omnilive.memory.types import OBJECT, SOUND, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import events, questions, timephrases
from omnilive.reasoning.direct.mentions import (PLACES_LISTED, SOUNDS_LISTED, Mention, _and,
                                                _companions, _could_be, _main_sound, _matching,
                                                _may_be, _mentions, _some, a_sound, labels_of)
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import relative, span

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
    others = [] if thing.colour else _told_apart(best, seen)  # 'red cars' are alike
    if others:  # a red car, then a silver one, then a blue one: 3 cars, not 1 at once
        listed = sorted([best] + others, key=lambda m: -m.item.end)
        total = best.count + len(others)
        latest = ', the latest' if len(listed) > PLACES_LISTED else ''
        # 'cars', or what was asked when they had other names ('fruits': an orange, a lemon)
        named = best.name if all(m.name == best.name for m in others) else str(thing)
        return f'I saw {lang.plural(named, total)} at different times{latest}: ' + \
            _and([f'{_some(m, _dominant(m) if m.count == 1 else None)} '
                  f'({relative(m.item.end, now)})' for m in listed[:PLACES_LISTED]]) + '.'
    # "how many people did you see in total?": the views apart may have held the same ones
    again = f' I also saw {lang.plural(name, 2).split(" ", 1)[-1]} at other times and cannot ' \
        f'tell whether they were the same.' if _IN_TOTAL.search(question) and \
        len({m.item.id for m in seen}) > 1 else ''
    # "how many people were crossing the street?": what no label holds, said not noticed
    doing = _unnoticed(question, parsed, thing)
    if best.count == 1:
        but = f', but I did not notice whether it was {doing}' if doing else ''
        return f'I saw one {name}, {relative(best.item.end, now)}{but}.{again}'
    but = f', but I did not notice whether any of them were {doing}' if doing else ''
    return f'I saw {lang.plural(name, best.count)} at once, {relative(best.item.end, now)}' \
        f'{but}.{again}'


def _unnoticed(question: str, parsed, thing: Thing) -> str:
    """'crossing the street' of "how many people were crossing the street?": the words the
    question says of the things counted that no label accounts for (no state, relation or
    place perception notes); '' when there are none."""
    target = parsed.target
    # a 'riding' relation (chasing, feeding, kicking ...) is never checked; the others may be
    doing = any(r.kind == 'riding' for r in parsed.relations)
    if target is None or target.state or target.position or \
            any(r.kind != 'riding' for r in parsed.relations):
        return ''
    extra = set(target.words) - set(thing.words)
    said = re.search(r'\b(?:were|was|are|is)\s+(.+?)\s*[?.!]*$',
                     timephrases.without_time(question), re.IGNORECASE)
    if said is None or not doing and not extra & set(said.group(1).lower().split()):
        return ''
    return said.group(1)


_IN_TOTAL = re.compile(r'\b(?:in total|altogether|all together|in all|overall|total number)\b',
                       re.IGNORECASE)


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
_MEASURED = {'biggest': 'big', 'largest': 'big', 'smallest': 'big', 'tallest': 'tall',
             'shortest': 'tall', 'heaviest': 'heavy', 'lightest': 'heavy', 'fastest': 'fast',
             'slowest': 'fast', 'big': 'big', 'large': 'big',
             'small': 'big', 'tall': 'tall', 'heavy': 'heavy', 'fast': 'fast', 'old': 'old'}
# "what was the biggest thing you saw?", "how big was the ball?" ("how long" is a duration, "the
# oldest note" may be the earliest)
_MEASURE_ASKED = re.compile(r'^\s*(?:what|which)\b.*?\b(biggest|largest|smallest|tallest|shortest|'
                            r'heaviest|lightest|fastest|slowest)\b|'
                            r'^\s*how\s+(big|large|small|tall|heavy|fast|old)\s+(?:was|were|is|are)'
                            r'\s+(.+?)\s*[?.!]*$', re.IGNORECASE)


def _measured(question, items, keys, now, heard, yes_no, parsed) -> Optional[str]:
    """"What was the biggest animal?", "how big was the ball?": perception measures no size,
    speed or age; said so, with when the thing asked about was seen."""
    m = _MEASURE_ASKED.match(question) if not heard else None
    if m is None:
        return None
    measure = _MEASURED[(m.group(1) or m.group(2)).lower()]
    if m.group(1):
        return f'I cannot tell which was the {m.group(1).lower()}: I do not measure how ' \
               f'{measure} things are.'
    thing = questions._thing(m.group(3))
    seen = _matching(items, OBJECT, set(), thing) if thing is not None and thing.words else []
    if not seen:
        return None  # never seen: the premise is other steps' to deny
    s = max(seen, key=lambda s: s.item.end)
    it, was = ('they', 'were') if s.count > 1 else ('it', 'was')
    return f'I saw {_some(s)} {relative(s.item.end, now)}, but I cannot tell how ' \
           f'{m.group(2).lower()} {it} {was}: I do not measure how {measure} things are.'


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


# "which was louder, the explosion or the alarm?", "was the alarm quieter than the knock?"
_LOUDER = re.compile(r'\bwhich(?:\s+one)?\s+(?:was|sounded)\s+(louder|noisier|quieter|softer)\b'
                     r'[,:]?\s+(.+?)\s+or\s+(.+?)\s*[?.!]*$|^\s*(?:was|were|is|did)\s+(.+?)\s+'
                     r'(?:sound\s+)?(louder|noisier|quieter|softer)\s+than\s+(.+?)\s*[?.!]*$',
                     re.IGNORECASE)


def _dominant(m: Mention) -> Optional[str]:
    colours = questions.colours_of(m.label) if m.label is not None else ()
    return colours[0] if colours else None


def _told_apart(best: Mention, seen: list[Mention]) -> list[Mention]:
    """The sightings of a thing other than `best`'s (apart in time: in_a_row over
    SIGHTING_GAP_S) that were certainly other ones: one thing in view whose main colour is
    neither `best`'s nor another such sighting's. Sightings alike may be the same thing seen
    again, so they are not counted. People are not told apart this way: they walk in and out
    of view, and a crowd's clothes are mixed."""
    if any(m.name == 'person' or questions.people_of(m.label) for m in seen if m.label):
        return []
    taken = set(questions.colours_of(best.label)) if best.count > 1 else {_dominant(best)}
    out = []
    for group, _ in sorted(in_a_row(list({m.item.id: m.item for m in seen}.values()),
                                    SIGHTING_GAP_S), key=lambda g: -g[1]):
        ids = {i.id for i in group}
        if best.item.id in ids:
            continue
        m = max((m for m in seen if m.item.id in ids), key=lambda m: (m.count, m.item.end))
        colour = _dominant(m)
        if m.count == 1 and colour is not None and colour not in taken:
            taken.add(colour)
            out.append(m)
    return out


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
