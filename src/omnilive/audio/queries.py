"""Is an utterance a question or instruction for the robot, a note to remember, or neither?

People talk near robots all the time; only what is addressed to the robot becomes a question.
With a wake word set, only what follows it is (a question or a note). Without one, the decision
reads who the question is about and what it asks:

- about what the robot perceived or remembers: "did you see/hear/notice ...", "where did you last
  see my keys", "what did you see in the kitchen" (the listener's senses: a person asked that
  would be asked as a witness, and the robot is the one that keeps watch) -> for the robot;
- about the listener's own actions or plans ("did you book the table?", "are you coming to
  lunch?", "what do you think?") or the speakers' plans ("should we go?", "can I come?") -> between
  people;
- about the world the robot could have seen or heard: where things are ("where are my keys?"),
  counts ("how many people were there?"), who came or what happened, what the user did ("where
  did I leave my glasses?") -> for the robot;
- a request ("tell me what you saw", "can you describe the room?") -> for the robot;
- anything else (statements, chat, questions about other things) -> speech.

Context: a question only weakly for the robot (it does not name the robot nor ask what it
perceived) is taken as part of a running conversation between people when it comes within
`conversation_s` of a question that was not for the robot ("Did you book the table?" - "Which
table?"). Every decision carries its reason; `addressed` says whether the robot was meant.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

WH = r'(what|where|when|who|whom|which|how|why|whose)'
AUX = r'(did|do|does|is|are|was|were|can|could|have|has|had|will|would|should|shall|may|might)'
# what a witness does: see, hear, notice ... and remember (the robot's senses and memory)
# (not watch, look: a person's pastimes, "did you watch the game?"; read: the robot reads signs)
PERCEIVE = (r'(see|saw|seen|seeing|hear|heard|hearing|notice|noticed|spot|spotted|observe|'
            r'observed|read|record|recorded|detect|detected|register|registered|sense|sensed|'
            r'perceive|perceived|count|counted)')
# what the listener knows: for the robot when it asks about something memory holds
KNOW = r'(know|remember|recall|recollect)'
_GOSSIP = r'\b(hear|heard)\s+(about|from|back|of)\b'  # "did you hear about Maria's new job?"
_CLAUSE = r'\b(what|where|when|who|which|how|if|whether)\b'
# words between "you" and its verb that do not change what is asked ("did you ever see")
_ADVERBS = r'(?:(?:ever|last|just|already|also|really|actually|maybe|perhaps|first|still|by any ' \
           r'chance|happen to|get to|manage to|even)\s+)*'
# things that happen or move, which a witness reports on ("who came in?", "did the bus leave?")
EVENTS = (r'\b(happen|happened|come|came|arrive|arrived|enter|entered|leave|left|go|went|pass|'
          r'passed|drop|dropped|fall|fell|ring|rang|open|opened|close|closed|knock|knocked|'
          r'say|said|mention|mentioned|bark|barked|start|started|stop|stopped|move|moved|'
          r'take|took|bring|brought|put|park|parked|walk|walked|run|ran|sit|sat|stand|stood|'
          r'show|showed|appear|appeared)\b')
# questions about the state of memory's world: where things are, counts, colours, who/when
WORLD = (r'\b(how many|how much|where (is|are|was|were|did|do|does)|when (did|was|were)|'
         r'what colou?r|what (kind|sort|type) of|who (was|were|came|did|is|left)|what time did|'
         r'(is|are|was|were) there|last time|first time|anyone|anybody|anything|somebody|'
         r'someone|something|my (keys?|phones?|wallet|glasses|bag|passport|book|cup|mug|'
         r'umbrella|coat|jacket|car|bike|laptop|charger|headphones|watch|ring|purse|medicine|'
         r'pills|remote|id|card|notes?)|whose|'
         r'(code|password|pin|number|name|address|birthday|phone number|plate)s?)\b')
REQUEST = (r'(tell|describe|show|list|count|find|summari[sz]e|explain|report|give|repeat|say|'
           r'name|check|look|remind)')
IMPERATIVE = rf'^(please\s+)?(can|could|would|will) you (please\s+)?{REQUEST}\b|' \
             rf'^(please\s+)?{REQUEST}\b'
ROBOT = r'\b(robot)\b'
# the listener's own doings: "you" then a verb that is not what a witness does
_YOU = rf'\b(did|do|does|have|had|can|could|will|would|are|were|should|shall|may|might)\s+you\s+' \
       rf'{_ADVERBS}(\w+)'
_WE = r'\b(should|shall|can|could|will|would|do|did|are|were|have|must|may|might)\s+we\b|' \
      r"^(let's|let us|why don't we|how about)\b"
_I_PLAN = r'^(\w+\s+)?(should|shall|can|could|may|might|do|am|must|will|would)\s+i\b'
_I_PAST = r'\b(did|have|had)\s+i\b'

# reasons (QueryDecision.reason)
NAMED = 'names the robot'
PERCEIVED = 'asks what the robot perceived'
REQUESTED = 'request to the robot'
WORLD_QUESTION = 'asks about what the robot could have seen or heard'
USERS_DOING = 'asks what the robot saw the speaker do'
LISTENERS_DOING = "asks about the listener's own actions or plans"
PLANS = "asks about the speakers' plans"
OTHER_QUESTION = "question not about the robot's memory"
CONVERSATION = 'part of a conversation between people'
STRONG = (NAMED, PERCEIVED, REQUESTED, 'wake word', 'remember request')
QUESTIONS = (NAMED, PERCEIVED, WORLD_QUESTION, USERS_DOING, LISTENERS_DOING, PLANS,
             OTHER_QUESTION, CONVERSATION)  # the reasons of questions (str.startswith)


@dataclasses.dataclass
class QueryDecision:
    kind: str              # 'query', 'note' or 'speech'
    text: str              # with the wake word removed
    reason: str
    question: bool = False  # a question (for the robot or not)

    @property
    def addressed(self) -> bool:
        """Whether the robot was meant (a question or instruction to it, or a note)."""
        return self.kind in ('query', 'note')


class QueryDetector:
    def __init__(self, wake_word: str = '', conversation_s: float = 6.0):
        self.wake = wake_word.strip().lower()
        self.conversation_s = conversation_s
        self._last: Optional[tuple[float, QueryDecision]] = None  # (end, decision) of the last

    def classify(self, transcript: str) -> QueryDecision:
        """The decision for one utterance on its own (no conversation context)."""
        text = ' '.join(transcript.strip().split())
        low = text.lower()
        if self.wake:
            m = re.search(r'\b' + re.escape(self.wake) + r'\b[,.!]?\s*', low)
            if not m:
                return QueryDecision('speech', text, 'no wake word', _is_question(low))
            text = text[m.end():].strip()
            low = text.lower()
        bare = re.sub(r"[^\w\s'?]", ' ', low)
        bare = ' '.join(bare.replace('?', ' ? ').split()).replace(' ?', '?').strip()
        note = re.match(r"(please\s+)?(remember|note)( that|:)?\s+(.+)", bare)
        if note and len(note.group(4).split()) >= 2 and not bare.endswith('?'):
            return QueryDecision('note', text, 'remember request')
        question = bool(_is_question(bare))
        if self.wake:
            return QueryDecision('query', text, 'wake word', question)
        if not bare.strip('? '):
            return QueryDecision('speech', text, 'empty')
        kind, reason = _decide(bare, question)
        return QueryDecision(kind, text, reason, question)

    def in_context(self, transcript: str, start: float, end: float) -> QueryDecision:
        """The decision for the next utterance heard (`start`..`end`, stream seconds), read with
        the one before it: a question weakly for the robot that follows, within
        `conversation_s`, a question between people is taken as part of their conversation."""
        decision = self.classify(transcript)
        last = self._last
        if decision.kind == 'query' and decision.reason not in STRONG and last is not None \
                and 0 <= start - last[0] <= self.conversation_s and last[1].question \
                and not last[1].addressed and last[1].reason != 'no wake word':
            decision = QueryDecision('speech', decision.text,
                                     f'{CONVERSATION} (after "{last[1].text}")', True)
        self._last = (end, decision)
        return decision

    def is_query(self, transcript: str) -> bool:
        return self.classify(transcript).kind == 'query'

    @staticmethod
    def note_text(decision: QueryDecision) -> Optional[str]:
        m = re.match(r"\s*(?:please\s+)?(?:remember|note)(?: that|:)?\s+(.+)", decision.text,
                     re.IGNORECASE)
        return m.group(1).strip().rstrip('.') if m else None


def _is_question(bare: str) -> bool:
    return bool(bare.endswith('?') or re.match(rf'^{WH}\b', bare) or
                re.match(rf'^{AUX}\s+(you|there|anyone|anybody|someone|somebody|i|we|my|the|'
                         rf'a|an|it|this|that|these|those|he|she|they)\b', bare))


def _decide(bare: str, question: bool) -> tuple[str, str]:
    """(kind, reason) of a cleaned lower-case utterance without a wake word."""
    request = re.match(IMPERATIVE, bare)
    if request and re.search(r'\b(me|us|what|everything|all|who|where|how|when|the|about|'
                             r'which|anything|any)\b', bare[request.end():]):
        return 'query', REQUESTED
    if not question:
        return 'speech', 'statement'
    if re.search(ROBOT, bare):
        return 'query', NAMED
    you = re.search(_YOU, bare)
    if you:
        if re.fullmatch(PERCEIVE, you.group(2)) and not re.search(_GOSSIP, bare):
            return 'query', PERCEIVED
        if re.fullmatch(KNOW, you.group(2)) and (re.search(_CLAUSE, bare[you.end():]) or
                                                 re.search(WORLD, bare)):
            return 'query', PERCEIVED  # "do you remember where I put my keys?"
        return 'speech', LISTENERS_DOING
    if re.search(rf'\byou\s+{_ADVERBS}{PERCEIVE}\b', bare):  # "what you saw", "anything you heard"
        return 'query', PERCEIVED
    if re.search(r'\byou\b', bare) and not re.search(WORLD, bare):
        return 'speech', LISTENERS_DOING  # "how are you?", "what's with you?"
    if re.search(_WE, bare) or re.search(_I_PLAN, bare):
        return 'speech', PLANS
    if re.search(_I_PAST, bare):
        return 'query', USERS_DOING  # "where did I leave my keys?", "did I lock the door?"
    if re.search(WORLD, bare) or re.search(EVENTS, bare) and \
            re.match(rf'^({WH}|did|was|were|has|had)\b', bare):
        return 'query', WORLD_QUESTION  # "who came in?", "did the phone ring?"
    return 'speech', OTHER_QUESTION
