"""Split streamed text into sentences as soon as each is complete (for TTS)."""
from __future__ import annotations

import re

# a sentence ends at . ! ? (or CJK 。！？) followed by space/end, not after a decimal point or
# common abbreviations
_END = re.compile(r'(?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bMrs)(?<!\bSt)(?<!\d\.\d)'
                  r'([.!?]+["\')\]]?)(\s+)|([。！？])')


class SentenceSplitter:
    def __init__(self):
        self.buffer = ''

    def feed(self, piece: str) -> list[str]:
        self.buffer += piece
        out = []
        while True:
            m = _END.search(self.buffer)
            if not m:
                return out
            end = m.end(1) if m.group(1) else m.end(3)
            sentence = self.buffer[:end].strip()
            self.buffer = self.buffer[m.end():]
            if sentence:
                out.append(sentence)

    def flush(self) -> list[str]:
        rest, self.buffer = self.buffer.strip(), ''
        return [rest] if rest else []
