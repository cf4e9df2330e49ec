"""The memory node: a thin ROS adapter over omnilive.memory (services + background compression).

A request that fails (bad items, a full disk, a store error) gets success=false or an empty
response with the reason logged and counted on /diagnostics; it never takes the node down (an
exception escaping a callback would stop the executor). A database or model that cannot be opened
fails configure (omnilive.ros.lifecycle): one line, and EXIT_CONFIG under autostart. Services
exist while the node is active; the store is open from configure to cleanup."""
from __future__ import annotations

import ctypes
import os
import threading
import time

from rclpy.callback_groups import MutuallyExclusiveCallbackGroup, ReentrantCallbackGroup
from visualization_msgs.msg import MarkerArray

from omnilive.memory.compressor import Compressor
from omnilive.memory.factory import STORE_SETTINGS, open_store, robot_id_for, robots_in_scope
from omnilive.ros.convert import from_time, item_from_msg, item_to_msg, to_time
from omnilive.ros.interfaces import omnilive_srvs
from omnilive.ros.lifecycle import ManagedNode
from omnilive.ros.node_util import now_s, spin
from omnilive.ros.params import attribute_setters
from omnilive.ros.qos import DERIVED
from omnilive.ros.visualization import MEMORY_MARKERS_TOPIC, memory_markers
from omnilive.util.diagnostics import Memory as K
from omnilive.util.node_config import MemoryConfig


def heap_trimmer():
    """Glibc's malloc_trim, or None without glibc.

    The store is used from several threads (service callbacks, this timer); the memory they
    free stays in per-thread malloc arenas, so the node's resident memory grew ~230 MB per
    stream hour in `omnilive soak` with the store within its budget (malloc_trim gave 130 MB
    back at once). Trimming after each compression keeps it flat (docs/reliability.md)."""
    try:
        return ctypes.CDLL('libc.so.6').malloc_trim
    except (OSError, AttributeError):
        return None



class MemoryNode(ManagedNode):
    schema = K

    def __init__(self):
        self.store = None
        self.served: list = []
        super().__init__('memory', MemoryConfig(), attribute_setters(
            self, {name: [f'store.{name}'] for name in STORE_SETTINGS}))
        self.markers_pub = self.create_lifecycle_publisher(MarkerArray, MEMORY_MARKERS_TOPIC,
                                                           DERIVED)
        self._compressing = threading.Lock()
        self._trim_heap = heap_trimmer()
        self.compress_timer = None

    def configure(self) -> None:
        cfg = self.cfg
        path = os.path.expanduser(cfg.storage_path)
        self.robot_id = robot_id_for(self.get_namespace(), cfg.robot_id)
        self.store = open_store(cfg, self.robot_id)
        self.compressor = Compressor(self.store)
        self.compress_timer = self.create_timer(cfg.compress_period_s, self.compress,
                                                callback_group=MutuallyExclusiveCallbackGroup())
        where = cfg.milvus_uri if cfg.backend == 'milvus' else path
        self.get_logger().info(f'memory configured: {self.store.count()} items of robot '
                               f'{self.robot_id} at {where}')

    def activate(self) -> None:
        srv = omnilive_srvs()
        services = ReentrantCallbackGroup()  # the store serialises writes itself
        self.served = [self.create_service(getattr(srv, kind), f'memory/{name}',
                                             getattr(self, name), callback_group=services)
                         for kind, name in (('Insert', 'insert'), ('Retrieve', 'retrieve'),
                                            ('Remember', 'remember'), ('Forget', 'forget'),
                                            ('Stats', 'stats'))]

    def deactivate(self) -> None:
        for service in self.served:
            self.destroy_service(service)
        self.served = []

    def release(self) -> None:
        if self.compress_timer is not None:
            self.destroy_timer(self.compress_timer)
            self.compress_timer = None
        with self._compressing:   # not while a compression runs on the store
            if self.store is not None:
                self.store.close()
                self.store = None

    def _now(self) -> float:
        now = now_s(self)
        return now if now > 0 else self.store.stats()['newest']

    def insert(self, req, res):
        try:
            items = [item_from_msg(m) for m in req.items]
            res.ids = self.store.insert(items)
            res.success = True
            self.counters.add(K.INSERTED, len(res.ids))
        except Exception as err:  # bad items (ValueError), disk or database errors
            res.success, res.message = False, f'{type(err).__name__}: {err}'
            self.counters.add(K.INSERT_FAILURES)
            self.get_logger().warning(f'insert of {len(req.items)} items refused: {res.message}')
        if res.success:
            self._show(items)
        return res

    def _show(self, items) -> None:
        """Stored items with a pose as markers where the robot was (RViz, Foxglove); added to
        those shown before (one message per insert, each marker kept by its item id)."""
        if any(i.pose is not None for i in items):
            self.markers_pub.publish(memory_markers(items, self.get_clock().now().to_msg(),
                                                    replace=False))

    def retrieve(self, req, res):
        t0 = time.perf_counter()
        try:
            items = self.store.retrieve(req.query, top_k=req.top_k or self.cfg.default_top_k,
                                        since=from_time(req.since), until=from_time(req.until),
                                        kinds=list(req.kinds), now=self._now(),
                                        robot_ids=robots_in_scope(
                                            req.scope, req.robot_ids, self.robot_id,
                                            self.cfg.default_scope))
            res.items = [item_to_msg(i) for i in items]
        except Exception as err:  # an unknown kind (ValueError), a database error
            self.counters.add(K.RETRIEVE_FAILURES)
            self.get_logger().warning(f'retrieve refused: {type(err).__name__}: {err}')
        res.latency_ms = (time.perf_counter() - t0) * 1000
        self.counters.add(K.RETRIEVALS)
        self.counters.set(K.LAST_RETRIEVE_MS, round(res.latency_ms, 2))
        return res

    def remember(self, req, res):
        stamp = from_time(req.stamp) or self._now()
        try:
            res.id = self.store.remember(req.text, stamp)
        except Exception as err:  # an empty note (ValueError), a database error
            self.counters.add(K.REMEMBER_FAILURES)
            self.get_logger().warning(f'remember refused: {type(err).__name__}: {err}')
        return res

    def forget(self, req, res):
        try:
            res.removed = self.store.forget(list(req.ids), req.query, from_time(req.since),
                                            from_time(req.until))
        except Exception as err:
            self.counters.add(K.FORGET_FAILURES)
            self.get_logger().error(f'forget failed: {type(err).__name__}: {err}')
            return res
        self.counters.add(K.FORGOTTEN, res.removed)
        self.get_logger().info(f'forgot {res.removed} items')  # on request: rare
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
            if self.store is None:   # released meanwhile
                return
            now = self._now()
            if now > 0:
                self.compressor.run(now)
                self.counters.add(K.COMPRESSIONS)
            if self._trim_heap:
                self._trim_heap(0)
        except Exception as err:  # retried next period; what was stored stays as it was
            self.counters.add(K.COMPRESS_FAILURES)
            self.get_logger().error(f'compression failed: {type(err).__name__}: {err}')
        finally:
            self._compressing.release()

    def diagnostic_values(self) -> dict:
        try:
            s = self.store.stats()
        except Exception as err:
            return {**self.counters.snapshot(), K.STATS_ERROR: f'{type(err).__name__}: {err}'}
        values = {**self.counters.snapshot(), K.ITEMS: s['items'], K.BYTES: s['bytes'],
                  K.COMPRESSION_RATIO: round(s['compression_ratio'], 2)}
        values.update({K.COUNT(f'{k}.{lvl}'): n for (k, lvl), n in s['counts'].items()})
        return {**values, **self.store.health()}


def main() -> int:
    return spin(MemoryNode, threads=4)
