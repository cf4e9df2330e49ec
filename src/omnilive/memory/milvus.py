"""Memory on a Milvus server (2.3 or later): one collection a fleet of robots shares.

    store = MilvusStore('http://milvus.local:19530', embedder, robot_id='robot1',
                        local_dir='~/.local/share/omnilive/memory')

What goes where: each item is one row (id, robot_id, frame_id, kind, level, times, text, its
normalised keywords as an ARRAY field, the rest as JSON, its text embedding); keyframes stay JPEG
files in the robot's local_dir/keyframes, referenced by name from the row (a robot reads another
robot's keyframes only when that directory is shared). Keyword search uses what Milvus 2.3 has
(no BM25 before 2.5, no sparse vectors before 2.4): `array_contains_any` over the keywords, the
score being the share of the query's words an item holds. Time, kind and robot filters are
filter expressions on the scalar fields.

Loss-free while the server is away: every insert is committed to a local SQLite outbox first and
sent from there in order; a background thread sends what waits as soon as the server answers.
"""
from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from omnilive.memory.backend import (Episode, MemoryBackend, Row, label_words, labels_from_json,
                                     labels_json)
from omnilive.memory.outbox import Outbox
from omnilive.memory.store import MemoryStoreError, _words
from omnilive.memory.types import KINDS, MemoryItem

log = logging.getLogger(__name__)

MAX_KEYWORDS = 256
MAX_TEXT = 60_000  # bytes of the text field (VARCHAR max 65535)
QUERY_WINDOW = 16384   # Milvus' largest offset + limit of one query
OUTPUT = ['id', 'robot_id', 'frame_id', 'kind', 'level', 't_start', 't_end', 'text', 'doc']
# errors that mean "the server is away" (retried from the outbox), not "the server refuses"
_AWAY = ('UNAVAILABLE', 'Retry timeout', 'failed to connect', 'DEADLINE_EXCEEDED',
         'Connection refused', 'not loaded', 'Fail connecting', 'node not found')


def keywords(text: str) -> list[str]:
    """Normalised keywords: lowercase content words, each with its singular ('crates' ->
    'crate'), so a question's words meet an item's in `array_contains_any`."""
    out = []
    for word in _words(text):
        word = word[:64]
        out.append(word)
        if len(word) > 3 and word.endswith('s') and not word.endswith('ss'):
            out.append(word[:-1])
    return list(dict.fromkeys(out))[:MAX_KEYWORDS]


def _quote(values: Iterable[str]) -> str:
    return json.dumps(list(values))


def _away(err: Exception) -> bool:
    return any(mark in str(err) for mark in _AWAY)


class MilvusStore(MemoryBackend):
    def __init__(self, uri: str, embedder, *, local_dir: str | Path, robot_id: str,
                 collection: str = 'omnilive_memory', token: str = '', user: str = '',
                 password: str = '', timeout_s: float = 5.0, connect_timeout_s: float = 30.0,
                 retry_s: float = 2.0,
                 weights: tuple[float, float, float] = (0.6, 0.3, 0.1),
                 recency_tau_s: float = 3600.0, **settings):
        from pymilvus import (Collection, CollectionSchema, DataType, FieldSchema, connections,
                              utility)
        if not robot_id:
            raise ValueError('a store several robots share needs this robot\'s robot_id')
        for name, value in settings.items():
            if not hasattr(MemoryBackend, name):
                raise TypeError(f'unknown memory setting {name!r}')
            setattr(self, name, value)
        self.uri, self.robot_id, self.embedder = uri, robot_id, embedder
        self.timeout_s, self.retry_s = timeout_s, retry_s
        self.weights, self.recency_tau_s = weights, recency_tau_s
        self.root = Path(local_dir).expanduser()
        try:
            (self.root / 'keyframes').mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise MemoryStoreError(f'cannot use {self.root} for keyframes and the outbox: '
                                   f'{err}') from err
        self._lock = threading.RLock()
        self._deleted = False
        # what stats() and the budget count, per row of this robot (kind, level, start, end,
        # row bytes, keyframe bytes, raw items): filled by one scan, kept by every write this
        # store makes, checked against the server's count(*) at each call, rescanned every
        # stats_rescan_s (another process writing this robot's rows, e.g. an import)
        self.stats_rescan_s = 600.0
        self._stat_rows: Optional[dict[str, tuple]] = None
        self._stat_rows_at = 0.0
        self.stats_scans = 0
        self.alias = f'omnilive-{uuid.uuid4().hex[:8]}'
        try:
            connections.connect(alias=self.alias, uri=uri, token=token, user=user,
                                password=password, timeout=connect_timeout_s)
            if not utility.has_collection(collection, using=self.alias,
                                          timeout=math.ceil(timeout_s)):
                fields = [
                    FieldSchema('id', DataType.VARCHAR, is_primary=True, max_length=256),
                    FieldSchema('robot_id', DataType.VARCHAR, max_length=256),
                    FieldSchema('frame_id', DataType.VARCHAR, max_length=256),
                    FieldSchema('kind', DataType.VARCHAR, max_length=16),
                    FieldSchema('level', DataType.VARCHAR, max_length=8),
                    FieldSchema('t_start', DataType.DOUBLE),
                    FieldSchema('t_end', DataType.DOUBLE),
                    FieldSchema('text', DataType.VARCHAR, max_length=65535),
                    FieldSchema('keywords', DataType.ARRAY, element_type=DataType.VARCHAR,
                                max_capacity=MAX_KEYWORDS, max_length=64),
                    FieldSchema('doc', DataType.JSON),
                    FieldSchema('embedding', DataType.FLOAT_VECTOR, dim=embedder.dim)]
                schema = CollectionSchema(fields, description='omnilive memory items')
                try:
                    coll = Collection(collection, schema, using=self.alias,
                                      consistency_level='Session', timeout=math.ceil(timeout_s))
                    coll.create_index('embedding', {'index_type': 'HNSW', 'metric_type': 'IP',
                                                    'params': {'M': 16, 'efConstruction': 200}})
                    for scalar in ('robot_id', 'kind', 't_end'):
                        coll.create_index(scalar, index_name=f'{scalar}_idx')
                except Exception:  # another robot's node created it at the same moment
                    if not utility.has_collection(collection, using=self.alias):
                        raise
            self.coll = Collection(collection, using=self.alias)
            deadline = time.monotonic() + connect_timeout_s
            while len(self.coll.indexes) < 4 and time.monotonic() < deadline:
                time.sleep(0.2)  # the robot that created it is still adding the indexes
            dim = [f.params.get('dim') for f in self.coll.schema.fields if f.name == 'embedding']
            if dim != [embedder.dim]:
                raise MemoryStoreError(f'Milvus collection {collection!r} at {uri} holds '
                                       f'{dim}-d embeddings, this text embedder makes '
                                       f'{embedder.dim}-d: use another collection')
            self.coll.load(timeout=max(math.ceil(timeout_s), 60))
        except MemoryStoreError:
            raise
        except Exception as err:  # pymilvus raises MilvusException and grpc errors
            raise MemoryStoreError(f'Milvus at {uri} did not answer within '
                                   f'{connect_timeout_s:.0f} s '
                                   f'({type(err).__name__}: {str(err)[:300]}). Start the server '
                                   'or point memory.milvus_uri at it') from err
        self.outbox = Outbox(self.root / 'outbox.sqlite3')
        self.counters = {'buffered': 0, 'replayed': 0, 'send_failures': 0}
        self.last_error = ''
        self._server_away_since = 0.0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._sender = threading.Thread(target=self._send_loop, name='milvus-outbox', daemon=True)
        self._sender.start()
        self.flush()

    # ------------------------------------------------------------ the outbox
    def _send_loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.retry_s)
            self._wake.clear()
            if not self._stop.is_set():
                self.flush()

    def flush(self) -> None:
        """Send the waiting batches in order; stop at the first the server does not take."""
        with self._lock:
            while (batch := self.outbox.oldest()) is not None:
                seq, rows = batch
                try:
                    stale = self._merge_keyframes(rows)
                    self._call(self.coll.upsert, rows)
                except Exception as err:
                    self.counters['send_failures'] += 1
                    self.last_error = f'{type(err).__name__}: {str(err)[:200]}'
                    if _away(err):
                        self._server_away_since = self._server_away_since or time.time()
                        return
                    log.error('Milvus at %s refused a batch of %d items (kept aside in %s): %s',
                              self.uri, len(rows), self.outbox.path, self.last_error)
                    self.outbox.reject(seq, self.last_error)
                    continue
                self.outbox.done(seq)
                for name in stale:  # only once the rows naming their successors are stored
                    (self.root / 'keyframes' / name).unlink(missing_ok=True)
                self._account(rows)
                if self._server_away_since:
                    self.counters['replayed'] += len(rows)
                    if self.outbox.oldest() is None:
                        log.info('Milvus at %s answers again: buffered items sent', self.uri)
                        self._server_away_since = 0.0

    def _merge_keyframes(self, rows: list[dict]) -> list[str]:
        """An update without a new keyframe keeps the one the stored item has; an update with
        one replaces it: the old files' names are returned, to remove once the update is stored
        (an item updated every few seconds would otherwise leave a file each time)."""
        old = {r['id']: r['doc'] for r in self._call(
            self.coll.query, f'id in {_quote(r["id"] for r in rows)}',
            output_fields=['id', 'doc'])}
        stale = []
        for row in rows:
            before = old.get(row['id'])
            if before is None:
                continue
            if not row['doc'].get('keyframes'):
                for key in ('keyframes', 'keyframe_bytes'):
                    row['doc'][key] = before.get(key, row['doc'].get(key))
            else:
                stale += [n for n in before.get('keyframes') or ()
                          if n not in row['doc']['keyframes']]
        return stale

    def _call(self, method, *args, **kwargs):
        """A server call; a collection the server lost from memory (a restart) is loaded.
        The timeout is an int: pymilvus' retry loop ignores a float one (and then retries an
        absent server 75 times, minutes)."""
        timeout = max(1, math.ceil(self.timeout_s))
        name = getattr(method, '__name__', '')
        if self._deleted and name in ('query', 'search', 'query_iterator'):
            # read-your-writes: Milvus 2.3.5 returns no timestamp for a delete, so a Session read
            # (guaranteed up to our last upsert) may still see what we deleted; Strong until the
            # next upsert, whose timestamp is later than the delete's
            kwargs['consistency_level'] = 'Strong'
        try:
            result = method(*args, timeout=timeout, **kwargs)
        except Exception as err:
            if 'not loaded' not in str(err):
                raise
            self.coll.load(timeout=max(timeout, 60))
            result = method(*args, timeout=timeout, **kwargs)
        if name == 'delete':
            self._deleted = True
        elif name == 'upsert':
            self._deleted = False
        return result

    def health(self) -> dict:
        pending, rejected = self.outbox.counts()
        return {**{f'outbox.{k}': v for k, v in self.counters.items()},
                'outbox.pending_batches': pending, 'outbox.rejected_batches': rejected,
                'server': 'away' if self._server_away_since else 'ok',
                'backend_error': self.last_error}

    # ------------------------------------------------------------ rows <-> items
    def _row(self, item: MemoryItem, vector: np.ndarray, keyframes: list[str],
             keyframe_bytes: int, sources: list[str], raw_count: int) -> dict:
        text = item.text.encode()[:MAX_TEXT].decode(errors='ignore')
        return {'id': item.id, 'robot_id': item.robot_id or self.robot_id,
                'frame_id': item.frame_id, 'kind': item.kind, 'level': item.level,
                't_start': float(item.start), 't_end': float(item.end), 'text': text,
                'keywords': keywords(f'{item.text} {label_words(item.labels)}'),
                'doc': {'labels': json.loads(labels_json(item.labels)),
                        'score': float(item.score),
                        'pose': list(item.pose) if item.pose else None,
                        'keyframes': keyframes, 'keyframe_bytes': keyframe_bytes,
                        'image_embedding': item.image_embedding, 'sources': sources,
                        'raw_count': raw_count},
                'embedding': np.asarray(vector, np.float32)}

    def _item(self, r: dict, score: float = 0.0) -> MemoryItem:
        doc = r['doc']
        frames = doc.get('keyframes') or []
        jpeg = b''
        if frames:
            path = self.root / 'keyframes' / frames[len(frames) // 2]
            jpeg = path.read_bytes() if path.is_file() else b''
        return MemoryItem(id=r['id'], kind=r['kind'], level=r['level'], start=r['t_start'],
                          end=r['t_end'], text=r['text'],
                          labels=labels_from_json(json.dumps(doc.get('labels', []))),
                          score=score, pose=tuple(doc['pose']) if doc.get('pose') else None,
                          keyframe_jpeg=jpeg, image_embedding=doc.get('image_embedding'),
                          robot_id=r['robot_id'], frame_id=r['frame_id'])

    def _save_keyframe(self, item_id: str, jpeg: bytes) -> tuple[list[str], int]:
        if not jpeg:
            return [], 0
        name = f'{re.sub(r"[^A-Za-z0-9_.-]", "_", item_id)}-{int(time.time() * 1e6)}.jpg'
        tmp = self.root / 'keyframes' / (name + '.tmp')
        tmp.write_bytes(jpeg)
        tmp.replace(tmp.with_suffix(''))
        return [name], len(jpeg)

    def _filter(self, since=0.0, until=0.0, kinds=None, robot_ids=None) -> str:
        terms = []
        if since:
            terms.append(f't_end >= {float(since)!r}')
        if until:
            terms.append(f't_start <= {float(until)!r}')
        if kinds:
            terms.append(f'kind in {_quote(kinds)}')
        if robot_ids is not None:
            terms.append(f'robot_id in {_quote(robot_ids)}')
        return ' and '.join(terms) or 'id != ""'

    # ------------------------------------------------------------ what the node calls
    def insert(self, items: list[MemoryItem]) -> list[str]:
        self.check_insertable(items)
        if not items:
            return []
        vectors = self.embedder.embed([self.embed_text(i.kind, i.text, i.labels) for i in items])
        rows = []
        for item, vec in zip(items, vectors):
            item.level = 'short' if item.kind != 'note' else 'long'
            frames, nbytes = self._save_keyframe(item.id, item.keyframe_jpeg)
            rows.append(self._row(item, vec, frames, nbytes, [item.id], 1))
        self.outbox.put(rows)  # durable from here on, whether or not the server answers
        if self._server_away_since and time.time() - self._server_away_since < self.retry_s:
            self.counters['buffered'] += len(rows)  # known away: the sender retries
        else:
            self.flush()
            if self._server_away_since:
                self.counters['buffered'] += len(rows)
        return [i.id for i in items]

    def _require_sent(self) -> None:
        self.flush()
        if self.outbox.oldest() is not None:
            raise MemoryStoreError(f'Milvus at {self.uri} is not answering ({self.last_error}); '
                                   'inserts are buffered and will be sent when it does')

    def forget(self, ids: Iterable[str] = (), query: str = '', since: float = 0.0,
               until: float = 0.0) -> int:
        """Forget this robot's items by id, keywords or time window (and episodes holding
        them); their keyframe files go too."""
        with self._lock:
            self._require_sent()
            own = f'robot_id == {json.dumps(self.robot_id)}'
            exprs = []
            ids = [i for i in ids if i]
            if ids:
                exprs.append(f'id in {_quote(ids)}')
            words = keywords(query) if query.strip() else []
            if words:
                exprs.append(f'array_contains_any(keywords, {_quote(words)})')
            if since or until:
                exprs.append(self._filter(since, until or 1e18))
            targets = {}
            for expr in exprs:
                for r in self._query(f'{own} and ({expr})', ['id', 'doc']):
                    targets[r['id']] = r['doc']
            if ids:  # episodes that hold a forgotten item
                for r in self._query(f"{own} and kind == 'episode'", ['id', 'doc']):
                    if set(r['doc'].get('sources', ())) & set(ids):
                        targets[r['id']] = r['doc']
            if not targets:
                return 0
            self._call(self.coll.delete, f'id in {_quote(targets)}')
            self._unaccount(targets)
            for doc in targets.values():
                for name in doc.get('keyframes') or ():
                    (self.root / 'keyframes' / name).unlink(missing_ok=True)
            return len(targets)

    def _query(self, expr: str, fields: list[str]) -> list[dict]:
        """Every row matching expr. One query returns at most 16384 rows (offset + limit, so
        offset paging stops there too): more come through the server's query iterator."""
        first = self._call(self.coll.query, expr, output_fields=fields, limit=QUERY_WINDOW)
        if len(first) < QUERY_WINDOW:
            return first
        rows = self._call(self.coll.query_iterator, batch_size=4096, expr=expr,
                          output_fields=fields)
        out = []
        try:
            while page := rows.next():
                out += page
        finally:
            rows.close()
        return out

    def get(self, ids: Iterable[str]) -> list[MemoryItem]:
        ids = list(ids)
        if not ids:
            return []
        return [self._item(r) for r in self._call(self.coll.query, f'id in {_quote(ids)}',
                                                  output_fields=OUTPUT)]

    def retrieve(self, query: str, top_k: int = 8, since: float = 0.0, until: float = 0.0,
                 kinds: Optional[list[str]] = None, now: Optional[float] = None,
                 robot_ids: Optional[list[str]] = None) -> list[MemoryItem]:
        kinds = [k for k in (kinds or []) if k]
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f'unknown kind {kind!r}; expected {KINDS}')
        top_k = max(1, int(top_k))
        expr = self._filter(since, until, kinds, robot_ids)
        try:
            if not query.strip():
                latest = sorted(self._query(expr, ['id', 't_end']), key=lambda r: -r['t_end'])
                by_id = {r['id']: r for r in self._call(
                    self.coll.query, f'id in {_quote(r["id"] for r in latest[:top_k])}',
                    output_fields=OUTPUT)} if latest else {}
                return [self._item(by_id[r['id']], 1.0) for r in latest[:top_k]
                        if r['id'] in by_id]
            qvec = self.embedder.embed_query(query)
            limit = min(QUERY_WINDOW, max(200, top_k * 20))
            hits = self._call(self.coll.search, [qvec.tolist()], 'embedding',
                              {'metric_type': 'IP', 'params': {'ef': 2 * limit}}, limit=limit,
                              expr=expr, output_fields=['t_end'])[0]
            semantic = {h.id: h.distance for h in hits}
            ends = {h.id: h.entity.get('t_end') for h in hits}
            keyword: dict[str, float] = {}
            words = keywords(query)
            if words:
                matched = self._call(self.coll.query, f'({expr}) and array_contains_any('
                                     f'keywords, {_quote(words)})',
                                     output_fields=['id', 't_end', 'keywords'], limit=200)
                for r in matched:
                    keyword[r['id']] = len(set(words) & set(r['keywords']))
                    ends[r['id']] = r['t_end']
                # vectors only of the rows the vector search did not return: fetching all 200
                # was most of the call
                missed = [i for i in keyword if i not in semantic]
                if missed:
                    for r in self._call(self.coll.query, f'id in {_quote(missed)}',
                                        output_fields=['id', 'embedding']):
                        semantic[r['id']] = float(np.asarray(r['embedding'], np.float32) @ qvec)
                best = max(keyword.values(), default=0) or 1
                keyword = {k: v / best for k, v in keyword.items()}
        except MemoryStoreError:
            raise
        except Exception as err:
            raise MemoryStoreError(f'Milvus at {self.uri} could not search: '
                                   f'{type(err).__name__}: {str(err)[:200]}') from err
        if now is None:
            now = max(ends.values(), default=0.0)
        w_sem, w_kw, w_rec = self.weights
        scored = sorted(((w_sem * max(0.0, semantic.get(i, 0.0)) + w_kw * keyword.get(i, 0.0)
                          + w_rec * math.exp(-max(0.0, now - ends[i]) / self.recency_tau_s), i)
                         for i in ends), reverse=True)[:top_k]
        full = {r['id']: r for r in self._call(self.coll.query,
                                                f'id in {_quote(i for _, i in scored)}',
                                                output_fields=OUTPUT)} if scored else {}
        return [self._item(full[i], s) for s, i in scored if i in full]

    def stats(self) -> dict:
        """This robot's items (other robots' are theirs to count), from the cached per-row
        figures: no scan of the collection at each diagnostics period."""
        with self._lock:
            rows = list(self._stats_rows().values())
        counts: dict[tuple[str, str], int] = {}
        for kind, level, *_ in rows:
            counts[(kind, level)] = counts.get((kind, level), 0) + 1
        kf = sum(r[5] for r in rows)
        raw = sum(r[6] for r in rows)
        return {'counts': dict(sorted(counts.items())), 'items': len(rows),
                'bytes': sum(r[4] for r in rows) + kf, 'keyframe_bytes': kf,
                'compression_ratio': raw / len(rows) if rows else 1.0,
                'oldest': min((r[2] for r in rows), default=0.0),
                'newest': max((r[3] for r in rows), default=0.0)}

    def _row_bytes(self, rows: list[dict]) -> int:
        # what a row holds on the server: its embedding, text and JSON (an estimate: Milvus
        # does not report one collection's bytes per robot)
        return sum(4 * self.embedder.dim + len(json.dumps(r['doc'])) + 200 for r in rows)

    def _figures(self, r: dict) -> tuple:
        doc = r['doc']
        return (r['kind'], r['level'], float(r['t_start']), float(r['t_end']),
                self._row_bytes([r]), int(doc.get('keyframe_bytes') or 0),
                int(doc.get('raw_count') or 1))

    def _stats_rows(self) -> dict[str, tuple]:
        """The per-row figures: scanned when there are none, when they are older than
        stats_rescan_s, or when the server counts another number of this robot's rows (a
        count(*) query, cheap); while the server is away, the last known ones."""
        cached = self._stat_rows
        if cached is not None and time.monotonic() - self._stat_rows_at < self.stats_rescan_s:
            try:
                if self.count() == len(cached):
                    return cached
            except Exception:
                if self._server_away_since or self.outbox.oldest() is not None:
                    return cached
                raise
        own = f'robot_id == {json.dumps(self.robot_id)}'
        rows = self._query(own, ['id', 'kind', 'level', 't_start', 't_end', 'doc'])
        self._stat_rows = {r['id']: self._figures(r) for r in rows}
        self._stat_rows_at = time.monotonic()
        self.stats_scans += 1
        return self._stat_rows

    def _account(self, rows: list[dict]) -> None:
        """Rows the server acknowledged (inserted or replaced by id) into the cached figures."""
        if self._stat_rows is not None:
            for r in rows:
                if r['robot_id'] == self.robot_id:
                    self._stat_rows[r['id']] = self._figures(r)

    def _unaccount(self, ids: Iterable[str]) -> None:
        if self._stat_rows is not None:
            for i in ids:
                self._stat_rows.pop(i, None)

    def count(self) -> int:
        own = f'robot_id == {json.dumps(self.robot_id)}'
        return int(self._call(self.coll.query, own, output_fields=['count(*)'])[0]['count(*)'])

    def budget_bytes_used(self) -> int:
        with self._lock:
            rows = self._stats_rows().values()
            return sum(r[4] + r[5] for r in rows)

    def close(self) -> None:
        from pymilvus import connections
        self._stop.set()
        self._wake.set()
        self._sender.join(timeout=self.timeout_s + 5)
        with self._lock:
            try:
                self.flush()
            finally:
                self.outbox.close()
                connections.disconnect(self.alias)

    # ------------------------------------------------------------ what compression calls
    _ROW_FIELDS = OUTPUT + ['embedding']

    def _compression_row(self, r: dict) -> Row:
        doc = r['doc']
        return Row(r['id'], r['id'], r['kind'], r['t_start'], r['t_end'], r['text'],
                   labels_from_json(json.dumps(doc.get('labels', []))),
                   tuple(doc['pose']) if doc.get('pose') else None, doc.get('keyframes') or [],
                   int(doc.get('keyframe_bytes') or 0),
                   np.asarray(r['embedding'], np.float32), doc.get('sources') or [r['id']],
                   int(doc.get('raw_count') or 1), r['robot_id'], r['frame_id'])

    def compression_rows(self, kinds, level=None, end_before=None, newest_first=False,
                         limit=None) -> list[Row]:
        expr = f'robot_id == {json.dumps(self.robot_id)} and kind in {_quote(kinds)}'
        if level is not None:
            expr += f' and level == {json.dumps(level)}'
        if end_before is not None:
            expr += f' and t_end < {float(end_before)!r}'
        rows = sorted(self._query(expr, self._ROW_FIELDS), key=lambda r: r['t_start'],
                      reverse=newest_first)
        return [self._compression_row(r) for r in rows[:limit]]

    def nearest_episode(self, t: float) -> Optional[Row]:
        rows = self._query(f"robot_id == {json.dumps(self.robot_id)} and kind == 'episode'",
                           self._ROW_FIELDS)
        if not rows:
            return None
        return self._compression_row(min(rows, key=lambda r: abs((r['t_start'] + r['t_end']) / 2
                                                                - t)))

    def replace(self, removed: list[Row], episodes: list[Episode]) -> None:
        """Episodes first, then the rows they replace: a failure between the two leaves both
        (found twice) rather than neither (lost)."""
        self._require_sent()
        if episodes:
            rows = [self._row(e.item, e.vector, e.keyframes, e.keyframe_bytes, e.sources,
                              e.raw_count) for e in episodes]
            self._call(self.coll.upsert, rows)
            self._account(rows)
        if removed:
            self._call(self.coll.delete, f'id in {_quote(r.id for r in removed)}')
            self._unaccount(r.id for r in removed)
        for ep in episodes:
            for name in ep.dropped:
                (self.root / 'keyframes' / name).unlink(missing_ok=True)

    def promote(self, kinds, end_before: float) -> int:
        self._require_sent()
        rows = self._query(f'robot_id == {json.dumps(self.robot_id)} and level == "short" and '
                           f'kind in {_quote(kinds)} and t_end < {float(end_before)!r}',
                           self._ROW_FIELDS + ['keywords'])
        for start in range(0, len(rows), 1000):
            batch = rows[start:start + 1000]
            for r in batch:
                r['level'] = 'long'
            self._call(self.coll.upsert, batch)
            self._account(batch)
        return len(rows)

    def keyframe_size(self, name: str) -> Optional[int]:
        path = self.root / 'keyframes' / name
        return path.stat().st_size if path.exists() else None
