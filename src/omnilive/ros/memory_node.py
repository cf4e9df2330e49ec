"""The memory node: a thin ROS adapter over omnilive.memory (services + background compression).

A request that fails (bad items, a full disk, a store error) gets success=false or an empty
response with the reason logged and counted on /diagnostics; it never takes the node down (an
exception escaping a callback would stop the executor). A database that cannot be opened is a
one-line error and exit code 1."""
from __future__ import annotations

import ctypes
import os
import sys
import threading
import time

from rclpy.callback_groups import MutuallyExclusiveCallbackGroup, ReentrantCallbackGroup
from rclpy.node import Node

from omnilive.memory.compressor import Compressor
from omnilive.memory.store import MemoryError_, MemoryStore
from omnilive.models.embedding import TextEmbedder
from omnilive.models.registry import ModelNotProvisioned
from omnilive.ros.convert import from_time, item_from_msg, item_to_msg, to_time
from omnilive.ros.interfaces import omnilive_srvs
from omnilive.ros.node_util import Counters, Diagnostics, declare, now_s, spin


def heap_trimmer():
    """glibc's malloc_trim, or None without glibc.

    The store is used from several threads (service callbacks, this timer); the memory they
    free stays in per-thread malloc arenas, so the node's resident memory grew ~230 MB per
    stream hour in `omnilive soak` with the store within its budget (malloc_trim gave 130 MB
    back at once). Trimming after each compression keeps it flat (docs/reliability.md)."""
    try:
        return ctypes.CDLL('libc.so.6').malloc_trim
    except (OSError, AttributeError):
        return None


class MemoryNode(Node):
    def __init__(self):
        super().__init__('memory')
        p = lambda *a: declare(self, *a)  # noqa: E731
        path = os.path.expanduser(p('storage_path', '~/.local/share/omnilive/memory',
                                    'directory of this memory (SQLite, vector index, keyframes); '
                                    'one directory per memory, e.g. per robot'))
        embedder = TextEmbedder(p('text_embedding.model', '', 'sentence-transformers model '
                                  '(empty: provisioned all-MiniLM-L6-v2)'),
                                device=p('text_embedding.device', 'cpu', 'cpu or cuda'),
                                threads=p('text_embedding.threads', 1, 'CPU threads'))
        self.store = MemoryStore(
            path, embedder,
            short_term_window_s=p('short_term_window_s', 300.0,
                                  'recent window kept in full detail (s)'),
            budget_items=p('budget_items', 20000, 'max items kept (notes excepted)'),
            budget_bytes=p('budget_bytes', 500_000_000, 'max bytes kept, keyframes included'),
            episode_gap_s=p('episode_gap_s', 15.0, 'max gap between clips of one episode (s)'),
            scene_similarity=p('scene_similarity', 0.75,
                               'text-embedding similarity above which clips are the same scene'),
            keyframes_per_episode=p('keyframes_per_episode', 3, 'keyframes kept per episode'))
        self.default_top_k = p('default_top_k', 8, 'results when a request asks for top_k 0')
        self.compressor = Compressor(self.store)
        self.counters = Counters('inserted', 'insert_failures', 'retrievals', 'retrieve_failures',
                                 'remember_failures', 'forgotten', 'forget_failures',
                                 'compressions', 'compress_failures', 'last_retrieve_ms')
        srv = omnilive_srvs()
        services = ReentrantCallbackGroup()  # the store serialises writes itself
        self.create_service(srv.Insert, 'memory/insert', self.insert, callback_group=services)
        self.create_service(srv.Retrieve, 'memory/retrieve', self.retrieve, callback_group=services)
        self.create_service(srv.Remember, 'memory/remember', self.remember, callback_group=services)
        self.create_service(srv.Forget, 'memory/forget', self.forget, callback_group=services)
        self.create_service(srv.Stats, 'memory/stats', self.stats, callback_group=services)
        self._compressing = threading.Lock()
        self._trim_heap = heap_trimmer()
        self.create_timer(p('compress_period_s', 30.0, 'how often compression runs (s)'),
                          self.compress, callback_group=MutuallyExclusiveCallbackGroup())
        self.diagnostics = Diagnostics(self)
        self.diagnostics.values = self.diagnostic_values
        self.get_logger().info(f'memory ready: {self.store.count()} items at {path}')

    def _now(self) -> float:
        now = now_s(self)
        return now if now > 0 else self.store.stats()['newest']

    def insert(self, req, res):
        try:
            res.ids = self.store.insert([item_from_msg(m) for m in req.items])
            res.success = True
            self.counters.add('inserted', len(res.ids))
        except Exception as err:  # bad items (ValueError), disk or database errors
            res.success, res.message = False, f'{type(err).__name__}: {err}'
            self.counters.add('insert_failures', 1)
            self.get_logger().warning(f'insert of {len(req.items)} items refused: {res.message}')
        return res

    def retrieve(self, req, res):
        t0 = time.perf_counter()
        try:
            items = self.store.retrieve(req.query, top_k=req.top_k or self.default_top_k,
                                        since=from_time(req.since), until=from_time(req.until),
                                        kinds=list(req.kinds), now=self._now())
            res.items = [item_to_msg(i) for i in items]
        except Exception as err:  # an unknown kind (ValueError), a database error
            self.counters.add('retrieve_failures', 1)
            self.get_logger().warning(f'retrieve refused: {type(err).__name__}: {err}')
        res.latency_ms = (time.perf_counter() - t0) * 1000
        self.counters.add('retrievals', 1)
        self.counters.set('last_retrieve_ms', round(res.latency_ms, 2))
        return res

    def remember(self, req, res):
        stamp = from_time(req.stamp) or self._now()
        try:
            res.id = self.store.remember(req.text, stamp)
        except Exception as err:  # an empty note (ValueError), a database error
            self.counters.add('remember_failures', 1)
            self.get_logger().warning(f'remember refused: {type(err).__name__}: {err}')
        return res

    def forget(self, req, res):
        try:
            res.removed = self.store.forget(list(req.ids), req.query, from_time(req.since),
                                            from_time(req.until))
        except Exception as err:
            self.counters.add('forget_failures', 1)
            self.get_logger().error(f'forget failed: {type(err).__name__}: {err}')
            return res
        self.counters.add('forgotten', res.removed)
        self.get_logger().info(f'forgot {res.removed} items')
        return res

    def stats(self, req, res):
        try:
            s = self.store.stats()
        except Exception as err:
            self.get_logger().error(f'stats failed: {type(err).__name__}: {err}')
            return res
        res.kinds = [k for k, _ in s['counts']]
        res.levels = [lvl for _, lvl in s['counts']]
        res.counts = list(s['counts'].values())
        res.bytes, res.keyframe_bytes = int(s['bytes']), int(s['keyframe_bytes'])
        res.compression_ratio = float(s['compression_ratio'])
        res.oldest, res.newest = to_time(s['oldest']), to_time(s['newest'])
        return res

    def compress(self):
        if not self._compressing.acquire(blocking=False):
            return
        try:
            now = self._now()
            if now > 0:
                self.compressor.run(now)
                self.counters.add('compressions', 1)
            if self._trim_heap:
                self._trim_heap(0)
        except Exception as err:  # retried next period; what was stored stays as it was
            self.counters.add('compress_failures', 1)
            self.get_logger().error(f'compression failed: {type(err).__name__}: {err}')
        finally:
            self._compressing.release()

    def diagnostic_values(self) -> dict:
        try:
            s = self.store.stats()
        except Exception as err:
            return dict(self.counters.snapshot(), stats_error=f'{type(err).__name__}: {err}')
        values = dict(self.counters.snapshot(), items=s['items'], bytes=s['bytes'],
                      compression_ratio=round(s['compression_ratio'], 2))
        values.update({f'count.{k}.{lvl}': n for (k, lvl), n in s['counts'].items()})
        return values

    def close(self):
        self.store.close()


def main() -> int:
    try:
        return spin(MemoryNode, threads=4)
    except (MemoryError_, ModelNotProvisioned) as err:  # a clear message, not a traceback
        print(f'[memory] cannot start: {err}', file=sys.stderr)
        return 1
