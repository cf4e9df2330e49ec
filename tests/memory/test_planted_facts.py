"""Eight hours of simulated stream (a clip every 3 s, sim time) with 50 facts planted at known
times: the budget holds, >= 90% of facts come back for a natural question with the right count and
a time inside the returned item's span, and every note comes back."""
import cv2
import numpy as np
import pytest

from omnilive.memory.compressor import Compressor
from omnilive.memory.describe import caption
from omnilive.memory.store import MemoryStore
from omnilive.memory.types import MemoryItem

HOURS = 8
CLIP_S = 3.0
SCENES = [['person', 'chair', 'dining table'], ['car', 'person', 'traffic light'],
          ['laptop', 'keyboard', 'chair'], ['couch', 'tv', 'remote'], ['bottle', 'cup', 'sink'],
          ['bicycle', 'person', 'bench'], ['book', 'potted plant', 'clock'], ['bed', 'chair']]
# (label, count, question) for objects; each label appears nowhere else in the stream
OBJECTS = [('giraffe', 4, 'How many giraffes did you see?'), ('elephant', 2, 'How many elephants were there?'),
           ('zebra', 3, 'Did you see any zebras? How many?'), ('horse', 5, 'How many horses did you see?'),
           ('teddy bear', 2, 'How many teddy bears were there?'), ('umbrella', 3, 'How many umbrellas did you see?'),
           ('kite', 2, 'Were there kites? How many?'), ('skateboard', 4, 'How many skateboards did you see?'),
           ('surfboard', 2, 'How many surfboards were there?'), ('suitcase', 3, 'How many suitcases did you notice?'),
           ('fire hydrant', 1, 'Did you see a fire hydrant?'), ('stop sign', 2, 'How many stop signs did you see?'),
           ('sheep', 6, 'How many sheep did you see?'), ('cow', 3, 'How many cows were there?'),
           ('banana', 5, 'How many bananas did you see?')]
TEXTS = [('GATE 17', 'Did you read anything about gate 17?'), ('PLATFORM 9', 'What platform sign did you read?'),
         ('FRESH BREAD', 'Did you see a sign about bread?'), ('EXIT B', 'Where was the exit B sign?'),
         ('ROOM 204', 'Did you see room 204?'), ('WET FLOOR', 'Did you see a wet floor warning?'),
         ('PHARMACY', 'Did you see a pharmacy sign?'), ('LIBRARY', 'Did you read a library sign?'),
         ('CAFE LUNA', 'What was the name of the cafe?'), ('NO PARKING', 'Was there a no parking sign?'),
         ('ELEVATOR', 'Did you see a sign for the elevator?'), ('LOADING DOCK', 'Did you see the loading dock sign?')]
SOUNDS = [('Siren', 'Did you hear a siren?'), ('Doorbell', 'Did you hear the doorbell?'),
          ('Thunder', 'Did you hear thunder?'), ('Applause', 'Did you hear applause?'),
          ('Glass', 'Did you hear glass breaking?'), ('Whistle', 'Did you hear a whistle?'),
          ('Cough', 'Did someone cough?'), ('Bicycle bell', 'Did you hear a bicycle bell?'),
          ('Baby cry, infant cry', 'Did you hear a baby crying?'), ('Dog', 'Did you hear a dog bark?'),
          ('Vacuum cleaner', 'Did you hear a vacuum cleaner?'), ('Alarm clock', 'Did an alarm clock ring?')]
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


def jpeg(rng) -> bytes:
    return cv2.imencode('.jpg', rng.integers(0, 256, (48, 64, 3), dtype=np.uint8),
                        [cv2.IMWRITE_JPEG_QUALITY, 60])[1].tobytes()


@pytest.mark.slow
@pytest.mark.models
def test_planted_facts_over_eight_hours(tmp_path, embedder):
    rng = np.random.default_rng(42)
    budget_items, budget_bytes = 400, 12_000_000
    store = MemoryStore(tmp_path / 'mem', embedder, short_term_window_s=300,
                        budget_items=budget_items, budget_bytes=budget_bytes)
    compressor = Compressor(store)
    n_clips = int(HOURS * 3600 / CLIP_S)
    facts = [('object', *o) for o in OBJECTS] + [('text', *t) for t in TEXTS] + \
        [('sound', *s) for s in SOUNDS] + [('note', *n) for n in NOTES]
    assert len(facts) == 50
    slots = np.sort(rng.choice(np.arange(200, n_clips - 200), size=len(facts), replace=False))
    planted = {int(slot): fact for slot, fact in zip(slots, rng.permutation(len(facts)))}
    truth = []
    scene, scene_left, batch = 0, 0, []
    for i in range(n_clips):
        t = i * CLIP_S
        if scene_left <= 0:
            scene, scene_left = int(rng.integers(len(SCENES))), int(rng.integers(10, 100))
        scene_left -= 1
        labels = list(SCENES[scene])
        counts = [int(rng.integers(1, 4)) for _ in labels]
        if i in planted:
            kind, *fact = facts[planted[i]]
            truth.append((kind, fact, t))
            if kind == 'object':
                labels.append(fact[0])
                counts.append(fact[1])
            elif kind == 'text':
                labels.append('text:' + fact[0])
                counts.append(0)
            elif kind == 'sound':
                batch.append(MemoryItem(id=f'sound-{i}', kind='sound', start=t + 1, end=t + 2,
                                        text=f'heard {fact[0].lower()}',
                                        labels=['sound:' + fact[0]], label_counts=[1]))
            else:
                store.remember(fact[0], t + 1)
        batch.append(MemoryItem(id=f'clip-{i}', kind='clip', start=t, end=t + CLIP_S,
                                text=caption(labels, counts), labels=labels, label_counts=counts,
                                pose=(float(i % 50), 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
                                keyframe_jpeg=jpeg(rng)))
        if len(batch) >= 100:  # every 5 minutes of stream: insert, then compress
            store.insert(batch)
            batch = []
            compressor.run(now=t + CLIP_S)
    store.insert(batch)
    compressor.run(now=n_clips * CLIP_S + 10 * 3600)  # everything old enough to be long-term

    stats = store.stats()
    assert store.count() <= budget_items
    assert store.budget_bytes_used() <= budget_bytes
    assert stats['compression_ratio'] > 10

    found, misses = 0, []
    notes_found = 0
    for kind, fact, t in truth:
        question = fact[-1]
        results = store.retrieve(question, top_k=5)
        ok = False
        for item in results:
            if not item.start - 1e-6 <= t + (1 if kind in ('sound', 'note') else 0) <= item.end + 1e-6:
                continue
            counts = item.counts()
            if kind == 'object':
                ok = counts.get(fact[0]) == fact[1]
            elif kind == 'text':
                ok = 'text:' + fact[0] in counts
            elif kind == 'sound':
                ok = 'sound:' + fact[0] in counts
            else:
                ok = item.kind == 'note' and item.text == fact[0]
            if ok:
                break
        found += ok
        notes_found += ok and kind == 'note'
        if not ok:
            misses.append((kind, fact[0], t, [(r.kind, r.start, r.end, r.text[:60]) for r in results[:2]]))
    assert notes_found == len(NOTES), misses
    assert found / len(truth) >= 0.9, f'{found}/{len(truth)} facts retrieved; misses: {misses}'
