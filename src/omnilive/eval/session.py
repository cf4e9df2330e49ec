"""A full omnilive graph started for one bag: the same executables as bringup (omnilive.ros.graph),
with sim time, a fresh memory, lossless perception and deterministic decoding; a player; and a
client that records answers and the robot's voice. Used by `omnilive demo` and `omnilive eval`."""
from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
import time
import wave
from pathlib import Path

from omnilive.eval.replay import Player
from omnilive.ros import graph
from omnilive.ros.client import GraphClient, wait_until
from omnilive.ros.qos import DERIVED, LATCHED
from omnilive.ros.run import Supervisor

EVAL_PARAMETERS = {
    'perception': {'lossless': True},
    'memory': {'compress_period_s': 10.0},
    'reasoning': {'temperature': 0.0, 'seed': 0},
}


class GraphSession:
    def __init__(self, namespace: str = 'omnilive', profile: str = 'cpu', log=sys.stdout,
                 workdir: str | Path | None = None, overrides: dict | None = None):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-session-'))
        self.namespace = namespace
        specs = []
        for spec in graph.nodes({'namespace': namespace, 'profile': profile,
                                 'use_sim_time': 'true', 'respawn': 'false'}):
            params = dict(spec.parameters, **EVAL_PARAMETERS.get(spec.name, {}),
                          **(overrides or {}).get(spec.name, {}))
            if spec.name == 'memory':  # a fresh memory for every run
                shutil.rmtree(self.workdir / 'memory', ignore_errors=True)
                params['storage_path'] = str(self.workdir / 'memory')
            specs.append(dataclasses.replace(spec, parameters=params))
        self.log_file = open(self.workdir / 'graph.log', 'w')
        self.supervisor = Supervisor(specs, out=self.log_file)
        self.supervisor.start_all()
        self.client = GraphClient(namespace, 'omnilive_session')
        self.answers = []
        self.speech = bytearray()
        self.speech_rate = 0
        msgs = self.client.msgs
        from audio_common_msgs.msg import AudioData, AudioInfo
        node = self.client.node
        ns = self.client.ns
        node.create_subscription(msgs.Answer, f'{ns}/answers', self.answers.append, DERIVED)
        node.create_subscription(AudioData, f'{ns}/speech/audio',
                                 lambda m: self.speech.extend(bytes(m.data)), DERIVED)
        node.create_subscription(AudioInfo, f'{ns}/speech/audio_info',
                                 lambda m: setattr(self, 'speech_rate', m.sample_rate), LATCHED)
        self.log = log
        self.perception = {}
        from diagnostic_msgs.msg import DiagnosticArray
        node.create_subscription(DiagnosticArray, '/diagnostics', self._on_diag, 10)

    def _on_diag(self, msg) -> None:
        for status in msg.status:
            if status.hardware_id == 'perception':
                self.perception = {kv.key: kv.value for kv in status.values}

    def wait_ready(self, timeout: float = 300.0) -> None:
        if not self.client.ask_client.wait_for_server(timeout_sec=timeout):
            raise TimeoutError(f'the graph did not come up; see {self.workdir / "graph.log"}')
        self.client.call('stats', self.client.srv.Stats.Request(), timeout=timeout)

    def play(self, bag, rate: float | None, progress=None) -> Player:
        player = Player(self.client.node, bag, rate=rate)
        topics = [c.topic for c in player.connections if c.topic.startswith(('/audio', '/camera'))]
        player.wait_for_subscribers([t for t in topics if t != '/audio/audio_info'],
                                    lambda: time.sleep(0.05), timeout=300)
        player.play(on_time=progress or (lambda t: None))
        return player

    def wait_for_voice_answers(self, n: int, timeout: float = 300.0) -> None:
        wait_until(lambda: sum(a.source == 'voice' for a in self.answers) >= n, timeout,
                   f'{n} spoken questions to be answered (see {self.workdir / "graph.log"}; '
                   f'perception: {self.perception})')

    def write_wav(self, path: str | Path) -> float:
        rate = self.speech_rate or 22050
        with wave.open(str(path), 'wb') as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(bytes(self.speech))
        return len(self.speech) / 2 / rate

    def close(self) -> None:
        self.client.close()
        self.supervisor.stop()
        self.log_file.close()
