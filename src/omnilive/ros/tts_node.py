"""The TTS node: speaks `tts` sentences, publishes the voice on speech/audio and `speaking`.

Managed (omnilive.ros.lifecycle): configure loads the voice, activate listens to `tts` and
`interrupt`, deactivate stops speaking and listening, cleanup frees the voice."""
from __future__ import annotations

from std_msgs.msg import Bool, Empty

from omnilive.models.tts import SpeechSynthesizer
from omnilive.ros.interfaces import audio_msgs, omnilive_msgs
from omnilive.ros.lifecycle import ManagedNode
from omnilive.ros.node_util import spin
from omnilive.ros.params import attribute_setters
from omnilive.ros.qos import DERIVED, LATCHED
from omnilive.speech.speaker import Speaker
from omnilive.util.diagnostics import Tts as K
from omnilive.util.node_config import TtsConfig


class TtsNode(ManagedNode):
    schema = K

    def __init__(self):
        self.speaker = None
        self.subscriptions_active: list = []
        super().__init__('tts', TtsConfig(), attribute_setters(
            self, {'chunk_s': ['speaker.chunk_s']}))
        audio = audio_msgs()
        self.AudioData, self.AudioInfo = audio.AudioData, audio.AudioInfo
        publisher = self.create_lifecycle_publisher
        self.audio_pub = publisher(self.AudioData, 'speech/audio', DERIVED)
        self.info_pub = publisher(self.AudioInfo, 'speech/audio_info', LATCHED)
        self.speaking_pub = publisher(Bool, 'speaking', DERIVED)

    def configure(self) -> None:
        cfg = self.cfg
        synth = SpeechSynthesizer(voice=cfg.voice, rate_wpm=cfg.rate_wpm)
        self.speaker = Speaker(synth, self._chunk, self._speaking, chunk_s=cfg.chunk_s,
                               play=None if cfg.play == 'auto' else cfg.play == 'true')
        self._info_sent = False
        self.get_logger().info(f'tts configured (sound device: '
                               f'{"yes" if self.speaker.play else "no"}; publishing speech/audio)')

    def activate(self) -> None:
        sub = self.create_subscription
        self.subscriptions_active = [
            sub(omnilive_msgs().Sentence, 'tts', self._sentence, DERIVED),
            sub(Empty, 'interrupt', lambda _: self.speaker.interrupt(), DERIVED)]
        self.speaking_pub.publish(Bool(data=False))

    def deactivate(self) -> None:
        for subscription in self.subscriptions_active:
            self.destroy_subscription(subscription)
        self.subscriptions_active = []
        self.speaker.interrupt()   # muted: stop the sentence being spoken and those queued
        # said while the publishers still work (perception's self-voice filter waits for it)
        self.speaking_pub.publish(Bool(data=False))

    def release(self) -> None:
        if self.speaker is not None:
            self.speaker.close()
            self.speaker = None

    def diagnostic_values(self) -> dict:
        return {**self.speaker.counters, K.QUEUED: self.speaker.queue.qsize()}

    def _sentence(self, msg) -> None:
        if msg.text.strip():
            self.speaker.say(msg.text)

    def _chunk(self, data: bytes) -> None:
        if not self._info_sent:
            rate = self.speaker.sample_rate
            self.info_pub.publish(self.AudioInfo(channels=1, sample_rate=rate,
                                                 sample_format='S16LE', bitrate=rate * 16,
                                                 coding_format='wave'))
            self._info_sent = True
        self.audio_pub.publish(self.AudioData(data=data))

    def _speaking(self, value: bool) -> None:
        self.speaking_pub.publish(Bool(data=value))


def main() -> int:
    return spin(TtsNode, threads=2)
