"""Is an utterance a question or instruction for the robot, a note to remember, or neither?

People talk near robots all the time; only what is addressed to the robot becomes a question.
Without a wake word, an utterance counts when it asks about what the robot perceived or
remembers ("what did you see", "where are my keys", "how many people were there", "did you hear
that?") or tells it to report ("tell me what you saw", "describe the room", "list the signs").
Questions between people ("are you coming to lunch?") and statements do not.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

WH = r'(what|where|when|who|whom|which|how|why|whose)'
AUX = r'(did|do|does|is|are|was|were|can|could|have|has|had|will|would|should)'
PERCEPTION = (r'\b(see|saw|seen|hear|heard|notice|noticed|read|spot|spotted|watch|watched|'
              r'look|looked|observe|observed|record|recorded|remember|remembered|recall|'
              r'detect|detected|find|found|happen|happened|come|came|left|leave|'
              r'ring|rang|said|say|mention|mentioned|count|show|showed)\b')
MEMORY_TOPIC = (r'\b(how many|where (is|are|was|were|did)|when (did|was|were)|what colou?r|'
                r'what did|who (was|came|did)|my (keys|phone|wallet|glasses|bag|book|cup|mug)|'
                r'the (sign|room|door|table|kitchen|street|camera|robot)|last time|'
                r'anyone|anybody|anything|somebody|someone)\b')
IMPERATIVE = (r'^(please\s+)?(tell|describe|show|list|count|find|summari[sz]e|explain|report|'
              r'give|repeat|say|name|check|look|remind)\b')
ROBOT = r'\b(robot|you)\b'


@dataclasses.dataclass
class QueryDecision:
    kind: str              # 'query', 'note' or 'speech'
    text: str              # with the wake word removed
    reason: str


class QueryDetector:
    def __init__(self, wake_word: str = ''):
        self.wake = wake_word.strip().lower()

    def classify(self, transcript: str) -> QueryDecision:
        text = ' '.join(transcript.strip().split())
        low = text.lower()
        if self.wake:
            m = re.search(r'\b' + re.escape(self.wake) + r'\b[,.!]?\s*', low)
            if not m:
                return QueryDecision('speech', text, 'no wake word')
            text = text[m.end():].strip()
            low = text.lower()
        bare = re.sub(r"[^\w\s'?]", '', low).strip()
        note = re.match(r"(please\s+)?(remember|note)( that|:)?\s+(.+)", bare)
        if note and len(note.group(4).split()) >= 2:
            return QueryDecision('note', text, 'remember request')
        if self.wake:
            return QueryDecision('query', text, 'wake word')
        if not bare:
            return QueryDecision('speech', text, 'empty')
        if re.match(IMPERATIVE, bare):
            if re.search(r'\b(me|us|what|everything|all|who|where|how|when|the|about)\b', bare):
                return QueryDecision('query', text, 'imperative to the robot')
        is_question = bare.endswith('?') or re.match(rf'^{WH}\b', bare) or \
            re.match(rf'^{AUX}\s+(you|there|anyone|anybody|someone|somebody|i|we|my)\b', bare)
        if is_question:
            if re.search(PERCEPTION, bare) and (re.search(ROBOT, bare) or
                                                re.search(MEMORY_TOPIC, bare) or
                                                re.match(rf'^{WH}\b', bare)):
                return QueryDecision('query', text, 'question about what was perceived')
            if re.search(MEMORY_TOPIC, bare):
                return QueryDecision('query', text, 'question about memory')
            return QueryDecision('speech', text, 'question not about the robot\'s memory')
        return QueryDecision('speech', text, 'statement')

    def is_query(self, transcript: str) -> bool:
        return self.classify(transcript).kind == 'query'

    @staticmethod
    def note_text(decision: QueryDecision) -> Optional[str]:
        m = re.match(r"\s*(?:please\s+)?(?:remember|note)(?: that|:)?\s+(.+)", decision.text,
                     re.IGNORECASE)
        return m.group(1).strip().rstrip('.') if m else None
