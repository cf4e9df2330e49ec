"""Move a memory between stores: export every item of one store to a portable directory (or a
.tar.gz of it) and import it into any backend (`memory/factory.py`: SQLite or Milvus).

    n = export_memory(store, '/tmp/robot1-memory')            # or '/tmp/robot1.tar.gz'
    report = import_memory('/tmp/robot1-memory', milvus_store)

The export directory holds `manifest.json` (the format version, the robot, the text embedder
and the counts), `items.jsonl` (one item a line: id, kind, level, times, text, typed labels with
their synsets and attributes, score, pose and its frame, robot_id, image embedding, keyframe
file names, the raw items an episode stands for, and the text embedding as base64 float32) and
`keyframes/` (the JPEG files, under the names the items give). Short-term items, long-term
items and episodes all go, with their levels.

Import keeps ids, times and levels: importing the same export twice leaves one copy of each
item (an item already there is updated). Stored text embeddings are reused when the target's
embedder makes the same vectors (checked by re-embedding a few items), else every item is
embedded again. A memory directory (SQLite store, any schema a store opens, e.g. the v1 of
tests/data/memory_v1) is also a source: it is copied to a temporary directory and opened there,
so the source is never migrated or changed.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from omnilive.memory.backend import Episode, MemoryBackend, labels_from_json
from omnilive.memory.types import KINDS, LEVELS, Label, MemoryItem

FORMAT = 'omnilive-memory-export-1'
BATCH = 256
_SAME_VECTOR = 0.999  # cosine above which the target's embedder is the exporter's


class TransferError(ValueError):
    """An export that cannot be read or written (not an export, a broken line, a clash)."""


class Record:
    """One exported item: the item, its text embedding, keyframe file names and bytes, the raw
    ids it stands for and their number."""

    __slots__ = ('item', 'vector', 'keyframes', 'keyframe_bytes', 'sources', 'raw_count')

    def __init__(self, item: MemoryItem, vector: Optional[np.ndarray], keyframes: list[str],
                 keyframe_bytes: int, sources: list[str], raw_count: int):
        self.item, self.vector, self.keyframes = item, vector, keyframes
        self.keyframe_bytes, self.sources, self.raw_count = keyframe_bytes, sources, raw_count

    def to_json(self) -> str:
        i = self.item
        doc = {'id': i.id, 'kind': i.kind, 'level': i.level, 'start': i.start, 'end': i.end,
               'text': i.text, 'labels': [label.to_dict() for label in i.labels],
               'score': i.score, 'pose': list(i.pose) if i.pose else None,
               'robot_id': i.robot_id, 'frame_id': i.frame_id,
               'image_embedding': i.image_embedding, 'keyframes': self.keyframes,
               'keyframe_bytes': self.keyframe_bytes, 'sources': self.sources,
               'raw_count': self.raw_count,
               'embedding': None if self.vector is None else base64.b64encode(
                   np.asarray(self.vector, '<f4').tobytes()).decode()}
        return json.dumps(doc, separators=(',', ':'), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str, where: str) -> 'Record':
        try:
            d = json.loads(line)
            item = MemoryItem(id=d['id'], kind=d['kind'], level=d['level'],
                              start=float(d['start']), end=float(d['end']), text=d['text'],
                              labels=[Label.from_dict(x) for x in d['labels']],
                              score=float(d.get('score') or 0.0),
                              pose=tuple(d['pose']) if d.get('pose') else None,
                              image_embedding=d.get('image_embedding'),
                              robot_id=d.get('robot_id') or '', frame_id=d.get('frame_id') or '')
            vector = None
            if d.get('embedding'):
                vector = np.frombuffer(base64.b64decode(d['embedding']), '<f4').astype(np.float32)
            frames = [str(f) for f in d.get('keyframes') or []]
            for name in frames:
                if Path(name).name != name or name in ('', '.', '..'):
                    raise ValueError(f'keyframe name {name!r} is not a plain file name')
            return cls(item, vector, frames, int(d.get('keyframe_bytes') or 0),
                       list(d.get('sources') or [item.id]), int(d.get('raw_count') or 1))
        except (KeyError, TypeError, ValueError) as err:
            raise TransferError(f'{where}: not an exported memory item ({type(err).__name__}: '
                                f'{err})') from err


# ------------------------------------------------------------------ reading a store
def _sqlite_records(store) -> Iterator[Record]:
    """Every row of a MemoryStore (all robots it holds, all levels), by start time."""
    with store._lock:
        rows = store.db.execute(
            'SELECT id, kind, level, start, "end", text, labels, score, pose, keyframes, '
            'keyframe_bytes, image_embedding, embedding, sources, raw_count, robot_id, frame_id '
            'FROM items ORDER BY start, id').fetchall()
    for (id_, kind, level, start, end, text, labels, score, pose, frames, nbytes, img, emb,
         sources, raw, robot, frame) in rows:
        item = MemoryItem(id=id_, kind=kind, level=level, start=start, end=end, text=text,
                          labels=labels_from_json(labels), score=score or 0.0,
                          pose=tuple(json.loads(pose)) if pose else None,
                          image_embedding=np.frombuffer(img, np.float32).tolist() if img else None,
                          robot_id=robot or store.robot_id, frame_id=frame)
        yield Record(item, np.frombuffer(emb, np.float32) if emb else None, json.loads(frames),
                     nbytes, json.loads(sources), raw)


def _backend_records(store: MemoryBackend) -> Iterator[Record]:
    """This robot's items of any backend, through the interface compression uses."""
    for level in LEVELS:
        rows = store.compression_rows(KINDS, level=level)
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            full = {i.id: i for i in store.get([r.id for r in batch])}
            for row in batch:
                base = full.get(row.id)
                item = MemoryItem(id=row.id, kind=row.kind, level=level, start=row.start,
                                  end=row.end, text=row.text, labels=row.labels,
                                  score=base.score if base else 0.0, pose=row.pose,
                                  image_embedding=base.image_embedding if base else None,
                                  robot_id=row.robot_id or store.robot_id,
                                  frame_id=row.frame_id)
                yield Record(item, row.embedding, row.keyframes, row.keyframe_bytes,
                             row.sources, row.raw_count)


def store_records(store: MemoryBackend) -> Iterator[Record]:
    from omnilive.memory.store import MemoryStore
    return _sqlite_records(store) if isinstance(store, MemoryStore) else _backend_records(store)


def _embedder_name(embedder) -> str:
    return os.path.basename(str(getattr(embedder, 'path', '') or type(embedder).__name__))


# ------------------------------------------------------------------ export
def export_memory(store: MemoryBackend, dest: str | Path) -> dict:
    """Write every item of `store` (and its keyframe files) to `dest`, a new directory or a
    .tar.gz / .tgz archive; the manifest written."""
    dest = Path(dest).expanduser()
    archive = dest.name.endswith(('.tar.gz', '.tgz'))
    if dest.exists() and (archive or any(dest.iterdir())):
        raise TransferError(f'{dest} exists: export into a new directory or archive')
    work = Path(tempfile.mkdtemp(prefix='omnilive-export-')) if archive else dest
    try:
        (work / 'keyframes').mkdir(parents=True, exist_ok=True)
        root = Path(store.root) / 'keyframes'
        counts: dict[str, int] = {}
        missing = n = 0
        with open(work / 'items.jsonl', 'w', encoding='utf-8') as out:
            for rec in store_records(store):
                kept = []
                for name in rec.keyframes:
                    if (root / name).is_file():
                        shutil.copy2(root / name, work / 'keyframes' / name)
                        kept.append(name)
                    else:
                        missing += 1
                rec.keyframes = kept
                out.write(rec.to_json() + '\n')
                key = f'{rec.item.kind}/{rec.item.level}'
                counts[key] = counts.get(key, 0) + 1
                n += 1
        manifest = {'format': FORMAT, 'items': n, 'counts': dict(sorted(counts.items())),
                    'robot_id': store.robot_id, 'embedder': _embedder_name(store.embedder),
                    'dim': int(store.embedder.dim), 'missing_keyframes': missing,
                    'exported_at': time.time(), 'source': str(getattr(store, 'root', ''))}
        (work / 'manifest.json').write_text(json.dumps(manifest, indent=1) + '\n')
        if archive:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(dest, 'w:gz') as tar:
                for name in ('manifest.json', 'items.jsonl', 'keyframes'):
                    tar.add(work / name, arcname=name)
        return manifest
    finally:
        if archive:
            shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ import
class _Source:
    """An export (directory or archive) or a memory directory, opened read-only."""

    def __init__(self, src: str | Path, embedder=None):
        self.src = Path(src).expanduser()
        self.tmp: Optional[Path] = None
        self.store = None
        if not self.src.exists():
            raise TransferError(f'{self.src} does not exist')
        if self.src.is_file():
            self.tmp = Path(tempfile.mkdtemp(prefix='omnilive-import-'))
            try:
                with tarfile.open(self.src, 'r:*') as tar:
                    tar.extractall(self.tmp, filter='data')
            except tarfile.TarError as err:
                raise TransferError(f'{self.src} is not a memory export archive: {err}') from err
            self.dir = self.tmp
        elif (self.src / 'memory.sqlite3').is_file():
            if embedder is None:
                raise TransferError('reading a memory directory needs a text embedder')
            from omnilive.memory.store import MemoryStore
            self.tmp = Path(tempfile.mkdtemp(prefix='omnilive-import-'))
            shutil.copytree(self.src, self.tmp / 'memory')
            try:
                self.store = MemoryStore(self.tmp / 'memory', embedder)
            except BaseException:
                self.close()
                raise
            self.dir = self.tmp / 'memory'
        else:
            self.dir = self.src
        if self.store is None:
            try:
                self.manifest = json.loads((self.dir / 'manifest.json').read_text())
            except (OSError, ValueError) as err:
                raise TransferError(f'{self.src} is neither a memory export (no readable '
                                    f'manifest.json: {err}) nor a memory directory') from err
            if self.manifest.get('format') != FORMAT:
                raise TransferError(f'{self.src} has format {self.manifest.get("format")!r}, '
                                    f'expected {FORMAT!r}')
        else:
            self.manifest = {'format': FORMAT, 'robot_id': '', 'items': self.store.count(),
                             'embedder': _embedder_name(embedder), 'dim': int(embedder.dim)}

    def records(self) -> Iterator[Record]:
        if self.store is not None:
            yield from store_records(self.store)
            return
        with open(self.dir / 'items.jsonl', encoding='utf-8') as lines:
            for n, line in enumerate(lines, 1):
                if line.strip():
                    yield Record.from_json(line, f'{self.src} items.jsonl line {n}')

    def keyframe(self, name: str) -> Path:
        return self.dir / 'keyframes' / name

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


def _same_embedder(target: MemoryBackend, sample: list[Record]) -> bool:
    """Whether the target's embedder gives the stored vectors (re-embeds a few items)."""
    sample = [r for r in sample if r.vector is not None][:4]
    if not sample or any(r.vector.shape != (target.embedder.dim,) for r in sample):
        return False
    fresh = target.embedder.embed([target.embed_text(r.item.kind, r.item.text, r.item.labels)
                                   for r in sample])
    return all(float(np.dot(a, r.vector) / (np.linalg.norm(a) * np.linalg.norm(r.vector)
                                            or 1.0)) >= _SAME_VECTOR
               for a, r in zip(fresh, sample))


def import_memory(src: str | Path, target: MemoryBackend, robot_id: str = '',
                  source_embedder=None) -> dict:
    """Put every item of `src` (an export directory or archive, or a memory directory) into
    `target`, keeping ids, times, levels, labels and keyframes; items without a robot get
    `robot_id` (else the export's, else the target's own). Idempotent. Returns what was done:
    {'items', 'counts', 'reembedded', 'keyframes', 'missing_keyframes', 'seconds'}."""
    t0 = time.perf_counter()
    source = _Source(src, source_embedder or target.embedder)
    try:
        robot = robot_id or source.manifest.get('robot_id') or ''
        frames_dir = Path(target.root) / 'keyframes'
        frames_dir.mkdir(parents=True, exist_ok=True)
        reuse: Optional[bool] = None
        report = {'items': 0, 'counts': {}, 'reembedded': 0, 'keyframes': 0,
                  'missing_keyframes': 0}
        batch: list[Record] = []

        def write(batch: list[Record]) -> None:
            nonlocal reuse
            if reuse is None:
                reuse = _same_embedder(target, batch)
            stale = [r for r in batch if not reuse or r.vector is None
                     or r.vector.shape != (target.embedder.dim,)]
            if stale:
                vectors = target.embedder.embed([target.embed_text(r.item.kind, r.item.text,
                                                                   r.item.labels) for r in stale])
                for rec, vec in zip(stale, vectors):
                    rec.vector = vec
                report['reembedded'] += len(stale)
            episodes = []
            for rec in batch:
                kept, nbytes = [], 0
                for name in rec.keyframes:
                    path = source.keyframe(name)
                    if not path.is_file():
                        report['missing_keyframes'] += 1
                        continue
                    if not (frames_dir / name).is_file():
                        tmp = frames_dir / (name + '.tmp')
                        shutil.copyfile(path, tmp)
                        tmp.replace(frames_dir / name)
                    kept.append(name)
                    nbytes += path.stat().st_size
                    report['keyframes'] += 1
                if not rec.item.robot_id:
                    rec.item.robot_id = robot or target.robot_id
                episodes.append(Episode(rec.item, np.asarray(rec.vector, np.float32), kept,
                                        nbytes if kept else 0, rec.sources, rec.raw_count, []))
                key = f'{rec.item.kind}/{rec.item.level}'
                report['counts'][key] = report['counts'].get(key, 0) + 1
            # `replace` writes items as they are (level, sources, raw count, vector), by id
            target.replace([], episodes)
            report['items'] += len(batch)

        for rec in source.records():
            batch.append(rec)
            if len(batch) >= BATCH:
                write(batch)
                batch = []
        if batch:
            write(batch)
        target.save_index()
        report['counts'] = dict(sorted(report['counts'].items()))
        report['vectors_reused'] = bool(reuse) and report['reembedded'] == 0
        report['seconds'] = round(time.perf_counter() - t0, 3)
        return report
    except sqlite3.Error as err:
        raise TransferError(f'cannot read {src}: {err}') from err
    finally:
        source.close()


def open_backend(backend: str, storage_path: str, robot_id: str = '', milvus_uri: str = '',
                 collection: str = '', embedder=None) -> MemoryBackend:
    """A store for export or import, built by memory/factory.py like the memory node's: SQLite
    in storage_path, or a Milvus collection (keyframes and outbox in storage_path). A Milvus
    store needs the robot's id."""
    import dataclasses

    from omnilive.memory.factory import open_store
    from omnilive.util.node_config import MemoryConfig
    cfg = MemoryConfig()
    changes = {'backend': backend, 'storage_path': storage_path}
    if milvus_uri:
        changes['milvus_uri'] = milvus_uri
    if collection:
        changes['collection'] = collection
    if backend == 'milvus' and not robot_id:
        raise TransferError('a Milvus store needs the robot these items are from: --robot-id')
    return open_store(dataclasses.replace(cfg, **changes), robot_id, embedder)


def export_robot_id(src: str | Path) -> str:
    """The robot an export names in its manifest ('' for a memory directory or none)."""
    src = Path(src).expanduser()
    try:
        if src.is_file():
            with tarfile.open(src, 'r:*') as tar:
                member = tar.extractfile('manifest.json')
                manifest = json.loads(member.read()) if member else {}
        elif (src / 'manifest.json').is_file():
            manifest = json.loads((src / 'manifest.json').read_text())
        else:
            return ''
    except (OSError, KeyError, ValueError, tarfile.TarError) as err:
        raise TransferError(f'{src}: cannot read its manifest ({err})') from err
    return str(manifest.get('robot_id') or '')
