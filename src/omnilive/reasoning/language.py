"""Reading questions: content words, the labels they name, time phrases, question types."""
from __future__ import annotations

import re
from typing import Optional

import snowballstemmer

from omnilive.memory.describe import IRREGULAR_PLURALS
from omnilive.memory.describe import plural  # noqa: F401  (lang.plural: captions' own rule)
from omnilive.memory.store import STOPWORDS
from omnilive.reasoning import timephrases

# words that name a COCO / AudioSet label in a different form
SYNONYMS = {'people': 'person', 'persons': 'person', 'man': 'person', 'men': 'person',
            'woman': 'person', 'women': 'person', 'pedestrians': 'person', 'pedestrian': 'person',
            'someone': 'person', 'anyone': 'person', 'kids': 'person', 'children': 'person',
            'child': 'person', 'cars': 'car', 'bike': 'bicycle', 'bikes': 'bicycle',
            'phone': 'telephone', 'phones': 'telephone', 'mug': 'cup', 'mugs': 'cup',
            'sofa': 'couch', 'television': 'tv', 'motorbike': 'motorcycle'}
# Only true synonyms: a word that names something else is no synonym ('ring' is a telephone's
# sound but also a doorbell's; a vehicle is not always a car; a cyclist is a person on a bicycle).
# Categories ('animal', 'vehicle', 'food') are matched by the labels' categories, not here.
GENERIC = set('''thing things anything something everything around room place scene happen happened
going describe saw see seen look looking now just recently today earlier notice noticed remember
robot front camera view visible moment currently right there here where when what said say tell
heard hear listen sound sounds noise read text sign written write wrote they them their being
would which these those of choices leave left put keep kept placed stored am
loud loudest noisy noisiest quiet quietest softest unusual strange weird odd interesting
suspicious important notable memorable remarkable most often frequently different distinct
total overall summarise summarize summary recap biggest largest smallest tallest shortest heaviest
lightest fastest slowest'''.split())
CJK = re.compile(r'[\u4e00-\u9fff]')
CONTROL = re.compile(r'\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x1f\x7f-\x9f]')


def clean(text: str) -> str:
    """One line of text: terminal escape sequences and control characters (NUL, BEL...) are
    dropped, runs of whitespace become single spaces."""
    return ' '.join(CONTROL.sub(' ', text).split())


_NEGATED = re.compile(r"^\s*(did|do|does|have|has|had|was|were|is|are|can|could)(?:n't| not)\b",
                      re.IGNORECASE)


def unnegated(question: str) -> str:
    """A question asked in the negative asks the same: "Didn't you see a cat?" -> "Did you see
    a cat?" (yes, I did / no, I did not)."""
    return _NEGATED.sub(lambda m: m.group(1), question)


# sounds people make, by the verb a question asks with: the sound a robot hears
_MADE = {'knock': 'a knock', 'slam': 'a slam', 'clap': 'clapping', 'whistle': 'whistling',
         'shout': 'shouting', 'yell': 'shouting', 'scream': 'screaming', 'cough': 'a cough',
         'sneeze': 'a sneeze', 'laugh': 'laughter', 'cry': 'crying', 'honk': 'a honk',
         'sing': 'singing', 'bang': 'a bang', 'ring': ''}
_FORMS = {'knocked': 'knock', 'knocking': 'knock', 'slammed': 'slam', 'slamming': 'slam',
          'clapped': 'clap', 'clapping': 'clap', 'whistled': 'whistle', 'whistling': 'whistle',
          'shouted': 'shout', 'shouting': 'shout', 'yelled': 'yell', 'yelling': 'yell',
          'screamed': 'scream', 'screaming': 'scream', 'coughed': 'cough', 'coughing': 'cough',
          'sneezed': 'sneeze', 'sneezing': 'sneeze', 'laughed': 'laugh', 'laughing': 'laugh',
          'cried': 'cry', 'crying': 'cry', 'honked': 'honk', 'honking': 'honk', 'sang': 'sing',
          'singing': 'sing', 'banged': 'bang', 'banging': 'bang', 'rang': 'ring',
          'ringing': 'ring'}
_SOMEONE_MADE = re.compile(
    r'^\s*(?:(did|has|have|had)\s+|(did you hear)\s+)(?:someone|somebody|anyone|anybody|a person|'
    r'people|anybody)\s+(?:just\s+)?(' + '|'.join([*_MADE, *_FORMS]) + r')\b(.*)$', re.IGNORECASE)


# "did the dog bark?": a thing's sound, asked as heard (verbs only a sound answers; people's
# own, "did the man knock?", stay with what was seen)
_THING_SOUNDED = re.compile(
    r'^\s*(?:did|has|had)\s+((?:the|a|an|any|your|my|that|this)\s+(?!(?:man|woman|person|boy|'
    r'girl|child|kid|baby|guy|lady|people|men|women|children|kids)\b)[a-z]+(?:\s+[a-z]+)?)\s+'
    r'(bark|barked|meow|meowed|miaow|miaowed|honk|honked|beep|beeped|chirp|chirped|tweet|'
    r'tweeted|moo|mooed|quack|quacked|howl|howled|growl|growled|purr|purred|neigh|neighed|'
    r'buzz|buzzed|squeak|squeaked|creak|creaked|slam|slammed|bang|banged|click|clicked|tick|'
    r'ticked|chime|chimed|ring|rang|hiss|hissed|go off|went off)\b(.*)$', re.IGNORECASE)


def as_heard(question: str) -> str:
    """A sound someone made is asked as the sound heard: "Did anyone knock on the door?" ->
    "Did you hear a knock on the door?", "did someone ring the doorbell?" -> "did you hear the
    doorbell?" (who made it a robot hearing it cannot tell; that it was heard, it can); "did
    the dog bark?" -> "Did you hear the dog bark?"."""
    sounded = _THING_SOUNDED.match(question)
    if sounded:
        return f'Did you hear {sounded.group(1)} {sounded.group(2)}{sounded.group(3)}'
    m = _SOMEONE_MADE.match(question)
    if not m:
        return question
    verb = m.group(3).lower()
    verb = _FORMS.get(verb, verb)
    rest = m.group(4)
    # "slam a door", "ring the doorbell", "honk the horn": the thing sounded so
    thing = re.match(r'\s+((?:a|an|the|his|her|their|my|your)\s+[a-z]+)(.*)$', rest, re.IGNORECASE)
    if thing and verb in ('slam', 'bang', 'ring', 'honk'):
        return f'Did you hear {thing.group(1)} {verb}{thing.group(2)}'
    return f'Did you hear {_MADE[verb] or "a ring"}{rest}'


# "tell me everything you heard", "list the animals you saw": a request asked as the question
_REQUEST = re.compile(
    r'^\s*(?:(?:please|can you|could you|would you)\s+)?(?:tell me|list|name)\s+(?:about\s+)?'
    r'(?:(?:everything|all|what|anything|every|each)\s+)?(?:(?:of\s+)?the\s+)?((?:[a-z]+\s+){0,2}?)'
    r'(?:that\s+|which\s+)?you\s+(?:have\s+|had\s+)?(heard|saw|seen|read|noticed)\b(.*)$',
    re.IGNORECASE)
_BASE = {'heard': 'hear', 'saw': 'see', 'seen': 'see', 'read': 'read', 'noticed': 'notice'}


# "list all the animals", "name the sounds": what was seen (or heard) of them
_LIST = re.compile(r'^\s*(?:(?:please|can you|could you|would you)\s+)?(?:list|name)\s+'
                   r'(?:(?:all|every|each)\s+)?(?:(?:of\s+)?the\s+)?'
                   r'(?!(?:everything|anything|something|it|them)\b)([a-z]+(?:\s+[a-z]+)?)\s*'
                   r'[?.!]*$', re.IGNORECASE)


def as_question(request: str) -> str:
    """A request asked as the question it is: "Tell me everything you heard." -> "What did you
    hear?", "List the animals you saw today" -> "What animals did you see today?", "list all the
    sounds" -> "What sounds did you hear?"."""
    m = _REQUEST.match(request)
    if not m:
        listed = _LIST.match(request)
        if listed:
            what = listed.group(1)
            verb = 'hear' if re.search(r'\b(?:sounds?|noises?)$', what, re.IGNORECASE) else 'see'
            return f'What {what} did you {verb}?'
        return request
    what = ' '.join(w for w in m.group(1).split() if w.lower() not in ('things', 'thing'))
    rest = m.group(3).rstrip(' ?.!')
    return f'What {what + " " if what else ""}did you {_BASE[m.group(2).lower()]}{rest}?'


def normalised(question: str) -> str:
    """What a question asks, in the form the answerer reads: one clean line, a request as a
    question, asked in the positive, a sound someone made as the sound heard, something someone
    did as what was seen."""
    return as_seen_or_said(as_heard(unnegated(as_question(clean(question)))))


# "did anyone carry a bag?", "did someone invite me to lunch?": what a robot could have seen
# someone do, or heard someone say (sounds someone made are as_heard's)
_SOMEONE_DID = re.compile(r'^\s*did\s+(?:someone|somebody|anyone|anybody)\s+'
                          r'(?:just\s+)?([a-z]+)\b\s*(.*?)\s*[?.!]*$', re.IGNORECASE)
_SAYING = {'invite', 'ask', 'tell', 'talk', 'speak', 'suggest', 'promise'}
# verbs that are no action seen ("did anyone see my keys?", "did anyone call?" on the phone)
_NOT_DONE = {'see', 'hear', 'notice', 'know', 'be', 'have', 'do', 'call', 'get', 'want', 'need',
             'like', 'think', 'remember', 'forget', 'say', 'mention'}  # the last two: said


def ing(verb: str) -> str:
    """'carry' -> 'carrying', 'ride' -> 'riding', 'sit' -> 'sitting', 'lie' -> 'lying'."""
    if verb.endswith('ie'):
        return verb[:-2] + 'ying'
    if verb.endswith('e') and not verb.endswith(('ee', 'ye', 'oe')):
        return verb[:-1] + 'ing'
    if re.fullmatch(r'[^aeiou]*[aeiou][^aeiouwxy]', verb):  # one syllable, short vowel
        return verb + verb[-1] + 'ing'
    return verb + 'ing'


# what a camera may see a person or an animal do ("did the player kick the ball?"); sounds
# ("did the dog bark?") are heard, not seen
_ACTIONS = set('''kick throw catch hold carry ride wave sit stand walk run jump eat drink play wear
open close push pull lie sleep climb drive park cross enter leave fall dance smile chase hug
fly swim stop turn'''.split())
_THE_DID = re.compile(r'^\s*did\s+((?:the|a|an|that|this|your|my)\s+[a-z]+)\s+(' +
                      '|'.join(sorted(_ACTIONS)) + r')\b\s*(.*?)\s*[?.!]*$', re.IGNORECASE)


def as_seen_or_said(question: str) -> str:
    """Something someone did is asked as what was seen, something someone said as what was
    mentioned: "Did anyone carry a bag?" -> "Did you see anyone carrying a bag?", "Did someone
    invite me to lunch?" -> "Did anyone mention lunch?"."""
    done = _THE_DID.match(question)
    if done:  # "did the player kick the ball?" -> "did you see the player kicking the ball?"
        rest = f' {done.group(3)}' if done.group(3) else ''
        return f'Did you see {done.group(1)} {ing(done.group(2).lower())}{rest}?'
    m = _SOMEONE_DID.match(question)
    if not m or m.group(1).lower() in _NOT_DONE or m.group(1).lower().endswith(('ed', 'ing')):
        return question
    verb, rest = m.group(1).lower(), m.group(2)
    if verb in _SAYING:
        about = re.sub(r'^(?:(?:me|you|us|him|her|them|anything|something)\s+)?'
                       r'(?:(?:to|about|for|of|that)\s+)?', '', rest, flags=re.IGNORECASE)
        return f'Did anyone mention {about}?' if about else question
    return f'Did you see anyone {ing(verb)}{" " + rest if rest else ""}?'


# captions' irregular plurals read back, but for those that are also verbs: "the bus leaves at
# nine" is matched to what was heard by its words, 'leave' with 'leave'
_SINGULAR = {many: one for one, many in IRREGULAR_PLURALS.items()
             if many not in ('leaves', 'lives', 'halves', 'calves')}


def sound_name(name: str) -> str:
    """'telephone' for the AudioSet class 'Telephone'; a class with several names ('Crumpling,
    crinkling') by its first."""
    return name.split(',')[0].strip().lower()


def singular(word: str) -> str:
    """'horse' for 'horses', 'glass' for 'glasses', 'box' for 'boxes', 'knife' for 'knives'
    (captions' irregular plurals); a true synonym by its label's name ('men': person)."""
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word in _SINGULAR:
        return _SINGULAR[word]
    # (plural ending, singular ending, shortest stem): 'bus' and 'gas' are not plurals, nor
    # 'tennis' and 'cactus' (captions write the plural of a noun in -s with -es)
    for suffix, repl, stem in (('ies', 'y', 2), ('ches', 'ch', 1), ('shes', 'sh', 1),
                               ('sses', 'ss', 1), ('xes', 'x', 1), ('s', '', 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= stem and \
                not word.endswith(('ss', 'is', 'us')):
            return word[: -len(suffix)] + repl
    return word


# a hyphenated word ('Wi-Fi', 'e-mail', 'T-shirt') is one word: Whisper writes 'Wi-Fi' where a
# typed note says 'wifi'
_WORD = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*")


def content_words(question: str) -> list[str]:
    words = [w.replace('-', '') for w in _WORD.findall(question.lower())]
    return [singular(w) for w in words if w not in STOPWORDS and w not in GENERIC and len(w) > 1]


def run_together(question: str, text: str) -> int:
    """How many pairs of the question's neighbouring words `text` holds written as one word, as
    OCR reads a sign ("no parking" in "NOPARKING")."""
    words = re.findall(r'[a-z0-9]+', question.lower())
    compact = re.sub(r'[^a-z0-9]', '', text.lower())
    return sum(a + b in compact for a, b in set(zip(words, words[1:])) if len(a + b) >= 6)


def language_of(text: str) -> str:
    return 'zh' if CJK.search(text) else 'en'


_NO_NOUN = {'were', 'are', 'was', 'is', 'did', 'do', 'does', 'have', 'had', 'of', 'times'}


def asks_count(question: str) -> Optional[str]:
    """'how many cars ...' -> 'car' (the noun after 'how many')."""
    m = re.search(r'how many ([a-z ]+?)(?: did| were| are| was| is| have| has| had| do| does|'
                  r' will| would| can| could| in| at| on| wore| wear| wearing| with|\?|$)',
                  question.lower())
    if not m:
        return None
    words = m.group(1).split()
    if not words or words[0] in _NO_NOUN:  # "how many were there?": of what, the turn before
        return None
    return singular(' '.join(words[-2:])) if len(words) >= 2 else singular(words[0])


def asks_when(question: str) -> bool:
    return bool(re.match(r'\s*(?:(?:and|so|then|ok|okay),?\s+)?(when|what time|at what time|'
                         r'how long ago)\b', question.lower()))


def asks_read(question: str) -> bool:
    return bool(re.search(r'\b(read|signs?|written|texts?|say on|labels?|posters?|'
                          r'see the words?|(?:the|a|that|this) notice|notices|'
                          r'(?:what|which|any)\s+numbers?)\b', question.lower()))


def asks_heard(question: str) -> bool:
    return bool(re.search(r'\b(hear|heard|sound|noise|ring|rang|ringing|listen)\b',
                          question.lower()))


# "was he talking on the phone?" asks what someone was doing, not what was said
ON_THE_PHONE = re.compile(r'\b(?:talk|talks|talked|talking|speak|speaks|speaking|spoke)\s+on\s+'
                          r'(?:the|a|an|his|her|their|my|your)\s+(?:phone|telephone|mobile|'
                          r'cellphone|cell phone)\b', re.IGNORECASE)


def asks_said(question: str) -> bool:
    q = ON_THE_PHONE.sub(' ', question.lower())
    return bool(re.search(r'\b(said|say|says|told|talk|talked|talking|mention|mentioned|'
                          r'ask|asked|asking)\b', q)) and not asks_read(question)


# a question word alone, asked of the turn before: "when?", "where exactly?", "how many?"
BARE_QUESTION = re.compile(r'\s*(when|where|what colou?r|how many)(?:\s+exactly)?\s*[?.!]*$',
                           re.IGNORECASE)


def is_follow_up(question: str) -> bool:
    """A question that leaves its thing (or its time) to the turn before: "and a cat?", "what
    colour was it?", "when?", "what did you see then?"."""
    q = question.lower().strip()
    return bool(re.match(r'(and|also|what about|how about|then)\b', q)) or \
        bool(re.search(r'\b(it|that|those|them|they|there|this|he|she|then)\b', q)) and \
        len(q.split()) <= 8 or bool(BARE_QUESTION.match(q))


def remember_request(question: str) -> Optional[str]:
    m = re.match(r"\s*(?:please\s+)?(?:remember|note|make a note)(?: that|:)?\s+(.+)", question,
                 re.IGNORECASE)
    return m.group(1).strip().rstrip('.') if m else None


def forget_request(question: str) -> bool:
    return bool(re.search(r'\b(forget|delete|erase|wipe|clear|purge)\b.*'
                          r'\b(memory|memories|everything|'
                          r'all|that|what|this|records?|history)\b', question.lower()))


def injection(question: str) -> bool:
    """Text that tries to override the answering rules (never acted on: refused)."""
    q = question.lower()
    return bool(re.search(r'\b(ignore|disregard|override)\b.*\b(memory|memories|instructions?|'
                          r'rules|evidence|previous|above|system|prompt)\b', q) or
                re.search(r'\bforget\b.*\b(instructions?|rules|system|prompt)\b', q) or
                re.search(r'\b(pretend|you are now|system prompt|new instructions|jailbreak)\b',
                          q))


# ---------------------------------------------------------------------- matching words to labels
# Questions and memories name things in different forms ("crumpled" / "Crumpling, crinkling",
# "phones" / "Telephone"): both sides are compared as stems of their singular, synonym-mapped
# words.
_STEMMER = snowballstemmer.stemmer('english')
PEOPLE_WORDS = {'anybody': 'person', 'somebody': 'person', 'everybody': 'person',
                'nobody': 'person', 'persons': 'person', 'human': 'person', 'humans': 'person'}


def key(word: str) -> str:
    # lower case: Whisper capitalises nouns before numbers ("Room 2004"), signs are upper case
    word = word.lower()
    word = PEOPLE_WORDS.get(word, word)
    return _STEMMER.stemWord(singular(word))


def named(question: str) -> list[str]:
    """The things a question names: its content words, its time phrase left out."""
    return content_words(timephrases.without_time(question))


def keys(question: str) -> set[str]:
    """Stems of what the question names."""
    return {key(w) for w in named(question)}


def asks_seen(question: str) -> bool:
    return bool(re.search(r'\b(see|saw|seen|look|looked|notice|noticed|spot|spotted|watch)\b',
                          question.lower()))


def text_keys(text: str) -> set[str]:
    """Stems of every word of a label or memory text; a hyphenated word both whole and by its
    parts (a 'T-shirt' label is a shirt too)."""
    words = []
    for word in _WORD.findall(text.lower()):
        words += [word.replace('-', '')] + (word.split('-') if '-' in word else [])
    return {key(w) for w in words if len(w) > 1}


CHOICES = re.compile(r'\s*\b(?:choices|options)\s*:\s*(.+?)\s*\.?\s*$', re.IGNORECASE)
CHOICE = re.compile(r'(?:^|;|\s)([A-Ha-h])\)\s*([^;]+)')


# "Which came first, the cat or the squirrel?": the choices said in the question itself
INLINE_CHOICES = re.compile(r'^\s*((?:which|what)\b[^,:?]*?)\s*[,:]\s*(.+?\s+or\s+[^?]+?)'
                            r'\s*\??\s*$', re.IGNORECASE)
INLINE_CHOICE_WORDS = 5  # a choice longer than this is a clause, not a thing to choose


def split_choices(question: str) -> tuple[str, list[str]]:
    """'Which did you see? Choices: A) a cup; B) a dog.' -> ('Which did you see?', ['a cup',
    'a dog']); 'Which came first, the cat or the dog?' -> ('Which came first?', ['the cat',
    'the dog']); a question without choices comes back as it is, with no choices."""
    m = CHOICES.search(question)
    if not m:
        inline = INLINE_CHOICES.match(question)
        if inline:
            choices = [c.strip() for c in re.split(r',\s*(?:or\s+)?|\s+or\s+', inline.group(2))
                       if c.strip()]
            if len(choices) >= 2 and all(len(c.split()) <= INLINE_CHOICE_WORDS
                                         for c in choices):
                return inline.group(1).strip() + '?', choices
        return question, []
    choices = [c.strip().rstrip('.') for _, c in CHOICE.findall(m.group(1))]
    return (question[:m.start()].strip(), choices) if len(choices) >= 2 else (question, [])
