"""What a memory backend does: the operations the memory node and the compressor use.

Two backends implement it: `MemoryStore` (SQLite + FTS5 + faiss in one directory per robot, the
default) and `MilvusStore` (one Milvus collection a fleet of robots shares). Items carry the robot
that perceived them; `retrieve(robot_ids=...)` limits a search to some robots (None: the fleet).
An item stored with robot_id '' (written before items named their robot) is the store's own.
"""
from __future__ import annotations

import abc
import json
import math
import threading
from typing import Iterable, Optional

import numpy as np

from omnilive.memory.types import Label, MemoryItem, new_id


def labels_json(labels: list[Label]) -> str:
    return json.dumps([label.to_dict() for label in labels], separators=(',', ':'))


def labels_from_json(text: str) -> list[Label]:
    return [Label.from_dict(d) for d in json.loads(text)]


def label_words(labels: list[Label]) -> str:
    """What keyword search matches of an item's labels: their names, and the categories and
    colours perception noticed (so "which animals" or "red" finds the clip of a red setter)."""
    words = []
    for label in labels:
        words.append(label.name)
        for key in ('categories', 'colours'):
            words.extend(str(value) for value in label.attributes.get(key, ()))
    return ' '.join(dict.fromkeys(words))


def embed_text(item_kind: str, text: str, labels: list[Label]) -> str:
    """What the text embedding of an item is computed from (as in schema 1: the embeddings
    a migrated memory holds stay what this computes)."""
    return f'{item_kind}: {text} ' + label_words(labels[:20])


class Row:
    """An item as compression reads it: its stored fields, embedding and provenance.
    `key` is the backend's handle of the row (SQLite rowid, Milvus primary key)."""

    __slots__ = ('key', 'id', 'kind', 'start', 'end', 'text', 'labels', 'pose', 'keyframes',
                 'keyframe_bytes', 'embedding', 'sources', 'raw_count', 'robot_id', 'frame_id')

    def __init__(self, key, id: str, kind: str, start: float, end: float, text: str,
                 labels: list[Label], pose, keyframes: list[str], keyframe_bytes: int,
                 embedding: Optional[np.ndarray], sources: list[str], raw_count: int,
                 robot_id: str = '', frame_id: str = ''):
        self.key, self.id, self.kind, self.start, self.end = key, id, kind, start, end
        self.text, self.labels, self.pose, self.keyframes = text, labels, pose, keyframes
        self.keyframe_bytes, self.embedding, self.sources = keyframe_bytes, embedding, sources
        self.raw_count, self.robot_id, self.frame_id = raw_count, robot_id, frame_id


class Episode:
    """What compression writes in place of the rows it folds: the episode item, its text
    embedding, the keyframe files it keeps and their bytes, the raw item ids it stands for and
    their number, and keyframe files no longer referenced (deleted once it is written)."""

    __slots__ = ('item', 'vector', 'keyframes', 'keyframe_bytes', 'sources', 'raw_count',
                 'dropped')

    def __init__(self, item: MemoryItem, vector: np.ndarray, keyframes: list[str],
                 keyframe_bytes: int, sources: list[str], raw_count: int, dropped: list[str]):
        self.item, self.vector, self.keyframes = item, vector, keyframes
        self.keyframe_bytes, self.sources, self.raw_count = keyframe_bytes, sources, raw_count
        self.dropped = dropped


class MemoryBackend(abc.ABC):
    """The store operations; every method is safe to call from several threads."""

    robot_id: str = ''
    embedder = None
    # compression settings (read by the compressor; the node may change them live)
    short_term_window_s: float = 300.0
    budget_items: int = 20_000
    budget_bytes: int = 500_000_000
    episode_gap_s: float = 15.0
    scene_similarity: float = 0.75
    max_episode_s: float = 900.0
    keyframes_per_episode: int = 1
    episode_keyframe_width: int = 320     # an episode's keyframes re-encoded this wide ...
    episode_keyframe_quality: int = 60    # ... at this JPEG quality
    view_similarity: float = 0.9          # keyframe thumbnails this alike: an unchanged view
    _lock: threading.RLock
    embed_text = staticmethod(embed_text)

    # ------------------------------------------------------------ what the node calls
    @abc.abstractmethod
    def insert(self, items: list[MemoryItem]) -> list[str]:
        """Store (or update by id) items; durable when it returns."""

    @staticmethod
    def check_insertable(items: list[MemoryItem]) -> None:
        """ValueError for an item no backend may store (checked before any is written)."""
        for item in items:
            if item.kind == 'episode':
                raise ValueError('episodes are made by compression, not inserted')
            if not item.id:  # an empty id would replace the last item inserted without one
                raise ValueError('a memory item needs an id')
            if not (math.isfinite(item.start) and math.isfinite(item.end)):
                raise ValueError(f'item {item.id}: times must be finite (start {item.start}, '
                                 f'end {item.end})')

    def remember(self, text: str, stamp: float) -> str:
        """A note the user asked to keep, stored through insert(); its id."""
        note = MemoryItem(id=new_id('note'), kind='note', start=stamp, end=stamp,
                          text=text.strip())
        if not note.text:
            raise ValueError('a note needs text')
        self.insert([note])
        return note.id

    @abc.abstractmethod
    def forget(self, ids: Iterable[str] = (), query: str = '', since: float = 0.0,
               until: float = 0.0) -> int:
        """Remove items by id, keyword query or time window; how many went."""

    @abc.abstractmethod
    def retrieve(self, query: str, top_k: int = 8, since: float = 0.0, until: float = 0.0,
                 kinds: Optional[list[str]] = None, now: Optional[float] = None,
                 robot_ids: Optional[list[str]] = None) -> list[MemoryItem]:
        """Hybrid ranking (semantic, keyword, recency) inside the time window, kinds and robots
        (robot_ids None: every robot the store holds)."""

    @abc.abstractmethod
    def get(self, ids: Iterable[str]) -> list[MemoryItem]:
        """Items by id."""

    @abc.abstractmethod
    def stats(self) -> dict:
        """{'counts': {(kind, level): n}, 'items', 'bytes', 'keyframe_bytes',
        'compression_ratio', 'oldest', 'newest'}"""

    @abc.abstractmethod
    def count(self) -> int:
        """Items held (this robot's, on a shared store)."""

    @abc.abstractmethod
    def budget_bytes_used(self) -> int:
        """Bytes the budget counts: stored rows and keyframe files."""

    def health(self) -> dict:
        """Backend counters for diagnostics (a shared store's outbox); {} when none."""
        return {}

    def flush(self) -> None:
        """Send what waits for an absent server (nothing for a local store)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Persist what is cached and release the store."""

    # ------------------------------------------------------------ what compression calls
    @abc.abstractmethod
    def compression_rows(self, kinds: Iterable[str], level: Optional[str] = None,
                         end_before: Optional[float] = None, newest_first: bool = False,
                         limit: Optional[int] = None) -> list[Row]:
        """This robot's rows of these kinds (and level, ending before a time), by start."""

    @abc.abstractmethod
    def nearest_episode(self, t: float) -> Optional[Row]:
        """This robot's episode whose middle is nearest to t."""

    @abc.abstractmethod
    def replace(self, removed: list[Row], episodes: list[Episode]) -> None:
        """Write the episodes and delete the removed rows, all or nothing."""

    @abc.abstractmethod
    def promote(self, kinds: Iterable[str], end_before: float) -> int:
        """Move this robot's short-term items of these kinds that ended before a time to the
        long-term level; how many moved."""

    @abc.abstractmethod
    def keyframe_size(self, name: str) -> Optional[int]:
        """Bytes of a stored keyframe file, None when it is gone."""

    # both backends keep keyframes as JPEG files in <root>/keyframes, named by the rows
    def read_keyframe(self, name: str) -> Optional[bytes]:
        """A stored keyframe file's JPEG bytes, None when it is gone."""
        path = self.root / 'keyframes' / name
        return path.read_bytes() if path.is_file() else None

    def save_keyframe(self, item_id: str, jpeg: bytes) -> tuple[list[str], int]:
        """Write a keyframe file for an item (durable when it returns); ([name], bytes)."""
        return self._save_keyframe(item_id, jpeg)

    def delete_keyframes(self, names: Iterable[str]) -> None:
        """Remove keyframe files no row references (written for a write that failed)."""
        for name in names:
            (self.root / 'keyframes' / name).unlink(missing_ok=True)

    def save_index(self) -> None:
        """Persist a cached index (after compression); nothing when the server keeps it."""
