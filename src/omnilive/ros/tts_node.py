"""The TTS node: speaks `tts` sentences, publishes the voice on speech/audio and `speaking`."""
from __future__ import annotations

from rclpy.node import Node
from std_msgs.msg import Bool, Empty

from omnilive.models.tts import SpeechSynthesizer
from omnilive.ros.interfaces import audio_msgs, omnilive_msgs
from omnilive.ros.node_util import Diagnostics, spin
from omnilive.ros.params import LiveConfig, attribute_setters
from omnilive.ros.qos import DERIVED, LATCHED
from omnilive.speech.speaker import Speaker
from omnilive.util.diagnostics import Tts as K
from omnilive.util.node_config import TtsConfig


class TtsNode(Node):
    def __init__(self):
        super().__init__('tts')
        self.cfg = cfg = LiveConfig(self, TtsConfig(), attribute_setters(
            self, {'chunk_s': ['speaker.chunk_s']})).config
        audio = audio_msgs()
        self.AudioData, self.AudioInfo = audio.AudioData, audio.AudioInfo
        synth = SpeechSynthesizer(voice=cfg.voice, rate_wpm=cfg.rate_wpm)
        self.audio_pub = self.create_publisher(self.AudioData, 'speech/audio', DERIVED)
        self.info_pub = self.create_publisher(self.AudioInfo, 'speech/audio_info', LATCHED)
        self.speaking_pub = self.create_publisher(Bool, 'speaking', DERIVED)
        self.speaker = Speaker(synth, self._chunk, self._speaking, chunk_s=cfg.chunk_s,
                               play=None if cfg.play == 'auto' else cfg.play == 'true')
        self._info_sent = False
        self.create_subscription(omnilive_msgs().Sentence, 'tts', self._sentence, DERIVED)
        self.create_subscription(Empty, 'interrupt', lambda _: self.speaker.interrupt(), DERIVED)
        self.diagnostics = Diagnostics(self, K, lambda: {**self.speaker.counters,
                                                         K.QUEUED: self.speaker.queue.qsize()})
        self.speaking_pub.publish(Bool(data=False))
        self.get_logger().info(f'tts ready (sound device: {"yes" if self.speaker.play else "no"}; '
                               'publishing speech/audio)')

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

    def destroy_node(self) -> None:
        if getattr(self, 'speaker', None) is not None:  # absent when the constructor failed
            self.speaker.close()
        super().destroy_node()


def main() -> int:
    return spin(TtsNode, threads=2)
