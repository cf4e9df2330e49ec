"""What a question asks, read into parts: its form, what it is about and every constraint on it.

`parse("Did you see a red car on the left?")` -> Question(form='yes/no', modality='seen',
targets=(Thing(words=('car',), colour='red', position='left'),), ...). A Thing's words are the
noun phrase as asked, singular, with true synonyms mapped ('phones' -> 'telephone', 'anybody' ->
'person'); colour (the shared vocabulary `omnilive.vision.colours.COLOUR_NAMES`), count, position
(left/centre/right) and distance (near/far) are taken out of it. Relations ("with a gun",
"holding a cup", "next to the door", "wearing a red shirt", "in the kitchen") name a second
Thing. Time phrases stay with omnilive.reasoning.timephrases (`Question.window`).

`match(thing, label)` says whether a memory label is the thing asked about, by name (stems, a
label's name inside the phrase or the phrase ending a longer name: 'table' / 'dining table') or
by category (the label's `attributes['categories']`, or for detector labels stored without
attributes the categories of their COCO class, below), and which words of the phrase the label
does not account for ('police' of 'police car'): qualifiers memory cannot check; failing those,
by WordNet hypernyms of the label's synset (`kind_of`: a monarch is a butterfly), once WordNet
has been loaded in the background (`start_wordnet`).
"""
from __future__ import annotations

import dataclasses
import functools
import re
import threading
from typing import Any, Mapping, Optional

from omnilive.memory.store import STOPWORDS
from omnilive.memory.types import OBJECT, SOUND, Label
from omnilive.reasoning import language as lang
from omnilive.reasoning import timephrases
from omnilive.vision import people as seen_people
from omnilive.vision.colours import COLOUR_NAMES

COLOUR_WORDS = {**{c: c for c in COLOUR_NAMES}, 'gray': 'grey', 'golden': 'gold',
                'violet': 'purple'}
# The curated categories of omnilive.vision.categories.CATEGORIES, as words people ask with.
CATEGORY_NAMES = ('animal', 'dog', 'cat', 'bird', 'fish', 'insect', 'reptile', 'person', 'food',
                  'fruit', 'vegetable', 'drink', 'plant', 'flower', 'vehicle', 'car', 'boat',
                  'aircraft', 'furniture', 'tool', 'container', 'clothing', 'electronic device',
                  'appliance', 'kitchenware', 'musical instrument', 'sports equipment', 'ball',
                  'toy', 'weapon', 'building')
CATEGORY_WORDS = {'animals': 'animal', 'pets': 'domestic animal', 'pet': 'domestic animal',
                  'foods': 'food',
                  'fruits': 'fruit', 'vegetables': 'vegetable', 'veggies': 'vegetable',
                  'drinks': 'drink', 'beverage': 'drink', 'beverages': 'drink',
                  'vehicles': 'vehicle', 'plants': 'plant', 'flowers': 'flower',
                  'tools': 'tool', 'containers': 'container', 'clothes': 'clothing',
                  'devices': 'electronic device', 'device': 'electronic device',
                  'electronics': 'electronic device', 'gadgets': 'electronic device',
                  'appliances': 'appliance', 'toys': 'toy', 'weapons': 'weapon',
                  'buildings': 'building', 'instruments': 'musical instrument',
                  'instrument': 'musical instrument', 'birds': 'bird', 'fishes': 'fish',
                  'insects': 'insect', 'bugs': 'insect', 'reptiles': 'reptile',
                  'aircrafts': 'aircraft', 'boats': 'boat', 'balls': 'ball'}
# Categories of the detector's COCO classes (omnilive.vision.categories.categories() of each
# class's synset in vision/data/coco_wordnet.yaml, written out here so reasoning needs no WordNet)
# for labels stored before perception wrote `categories`; tests/reasoning/test_questions.py
# checks this table against WordNet.
COCO_CATEGORIES: dict[str, tuple[str, ...]] = {
    'person': ('person',), 'bicycle': ('vehicle',), 'car': ('car', 'vehicle'),
    'motorcycle': ('vehicle',), 'airplane': ('aircraft', 'vehicle'), 'bus': ('vehicle',),
    'train': ('vehicle',), 'truck': ('vehicle',), 'boat': ('boat', 'vehicle'),
    'bench': ('furniture',), 'bird': ('bird', 'animal'), 'cat': ('cat', 'animal'),
    'dog': ('dog', 'animal'), 'horse': ('animal',), 'sheep': ('animal',), 'cow': ('animal',),
    'elephant': ('animal',), 'bear': ('animal',), 'zebra': ('animal',), 'giraffe': ('animal',),
    'backpack': ('container',), 'handbag': ('container',), 'tie': ('clothing',),
    'suitcase': ('container',), 'frisbee': ('toy',), 'sports ball': ('ball',), 'kite': ('toy',),
    'baseball bat': ('sports equipment',), 'baseball glove': ('sports equipment',),
    'skateboard': ('vehicle',), 'bottle': ('container',), 'wine glass': ('container',),
    'cup': ('kitchenware', 'container'), 'fork': ('kitchenware',), 'knife': ('tool',),
    'spoon': ('kitchenware',), 'bowl': ('container', 'kitchenware'),
    'banana': ('fruit', 'food'), 'apple': ('fruit', 'food'), 'sandwich': ('food',),
    'orange': ('fruit', 'food'), 'broccoli': ('vegetable', 'food'),
    'carrot': ('vegetable', 'food'), 'hot dog': ('food',), 'pizza': ('food',),
    'donut': ('food',), 'cake': ('food',), 'chair': ('furniture',), 'couch': ('furniture',),
    'potted plant': ('plant',), 'bed': ('furniture',), 'dining table': ('furniture',),
    'tv': ('electronic device',), 'laptop': ('electronic device',),
    'mouse': ('electronic device',), 'keyboard': ('electronic device',),
    'cell phone': ('electronic device',), 'microwave': ('appliance',), 'oven': ('appliance',),
    'toaster': ('appliance',), 'refrigerator': ('appliance',), 'vase': ('container',),
    'scissors': ('tool',), 'teddy bear': ('toy',)}
# words that name a person without saying more than a `person` label does
PEOPLE = {'people': 'person', 'persons': 'person', 'someone': 'person', 'anyone': 'person',
          'anybody': 'person', 'somebody': 'person', 'everybody': 'person', 'human': 'person',
          'humans': 'person', 'pedestrian': 'person', 'pedestrians': 'person', 'nobody': 'person'}
# words that name a person and something more (a person label cannot tell a man from a woman)
PEOPLE_KINDS = {'man': 'man', 'men': 'man', 'woman': 'woman', 'women': 'woman', 'kid': 'child',
                'kids': 'child', 'child': 'child', 'children': 'child', 'boy': 'boy',
                'boys': 'boy', 'girl': 'girl', 'girls': 'girl', 'guy': 'man', 'guys': 'man',
                'lady': 'woman', 'ladies': 'woman', 'policeman': 'police officer',
                'cyclist': 'cyclist', 'player': 'player', 'players': 'player',
                'driver': 'driver', 'drivers': 'driver', 'passenger': 'passenger',
                'passengers': 'passenger', 'worker': 'worker', 'workers': 'worker'}
# words that say how a thing sounds rather than what it is ("a phone ringing", "being crumpled")
SOUND_VERBS = {lang.key(w) for w in '''ring rang ringing rings bark barking barked beep beeping
honk honking knock knocking buzz buzzing chirp chirping meow meowing crumple crumpled crumpling
crinkle crinkling crinkled go going went off play playing played click clicking clicked clicks
slam slams slammed slamming bang bangs banged banging crash crashed crashing tick ticking creak
creaking creaked squeak squeaking squeaked rattle rattling rattled chime chiming chimed whistle
whistling whistled hiss hissing hissed'''.split()}
# words of a question that are neither things nor qualifiers
FILLER = set('''any some anywhere somewhere ever other kind kinds type types sort sorts all
every single really actually else colour color colours colors side also did do does spot
spotted observe observed find found encounter encountered catch caught get got happen there's
down different distinct separate doing still together fewer less once twice thrice again
same past'''
             .split())
# "on Monday", "by tomorrow", "which did you see first": when or in which order, not a thing
TIME_WORDS = set(timephrases.DAYS) | set(timephrases.RELATIVE_DAYS) | {
    'first', 'last', 'earliest', 'latest'}
RELATIONS = [('holding', r'holding|carrying|who (?:was|were|is|are) holding'),
             ('wearing', r'wearing|wear|wears|wore|dressed in|in an?|'
                         r'who (?:was|were|is|are) wearing'),
             ('next to', r'next to|beside|near|close to|by the'),
             ('in front of', r'in front of|behind'),
             # on or in something that moves with them: only seen together, never checked
             ('riding', r'riding|driving|rode|drove|pushing|pulling|chasing|chased|following|'
                        r'feeding|petting|kicking|kicked|throwing|threw|catching|caught|eating|'
                        r'ate|drinking|drank|reading|playing with|playing|played|using|cooking|'
                        r'(?:talking|speaking) on'),
             ('with', r'with|and (?:his|her|their)|have|has|had'),
             ('containing', r'containing|full of|filled with'),
             ('in', r'in|on|under|inside|at')]
# what people were doing, as perception stores it (docs/architecture.md, people and relations)
STATES = {'sitting': 'sitting', 'sat': 'sitting', 'seated': 'sitting', 'standing': 'standing',
          'stood': 'standing', 'lying': 'lying', 'walking': 'walking', 'walked': 'walking',
          'waving': 'waving', 'waved': 'waving', 'sit': 'sitting', 'stand': 'standing',
          'walk': 'walking', 'wave': 'waving', 'arms-raised': 'with raised arms'}
# "raise their arms", "with their hands up", "hands in the air": one state (not "holding hands")
_WHOSE = r'(?:their|his|her|its|an?|both|one|the)\s+'
RAISED_ARMS = re.compile(
    rf"\b(?:rais(?:e|es|ed|ing)\s+(?:{_WHOSE})?(?:arms?|hands?)|"
    rf"(?:put|putting|hold|holding|held|throw|threw|throwing)\s+(?:{_WHOSE})?(?:arms?|hands?)\s+"
    rf"(?:up|in the air)|"
    rf"(?:put|putting|throw|threw|throwing)\s+up\s+(?:{_WHOSE})?(?:arms?|hands?)|"
    rf"(?:with\s+)?(?:{_WHOSE})?(?:arms?|hands?)\s+(?:up|raised|in the air)|"
    rf"(?:with\s+)?raised\s+(?:arms?|hands?))\b")
# what a thing may be doing, asked after its noun ("was the cat sleeping?"): a state to check
# (perception notices a few of people's: kicking, throwing, walking), never part of its name
ACTIVITIES = set('''sleeping eating drinking running jumping flying swimming climbing playing
resting hiding smiling laughing crying talking reading writing dancing singing fighting chasing
grazing sniffing looking watching working cooking smoking typing cleaning fishing kicking
throwing catching pushing pulling jogging skating skiing surfing cycling shopping waiting
sunbathing digging painting drawing texting calling queuing'''.split())
# what a thing was like, asked after its noun ("was the cup full?"): a state perception does
# not notice, checked like an activity (never part of the thing's name)
CONDITIONS = set('''full empty open closed shut broken cracked clean dirty wet dry hot cold
lit locked unlocked switched turned plugged unplugged tidy messy crowded busy quiet noisy
damaged torn new old parked moving stopped big small large tiny huge little tall short long
giant heavy light'''.split())
CLOTHES_UPPER = {'shirt', 'jacket', 'coat', 'top', 'sweater', 'hoodie', 'jumper', 't-shirt',
                 'blouse', 'vest', 'dress'}
CLOTHES_LOWER = {'trousers', 'pants', 'jeans', 'skirt', 'shorts', 'trouser'}
# what "a man in a ..." wears (else "in a" is a place: "a car in a garage")
WORN_WORDS = CLOTHES_UPPER | CLOTHES_LOWER | set('''hat cap tie scarf uniform suit helmet glasses
jersey costume mask apron gown robe raincoat overcoat tracksuit sweatshirt cardigan tuxedo
bikini swimsuit kimono sari boot shoe sneaker glove clothes'''.split())
_NUMBER = {k: v for k, v in timephrases.NUMBER_WORDS.items()
           if k not in ('a', 'an', 'few', 'couple of')}
_POSITION = re.compile(r'\b(?:on|to|at|in) the (left|right)(?: side| hand side)?\b|'
                       r'\b(left|right)[- ]hand side\b|'
                       r'\bin the (middle|centre|center)\b|\b(centre|center|middle) of the view\b')
# "walking to the left": where a walking person went (perception's heading), not where in view
_HEADING = re.compile(r'\b(walking|walked)\s+(to the left|to the right|'
                      r'towards? (?:the camera|me|you)|away from (?:the camera|me|you))\b')
_DISTANCE = re.compile(r'\b(nearby|close by|close to me|near me|near you|up close)\b|'
                       r'\b(far away|in the distance|far off|far from me|far from you)\b')
_CHOICES = re.compile(r'\s*\b(?:choices|options)\s*:.*$', re.IGNORECASE)
# "on the left or on the right?", "near or far?": where it was is the question
_PLACE_WORD = r'(?:(?:on|to|in|at) )?(?:the )?(?:left|right|middle|centre|center)(?: side)?'
_PLACE_OR = re.compile(rf'\b{_PLACE_WORD}\s*,?\s+or\s+{_PLACE_WORD}\b|'
                       r'\b(?:near|close|nearby|close by)\s+or\s+far(?: away)?\b|'
                       r'\bfar(?: away)?\s+or\s+(?:near|close|nearby|close by)\b')


@dataclasses.dataclass(frozen=True)
class Thing:
    """A thing asked about: its words (singular, synonyms mapped) and what is said of it."""

    words: tuple[str, ...]
    colour: Optional[str] = None
    count: Optional[int] = None
    position: Optional[str] = None      # 'left' | 'centre' | 'right'
    distance: Optional[str] = None      # 'near' | 'far'
    state: Optional[str] = None         # what a person was doing: 'sitting', 'walking' (STATES)
    # the colours after the first of "black and white": each one must be seen on it too
    more_colours: tuple[str, ...] = ()

    @property
    def colours(self) -> tuple[str, ...]:
        """Every colour asked ("black and white": both)."""
        return ((self.colour,) if self.colour else ()) + self.more_colours

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(lang.key(w) for part in self.words for w in part.split())

    @property
    def category(self) -> Optional[str]:
        """The curated category the phrase names as a whole ('animal'), if any."""
        phrase = ' '.join(self.words)
        return phrase if phrase in CATEGORY_NAMES else None

    @property
    def kinds_of_person(self) -> tuple[str, ...]:
        """The words naming a kind of person ('nurse', 'man', 'player'; never 'person'): a
        person label may be one, and cannot tell."""
        return tuple(w for w in self.words if person_kind(w))

    def __str__(self) -> str:
        words = list(self.words)
        if len(words) > 1 and 'person' in words and self.kinds_of_person:
            words.remove('person')  # 'man' is said as asked, not 'man person'
        return ' '.join(([' and '.join(self.colours)] if self.colours else []) + words)


@dataclasses.dataclass(frozen=True)
class Relation:
    """'with a gun': kind 'with' (or 'holding', 'wearing', 'next to', 'in') and the thing."""

    kind: str
    thing: Thing
    phrase: str                         # as asked: 'with a gun', 'in the kitchen'


@dataclasses.dataclass(frozen=True)
class Question:
    text: str
    form: str        # 'yes/no' | 'what' | 'how many' | 'when' | 'where' | 'who' | 'why' | 'other'
    modality: str    # 'seen' | 'heard' | 'said' | 'read' | 'note'
    asks: Optional[str]          # the attribute a question asks for: 'colour' | 'position'
    targets: tuple[Thing, ...]
    relations: tuple[Relation, ...]
    window: Optional[tuple[float, float]]

    @property
    def target(self) -> Optional[Thing]:
        return self.targets[0] if self.targets else None


def form_of(question: str) -> str:
    q = re.sub(r'^\s*(?:(?:and|so|then|ok|okay|also),?\s+)', '', question.lower())
    if q.startswith('how many'):
        return 'how many'
    if lang.asks_when(q):
        return 'when'
    for form, pattern in (('where', r'where\b'), ('who', r'(who|whom)\b'),
                          ('why', r'(why|how come)\b'), ('what', r'(what|which)\b'),
                          ('yes/no', r'(did|do|does|have|has|had|was|were|is|are|can|could)\b')):
        if re.match(pattern, q):
            return form
    return 'other'


def modality_of(question: str) -> str:
    if lang.asks_said(question):
        return 'said'
    if lang.asks_read(question):
        return 'read'
    if lang.asks_heard(question):
        return 'heard'
    if re.search(r'\b(my|remember|remind)\b', question.lower()):
        return 'note'
    return 'seen'


# "more than two people": at least three; "at least two": two
_AT_LEAST = re.compile(r"\b(?:(more than|over)|at least)\s+([a-z0-9]+)\b")


def _at_least(m: re.Match) -> str:
    word = m.group(2)
    n = int(word) if word.isdigit() else _NUMBER.get(word)
    if n is None:
        return m.group(0)
    return str(n + 1 if m.group(1) else n)


# words GENERIC holds as the robot's own ("what did the camera see?") that are things too ("a
# camera", "the camera click")
OWN_THINGS = {'camera', 'robot'}


def _thing(text: str, position: Optional[str] = None,
           distance: Optional[str] = None) -> Optional[Thing]:
    """The Thing a phrase names ('a red police car' -> words ('police', 'car'), colour 'red')."""
    text = _AT_LEAST.sub(_at_least, text.lower())
    raw = re.findall(r"[a-z0-9'-]+", text)
    tokens = [t for i, t in enumerate(raw)
              if t not in STOPWORDS and t not in FILLER and t not in TIME_WORDS and
              # "the monkey looking at the camera": what it did ("what were you looking at?"
              # is the robot's own look: no thing before it, no state, no thing); the robot's
              # own camera is "the camera", another one "a camera"
              (t not in lang.GENERIC or t in PEOPLE or t in ACTIVITIES or
               t in OWN_THINGS and (i > 0 and raw[i - 1] in ('a', 'an', 'any', 'another') or
                                    raw[i + 1:i + 2] in (['click'], ['clicked'], ['clicking'],
                                                         ['shutter']))) and
              (len(t) > 1 or t.isdigit())]
    colour, count, state, words, more = None, None, None, [], []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        # an orange, a red orange, but "was the butterfly orange?", "anything orange": a colour
        if token in COLOUR_WORDS and not (last and token in COCO_CATEGORIES and not words and
                                          not re.search(r'\b(?:any|some|every|no)thing\s+'
                                                        + token + r'\b', text)):
            if colour is None:
                colour = COLOUR_WORDS[token]
            elif COLOUR_WORDS[token] not in (colour, *more):
                more.append(COLOUR_WORDS[token])
        elif token in STATES and i > 0:  # "anyone sitting" (not "sitting room")
            state = state or STATES[token]
        elif (token in ACTIVITIES or token in CONDITIONS and last) and words and \
                not _compound(words[-1], token):
            # "the cat sleeping" (not "the painting"), "the cup full" (not "the old man", nor
            # "a traffic light")
            state = state or token
        elif token in ACTIVITIES and token in lang.GENERIC:
            continue  # "what were you looking at?"
        elif token.isdigit() or token in _NUMBER:
            count = int(token) if token.isdigit() else _NUMBER[token]
        elif token in PEOPLE:
            words.append('person')
        elif token in PEOPLE_KINDS:
            words += [PEOPLE_KINDS[token], 'person']
        elif token not in CATEGORY_WORDS and names_a_person(token):
            words += [lang.singular(token), 'person']  # "the astronaut": a person, of a kind
        elif token in CATEGORY_WORDS:
            category = CATEGORY_WORDS[token]
            lead = category.split()[:-1]  # "electronic devices": not 'electronic' twice
            if lead and words[-len(lead):] == lead:
                del words[-len(lead):]
            words.append(category)
        else:
            words.append(lang.singular(token))
    if not words and colour is None:
        return None
    return Thing(tuple(words), colour, count, position, distance, state, tuple(more))


_COLOURS_AND = re.compile(r'\b(' + '|'.join(COLOUR_WORDS) + r')\s+and\s+(?=(' +
                          '|'.join(COLOUR_WORDS) + r')\b)')


def place(text: str) -> tuple[Optional[str], Optional[str], str]:
    """The place in view a lower-case phrase names ('left' | 'right' | 'centre'), its distance
    ('near' | 'far'), and the phrase without them: 'the cup on the left' -> ('left', None,
    'the cup ')."""
    position = distance = None
    m = _POSITION.search(text)
    if m:
        word = next(g for g in m.groups() if g)
        position = {'middle': 'centre', 'center': 'centre'}.get(word, word)
        text = text[:m.start()] + ' ' + text[m.end():]
    m = _DISTANCE.search(text)
    if m:
        distance = 'near' if m.group(1) else 'far'
        text = text[:m.start()] + ' ' + text[m.end():]
    return position, distance, text


# "a bunch of bananas", "a group of people": the things themselves
_MEASURE = re.compile(r'\b(?:an?\s+|the\s+)?(?:bunch|bunches|piece|pieces|pair|pairs|slice|slices|'
                      r'pile|piles|stack|stacks|group|groups|crowd|herd|flock|pack|row|rows|'
                      r'set|sets|lot|lots|couple)\s+of\s+(?!the\b|an?\b|his\b|her\b|their\b|'
                      r'my\b|your\b|its\b|them\b|these\b|those\b)')
# "a cup of coffee", "a vase of flowers": a container and what it holds, seen together
_CONTAINER = re.compile(r'\b(cups?|mugs?|glass(?:es)?|bowls?|bottles?|plates?|box(?:es)?|bags?|'
                        r'jars?|cans?|pots?|baskets?|cartons?|trays?|buckets?|vases?|'
                        r'crates?|packets?)\s+of\s+(?!the\b|an?\b|his\b|her\b|their\b|my\b|'
                        r'your\b|its\b|them\b|these\b|those\b)')


_COLOURS_OR = re.compile(r'\b(?:' + '|'.join(COLOUR_WORDS) + r')(?:\s*,\s*(?:' +
                         '|'.join(COLOUR_WORDS) + r'))*\s*,?\s+or\s+(?:' +
                         '|'.join(COLOUR_WORDS) + r')\b')


def parse(question: str, now: float = 0.0, start_of_memory: float = 0.0) -> Question:
    """The parts of `question` (its multiple-choice list, if any, left out)."""
    text = lang.clean(_CHOICES.sub('', question))
    form = form_of(text)
    q = timephrases.without_time(text).lower()
    # "how long did you see the horse?": a measure asked, not a 'long horse' (a vaulting horse)
    q = re.sub(r'^(\s*how)\s+(?:long|often|far|big|old|tall|fast|loud)\b', r'\1', q)
    # "what did the woman look like?": the woman (what she looked like is the question)
    q = re.sub(r'\b(?:look|looks|looked|sound|sounds|sounded)\s+like\s*([?.!]*)$', r'\1', q)
    q = RAISED_ARMS.sub(' arms-raised ', q)
    # "where did I park my car?": the verb of "I", "you" or "we" is no part of the thing
    q = re.sub(r'\b((?:did|do|does|have|has|had|can|could)\s+(?:i|we|you))\s+[a-z]+\s+'
               r'(?=(?:my|our|your|the|a|an)\b)', r'\1 ', q)
    asks = None
    if re.search(r"\b(?:what|which) colou?rs?\b|\bcolou?rs? (?:was|were|is|are)\b|"
                 r"'s colou?r\b|\bthe colou?r of\b", q):
        asks = 'colour'
    elif form == 'where' or re.search(r'\bwhich side\b', q) or _PLACE_OR.search(q):
        asks = 'position'
    q = _PLACE_OR.sub(' ', q)
    heading = None
    m = _HEADING.search(q)
    if m:
        heading = 'away from the camera' if m.group(2).startswith('away') else \
            'towards the camera' if m.group(2).startswith('toward') else m.group(2)
        q = q[:m.start()] + m.group(1) + q[m.end():]
    # "where did the cat go?": the cat (where it went is the question)
    q = re.sub(r'\b(where\b.*?)\s+(?:go|went|gone|going|head|headed|heading)\s*([?.!]*)$',
               r'\1\2', q)
    position, distance, q = place(q)
    q = _AT_LEAST.sub(_at_least, q)  # "at least 3 cars": not a place ("at")
    q = _CONTAINER.sub(r'\1 containing ', _MEASURE.sub('', q))
    # the question's frame ("did you see", "what colour was") is left to _thing's stop words
    pattern = r'\b(' + '|'.join(f'(?P<r{i}>{p})' for i, (_, p) in enumerate(RELATIONS)) + r')\b'
    pieces = re.split(pattern, q)
    head, relations = pieces[0], []
    # re.split gives: text, whole match, one group per relation (None but the one), text, ...
    step = 2 + len(RELATIONS)
    for j in range(1, len(pieces), step):
        groups = pieces[j + 1: j + 1 + len(RELATIONS)]
        kind = RELATIONS[next(i for i, g in enumerate(groups) if g)][0]
        rest = pieces[j + step - 1] if j + step - 1 < len(pieces) else ''
        thing = _thing(rest)
        if thing is None or not head.strip():
            head += f' {pieces[j]} {rest}'
            continue
        if kind in ('wearing', 'in') and not thing.words:  # "a person in red (waving)"
            kind, thing = 'wearing', Thing(('clothes',), thing.colour, state=thing.state)
        elif kind == 'wearing' and re.match(r'in\b', pieces[j]) and \
                not set(thing.words) & WORN_WORDS:
            kind = 'in'  # "a car parked in a garage": in a place, not wearing it
        elif kind == 'in' and re.match(r'in\b', pieces[j]) and set(thing.words) & WORN_WORDS:
            kind = 'wearing'  # "the person in the orange top'
        word = 'of' if pieces[j] == 'containing' else pieces[j]  # said as asked: "a cup of tea"
        relations.append(Relation(kind, thing, f'{word} {" ".join(rest.split())}'))
    # "the bow tie of the man", "the dog's collar": the thing is the collar, whose owner is
    # a relation ("what kind of animal", "how many of them" are not owners)
    owner = re.match(r"(.*?)\b([a-z]+)'s\s+(.*)$", head) or \
        re.match(r'(.*?)\s+(?:of|belonging to)\s+((?:the|a|an|his|her|their|my|your)\s.*)$',
                 head)
    if owner:
        if owner.re.groups == 3:  # "the dog's collar" -> "the collar", of "the dog"
            whose, rest = f'the {owner.group(2)}', f'{owner.group(1)} {owner.group(3)}'
        else:
            whose, rest = owner.group(2), owner.group(1)
        mine, theirs = _thing(rest), _thing(whose)
        if mine is not None and mine.words and theirs is not None and theirs.words:
            head = rest
            relations.insert(0, Relation('of', theirs, f'of {" ".join(whose.split())}'))
    # "black and white" is one thing's colours, not two things
    head = _COLOURS_AND.sub(r'\1 ', head)
    # "was the car red or blue?": which colour it was, not a car and a blue thing ("a red or
    # blue car" is either)
    choice = _COLOURS_OR.search(head)
    if choice and not head[choice.end():].strip(' ?.!'):
        head, asks = head[:choice.start()], 'colour'
    elif choice:  # "a red or blue car": a red car or a blue car
        colours = re.findall(r'[a-z]+', choice.group(0))
        rest = head[choice.end():]
        head = head[:choice.start()] + ' or '.join(f'{c} {rest}' for c in colours if c != 'or')
    targets = tuple(t for t in (_thing(part, position, distance)
                                for part in re.split(r'\b(?:and|or)\b', head)) if t)
    if heading:
        targets = tuple(dataclasses.replace(t, state=f'walking {heading}')
                        if t.state == 'walking' else t for t in targets)
    # "the person in the orange top standing": clothes have no posture, its wearer does
    worn = next((r for r in relations if r.kind in ('wearing', 'in') and r.thing.state), None)
    if worn is not None and len(targets) == 1 and not targets[0].state:
        state = worn.thing.state
        targets = (dataclasses.replace(targets[0], state=state),)
        relations = [dataclasses.replace(r, thing=dataclasses.replace(r.thing, state=None),
                                         phrase=' '.join(w for w in r.phrase.split()
                                                         if STATES.get(w.strip('?.!')) != state))
                     if r is worn else r for r in relations]
    return Question(text, form, modality_of(text), asks, targets, tuple(relations),
                    timephrases.window(text, now, start_of_memory) if now else None)


def _compound(noun: str, word: str) -> bool:
    """Whether `noun word` names one thing ('traffic light', 'street light'): a COCO class or,
    once WordNet is loaded, one of its nouns."""
    if f'{noun} {word}' in _coco_names():
        return True
    return 'categories' in _wordnet and bool(_senses(f'{noun}_{word}'))


@functools.lru_cache(maxsize=1)
def _coco_names() -> frozenset:
    from omnilive.vision.categories import coco_synsets  # a small YAML file, no WordNet
    return frozenset(coco_synsets())


def referent(question: str) -> Optional[str]:
    """What a question is about, without what it assumes of it: 'Did you see a dog with a hat?'
    -> 'dog', 'Was the red car on the left?' -> 'car'. A follow-up ("what kind of dog was it?")
    takes this from the previous question, never its premise (the hat, the colour), which the
    evidence may not hold."""
    target = parse(question).target
    if target is None or not target.words:
        return None
    return str(Thing(target.words))


# ---------------------------------------------------------------------- labels
def stems_of(name: str) -> tuple[str, ...]:
    """The stems of a label's name, in order ('Crumpling, crinkling' -> ('crumpl', 'crinkl'))."""
    return tuple(lang.key(w) for w in re.findall(r"[a-z0-9']+", name.lower()) if len(w) > 1)


def categories_of(label: Label) -> tuple[str, ...]:
    """The categories a label is in: as perception stored them, else its COCO class's; a
    sound's, those of what made it (its synset's, once WordNet is loaded)."""
    stored = label.attributes.get('categories')
    if stored:
        return tuple(stored)
    if label.kind == SOUND:
        wn, synset = _wordnet.get('categories'), _sound_synset(label)
        return tuple(wn.categories(synset)) if wn is not None and synset else ()
    return COCO_CATEGORIES.get(label.name.lower(), ())


def attribute(label: Label, name: str) -> Any:
    """An attribute perception noticed (None when it did not: older items have none)."""
    value = label.attributes.get(name)
    return value if value not in (None, '', (), []) else None


_SIGNALS = {lang.key('alarm'), lang.key('detector')}


def signal_for(name: tuple[str, ...], asked: tuple[str, ...]) -> bool:
    """A sound's name (stems) is an alarm or a detector and the words asked do not name it: a
    fire alarm says nothing of a fire, nor a smoke detector of smoke."""
    return bool(name) and name[-1] in _SIGNALS and name[-1] not in asked


@dataclasses.dataclass(frozen=True)
class Match:
    label: Label
    by: str                         # 'name' or 'category'
    unchecked: tuple[str, ...]      # words of the phrase the label does not account for


def _find(needle: tuple, hay: tuple) -> int:
    for i in range(len(hay) - len(needle) + 1):
        if hay[i:i + len(needle)] == needle:
            return i
    return -1


def match(thing: Thing, label: Label, sound: bool = False) -> Optional[Match]:
    """Whether `label` is what `thing` names, and the words of the phrase it leaves unchecked.

    'police car' / car: a match, 'police' unchecked; 'table' / 'dining table': a match (the
    label is more precise); 'animal' / golden retriever with categories ['dog', 'animal']: a
    match by category; 'bear' / 'teddy bear' and 'dog' / 'hot dog': no match (their categories
    differ). For sounds, words saying how a thing sounds ('ringing') are not qualifiers."""
    asked = thing.stems
    if sound:
        nouns = tuple(s for s in asked if s not in SOUND_VERBS)
        asked = nouns or asked
    if not asked:
        return None
    name = stems_of(label.name)
    if not name:
        return None
    at = _find(name, asked)
    if at >= 0:
        return Match(label, 'name', asked[:at] + asked[at + len(name):])
    shared = set() if signal_for(name, asked) else set(asked) & set(name)
    if sound and (shared or  # AudioSet names ('Telephone bell ringing'): any
                  thing.words in _names_of(_sound_synset(label))):  # asked noun in the name,
        return Match(label, 'name', ())  # or a name WordNet gives what made it ('cows': cattle)
    if not sound and len(asked) < len(name) and name[-len(asked):] == asked:
        phrase = ' '.join(thing.words)
        mine, theirs = set(categories_of(label)), set(COCO_CATEGORIES.get(phrase, ()))
        if not (mine and theirs) or mine & theirs:
            return Match(label, 'name', ())
    cats = categories_of(label)
    for category in cats:
        cat = stems_of(category)
        at = _find(cat, asked)
        if at >= 0 and at + len(cat) == len(asked):  # the phrase ends with the category
            # "a domestic animal": the words before it may name a kind WordNet knows it is
            unchecked = () if at and kind_of(label, thing.words) else asked[:at]
            return Match(label, 'category', unchecked)
    if kind_of(label, thing.words):  # a monarch is a butterfly, a crow's caw a bird (WordNet)
        return Match(label, 'category', ())
    return None


# ---------------------------------------------------------------------- WordNet
# How far above a label's synset a noun asked about may be: a monarch is a butterfly (2 steps)
# and a baboon a primate (4); 'object' or 'whole' (10 and more) say nothing.
KIND_STEPS = 6
_wordnet: dict[str, Any] = {}
_wordnet_lock = threading.Lock()


def start_wordnet() -> None:
    """Load WordNet (the provisioned role `wordnet`, ~2-20 s) in the background, once per
    process: until it is loaded, `kind_of` says no and no question waits for it."""
    with _wordnet_lock:
        if _wordnet:
            return
        _wordnet['loading'] = True

    def load():
        try:
            from omnilive.vision import categories
            categories.wordnet()
            _wordnet['categories'] = categories
        except Exception as err:  # not provisioned: category words and COCO classes only
            _wordnet['error'] = err
    threading.Thread(target=load, name='wordnet', daemon=True).start()


@functools.lru_cache(maxsize=4096)
def _senses(lemma: str) -> tuple[str, ...]:
    wn = _wordnet['categories']
    with wn._lock:
        return tuple(s.name() for s in wn.wordnet().synsets(lemma.replace(' ', '_'), pos='n'))


# A sense of a word counts as what the word usually means when it is at least this share of its
# most frequent sense in WordNet's tagged corpus: 'dog' is the animal (42), not a hot dog (0),
# which would let food be "maybe a dog"; 'glass' the material (22) or a drinking glass (12).
COMMON_SENSE_SHARE = 0.25
# the sorts of thing a camera can see; when no usual sense of a word is one ('basketball' is
# mostly the game), its seeable senses count (the ball)
SEEABLE = {'noun.animal', 'noun.artifact', 'noun.food', 'noun.plant', 'noun.object', 'noun.body',
           'noun.substance'}


@functools.lru_cache(maxsize=4096)
def _common_senses(lemma: str) -> tuple[str, ...]:
    """The noun senses `lemma` usually has (all of them when WordNet has no frequency)."""
    wn = _wordnet['categories']
    with wn._lock:
        reader = wn.wordnet()
        word = lemma.replace(' ', '_')
        base = (reader.morphy(word, 'n') or word).lower()
        senses = [(s.name(), s.lexname(),
                   sum(lem.count() for lem in s.lemmas() if lem.name().lower() == base))
                  for s in reader.synsets(word, pos='n')]
    top = max((n for _, _, n in senses), default=0)
    common = [(name, lex) for name, lex, n in senses if not top or n >= COMMON_SENSE_SHARE * top]
    if not any(lex in SEEABLE for _, lex in common):
        common += [(name, lex) for name, lex, _ in senses if lex in SEEABLE]
    return tuple(dict.fromkeys(name for name, _ in common))


@functools.lru_cache(maxsize=4096)
def _verb_lemma(word: str) -> str:
    wn = _wordnet['categories']
    with wn._lock:
        return wn.wordnet().morphy(word, 'v') or word


@functools.lru_cache(maxsize=4096)
def _derived(word: str) -> frozenset[str]:
    wn = _wordnet['categories']
    with wn._lock:
        reader = wn.wordnet()
        base = reader.morphy(word, 'n') or reader.morphy(word, 'v') or word
        return frozenset(lang.key(d.name().replace('_', ' ')) for s in reader.synsets(base)
                         for lem in s.lemmas() if lem.name().lower() == base
                         for d in lem.derivationally_related_forms() if '_' not in d.name())


def derived_keys(word: str) -> frozenset[str]:
    """The stems of the words WordNet derives from `word` or it from them ('marriage' ->
    'marri' of 'married'), so that what was said is found in any of its forms; none until
    WordNet is loaded."""
    word = word.lower()
    return _derived(word) if _wordnet.get('categories') is not None and word.isalpha() \
        else frozenset()


def verb_lemma(word: str) -> str:
    """A verb's base form: 'rang', 'ringing' -> 'ring' (WordNet's morphology; until it is
    loaded, the word itself)."""
    word = word.lower()
    return _verb_lemma(word) if _wordnet.get('categories') is not None and word.isalpha() \
        else word


def person_kind(word: str) -> bool:
    """'man', 'player', 'astronaut': a word for a kind of person (a person label may be one,
    and cannot tell which)."""
    return word in PEOPLE_KINDS or word in PEOPLE_KINDS.values() or names_a_person(word)


def names_a_person(word: str) -> bool:
    """'astronaut', 'nurses', 'firefighter': a noun whose usual senses are all people
    (WordNet's noun.person), so a person label may be one; not 'speaker' or 'monitor' (also a
    thing a camera sees). False until WordNet is loaded."""
    if _wordnet.get('categories') is None or not word.isalpha():
        return False
    return _people_only(lang.singular(word))


@functools.lru_cache(maxsize=4096)
def _people_only(lemma: str) -> bool:
    wn = _wordnet['categories']
    senses = _common_senses(lemma)
    with wn._lock:
        if wn.wordnet().synsets(lemma, pos='a') or wn.wordnet().synsets(lemma, pos='s'):
            return False  # 'domestic', 'adult': a word that describes ("a domestic animal")
        synsets = [wn.wordnet().synset(name) for name in senses]
        # a named person ('more': Thomas More) is no kind of person
        kinds = {s.lexname() if s.hypernyms() else 'instance' for s in synsets}
    return kinds == {'noun.person'}


def categories_of_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The everyday categories of what `words` name, by their first WordNet sense ('mandrill'
    -> ('animal',)); () until WordNet is loaded or for words it does not know."""
    wn = _wordnet.get('categories')
    if wn is None or not words:
        return ()
    senses = _senses('_'.join(words))
    return tuple(wn.categories(senses[0])) if senses else ()  # categories() takes the lock


@functools.lru_cache(maxsize=16384)
def _above(synset: str) -> frozenset:
    """The synsets at most KIND_STEPS above `synset` (WordNet hypernyms)."""
    try:
        return frozenset(name for name, d in _wordnet['categories']._ancestors(synset)
                         if d <= KIND_STEPS)
    except Exception:  # a synset name WordNet does not have
        return frozenset()


def _synset_of(label: Label, words: tuple[str, ...]) -> str:
    """The label's synset (stored by perception, or its COCO class's); '' until WordNet is
    loaded, and for words about people ('man', 'person': the person labels' own checks)."""
    wn = _wordnet.get('categories')
    if wn is None or not words or set(words) & ({'person'} | set(PEOPLE_KINDS.values())):
        return ''
    if label.kind == SOUND:
        return _sound_synset(label)
    return label.synset or wn.synset_of_label(label.name.lower()) or ''


@functools.lru_cache(maxsize=4096)
def _names_of(synset: str) -> frozenset:
    """The names WordNet gives a synset, singular, as word tuples (cattle.n.01: ('cattle',),
    ('cow',), ('kine',), ('ox',) ...); empty until WordNet is loaded."""
    wn = _wordnet.get('categories')
    if wn is None or not synset:
        return frozenset()
    with wn._lock:
        lemmas = wn.wordnet().synset(synset).lemma_names()
    return frozenset(tuple(lang.singular(w) for w in lemma.lower().split('_'))
                     for lemma in lemmas)


def _sound_synset(label: Label) -> str:
    """What made a sound: the synset perception stored, else its class's (labels stored
    before perception wrote it); '' for a class that names no source ('Knock')."""
    from omnilive.vision.categories import synset_of_sound
    return label.synset or synset_of_sound(label.name) or ''


def kind_of(label: Label, words: tuple[str, ...]) -> bool:
    """Whether the label is a kind of what `words` name, by WordNet hypernyms at most
    KIND_STEPS above its synset: 'monarch' (monarch.n.02) is a butterfly, 'baboon' a monkey.
    False until `start_wordnet()` has loaded WordNet."""
    synset = _synset_of(label, words)
    return bool(synset) and bool(_above(synset) & set(_senses('_'.join(words))))


@functools.lru_cache(maxsize=16384)
def _lexname(synset: str) -> str:
    """WordNet's lexicographer file of a synset ('noun.artifact', 'noun.animal', ...)."""
    wn = _wordnet['categories']
    with wn._lock:
        return wn.wordnet().synset(synset).lexname()


def could_be(label: Label, words: tuple[str, ...]) -> bool:
    """Whether what `words` name is a kind of what the label names: the label is more general
    ('sports ball' for the basketball asked about), so memory neither shows nor denies it.
    Only the senses the words usually have (a dog is not a hot dog: food is not "maybe a dog")
    and of the label's own sort count (a gun is an artifact: 'gun' as a gunman is not a person
    seen), and never a person label (people have their own checks)."""
    synset = _synset_of(label, words)
    if not synset or synset == 'person.n.01' or 'person.n.01' in _above(synset):
        return False
    return any(synset in _above(sense) and _lexname(sense) == _lexname(synset)
               for sense in _common_senses('_'.join(words)))


# seeable, but not what the detector and classifier label: rooms and buildings, streets, land,
# water, sky and trees (the scene, not a thing in it), what people wear (their clothing colours),
# body parts
NOT_LABELLED = {'structure.n.01', 'clothing.n.01', 'body_part.n.01', 'way.n.06',
                'geological_formation.n.01', 'body_of_water.n.01', 'sky.n.01', 'land.n.04',
                'celestial_body.n.01', 'woody_plant.n.01', 'gramineous_plant.n.01',
                'surface.n.01', 'area.n.05', 'cloud.n.02', 'geographical_area.n.01'}
LABELLED_SORTS = SEEABLE - {'noun.body', 'noun.substance'}


def labelled_kind(words: tuple[str, ...]) -> bool:
    """Whether what `words` usually name is a thing perception stores as an object label when it
    sees one (an animal, an artifact, a food, a plant), so that memory holding none says it was
    not seen: 'horse', 'gun', 'collar'; not 'room', 'weather', 'hand' or 'shirt'. False until
    WordNet is loaded."""
    if _wordnet.get('categories') is None or not words:
        return False
    senses = _common_senses('_'.join(words))
    return any(_lexname(s) in LABELLED_SORTS for s in senses) and \
        not any((_above(s) | {s}) & NOT_LABELLED for s in senses)


def may_be(thing: Thing, label: Label) -> bool:
    """An object label that is `thing` (`match`), or a more general name it could be under
    (`could_be`: a sports ball for the basketball asked about)."""
    return label.kind == OBJECT and (match(thing, label) is not None or
                                     could_be(label, thing.words))


def people_of(label: Label) -> list[Mapping]:
    """The people a person label followed, each a mapping of what is known of them ('posture',
    'activity', 'arms', 'clothing', 'holding', 'position'); from older labels, their outfits
    only; [] when nothing was noticed."""
    people = [p for p in attribute(label, 'people') or () if isinstance(p, Mapping)]
    if people:
        return people
    return [{'clothing': c} for c in attribute(label, 'clothing') or () if isinstance(c, Mapping)]


def held_by(label: Label) -> list[str]:
    """Names of what the label's people (or the label itself) were seen holding."""
    held = [h for p in people_of(label) for h in p.get('holding') or ()]
    held += [other for rel, other in (attribute(label, 'relations') or ()) if rel == 'holding']
    return list(dict.fromkeys(held))


# a question's spatial preposition -> (the relation perception stores, omnilive.vision.
# relations, and whether the thing asked about is its subject: False, its object; None, either)
PLACED = {'on': ('on', True), 'on top of': ('on', True), 'in front of': ('in front of', True),
          'behind': ('in front of', False), 'next to': ('next to', None),
          'beside': ('next to', None), 'near': ('next to', None), 'close to': ('next to', None),
          'by': ('next to', None)}
PLACED_WORDS = re.compile(r'(on top of|in front of|next to|close to|beside|behind|near|on|by)\b')


def placements(labels, word: str) -> list[tuple[Label, Label]]:
    """(subject, object) pairs of things perception saw placed as the question's `word` says
    ('on', 'behind', 'next to' ... PLACED), from the labels' stored relations: "behind" is the
    stored "in front of" turned round; "next to" goes both ways. A relation's other thing is
    known by its name only."""
    rel, forward = PLACED[word]
    out = []
    for lab in labels:
        for r, name in attribute(lab, 'relations') or ():
            if r != rel:
                continue
            other = Label(OBJECT, name)
            if forward is not False:
                out.append((lab, other))
            if forward is not True:
                out.append((other, lab))
    return out


def person_states(person: Mapping) -> list[str]:
    """What one person (of `people_of`) was doing: 'sitting', 'walking to the left', 'waving'."""
    states = [v for k in ('posture', 'activity') if (v := person.get(k))]
    if person.get('activity') == 'walking' and person.get('heading'):
        states.append(f'walking {person["heading"]}')
    arms = person.get('arms')  # a waving arm is a raised one
    return states + (['waving'] if arms == 'waving' else []) + \
        (['with raised arms'] if arms in ('waving', 'raised') else [])


def states_of(label: Label) -> list[str]:
    """What the label's people were doing: 'sitting', 'walking', 'waving' ..."""
    states = [s for p in people_of(label) for s in person_states(p)]
    states += list(attribute(label, 'postures') or ()) + list(attribute(label, 'activities') or ())
    return list(dict.fromkeys(states))


# what perception tells of a person (omnilive.vision.people's postures, activities and waving
# arms): a state it reports, or one that sitting, lying or standing still rules out, is denied
# by what it saw; any other ("looking", "smiling") it cannot tell
NOTICED_STATES = {*seen_people.POSTURES, *seen_people.ACTIVITIES, 'waving', 'with raised arms'}
STILL = {'sitting', 'lying', 'standing still'}
MOVING = {'running', 'jogging', 'walking', 'jumping', 'dancing', 'cycling', 'skating', 'climbing'}


def denied(state: str, states: list[str]) -> bool:
    """Whether what was seen of someone (`states`) says they were not `state`."""
    return state not in states and (state in NOTICED_STATES or state.startswith('walking ') or
                                    state in MOVING and bool(STILL & set(states)))


def finest(states: list[str]) -> list[str]:
    """The states that say the most: 'standing' beside 'standing still', 'walking' beside
    'walking to the left' say nothing more."""
    return [s for s in states if not any(t != s and t.startswith(s + ' ') for t in states)]


def colours_of(label: Label) -> tuple[str, ...]:
    """The colours noticed on a label; a person's clothes' colours when that is all there is."""
    found = attribute(label, 'colours')
    if found:
        return tuple(found)
    return tuple(dict.fromkeys(c for person in people_of(label)
                               for c in (person.get('clothing') or {}).values() if c))


# ---------------------------------------------------------------------- scope
_PERCEIVE = r'(?:see|saw|seen|sees|hear|heard|hears|notice[ds]?|spot(?:ted|s)?|detect(?:ed|s)?|' \
    r'record(?:ed|s)?|observe[ds]?|find|found|meet|met|pass(?:ed)?|remember(?:s|ed)?|know|knows)'
_QUANT = r'(?:any|other|another|all|every|each|some|which|no|none)'
_ROBOTS = r'(?:robots?|bots?)'
# the fleet is the subject: "did any robot see", "which robots heard", "any of you", "you all"
# ("did you see any robots?" asks about robots seen, not about the fleet)
_FLEET = re.compile(
    rf'\b(?:did|do|does|has|have|had|could|can|would|will)\s+(?:{_QUANT}\s+)?'
    rf'(?:of\s+)?(?:the\s+|our\s+|your\s+)?(?:other\s+)?{_ROBOTS}\b|'
    rf'^\s*{_QUANT}\s+(?:of\s+)?(?:the\s+|our\s+)?(?:other\s+)?{_ROBOTS}\b|'
    rf'\b{_QUANT}\s+(?:of\s+)?(?:the\s+|our\s+)?(?:other\s+)?{_ROBOTS}\s+'
    rf'(?:\w+\s+)?{_PERCEIVE}\b|'
    r'\b(?:any|all|each|either|none|some|one|which|who)\s+of\s+(?:you|y\'all)\b|'
    r'\b(?:you\s+all|y\'all|all\s+of\s+you|you\s+guys|you\s+robots|the\s+(?:robot\s+)?fleet|'
    r'your\s+(?:colleagues|teammates|fellow\s+robots))\b',
    re.IGNORECASE)


def scope_of(question: str) -> str:
    """'fleet' when the question asks about what any robot of the fleet saw or heard ("did any
    robot see a dog?", "has any of you heard ...", "did the other robots ..."), else '' (the
    node's default scope: usually this robot's own memory)."""
    return 'fleet' if _FLEET.search(lang.clean(question)) else ''
