"""A graph harness for perception tests: the real memory and perception nodes as processes, and
an observer node that records utterances, sound events, Ask goals (a real action server that
accepts and succeeds them) and /diagnostics."""
from __future__ import annotations

import threading
import time

import rclpy
from rclpy.action import ActionServer
from rclpy.executors import MultiThreadedExecutor

from omnilive.ros.client import GraphDiagnostics, wait_until
from omnilive.ros.qos import DERIVED
from omnilive.util.diagnostics import Perception as K
from omnilive_msgs.action import Ask
from omnilive_msgs.msg import SoundEvent, Utterance
from omnilive_msgs.srv import Retrieve
from tests.rosutil import start_node_process


class PerceptionHarness:
    def __init__(self, tmp, ns: str, perception_args=(), memory=True):
        self.ns = ns
        self.procs = []
        if memory:
            self.procs.append(start_node_process(
                'memory_node', '-r', f'__ns:={ns}', '-p', f'storage_path:={tmp / "mem"}',
                '-p', 'use_sim_time:=true', '-p', 'compress_period_s:=3600.0',
                log_path=str(tmp / 'memory.log')))
        self.procs.append(start_node_process('perception_node', '-r', f'__ns:={ns}',
                                             *perception_args,
                                             log_path=str(tmp / 'perception.log')))
        self.context = rclpy.context.Context()
        rclpy.init(context=self.context)
        self.node = rclpy.create_node('harness', namespace=ns, context=self.context)
        self.goals, self.utterances, self.sounds = [], [], []
        self.watch = GraphDiagnostics(self.node, ns)
        ActionServer(self.node, Ask, 'ask', self._execute)
        self.node.create_subscription(Utterance, 'utterances', self.utterances.append, DERIVED)
        self.node.create_subscription(SoundEvent, 'sound_events', self.sounds.append, DERIVED)
        self.executor = MultiThreadedExecutor(num_threads=4, context=self.context)
        self.executor.add_node(self.node)
        threading.Thread(target=self.executor.spin, daemon=True).start()

    def _execute(self, handle):
        self.goals.append(handle.request)
        handle.succeed()
        return Ask.Result()

    @property
    def diag(self) -> dict:
        """Perception's latest /diagnostics values."""
        return self.watch.of('perception')

    def wait(self, predicate, timeout: float, what: str) -> None:
        wait_until(predicate, timeout, what, 0.1, lambda: f'diagnostics: {self.diag}')

    def counter(self, key: str) -> int:
        return int(self.watch.number('perception', key))

    def wait_idle(self, audio_msgs: int, timeout: float = 300) -> None:
        """Until perception processed `audio_msgs` audio messages and its queues stayed empty for
        two diagnostics periods (the ASR of the last utterance included)."""
        self.wait(lambda: self.counter(K.AUDIO_PROCESSED) >= audio_msgs, timeout,
                  'audio processed')
        quiet = []

        def idle():
            d = self.diag
            state = (d.get(K.UTTERANCE_QUEUE), d.get(K.INSERT_QUEUE), d.get(K.UTTERANCES),
                     d.get(K.LISTENER('not_speech_dropped')), d.get(K.FRAMES_PROCESSED))
            quiet.append(state if state[0] == '0' and state[1] == '0' else None)
            time.sleep(2.1)
            return (len(quiet) >= 3 and quiet[-1] is not None
                    and quiet[-1] == quiet[-2] == quiet[-3])
        self.wait(idle, timeout, 'perception idle')

    def wait_stable(self, key: str, timeout: float = 120) -> None:
        """Until counter `key` stops changing across two diagnostics periods."""
        seen = []

        def stable():
            seen.append(self.counter(key))
            time.sleep(2.1)
            return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]
        self.wait(stable, timeout, f'{key} to settle')

    def retrieve(self, query: str, kinds=(), top_k=50):
        client = self.node.create_client(Retrieve, f'{self.ns}/memory/retrieve')
        assert client.wait_for_service(timeout_sec=60)
        future = client.call_async(Retrieve.Request(query=query, top_k=top_k, kinds=list(kinds)))
        self.wait(future.done, 60, 'retrieve')
        return future.result().items

    def close(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except Exception:
                proc.kill()
        self.executor.shutdown()
        self.node.destroy_node()
        rclpy.shutdown(context=self.context)
