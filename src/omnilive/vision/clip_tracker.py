"""The open clip of the video stream: when it opens and closes, and when it is stored.

Every sampled frame goes through the scene segmenter; a cut or a full clip closes the open clip
(stored in its final form) and opens the next one. The open clip is also stored (upserted under
the same id) every `clip_update_s` of stream time, so "what do you see now?" finds the current
scene before it ends. Sounds and speech heard meanwhile are added to the open clip from other
threads, hence the lock. Plain Python: storing is a function given by the node."""
from __future__ import annotations

import collections
import threading
import time
from typing import Any, Callable, Optional

import numpy as np

from omnilive.memory.types import MemoryItem
from omnilive.vision.clips import ClipBuilder
from omnilive.vision.scenes import SceneSegmenter, frame_features


class ClipTracker:
    def __init__(self, segmenter: SceneSegmenter, analyzer, store: Callable[[MemoryItem], None],
                 settings, pose_at: Callable[[float], Any] = lambda t: None, timer=None,
                 max_cuts: int = 50):
        """`analyzer`: .analyze(rgb, frame_in_clip) -> FrameFacts (vision.clips: counts, texts,
        embedding, object facts) and .captioner (None or rgb -> caption); `settings`:
        .clip_update_s and .frame_rate_hz, read on every frame so that changes at run time
        apply; `timer`: a StageTimer."""
        self.segmenter = segmenter
        self.analyzer = analyzer
        self.store = store
        self.settings = settings
        self.pose_at = pose_at
        self.timer = timer
        self.clip: Optional[ClipBuilder] = None
        self.frames_in_clip = 0
        self.last_upsert = 0.0
        self.closed = 0                                           # clips finished and stored
        self.cuts: collections.deque = collections.deque(maxlen=max_cuts)  # scene-cut times
        self._lock = threading.Lock()

    def _period(self) -> float:
        return 1.0 / self.settings.frame_rate_hz

    def push(self, t: float, rgb: np.ndarray):
        """One sampled frame at stream time `t`; returns its facts (FrameAnalyzer.analyze), for
        what is shown of it (detections, the debug image)."""
        boundary = self.segmenter.push(frame_features(rgb))
        if self.clip is None or boundary is not None:
            if boundary is not None and boundary.cut:
                self.cuts.append(round(t, 3))
            with self._lock:
                finished, self.clip = self.clip, ClipBuilder(t)
                self.frames_in_clip, self.last_upsert = 0, t
                item = finished.item(self._period()) if finished is not None else None
            if item is not None:
                self.store(item)
                self.closed += 1
        t0 = time.perf_counter()
        facts = self.analyzer.analyze(rgb, self.frames_in_clip)
        caption = self.analyzer.captioner(rgb) \
            if self.analyzer.captioner is not None and self.frames_in_clip == 0 else None
        if self.timer is not None:
            self.timer.add('analyze', time.perf_counter() - t0)
        with self._lock:
            self.clip.add_frame(t, rgb, facts.counts, facts.texts, self.pose_at(t),
                                facts.embedding, facts.objects)
            if caption is not None:
                self.clip.caption_override = caption
            self.frames_in_clip += 1
            due = t - self.last_upsert >= self.settings.clip_update_s
            if due:
                self.last_upsert = t
                item = self.clip.item(self._period())
        if due:
            self.store(item)
        return facts

    def add_sound(self, label: str) -> None:
        with self._lock:
            if self.clip is not None:
                self.clip.add_sound(label)

    def add_speech(self, text: str) -> None:
        with self._lock:
            if self.clip is not None:
                self.clip.add_speech(text)
