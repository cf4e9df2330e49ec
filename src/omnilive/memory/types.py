"""The memory item shared by every module: plain data, no ROS types.

Times are float seconds on the robot's clock (ROS time, or sim time when replaying a bag).
The ROS layer converts to and from omnilive_msgs/MemoryItem (omnilive.ros.convert).
"""
from __future__ import annotations

import dataclasses
import uuid
from typing import Optional

KINDS = ('clip', 'speech', 'sound', 'note', 'episode')
LEVELS = ('short', 'long')

# Pose as (x, y, z, qx, qy, qz, qw) in the odometry frame.
Pose = tuple[float, float, float, float, float, float, float]


def new_id(prefix: str) -> str:
    return f'{prefix}-{uuid.uuid4().hex[:12]}'


@dataclasses.dataclass
class MemoryItem:
    id: str
    kind: str
    start: float
    end: float
    text: str = ''
    labels: list[str] = dataclasses.field(default_factory=list)
    label_counts: list[int] = dataclasses.field(default_factory=list)
    level: str = 'short'
    score: float = 0.0
    pose: Optional[Pose] = None
    keyframe_jpeg: bytes = b''
    image_embedding: Optional[list[float]] = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f'unknown memory kind {self.kind!r}; expected one of {KINDS}')
        if self.level not in LEVELS:
            raise ValueError(f'unknown memory level {self.level!r}; expected one of {LEVELS}')
        if len(self.label_counts) not in (0, len(self.labels)):
            raise ValueError('label_counts must be empty or as long as labels')
        if not self.label_counts:
            self.label_counts = [0] * len(self.labels)
        if self.end < self.start:
            raise ValueError(f'item {self.id}: end {self.end} before start {self.start}')

    def counts(self) -> dict[str, int]:
        return dict(zip(self.labels, self.label_counts))
