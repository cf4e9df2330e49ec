"""What the stricter scorer checks beyond phrases: doubt (a hedge), an answer that only echoes its
question, the numbers an answer states (counts) and the times it states (relative or clock).

A hedge is recognised by how doubt is expressed (modal guesses, epistemic adverbs, "not sure",
"I think", seeming, a trailing question mark), not by a list of whole answers. Saying plainly
that something is not known ("I did not notice its colour", "I have not seen that") is not doubt:
it is what `not_known` recognises, the answer an `unknown` question expects.
"""
from __future__ import annotations

import re
from typing import Optional

# --------------------------------------------------------------------------- doubt
_DOUBT = [
    r'\b(maybe|perhaps|possibly|probably|presumably|apparently|likely|unlikely|supposedly)\b',
    r'\bmight\b',                                         # "it might have been red"
    r'\bmay (?:not )?(?:have|be|well)\b',                 # "I may have", "it may be"
    r"\bcould (?:not )?(?:have|be)\b",                    # "it could have been", not "could see"
    r'\bmust (?:have|be)\b',                              # an inference, not a memory
    r"(?:\bnot|n't|\bnever) (?:entirely |quite |completely |really |totally )?"
    r'(?:sure|certain|positive|confident)\b',
    r'\b(?:unsure|uncertain|unclear whether|hard to say|difficult to say)\b',
    r"\b(?:can't|cannot|can not|couldn't) (?:be )?(?:sure|certain)\b",
    r"\bi (?:think|guess|believe|suppose|assume|reckon|imagine|suspect)\b",
    r"\b(?:i'd|i would) (?:say|guess)\b",
    r'\bif i (?:remember|recall) (?:correctly|right)\b',
    r'\bas far as i (?:know|can tell|remember)\b',
    r'\b(?:seems?|seemed|appears?|appeared|looks?|looked) (?:like|to be|to have|as if)\b',
    r'\bsort of\b|\bkind of like\b|\bsomething like\b|\bor so\b',
]
_DOUBT_RE = re.compile('|'.join(f'(?:{p})' for p in _DOUBT))
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|(?:(?<=[\s:])|^)\'[^\']+\'(?=[\s.,;:!?]|$)')

# saying plainly what is not known: a negated knowing or perceiving verb
_NOT_KNOWN = re.compile(
    r"(?:\bnot|n't|\bnever|\bno longer)\s+(?:\w+\s+){0,2}?"
    r'(?:know|knew|notice|noticed|see|seen|saw|hear|heard|tell|catch|caught|remember|recall|'
    r'recorded|record|observe|observed|get|got|spot|spotted|read|able)\b'
    r"|\bno (?:idea|record|memory|information|way to (?:know|tell))\b"
    r"|\b(?:unknown|unable to (?:tell|see|say))\b")


def unquoted(text: str) -> str:
    """The text without its quoted spans: what was heard or read is quoted, not said."""
    return _QUOTED.sub(' ', text.replace('’', "'") if '‘' not in text else text)


def doubt(answer: str, expected: tuple[str, ...] = ()) -> Optional[str]:
    """The expression of doubt in `answer` (outside quotes and outside the phrases the question
    expects, which may themselves hold such words), or None."""
    text = unquoted(answer).lower()
    for phrase in expected:
        text = re.sub(r'\b' + re.escape(phrase.lower()) + r'\b', ' ', text)
    if text.rstrip().endswith('?'):
        return 'a question mark'
    m = _DOUBT_RE.search(text)
    return m.group(0) if m else None


def not_known(answer: str) -> Optional[str]:
    """The plain statement of not knowing in `answer` ("did not notice", "have not seen")."""
    m = _NOT_KNOWN.search(unquoted(answer).lower().replace('’', "'"))
    return m.group(0) if m else None


# --------------------------------------------------------------------------- echo
# words that add nothing to a question when repeated: articles, pronouns, auxiliaries, question
# words, prepositions, politeness
FILLER = set("""a an the i you me my your we us our it its they them their this that these those
there here what which who whom whose when where why how many much did do does done is are was were
be been being am have has had will would shall should can could may might to of in on at by for
from with about into onto over under and or so then well um uh oh please tell let know say just
any some anything something""".split())
_IRREGULAR = {'saw': 'see', 'seen': 'see', 'heard': 'hear', 'said': 'say', 'told': 'tell',
              'took': 'take', 'taken': 'take', 'went': 'go', 'gone': 'go', 'came': 'come',
              'ran': 'run', 'rang': 'ring', 'rung': 'ring', 'left': 'leave', 'people': 'person',
              'men': 'man', 'women': 'woman', 'children': 'child'}


_PLURALS = {'people': 'person', 'men': 'man', 'women': 'woman', 'children': 'child',
            'mice': 'mouse', 'feet': 'foot', 'teeth': 'tooth', 'geese': 'goose',
            'knives': 'knife', 'leaves': 'leaf', 'wolves': 'wolf', 'shelves': 'shelf'}


def singular(word: str) -> str:
    """A noun's singular ("oranges" -> "orange", "buses" -> "bus", "people" -> "person");
    other words as they are, so both sides of a comparison read alike."""
    if word in _PLURALS:
        return _PLURALS[word]
    if len(word) > 4 and word.endswith('ies'):
        return word[:-3] + 'y'
    if len(word) > 4 and word.endswith(('ses', 'shes', 'ches', 'xes', 'zes')):
        return word[:-2]
    if len(word) > 3 and word.endswith('s') and not word.endswith(('ss', 'us', 'is', "'s")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    for suffix in ('ing', 'ed', 'es', 's'):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


AUXILIARIES = set("""did do does is are was were have has had can could will would shall should
may might must""".split())
QUESTION_WORDS = set('what which who whom whose when where why how tell'.split())


def echoes(answer_words: list[str], question_words: list[str]) -> bool:
    """True when the answer says nothing beyond its question's own words (and filler). A
    statement that restates a yes/no question ("Did you see a bus?" -> "I saw a bus.") asserts
    it, which is an answer; restating any other question, or asking it back, is not."""
    asked = {_stem(w) for w in question_words}
    if not all(w in FILLER or _stem(w) in asked for w in answer_words):
        return False
    said = {_stem(w) for w in answer_words}
    for i, w in enumerate(question_words[1:-1], 1):  # "left or right?" -> "Left." chose one
        if w == 'or' and len({_stem(question_words[i - 1]), _stem(question_words[i + 1])}
                             & said) == 1:
            return False
    yes_no = bool(question_words) and question_words[0] in AUXILIARIES
    asks_back = bool(answer_words) and answer_words[0] in AUXILIARIES | QUESTION_WORDS
    return asks_back or not yes_no


# --------------------------------------------------------------------------- numbers
UNITS = {'zero': 0, 'one': 1, 'two': 2, 'three': 3, 'four': 4, 'five': 5, 'six': 6,
         'seven': 7, 'eight': 8, 'nine': 9, 'ten': 10, 'eleven': 11, 'twelve': 12,
         'thirteen': 13, 'fourteen': 14, 'fifteen': 15, 'sixteen': 16, 'seventeen': 17,
         'eighteen': 18, 'nineteen': 19}
TENS = {'twenty': 20, 'thirty': 30, 'forty': 40, 'fifty': 50, 'sixty': 60, 'seventy': 70,
        'eighty': 80, 'ninety': 90}
SCALES = {'hundred': 100, 'thousand': 1000, 'million': 1_000_000}
_TOKEN = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+(?:'[a-z]+)?")
TIME_UNITS = {'second': 1, 'seconds': 1, 'sec': 1, 'secs': 1, 'minute': 60, 'minutes': 60,
              'min': 60, 'mins': 60, 'hour': 3600, 'hours': 3600}


def tokens(text: str) -> list[str]:
    """Lower-case tokens, keeping clock times ("00:16:56") and numbers ("1,200") whole."""
    text = text.lower().replace('’', "'").replace('-', ' ')
    return _TOKEN.findall(text)


def numbers(text: str) -> list[tuple[float, int, int]]:
    """(value, first token, end token) of each number in `text`: digits or number words,
    compounds included ("twenty one" = 21, "two hundred" = 200, "a dozen" = 12, "no one" = 0)."""
    toks = tokens(text)
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if re.fullmatch(r'\d+(?:,\d{3})*(?:\.\d+)?', t):
            out.append((float(t.replace(',', '')), i, i + 1))
            i += 1
            continue
        if t == 'dozen' or (t in ('a', 'one') and i + 1 < len(toks) and toks[i + 1] == 'dozen'):
            j = i + 1 if t == 'dozen' else i + 2
            out.append((12.0, i, j))
            i = j
            continue
        if t == 'one' and i > 0 and toks[i - 1] == 'no':  # "no one"
            out.append((0.0, i - 1, i + 1))
            i += 1
            continue
        if t in UNITS or t in TENS or (t == 'a' and i + 1 < len(toks) and toks[i + 1] in SCALES):
            total, current, j = 0, 0, i
            while j < len(toks):
                w = toks[j]
                if w in UNITS and (j == i or toks[j - 1] in TENS or toks[j - 1] in SCALES
                                   or toks[j - 1] == 'and'):
                    current += UNITS[w]
                elif w in TENS and (j == i or toks[j - 1] in SCALES or toks[j - 1] == 'and'):
                    current += TENS[w]
                elif w == 'a' and j == i:
                    current = 1
                elif w in SCALES and j > i:
                    total += max(current, 1) * SCALES[w]
                    current = 0
                elif w == 'and' and j > i and j + 1 < len(toks) and \
                        (toks[j + 1] in UNITS or toks[j + 1] in TENS) and toks[j - 1] in SCALES:
                    pass
                else:
                    break
                j += 1
            out.append((float(total + current), i, j))
            i = j
            continue
        i += 1
    return out


def counts(text: str, nouns: set[str] = frozenset()) -> list[float]:
    """The counts `text` states: its numbers that are not times ("20 seconds", "00:16:56"). When
    some of them count one of `nouns` ("9 people"), only those."""
    toks = tokens(text)
    found, of_noun = [], []
    for value, i, j in numbers(text):
        after = toks[j] if j < len(toks) else ''
        if after in TIME_UNITS or after == 'ago' or (after in ('a', 'an') and j + 1 < len(toks)
                                                     and toks[j + 1] in TIME_UNITS):
            continue
        if i > 0 and toks[i - 1] in ('at', 'room', 'number', 'no'):  # a clock, a name
            continue
        found.append(value)
        if {_stem(t) for t in toks[j:j + 3]} & {_stem(n) for n in nouns}:
            of_noun.append(value)
    return of_noun or found


def times(text: str, asked_at: float, clock0: Optional[float]) -> list[tuple[float, float]]:
    """(earliest, latest) bag times that each time the answer states can mean: "just now",
    "about 40 seconds ago", "3 minutes ago", or a clock time "00:16:56" (UTC, the ROS clock;
    `clock0` is the clock at bag time 0)."""
    toks = tokens(text)
    spans = []
    joined = ' '.join(toks)
    if re.search(r'\b(just now|right now|a moment ago|moments ago)\b', joined):
        spans.append((asked_at - 15.0, asked_at))
    nums = {i: (v, j) for v, i, j in numbers(text)}
    for i, t in enumerate(toks):
        if t in TIME_UNITS and i + 1 < len(toks) and toks[i + 1] == 'ago':
            back = next(((v, k) for k, (v, j) in nums.items() if j == i), None)
            amount = back[0] if back else (1.0 if i > 0 and toks[i - 1] in ('a', 'an') else None)
            if amount is None:
                continue
            ago = amount * TIME_UNITS[t]
            slack = max(10.0, 0.5 * TIME_UNITS[t] + 5.0, 0.2 * ago)  # "about": rounded
            spans.append((asked_at - ago - slack, asked_at - ago + slack))
        m = re.fullmatch(r'(\d{1,2}):(\d{2})(?::(\d{2}))?', t)
        if m and clock0 is not None:
            of_day = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
            at = of_day - clock0 % 86400
            at = (at + 43200) % 86400 - 43200       # the nearest day
            slack = 2.0 if m.group(3) else 60.0
            spans.append((at - slack, at + slack))
    return spans
