"""Per-stage processing times for /diagnostics."""
from __future__ import annotations

import threading


class StageTimer:
    """Count, mean and max milliseconds per named stage; stages are timed on several worker
    threads at once, so updates hold a lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stats: dict[str, list] = {}   # stage -> [count, total ms, max ms]

    def add(self, stage: str, seconds: float) -> None:
        ms = seconds * 1000
        with self._lock:
            s = self._stats.setdefault(stage, [0, 0.0, 0.0])
            s[0] += 1
            s[1] += ms
            s[2] = max(s[2], ms)

    def stats(self, stage: str) -> tuple[int, float, float]:
        """(count, mean ms, max ms) of `stage`; zeros when it never ran."""
        with self._lock:
            n, total, peak = self._stats.get(stage, (0, 0.0, 0.0))
        return n, (total / n if n else 0.0), peak

    def values(self) -> dict[str, str]:
        """The /diagnostics values: `ms.<stage>` -> 'mean 12.3 max 45.6 n 7'."""
        with self._lock:
            stats = {k: tuple(v) for k, v in self._stats.items()}
        return {f'ms.{k}': f'mean {total / n:.1f} max {peak:.1f} n {n}'
                for k, (n, total, peak) in stats.items() if n}
