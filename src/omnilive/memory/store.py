"""The memory store: SQLite (WAL) for items and FTS5 keyword search, faiss for text embeddings,
keyframes as JPEG files. Plain Python, no ROS.

    store = MemoryStore('/var/lib/omnilive/memory', TextEmbedder())
    store.insert([MemoryItem(...)])          # durable (committed) when it returns
    store.retrieve('how many people?', top_k=5, since=..., until=...)
    store.compress(now)                      # short-term -> long-term, keeps the budget

Nothing but insert, remember and forget changes what the memory holds; compress() is the
memory's own maintenance (it folds what was stored into coarser episodes, never drops it).
"""
from __future__ import annotations

import concurrent.futures
import json
import logging
import math
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from omnilive.memory.backend import (Episode, MemoryBackend, Row, label_words,  # noqa: F401
                                     labels_from_json, labels_json)
from omnilive.memory.index import VectorIndex
from omnilive.memory.types import KINDS, MemoryItem, labels_from_v1
from omnilive.util.errors import ConfigurationError

log = logging.getLogger(__name__)

# Schema versions (meta 'schema'). 1: labels a JSON list of v1 strings ("person", "text:EXIT")
# with a parallel label_counts column. 2: labels a JSON list of Label objects ({"kind": "object",
# "name": "person", "count": 2}), no label_counts. 3: items name their robot (robot_id, '' =
# this memory's own) and the frame of their pose (frame_id). Older databases migrate on open.
SCHEMA_V1 = 'omnilive-memory-1'
SCHEMA_V2 = 'omnilive-memory-2'
SCHEMA = 'omnilive-memory-3'
_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    start REAL NOT NULL,
    "end" REAL NOT NULL,
    text TEXT NOT NULL,
    labels TEXT NOT NULL,
    score REAL NOT NULL,
    pose TEXT,
    keyframes TEXT NOT NULL,
    keyframe_bytes INTEGER NOT NULL,
    image_embedding BLOB,
    embedding BLOB,
    sources TEXT NOT NULL,
    raw_count INTEGER NOT NULL,
    updated REAL NOT NULL,
    robot_id TEXT NOT NULL DEFAULT '',
    frame_id TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS items_time ON items(start, "end");
CREATE INDEX IF NOT EXISTS items_level ON items(level, kind);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, labels, tokenize='porter unicode61');
"""
STOPWORDS = set('''a an the is are was were be been do does did what which who whom when where why
how many much of in on at to for from by with and or not no you your i me my we our it its this
that these those there here have has had any some see saw seen hear heard tell me about please can
could would should will shall last ago time times did'''.split())


class MemoryStoreError(ConfigurationError, RuntimeError):
    """A memory database that cannot be opened (corrupt or not omnilive's)."""


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w']+", text.lower()) if w not in STOPWORDS and len(w) > 1]


def fts_query(text: str) -> str:
    """A safe FTS5 query: content words OR'ed, each quoted (no FTS syntax from users)."""
    words = list(dict.fromkeys(_words(text)))
    return ' OR '.join('"' + w.replace('"', '') + '"' for w in words)


class MemoryStore(MemoryBackend):
    def __init__(self, path: str | Path, embedder, *, short_term_window_s: float = 300.0,
                 budget_items: int = 20_000, budget_bytes: int = 500_000_000,
                 episode_gap_s: float = 15.0, scene_similarity: float = 0.75,
                 max_episode_s: float = 900.0, keyframes_per_episode: int = 1,
                 ivf_threshold: int = 50_000,
                 weights: tuple[float, float, float] = (0.6, 0.3, 0.1),
                 recency_tau_s: float = 3600.0, robot_id: str = ''):
        self.root = Path(path).expanduser()
        self.robot_id = robot_id
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / 'keyframes').mkdir(exist_ok=True)
        except OSError as err:  # a file in the way, no permission, a read-only disk
            raise MemoryStoreError(f'cannot use {self.root} as a memory directory: {err}. Point '
                               'storage_path at a writable directory') from err
        self.db_path = self.root / 'memory.sqlite3'
        self.index_path = self.root / 'index.faiss'
        self.embedder = embedder
        self.short_term_window_s = short_term_window_s
        self.budget_items = budget_items
        self.budget_bytes = budget_bytes
        self.episode_gap_s = episode_gap_s
        self.scene_similarity = scene_similarity
        self.max_episode_s = max_episode_s
        self.keyframes_per_episode = keyframes_per_episode
        self.weights = weights
        self.recency_tau_s = recency_tau_s
        self._lock = threading.RLock()
        # keyword search runs here while the query is embedded (both release the GIL)
        self._keyword_pool = concurrent.futures.ThreadPoolExecutor(1, 'memory-keywords')
        self.db = self._open()
        self.index = VectorIndex(embedder.dim, ivf_threshold=ivf_threshold)
        self._load_index()

    # ---------------------------------------------------------------- opening, persistence
    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.db_path, check_same_thread=False, isolation_level=None)
            db.execute('PRAGMA journal_mode=WAL')
            db.execute('PRAGMA synchronous=FULL')  # acknowledged inserts survive power loss
            tables = {r[0] for r in
                      db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and 'meta' not in tables:
                raise MemoryStoreError(f'{self.db_path} is not an omnilive memory database '
                                       f'(tables: {sorted(tables)[:5]}): point storage_path at '
                                       'an empty or omnilive directory')
            db.executescript(_SCHEMA_SQL)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES('schema', ?), ('generation', '0'), "
                           "('raw_inserted', '0')", (SCHEMA,))
            elif row[0] not in (SCHEMA, SCHEMA_V2, SCHEMA_V1):
                raise MemoryStoreError(f'{self.db_path} has schema {row[0]!r}, expected '
                                       f'{SCHEMA!r} (or {SCHEMA_V1!r}, {SCHEMA_V2!r}, migrated on '
                                       'open): it was written by another omnilive version; open '
                                       'it with that version')
            if row is not None and row[0] == SCHEMA_V1:
                self._migrate_v1(db)
            if row is not None and row[0] in (SCHEMA_V1, SCHEMA_V2):
                self._migrate_v2(db, row[0])
            db.execute('CREATE INDEX IF NOT EXISTS items_robot ON items(robot_id)')
            db.execute('PRAGMA quick_check').fetchone()
            return db
        except sqlite3.DatabaseError as err:
            raise MemoryStoreError(f'cannot open memory database {self.db_path}: {err}. It is '
                                   'corrupt or not a SQLite file: move it away (a new memory '
                                   'starts empty) or restore it from a backup') from err

    def _migrate_v1(self, db: sqlite3.Connection) -> None:
        """Schema 1 -> 2 in place, in one transaction: each item's v1 string labels and counts
        become typed labels (their keyword-search row rewritten from the names), the
        label_counts column goes. Row ids, embeddings, keyframes and the database generation
        are untouched, so the saved vector index stays valid. An item whose labels cannot be
        read stops the migration with nothing changed: no item is ever dropped."""
        t0 = time.perf_counter()
        db.execute('BEGIN IMMEDIATE')
        try:
            before = db.execute('SELECT COUNT(*) FROM items').fetchone()[0]
            rows = db.execute('SELECT rowid, id, text, labels, label_counts FROM items').fetchall()
            for rowid, item_id, text, labels, counts in rows:
                try:
                    counts = json.loads(counts)
                    typed = labels_from_v1(json.loads(labels), counts if counts else None)
                except (ValueError, TypeError) as err:
                    raise MemoryStoreError(
                        f'cannot migrate {self.db_path} from {SCHEMA_V1} to {SCHEMA}: item '
                        f'{item_id!r} has labels {labels[:200]} with counts {str(counts)[:100]} '
                        f'({err}). Nothing was changed: fix or forget that item with the '
                        'previous omnilive version, then open it again') from err
                db.execute('UPDATE items SET labels=? WHERE rowid=?', (labels_json(typed), rowid))
                db.execute('DELETE FROM fts WHERE rowid=?', (rowid,))
                db.execute('INSERT INTO fts(rowid, text, labels) VALUES (?,?,?)',
                           (rowid, text, label_words(typed)))
            db.execute('ALTER TABLE items DROP COLUMN label_counts')
            db.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_V2,))
            after = db.execute('SELECT COUNT(*) FROM items').fetchone()[0]
            if after != before:  # cannot happen: updates only; checked because it must not
                raise MemoryStoreError(f'migrating {self.db_path} would change its item count '
                                   f'from {before} to {after}: nothing was changed')
            db.execute('COMMIT')
        except BaseException as err:
            db.execute('ROLLBACK')
            if isinstance(err, sqlite3.Error):
                raise MemoryStoreError(f'cannot migrate {self.db_path} from {SCHEMA_V1} to '
                                       f'{SCHEMA_V2} (SQLite {sqlite3.sqlite_version}): {err}. '
                                       'Nothing was changed') from err
            raise
        log.info('memory %s migrated from %s to %s: %d items (%.2f s)', self.db_path, SCHEMA_V1,
                 SCHEMA_V2, before, time.perf_counter() - t0)

    def _migrate_v2(self, db: sqlite3.Connection, was: str) -> None:
        """Schema 2 -> 3 in place, in one transaction: two columns with defaults (robot_id ''
        = this memory's own robot, frame_id '' = the pose frame was not recorded). Rows, row ids
        and the generation stay, so the saved vector index stays valid."""
        db.execute('BEGIN IMMEDIATE')
        try:
            columns = {r[1] for r in db.execute('PRAGMA table_info(items)')}
            for column in ('robot_id', 'frame_id'):
                if column not in columns:
                    db.execute(f"ALTER TABLE items ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
            db.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA,))
            db.execute('COMMIT')
        except BaseException as err:
            db.execute('ROLLBACK')
            if isinstance(err, sqlite3.Error):
                raise MemoryStoreError(f'cannot migrate {self.db_path} from {SCHEMA_V2} to '
                                       f'{SCHEMA}: {err}. Nothing was changed') from err
            raise
        log.info('memory %s migrated from %s to %s', self.db_path, was, SCHEMA)

    def _meta(self, key: str) -> int:
        return int(self.db.execute('SELECT value FROM meta WHERE key=?', (key,)).fetchone()[0])

    def _bump(self, key: str, by: int = 1) -> None:
        self.db.execute('UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key=?',
                        (by, key))

    def _load_index(self) -> None:
        with self._lock:
            count = self.db.execute('SELECT COUNT(*) FROM items '
                                    'WHERE embedding IS NOT NULL').fetchone()[0]
            if self.index.load(self.index_path, self._meta('generation'), count):
                return
            self._rebuild_index()

    def _rebuild_index(self) -> None:
        """The vector index from the embeddings SQLite holds (type chosen by their number)."""
        with self._lock:
            t0 = time.perf_counter()
            rows = self.db.execute('SELECT rowid, embedding FROM items '
                                   'WHERE embedding IS NOT NULL').fetchall()
            ids = np.array([r[0] for r in rows], np.int64)
            vecs = np.frombuffer(b''.join(r[1] for r in rows), np.float32) \
                .reshape(-1, self.index.dim) if rows else np.zeros((0, self.index.dim), np.float32)
            self.index.build(ids, vecs)
            log.info('vector index rebuilt from %d stored embeddings (%s, %.1f s)', len(ids),
                     self.index.kind, time.perf_counter() - t0)

    def save_index(self) -> None:
        with self._lock:
            self.index.save(self.index_path, self._meta('generation'))

    def close(self) -> None:
        with self._lock:
            self.save_index()
            self._keyword_pool.shutdown()
            self.db.close()

    # ---------------------------------------------------------------- rows <-> items
    _COLUMNS = ('rowid, id, kind, level, start, "end", text, labels, score, pose, '
                'keyframes, keyframe_bytes, image_embedding, sources, raw_count, robot_id, '
                'frame_id')

    def _item(self, row, score: float = 0.0) -> MemoryItem:
        (_, id_, kind, level, start, end, text, labels, _, pose, keyframes, _, img, _, _,
         robot, frame) = row
        frames = json.loads(keyframes)
        jpeg = b''
        if frames:
            path = self.root / 'keyframes' / frames[len(frames) // 2]
            jpeg = path.read_bytes() if path.is_file() else b''
        return MemoryItem(id=id_, kind=kind, level=level, start=start, end=end, text=text,
                          labels=labels_from_json(labels),
                          score=score, pose=tuple(json.loads(pose)) if pose else None,
                          keyframe_jpeg=jpeg,
                          image_embedding=np.frombuffer(img, np.float32).tolist() if img else None,
                          robot_id=robot or self.robot_id, frame_id=frame)

    def keyframe_paths(self, item_id: str) -> list[Path]:
        row = self.db.execute('SELECT keyframes FROM items WHERE id=?', (item_id,)).fetchone()
        return [self.root / 'keyframes' / f for f in json.loads(row[0])] if row else []

    def get(self, ids: Iterable[str]) -> list[MemoryItem]:
        ids = list(ids)
        rows = self.db.execute(f'SELECT {self._COLUMNS} FROM items WHERE id IN '
                               f'({",".join("?" * len(ids))})', ids).fetchall()
        return [self._item(r) for r in rows]

    def _robots_sql(self, robot_ids: Optional[list[str]]) -> tuple[str, list[str]]:
        """An SQL condition (and its arguments) on robot_id: these robots; '' is our own."""
        if robot_ids is None:
            return '1', []
        ids = list(dict.fromkeys(robot_ids))
        if self.robot_id in ids:
            ids.append('')
        return f'robot_id IN ({",".join("?" * len(ids))})' if ids else '0', ids

    # ---------------------------------------------------------------- writes
    def _write(self, item: MemoryItem, embedding: np.ndarray, keyframes: list[str],
               keyframe_bytes: int, sources: list[str], raw_count: int) -> int:
        row = self.db.execute('SELECT rowid, keyframes FROM items WHERE id=?',
                              (item.id,)).fetchone()
        image = np.asarray(item.image_embedding, np.float32).tobytes() \
            if item.image_embedding else None
        robot = '' if item.robot_id == self.robot_id else item.robot_id
        values = (item.kind, item.level, item.start, item.end, item.text,
                  labels_json(item.labels), float(item.score),
                  json.dumps(list(item.pose)) if item.pose else None, json.dumps(keyframes),
                  keyframe_bytes,
                  image, embedding.astype(np.float32).tobytes(), json.dumps(sources), raw_count,
                  time.time(), robot, item.frame_id)
        if row:
            rowid = row[0]
            old_frames = set(json.loads(row[1])) - set(keyframes)
            self.db.execute('UPDATE items SET kind=?, level=?, start=?, "end"=?, text=?, '
                            'labels=?, score=?, pose=?, keyframes=?, keyframe_bytes=?, '
                            'image_embedding=?, embedding=?, sources=?, raw_count=?, updated=?, '
                            'robot_id=?, frame_id=? WHERE rowid=?', values + (rowid,))
            self.db.execute('DELETE FROM fts WHERE rowid=?', (rowid,))
            self._unlink(old_frames)
        else:
            rowid = self.db.execute(
                'INSERT INTO items(id, kind, level, start, "end", text, labels, score, '
                'pose, keyframes, keyframe_bytes, image_embedding, embedding, sources, raw_count, '
                'updated, robot_id, frame_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                (item.id,) + values).lastrowid
        self.db.execute('INSERT INTO fts(rowid, text, labels) VALUES (?,?,?)',
                        (rowid, item.text, label_words(item.labels)))
        return rowid

    def _unlink(self, names) -> None:
        for name in names:
            (self.root / 'keyframes' / name).unlink(missing_ok=True)

    def _save_keyframe(self, item_id: str, jpeg: bytes) -> tuple[list[str], int]:
        if not jpeg:
            return [], 0
        name = f'{re.sub(r"[^A-Za-z0-9_.-]", "_", item_id)}-{int(time.time() * 1e6)}.jpg'
        path = self.root / 'keyframes' / name
        tmp = path.with_suffix('.tmp')
        with open(tmp, 'wb') as f:
            f.write(jpeg)
            f.flush()
            import os
            os.fsync(f.fileno())
        tmp.replace(path)
        return [name], len(jpeg)

    def insert(self, items: list[MemoryItem]) -> list[str]:
        """Store (or update by id) items; returns once they are committed to disk."""
        self.check_insertable(items)
        if not items:
            return []
        vectors = self.embedder.embed([self.embed_text(i.kind, i.text, i.labels) for i in items])
        written = []
        with self._lock:
            self.db.execute('BEGIN IMMEDIATE')
            try:
                new_raw = 0
                for item, vec in zip(items, vectors):
                    exists = self.db.execute('SELECT 1 FROM items WHERE id=?',
                                             (item.id,)).fetchone()
                    new_raw += 0 if exists else 1
                    frames, nbytes = self._save_keyframe(item.id, item.keyframe_jpeg)
                    if not frames and exists:  # an update without a new keyframe keeps the old one
                        old = self.db.execute('SELECT keyframes, keyframe_bytes FROM items '
                                              'WHERE id=?', (item.id,)).fetchone()
                        frames, nbytes = json.loads(old[0]), old[1]
                    item.level = 'short' if item.kind != 'note' else 'long'
                    written.append((self._write(item, vec, frames, nbytes, [item.id], 1), vec))
                self._bump('generation')
                self._bump('raw_inserted', new_raw)
                self.db.execute('COMMIT')
            except BaseException:
                self.db.execute('ROLLBACK')
                raise
            self.index.add([w[0] for w in written], np.stack([w[1] for w in written]))
            if self.index.needs_rebuild():  # grew past flat search, or past its IVF's lists
                self._rebuild_index()
        return [i.id for i in items]

    def _delete_rows(self, rows) -> int:
        """rows: (rowid, keyframes json). Caller holds the lock and an open transaction."""
        for rowid, frames in rows:
            self.db.execute('DELETE FROM items WHERE rowid=?', (rowid,))
            self.db.execute('DELETE FROM fts WHERE rowid=?', (rowid,))
            self._unlink(json.loads(frames))
        return len(rows)

    def forget(self, ids: Iterable[str] = (), query: str = '', since: float = 0.0,
               until: float = 0.0) -> int:
        """Remove items by id, keyword query or time window, everywhere: database, keyword index,
        vector index and keyframe files; an episode that holds a forgotten item goes too."""
        ids = [i for i in ids if i]
        with self._lock:
            targets: dict[int, str] = {}
            for item_id in ids:
                for rowid, frames in self.db.execute(
                        "SELECT rowid, keyframes FROM items WHERE id=? OR (kind='episode' AND "
                        "EXISTS (SELECT 1 FROM json_each(items.sources) WHERE value=?))",
                        (item_id, item_id)):
                    targets[rowid] = frames
            if query.strip() and fts_query(query):
                for rowid, frames in self.db.execute(
                        'SELECT items.rowid, keyframes FROM fts JOIN items '
                        'ON items.rowid = fts.rowid WHERE fts MATCH ?', (fts_query(query),)):
                    targets[rowid] = frames
            if since or until:
                hi = until if until else math.inf
                for rowid, frames in self.db.execute(
                        'SELECT rowid, keyframes FROM items WHERE "end" >= ? AND start <= ?',
                        (since, hi)):
                    targets[rowid] = frames
            if not targets:
                return 0
            self.db.execute('BEGIN IMMEDIATE')
            try:
                removed = self._delete_rows(list(targets.items()))
                self._bump('generation')
                self.db.execute('COMMIT')
            except BaseException:
                self.db.execute('ROLLBACK')
                raise
            self.index.remove(list(targets))
            self.save_index()
            return removed

    # ---------------------------------------------------------------- reads
    def retrieve(self, query: str, top_k: int = 8, since: float = 0.0, until: float = 0.0,
                 kinds: Optional[list[str]] = None, now: Optional[float] = None,
                 robot_ids: Optional[list[str]] = None) -> list[MemoryItem]:
        """Hybrid ranking: semantic similarity, keyword match (BM25) and recency."""
        kinds = [k for k in (kinds or []) if k]
        robots, robot_args = self._robots_sql(robot_ids)
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f'unknown kind {kind!r}; expected {KINDS}')
        hi = until if until > 0 else math.inf
        top_k = max(1, int(top_k))

        def allowed(start, end, kind):
            return end >= since and start <= hi and (not kinds or kind in kinds)

        with self._lock:
            if now is None:  # a full scan of "end": only when the caller has no clock
                now = self.db.execute('SELECT MAX("end") FROM items').fetchone()[0] or 0.0
            if not query.strip():
                sql = (f'SELECT {self._COLUMNS} FROM items WHERE "end" >= ? AND start <= ? '
                       f'AND {robots}')
                args = [since, hi if hi != math.inf else 1e18, *robot_args]
                if kinds:
                    sql += f' AND kind IN ({",".join("?" * len(kinds))})'
                    args += kinds
                rows = self.db.execute(sql + ' ORDER BY "end" DESC LIMIT ?',
                                       args + [top_k]).fetchall()
                return [self._item(r, 1.0) for r in rows]
            fq = fts_query(query)
            # the database is used by the keyword thread only until .result(): we hold the lock
            keywords = self._keyword_pool.submit(self._keyword_scores, fq) if fq else None
            qvec = self.embedder.embed_query(query)
            semantic = dict(self.index.search(qvec, max(200, top_k * 20)))
            keyword: dict[int, float] = keywords.result() if keywords else {}
            candidates = set(semantic) | set(keyword)
            if since or until:  # a time window: score everything inside it, not only global hits
                window = self.db.execute('SELECT rowid, embedding FROM items WHERE "end" >= ? AND '
                                         f'start <= ? AND {robots} LIMIT 5000',
                                         (since, hi if hi != math.inf else 1e18, *robot_args)
                                         ).fetchall()
                for rowid, emb in window:
                    if rowid not in semantic and emb:
                        semantic[rowid] = float(np.frombuffer(emb, np.float32) @ qvec)
                    candidates.add(rowid)
            if not candidates:
                return []
            # rank the candidates on what ranking needs; whole rows only for the top k
            marks = ",".join("?" * len(candidates))
            rows = self.db.execute(f'SELECT rowid, kind, start, "end" FROM items WHERE rowid IN '
                                   f'({marks}) AND {robots}',
                                   list(candidates) + robot_args).fetchall()
            w_sem, w_kw, w_rec = self.weights
            scored = []
            for rowid, kind, start, end in rows:
                if not allowed(start, end, kind):
                    continue
                recency = math.exp(-max(0.0, now - end) / self.recency_tau_s)
                score = (w_sem * max(0.0, semantic.get(rowid, 0.0))
                         + w_kw * keyword.get(rowid, 0.0) + w_rec * recency)
                scored.append((score, rowid))
            scored.sort(key=lambda s: -s[0])
            best = dict((rowid, score) for score, rowid in scored[:top_k])
            full = {r[0]: r for r in self.db.execute(
                f'SELECT {self._COLUMNS} FROM items WHERE rowid IN ({",".join("?" * len(best))})',
                list(best)).fetchall()} if best else {}
        return [self._item(full[rowid], score) for rowid, score in best.items() if rowid in full]

    def _keyword_scores(self, fq: str) -> dict[int, float]:
        """BM25 of the 200 best keyword matches, scaled so the best is 1."""
        hits = self.db.execute('SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? '
                               'ORDER BY bm25(fts) LIMIT 200', (fq,)).fetchall()
        if not hits:
            return {}
        best = min(h[1] for h in hits)
        return {h[0]: (h[1] / best if best < 0 else 1.0) for h in hits}

    def stats(self) -> dict:
        with self._lock:
            rows = self.db.execute('SELECT kind, level, COUNT(*), SUM(raw_count) FROM items '
                                   'GROUP BY kind, level ORDER BY kind, level').fetchall()
            kf = self.db.execute('SELECT COALESCE(SUM(keyframe_bytes), 0) '
                                 'FROM items').fetchone()[0]
            span = self.db.execute('SELECT MIN(start), MAX("end") FROM items').fetchone()
            kept = sum(r[2] for r in rows)
            represented = sum(r[3] or 0 for r in rows)
        files = [self.db_path, Path(str(self.db_path) + '-wal'), self.index_path]
        disk = sum(p.stat().st_size for p in files if p.exists())
        return {'counts': {(r[0], r[1]): r[2] for r in rows}, 'items': kept,
                'bytes': disk + kf, 'keyframe_bytes': kf,
                'compression_ratio': represented / kept if kept else 1.0,
                'oldest': span[0] or 0.0, 'newest': span[1] or 0.0}

    def budget_bytes_used(self) -> int:
        """Bytes the budget counts: stored rows (text, labels, vectors) and keyframe files."""
        row = self.db.execute('SELECT COALESCE(SUM(LENGTH(text) + LENGTH(labels) + '
                              'LENGTH(sources) + COALESCE(LENGTH(embedding), 0)'
                              ' + COALESCE(LENGTH(image_embedding), 0) + 200), 0), '
                              'COALESCE(SUM(keyframe_bytes), 0) FROM items').fetchone()
        return int(row[0] + row[1])

    def count(self) -> int:
        return self.db.execute('SELECT COUNT(*) FROM items').fetchone()[0]

    # ---------------------------------------------------------------- compression's reads, writes
    _ROW = ('rowid, id, kind, start, "end", text, labels, pose, keyframes, keyframe_bytes, '
            'embedding, sources, raw_count, robot_id, frame_id')

    def _row(self, r) -> Row:
        (key, id_, kind, start, end, text, labels, pose, frames, nbytes, emb, sources, raw,
         robot, frame) = r
        return Row(key, id_, kind, start, end, text, labels_from_json(labels),
                   tuple(json.loads(pose)) if pose else None, json.loads(frames), nbytes,
                   np.frombuffer(emb, np.float32) if emb else None, json.loads(sources), raw,
                   robot or self.robot_id, frame)

    def compression_rows(self, kinds, level=None, end_before=None, newest_first=False,
                         limit=None) -> list[Row]:
        kinds = list(kinds)
        own, args = self._robots_sql([self.robot_id])
        sql = f'SELECT {self._ROW} FROM items WHERE kind IN ({",".join("?" * len(kinds))}) ' \
              f'AND {own}'
        args = kinds + args
        if level is not None:
            sql, args = sql + ' AND level=?', args + [level]
        if end_before is not None:
            sql, args = sql + ' AND "end" < ?', args + [end_before]
        sql += f' ORDER BY start {"DESC" if newest_first else "ASC"} LIMIT ?'
        with self._lock:
            return [self._row(r) for r in self.db.execute(sql, args + [limit or -1])]

    def nearest_episode(self, t: float) -> Optional[Row]:
        own, args = self._robots_sql([self.robot_id])
        with self._lock:
            row = self.db.execute(f"SELECT {self._ROW} FROM items WHERE kind='episode' AND {own} "
                                  'ORDER BY ABS((start + "end") / 2 - ?) LIMIT 1',
                                  args + [t]).fetchone()
        return self._row(row) if row else None

    def replace(self, removed: list[Row], episodes: list[Episode]) -> None:
        added = []
        with self._lock:
            self.db.execute('BEGIN IMMEDIATE')
            try:
                for row in removed:
                    self.db.execute('DELETE FROM items WHERE rowid=?', (row.key,))
                    self.db.execute('DELETE FROM fts WHERE rowid=?', (row.key,))
                for ep in episodes:
                    added.append(self._write(ep.item, ep.vector, ep.keyframes, ep.keyframe_bytes,
                                             ep.sources, ep.raw_count))
                    self._unlink(ep.dropped)
                self._bump('generation')
                self.db.execute('COMMIT')
            except BaseException:
                self.db.execute('ROLLBACK')
                raise
            self.index.remove([row.key for row in removed])
            if added:
                self.index.add(added, np.stack([ep.vector for ep in episodes]))

    def promote(self, kinds, end_before: float) -> int:
        kinds = list(kinds)
        own, args = self._robots_sql([self.robot_id])
        with self._lock:
            moved = self.db.execute(f"UPDATE items SET level='long' WHERE level='short' AND kind "
                                    f'IN ({",".join("?" * len(kinds))}) AND "end" < ? AND {own}',
                                    kinds + [end_before] + args).rowcount
            self._bump('generation')
        return moved

    def keyframe_size(self, name: str) -> Optional[int]:
        path = self.root / 'keyframes' / name
        return path.stat().st_size if path.exists() else None
