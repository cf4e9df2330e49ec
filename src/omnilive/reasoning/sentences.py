"""Split streamed text into the pieces TTS says as soon as each is complete: sentences, and
optionally the first clause of an answer."""
from __future__ import annotations

import re

# a sentence ends at . ! ? (or CJK 。！？) followed by space/end, not after a decimal point or
# common abbreviations
_END = re.compile(r'(?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bMrs)(?<!\bSt)(?<!\d\.\d)'
                  r'([.!?]+["\')\]]?)(\s+)|([。！？])')
# a clause ends at , ; : followed by space ("1,000" and "10:30" stay whole; not inside a quote)
_CLAUSE = re.compile(r'([,;:])(\s+)')


class SentenceSplitter:
    """`feed()` streamed text, get back what is complete. With `first_clause_words` > 0 the first
    piece may be a clause of at least that many words ("I saw four people,"): a voice starts
    speaking a long first sentence (a list) while the model is still writing it, as streaming
    TTS front ends do with their first fragment; later pieces are whole sentences."""

    def __init__(self, first_clause_words: int = 0):
        self.buffer = ''
        self.first_clause_words = first_clause_words
        self.pieces = 0      # pieces returned
        self.sentences = 0   # of which ended a sentence

    def feed(self, piece: str) -> list[str]:
        self.buffer += piece
        out = []
        while True:
            m = _END.search(self.buffer)
            clause = self._first_clause(m.start() if m else len(self.buffer))
            if clause:
                out.append(clause)
                continue
            if not m:
                return out
            end = m.end(1) if m.group(1) else m.end(3)
            sentence = self.buffer[:end].strip()
            self.buffer = self.buffer[m.end():]
            if sentence:
                self.sentences += 1
                self.pieces += 1
                out.append(sentence)

    def _first_clause(self, before: int) -> str:
        """The answer's first clause, taken from the buffer, when it ends before `before` (a
        sentence end) and is long enough; '' otherwise."""
        if self.pieces or self.first_clause_words <= 0:
            return ''
        for m in _CLAUSE.finditer(self.buffer, 0, before):
            clause = self.buffer[:m.end(1)].strip()
            if clause.count('"') % 2 == 0 and len(clause.split()) >= self.first_clause_words:
                self.buffer = self.buffer[m.end():]
                self.pieces += 1
                return clause
        return ''

    def flush(self) -> list[str]:
        rest, self.buffer = self.buffer.strip(), ''
        if rest:
            self.sentences += 1
            self.pieces += 1
        return [rest] if rest else []
