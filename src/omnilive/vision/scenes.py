"""Frame sampling and scene-change segmentation of the video stream into clips.

Like the paper's video memory: consecutive sampled frames whose similarity to the clip stays
above a threshold (0.9) belong to one clip; a clip is closed at a scene change or after
`max_frames` (16) frames. Frame features are cheap and robust (HSV colour histogram and a small
grey thumbnail), or an image embedding when the GPU profile provides one.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

import cv2
import numpy as np


class FrameSampler:
    """Decides which arriving frames to process: at most `rate_hz`, whatever the camera rate."""

    def __init__(self, rate_hz: float = 1.0):
        self.period = 1.0 / max(rate_hz, 1e-6)
        self.next_t: Optional[float] = None

    def due(self, t: float) -> bool:
        if self.next_t is None or t >= self.next_t or t < self.next_t - 10 * self.period:
            # (a clock jump backwards, e.g. a replayed bag restarting, resets the schedule)
            self.next_t = t + self.period
            return True
        return False


THUMB_MIN_CONTRAST = 8.0   # grey levels (std) below which a thumbnail counts as featureless


def frame_features(rgb: np.ndarray) -> np.ndarray:
    """L2-normalised HSV histogram + 16x12 grey thumbnail (structure), float32."""
    small = cv2.resize(rgb, (160, 120), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, [8, 6, 4], [0, 180, 0, 256, 0, 256]).ravel()
    hist /= np.linalg.norm(hist) + 1e-9
    thumb = cv2.resize(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (16, 12),
                       interpolation=cv2.INTER_AREA).astype(np.float32).ravel()
    thumb -= thumb.mean()
    # a view with little structure (a blank wall, a dark room) keeps a small structure part:
    # scaled up to unit length its sensor noise would be all that is compared, a new clip per frame
    thumb /= max(float(np.linalg.norm(thumb)), THUMB_MIN_CONTRAST * np.sqrt(thumb.size))
    feat = np.concatenate([hist, thumb]).astype(np.float32)
    return feat / (np.linalg.norm(feat) + 1e-9)


@dataclasses.dataclass
class Boundary:
    cut: bool            # True: a scene change; False: the clip hit max_frames, same scene
    similarity: float


class SceneSegmenter:
    """Clips of a stream of frame features. A clip ends at a cut (similarity to the clip's
    running reference below `threshold`) or after `max_frames` while the scene changes (people
    walking through it); a view that has not changed since the clip began (every frame within
    `still` of the clip's first) goes on as one clip however long it lasts."""

    def __init__(self, threshold: float = 0.9, min_frames: int = 2, max_frames: int = 16,
                 still: float = 0.98):
        self.threshold = threshold
        self.min_frames = min_frames
        self.max_frames = max_frames
        self.still = still
        self.reference: Optional[np.ndarray] = None
        self.first: Optional[np.ndarray] = None    # the clip's first frame
        self.moved = False                         # a frame of the clip differed from it
        self.frames = 0          # frames in the current clip
        # frames since the last scene change (a max-length split is not one)
        self.since_cut = 0

    def push(self, feature: np.ndarray) -> Optional[Boundary]:
        """Feature of the next sampled frame. Returns a Boundary when this frame starts a new
        clip (the previous one is complete), else None."""
        if self.reference is None:
            self._open(feature)
            self.since_cut = 1
            return None
        sim = float(self.reference @ feature)
        if sim < self.threshold and self.since_cut >= self.min_frames:
            self._open(feature)
            self.since_cut = 1
            return Boundary(True, sim)
        self.since_cut += 1
        self.moved = self.moved or float(self.first @ feature) < self.still
        if self.frames >= self.max_frames and self.moved:
            self._open(feature)
            return Boundary(False, sim)
        # the reference follows slow changes (people walking) but not cuts
        ref = 0.7 * self.reference + 0.3 * feature
        self.reference = ref / (np.linalg.norm(ref) + 1e-9)
        self.frames += 1
        return None

    def _open(self, feature: np.ndarray) -> None:
        self.reference, self.first, self.frames, self.moved = feature, feature, 1, False
