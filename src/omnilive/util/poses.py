"""The robot's recent poses, looked up by time for what perception stores."""
from __future__ import annotations

import bisect
import threading
from typing import Any, Optional


class PoseBuffer:
    """The last `maxlen` (time, pose) pairs, kept sorted by time. Odometry arrives on an
    executor thread while the workers look poses up, hence the lock."""

    def __init__(self, maxlen: int = 2000):
        self.maxlen = maxlen
        self._lock = threading.Lock()
        self._times: list[float] = []
        self._poses: list[Any] = []

    def __len__(self) -> int:
        return len(self._times)

    def add(self, t: float, pose: Any) -> None:
        with self._lock:
            i = bisect.bisect_right(self._times, t)   # a late message still lands in order
            self._times.insert(i, t)
            self._poses.insert(i, pose)
            if len(self._times) > self.maxlen:
                del self._times[0], self._poses[0]

    def at(self, t: float) -> Optional[Any]:
        """The first pose at or after `t` (the newest when `t` is later than all), None when
        no pose was received."""
        with self._lock:
            if not self._times:
                return None
            i = min(bisect.bisect_left(self._times, t), len(self._times) - 1)
            return self._poses[i]
