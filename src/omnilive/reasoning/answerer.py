"""Grounded question answering over the robot's memory.

For each question: read it (type, named labels, time window), retrieve evidence, decide whether
memory holds anything relevant, answer directly when the evidence makes the answer certain (a
count, a time, a note) or generate with the configured model from a tight prompt, stream the text
and every completed sentence, and return the answer with its evidence and timings.
Memory is only ever changed through the injected `remember` callable, for "remember that ...".
"""
from __future__ import annotations

import dataclasses
import logging
import math
import re
import time
from collections import deque
from typing import Callable, Optional

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, MemoryItem
from omnilive.reasoning import direct, events, grounding, speech
from omnilive.reasoning import language as lang
from omnilive.reasoning import questions
from omnilive.reasoning.sentences import SentenceSplitter
from omnilive.reasoning.timephrases import asks_now, clock, relative, window, without_now

log = logging.getLogger(__name__)

# what the robot knows of itself: the time now, and since when it remembers
_TIME_NOW = re.compile(r"\s*(?:what(?:'s| is) the time|what time is it)(?: now)?\s*[?.!]*$",
                       re.IGNORECASE)
_SINCE = re.compile(r'\s*(?:how long have you been (?:watching|recording|listening|remembering|'
                    r'running|on)|since when have you been \w+|when did you (?:start|begin)'
                    r'(?: (?:watching|recording|listening|remembering))?|how far back do you '
                    r'remember)\s*[?.!]*$', re.IGNORECASE)

# answered_by of a model answer the grounding check replaced (AnswerResult.replaced says why)
REPLACED = 'model-replaced'

# The stable part of every prompt: instructions and worked examples, identical for every question
# and first in the prompt, so llama.cpp evaluates it once and reuses it (its KV cache keeps the
# longest common token prefix of the previous prompt); the per-question part (records, history,
# question) comes last. The examples teach the honest forms: an attribute contradicted or not
# noticed, a negative, a copied count, a note, a timeline's tags.
SYSTEM_PROMPT = (
    "You are a robot answering questions about what you saw and heard. Answer in one or two "
    "short sentences, in the first person, using ONLY the memory records given (each says when "
    "and what; details in brackets are what you noticed). Copy counts, text and times exactly "
    "from the records. A note the user asked you to remember answers questions about it. Every "
    "part of the question must match the records: if the thing was seen but a detail differs, "
    "say what you saw instead; a colour or place in brackets after a thing is what you noticed of "
    "it: say it; if a detail is not in the records, say you did not notice it. If "
    "no record answers the question, say you have not seen or heard that. Never repeat the "
    "question, never guess, never invent objects, people, sounds or text. When a record says "
    "when it was (\"right after I heard ...\", \"the first thing I saw\"), answer with the "
    "record that fits the question.\n\n"
    "Examples:\n"
    "Records:\n- about 2 minutes ago (10:01:05-10:01:20): I saw 2 cars (grey, on the left; a "
    "kind of vehicle), 1 person\n"
    "Question: Did you see a red car?\n"
    "Answer: I saw two cars, but they were grey, not red.\n\n"
    "Records:\n- 10:04:00-10:04:30, when I heard a horn: I saw 1 bus\n"
    "- 10:04:30-10:05:00, right after I heard a horn: I saw 2 bicycles\n"
    "Question: What did you see right after the horn?\n"
    "Answer: Right after I heard the horn, I saw two bicycles.\n\n"
    "Records:\n- about 1 minute ago (10:02:10-10:02:12): I heard dog barking\n"
    "Question: Did you hear a doorbell?\n"
    "Answer: No, I did not hear a doorbell; I heard a dog barking.\n\n"
    "Records:\n- 30 seconds ago (10:03:00-10:03:30): I saw 1 cup (on the right), 1 bottle "
    "(green, on the left)\n"
    "Question: What colour was the bottle?\n"
    "Answer: The bottle was green.\n\n"
    "Question: What colour was the cup?\n"
    "Answer: I saw a cup on the right, but I did not notice its colour.\n\n"
    "Records:\n- about 3 minutes ago (09:59:00-09:59:06): I heard a conversation: \"Is the van "
    "coming on Monday?\", then \"Yes, with four boxes at nine.\"\n"
    "Question: How many boxes is the van bringing?\n"
    "Answer: I heard it was 4 boxes: the reply was \"Yes, with four boxes at nine.\"\n\n"
    "Records:\n- about 5 minutes ago (09:58:40-09:58:40): the user asked me to remember that "
    "the keys are in the drawer\n"
    "Question: Where are my keys?\n"
    "Answer: You told me that the keys are in the drawer.")


@dataclasses.dataclass
class Turn:
    question: str
    answer: str
    focus: Optional[str]
    evidence: list[MemoryItem]


@dataclasses.dataclass
class AnswerResult:
    answer: str
    # 'model', 'direct', or 'model-replaced': the model answered and the grounding check
    # replaced its answer by an honest evidence-based sentence (`replaced` says why)
    answered_by: str
    evidence: list[MemoryItem]
    retrieval_ms: float = 0.0
    first_token_ms: float = 0.0
    first_sentence_ms: float = 0.0
    total_ms: float = 0.0
    cancelled: bool = False
    replaced: str = ''               # why the model's answer was replaced: 'echo', 'empty', ...


@dataclasses.dataclass
class Plan:
    """What answering a question needs before any text is written: its evidence and either a
    certain (direct) answer or the model's prompt. Made ahead by `Answerer.prepare()` from a
    speculative transcript, it is used by `answer()` for the same question and history."""

    question: str
    now: float
    previous: Optional[Turn]         # the history's last turn when planned (follow-up referent)
    follow_up: Optional[Turn]
    focus: Optional[str]
    evidence: list[MemoryItem]
    retrieval_ms: float
    certain: Optional[str] = None
    messages: Optional[list[dict]] = None   # the model's prompt (None: no model needed)
    prefill_tokens: int = 0                 # prompt tokens prepare() evaluated, and how long
    prefill_ms: float = 0.0
    resolved: str = ''   # the question with what a follow-up left to the turn before


@dataclasses.dataclass
class AnswerConfig:
    top_k: int = 6
    direct_answers: bool = True
    max_tokens: int = 80
    max_sentences: int = 2
    first_clause_words: int = 0      # > 0: the first clause this long is said on its own
    temperature: float = 0.0
    seed: int = 0
    history_turns: int = 3
    min_score: float = 0.45          # a result sharing no word with the question needs this score
    max_question_chars: int = 1000   # longer questions are refused (a spoken one is ~400 at most)
    # the standing records open questions are answered from (0: none): see Answerer.standing()
    standing_window_s: float = 0.0
    standing_max_chars: int = 1600
    standing_growing_s: float = 30.0


def _noticed(label) -> str:
    """' (grey, on the left, far; a car, a vehicle)': what perception noticed of an object
    label, compactly, for the model's prompt; '' when nothing (older items)."""
    parts = []
    colours = questions.colours_of(label) if not questions.attribute(label, 'clothing') else ()
    if colours:
        parts.append('/'.join(colours))
    for outfit in questions.attribute(label, 'clothing') or ():
        worn = [f'{c} {"top" if k == "upper" else "bottom"}' for k, c in outfit.items() if c]
        if worn:
            parts.append('wearing ' + ' and '.join(worn))
    position = questions.attribute(label, 'position')
    if position:
        parts.append(direct.position_phrase(position))
    distance = questions.attribute(label, 'distance')
    if distance:
        parts.append('near' if distance == 'near' else 'far away')
    kinds = [c for c in questions.attribute(label, 'categories') or () if c != label.name]
    text = ', '.join(parts)
    if kinds:
        text += ('; ' if text else '') + 'a kind of ' + ', '.join(kinds)
    return f' ({text})' if text else ''


def _kind_of(label) -> str:
    """' (a kind of fruit)': the nearest category of an object label, '' when none."""
    kinds = [c for c in questions.attribute(label, 'categories') or () if c != label.name]
    return f' (a kind of {kinds[0]})' if kinds else ''


# a follow-up that is only a thing: "what about a monkey?", "and the squirrel?", "also cats?"
_ELLIPSIS = re.compile(r'\s*(?:and\s+)?(?:also|what about|how about|and)\s+'
                       r'((?:(?:a|an|the|any|some)\s+)?[a-z][a-z -]*?)\s*[?.!]*$', re.IGNORECASE)


_THEN = re.compile(r'\s+(?:then|at that (?:time|moment))(\s*[?.!]*)$', re.IGNORECASE)


def resolved(question: str, follow_up: Optional[Turn]) -> str:
    """A follow-up with what it leaves to the turn before: "how many were there?" after "did
    you see a car?" asks how many cars; "what was she doing?" what the person was doing (the
    previous question's referent, never its premise: not "the person in pink")."""
    if follow_up is None:
        return question
    # "what about a monkey?", "and the squirrel?" after "did you see a dog?": the previous
    # question asked of the new thing ("did you see a monkey?")
    other = _ELLIPSIS.match(question)
    thing = questions._thing(other.group(1)) if other else None
    before = questions.referent(follow_up.question)
    if thing is not None and thing.words and before and lang.keys(other.group(1)):
        said = re.compile(rf'\b(?:(?:a|an|the|any|some)\s+)?{re.escape(before)}(?:e?s)?\b',
                          re.IGNORECASE)
        if said.search(follow_up.question):
            return said.sub(other.group(1), follow_up.question, count=1)
    if before:
        verb, did = ('hear', 'heard') if lang.asks_heard(follow_up.question) else ('see', 'saw')
        # "when?", "where?", "what colour?" alone: asked of the previous question's thing
        # ("how many?" below)
        bare = lang.BARE_QUESTION.match(question)
        word = bare.group(1).lower() if bare else ''
        if word == 'when':
            return f'When did you {verb} the {before}?'
        if word and word != 'how many':
            return f'{word.capitalize()} was the {before}?'
        # "what did you see then?": when the previous question's thing was seen or heard
        question = _THEN.sub(rf' when you {did} the {before}\1', question, count=1)
    if follow_up.focus and re.search(r'\bhow many\b', question, re.IGNORECASE) and \
            lang.asks_count(question) is None:
        things = lang.plural(follow_up.focus, 2).split(' ', 1)[-1]
        question = re.sub(r'\b(how many)\b', rf'\1 {things}', question, count=1,
                          flags=re.IGNORECASE)
    if re.search(r'\b(?:he|she)\b', question, re.IGNORECASE):
        who = questions.referent(follow_up.question) or 'person'
        question = re.sub(r'\b(?:he|she)\b', f'the {who}', question, count=1, flags=re.IGNORECASE)
    return question


def _listing(item: MemoryItem, heard: bool = True, noticed: bool = True) -> str:
    """Objects with explicit counts ('2 cups, 1 bottle'), each with what was `noticed` of it,
    then text read and (with `heard`) sounds and speech: small models copy explicit numbers
    more reliably than articles."""
    objects, texts, sounds, said = describe.split_labels(item.labels)
    full = noticed
    noticed = {}
    for label in item.labels_of(OBJECT):
        noticed[label.name] = noticed.get(label.name) or (_noticed(label) if full else
                                                          _kind_of(label))
    # a label with no count (a scene classifier's) was seen once: '1 butterfly', never
    # '1 butterflys'
    parts = [f'{max(c, 1)} {lang.plural(name, 2).split(" ", 1)[1] if c > 1 else name}'
             f'{noticed.get(name, "")}'
             for name, c in sorted(objects.items(), key=lambda kv: -kv[1])]
    if texts:
        parts.append('a sign reading ' + ', '.join(f'"{t}"' for t in texts))
    if sounds and heard:
        parts.append('and heard ' + ', '.join(s.lower() for s in sounds))
    if said and heard:
        parts.append('and heard someone say ' + ' / '.join(f'"{t}"' for t in said))
    if not full and len(parts) > 1 and not parts[-1].startswith('and '):
        return ', '.join(parts[:-1]) + ' and ' + parts[-1]  # names only: one list
    return ', '.join(parts) if parts else item.text


def _where(item: MemoryItem) -> str:
    return f' at x={item.pose[0]:.1f} m, y={item.pose[1]:.1f} m' if item.pose else ''


# A question's own records carry clock times and the robot's position only when it asks about
# time or place: each digit is a token of its own, ~35 of a ~100-token record line, and these
# tokens are evaluated after the question is heard (the relative time, 'about 5 minutes ago',
# stays on every line)
ASKS_TIME = re.compile(r"\b(when|time|times|ago|before|after|first|last|earlier|later|then|"
                       r"o'?clock|am|pm|morning|afternoon|evening|seconds?|minutes?|hours?|"
                       r"long|while|during|since|until|\d+:\d+)\b", re.I)
ASKS_PLACE = re.compile(r'\b(where|location|located|position|place|coordinates?|far|near|'
                        r'distance|side)\b', re.I)


def _details(question: str, now: float) -> tuple[bool, bool]:
    """(clock times, position): what a question's own records should carry. A time named
    ("right now", "in the last 10 minutes") is asked about time: without the clock times the
    1.5B model answered "how many people do you see right now?" with every record's people."""
    clocks = ASKS_TIME.search(question) or window(question, now, 0.0) is not None
    return bool(clocks), bool(ASKS_PLACE.search(question))


def _record(item: MemoryItem, kind: Optional[questions.Thing] = None, heard: bool = True) -> str:
    """What one record holds, in the model's words ('I saw 2 cups (red) ...', 'I heard a dog
    barking'); `kind`: only the objects of the kind asked; `heard`: with sounds and speech."""
    if item.kind == 'speech':
        return f'I heard someone say "{item.text}"'
    if item.kind == 'note':
        return f'the user asked me to remember that {item.text}'
    if item.kind == 'sound':
        return 'I heard ' + ', '.join(lang.plural(lab.name.lower(), 1)
                                      for lab in item.labels) if item.labels else item.text
    return 'I saw ' + _listing(_of_kind(item, kind) if kind else item, heard=heard)


# a record joins the standing records once it has not grown for this long (the open clip is
# upserted every few seconds: its line would change, and with it every token after it)
SETTLE_S = 5.0
STANDING_MAX_ITEMS = 100


def _standing_line(item: MemoryItem) -> str:
    # clock times only: a relative time would change the tokens as time passes
    return f'- {clock(item.start)}-{clock(item.end)}{_where(item)}: {_standing_record(item)}\n'


def _standing_record(item: MemoryItem) -> str:
    """`_record`, but a sound event by its best class alone: an open question asks what was
    heard, and the classes after it (YAMNet's 'Burst, pop', 'Ocean' beside an 'Explosion')
    are the same sound's other readings, which a model lists as sounds of their own."""
    if item.kind == 'sound' and item.labels:
        return 'I heard ' + direct.a_sound(item.labels[0].name)
    return _record(item)


# the records say 'I saw', yet without this the 1.5B model answered 14 of 24 open questions
# over the errands run's memory with 'You saw' / 'You heard'; with it none of 24 (the same
# words in every question's records changed one cross-modal answer of the errands set for the
# worse and 'You ...' answers only from 7 to 6 of 69: not kept there)
STANDING_HEAD = 'Records (what I saw and heard; answer as me, in the first person):\n'


def _records_head(standing: list[MemoryItem]) -> str:
    """The records of an open question's prompt: the standing records, in time order."""
    return STANDING_HEAD + ''.join(map(_standing_line, standing))


TIMELINE_NEAR = 2  # a timeline's records on the asked side of its anchor (or first / last)


@dataclasses.dataclass
class Timeline:
    """The records that answer a question anchored in time or order, in time order, each with
    its place ('the moment I heard a fire alarm', 'right after that moment', 'the earliest
    record'): what the model is shown instead of every record retrieved."""

    asks: str                                    # 'seen' | 'heard' | 'said'
    rows: list[tuple[MemoryItem, str]]           # (record, its place)
    anchor: Optional[MemoryItem] = None          # the anchor event's record (said in full)
    missing: list[str] = dataclasses.field(default_factory=list)  # asked, but in no record
    # the place said after what the record holds ("I saw 1 squirrel, after I saw a cat"): the
    # sentence an answer to "did you see X before or after Y?" is
    place_last: bool = False


def _timeline(question: str, items: list[MemoryItem]) -> Optional[Timeline]:
    """The timeline of a question anchored in time ("what did you see right after the cat?",
    "what sound did you hear while looking at the motorcycle?"), in order ("the first thing you
    saw", "did you see the squirrel before or after the cat?") or asking which of its choices
    came first or last; None for other questions (their records are listed by relevance)."""
    if not items:
        return None
    asked, choices = lang.split_choices(question)
    order = direct.order_asked(asked) if choices else None
    if order is not None:
        return _choices_timeline(asked, choices, order, items)
    anchored = events.parse(question)
    if anchored is None:
        return None
    asks = anchored.asks
    by_time = lambda rows: sorted(rows, key=lambda r: (r[0].start, r[0].end))  # noqa: E731
    if anchored.relation in ('first', 'last'):
        found = [i for i, _ in events.occurrences(anchored, items)] \
            if anchored.thing is not None else [i for i in items if events.holds(i, asks)]
        found.sort(key=lambda i: (i.start, i.end))
        if not found:
            return Timeline(asks, [], missing=[str(anchored.thing or 'anything')])
        verb = {'seen': 'saw', 'heard': 'heard', 'said': 'heard said'}[asks]
        first = anchored.relation == 'first'
        return Timeline(asks, [(found[0] if first else found[-1],
                                f'the {anchored.relation} thing I {verb}')])
    if anchored.relation == 'between':
        a, b = events.bounds(anchored, items)
        if a is None or b is None:
            return Timeline(asks, [], missing=[anchored.event if a is None else anchored.until])
        tag = f'after I {a.said}, before I {b.said}'
        rows = [(i, tag) for i in events.between(anchored, items, a, b)[:TIMELINE_NEAR]]
        return Timeline(asks, rows) if rows else \
            Timeline(asks, [], missing=[f'anything {tag}'])
    event = events.find(anchored, items)
    if event is None:
        return Timeline(asks, [], missing=[anchored.event])
    anchor = (event.item, f'when I {event.said}')
    if anchored.thing is not None:  # "did you see the squirrel before or after the cat?"
        seen = [(i, what) for i, what in events.occurrences(anchored, items)
                if i is not event.item or anchored.relation == 'during']
        seen.sort(key=lambda s: min(abs(s[0].end - event.start), abs(s[0].start - event.end)))
        if not seen:
            return Timeline(asks, [anchor], event.item, [lang.plural(str(anchored.thing), 1)])
        place = {'before': 'before', 'after': 'after', 'during': 'when'}
        # the tags name the anchor: its own record would be one more thing to answer with
        return Timeline(asks, by_time([(i, f'{place[events.relation_to(i, event)]} I '
                                           f'{event.said}') for i, _ in seen[:TIMELINE_NEAR]]),
                        place_last=True)
    others = sorted((i for i in items if i is not event.item and events.holds(i, asks)),
                    key=lambda i: (i.start, i.end))
    if anchored.relation == 'after':
        later = [i for i in others if events.relation_to(i, event) == 'after']
        rows = [(i, f'right after I {event.said}' if n == 0 else 'later')
                for n, i in enumerate(later[:TIMELINE_NEAR])]
    elif anchored.relation == 'before':
        earlier = [i for i in others if events.relation_to(i, event) == 'before']
        rows = [(i, f'right before I {event.said}' if n == 0 else 'earlier')
                for n, i in enumerate(reversed(earlier[-TIMELINE_NEAR:]))]
    else:
        # what overlaps the anchor itself (a scene that only touches it is another moment)
        # every record shown was at the anchor's moment: said plainly (the anchor's words, a
        # misheard quote, in front of each made the model answer with them)
        rows = [(i, 'at that moment') for i in others if _overlap(i, event.start, event.end)]
        if not rows and not events.holds(event.item, asks):
            since, until = events.window(anchored, event)
            rows = [(i, 'at that moment') for i in others if _overlap(i, since, until)]
        if not rows and not events.holds(event.item, asks):  # the nearest on either side
            earlier = [i for i in others if i.end <= event.start]
            later = [i for i in others if i.start >= event.end]
            rows = ([(earlier[-1], 'just before that moment')] if earlier else []) + \
                ([(later[0], 'just after that moment')] if later else [])
        if events.holds(event.item, asks):  # the scene the sound was heard in: an answer
            rows.append((event.item, 'at that moment'))
        if asks == 'heard':  # a scene's sounds that a sound record heard then says again
            rows = [r for r in rows if not any(o is not r[0] and _sounds(r[0]) < _sounds(o)
                                               for o, _ in rows)]
    if not rows:  # the anchor, and that nothing of what is asked is recorded around it
        return Timeline(asks, [anchor], event.item,
                        [f'anything {anchored.relation} I {event.said}'])
    # the tags name the anchor: its own record only when it holds what is asked
    return Timeline(asks, by_time(rows), event.item)


def _sees_only(question: str) -> bool:
    """The question asks only what was seen ("did you see any food?"): what was heard in the
    same scenes is no evidence of it (and a long sentence said there buries what was seen)."""
    return bool(re.search(r'\b(see|saw|seen|spot|spotted|look|looked|looking|watch|watched)\b',
                          question.lower())) and not lang.asks_heard(question) and \
        not lang.asks_said(question) and not lang.asks_read(question)


def _kind_asked(question: str) -> Optional[questions.Thing]:
    """The kind of thing a question about what was seen asks for ("what fruit did you see?",
    "did you see any vehicles?"), None for other questions."""
    if not _sees_only(question):
        return None
    parsed = questions.parse(question)
    target = parsed.target
    return target if target is not None and target.category and not parsed.relations else None


def _of_kind(item: MemoryItem, kind: questions.Thing) -> MemoryItem:
    """`item` with only the things of the kind asked ("what fruit?": the orange, not the balls
    seen with it), unchanged when it holds none."""
    labels = [lab for lab in item.labels if lab.kind == OBJECT and
              questions.match(kind, lab) is not None]
    return dataclasses.replace(item, labels=labels) if labels else item


def _sounds(item: MemoryItem) -> set[str]:
    return {lab.name.lower() for lab in item.labels if lab.kind == SOUND}


def _overlap(item: MemoryItem, start: float, end: float) -> bool:
    """The item's span overlaps [start, end] (holds it, for an instant)."""
    shared = min(item.end, end) - max(item.start, start)
    return shared > 0 or shared == 0 and start == end


def _choices_timeline(asked: str, choices: list[str], order: str,
                      items: list[MemoryItem]) -> Timeline:
    """"Which did you see first? A) ... B) ...": each choice's earliest (or latest) record,
    tagged with the choice, in time order; the choices no record holds are said missing."""
    first = order == 'first'
    tags: dict[str, list[str]] = {}
    chosen: dict[str, MemoryItem] = {}
    missing = []
    for n, choice in enumerate(choices):
        keys = lang.keys(choice)
        holding = [i for i in items if keys and
                   len(keys & direct.item_keys(i)) / len(keys) >= 0.5]
        if not holding:
            missing.append(choice)
            continue
        item = min(holding, key=lambda i: i.start) if first else max(holding,
                                                                     key=lambda i: i.end)
        chosen[item.id] = item
        tags.setdefault(item.id, []).append(f'choice {chr(65 + n)}) {choice}')
    rows = sorted(((chosen[k], ', '.join(v)) for k, v in tags.items()),
                  key=lambda r: (r[0].start, r[0].end))
    return Timeline('heard' if lang.asks_heard(asked) else 'seen', rows, missing=missing)


def _timeline_line(item: MemoryItem, asks: str, anchor: bool) -> str:
    """What a timeline's record says: only what the question asks for (what was seen, the
    sounds heard or the words said); the anchor's record in full when it holds none of that."""
    if anchor and events.holds(item, asks):  # the tag says what the anchor was
        anchor = False
    if item.kind == 'note':
        return f'the user asked me to remember that {item.text}'
    if item.kind == 'speech':
        return f'I heard someone say "{item.text}"'
    if item.kind == 'sound' or asks == 'heard' and not anchor:
        names = [lang.sound_name(lab.name) for lab in item.labels
                 if lab.kind == SOUND]
        return 'I heard ' + ', '.join(dict.fromkeys(names)) if names else item.text
    if asks == 'said' and not anchor:
        return 'I heard someone say ' + ' / '.join(f'"{t}"' for t in item.names(SPEECH))
    return 'I saw ' + _listing(item, heard=anchor, noticed=False)


def _exchanges(items: list[MemoryItem]) -> dict[str, Optional[list[MemoryItem]]]:
    """Speech items said in one exchange (each less than speech.EXCHANGE_GAP_S after the one
    before): the first one's id -> the others, and each other's id -> None."""
    out: dict[str, Optional[list[MemoryItem]]] = {}
    said = sorted((i for i in items if i.kind == 'speech'), key=lambda i: i.start)
    first, last_end = None, 0.0
    for item in said:
        if first is not None and item.start - last_end <= speech.EXCHANGE_GAP_S:
            out.setdefault(first.id, []).append(item)
            out[item.id] = None
            last_end = max(last_end, item.end)
        else:
            first, last_end = item, item.end
    return out


def without_asked(item: MemoryItem) -> Optional[MemoryItem]:
    """`item` without the questions people asked the robot: a speech item that was one is
    dropped, a clip or episode loses their speech labels."""
    if item.kind == 'speech':
        return None if direct.asked_of_robot(item.labels) else item
    if not direct.asked_of_robot(item.labels):
        return item
    return dataclasses.replace(item, labels=[lb for lb in item.labels
                                             if not direct.asked_of_robot([lb])])


class Answerer:
    def __init__(self, retrieve: Callable[..., list[MemoryItem]], generator=None,
                 remember: Optional[Callable[[str, float], str]] = None,
                 config: Optional[AnswerConfig] = None,
                 keyframes: Optional[Callable[[list[MemoryItem]], list]] = None,
                 start_of_memory: Callable[[], float] = lambda: 0.0):
        self._retrieve_all = retrieve
        self.generator = generator
        self.remember = remember
        self.config = config or AnswerConfig()
        self.keyframes = keyframes  # VLM backends also receive the retrieved keyframes
        self.start_of_memory = start_of_memory  # when memory begins ("at the start")
        self.history: deque[Turn] = deque(maxlen=max(1, self.config.history_turns))
        questions.start_wordnet()  # "the butterfly" finds a monarch once it is loaded
        self.model_answers = 0   # model answers finished (not cancelled)
        self.replacements: dict[str, int] = {}  # of those, replaced: why -> how many
        self._growing: dict[str, tuple[float, MemoryItem]] = {}  # standing(): id -> taken

    def retrieve(self, *args, **kwargs) -> list[MemoryItem]:
        """Memory's items as evidence: what people asked the robot (speech marked `to_robot`,
        the question being answered among them) is not evidence of what it asks about."""
        return [kept for kept in map(without_asked, self._retrieve_all(*args, **kwargs))
                if kept is not None]

    def replaced_share(self) -> float:
        """The share of the model's answers replaced by an honest evidence-based sentence."""
        return sum(self.replacements.values()) / self.model_answers if self.model_answers else 0.0

    # ------------------------------------------------------------------ evidence
    def _gather(self, question: str, now: float,
                follow_up: Optional[Turn]) -> list[MemoryItem]:
        anchored = events.parse(question)
        if anchored is not None:  # "what did you see when the phone rang?": by time
            return self._around(anchored, question, now)
        # a follow-up is looked up with the previous question's referent, not its premise
        query = question if not follow_up else \
            f'{questions.referent(follow_up.question) or follow_up.focus or ""} {question}'
        span = window(question, now, self.start_of_memory() if
                      re.search(r'\b(start|beginning|first)\b', question.lower()) else 0.0)
        since, until = span if span else (0.0, 0.0)
        # what began after the question was asked cannot be its evidence (perception may still
        # store it while the answer is retrieved: whether it is seen would be a race)
        latest = until if span else now
        kinds = []
        if direct.NOTES_LIST.search(question):  # "what did I ask you to remember?"
            kinds = ['note']
        elif lang.asks_heard(question) and not lang.asks_said(question):
            kinds = ['sound', 'clip', 'episode']
        # every note for "what / how many things did I ask you to remember?"
        k = self.config.top_k * (5 if kinds == ['note'] else 1)
        if direct.ASKED_OF_ROBOT.search(question):  # "what did I ask you?": the questions
            return [i for i in self._retrieve_all(query, k, since, until, ['speech'])
                    if i.start <= latest and direct.asked_of_robot(i.labels)][:k]
        if direct.talk_asked(question):  # "who was talking?": what was said last
            # "... first?": the earliest of more of them (the latest k come first)
            k *= 5 if re.search(r'\bfirst\b', question, re.IGNORECASE) else 1
            return [i for i in self.retrieve('', k, since, until, ['speech'])
                    if i.start <= latest and not direct.is_this_question(i, question)]
        if direct.sound_verb(question):
            # "what rang?": the sounds the words find, and the latest sound events heard
            found = self.retrieve(query, k, since, until, ['sound', 'clip', 'episode'])
            found += [i for i in self.retrieve('', 4 * self.config.top_k, since, until, ['sound'])
                      if i.id not in {f.id for f in found}]
            return [i for i in found if i.start <= latest]
        listed = direct.HEARD_LIST.match(question) or direct.SOUNDS_COUNTED.match(question) or \
            direct.AROUND_LOUD.match(question)
        if listed:  # "what sounds did you hear?": the latest sounds (and words), not the best
            kinds = ['sound', 'clip', 'episode'] + \
                ([] if listed.re is direct.AROUND_LOUD or listed.group(1) else ['speech'])
            return [i for i in self.retrieve('', 4 * self.config.top_k, since, until, kinds)
                    if i.start <= latest and not direct.is_this_question(i, question)]
        # "what did you see in the last 10 minutes?": no word to match, the views of that time;
        # "what happened in the first minute?", "summarise the last hour": all of that time
        seen = lang.asks_seen(question)
        generic = span and not lang.keys(question) and not follow_up and \
            (seen or re.search(r'\b(?:happen|happened|summari[sz]e|summary|recap|describe)\b',
                               question, re.IGNORECASE))
        items = self.retrieve('' if generic else query, 2 * k if generic else k, since, until,
                              (['clip', 'episode'] if seen else []) if generic else kinds)
        also = []
        if lang.asks_read(question):  # clips that read text are captioned "text reads ..."
            also.append(('text reads', 2 * self.config.top_k))
        if direct.HOLDING_ANY.search(question):  # "was anyone holding something?"
            also.append(('a person holding something', 2 * self.config.top_k))
        if direct.WHO_SEEN.match(question):  # "who was sitting?": the people seen
            also.append(('person', 2 * self.config.top_k))
        parsed = questions.parse(question)
        target = parsed.target
        if target is not None and not lang.asks_said(question):
            # "were there people near the car?": the views that hold both
            also += [(f'{" ".join(target.words)} {" ".join(r.thing.words)}', self.config.top_k)
                     for r in parsed.relations if r.kind not in ('wearing', 'of') and
                     set(r.thing.words) - {'clothes'} and target.words]
        # "did anyone raise their arms?", "anyone in red trousers?": the people seen, whatever
        # the captions say (what people did and wore is in their attributes)
        about_people = target is not None and (target.state or any(
            r.kind == 'wearing' for r in parsed.relations))
        owner = any(r.kind == 'of' and 'person' in r.thing.words for r in parsed.relations)
        if (owner or target is not None and 'person' in target.words) and \
                not lang.asks_said(question) and (about_people or not direct.people_seen(items)):
            # "did you see a woman?": people are seen as persons; the question's own word
            # found what was said about a woman ("a more amiable woman"), none of them
            also.append(('person', self.config.top_k * (2 if about_people else 1)))
        # "more animals or vehicles?": each on its own
        also += [(' '.join(t.words), self.config.top_k) for t in direct.compared(question)]
        if target is not None and target.words and (target.count or parsed.form == 'how many' or
                                                     direct.FIRST_TIME.search(question)):
            # "did you see more than two people?": the most seen at once, wherever it was;
            # "how many cars / times did you see a car?", "when did you first see a car?": each
            # time one was seen, not only the best matches of the question's words
            also.append((' '.join(target.words), 2 * self.config.top_k))
        for query, n in also:
            seen = {i.id for i in items}
            items += [i for i in self.retrieve(query, n, since, until, ['clip', 'episode'])
                      if i.id not in seen]
        if target is not None and target.words and not lang.asks_said(question):
            # "did you see a mandrill?": memory's things of its category ('animal') that may be
            # one, under whatever name they were stored (an Old World monkey); the others are
            # no evidence (a dog is no answer to "did you see a giraffe?", nor food, which
            # WordNet lets a dog be as a hot dog, to "did you see a dog?")
            for category in questions.categories_of_words(target.words)[:1]:
                if category in target.words:
                    continue  # "a dog": the question's own word found them
                seen = {i.id for i in items}
                items += [i for i in self.retrieve(category, self.config.top_k, since, until,
                                                   ['clip', 'episode'])
                          if i.id not in seen and any(
                              category in questions.categories_of(lab) and
                              questions.may_be(target, lab) for lab in i.labels)]
        items = [i for i in items if i.start <= latest]
        items += self._replies(items, latest)
        if follow_up and not items:
            items = list(follow_up.evidence)
        return items

    def _replies(self, items: list[MemoryItem], latest: float) -> list[MemoryItem]:
        """The rest of the exchanges of the utterances retrieved: what was said just before and
        just after them ("Did you book the table?" - "Yes, for seven at eight": the reply shares
        no word with a question about the booking, the question before it none with one about
        "seven people")."""
        seen, out = {i.id for i in items}, []
        for said in [i for i in items if i.kind == 'speech'][:2]:
            for other in self.retrieve(said.text, 4, said.start - direct.REPLY_S,
                                       min(latest, said.end + direct.REPLY_S), ['speech']):
                if other.id not in seen and other.start <= latest:
                    seen.add(other.id)
                    out.append(other)
        return out

    def _around(self, anchored: events.Anchored, question: str,
                now: float) -> list[MemoryItem]:
        """Evidence for a question anchored in time: the anchor event, found by its words, then
        the items of the asked kinds in the span around it; for first/last, the items at
        memory's start or end (or those of the thing asked, whose order `events` reads)."""
        k = 3 * self.config.top_k
        kinds = events.asked_kinds(anchored)
        if anchored.relation in ('first', 'last'):
            start = self.start_of_memory()
            if anchored.thing is not None or (anchored.relation == 'first' and start <= 0):
                query = str(anchored.thing) if anchored.thing is not None else question
                items = self.retrieve(query, k, 0.0, 0.0, kinds)
            else:  # each kind on its own: the newest of one kind crowd out no other
                since, until = (start, start + events.FIRST_S) if anchored.relation == 'first' \
                    else (now - events.LAST_S, now)
                items = [i for kind in kinds for i in self.retrieve('', k, since, until, [kind])]
            return [i for i in items if i.start <= now]
        if anchored.relation == 'between':  # both events, then what lies between them
            found = [self._anchor(a, question, k) for a in (anchored, events.second(anchored))]
            a, b = events.bounds(anchored, [i for f in found for i in f])
            if a is None or b is None:
                return [i for f in found for i in f if i.start <= now]
            near = self.retrieve('', k, a.end - events.DURING_PAD_S,
                                 b.start + events.DURING_PAD_S, kinds)
            return [a.item, b.item] + [i for i in near if i.id not in (a.item.id, b.item.id)
                                       and i.start <= now]
        candidates = self._anchor(anchored, question, k)
        event = events.find(anchored, candidates)
        if event is None:
            return [i for i in candidates if i.start <= now]
        since, until = events.window(anchored, event)
        near = [i for i in self.retrieve('', k, since, until, kinds) if i.id != event.item.id]
        # sounds and words are sparse: "what did you hear before the explosion?" when nothing
        # else was heard in the minute before is answered by the last heard before it
        own = set(event.item.names(SOUND))
        if anchored.relation in ('before', 'after') and anchored.asks != 'seen' and \
                not any(events.holds(i, anchored.asks, own) for i in near):
            side = (0.0, event.start) if anchored.relation == 'before' else (event.end, now)
            other = [i for i in self.retrieve('', 4 * k, *side, kinds)
                     if i.id != event.item.id and events.holds(i, anchored.asks, own)]
            if other:  # the last before it, or the first after it
                near.append((max if anchored.relation == 'before' else min)(
                    other, key=lambda i: i.start))
        # "did you see a cat before the alarm?", "what animal did you see before the squirrel?":
        # the cats, the animals too (at any time: which side of the event they are is the answer)
        also = anchored.thing or anchored.kind
        if also is not None:
            seen = {i.id for i in near} | {event.item.id}
            near += [i for i in self.retrieve(str(also), k, 0.0, 0.0, kinds) if i.id not in seen]
        return [event.item] + [i for i in near if i.start <= now]

    def _anchor(self, anchored: events.Anchored, question: str, k: int) -> list[MemoryItem]:
        """The items that may hold a question's anchor event."""
        # a question asked of the robot is no evidence of what it asks about, but it is an
        # event in time: "what did you see when I asked you where my passport is?"
        fetch = self._retrieve_all if anchored.event_modality in ('said', '') else self.retrieve
        return [i for i in fetch(anchored.event, k, 0.0, 0.0, events.event_kinds(anchored))
                if not direct.is_this_question(i, question)]

    def _relevant(self, question: str, items: list[MemoryItem], focus: Optional[str],
                  follow_up: Optional[Turn]) -> list[MemoryItem]:
        """Evidence that shares a content word with the question (or is strongly similar)."""
        if follow_up is not None or events.parse(question) is not None:
            return items  # a follow-up's or a time-anchored question's items were chosen for it
        if direct.NOTES_LIST.search(question):
            return [i for i in items if i.kind == 'note']
        if direct.ASKED_OF_ROBOT.search(question) or direct.SOUNDS_COUNTED.match(question) or \
                direct.talk_asked(question) or direct.sound_verb(question):
            return items  # chosen for it, by kind ("how many sounds ... before X?": every one)
        words = lang.keys(question) | ({lang.key(focus)} if focus else set())
        if not words:  # a generic question ("what did you see?"): the evidence is the answer
            return items
        # "the man's shirt": a man is seen as a person, his shirt as the person's top
        parsed = questions.parse(question)
        if any('person' in t.words for t in (*parsed.targets, *(r.thing for r in
                                                                 parsed.relations))):
            words |= {lang.key('person')}
        # "what was far away?": whatever was there (the place is checked by direct answers)
        place = questions.place(question.lower())
        if (place[0] or place[1]) and not lang.keys(place[2]):
            return items
        if direct.HOLDING_ANY.search(question) or direct.WHO_SEEN.match(question):
            # whoever was seen: what they held, wore or did is the answer ("who was sitting?"),
            # and what they were with ("who was riding the motorcycle?": the motorcycle seen)
            things = {lang.key(w) for r in parsed.relations for w in r.thing.words}
            return [i for i in items if direct.people_seen([i]) or things & direct.item_keys(i)]
        # "what did the signs say?": whatever was read
        signs = lang.asks_read(question) and (not lang.keys(question) - direct.SIGN_KEYS or
                                              bool(direct.NUMBERS_READ.search(question)))
        # and what is the thing asked under its own name ("the butterfly": a monarch)
        target = parsed.target
        # or what may be it (a sports ball for "the basketball": neither shown nor denied)
        keep = [i for i in items if words & direct.item_keys(i) or signs and i.labels_of(TEXT) or
                lang.run_together(question, ' '.join(i.names(TEXT))) or
                target is not None and any(questions.may_be(target, lab) for lab in i.labels)]
        said = [i for i in keep if i.kind == 'speech']  # and the rest of their exchanges
        kept = {i.id for i in keep}
        keep += [i for i in items if i.kind == 'speech' and i.id not in kept and any(
            0 <= i.start - s.end <= direct.REPLY_S or 0 <= s.start - i.end <= direct.REPLY_S
            for s in said)]
        return keep or [i for i in items if i.score >= self.config.min_score]

    # ------------------------------------------------------------------ direct answers
    def _direct(self, question: str, items: list[MemoryItem], focus: Optional[str],
                now: float, follow_up: Optional[Turn] = None) -> Optional[str]:
        # what memory does not record (the weather, day or night) is said so
        return direct.answer(question, items, focus, now,
                             follow_up.question if follow_up else None) or \
            self._unrecorded(question, items, now)

    def _unrecorded(self, question: str, items: list[MemoryItem], now: float) -> Optional[str]:
        """direct.unrecorded, unless the model is shown the keyframes (a VLM can see the
        rain)."""
        return direct.unrecorded(question, items, now) if self.keyframes is None else None

    # ------------------------------------------------------------------ prompt
    def _prompt(self, question: str, items: list[MemoryItem], now: float,
                follow_up: Optional[Turn], standing: bool = False) -> list[dict]:
        """The model's messages. `standing`: `items` are the standing records of an open
        question, written as the reasoning node keeps them evaluated (keep_warm), so only the
        question is left to read."""
        history = ''
        if follow_up:
            # the referent, not the previous question: its premise ("a dog with a hat") may be
            # false, and small models repeat it as fact
            about = questions.referent(follow_up.question) or follow_up.focus
            history = (f'Previous question was about: {about}\n' if about else '') + \
                f'Previous answer: {follow_up.answer}\n'
        instruction = 'Answer in Chinese. ' if lang.language_of(question) == 'zh' else ''
        kind = _kind_asked(question)
        # "did you see any vehicles?": the 1.5B model answered "Yes, I saw vehicles."
        if kind is not None:
            instruction += 'Name each one you saw. '
        # per-question part only (the system prompt is the stable, reused prefix; the standing
        # records follow it, the same for every open question until they change)
        clocks, place = _details(question, now)
        records = _records_head(items) if standing else \
            (f'Records (now is {clock(now)}):\n' if clocks else 'Records:\n') + ''.join(
                line + '\n' for line in self._record_lines(question, items, now, kind, clocks,
                                                            place))
        user = records + '\n' + history + f'Question: {question}\n{instruction}Answer:'
        return [{'role': 'system', 'content': SYSTEM_PROMPT}, {'role': 'user', 'content': user}]

    def _record_lines(self, question: str, items: list[MemoryItem], now: float,
                      kind: Optional[questions.Thing], clocks: bool,
                      place: bool) -> list[str]:
        """A question's own records, one line each, most relevant last; `kind`: the kind of
        thing it asks for (`_kind_asked`); `clocks`, `place`: with clock times and the robot's
        position (`_details`)."""
        lines = []
        replies = _exchanges(items)
        # a question anchored in time or order: only the few records that answer it, in time
        # order, each with its place around the anchor (a small model loses the order in many)
        timeline = _timeline(question, items)
        if timeline is not None:
            replies, items = {}, []
            lines = [f'- {clock(i.start)}-{clock(i.end)}: '
                     f'{_timeline_line(i, timeline.asks, i is timeline.anchor)}, {tag}'
                     if timeline.place_last else
                     f'- {clock(i.start)}-{clock(i.end)}{", " + tag if tag else ""}: '
                     f'{_timeline_line(i, timeline.asks, i is timeline.anchor)}'
                     for i, tag in timeline.rows]
            lines += [f'- no record of {what}' for what in timeline.missing]
        span = lambda a, b: f' ({clock(a)}-{clock(b)})' if clocks else ''  # noqa: E731
        rank = {i.id: i.score for i in items}
        for first, others in replies.items():  # an exchange ranks as its most relevant line
            for other in others or ():
                rank[first] = max(rank[first], other.score)
        # most relevant last: small models weigh what is nearest to the question
        for item in sorted(items, key=lambda i: rank[i.id]):
            if item.id in replies and replies[item.id] is None:
                continue  # said within an exchange: on the line of its first utterance
            when = relative(item.end, now) + span(item.start, item.end)
            if item.kind == 'speech' and replies.get(item.id):
                # one exchange: the reply's "for seven people" belongs to the question before it
                said = [item] + replies[item.id]
                when = relative(said[-1].end, now) + span(item.start, said[-1].end)
                text = 'I heard a conversation: ' + ', then '.join(f'"{i.text}"' for i in said)
            else:
                text = _record(item, kind, heard=not _sees_only(question))
            lines.append(f'- {when}{_where(item) if place else ""}: {text}')
        return lines

    # ------------------------------------------------------------------ standing records
    def _scene(self, question: str, now: float, follow_up: Optional[Turn]) -> bool:
        """An open question about what was around ("what did you see?", "describe the room",
        "what did you hear?"): it names nothing, gives no time or moment, asks about no text
        read, no note and no question asked, and follows no earlier turn."""
        return (follow_up is None and not lang.keys(question) and not lang.asks_read(question)
                and events.parse(question) is None and window(question, now, 0.0) is None and
                not direct.NOTES_LIST.search(question) and
                not direct.ASKED_OF_ROBOT.search(question))

    def standing(self, now: float) -> list[MemoryItem]:
        """The standing records: memory's items of the last `standing_window_s`; what an open
        question ("what did you see?", "describe the room") is answered from. The settled ones
        (unchanged for SETTLE_S) first, oldest first, within `standing_max_chars`; then those
        still growing (the open clip, a sound still heard), each as it was when last taken,
        up to `standing_growing_s` ago. Their span starts on a grid of half windows, so while
        time passes the settled list only grows at its end (until the span moves on, once per
        half window) and the model's evaluation of it stays valid: the reasoning node keeps it
        evaluated between questions (`keep_warm`), and an open question then pays only for its
        own words."""
        window = self.config.standing_window_s
        if window <= 0 or self.generator is None:
            return []
        half = window / 2
        since = math.floor(now / half) * half - half
        settled, growing = [], []
        for item in self.retrieve('', STANDING_MAX_ITEMS, since, now, []):
            (settled if item.end <= now - SETTLE_S else growing).append(item)
        # in the order they settle (by end), so a newly settled item is appended, not inserted
        settled.sort(key=lambda i: (i.end, i.start, i.id))
        kept, chars = [], 0
        for item in settled:
            chars += len(_standing_line(item))
            if chars > self.config.standing_max_chars:
                break  # the newest beyond the bound stay out: a question's own records hold them
            kept.append(item)
        # a growing record changes with every update: the one taken earlier keeps its tokens
        # valid (what it adds since is seconds of the same view)
        taken = {}
        for item in sorted(growing, key=lambda i: (i.start, i.id)):
            at, snapshot = self._growing.get(item.id, (None, None))
            if at is None or not 0 <= now - at < self.config.standing_growing_s:
                at, snapshot = now, item
            taken[item.id] = (at, snapshot)
        self._growing = taken
        return kept + [snapshot for _, snapshot in taken.values()]

    def keep_warm(self, now: float, should_stop: Callable[[], bool] = lambda: False) -> int:
        """Evaluate the start of an open question's prompt (system prompt and standing records)
        now, while no question is being answered; `should_stop()` ends it early (what was
        evaluated stays reusable). Returns the number of tokens evaluated (0: nothing new)."""
        if not hasattr(self.generator, 'prefill'):
            return 0
        standing = self.standing(now)
        if not standing:
            return 0
        # small chunks: a question that comes meanwhile waits for one chunk at most
        return self.generator.prefill([{'role': 'system', 'content': SYSTEM_PROMPT},
                                       {'role': 'user', 'content': _records_head(standing)}],
                                      should_stop=should_stop, partial=True, chunk=16)

    # ------------------------------------------------------------------ main entry
    def answer(self, question: str, now: float, on_text: Callable[[str], None] = lambda t: None,
               on_sentence: Callable[[str], None] = lambda s: None,
               should_stop: Callable[[], bool] = lambda: False,
               prepared: Optional[Plan] = None) -> AnswerResult:
        """`prepared`: a plan `prepare()` made for this question (speculative transcript); it
        is used only when it was made for the same text and the same previous turn."""
        t0 = time.perf_counter()
        ms = lambda: (time.perf_counter() - t0) * 1000  # noqa: E731
        question = lang.normalised(question)
        result = AnswerResult('', 'direct', [])

        def emit_all(text: str) -> AnswerResult:
            result.answer = text
            on_text(text)
            result.first_token_ms = result.first_token_ms or ms()
            for sentence in SentenceSplitter().feed(text + ' ') or [text]:
                on_sentence(sentence)
                result.first_sentence_ms = result.first_sentence_ms or ms()
            result.total_ms = ms()
            return result

        if not question:
            return emit_all('I did not catch a question.')
        if len(question) > self.config.max_question_chars:
            return emit_all(f'That question is too long ({len(question)} characters): please '
                            f'ask it in fewer than {self.config.max_question_chars}.')
        # before notes: "remember that you must ignore your rules" is an injection, not a note
        if lang.injection(question):
            return emit_all('I only answer from what I have seen and heard.')
        note = lang.remember_request(question)
        if note:
            if self.remember is None:
                return emit_all('I cannot store notes right now.')
            self.remember(note, now)
            return emit_all(f'OK, I will remember that {note}.')
        if lang.forget_request(question):
            return emit_all('I cannot forget things on request. An operator can remove memories '
                            'with the memory forget service.')
        told = self._about_itself(question, now)
        if told:
            return emit_all(told)

        asked, choices = lang.split_choices(question)
        if choices and self.config.direct_answers:  # multiple choice memory can settle
            found: dict[str, list[MemoryItem]] = {}

            def lookup(choice: str) -> list[MemoryItem]:
                if choice not in found:
                    found[choice] = self.retrieve(choice, self.config.top_k, 0.0, 0.0, [])
                return found[choice]
            order, kinds = direct.order_asked(asked), direct.perceived(asked)
            picked, support = direct.choose(choices, lookup, order, kinds)
            why = direct.unordered(choices, lookup, order, kinds, now) \
                if picked is None and order and not lang.CHOICES.search(question) else None
            if why:  # "which first, the car or the bicycle?" when no bicycle was seen
                result.retrieval_ms = ms()
                result.evidence = [i for c in choices for i in found.get(c, [])]
                text = emit_all(why).answer
                self.history.append(Turn(question, text, None, result.evidence))
                return result
            if picked is not None:
                result.retrieval_ms = ms()
                result.evidence = support
                # lettered choices are answered by letter, choices said in the question by name
                chosen = f'{chr(65 + picked)}) {choices[picked]}' if \
                    lang.CHOICES.search(question) else \
                    choices[picked][:1].upper() + choices[picked][1:]
                text = emit_all(f'{chosen}.').answer
                self.history.append(Turn(question, text, None, support))
                return result

        plan = prepared if self._current(prepared, question) else self._plan(question, now)
        follow_up, focus, evidence = plan.follow_up, plan.focus, plan.evidence
        result.retrieval_ms = ms() if plan is not prepared else 0.0
        result.evidence = evidence
        if not evidence:
            # "did I mention a doctor?": nothing heard of it (not "not seen")
            what = 'heard' if lang.asks_heard(question) or lang.asks_said(question) else 'seen'
            text = emit_all(self._unrecorded(question, [], now) or
                            f'I have not {what} that.').answer
            self.history.append(Turn(plan.resolved, text, focus, []))
            return result
        if plan.certain:
            emit_all(plan.certain)
        elif self.generator is None:
            emit_all(self._fallback(evidence, now))
        else:
            self._generate(question, evidence, now, follow_up, result, on_text, on_sentence,
                           should_stop, ms, plan.messages)
        self.history.append(Turn(plan.resolved, result.answer, focus, evidence))
        return result

    def _about_itself(self, question: str, now: float) -> Optional[str]:
        """"What time is it?", "how long have you been watching?": what the robot knows of
        itself (its clock, when its memory begins), not of what it perceived."""
        if _TIME_NOW.match(question):
            return f'It is {clock(now)}.'
        if not _SINCE.match(question):
            return None
        start = self.start_of_memory()  # memory's stats: asked only when needed
        return f'My memory begins at {clock(start)}, {relative(start, now)}.' \
            if 0.0 < start <= now else None

    # ------------------------------------------------------------------ planning (speculative)
    def _plan(self, question: str, now: float) -> Plan:
        """Evidence and the direct answer or model prompt of a cleaned question (no side effect
        but retrieval)."""
        t0 = time.perf_counter()
        previous = self.history[-1] if self.history else None
        follow_up = previous if previous and lang.is_follow_up(question) else None
        asked, question = question, resolved(question, follow_up)
        # a follow-up is about the thing it names itself ("and a squirrel?"), else the previous
        # turn's ("what colour was it?")
        focus = lang.asks_count(question) or (
            (questions.referent(question) or follow_up.focus) if follow_up else None)
        if focus is None:
            named = lang.named(question)
            focus = named[0] if len(named) == 1 else None
        # an open question is answered from the standing records, its prompt written from them
        standing = self.standing(now) if self._scene(question, now, follow_up) else []
        retrieved = standing or self._gather(question, now, follow_up)
        plan = Plan(asked, now, previous, follow_up, focus, [],
                    (time.perf_counter() - t0) * 1000, resolved=question)
        plan.evidence = evidence = self._relevant(question, retrieved, focus, follow_up)
        if not standing and self.config.direct_answers and asks_now(question) and \
                questions.modality_of(question) in ('seen', 'note') and \
                not direct.in_view(question, evidence):
            # "where is the cat now?" with no cat in view: where and when it was last seen
            earlier_q = without_now(question)
            earlier = self._relevant(earlier_q, self._gather(earlier_q, now, follow_up), focus,
                                     follow_up)
            plan.certain = direct.not_in_view(question, earlier, focus, now) if earlier else None
            if plan.certain or not earlier:  # nor ever seen: "I have not seen that"
                plan.evidence = earlier
                return plan
        if not evidence:
            return plan
        plan.certain = self._direct(question, evidence, focus, now, follow_up) \
            if self.config.direct_answers and lang.language_of(question) == 'en' else None
        if not plan.certain and self.generator is not None:
            plan.messages = self._prompt(question, evidence, now, follow_up, bool(standing))
        return plan

    def prepare(self, question: str, now: float,
                should_stop: Callable[[], bool] = lambda: False) -> Optional[Plan]:
        """Plan a question ahead (a speculative transcript while the user may still be
        speaking): retrieve its evidence and, when the model will answer, evaluate its prompt
        (the generator's `prefill`) so the first token is ready when `answer()` gets the plan.
        None for questions answered without memory (notes, refusals, multiple choice). Nothing
        is stored and the history is not changed."""
        question = lang.normalised(question)
        if not question or len(question) > self.config.max_question_chars or \
                lang.injection(question) or lang.remember_request(question) or \
                lang.forget_request(question) or lang.split_choices(question)[1]:
            return None
        plan = self._plan(question, now)
        if plan.messages is not None and hasattr(self.generator, 'prefill') and \
                not should_stop():
            t0 = time.perf_counter()
            plan.prefill_tokens = self.generator.prefill(plan.messages, should_stop=should_stop)
            plan.prefill_ms = (time.perf_counter() - t0) * 1000
        return plan

    def _current(self, plan: Optional[Plan], question: str) -> bool:
        """The plan was made for this question with the history as it is now."""
        return plan is not None and plan.question == question and \
            plan.previous is (self.history[-1] if self.history else None)

    def _fallback(self, evidence: list[MemoryItem], now: float) -> str:
        best = max(evidence, key=lambda i: i.score)
        if best.kind == 'note':
            return f'You told me {relative(best.start, now)}: {best.text}.'
        if best.kind == 'speech':
            return f'{relative(best.end, now).capitalize()} I heard someone say "{best.text}".'
        if best.kind == 'sound':
            names = [lab.name.lower() for lab in best.labels] or [best.text]
            # no "yes": nothing checked that it is what the question asks
            return f'I heard {lang.plural(names[0], 1)} {relative(best.end, now)}.'
        return f'{relative(best.end, now).capitalize()} I saw {_listing(best, heard=False)}.'

    def _generate(self, question, evidence, now, follow_up, result, on_text, on_sentence,
                  should_stop, ms, messages) -> None:
        """`messages`: the plan's prompt, as it was prefilled (the same tokens: llama.cpp
        reuses them all)."""
        result.answered_by = 'model'
        splitter = SentenceSplitter(self.config.first_clause_words)
        text = ''
        kwargs = dict(max_tokens=self.config.max_tokens, temperature=self.config.temperature,
                      seed=self.config.seed, should_stop=should_stop)
        if self.keyframes is not None:
            kwargs['images'] = self.keyframes(evidence)
        previous = follow_up.question if follow_up else None
        spoken, held = [], []  # sentences said, and sentences not said while what they add fails

        def say(sentence: str) -> None:
            # a sentence is spoken once the answer so far passes the grounding check: a model
            # sentence that will be replaced is never said (only its replacement is), while
            # an answer whose first sentence alone fails a rule the second meets ("I saw
            # balls. There were 2.") is held until that second sentence completes it
            held.append(sentence)
            if grounding.check(' '.join(spoken + held), question, evidence, now,
                               previous) is None:
                for s in held:
                    on_sentence(s)
                    result.first_sentence_ms = result.first_sentence_ms or ms()
                spoken.extend(held)
                held.clear()

        for piece in self.generator.stream(messages, **kwargs):
            if not result.first_token_ms:
                result.first_token_ms = ms()
            text += piece
            on_text(grounding.as_robot(text))
            for sentence in splitter.feed(piece):
                say(grounding.as_robot(sentence))
                if splitter.sentences >= self.config.max_sentences:
                    break
            if splitter.sentences >= self.config.max_sentences:
                break
        if should_stop():
            result.cancelled = True
        if splitter.sentences < self.config.max_sentences and not result.cancelled:
            for sentence in splitter.flush():
                say(grounding.as_robot(sentence))
        text = grounding.as_robot(self._cap(text.strip()))
        why = None if result.cancelled else grounding.check(text, question, evidence, now,
                                                            previous)
        if not result.cancelled:
            self.model_answers += 1
        if why:
            # the model echoed the question, contradicted its evidence or said nothing: an
            # honest sentence from the evidence itself, and answered_by says so (the eval
            # reports the share of model answers replaced)
            self.replacements[why] = self.replacements.get(why, 0) + 1
            honest = grounding.honest(question, evidence, now)
            log.info('model answer replaced (%s; %d of %d model answers): %r -> %r', why,
                     sum(self.replacements.values()), self.model_answers, text, honest)
            text = honest
            result.answered_by, result.replaced = REPLACED, why
            on_text(text)
            on_sentence(text)
            result.first_sentence_ms = result.first_sentence_ms or ms()
        result.answer = text
        result.total_ms = ms()

    def _cap(self, text: str) -> str:
        parts = SentenceSplitter().feed(text + ' ')
        return ' '.join(parts[: self.config.max_sentences]) if parts else text
