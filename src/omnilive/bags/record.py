"""`omnilive record --out BAG`: record live topics into a rosbag2 with rosbags, where `ros2 bag`
is not installed (these machines). The bag replays through `omnilive eval`.

    omnilive record --out run1                      # the graph's sensor inputs, until Ctrl-C
    omnilive record --out run1 --duration 600 --topics /camera/image_raw/compressed /audio/audio
    omnilive record --out run1 --all                # every topic with a known type

Messages are recorded as published (serialized CDR, no decoding) with their receive time; the
subscription QoS follows the publishers' (best effort when any publisher is, transient local for
latched topics such as /audio/audio_info), like ros2 bag does. Message definitions of types not
built into rosbags (audio_common_msgs, omnilive_msgs) come from the installed .msg files.
"""
from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import sys
import threading
import time
from pathlib import Path

from omnilive.ros import graph

SENSOR_INPUTS = list(graph.PERCEPTION_INPUTS)


class RecordError(RuntimeError):
    pass


def share_dirs() -> list[Path]:
    """Where installed ROS packages keep their share/ folders (AMENT_PREFIX_PATH, this prefix)."""
    prefixes = [p for p in os.environ.get('AMENT_PREFIX_PATH', '').split(os.pathsep) if p]
    prefixes.append(sys.prefix)
    return [Path(p) / 'share' for p in dict.fromkeys(prefixes)]


def _definition(msgtype: str) -> str:
    pkg, kind, name = msgtype.split('/')
    for share in share_dirs():
        path = share / pkg / kind / f'{name}.msg'
        if path.is_file():
            return path.read_text()
    raise RecordError(f'no message definition for {msgtype} (looked for {pkg}/{kind}/{name}.msg '
                      f'under {[str(s) for s in share_dirs()]})')


def typestore_for(msgtypes: list[str]):
    """A rosbags typestore that knows `msgtypes` and what they depend on."""
    from rosbags.typesys import Stores, get_types_from_msg, get_typestore
    store = get_typestore(Stores.ROS2_KILTED)
    wanted = [t for t in msgtypes if t not in store.types]
    while wanted:
        msgtype = wanted.pop()
        if msgtype in store.types:
            continue
        text = _definition(msgtype)
        store.register(get_types_from_msg(text, msgtype))
        pkg = msgtype.split('/')[0]
        for ref in re.findall(r'^\s*([A-Za-z][\w/]*)(?:\[\d*\])?\s+\w+', text, re.M):
            if ref in ('bool', 'byte', 'char', 'string', 'wstring', 'time', 'duration') or \
                    re.fullmatch(r'u?int(8|16|32|64)|float(32|64)', ref):
                continue
            parts = ref.split('/')
            full = f'{parts[0]}/msg/{parts[-1]}' if len(parts) > 1 else f'{pkg}/msg/{ref}'
            if full == 'std_msgs/msg/Header' or full in store.types:
                continue
            wanted.append(full)
    return store


def subscription_qos(node, topic: str):
    """Reliability and durability that match every publisher of `topic`."""
    from rclpy.qos import (DurabilityPolicy, HistoryPolicy, QoSProfile, ReliabilityPolicy)
    infos = node.get_publishers_info_by_topic(topic)
    best_effort = any(i.qos_profile.reliability == ReliabilityPolicy.BEST_EFFORT for i in infos)
    latched = bool(infos) and all(i.qos_profile.durability == DurabilityPolicy.TRANSIENT_LOCAL
                                  for i in infos)
    return QoSProfile(depth=1000, history=HistoryPolicy.KEEP_LAST,
                      reliability=ReliabilityPolicy.BEST_EFFORT if best_effort
                      else ReliabilityPolicy.RELIABLE,
                      durability=DurabilityPolicy.TRANSIENT_LOCAL if latched
                      else DurabilityPolicy.VOLATILE)


class Recorder:
    """Subscribes to topics (raw) and writes them to a bag from a writer thread."""

    def __init__(self, node, out: str | Path, storage: str = 'sqlite3'):
        self.node = node
        self.out = Path(out)
        if self.out.exists():
            raise RecordError(f'{self.out} exists: choose a new bag directory')
        self.storage = storage
        self.queue: queue.Queue = queue.Queue(maxsize=20000)
        self.counts: dict[str, int] = {}
        self.dropped = 0
        self.subscriptions = {}
        self.connections = {}
        self.error = None
        self._thread = None

    def discover(self, topics: list[str] | None, wait_s: float) -> dict[str, str]:
        """Topic -> type, for `topics` (all known topics when None) once they are published."""
        deadline = time.monotonic() + wait_s
        while True:
            found = {name: types[0] for name, types in self.node.get_topic_names_and_types()
                     if types and (topics is None or name in topics) and
                     name not in ('/rosout', '/parameter_events')}
            if topics is not None and len(found) == len(set(topics)) or \
                    time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def start(self, types: dict[str, str]) -> None:
        from omnilive.bags.replay import message_class
        store = typestore_for(sorted(set(types.values())))
        ready = threading.Event()
        # the bag (its SQLite connection) lives on the writer thread: opened there, written there
        self._thread = threading.Thread(target=self._write, args=(types, store, ready),
                                        name='bag-writer', daemon=True)
        self._thread.start()
        ready.wait()
        if self.error is not None:
            raise RecordError(f'cannot create the bag {self.out}: {self.error}')
        for topic, msgtype in sorted(types.items()):
            self.counts[topic] = 0
            self.subscriptions[topic] = self.node.create_subscription(
                message_class(msgtype), topic, lambda raw, t=topic: self._on_message(t, raw),
                subscription_qos(self.node, topic), raw=True)

    def wait_matched(self, wait_s: float) -> list[str]:
        """Wait until every subscription has matched the publishers the graph shows; the topics
        still unmatched after `wait_s`. Discovery is per side: a publisher may already see this
        reader while the reader does not see it yet, and what it sends meanwhile is lost."""
        deadline = time.monotonic() + wait_s
        while True:
            unmatched = [topic for topic, sub in sorted(self.subscriptions.items())
                         if sub.get_publisher_count() <
                         len(self.node.get_publishers_info_by_topic(topic))]
            if not unmatched or time.monotonic() > deadline:
                return unmatched
            time.sleep(0.05)

    def _on_message(self, topic: str, raw: bytes) -> None:
        try:
            self.queue.put_nowait((topic, time.time_ns(), raw))
        except queue.Full:
            self.dropped += 1  # the disk cannot keep up: counted, reported at the end

    def _write(self, types: dict[str, str], store, ready: threading.Event) -> None:
        from rosbags.rosbag2 import StoragePlugin, Writer
        plugin = StoragePlugin.MCAP if self.storage == 'mcap' else StoragePlugin.SQLITE3
        try:
            writer = Writer(self.out, version=9, storage_plugin=plugin)
            writer.open()
            for topic, msgtype in sorted(types.items()):
                self.connections[topic] = writer.add_connection(topic, msgtype, typestore=store)
        except Exception as err:
            self.error = err
            ready.set()
            return
        ready.set()
        try:
            while True:
                entry = self.queue.get()
                if entry is None:
                    return
                topic, t_ns, raw = entry
                writer.write(self.connections[topic], t_ns, raw)
                self.counts[topic] += 1
        except Exception as err:  # a full disk: stop recording, say why
            self.error = err
        finally:
            writer.close()

    def stop(self) -> None:
        for sub in self.subscriptions.values():
            self.node.destroy_subscription(sub)
        if self._thread is not None:
            self.queue.put(None)
            self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive record', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True, help='new bag directory')
    parser.add_argument('--topics', nargs='+', help=f'topics (default: {SENSOR_INPUTS})')
    parser.add_argument('--all', action='store_true', help='every topic with a known type')
    parser.add_argument('--duration', type=float, help='stop after this many seconds')
    parser.add_argument('--storage', choices=['sqlite3', 'mcap'], default='sqlite3')
    parser.add_argument('--wait', type=float, default=10.0,
                        help='seconds to wait for the topics to appear (default 10)')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    import rclpy
    from rclpy.executors import ExternalShutdownException, MultiThreadedExecutor
    from rclpy.signals import SignalHandlerOptions
    rclpy.init(signal_handler_options=SignalHandlerOptions.NO)
    # Ctrl-C (SIGINT) stops the recording even when it was ignored at start, as it is for a
    # command a script starts in the background ("until Ctrl-C" must hold there too)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    node = rclpy.create_node('omnilive_record')
    executor = MultiThreadedExecutor(num_threads=2)
    executor.add_node(node)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    recorder = None
    try:
        recorder = Recorder(node, args.out, args.storage)
        topics = None if args.all else (args.topics or SENSOR_INPUTS)
        types = recorder.discover(topics, args.wait)
        if not types:
            raise RecordError(f'none of {topics or "the topics"} is published (waited '
                              f'{args.wait:.0f} s): is the robot (or the graph) running?')
        missing = sorted(set(topics or []) - set(types))
        if missing:
            print(f'[record] not published, not recorded: {missing}', file=sys.stderr)
        recorder.start(types)
        unmatched = recorder.wait_matched(args.wait)
        if unmatched:
            print(f'[record] not yet connected to every publisher of {unmatched}: '
                  'recording anyway', file=sys.stderr)
        print(f'[record] recording {sorted(types)} into {args.out} '
              f'({"until Ctrl-C" if not args.duration else f"{args.duration:.0f} s"})',
              file=sys.stderr, flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        deadline = time.monotonic() + args.duration if args.duration else None
        while not stop.is_set() and recorder.error is None and \
                (deadline is None or time.monotonic() < deadline):
            stop.wait(0.2)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    except RecordError as err:
        print(f'omnilive record: {err}', file=sys.stderr)
        return 2
    finally:
        # the executor stops first: destroying subscriptions while another thread spins them
        # can wait on a callback forever; then the writer drains its queue and closes the bag
        executor.shutdown(timeout_sec=5)
        spinner.join(timeout=5)
        if recorder is not None:
            recorder.stop()
        node.destroy_node()
        rclpy.try_shutdown()
    if recorder is None:
        return 130
    if recorder.error is not None:
        print(f'omnilive record: writing {args.out} failed: {recorder.error}', file=sys.stderr)
        return 1
    total = sum(recorder.counts.values())
    print(f'[record] wrote {total} messages to {args.out}: {recorder.counts}'
          + (f'; {recorder.dropped} dropped (writer too slow)' if recorder.dropped else ''))
    return 0
