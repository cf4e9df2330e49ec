"""Scoring an evaluation: the questions file, answer matching, the answer cap, the two trivial
baselines and the summary figures. Plain Python (no ROS), so it is tested on its own.

Matching is on words, case-insensitive, tolerant of punctuation and of number words ("two" = "2").
An expectation is `any` (one of these phrases), `all` (every phrase), `none` (no phrase may
appear), or `choices` + `answer` (a letter: the answer must name that choice and no other), with
optionally `count` (a number or [low, high]: the count the answer states, checked as a number),
`when` (bag seconds or [low, high]: the time the answer states, "about 40 seconds ago" or a
clock time, checked as a time) and `unknown: true` (the answer must say plainly that it is not
known). Every answer fails that hedges (expresses doubt) or only echoes its question.
"""
from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

import yaml

from omnilive.eval.checks import counts, doubt, echoes, not_known, singular, times
from omnilive.memory.describe import plural
from omnilive.memory.types import OBJECT, Label

NUMBER_WORDS = {'zero': '0', 'one': '1', 'two': '2', 'three': '3', 'four': '4',
                'five': '5', 'six': '6', 'seven': '7', 'eight': '8', 'nine': '9', 'ten': '10',
                'eleven': '11', 'twelve': '12', 'thirteen': '13', 'fourteen': '14',
                'fifteen': '15', 'sixteen': '16', 'seventeen': '17', 'eighteen': '18',
                'nineteen': '19', 'twenty': '20', 'thirty': '30', 'forty': '40', 'fifty': '50'}
ASK_KINDS = ('text', 'audio')
NOT_SEEN_ANSWER = 'I have not seen that.'
# answered_by of a model answer replaced by the grounding check (omnilive.reasoning.answerer)
REPLACED = 'model-replaced'
EXPECT_KEYS = {'any', 'all', 'none', 'choices', 'answer', 'count', 'when', 'unknown'}


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


DURATION_UNITS = {'second', 'minute', 'hour', 'day', 'week', 'sec', 'min'}

def words(text: str) -> list[str]:
    """Lower-case word tokens with number words as digits: "Two people." -> ['2', 'people']."""
    tokens = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace('’', "'"))
    return [NUMBER_WORDS.get(t) or t for t in tokens]


def contains(answer_words: list[str], phrase: str, plural_as_written: bool = False) -> bool:
    """True when the words of `phrase` appear contiguously in the answer, a noun's singular and
    plural alike ("3 oranges" contains "orange"). `plural_as_written`: a plural in `phrase` needs
    a plural in the answer (a forbidden "pizzas" is a claim of several, not "no pizza")."""
    given = words(phrase)
    target = [singular(w) for w in given]
    if not target:
        return False
    found = [singular(w) for w in answer_words]
    n = len(target)
    for i in range(len(found) - n + 1):
        if found[i:i + n] != target:
            continue
        if target[-1].isdigit() and i + n < len(found) and found[i + n] in DURATION_UNITS:
            continue  # the 8 of "about 8 minutes ago" is no "8 o'clock" nor a count of 8
        if not plural_as_written or all(g == t or a != f for g, t, a, f in zip(
                given, target, answer_words[i:i + n], found[i:i + n])):
            return True
    return False


@dataclasses.dataclass
class Verdict:
    passed: bool
    reason: str


def judge(answer: str, expect: dict, max_words: int, question: str = '',
          asked_at: Optional[float] = None, clock0: Optional[float] = None) -> Verdict:
    """Score one answer against its expectation; answers longer than `max_words` fail, and so do
    hedges and answers that only echo `question`. `asked_at` (bag seconds) and `clock0` (the ROS
    clock at bag time 0) place the times an answer states, for a `when` expectation."""
    found = words(answer)
    if not found:
        return Verdict(False, 'no answer')
    if len(found) > max_words:
        return Verdict(False, f'longer than the {max_words}-word cap ({len(found)} words)')
    hits = [p for p in expect.get('none', []) if contains(found, p, plural_as_written=True)]
    if hits:
        return Verdict(False, f'says {hits[0]!r}')
    hedge = doubt(answer, tuple(expect.get('any', []) + expect.get('all', [])))
    if hedge:
        return Verdict(False, f'hedges ({hedge!r})')
    if question and echoes(found, words(question)):
        return Verdict(False, 'only echoes the question')
    if expect.get('unknown') and not not_known(answer):
        return Verdict(False, 'does not say plainly that it is not known')
    if 'choices' in expect:
        choices = [str(c) for c in expect['choices']]
        right = ord(str(expect['answer']).strip().upper()) - 65
        named = [i for i, c in enumerate(choices) if contains(found, c)]
        letter = re.fullmatch(r'\W*\(?([a-z])\)?\W*', answer.strip().lower())
        if letter:
            named = [ord(letter.group(1).upper()) - 65]
        if named != [right]:
            return Verdict(False, f'chose {[choices[i] for i in named if i < len(choices)]}')
    missing = [p for p in expect.get('all', []) if not contains(found, p)]
    if missing:
        return Verdict(False, f'missing {missing[0]!r}')
    any_of = expect.get('any', [])
    if any_of and not any(contains(found, p) for p in any_of):
        return Verdict(False, f'none of {any_of}')
    if 'count' in expect:
        verdict = _count(answer, found, expect)
        if verdict:
            return verdict
    if 'when' in expect:
        if asked_at is None:
            raise ValueError('a `when` expectation needs the time the question was asked')
        lo, hi = expect['when']
        spans = times(answer, asked_at, clock0)
        if not spans:
            return Verdict(False, 'states no time')
        wrong = [s for s in spans if s[1] < lo or s[0] > hi]
        if wrong:
            return Verdict(False, f'states a time around bag {sum(wrong[0]) / 2:.0f} s, '
                                  f'not {lo:g}-{hi:g} s')
    if 'choices' in expect:
        return Verdict(True, f'chose {expect["choices"][right]!r}')
    return Verdict(True, 'ok')


def _count(answer: str, found: list[str], expect: dict) -> Optional[Verdict]:
    """None when the count the answer states is in range, else the failing verdict. No number
    stated passes only a range holding 1 ("a cup", the `any` phrases say which) or 0 ("none")."""
    lo, hi = expect['count']
    nouns = {w for p in expect.get('any', []) + expect.get('all', []) for w in words(p)
             if not w.isdigit()}
    stated = counts(answer, nouns)
    if not stated:
        if lo <= 1 <= hi and {'a', 'an', 'single', 'once'} & set(found):
            return None
        if lo <= 0 and {'not', 'no', 'none', 'never', "haven't", "didn't"} & set(found):
            return None
        return Verdict(False, 'states no count')
    wrong = [n for n in stated if not lo <= n <= hi]
    if wrong:
        return Verdict(False, f'counts {wrong[0]:g}, not {lo:g}-{hi:g}')
    return None


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
        if not isinstance(expect, dict) or not set(expect) <= EXPECT_KEYS:
            raise QuestionsError(f'{where}: `expect` takes any/all/none lists or choices+answer, '
                                 'and count, when, unknown')
        for key in ('count', 'when'):
            if key in expect:
                expect[key] = _range(expect[key], f'{where}: expect.{key}')
        if 'unknown' in expect and not isinstance(expect['unknown'], bool):
            raise QuestionsError(f'{where}: expect.unknown must be true or false')
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
        elif not (expect.get('any') or expect.get('all') or expect.get('unknown')
                  or 'count' in expect or 'when' in expect):
            raise QuestionsError(f'{where}: expect needs `any` or `all` (or choices + answer, '
                                 'count, when, unknown)')
        tags = entry.get('tags', [])
        if not isinstance(tags, list):
            raise QuestionsError(f'{where}: `tags` must be a list')
        questions.append(Question(qid, at, ask, str(entry['question']), expect,
                                  [str(t) for t in tags]))
    return sorted(questions, key=lambda q: q.at)


def similarity(a: str, b: str) -> float:
    """How alike two questions' words are, 0..1 (a misheard word or two still scores high)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def match_spoken(questions: list[Question], heard: list[tuple[str, str, float]],
                 window: tuple[float, float] = (-1.0, 30.0),
                 min_similarity: float = 0.5) -> dict[str, str]:
    """Spoken questions -> what perception heard, by text and time, not by order: `heard` holds
    (key, transcript, bag seconds) and each question takes the heard question within `window`
    of its time whose words are most like its own (at least `min_similarity`), each heard one
    used once. A question that was not heard gets nothing, however close the next one came."""
    pairs = []
    for q in questions:
        for key, text, t in heard:
            if q.at + window[0] <= t <= q.at + window[1]:
                sim = similarity(q.question, text)
                if sim >= min_similarity:
                    pairs.append((-sim, abs(t - q.at), q.id, key))
    matched, used = {}, set()
    for _, _, qid, key in sorted(pairs):
        if qid not in matched and key not in used:
            matched[qid] = key
            used.add(key)
    return matched


def _range(value, where: str) -> tuple[float, float]:
    """A number or [low, high] as (low, high)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), float(value)
    if isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value) \
            and value[0] <= value[1]:
        return float(value[0]), float(value[1])
    raise QuestionsError(f'{where} must be a number or [low, high], got {value!r}')


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

    # the model's answers, and those of them the grounding check replaced by an honest
    # evidence-based sentence (answered_by 'model-replaced')
    by_model = [r for r in scored if r['answered_by'] in ('model', REPLACED)]
    replaced = sum(r['answered_by'] == REPLACED for r in by_model)

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
        'replaced': {'n': replaced, 'model_answers': len(by_model),
                     'share': round(replaced / len(by_model), 3) if by_model else None},
        'by_source': {k: accuracy('passed', [r for r in scored if r['ask'] == k])
                      for k in ASK_KINDS if any(r['ask'] == k for r in scored)},
        'latency_first_sentence_s': {'p50': rnd(percentile(first, 50)),
                                     'p95': rnd(percentile(first, 95)), 'n': len(first)},
        'latency_answer_s': {'p50': rnd(percentile(full, 50)), 'p95': rnd(percentile(full, 95)),
                             'n': len(full)},
        'skipped': len(rows) - n,
    }
