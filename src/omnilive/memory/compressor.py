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
import json
import logging

import numpy as np

from omnilive.memory import describe
from omnilive.memory.store import MemoryStore, labels_from_json
from omnilive.memory.types import OBJECT, SOUND, SPEECH, Label, MemoryItem, new_id

log = logging.getLogger(__name__)

_ROW = ('rowid, id, kind, start, "end", text, labels, pose, keyframes, '
        'keyframe_bytes, embedding, sources, raw_count')


class Row:
    __slots__ = ('rowid', 'id', 'kind', 'start', 'end', 'text', 'labels', 'pose',
                 'keyframes', 'keyframe_bytes', 'embedding', 'sources', 'raw_count')

    def __init__(self, r):
        (self.rowid, self.id, self.kind, self.start, self.end, self.text, labels, pose,
         frames, self.keyframe_bytes, emb, sources, self.raw_count) = r
        self.labels: list[Label] = labels_from_json(labels)
        self.pose = tuple(json.loads(pose)) if pose else None
        self.keyframes = json.loads(frames)
        self.embedding = np.frombuffer(emb, np.float32) if emb else None
        self.sources = json.loads(sources)


def merge_labels(rows: list[Row]) -> list[Label]:
    """One label per (kind, name), in order of first appearance. Objects: the most seen at once;
    sounds: how many times heard; text and speech: once. The first label's synset and
    attributes stay; the score is the best seen."""
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
                                              score=max(first.score, label.score))
    return list(merged.values())


def summary(rows: list[Row], labels: list[Label]) -> str:
    """Extractive: the caption of the merged labels (objects, text read, sounds, speech)."""
    return describe.caption(labels)


class Compressor:
    def __init__(self, store: MemoryStore):
        self.store = store

    def _rows(self, where: str, args=(), order: str = 'start', limit: int = -1) -> list[Row]:
        return [Row(r) for r in self.store.db.execute(
            f'SELECT {_ROW} FROM items WHERE {where} ORDER BY {order} LIMIT ?', (*args, limit))]

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

    def _episode(self, rows: list[Row], keep_id: str | None = None) -> tuple:
        """(episode item, kept keyframes, their bytes, source ids, raw count, dropped keyframes)"""
        labels = merge_labels(rows)
        frames = [f for r in rows for f in r.keyframes]
        k = self.store.keyframes_per_episode
        keep = [frames[int(i)] for i in np.linspace(0, len(frames) - 1, min(k, len(frames)))] \
            if frames else []
        keep = list(dict.fromkeys(keep))
        sizes = {f: (self.store.root / 'keyframes' / f).stat().st_size
                 for f in keep if (self.store.root / 'keyframes' / f).exists()}
        posed = [r.pose for r in rows if r.pose]
        item = MemoryItem(id=keep_id or new_id('episode'), kind='episode', level='long',
                          start=min(r.start for r in rows), end=max(r.end for r in rows),
                          text=summary(rows, labels), labels=labels,
                          pose=posed[len(posed) // 2] if posed else None)
        sources = [s for r in rows for s in r.sources]
        dropped = [f for f in frames if f not in sizes]
        return item, keep, sum(sizes.values()), sources, sum(r.raw_count for r in rows), dropped

    def _replace(self, groups: list[list[Row]], keep_ids: list[str | None]) -> int:
        """Write one episode per group and delete the group's rows; one transaction."""
        if not groups:
            return 0
        store = self.store
        built = [self._episode(g, k) for g, k in zip(groups, keep_ids)]
        vectors = store.embedder.embed([store.embed_text('episode', b[0].text, b[0].labels)
                                        for b in built])
        added, removed = [], []
        store.db.execute('BEGIN IMMEDIATE')
        try:
            for group, built_one, vec in zip(groups, built, vectors):
                item, frames, nbytes, sources, raw, dropped = built_one
                old = [r for r in group if r.id != item.id]
                for r in old:
                    store.db.execute('DELETE FROM items WHERE rowid=?', (r.rowid,))
                    store.db.execute('DELETE FROM fts WHERE rowid=?', (r.rowid,))
                    removed.append(r.rowid)
                added.append((store._write(item, vec, frames, nbytes, sources, raw), vec))
                store._unlink(dropped)
            store._bump('generation')
            store.db.execute('COMMIT')
        except BaseException:
            store.db.execute('ROLLBACK')
            raise
        store.index.remove(removed)
        store.index.add([a[0] for a in added], np.stack([a[1] for a in added]))
        return len(groups)

    def consolidate(self, now: float) -> dict:
        """Step 1: clips older than the short-term window -> episodes."""
        store = self.store
        cutoff = now - store.short_term_window_s
        with store._lock:
            old_clips = self._rows("level='short' AND kind='clip' AND \"end\" < ?", (cutoff,))
            groups: list[list[Row]] = []
            keep_ids: list[str | None] = []
            last = self._rows("kind='episode'", order='start DESC', limit=1)
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
            moved = store.db.execute("UPDATE items SET level='long' WHERE level='short' AND "
                                     "kind IN ('speech', 'sound') AND \"end\" < ?",
                                     (cutoff,)).rowcount
            store._bump('generation')
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
                small = self._rows("level='long' AND kind IN ('sound', 'speech')", limit=200)
                if not small:
                    break
                groups, keep = self._fold_into_episodes(small)
                if not groups:
                    break
                self._replace(groups, keep)
                folded += sum(len(g) - 1 for g in groups)
            # adjacent episodes merge pairwise, the oldest half each pass
            while self.over_budget():
                episodes = self._rows("kind='episode'")
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
            mid = (row.start + row.end) / 2
            host = self.store.db.execute(
                f"SELECT {_ROW} FROM items WHERE kind='episode' ORDER BY "
                'ABS((start + "end") / 2 - ?) LIMIT 1', (mid,)).fetchone()
            if host is None:
                continue
            host = Row(host)
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
