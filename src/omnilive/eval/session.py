"""A full omnilive graph started for one bag: the same executables as bringup (omnilive.ros.graph),
with sim time, a fresh memory, lossless perception and deterministic decoding; a player; and a
client that records answers and the robot's voice. Used by `omnilive demo` and `omnilive eval`."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
import wave
from pathlib import Path

from omnilive.bags.replay import Player
from omnilive.ros import graph
from omnilive.ros.harness import GraphHarness
from omnilive.ros.qos import DERIVED, LATCHED

EVAL_PARAMETERS = {
    # every sampled frame and utterance processed; frequent diagnostics to pace the player; the
    # replayed microphone never heard the live TTS, so its `speaking` must not gate user speech
    'perception': {'lossless': True, 'diagnostics_period_s': 0.25, 'self_voice.enabled': False},
    'memory': {'compress_period_s': 10.0},
    'reasoning': {'temperature': 0.0, 'seed': 0},
}


class GraphSession:
    """The graph (omnilive.ros.harness) with sim time, respawn on (a crashed node is restarted
    and the run goes on; the evaluation reports it), a fresh memory under `workdir`, and
    subscriptions recording answers, first sentences and the robot's voice."""

    def __init__(self, namespace: str = 'omnilive', profile: str = 'cpu', log=sys.stdout,
                 workdir: str | Path | None = None, overrides: dict | None = None,
                 respawn_delay_s: float = 1.0):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-session-'))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.namespace = namespace
        shutil.rmtree(self.workdir / 'memory', ignore_errors=True)  # a fresh memory every run
        parameters = {node: {**EVAL_PARAMETERS.get(node, {}), **(overrides or {}).get(node, {})}
                      for node in graph.NODE_NAMES}
        parameters['memory']['storage_path'] = str(self.workdir / 'memory')
        self.harness = GraphHarness(
            namespace, self.workdir / 'graph.log',
            arguments={'profile': profile, 'use_sim_time': 'true', 'respawn': 'true',
                       'respawn_delay': str(respawn_delay_s)},
            parameters=parameters, client_name='omnilive_session')
        self.supervisor = self.harness.supervisor
        self.client = self.harness.client
        self.diagnostics = self.harness.diagnostics
        self.answers = []
        self.speech = bytearray()
        self.speech_rate = 0
        msgs = self.client.msgs
        from audio_common_msgs.msg import AudioData, AudioInfo
        node = self.client.node
        ns = self.client.ns
        self.answer_times: dict[str, float] = {}   # question_id -> wall time of its Answer
        node.create_subscription(msgs.Answer, f'{ns}/answers', self._on_answer, DERIVED)
        node.create_subscription(AudioData, f'{ns}/speech/audio',
                                 lambda m: self.speech.extend(bytes(m.data)), DERIVED)
        node.create_subscription(AudioInfo, f'{ns}/speech/audio_info',
                                 lambda m: setattr(self, 'speech_rate', m.sample_rate), LATCHED)
        self.first_sentence: dict[str, float] = {}  # question_id -> wall time of its 1st Sentence
        node.create_subscription(msgs.Sentence, f'{ns}/tts', self._on_sentence, DERIVED)
        self.log = log

    def _on_answer(self, msg) -> None:
        self.answer_times.setdefault(msg.question_id, time.monotonic())
        self.answers.append(msg)

    def _on_sentence(self, msg) -> None:
        if msg.text:
            self.first_sentence.setdefault(msg.question_id, time.monotonic())

    def wait_ready(self, timeout: float = 300.0) -> None:
        self.harness.wait(self.client.ask_client.server_is_ready, timeout, 'the graph to come up')
        self.client.call('stats', self.client.srv.Stats.Request(), timeout=timeout)

    def player(self, bag, rate: float | None, topics=None, remap=None) -> Player:
        """A player for `bag` whose sensor topics are matched by perception."""
        player = Player(self.client.node, bag, rate=rate, topics=topics, remap=remap)
        sensors = [t for t in player.publishers
                   if player.out_topic(t).startswith(('/audio', '/camera'))]
        player.wait_for_subscribers([t for t in sensors if t != '/audio/audio_info'],
                                    lambda: time.sleep(0.05), timeout=300)
        return player

    def play(self, bag, rate: float | None, progress=None) -> Player:
        player = self.player(bag, rate)
        player.play(on_time=progress or (lambda t: None))
        return player

    def wait_for_voice_answers(self, n: int, timeout: float = 300.0) -> None:
        def settled() -> bool:  # a question reasoning was answering when it crashed: no answer
            crashes = sum(e.node == 'reasoning' for e in self.supervisor.exits)
            return sum(a.source == 'voice' for a in self.answers) + crashes >= n
        self.harness.wait(settled, timeout, f'{n} spoken questions to be answered',
                          lambda: f'perception: {self.diagnostics.of("perception")}')

    def write_wav(self, path: str | Path) -> float:
        rate = self.speech_rate or 22050
        with wave.open(str(path), 'wb') as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(bytes(self.speech))
        return len(self.speech) / 2 / rate

    def close(self) -> None:
        self.harness.close()
