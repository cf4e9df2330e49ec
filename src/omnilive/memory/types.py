"""The memory item shared by every module: plain data, no ROS types.

Times are float seconds on the robot's clock (ROS time, or sim time when replaying a bag).
The ROS layer converts to and from omnilive_msgs/MemoryItem (omnilive.ros.convert).

What an item holds is a list of typed `Label`s: an object class with its count, text read, a
sound, speech. Memory written before labels were typed (schema omnilive-memory-1) stored them as
prefixed strings ("person", "text:EXIT", "sound:Telephone", "said:..."): `Label.parse` reads that
form, and is the only place that does.
"""
from __future__ import annotations

import dataclasses
import math
import re
import types
import uuid
from typing import Any, Iterable, Mapping, Optional

KINDS = ('clip', 'speech', 'sound', 'note', 'episode')
LEVELS = ('short', 'long')

# Label kinds (omnilive_msgs/Label KIND_*). A new kind is added here and in Label.msg.
OBJECT, TEXT, SOUND, SPEECH = 'object', 'text', 'sound', 'speech'
LABEL_KINDS = (OBJECT, TEXT, SOUND, SPEECH)
# the v1 string prefix of each kind but objects (which were plain class names)
_LEGACY_PREFIX = {TEXT: 'text:', SOUND: 'sound:', SPEECH: 'said:'}
_SYNSET = re.compile(r".+\.[nvasr]\.\d{2,}")

# Pose as (x, y, z, qx, qy, qz, qw) in the odometry frame.
Pose = tuple[float, float, float, float, float, float, float]


def new_id(prefix: str) -> str:
    return f'{prefix}-{uuid.uuid4().hex[:12]}'


def _frozen_value(value: Any, where: str) -> Any:
    """A JSON-compatible attribute value made immutable (lists become tuples), or a clear error:
    whatever a label carries must survive the store's JSON and the message's attributes_json."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f'{where}: attribute values must be finite, not {value}')
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_frozen_value(v, where) for v in value)
    if isinstance(value, Mapping):
        return types.MappingProxyType({str(k): _frozen_value(v, where) for k, v in value.items()})
    raise TypeError(f'{where}: attribute values must be JSON values (str, number, bool, list, '
                    f'mapping), not {type(value).__name__}')


def _plain_value(value: Any) -> Any:
    """The JSON form of a frozen attribute value."""
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain_value(v) for k, v in value.items()}
    return value


@dataclasses.dataclass(frozen=True)
class Label:
    """One thing an item holds.

    kind: one of LABEL_KINDS. name: the class, words read, sound class or words said ('person',
    'EXIT', 'Telephone', 'see you at noon'). count: objects, how many at once; sounds, how many
    times heard; 0 where a count makes no sense. synset: WordNet synset ('dog.n.01'), '' when
    unknown. score: the detector's or classifier's confidence, 0 when unknown. attributes: further
    typed values (colour, box, pose...), JSON-compatible; stored and sent as they are.
    """

    kind: str
    name: str
    count: int = 0
    synset: str = ''
    score: float = 0.0
    attributes: Mapping[str, Any] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({}), hash=False)

    def __post_init__(self) -> None:
        if self.kind not in LABEL_KINDS:
            raise ValueError(f'unknown label kind {self.kind!r}; expected one of {LABEL_KINDS}')
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f'a {self.kind} label needs a non-empty name, not {self.name!r}')
        if isinstance(self.count, bool) or not isinstance(self.count, (int, float)) or \
                self.count != int(self.count) or self.count < 0:
            raise ValueError(f'label {self.name!r}: count must be a whole number >= 0, '
                             f'not {self.count!r}')
        if not isinstance(self.synset, str) or \
                (self.synset and not _SYNSET.fullmatch(self.synset)):
            raise ValueError(f'label {self.name!r}: synset {self.synset!r} is not a WordNet '
                             "synset name like 'dog.n.01'")
        if not isinstance(self.score, (int, float)) or not math.isfinite(self.score):
            raise ValueError(f'label {self.name!r}: score must be a finite number, '
                             f'not {self.score!r}')
        if not isinstance(self.attributes, Mapping):
            raise TypeError(f'label {self.name!r}: attributes must be a mapping')
        object.__setattr__(self, 'count', int(self.count))
        object.__setattr__(self, 'score', float(self.score))
        object.__setattr__(self, 'attributes',
                           _frozen_value(self.attributes, f'label {self.name!r}'))

    # ------------------------------------------------------------------ the v1 string form
    @classmethod
    def parse(cls, legacy: str, count: int = 0) -> 'Label':
        """A label from its v1 string: 'text:EXIT', 'sound:Telephone', 'said:hello', else an
        object class ('person'). The only reader of that form (migration, callers not switched)."""
        if not isinstance(legacy, str):
            raise TypeError(f'a legacy label is a string, not {type(legacy).__name__}')
        for kind, prefix in _LEGACY_PREFIX.items():
            if legacy.startswith(prefix):
                return cls(kind, legacy[len(prefix):], count)
        return cls(OBJECT, legacy, count)

    @property
    def legacy(self) -> str:
        """The v1 string of this label ('person', 'text:EXIT'): one key across every kind."""
        return _LEGACY_PREFIX.get(self.kind, '') + self.name

    # ------------------------------------------------------------------ JSON (the store)
    def to_dict(self) -> dict:
        """Its JSON object; fields at their default are left out (the store keeps many)."""
        out: dict[str, Any] = {'kind': self.kind, 'name': self.name}
        if self.count:
            out['count'] = self.count
        if self.synset:
            out['synset'] = self.synset
        if self.score:
            out['score'] = self.score
        if self.attributes:
            out['attributes'] = _plain_value(self.attributes)
        return out

    @classmethod
    def from_dict(cls, data: Mapping) -> 'Label':
        if not isinstance(data, Mapping):
            raise ValueError(f'a label is a JSON object, not {data!r}')
        unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f'label {data.get("name")!r} has unknown fields {sorted(unknown)}')
        return cls(**data)


def labels_from_v1(labels: Iterable, counts: Optional[Iterable[int]] = None) -> list[Label]:
    """Schema-1 labels (prefixed strings with their parallel `label_counts`) as `Label`s: what
    the store's migration reads."""
    labels = list(labels)
    counts = [0] * len(labels) if counts is None else list(counts)
    if len(counts) != len(labels):
        raise ValueError(f'{len(counts)} label counts for {len(labels)} labels')
    out = []
    for label, count in zip(labels, counts):
        if not isinstance(label, str):
            raise TypeError(f'a v1 label is a string, not {type(label).__name__}')
        out.append(Label.parse(label, count))
    return out


@dataclasses.dataclass
class MemoryItem:
    """One unit of memory: a clip, speech, a sound, a note or an episode, with typed labels."""

    id: str
    kind: str
    start: float
    end: float
    text: str = ''
    labels: list[Label] = dataclasses.field(default_factory=list)
    level: str = 'short'
    score: float = 0.0
    pose: Optional[Pose] = None
    keyframe_jpeg: bytes = b''
    image_embedding: Optional[list[float]] = None
    robot_id: str = ''  # the robot that perceived it; '' = the memory's own robot
    frame_id: str = ''  # the frame of `pose` ('map', 'odom'); '' without a pose

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f'unknown memory kind {self.kind!r}; expected one of {KINDS}')
        if self.level not in LEVELS:
            raise ValueError(f'unknown memory level {self.level!r}; expected one of {LEVELS}')
        self.labels = list(self.labels)
        for label in self.labels:
            if not isinstance(label, Label):
                raise TypeError(f'item {self.id}: a label is a Label, not '
                                f'{type(label).__name__} ({label!r})')
        if self.end < self.start:
            raise ValueError(f'item {self.id}: end {self.end} before start {self.start}')

    def labels_of(self, kind: str) -> list[Label]:
        if kind not in LABEL_KINDS:
            raise ValueError(f'unknown label kind {kind!r}; expected one of {LABEL_KINDS}')
        return [label for label in self.labels if label.kind == kind]

    def names(self, kind: str) -> list[str]:
        return [label.name for label in self.labels_of(kind)]

    def counts(self, kind: str) -> dict[str, int]:
        """{name: count} of the labels of `kind` (the highest count if a name repeats)."""
        out: dict[str, int] = {}
        for label in self.labels_of(kind):
            out[label.name] = max(out.get(label.name, 0), label.count)
        return out

