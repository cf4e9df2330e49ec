"""Direct answers about people seen and heard talking: who was seen ("who was sitting?",
"who was holding the cup?"), who spoke (voices are not recognised), what a person wore ("what was
the man wearing?", "what colour was her shirt?"), what someone or something was doing or holding,
whether people were in one state or another, and which way they walked.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Mapping, Optional

from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions, speech
from omnilive.reasoning.direct.mentions import (Mention, _and, _latest_first, _matching, _pronoun,
                                                _some, _when_each, item_keys, labels_of,
                                                position_phrase)
from omnilive.reasoning.direct.said import _COLOUR_KEYS, asked_of_robot, is_this_question
from omnilive.reasoning.questions import Thing
from omnilive.reasoning.timephrases import clock, relative

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


# "what did the car look like?", "describe the man": what perception noticed of it (people's
# clothes: _worn)
_LOOKED = re.compile(r'\s*(?:what\s+(?:did|does|do)\b.*\blook(?:s|ed)?\s+like|'
                     r'describe\s+(?:the|that|this|these|those)\b|(?:(?:can|could)\s+you\s+)?'
                     r'tell\s+me\s+(?:more\s+)?about\s+(?:the|that|this|these|those)\b|'
                     r'what\s+(?:can|could)\s+you\s+tell\s+me\s+about\s+(?:the|that|this|these|'
                     r'those)\b)', re.IGNORECASE)


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
        # what perception notes (postures, walking, kicking) it would have noted; 'playing' it
        # never does, whatever else it saw them do
        if state not in states:
            return ('no', _and([s for s in states if s])) if \
                any(states) and questions.denied(state, states) else \
                ('unknown', f'whether they were {state}')
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
                      r'sitting|seated|standing|lying|walking|waving|riding|driving|following|'
                      r'petting|feeding|using|in|at|there|here|near|next|'
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
    colour = next((r.thing.colour for r in parsed.relations if r.kind == 'wearing'), None)
    # "who was riding the motorcycle?", "who was with the cat?": who was seen with it (in one
    # view); how they were with it perception does not say
    beside = next((r for r in parsed.relations if r.kind in ('riding', 'with', 'next to', 'in')
                   and r.thing.words and not acting), None)
    if beside is not None and not state and not colour:
        return _seen_with(beside, people, items, now)
    holding = next((r.thing for r in parsed.relations if r.kind == 'holding'), None)
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
    # no one fits: say so of someone seen with what the question names ("who was playing with
    # the ball?": those seen with the ball), else of the latest seen
    named = [r.thing for r in parsed.relations if r.thing.words]
    m, person, (status, text) = next(
        (j for j in judged if any(_matching([j[0].item], OBJECT, set(), t) for t in named)),
        judged[0])
    asked = ' '.join(w for w in (state, f'holding {lang.plural(str(holding), 1)}'
                                 if holding else '', f'in {colour}' if colour else '') if w)
    if status == 'no':
        return f'I did not see anyone {asked}; I saw {_person(person)} ' \
               f'{relative(m.item.end, now)}.'
    return f'I saw {_person(person) if person else _some(m)} {relative(m.item.end, now)}, ' \
           f'but I did not notice {text}.'


def _seen_with(relation, people: list[Mention], items: list[MemoryItem], now: float
               ) -> Optional[str]:
    """Who was seen in one view with the thing of `relation` (the motorcycle of "who was
    riding the motorcycle?"); how they were with it is not known, and said so. None when the
    thing was never seen."""
    things = [t for t in _matching(items, OBJECT, set(), relation.thing)
              if set(relation.thing.colours) <= set(questions.colours_of(t.label))]
    if not things:
        return None
    together = [m for m in people if any(t.item is m.item for t in things)]
    if not together:
        t = max(things, key=lambda t: t.item.end)
        return f'I saw {_some(t, relation.thing.colour)} {relative(t.item.end, now)}, but no ' \
               f'one with it.'
    m = max(together, key=lambda m: m.item.end)
    described = [_person(p) for p in questions.people_of(m.label)][:3]
    who = _and(described) if described else _some(m)
    doing = relation.phrase.rstrip('?.! ')
    how = '' if relation.kind == 'with' else f'; I cannot tell whether they were {doing}'
    return f'I saw {who} at the same time as the {relation.thing}, {relative(m.item.end, now)}' \
           f'{how}.'


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
        if named and context and not context & item_keys(best.item) else ''
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
