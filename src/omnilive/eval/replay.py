"""Replay a rosbag2 (sqlite3 or mcap) into a live graph: raw CDR bytes on the bag's schedule,
/clock included, at a rate (1.0 = real time) or as fast as a pacing gate allows."""
from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Callable, Optional

from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

LATCHED_TOPICS = ('/audio/audio_info',)


def message_class(msgtype: str):
    pkg, kind, name = msgtype.split('/')
    return getattr(importlib.import_module(f'{pkg}.{kind}'), name)


class BagError(RuntimeError):
    pass


def read_bag(path: str | Path):
    """(connections, iterator of (topic, msgtype, t_ns, raw bytes)); clear error on a bad bag."""
    from rosbags.highlevel import AnyReader
    path = Path(path)
    if not path.exists():
        raise BagError(f'bag not found: {path}')
    try:
        reader = AnyReader([path])
        reader.open()
    except Exception as err:  # rosbags raises several types for corrupt/foreign files
        raise BagError(f'cannot read bag {path}: {err}. Is it a rosbag2 directory '
                       '(metadata.yaml + .db3/.mcap)?') from err
    return reader


class Player:
    def __init__(self, node, bag: str | Path, rate: float | None = 1.0,
                 topics: Optional[list[str]] = None, remap: Optional[dict] = None):
        self.node = node
        self.reader = read_bag(bag)
        self.rate = rate  # None: as fast as the gate allows
        self.remap = remap or {}
        self.connections = [c for c in self.reader.connections
                            if topics is None or c.topic in topics]
        if not self.connections:
            raise BagError(f'bag {bag} has none of the topics {topics}')
        self.publishers = {}
        for conn in self.connections:
            if conn.topic in self.publishers:
                continue
            qos = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE)
            if conn.topic in LATCHED_TOPICS:
                qos.durability = DurabilityPolicy.TRANSIENT_LOCAL
                qos.depth = 1
            self.publishers[conn.topic] = node.create_publisher(
                message_class(conn.msgtype), self.remap.get(conn.topic, conn.topic), qos)
        self.start_ns = self.reader.start_time
        self.duration = (self.reader.end_time - self.reader.start_time) * 1e-9
        self.published = 0

    def wait_for_subscribers(self, topics: list[str], spin: Callable[[], None],
                             timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        for topic in topics:
            pub = self.publishers.get(topic)
            if pub is None:
                continue
            while pub.get_subscription_count() == 0:
                if time.monotonic() > deadline:
                    raise TimeoutError(f'no subscriber on {topic} after {timeout:.0f} s')
                spin()
        end = time.monotonic() + 0.5  # matching settles a little after it is reported
        while time.monotonic() < end:
            spin()

    def play(self, gate: Callable[[float], None] = lambda t: None,
             on_time: Callable[[float], None] = lambda t: None,
             until: Optional[float] = None) -> None:
        """Publish every message; `gate(t)` may block before bag time t (seconds from the
        start) to pace the player on the graph; `on_time(t)` sees the progress."""
        wall0 = time.monotonic()
        for conn, t_ns, raw in self.reader.messages(connections=self.connections):
            t = (t_ns - self.start_ns) * 1e-9
            if until is not None and t > until:
                break
            gate(t)
            if self.rate:
                delay = wall0 + t / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self.publishers[conn.topic].publish(raw)
            self.published += 1
            on_time(t)

    def close(self) -> None:
        self.reader.close()
