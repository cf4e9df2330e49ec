"""Checking the model's answer against the question and its evidence, and the honest sentence
that replaces an answer that fails.

An answer fails when it echoes the question (asks it back, or restates it without answering),
denies what the relevant evidence shows, gives a count no evidence has, says "yes" where the
evidence does not support every part of a yes/no question (or "no" where it does), or claims a
sound that no evidence holds. The replacement says what was seen or heard of what was asked and
that the asked-about part is not known; it never lists every label retrieved. Plain Python.
"""
from __future__ import annotations

import difflib
import re
from typing import Optional

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, MemoryItem
from omnilive.reasoning import direct, events, questions, speech
from omnilive.reasoning import language as lang
from omnilive.reasoning.timephrases import NUMBER_WORDS, relative

_NEGATION = re.compile(r"\b(no|not|never|didn't|haven't|hasn't|wasn't|weren't|nothing|none|"
                       r"nobody)\b")
_YES = re.compile(r'\s*(yes|yeah|yep|indeed|correct)\b', re.IGNORECASE)
_NO = re.compile(r"\s*(no|nope)\b|\s*i (did not|didn't|have not|haven't|never) "
                 r"(see|saw|seen|hear|heard|notice)", re.IGNORECASE)
_QUESTION_START = re.compile(r'\s*(what|which|who|whom|where|when|why|how|did|do|does|is|are|'
                             r'was|were|have|has|had|can|could)\b', re.IGNORECASE)
_HEARD_CLAIM = re.compile(r"\bi heard (?:a |an |the |some |someone |somebody )?([a-z' -]+)",
                          re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(?:about|at|just|around|when|while|before|after|from|in|on|near|"
                         r"and|but|which|that|earlier|recently|ago)\b")
_HONEST = re.compile(r"\b(did not|didn't) notice\b|\b(do not|don't) know\b|"
                     r"\b(cannot|can't|could not|couldn't) tell\b")
_UNNOTICED_COLOUR = re.compile(r"\b(?:did not|didn't|do not|don't|could not|couldn't|cannot|"
                               r"can't) (?:notice|see|tell|know)\b[^.;]*\bcolou?rs?\b",
                               re.IGNORECASE)
_UNNOTICED_PLACE = re.compile(r"\b(?:did not|didn't|do not|don't|could not|couldn't|cannot|"
                              r"can't) (?:notice|see|tell|know|say)\b[^.;]*\bwhere\b",
                              re.IGNORECASE)
_PRONOUNS = {'you': 'i', 'your': 'my', 'yours': 'mine', 'i': 'you', 'my': 'your', 'me': 'you'}


# the robot perceived, the user did not: "You saw two cars" from a small model is the robot's
# own sighting told in the wrong person ("You told me ..." is right and kept)
_YOU_PERCEIVED = re.compile(r"\b[Yy]ou( (?:also |only |just )?(?:saw|heard|noticed|spotted|"
                            r"have (?:not )?(?:seen|heard|noticed)|did not (?:see|hear|notice)|"
                            r"didn't (?:see|hear|notice)|haven't (?:seen|heard|noticed))\b)")


def as_robot(text: str) -> str:
    """`text` with what the robot perceived said in the first person ("You saw" -> "I saw")."""
    return _YOU_PERCEIVED.sub(lambda m: 'I' + m.group(1), text)


def _normal(text: str) -> str:
    """Lower-case words, pronouns swapped to the answer's side ("did you" -> "did i")."""
    return ' '.join(_PRONOUNS.get(w, w) for w in re.findall(r"[a-z0-9']+", text.lower()))


def echoes(answer: str, question: str) -> bool:
    """The answer asks the question back or restates it without answering ("Did I see a red
    car?", "What colour was the cup." for "What colour was the cup?")."""
    text = answer.strip()
    if not text:
        return True
    if text.endswith('?'):
        return True
    said, asked = _normal(text), _normal(question)
    if not said:
        return True
    if _YES.match(text) or _NO.match(text):
        return False  # a yes or no answers a yes/no question, however closely it repeats it
    ratio = difflib.SequenceMatcher(None, said, asked).ratio()
    if _QUESTION_START.match(text) and _QUESTION_START.match(question) and \
            said.split()[0] == asked.split()[0] and ratio >= 0.6:
        return True  # the question's words, begun as the question is ("What did I see ...")
    return ratio >= 0.8


def _said_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r'\b\d+\b', text)} | \
        {v for w, v in NUMBER_WORDS.items() if w not in ('a', 'an') and
         re.search(rf'\b{re.escape(w)}\b', text.lower())}


def _premises(question: str) -> list[tuple[questions.Thing, str]]:
    """What a question assumes of its thing, each with the words that would state it: the
    things of its relations ('with a hat' -> hat) and the colour asked ('red')."""
    parsed = questions.parse(question)
    out = [(r.thing, ' '.join(r.thing.words)) for r in parsed.relations if r.thing.words]
    out += [(t, t.colour) for t in parsed.targets if t.colour]
    # "wearing a green tie": the colour of a relation's thing is assumed too
    out += [(r.thing, r.thing.colour) for r in parsed.relations if r.thing.colour]
    return out


def _states(answer: str, words: str) -> bool:
    """The answer says `words` in a clause that does not deny them."""
    keys = {lang.key(w) for w in words.split()}
    for clause in re.split(r'[,;.!?]|\bbut\b', answer.lower()):
        if keys <= lang.text_keys(clause) and not _NEGATION.search(clause):
            return True
    return False


def _unsupported(thing: questions.Thing, words: str, evidence: list[MemoryItem]) -> bool:
    """No evidence label is the premise: the thing (or a more general name it could be under,
    'sports ball' for a basketball; a sound heard, for "when you heard the explosion"), or for
    a colour, a thing of that colour."""
    if words == thing.colour:
        bare = questions.Thing(thing.words)
        return not any(thing.colour in questions.colours_of(lab) for i in evidence
                       for lab in describe.unrefined(i.labels) if lab.kind == OBJECT and
                       questions.match(bare, lab) is not None)
    return not any(_may_be(thing, lab) for i in evidence for lab in describe.unrefined(i.labels))


def _may_be(thing: questions.Thing, label) -> bool:
    """The label is the thing, or a more general name it could be under (objects); or the
    thing is the sound heard."""
    if label.kind == OBJECT:
        return questions.may_be(thing, label)
    return label.kind == SOUND and questions.match(thing, label, sound=True) is not None


def _denies(answer: str, evidence: list[MemoryItem]) -> bool:
    """A clause of the answer denies what the evidence holds: it negates a thing the evidence
    has ("I did not see any cups"), or names nothing ("I have not seen that"). "I did not notice
    its colour" and "I did not see a hat" (when no hat is in the evidence) are honest, not
    denials."""
    for clause in re.split(r'[,;.!?]|\bbut\b', answer.lower()):
        if not _NEGATION.search(clause) or _HONEST.search(clause):
            continue
        named = lang.keys(clause)
        if not named or any(named & direct.item_keys(i) for i in evidence):
            return True
    return False


def _attribute_denied(answer: str, parsed: questions.Question,
                      evidence: list[MemoryItem]) -> bool:
    """The answer to "what colour / where was X?" denies what the records hold of X ("I did not
    notice its colour" when they give it, "I do not know where it was" when they place it), or
    names only colours that no record of X has ("the apple was green" for a yellow apple)."""
    if parsed.target is None or parsed.asks not in ('colour', 'position'):
        return False
    found = [(lab, m) for i in evidence for lab in describe.unrefined(i.labels)
             if lab.kind == OBJECT and (m := questions.match(parsed.target, lab)) is not None]
    if parsed.asks == 'position':
        return bool(_UNNOTICED_PLACE.search(answer)) and \
            any(questions.attribute(lab, 'position') for lab, _ in found)
    if _UNNOTICED_COLOUR.search(answer):
        return any(questions.colours_of(lab) for lab, _ in found) or \
            bool(_said_colours(parsed.target, evidence))
    held = {c for lab, m in found if not m.unchecked for c in questions.colours_of(lab)}
    named = {questions.COLOUR_WORDS[w] for w in re.findall(r'[a-z]+', answer.lower())
             if w in questions.COLOUR_WORDS}
    return bool(held and named) and not named & held


_PERCEIVED_CLAUSE = re.compile(r"\bi (?:saw|see|spotted|noticed|watched|heard)\b|\bi have "
                               r"(?:seen|heard)\b|\bi was looking at\b", re.IGNORECASE)


_TOLD_CLAIM = re.compile(r"\byou (?:told|asked|reminded) me\b|\byou (?:said|mentioned)\b",
                        re.IGNORECASE)


def _claims_told(answer: str, evidence: list[MemoryItem]) -> bool:
    """"You told me that the man was on the right" with no note or speech in the records: the
    model takes its records for what the user said."""
    return bool(_TOLD_CLAIM.search(answer)) and \
        not any(i.kind in ('note', 'speech') for i in evidence)


def _claims_unseen(answer: str, question: str, evidence: list[MemoryItem]) -> bool:
    """A clause of the answer says the robot saw or heard the thing the question asks about
    ("I saw the squirrel before the cat") when no record has it under its name or category."""
    anchored = events.parse(question)
    thing = anchored.thing if anchored is not None and anchored.thing is not None else \
        questions.parse(question).target
    if thing is None or not thing.words or anchored is not None and anchored.thing is None:
        return False
    bare = questions.Thing(thing.words)
    if any(questions.match(bare, lab, sound=lab.kind == SOUND) is not None
           for i in evidence for lab in i.labels if lab.kind in (OBJECT, SOUND)):
        return False
    words = ' '.join(thing.words)
    for clause in re.split(r'[,;.!?]|\bbut\b', answer):
        if _PERCEIVED_CLAUSE.search(clause) and _states(clause, words):
            return True
    return False


def _notes_missed(answer: str, question: str, evidence: list[MemoryItem]) -> bool:
    """An answer to "what did I ask you to remember?" that leaves notes out, or to "how many
    things ...?" that does not say how many."""
    notes = [i for i in evidence if i.kind == 'note']
    if not notes or not direct.NOTES_LIST.search(question):
        return False
    notes = direct.notes_asked(question, notes)  # "the last thing ...": that one
    if re.match(r'\s*how many\b', question, re.IGNORECASE):
        return len(notes) not in _said_numbers(answer)
    said = lang.text_keys(answer)
    return any(not lang.keys(n.text) & said for n in notes)


def _named(text: str, evidence: list[MemoryItem]) -> set[str]:
    """The names of the evidence's object, text and sound labels that `text` says."""
    keys = lang.text_keys(text)
    return {lab.name.lower() for i in evidence for lab in i.labels
            if lab.kind in (OBJECT, SOUND, TEXT) and lang.text_keys(lab.name) and
            lang.text_keys(lang.sound_name(lab.name)) <= keys}


def _wrong_moment(answer: str, question: str, evidence: list[MemoryItem], now: float) -> bool:
    """For a question anchored in time ("what did you see right after the cat?", "the last
    thing you saw"), the answer names only things of other moments than the one the records
    settle, or denies there was anything when they hold something."""
    anchored = events.parse(question)
    if anchored is None or anchored.thing is not None or anchored.asks == 'said':
        return False
    settled = events.answer(anchored, evidence, now)
    if not settled or settled.startswith('I have no record') or ', but ' in settled:
        return False
    want = _named(settled, evidence) - _named(anchored.event, evidence)
    got = _named(answer, evidence)
    if not want:
        return False
    if not got:
        return bool(_NEGATION.search(answer.lower()))  # "I saw nothing notable"
    return not want & got


def _said_colours(thing: questions.Thing, evidence: list[MemoryItem]) -> set[str]:
    """Colours something said gives the thing ("I left the red umbrella in the car")."""
    # any noun of the phrase ("the umbrella someone mentioned": umbrella)
    name = '(?:' + '|'.join(re.escape(w) for w in thing.words if w != 'person') + ')'
    if name == '(?:)':
        return set()
    out = set()
    for i in evidence:
        texts = [i.text] if i.kind in ('speech', 'note') else i.names(SPEECH)
        for text in texts:
            for m in re.finditer(rf"\b([a-z]+)\s+{name}(?:e?s)?\b", text.lower()):
                if m.group(1) in questions.COLOUR_WORDS:
                    out.add(questions.COLOUR_WORDS[m.group(1)])
    return out


def spoken_fact(question: str, evidence: list[MemoryItem]) -> Optional[str]:
    """The count, time, day or place an exchange heard states for a question about what was
    said (omnilive.reasoning.speech; '7 people', "8 o'clock"), or None."""
    if direct.PERCEIVED.search(question) or not speech.about_speech(question, evidence):
        return None
    found = speech.find(question, evidence)
    return found.fact if found is not None and found.fact else None


def _states_fact(answer: str, fact: str) -> bool:
    """The answer states the fact: its numbers (as digits or words), else its words."""
    said = speech.digits(answer)
    times = {re.sub(r"^(\d+) o'clock$", r'\1:00', t) for t in speech.clock_times(answer)}
    if re.sub(r"^(\d+) o'clock$", r'\1:00', fact) in times:
        return True  # 'half past ten' states 10:30
    numbers = re.findall(r'\d+', fact)
    if numbers:
        return all(re.search(rf'\b{n}\b', said) for n in numbers)
    return lang.text_keys(fact) - speech.ASKED_WORDS - lang.keys('in on at the') <= \
        lang.text_keys(said)


def contradicts(answer: str, question: str, evidence: list[MemoryItem], now: float,
                previous: Optional[str] = None) -> bool:
    """The answer says what its evidence does not: a denial of what relevant evidence shows,
    a count no evidence has, a yes/no the direct reading of the evidence settles the other way,
    a sound no evidence holds, or a premise of the question (or of the previous one, for a
    follow-up) that no evidence supports, stated as fact ("the dog with the hat")."""
    for thing, words in _premises(question) + (_premises(previous) if previous else []):
        if _states(answer, words) and _unsupported(thing, words, evidence):
            return True
    words = lang.keys(question)
    parsed = questions.parse(question)
    supported = [i for i in evidence if words & direct.item_keys(i)]
    yes_no = parsed.form == 'yes/no'
    if supported and not yes_no and parsed.form != 'who' and _denies(answer, evidence):
        return True  # "I have not seen that" when the records hold it
    if _attribute_denied(answer, parsed, evidence):
        return True  # "I did not notice its colour" when the records give it
    if _wrong_moment(answer, question, evidence, now):
        return True  # "what did you see when the alarm rang?" answered with another scene
    spoken = spoken_fact(question, evidence)
    if spoken is not None:  # "for how many people was the table booked?": what was said
        return not _states_fact(answer, spoken)
    label = lang.asks_count(question)
    counted = questions.Thing(tuple(label.split())) if label else None
    # the counts of the labels that are the thing counted ('balls': a sports ball)
    counts = {lab.count for i in evidence for lab in i.labels if counted is not None and
              lab.kind == OBJECT and lab.count > 0 and
              (m := questions.match(counted, lab)) is not None and not m.unchecked}
    if counts and not (_said_numbers(answer) & counts):
        return True
    if _notes_missed(answer, question, evidence):
        return True  # "what / how many things did I ask you to remember?": not all of them
    if _claims_unseen(answer, question, evidence):
        return True  # "I saw the squirrel before the cat" with no squirrel in the records
    if _claims_told(answer, evidence):
        return True  # "You told me ..." when nothing the user said is in the records
    if yes_no:
        settled = direct.answer(question, evidence, None, now)
        if settled:
            if _YES.match(answer) and not settled.startswith('Yes'):
                return True
            if settled.startswith('Yes') and (_NO.match(answer) or
                                              _NEGATION.search(answer.lower().split(',')[0])):
                return True
    heard = {lang.key(w) for i in evidence for lab in i.labels if lab.kind == SOUND
             for w in re.findall(r'[a-z]+', lab.name.lower())}
    for claim in _HEARD_CLAIM.finditer(answer):
        phrase = _CLAUSE_END.split(claim.group(1))[0]
        if re.match(r'\s*(say|said|saying|talk|speak|ask|tell|mention)', phrase):
            continue  # speech
        said = {lang.key(w) for w in lang.content_words(phrase)}
        nouns = said - questions.SOUND_VERBS
        if nouns and not nouns & heard or not nouns and said and not said & heard:
            return True  # "I heard a doorbell" with no doorbell in the records
    return False


def honest(question: str, evidence: list[MemoryItem], now: float) -> str:
    """An evidence-based sentence for a question the model failed: the evidence's direct answer
    when it settles the question, else what was seen or heard of the thing asked and that the
    asked-about part is not known; never a list of every label retrieved. A multiple-choice
    question gets the choice its evidence settles, or says memory cannot tell them apart."""
    asked, choices = lang.split_choices(question)
    if choices:
        picked, _ = direct.choose(choices, lambda choice: evidence, direct.order_asked(asked),
                                  direct.perceived(asked))
        if picked is not None:
            return f'{chr(65 + picked)}) {choices[picked]}.'
        return 'My memory does not tell me which of these it was.'
    settled = direct.answer(question, evidence, None, now)
    if settled:
        return settled
    parsed = questions.parse(question)
    unknown = _unknown_part(parsed)
    heard = parsed.modality == 'heard'
    thing = parsed.target
    if thing is not None:
        kind = SOUND if heard else OBJECT
        hits = [(item, label) for item in evidence for label in describe.unrefined(item.labels)
                if label.kind == kind and questions.match(thing, label, sound=heard) is not None]
        if hits:
            item, label = max(hits, key=lambda h: h[0].end)
            name = lang.sound_name(label.name) if heard else label.name
            seen = f'I {"heard" if heard else "saw"} ' \
                   f'{lang.plural(name, 1 if heard else max(1, label.count))} ' \
                   f'{relative(item.end, now)}'
            position = None if heard else questions.attribute(label, 'position')
            if parsed.asks == 'position' and position:
                # where it was is known; whether it was the one asked about is not
                return f'{seen}, {direct.position_phrase(position)} of my view, but I cannot ' \
                       f'tell whether it was {lang.plural(str(thing), 1)}' + \
                       (f' {parsed.relations[0].phrase.rstrip("?.! ")}'
                        if parsed.relations else '') + '.'
            if not heard and thing.kinds_of_person:
                # "who was the singer?": a person was seen; a singer, a nurse, a man is not known
                who = 'any was' if label.count > 1 else 'the person was'
                return f'{seen}, but I cannot tell whether {who} {lang.plural(str(thing), 1)}.'
            return f'{seen}, but I do not know {unknown}.'
        # a phrase of several words may hold verbs ("the dog run away"): not named back
        what = lang.plural(str(thing), 1) if len(thing.words) == 1 else 'that'
        if parsed.form == 'yes/no' and not parsed.relations:  # "did you see a fox?": no
            return f'No, I have not {"heard" if heard else "seen"} {what}.'
        return f'I have no record of {what}, so I do not know {unknown}.'
    notes = [i for i in evidence if i.kind == 'note']
    said = [i for i in evidence if i.kind == 'speech' or i.names(SPEECH)]
    if parsed.modality == 'note' and notes:
        best = max(notes, key=lambda i: i.score)
        return f'You told me {relative(best.start, now)}: {best.text}.'
    if parsed.modality == 'said' and said:
        best = max(said, key=lambda i: i.score)
        words = best.text if best.kind == 'speech' else best.names(SPEECH)[0]
        return f'{relative(best.end, now).capitalize()} I heard someone say "{words}".'
    return f'My memory does not tell me {unknown}.'


def _unknown_part(parsed: questions.Question) -> str:
    """What the question asks, as the object of "I do not know ...": 'its colour', 'why'."""
    if parsed.asks == 'colour':
        return 'its colour'
    if parsed.asks == 'position':
        return 'where it was'
    return {'who': 'who it was', 'why': 'why', 'when': 'when it was', 'how many': 'how many',
            'where': 'where it was', 'yes/no': 'more than that'}.get(parsed.form,
                                                                     'the answer to that')


def check(answer: str, question: str, evidence: list[MemoryItem], now: float,
          previous: Optional[str] = None) -> Optional[str]:
    """Why the model's answer must be replaced ('echo', 'contradiction', 'empty'), or None when
    it stands. `previous`: the question a follow-up follows."""
    if not answer.strip():
        return 'empty'
    if echoes(answer, question):
        return 'echo'
    if contradicts(answer, question, evidence, now, previous):
        return 'contradiction'
    return None
