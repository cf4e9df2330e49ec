"""Scoring an evaluation: the questions file, answer matching, the answer cap, the two trivial
baselines and the summary figures. Plain Python (no ROS), so it is tested on its own.

Matching is on words, case-insensitive, tolerant of punctuation and of number words ("two" = "2").
An expectation is `any` (one of these phrases), `all` (every phrase), `none` (no phrase may
appear), or `choices` + `answer` (a letter: the answer must name that choice and no other).
"""
from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

import yaml

from omnilive.memory.describe import plural
from omnilive.memory.types import OBJECT, Label

NUMBER_WORDS = {'zero': '0', 'one': '1', 'two': '2', 'three': '3', 'four': '4',
                'five': '5', 'six': '6', 'seven': '7', 'eight': '8', 'nine': '9', 'ten': '10',
                'eleven': '11', 'twelve': '12', 'thirteen': '13', 'fourteen': '14',
                'fifteen': '15', 'sixteen': '16', 'seventeen': '17', 'eighteen': '18',
                'nineteen': '19', 'twenty': '20', 'thirty': '30', 'forty': '40', 'fifty': '50'}
ASK_KINDS = ('text', 'audio')
NOT_SEEN_ANSWER = 'I have not seen that.'


class QuestionsError(ValueError):
    """A questions file that cannot be used; the message names the file and the entry."""


@dataclasses.dataclass
class Question:
    id: str
    at: float                 # seconds from the bag's first message
    ask: str                  # 'text' (sent as a goal at `at`) or 'audio' (spoken in the bag)
    question: str
    expect: dict
    tags: list = dataclasses.field(default_factory=list)

    def prompt(self) -> str:
        """What is sent as the goal: the question, with its choices for multiple choice."""
        choices = self.expect.get('choices')
        if not choices:
            return self.question
        listed = '; '.join(f'{chr(65 + i)}) {c}' for i, c in enumerate(choices))
        return f'{self.question} Choices: {listed}.'


def words(text: str) -> list[str]:
    """Lower-case word tokens with number words as digits: "Two people." -> ['2', 'people']."""
    tokens = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace('’', "'"))
    return [NUMBER_WORDS.get(t) or t for t in tokens]


def contains(answer_words: list[str], phrase: str) -> bool:
    """True when the words of `phrase` appear contiguously in the answer."""
    target = words(phrase)
    if not target:
        return False
    n = len(target)
    return any(answer_words[i:i + n] == target for i in range(len(answer_words) - n + 1))


@dataclasses.dataclass
class Verdict:
    passed: bool
    reason: str


def judge(answer: str, expect: dict, max_words: int) -> Verdict:
    """Score one answer against its expectation; answers longer than `max_words` fail."""
    found = words(answer)
    if not found:
        return Verdict(False, 'no answer')
    if len(found) > max_words:
        return Verdict(False, f'longer than the {max_words}-word cap ({len(found)} words)')
    hits = [p for p in expect.get('none', []) if contains(found, p)]
    if hits:
        return Verdict(False, f'says {hits[0]!r}')
    if 'choices' in expect:
        choices = [str(c) for c in expect['choices']]
        right = ord(str(expect['answer']).strip().upper()) - 65
        named = [i for i, c in enumerate(choices) if contains(found, c)]
        letter = re.fullmatch(r'\W*\(?([a-z])\)?\W*', answer.strip().lower())
        if letter:
            named = [ord(letter.group(1).upper()) - 65]
        if named == [right]:
            return Verdict(True, f'chose {choices[right]!r}')
        return Verdict(False, f'chose {[choices[i] for i in named if i < len(choices)]}')
    missing = [p for p in expect.get('all', []) if not contains(found, p)]
    if missing:
        return Verdict(False, f'missing {missing[0]!r}')
    any_of = expect.get('any', [])
    if any_of and not any(contains(found, p) for p in any_of):
        return Verdict(False, f'none of {any_of}')
    return Verdict(True, 'ok')


def load_questions(path: str | Path) -> list[Question]:
    """Read and check a questions file; every problem is a QuestionsError naming the entry."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as err:
        raise QuestionsError(f'cannot read questions file {path}: {err}') from err
    if not isinstance(data, dict) or not isinstance(data.get('questions'), list) \
            or not data['questions']:
        raise QuestionsError(f'{path}: expected a mapping with a non-empty `questions` list')
    questions, seen = [], set()
    for n, entry in enumerate(data['questions']):
        where = f'{path}: question #{n + 1}'
        if not isinstance(entry, dict):
            raise QuestionsError(f'{where}: expected a mapping, got {entry!r}')
        qid = str(entry.get('id') or f'q{n + 1}')
        where = f'{path}: question {qid!r}'
        if qid in seen:
            raise QuestionsError(f'{where}: duplicate id')
        seen.add(qid)
        for key in ('at', 'question', 'expect'):
            if key not in entry:
                raise QuestionsError(f'{where}: missing `{key}`')
        try:
            at = float(entry['at'])
        except (TypeError, ValueError):
            raise QuestionsError(f'{where}: `at` must be seconds, got {entry["at"]!r}') from None
        if at < 0 or math.isnan(at):
            raise QuestionsError(f'{where}: `at` must be >= 0')
        ask = entry.get('ask', 'text')
        if ask not in ASK_KINDS:
            raise QuestionsError(f'{where}: `ask` must be one of {ASK_KINDS}, got {ask!r}')
        expect = entry['expect']
        if not isinstance(expect, dict) or not set(expect) <= {'any', 'all', 'none', 'choices',
                                                               'answer'}:
            raise QuestionsError(f'{where}: `expect` takes any/all/none lists or choices+answer')
        for key in ('any', 'all', 'none', 'choices'):
            if key not in expect:
                continue
            if not isinstance(expect[key], list) or \
                    not all(isinstance(p, (str, int, float)) for p in expect[key]):
                raise QuestionsError(f'{where}: expect.{key} must be a list of phrases')
            if any(isinstance(p, bool) for p in expect[key]):
                raise QuestionsError(f"{where}: expect.{key} has a bare yes/no, which YAML reads "
                                     "as true/false: quote it ('yes')")
            expect[key] = [str(p) for p in expect[key]]
        if ('choices' in expect) != ('answer' in expect):
            raise QuestionsError(f'{where}: multiple choice needs both `choices` and `answer`')
        if 'choices' in expect:
            letter = str(expect['answer']).strip().upper()
            if len(letter) != 1 or not 0 <= ord(letter) - 65 < len(expect['choices']):
                raise QuestionsError(f'{where}: answer {expect["answer"]!r} is not a letter of '
                                     f'its {len(expect["choices"])} choices')
        elif not (expect.get('any') or expect.get('all')):
            raise QuestionsError(f'{where}: expect needs `any` or `all` (or choices + answer)')
        tags = entry.get('tags', [])
        if not isinstance(tags, list):
            raise QuestionsError(f'{where}: `tags` must be a list')
        questions.append(Question(qid, at, ask, str(entry['question']), expect,
                                  [str(t) for t in tags]))
    return sorted(questions, key=lambda q: q.at)


def evidence_dump(evidence: list[dict]) -> str:
    """The 'labels' baseline: the retrieved evidence's label names, objects seen more than once
    with their count ("3 people"), or its text when it has none (notes, speech), dumped as the
    answer. Each evidence label is a Label's JSON object ({"kind", "name", "count"})."""
    parts = []
    for item in evidence:
        labels = [Label.from_dict(d) for d in item.get('labels', [])]
        if labels:
            parts += [plural(lab.name, lab.count) if lab.kind == OBJECT and lab.count > 1
                      else lab.name for lab in labels]
        elif item.get('text'):
            parts.append(item['text'])
    return ', '.join(dict.fromkeys(parts))


def percentile(values: list[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(rows: list[dict]) -> dict:
    """Accuracy overall and per tag for the system and both baselines, answer paths, latency."""
    scored = [r for r in rows if not r.get('skipped')]
    n = len(scored)

    def accuracy(key: str, subset=None) -> Optional[float]:
        subset = scored if subset is None else subset
        return round(sum(r[key] for r in subset) / len(subset), 3) if subset else None

    per_tag = defaultdict(list)
    for r in scored:
        for tag in r['tags'] or ['untagged']:
            per_tag[tag].append(r)
    first = [r['latency_first_sentence_s'] for r in scored if r.get('latency_first_sentence_s')
             is not None]
    full = [r['latency_answer_s'] for r in scored if r.get('latency_answer_s') is not None]

    def rnd(v):
        return None if v is None else round(v, 3)

    return {
        'n': n,
        'accuracy': accuracy('passed'),
        'baselines': {'not_seen': accuracy('baseline_not_seen'),
                      'evidence_labels': accuracy('baseline_labels')},
        'per_tag': {tag: {'n': len(rs), 'accuracy': accuracy('passed', rs),
                          'not_seen': accuracy('baseline_not_seen', rs),
                          'evidence_labels': accuracy('baseline_labels', rs)}
                    for tag, rs in sorted(per_tag.items())},
        'answered_by': dict(Counter(r['answered_by'] or 'none' for r in scored)),
        'by_source': {k: accuracy('passed', [r for r in scored if r['ask'] == k])
                      for k in ASK_KINDS if any(r['ask'] == k for r in scored)},
        'latency_first_sentence_s': {'p50': rnd(percentile(first, 50)),
                                     'p95': rnd(percentile(first, 95)), 'n': len(first)},
        'latency_answer_s': {'p50': rnd(percentile(full, 50)), 'p95': rnd(percentile(full, 95)),
                             'n': len(full)},
        'skipped': len(rows) - n,
    }
