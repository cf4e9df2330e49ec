"""A simulated robot stream with facts planted at known times (sim time, a clip every 3 s).

Eight kinds of everyday scene follow each other (10 to 100 clips each); 50 facts are planted once
each at a random clip: 15 objects with a count, 12 signs, 12 sounds and 11 notes, every one with a
natural question that asks for it and a label that appears nowhere else in the stream.
Used by the planted-facts memory test and by `omnilive bench` (memory growth, the memory behind
the spoken-question latency). Plain Python, no ROS.

    stream = PlantedStream(hours=8)
    feed(store, stream, Compressor(store))          # what perception would have written
    found = [fact_found(f, store.retrieve(f.question, top_k=5)) for f in stream.facts]
"""
from __future__ import annotations

import collections
import dataclasses
from typing import Callable, Iterator, Optional

import cv2
import numpy as np

from omnilive.memory.describe import caption
from omnilive.memory.types import OBJECT, SOUND, TEXT, Label, MemoryItem

CLIP_S = 3.0
SCENES = [['person', 'chair', 'dining table'], ['car', 'person', 'traffic light'],
          ['laptop', 'keyboard', 'chair'], ['couch', 'tv', 'remote'], ['bottle', 'cup', 'sink'],
          ['bicycle', 'person', 'bench'], ['book', 'potted plant', 'clock'], ['bed', 'chair']]
# (label, count, question) for objects; each label appears nowhere else in the stream
OBJECTS = [('giraffe', 4, 'How many giraffes did you see?'),
           ('elephant', 2, 'How many elephants were there?'),
           ('zebra', 3, 'Did you see any zebras? How many?'),
           ('horse', 5, 'How many horses did you see?'),
           ('teddy bear', 2, 'How many teddy bears were there?'),
           ('umbrella', 3, 'How many umbrellas did you see?'),
           ('kite', 2, 'Were there kites? How many?'),
           ('skateboard', 4, 'How many skateboards did you see?'),
           ('surfboard', 2, 'How many surfboards were there?'),
           ('suitcase', 3, 'How many suitcases did you notice?'),
           ('fire hydrant', 1, 'Did you see a fire hydrant?'),
           ('stop sign', 2, 'How many stop signs did you see?'),
           ('sheep', 6, 'How many sheep did you see?'),
           ('cow', 3, 'How many cows were there?'),
           ('banana', 5, 'How many bananas did you see?')]
TEXTS = [('GATE 17', 'Did you read anything about gate 17?'),
         ('PLATFORM 9', 'What platform sign did you read?'),
         ('FRESH BREAD', 'Did you see a sign about bread?'),
         ('EXIT B', 'Where was the exit B sign?'),
         ('ROOM 204', 'Did you see room 204?'),
         ('WET FLOOR', 'Did you see a wet floor warning?'),
         ('PHARMACY', 'Did you see a pharmacy sign?'),
         ('LIBRARY', 'Did you read a library sign?'),
         ('CAFE LUNA', 'What was the name of the cafe?'),
         ('NO PARKING', 'Was there a no parking sign?'),
         ('ELEVATOR', 'Did you see a sign for the elevator?'),
         ('LOADING DOCK', 'Did you see the loading dock sign?')]
SOUNDS = [('Siren', 'Did you hear a siren?'),
          ('Doorbell', 'Did you hear the doorbell?'),
          ('Thunder', 'Did you hear thunder?'),
          ('Applause', 'Did you hear applause?'),
          ('Glass', 'Did you hear glass breaking?'),
          ('Whistle', 'Did you hear a whistle?'),
          ('Cough', 'Did someone cough?'),
          ('Bicycle bell', 'Did you hear a bicycle bell?'),
          ('Baby cry, infant cry', 'Did you hear a baby crying?'),
          ('Dog', 'Did you hear a dog bark?'),
          ('Vacuum cleaner', 'Did you hear a vacuum cleaner?'),
          ('Alarm clock', 'Did an alarm clock ring?')]
NOTES = [('my keys are in the top drawer', 'Where are my keys?'),
         ('the wifi password is tulip42', 'What is the wifi password?'),
         ('the plant needs water on friday', 'When does the plant need water?'),
         ('my passport is in the blue bag', 'Where is my passport?'),
         ('the spare battery is on the shelf', 'Where is the spare battery?'),
         ('the delivery comes at three', 'When does the delivery come?'),
         ('the meeting moved to room five', 'Where is the meeting?'),
         ('the red mug belongs to anna', 'Whose is the red mug?'),
         ('the printer toner is in the closet', 'Where is the printer toner?'),
         ('grandma calls on sunday', 'When does grandma call?'),
         ('the bike lock code is 1234', 'What is the bike lock code?')]


@dataclasses.dataclass
class Fact:
    kind: str                # 'object', 'text', 'sound' or 'note'
    value: str               # the object label, sign text, sound class or note text
    count: int               # objects: how many at once; 0 otherwise
    question: str
    t: float = -1.0          # stream time of the clip it was planted in

    @property
    def at(self) -> float:
        """When the fact happened: sounds and notes come 1 s into their clip."""
        return self.t + (1.0 if self.kind in ('sound', 'note') else 0.0)


def all_facts() -> list[Fact]:
    return ([Fact('object', label, count, q) for label, count, q in OBJECTS] +
            [Fact('text', text, 0, q) for text, q in TEXTS] +
            [Fact('sound', sound, 0, q) for sound, q in SOUNDS] +
            [Fact('note', note, 0, q) for note, q in NOTES])


def random_jpeg(rng: np.random.Generator) -> bytes:
    """A tiny noise keyframe (64x48): stands in for size only where bytes do not matter."""
    return cv2.imencode('.jpg', rng.integers(0, 256, (48, 64, 3), dtype=np.uint8),
                        [cv2.IMWRITE_JPEG_QUALITY, 60])[1].tobytes()


@dataclasses.dataclass
class Step:
    t: float
    items: list[MemoryItem]            # the clip, and a planted sound if any
    note: Optional[tuple[str, float]]  # (text, stamp) of a note told to the robot here


class PlantedStream:
    """`keyframe(rng, scene_index)` makes each clip's JPEG; the default is a tiny noise image
    (the planted-facts test), the memory benchmark passes real camera frames. Times start at
    `start` (sim time 0, or a wall-clock time for a memory a live graph reads)."""

    def __init__(self, hours: float = 8.0, clip_s: float = CLIP_S, seed: int = 42,
                 keyframe: Optional[Callable[[np.random.Generator, int], bytes]] = None,
                 start: float = 0.0):
        self.clip_s = clip_s
        self.start = start
        self.n_clips = int(hours * 3600 / clip_s)
        self.rng = np.random.default_rng(seed)
        self.keyframe = keyframe or (lambda rng, scene: random_jpeg(rng))
        self.facts = all_facts()
        margin = min(200, self.n_clips // 10)
        if self.n_clips - 2 * margin < len(self.facts):
            raise ValueError(f'{hours} h is too short to plant {len(self.facts)} facts')
        slots = np.sort(self.rng.choice(np.arange(margin, self.n_clips - margin),
                                        size=len(self.facts), replace=False))
        self.planted = {int(slot): int(fact) for slot, fact in
                        zip(slots, self.rng.permutation(len(self.facts)))}

    @property
    def end(self) -> float:
        return self.start + self.n_clips * self.clip_s

    def steps(self) -> Iterator[Step]:
        rng = self.rng
        scene, scene_left = 0, 0
        for i in range(self.n_clips):
            t = self.start + i * self.clip_s
            if scene_left <= 0:
                scene, scene_left = int(rng.integers(len(SCENES))), int(rng.integers(10, 100))
            scene_left -= 1
            labels = [Label(OBJECT, name, int(rng.integers(1, 4))) for name in SCENES[scene]]
            items, note = [], None
            if i in self.planted:
                fact = self.facts[self.planted[i]]
                fact.t = t
                if fact.kind == 'object':
                    labels.append(Label(OBJECT, fact.value, fact.count))
                elif fact.kind == 'text':
                    labels.append(Label(TEXT, fact.value))
                elif fact.kind == 'sound':
                    items.append(MemoryItem(id=f'sound-{i}', kind='sound', start=t + 1, end=t + 2,
                                            text=f'heard {fact.value.lower()}',
                                            labels=[Label(SOUND, fact.value, 1)]))
                else:
                    note = (fact.value, fact.at)
            items.append(MemoryItem(id=f'clip-{i}', kind='clip', start=t, end=t + self.clip_s,
                                    text=caption(labels), labels=labels,
                                    pose=(float(i % 50), 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
                                    keyframe_jpeg=self.keyframe(rng, scene)))
            yield Step(t, items, note)


def feed(store, stream: PlantedStream, compressor=None, batch_items: int = 100,
         on_batch: Callable[[float], None] = lambda t: None) -> None:
    """Write the stream into `store` the way the memory node receives it: notes at once, clips in
    batches (5 minutes of stream), compression after each batch when a compressor is given."""
    pending: list[MemoryItem] = []
    for step in stream.steps():
        if step.note:
            store.remember(*step.note)
        pending += step.items
        if len(pending) >= batch_items:
            store.insert(pending)
            pending = []
            if compressor is not None:
                compressor.run(now=step.t + stream.clip_s)
            on_batch(step.t + stream.clip_s)
    if pending:
        store.insert(pending)


def fact_found(fact: Fact, results: list[MemoryItem]) -> bool:
    """A retrieved item spans the fact's time and holds it: the object with its exact count,
    the sign text, the sound, or the note itself."""
    for item in results:
        if not item.start - 1e-6 <= fact.at <= item.end + 1e-6:
            continue
        if fact.kind == 'object' and item.counts(OBJECT).get(fact.value) == fact.count:
            return True
        if fact.kind == 'text' and fact.value in item.counts(TEXT):
            return True
        if fact.kind == 'sound' and fact.value in item.counts(SOUND):
            return True
        if fact.kind == 'note' and item.kind == 'note' and item.text == fact.value:
            return True
    return False


# espeak-ng voices and extra questions for the spoken-question benches (latency, ASR)
VOICES = ['en-us', 'en-us+f3', 'en-us+m3', 'en-us+m1']
# open questions first: the model answers them (the planted facts' questions are mostly answered
# directly), and the latency target is on the questions the model answers
EXTRA_QUESTIONS = ['What did you see?', 'Describe the room.', 'How many people did you see?',
                   'Did you see a car?']


def spoken_questions(n: int) -> list[str]:
    """`n` questions about the planted facts, spread over their kinds, that the query detector
    takes for questions to the robot (statements and chat would never reach reasoning)."""
    from omnilive.audio.queries import QueryDetector
    detector = QueryDetector()
    by_kind = collections.defaultdict(list)
    for fact in all_facts():
        if detector.is_query(fact.question):
            by_kind[fact.kind].append(fact.question)
    mixed = [q for group in zip(*by_kind.values()) for q in group]
    mixed += [q for group in by_kind.values() for q in group if q not in mixed]
    questions = EXTRA_QUESTIONS[:max(2, n // 6)]
    questions += mixed[:n - len(questions)]
    return questions[:n]
