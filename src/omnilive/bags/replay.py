"""Replay a rosbag2 (sqlite3 or mcap) into a live graph: raw CDR bytes on the bag's schedule,
/clock included (made from the bag's times when the bag has none, e.g. one recorded live), at a
rate (1.0 = real time) or as fast as a pacing gate allows."""
from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Callable, Optional

from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

LATCHED_TOPICS = ('/audio/audio_info',)
CLOCK_PERIOD_S = 0.05  # /clock made for bags without one: 20 Hz, like the bag maker's


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
                 topics: Optional[list[str]] = None, remap: Optional[dict] = None,
                 clock: bool = True):
        self.node = node
        self.bag = bag
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
            # deep histories: a sample lost on the wire is repaired from here, unless it was
            # overwritten first (images are big: fewer of them)
            qos = QoSProfile(depth=100 if 'Image' in conn.msgtype else 1000,
                             reliability=ReliabilityPolicy.RELIABLE)
            if conn.topic in LATCHED_TOPICS:
                qos.durability = DurabilityPolicy.TRANSIENT_LOCAL
                qos.depth = 1
            try:
                msg_class = message_class(conn.msgtype)
            except (ImportError, AttributeError, ValueError) as err:
                raise BagError(f'bag {bag}: topic {conn.topic} has type {conn.msgtype}, which is '
                               f'not installed here ({err}); leave the topic out') from err
            self.publishers[conn.topic] = node.create_publisher(
                msg_class, self.out_topic(conn.topic), qos)
        self.clock_pub = None  # the bag has no /clock: publish one from its times
        if clock and not any(c.topic == '/clock' for c in self.reader.connections):
            from rosgraph_msgs.msg import Clock
            self.clock_pub = node.create_publisher(Clock, '/clock', 10)
        self.start_ns = self.reader.start_time
        self.duration = (self.reader.end_time - self.reader.start_time) * 1e-9
        self.published = 0

    def out_topic(self, topic: str) -> str:
        """The name a bag topic is published under."""
        return self.remap.get(topic, topic)

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
             until: Optional[float] = None,
             on_publish: Callable[[str, float], None] = lambda topic, t: None) -> None:
        """Publish every message; `gate(t)` may block before bag time t (seconds from the
        start) to pace the player on the graph; `on_time(t)` sees the progress and
        `on_publish(topic, t)` every message published."""
        wall0 = time.monotonic()
        next_clock = 0.0
        for conn, t_ns, raw in self._messages():
            t = (t_ns - self.start_ns) * 1e-9
            if until is not None and t > until:
                break
            gate(t)
            if self.rate:
                delay = wall0 + t / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            if self.clock_pub is not None and t >= next_clock:
                self._publish_clock(t_ns)
                next_clock = t + CLOCK_PERIOD_S
            self.publishers[conn.topic].publish(raw)
            self.published += 1
            on_publish(conn.topic, t)
            on_time(t)

    def _messages(self):
        """The bag's messages in time order. A damaged file is a BagError naming it, also when
        the reader just stops early (an mcap chunk overwritten in the middle reads as the end)."""
        expected = sum(c.msgcount for c in self.connections)
        read, t = 0, 0.0
        try:
            for conn, t_ns, raw in self.reader.messages(connections=self.connections):
                read += 1
                t = (t_ns - self.start_ns) * 1e-9
                yield conn, t_ns, raw
        except Exception as err:  # rosbags raises many types (OverflowError, struct errors...)
            raise BagError(f'bag {self.bag} is damaged: reading failed at {t:.1f} s of '
                           f'{self.duration:.1f} s, after {read} of {expected} messages '
                           f'({type(err).__name__}: {err}); re-record it or restore a '
                           'copy') from err
        if read < expected:
            raise BagError(f'bag {self.bag} is damaged: only {read} of its {expected} messages '
                           f'could be read (up to {t:.1f} s of {self.duration:.1f} s); re-record '
                           'it or restore a copy')

    def _publish_clock(self, t_ns: int) -> None:
        from builtin_interfaces.msg import Time
        from rosgraph_msgs.msg import Clock
        self.clock_pub.publish(Clock(clock=Time(sec=t_ns // 1_000_000_000,
                                                nanosec=t_ns % 1_000_000_000)))

    def close(self) -> None:
        self.reader.close()
