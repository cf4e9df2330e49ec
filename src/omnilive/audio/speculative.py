"""The speculative query: a question heard before its utterance has ended.

When the end-of-speech pause reaches `asr.speculate_s`, the endpointer hands out the utterance so
far as a provisional one and the ASR worker transcribes it while the hangover runs (see
omnilive.audio.listener). When that speculative transcript is a question for the robot, perception
publishes it at once on `SPECULATIVE_QUERY_TOPIC`, before the endpoint fires, so reasoning can
retrieve and evaluate the prompt (omnilive.reasoning.speculative) while the user may still be
speaking. The Ask goal of the final transcript follows; reasoning keeps its preparation only when
the final text is the speculative one (after normalisation), else discards it.

Only one speculative query is published per provisional transcript, and none for speech, notes
or an utterance whose speculative transcript was dropped (not speech, low confidence): a note
must not be answered, and reasoning discards whatever a different final text contradicts.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

# relative: in the node's namespace, beside `utterances`
SPECULATIVE_QUERY_TOPIC = 'speech/speculative_query'


@dataclasses.dataclass
class SpeculativeQuery:
    text: str          # the transcript as the Ask goal will carry it (wake word included)
    start: float       # stream time of the utterance (s)
    end: float         # stream time of its last speech: the goal's asked_at if no more speech
    language: str
    confidence: float


def speculative_query(utt, heard) -> Optional[SpeculativeQuery]:
    """The query to publish for a provisional utterance `utt` and its recognition `heard` (a
    HeardUtterance or None): a SpeculativeQuery when it is a question for the robot, else None.
    A final (non-provisional) utterance never gives one: its Ask goal is the real question."""
    if not getattr(utt, 'provisional', False) or heard is None or heard.kind != 'query' or \
            not heard.text.strip():
        return None
    return SpeculativeQuery(heard.text, heard.start, heard.end, heard.language,
                            heard.confidence)
