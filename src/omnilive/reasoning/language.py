"""Reading questions: content words, the labels they name, time phrases, question types."""
from __future__ import annotations

import re
from typing import Optional

from omnilive.memory.store import STOPWORDS

# words that name a COCO / AudioSet label in a different form
SYNONYMS = {'people': 'person', 'persons': 'person', 'man': 'person', 'men': 'person',
            'woman': 'person', 'women': 'person', 'pedestrians': 'person', 'pedestrian': 'person',
            'someone': 'person', 'anyone': 'person', 'kids': 'person', 'children': 'person',
            'child': 'person', 'cars': 'car', 'vehicle': 'car', 'vehicles': 'car', 'bike': 'bicycle',
            'bikes': 'bicycle', 'cyclist': 'bicycle', 'phone': 'telephone', 'mug': 'cup',
            'mugs': 'cup', 'sofa': 'couch', 'television': 'tv', 'motorbike': 'motorcycle',
            'ring': 'telephone', 'rang': 'telephone', 'ringing': 'telephone'}
GENERIC = set('''thing things anything something everything around room place scene happen happened
going describe saw see seen look looking now just recently today earlier notice noticed remember
robot front camera view visible moment currently right there here where when what said say tell
heard hear listen sound sounds noise read text sign written write wrote'''.split())
CJK = re.compile(r'[\u4e00-\u9fff]')


def singular(word: str) -> str:
    if word in SYNONYMS:
        return SYNONYMS[word]
    for suffix, repl in (('ies', 'y'), ('ches', 'ch'), ('shes', 'sh'), ('ses', 's'), ('s', '')):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and not word.endswith('ss'):
            return word[: -len(suffix)] + repl
    return word


def content_words(question: str) -> list[str]:
    words = re.findall(r"[a-z0-9']+", question.lower())
    return [singular(w) for w in words if w not in STOPWORDS and w not in GENERIC and len(w) > 1]


def language_of(text: str) -> str:
    return 'zh' if CJK.search(text) else 'en'


def asks_count(question: str) -> Optional[str]:
    """'how many cars ...' -> 'car' (the noun after 'how many')."""
    m = re.search(r'how many ([a-z ]+?)(?: did| were| are| was| have| had| do| in| at| on|\?|$)',
                  question.lower())
    if not m:
        return None
    words = m.group(1).split()
    return singular(' '.join(words[-2:])) if len(words) >= 2 else singular(words[0]) if words else None


def asks_when(question: str) -> bool:
    return bool(re.match(r'\s*(when|what time|at what time|how long ago)\b', question.lower()))


def asks_read(question: str) -> bool:
    return bool(re.search(r'\b(read|sign|written|text|say on|label)\b', question.lower()))


def asks_heard(question: str) -> bool:
    return bool(re.search(r'\b(hear|heard|sound|noise|ring|rang|ringing|listen)\b', question.lower()))


def asks_said(question: str) -> bool:
    return bool(re.search(r'\b(said|say|says|told|talk|talking|mention)\b', question.lower())) \
        and not asks_read(question)


def is_follow_up(question: str) -> bool:
    q = question.lower().strip()
    return bool(re.match(r'(and|also|what about|how about|then)\b', q)) or \
        bool(re.search(r'\b(it|that|those|them|they|there|this)\b', q)) and len(q.split()) <= 8


def remember_request(question: str) -> Optional[str]:
    m = re.match(r"\s*(?:please\s+)?(?:remember|note|make a note)(?: that|:)?\s+(.+)", question,
                 re.IGNORECASE)
    return m.group(1).strip().rstrip('.') if m else None


def forget_request(question: str) -> bool:
    return bool(re.search(r'\b(forget|delete|erase|wipe|clear)\b.*\b(memory|everything|all|that|'
                          r'what|this)\b', question.lower()))


def injection(question: str) -> bool:
    return bool(re.search(r'\b(ignore|disregard|override)\b.*\b(memory|instructions|rules|'
                          r'evidence|previous|system)\b', question.lower()))
