"""Short-term to long-term compression (the paper's memory compression, for a robot's hours).

1. Clips older than the short-term window become long-term episodes: adjacent clips of the same
   scene (close in time, similar content) merge into one episode; the span widens, object counts
   keep the most seen at once, sounds add up, read text and speech are deduplicated, the pose is
   kept and a few representative keyframes stay. Its text is an extractive summary.
   Speech and sound items older than the window move to the long-term level as they are.
2. While the store is over its budget (items or bytes, keyframes included), long-term memory
   coarsens, oldest first: sounds and speech fold into the episode around them, then adjacent
   episodes merge pairwise. What was seen stays answerable at coarser detail; notes are never
   touched.
"""
from __future__ import annotations

import dataclasses
import logging

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


def summary(rows: list[Row], labels: list[Label]) -> str:
    """Extractive: the caption of the merged labels (objects, text read, sounds, speech)."""
    return describe.caption(labels)


class Compressor:
    """Compresses what one robot stored (on a store several robots share, each compresses its
    own items) through the backend's compression reads and writes."""

    def __init__(self, store: MemoryBackend):
        self.store = store

    def _same_scene(self, a: Row, b: Row) -> bool:
        if b.start - a.end > self.store.episode_gap_s:
            return False
        if a.embedding is not None and b.embedding is not None and \
                float(a.embedding @ b.embedding) >= self.store.scene_similarity:
            return True
        objects_a = {lab.name for lab in a.labels if lab.kind == OBJECT}
        objects_b = {lab.name for lab in b.labels if lab.kind == OBJECT}
        union = objects_a | objects_b
        return bool(union) and len(objects_a & objects_b) / len(union) >= 0.6

    def _episode(self, rows: list[Row], keep_id: str | None, vector) -> Episode:
        labels = merge_labels(rows)
        frames = [f for r in rows for f in r.keyframes]
        k = self.store.keyframes_per_episode
        keep = [frames[int(i)] for i in np.linspace(0, len(frames) - 1, min(k, len(frames)))] \
            if frames else []
        keep = list(dict.fromkeys(keep))
        sizes = {f: size for f in keep if (size := self.store.keyframe_size(f)) is not None}
        posed = [r for r in rows if r.pose]
        middle = posed[len(posed) // 2] if posed else None
        item = MemoryItem(id=keep_id or new_id('episode'), kind='episode', level='long',
                          start=min(r.start for r in rows), end=max(r.end for r in rows),
                          text=summary(rows, labels), labels=labels,
                          pose=middle.pose if middle else None,
                          frame_id=middle.frame_id if middle else '',
                          robot_id=rows[0].robot_id)
        sources = [s for r in rows for s in r.sources]
        dropped = [f for f in frames if f not in sizes]
        return Episode(item, vector, list(sizes), sum(sizes.values()), sources,
                       sum(r.raw_count for r in rows), dropped)

    def _replace(self, groups: list[list[Row]], keep_ids: list[str | None]) -> int:
        """Write one episode per group and delete the group's other rows; all or nothing."""
        if not groups:
            return 0
        store = self.store
        texts = []
        for group in groups:
            labels = merge_labels(group)
            texts.append(store.embed_text('episode', summary(group, labels), labels))
        vectors = store.embedder.embed(texts)
        episodes = [self._episode(g, k, v) for g, k, v in zip(groups, keep_ids, vectors)]
        removed = [r for g, ep in zip(groups, episodes) for r in g if r.id != ep.item.id]
        store.replace(removed, episodes)
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
            else:
                row.labels = [Label(SPEECH, row.text)] if row.text.strip() else []
            groups[host.id].append(row)
        return list(groups.values()), list(groups)

    def run(self, now: float) -> dict:
        stats = self.consolidate(now)
        stats.update(self.coarsen())
        self.store.save_index()
        return stats
