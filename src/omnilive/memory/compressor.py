"""Short-term to long-term compression (the paper's memory compression, for a robot's hours).

1. Clips older than the short-term window become long-term episodes: adjacent clips of the same
   scene (close in time, similar content) merge into one episode; the span widens, object counts
   keep the most seen at once, sounds add up, read text and speech are deduplicated, the pose is
   kept and `keyframes_per_episode` representative keyframes stay, re-encoded smaller
   (`episode_keyframe_width` px wide, JPEG `episode_keyframe_quality`); the clips' other keyframe
   files go. Its text is an extractive summary. Consecutive clips or episodes of an unchanged
   view (their keyframes look alike and their object labels agree) merge into one episode
   spanning both, whatever their captions' words (speech and sounds heard meanwhile differ).
   Speech and sound items older than the window move to the long-term level as they are.
2. While the store is over its budget (items or bytes, keyframes included), long-term memory
   coarsens, oldest first: sounds and speech fold into the episode around them, then adjacent
   episodes merge pairwise. What was seen stays answerable at coarser detail; notes are never
   touched.
"""
from __future__ import annotations

import dataclasses
import logging

import cv2
import numpy as np

from omnilive.memory import describe
from omnilive.memory.backend import Episode, MemoryBackend, Row
from omnilive.memory.types import OBJECT, SOUND, SPEECH, Label, MemoryItem, new_id

log = logging.getLogger(__name__)


def merge_labels(rows: list[Row]) -> list[Label]:
    """One label per (kind, name), in order of first appearance. Objects: the most seen at once;
    sounds: how many times heard; text and speech: once. The first label's synset and
    attributes stay (the first that has any, when earlier ones had none); the score is the best
    seen."""
    merged: dict[tuple[str, str], Label] = {}
    for row in rows:
        for label in row.labels:
            key = (label.kind, label.name)
            if label.kind == SOUND:
                label = dataclasses.replace(label, count=max(1, label.count))
            first = merged.get(key)
            if first is None:
                merged[key] = label if label.kind in (OBJECT, SOUND) else \
                    dataclasses.replace(label, count=0)
                continue
            if label.kind == SOUND:
                count = first.count + label.count
            elif label.kind == OBJECT:
                count = max(first.count, label.count)
            else:
                count = 0
            merged[key] = dataclasses.replace(first, count=count,
                                              score=max(first.score, label.score),
                                              # what reasoning reads (a synset, categories,
                                              # colours) from the first label that has it
                                              synset=first.synset or label.synset,
                                              attributes=first.attributes or label.attributes)
    return list(merged.values())


def thin_keyframe(jpeg: bytes, width: int, quality: int) -> bytes | None:
    """`jpeg` at most `width` pixels wide, re-encoded at JPEG `quality`; None when it is
    already that narrow, the result is no smaller, or it does not decode."""
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if image is None or image.shape[1] <= width:
        return None
    height = max(1, round(image.shape[0] * width / image.shape[1]))
    image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode('.jpg', image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    out = buf.tobytes() if ok else b''
    return out if out and len(out) < len(jpeg) else None


def view_signature(jpeg: bytes) -> np.ndarray | None:
    """A keyframe's look, coarse: its 24x18 colour thumbnail, centred and unit-norm (the dot
    product of two is their correlation); None when it does not decode."""
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_REDUCED_COLOR_4)
    if image is None:
        return None
    small = cv2.resize(image, (24, 18), interpolation=cv2.INTER_AREA).astype(np.float32)
    small -= small.mean()
    norm = float(np.linalg.norm(small))
    return (small / norm).ravel() if norm > 1e-6 else None


def summary(rows: list[Row], labels: list[Label]) -> str:
    """Extractive: the caption of the merged labels (objects, text read, sounds, speech)."""
    return describe.caption(labels)


class Compressor:
    """Compresses what one robot stored (on a store several robots share, each compresses its
    own items) through the backend's compression reads and writes."""

    def __init__(self, store: MemoryBackend):
        self.store = store
        self._looks: dict[str, np.ndarray | None] = {}   # keyframe name -> view_signature

    def _look(self, name: str) -> np.ndarray | None:
        if name not in self._looks:
            if len(self._looks) > 4096:
                self._looks.clear()
            jpeg = self.store.read_keyframe(name)
            self._looks[name] = view_signature(jpeg) if jpeg else None
        return self._looks[name]

    def _same_scene(self, a: Row, b: Row) -> bool:
        if b.start - a.end > self.store.episode_gap_s:
            return False
        if a.embedding is not None and b.embedding is not None and \
                float(a.embedding @ b.embedding) >= self.store.scene_similarity:
            return True
        objects_a = {lab.name for lab in a.labels if lab.kind == OBJECT}
        objects_b = {lab.name for lab in b.labels if lab.kind == OBJECT}
        union = objects_a | objects_b
        if union and len(objects_a & objects_b) / len(union) >= 0.6:
            return True
        return self._same_view(a, b, objects_a, objects_b)

    def _same_view(self, a: Row, b: Row, objects_a: set, objects_b: set) -> bool:
        """An unchanged view: a's last and b's first keyframe correlate at least
        `view_similarity` and their object labels agree (the same, or one set holds the
        other: a detector misses things some frames). Without keyframes, never."""
        if not a.keyframes or not b.keyframes:
            return False
        if objects_a and objects_b and not (objects_a <= objects_b or objects_b <= objects_a):
            return False
        look_a, look_b = self._look(a.keyframes[-1]), self._look(b.keyframes[0])
        return look_a is not None and look_b is not None and \
            float(look_a @ look_b) >= self.store.view_similarity

    def _keyframes(self, frames: list[str], owner: str, written: list[str]):
        """The episode's keyframes: `keyframes_per_episode` of `frames`, evenly spread (the
        middle one for one), each re-encoded smaller under a new name (appended to `written`).
        Returns (names, their bytes, the frames' files no longer needed)."""
        store = self.store
        k = min(store.keyframes_per_episode, len(frames))
        chosen = list(dict.fromkeys(frames[int((i + 0.5) * len(frames) / k)] for i in range(k)))
        keep, total = [], 0
        for name in chosen:
            jpeg = store.read_keyframe(name)
            if jpeg is None:
                continue
            small = thin_keyframe(jpeg, store.episode_keyframe_width,
                                  store.episode_keyframe_quality)
            if small is None:
                keep.append(name)
                total += len(jpeg)
                continue
            names, nbytes = store.save_keyframe(owner, small)
            written.extend(names)
            if names:
                self._looks[names[0]] = self._looks.get(name)
            keep.extend(names)
            total += nbytes
        kept = set(keep)
        return keep, total, [f for f in frames if f not in kept]

    def _episode(self, rows: list[Row], keep_id: str | None, vector,
                 written: list[str]) -> Episode:
        labels = merge_labels(rows)
        frames = list(dict.fromkeys(f for r in rows for f in r.keyframes))
        posed = [r for r in rows if r.pose]
        middle = posed[len(posed) // 2] if posed else None
        item = MemoryItem(id=keep_id or new_id('episode'), kind='episode', level='long',
                          start=min(r.start for r in rows), end=max(r.end for r in rows),
                          text=summary(rows, labels), labels=labels,
                          pose=middle.pose if middle else None,
                          frame_id=middle.frame_id if middle else '',
                          robot_id=rows[0].robot_id)
        keep, nbytes, dropped = self._keyframes(frames, item.id, written)
        sources = [s for r in rows for s in r.sources]
        return Episode(item, vector, keep, nbytes, sources,
                       sum(r.raw_count for r in rows), dropped)

    def _replace(self, groups: list[list[Row]], keep_ids: list[str | None]) -> int:
        """Write one episode per group and delete the group's other rows; all or nothing
        (keyframes written for the episodes go again when the write fails)."""
        if not groups:
            return 0
        store = self.store
        texts = []
        for group in groups:
            labels = merge_labels(group)
            texts.append(store.embed_text('episode', summary(group, labels), labels))
        vectors = store.embedder.embed(texts)
        written: list[str] = []
        try:
            episodes = [self._episode(g, k, v, written)
                        for g, k, v in zip(groups, keep_ids, vectors)]
            removed = [r for g, ep in zip(groups, episodes) for r in g if r.id != ep.item.id]
            store.replace(removed, episodes)
        except BaseException:
            store.delete_keyframes(written)
            raise
        for ep in episodes:
            for name in ep.dropped:
                self._looks.pop(name, None)
        return len(groups)

    def consolidate(self, now: float) -> dict:
        """Step 1: clips older than the short-term window -> episodes."""
        store = self.store
        cutoff = now - store.short_term_window_s
        with store._lock:
            old_clips = store.compression_rows(['clip'], level='short', end_before=cutoff)
            groups: list[list[Row]] = []
            keep_ids: list[str | None] = []
            last = store.compression_rows(['episode'], newest_first=True, limit=1)
            tail = last[-1] if last else None
            for clip in old_clips:
                if groups and self._same_scene(groups[-1][-1], clip) and \
                        clip.end - groups[-1][0].start <= store.max_episode_s:
                    groups[-1].append(clip)
                elif not groups and tail is not None and self._same_scene(tail, clip) and \
                        clip.end - tail.start <= store.max_episode_s:
                    groups.append([tail, clip])  # the scene continues the last episode
                    keep_ids.append(tail.id)
                else:
                    groups.append([clip])
                    keep_ids.append(None)
            made = self._replace(groups, keep_ids)
            moved = store.promote(('speech', 'sound'), cutoff)
        return {'episodes_written': made, 'clips_folded': len(old_clips), 'moved_long': moved}

    def merge_views(self, recent: int = 200) -> dict:
        """Consecutive long-term episodes (the newest `recent`) of the same scene or an
        unchanged view merge into one spanning both, within `max_episode_s`."""
        store = self.store
        with store._lock:
            episodes = store.compression_rows(['episode'], newest_first=True, limit=recent)
            episodes.sort(key=lambda r: r.start)
            groups: list[list[Row]] = []
            for ep in episodes:
                if groups and self._same_scene(groups[-1][-1], ep) and \
                        ep.end - groups[-1][0].start <= store.max_episode_s:
                    groups[-1].append(ep)
                else:
                    groups.append([ep])
            groups = [g for g in groups if len(g) > 1]
            self._replace(groups, [g[0].id for g in groups])
        return {'view_merges': sum(len(g) - 1 for g in groups)}

    def over_budget(self) -> bool:
        return self.store.count() > self.store.budget_items or \
            self.store.budget_bytes_used() > self.store.budget_bytes

    def coarsen(self) -> dict:
        """Step 2: fold and merge long-term memory, oldest first, until within the budget."""
        store = self.store
        folded = merged = 0
        with store._lock:
            # sounds and speech fold into the episode around them (oldest first)
            while self.over_budget():
                small = store.compression_rows(['sound', 'speech'], level='long', limit=200)
                if not small:
                    break
                groups, keep = self._fold_into_episodes(small)
                if not groups:
                    break
                self._replace(groups, keep)
                folded += sum(len(g) - 1 for g in groups)
            # adjacent episodes merge pairwise, the oldest half each pass
            while self.over_budget():
                episodes = store.compression_rows(['episode'])
                if len(episodes) < 2:
                    log.warning('memory over budget with nothing left to compress '
                                '(%d items): notes are never compressed', store.count())
                    break
                half = episodes[: max(2, len(episodes) // 2)]
                groups = [half[i:i + 2] for i in range(0, len(half) - 1, 2)]
                self._replace(groups, [g[0].id for g in groups])
                merged += len(groups)
        return {'folded': folded, 'episode_merges': merged}

    def _fold_into_episodes(self, small: list[Row]):
        groups: dict[str, list[Row]] = {}
        for row in small:
            host = self.store.nearest_episode((row.start + row.end) / 2)
            if host is None:
                continue
            groups.setdefault(host.id, [host])
            # a folded sound item is its first class heard once; speech, its words
            if row.kind == 'sound':
                name = row.labels[0].name if row.labels else row.text
                row.labels = [Label(SOUND, name, 1)] if name.strip() else []
            else:  # its words, keeping who they were for (a question to the robot is no evidence)
                said = next((lb.attributes for lb in row.labels if lb.kind == SPEECH), {})
                row.labels = ([Label(SPEECH, row.text, attributes=dict(said))]
                              if row.text.strip() else [])
            groups[host.id].append(row)
        return list(groups.values()), list(groups)

    def run(self, now: float) -> dict:
        stats = self.consolidate(now)
        stats.update(self.merge_views())
        stats.update(self.coarsen())
        self.store.save_index()
        return stats
