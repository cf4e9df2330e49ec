"""Clip descriptors: what was in a clip, as a memory item with a caption.

Per clip: objects and people with counts (the most seen at once in any frame), text read by OCR
on keyframes, sounds and speech heard during it, a JPEG keyframe, the robot's pose, and an image
embedding when configured. The caption reads like "2 people and a car; text reads "EXIT"; heard
telephone" (or is written by the VLM in the GPU profile).
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label, MemoryItem, new_id
from omnilive.vision.image_convert import rgb_to_jpeg


def clean_text(text: str) -> Optional[str]:
    """OCR output worth remembering: at least 3 letters/digits, mostly alphanumeric."""
    text = ' '.join(text.split()).strip(' .,:;-_|')
    alnum = sum(ch.isalnum() for ch in text)
    if alnum < 3 or alnum < 0.6 * len(text.replace(' ', '')):
        return None
    return text


class ClipBuilder:
    """Accumulates one clip. The node creates one per clip and calls `item()` to upsert it."""

    def __init__(self, start: float, keyframe_jpeg_quality: int = 80):
        self.id = new_id('clip')
        self.start = start
        self.end = start
        self.objects: dict[str, int] = {}
        self.texts: dict[str, None] = {}
        self.heard: dict[str, int] = {}
        self.said: dict[str, None] = {}
        self.frames = 0
        self.pose = None
        self.keyframe: Optional[np.ndarray] = None
        self._keyframe_score = -1.0
        self.embedding: Optional[np.ndarray] = None
        self.caption_override: Optional[str] = None
        self.quality = keyframe_jpeg_quality

    def add_frame(self, t: float, rgb: np.ndarray, counts: dict[str, int],
                  texts: list[str] = (), pose=None, embedding: Optional[np.ndarray] = None) -> None:
        self.end = max(self.end, t)
        self.frames += 1
        for label, n in counts.items():
            self.objects[label] = max(self.objects.get(label, 0), n)
        for text in texts:
            cleaned = clean_text(text)
            if cleaned:
                self.texts.setdefault(cleaned)
        if pose is not None:
            self.pose = pose
        # keyframe: the frame that shows the most (objects and text), earliest on ties
        score = sum(counts.values()) + 2 * len(texts)
        if score > self._keyframe_score:
            self.keyframe, self._keyframe_score = rgb, score
        if embedding is not None:
            self.embedding = embedding if self.embedding is None else \
                (self.embedding * (self.frames - 1) + embedding) / self.frames

    def add_sound(self, label: str) -> None:
        self.heard[label] = self.heard.get(label, 0) + 1

    def add_speech(self, text: str) -> None:
        if text.strip():  # an empty transcript says nothing (and makes no label)
            self.said.setdefault(text.strip())

    def labels(self) -> list[Label]:
        """Objects (most seen at once), text read, sounds (times heard), words said."""
        return [Label(OBJECT, name, n) for name, n in self.objects.items()] + \
            [Label(TEXT, t) for t in self.texts] + \
            [Label(SOUND, s, n) for s, n in self.heard.items()] + \
            [Label(SPEECH, s) for s in self.said]

    def item(self, period_s: float = 1.0) -> MemoryItem:
        labels = self.labels()
        text = self.caption_override or describe.caption(labels)
        return MemoryItem(id=self.id, kind='clip', start=self.start,
                          end=max(self.end + period_s, self.start), text=text, labels=labels,
                          pose=self.pose,
                          keyframe_jpeg=rgb_to_jpeg(self.keyframe, self.quality)
                          if self.keyframe is not None else b'',
                          image_embedding=self.embedding.tolist() if self.embedding is not None
                          else None)


class FrameAnalyzer:
    """Runs the detector on every sampled frame and OCR every `ocr_every` frames of a clip."""

    def __init__(self, detector, reader=None, ocr_every: int = 3,
                 embedder=None, captioner: Optional[Callable[[np.ndarray], str]] = None):
        self.detector = detector
        self.reader = reader
        self.ocr_every = max(1, ocr_every)
        self.embedder = embedder
        self.captioner = captioner

    def analyze(self, rgb: np.ndarray, frame_in_clip: int):
        counts = self.detector.counts(self.detector.detect(rgb))
        texts = []
        if self.reader is not None and frame_in_clip % self.ocr_every == 0:
            texts = [b.text for b in self.reader.read(rgb)]
        embedding = self.embedder.embed([rgb])[0] if self.embedder is not None else None
        return counts, texts, embedding
