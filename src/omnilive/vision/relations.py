"""Relations between the things of one frame that their boxes and people's keypoints support.

  holding      a person's wrist (pose keypoint) on or next to a hand-sized object's box
  on           a thing resting on a surface (a cup on a dining table), a person on a chair or
               riding a bicycle: its base in the top part of the other's box
  next to      two things side by side: overlapping rows, a gap under half their width
  in front of  overlapping boxes, the first one's base lower in the frame (nearer the camera
               on a floor seen from above the ground)

Each is (subject index, relation, object index) into the frame's ObjectFacts and is stored on
the subject (`ObjectFact.relations`, then the clip label's 'relations' attribute). Boxes only
approximate depth: "in front of" and "on" assume a camera looking at a floor, as a robot's does.
"""
from __future__ import annotations

from omnilive.vision import facts as F

RELATIONS = ('holding', 'on', 'next to', 'in front of')
# things nobody holds in one hand: furniture, vehicles, large animals and fixtures (COCO names)
NOT_HELD = frozenset({
    'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
    'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'horse', 'sheep',
    'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'chair', 'couch', 'potted plant', 'bed',
    'dining table', 'toilet', 'tv', 'microwave', 'oven', 'sink', 'refrigerator'})
SURFACES = frozenset({'dining table', 'bed', 'couch', 'chair', 'bench', 'toilet', 'sink',
                      'suitcase', 'car', 'truck', 'boat', 'refrigerator', 'oven'})
RIDDEN = frozenset({'bicycle', 'motorcycle', 'horse', 'skateboard', 'surfboard', 'elephant'})
HAND_REACH = 0.12       # a wrist this far (in the person's heights) from a box still holds it
MAX_NEXT_TO = 2         # 'next to' relations kept per thing (the nearest)
MAX_THINGS = 24         # relations among the largest boxes of a frame only


def _w(b):
    return b[2] - b[0]


def _h(b):
    return b[3] - b[1]


def _area(b):
    return max(0.0, _w(b)) * max(0.0, _h(b))


def _intersection(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _point_to_box(x: float, y: float, b) -> float:
    dx = max(b[0] - x, 0.0, x - b[2])
    dy = max(b[1] - y, 0.0, y - b[3])
    return (dx * dx + dy * dy) ** 0.5


def holding(person: F.ObjectFact, thing: F.ObjectFact) -> bool:
    body = person.body
    if body is None or not body.wrists or thing.name in NOT_HELD:
        return False
    if _area(thing.box) >= 0.6 * _area(person.box):
        return False
    reach = HAND_REACH * _h(person.box)
    return any(_point_to_box(x, y, thing.box) <= reach for x, y in body.wrists)


def on(a: F.ObjectFact, b: F.ObjectFact) -> bool:
    """`a` resting on (or riding) `b`."""
    A, B = a.box, b.box
    if a.name == 'person' and b.name in RIDDEN:
        overlap = min(A[2], B[2]) - max(A[0], B[0])
        return overlap >= 0.5 * _w(B) and A[1] < B[1] and A[3] > B[1] + 0.3 * _h(B)
    if b.name not in SURFACES or _area(A) >= 0.5 * _area(B) and a.name != 'person':
        return False
    cx = (A[0] + A[2]) / 2
    base_on_top = B[1] - 0.1 * _h(B) <= A[3] <= B[1] + 0.7 * _h(B)
    return B[0] <= cx <= B[2] and base_on_top and A[1] < B[1] + 0.5 * _h(B)


def next_to(a: F.ObjectFact, b: F.ObjectFact) -> float:
    """How far apart `a` and `b` are side by side (gap / mean width), or -1 when not."""
    A, B = a.box, b.box
    rows = min(A[3], B[3]) - max(A[1], B[1])
    if rows < 0.3 * min(_h(A), _h(B)) or not 1 / 3 <= _h(A) / max(_h(B), 1e-6) <= 3:
        return -1.0
    if _intersection(A, B) > 0.2 * min(_area(A), _area(B)):
        return -1.0
    gap = max(B[0] - A[2], A[0] - B[2], 0.0) / ((_w(A) + _w(B)) / 2)
    return gap if gap <= 0.5 else -1.0


def in_front_of(a: F.ObjectFact, b: F.ObjectFact, frame_height: float) -> bool:
    A, B = a.box, b.box
    if _intersection(A, B) < 0.3 * min(_area(A), _area(B)):
        return False
    return A[3] >= B[3] + 0.05 * frame_height


def frame_relations(objects: list[F.ObjectFact], frame_height: float
                    ) -> list[tuple[int, str, int]]:
    """(subject, relation, object) indices among the detector's facts of one frame."""
    boxes = sorted((i for i, f in enumerate(objects) if f.source == F.DETECTOR),
                   key=lambda i: -objects[i].share)[:MAX_THINGS]   # pairs grow as n^2
    out = []
    near: dict[int, list[tuple[float, int]]] = {}
    for i in boxes:
        for j in boxes:
            if i == j:
                continue
            a, b = objects[i], objects[j]
            if a.name == 'person' and holding(a, b):
                out.append((i, 'holding', j))
            elif on(a, b):
                out.append((i, 'on', j))
            elif in_front_of(a, b, frame_height):
                out.append((i, 'in front of', j))
            elif i < j and a.name != b.name:
                gap = next_to(a, b)
                if gap >= 0:
                    near.setdefault(i, []).append((gap, j))
                    near.setdefault(j, []).append((gap, i))
    for i, pairs in near.items():
        out += [(i, 'next to', j) for _, j in sorted(pairs)[:MAX_NEXT_TO]]
    return out


def attach(objects: list[F.ObjectFact], frame_height: float) -> None:
    """Store each frame relation on its subject as (relation, the object's finest name: a
    classifier's name for the same box when it gave one)."""
    finer = {f.box: f.name for f in objects if f.source == F.CLASSIFIER}
    for i, relation, j in frame_relations(objects, frame_height):
        other = objects[j]
        objects[i].relations.append((relation, finer.get(other.box, other.name)))
