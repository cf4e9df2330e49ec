"""The perception node's sensor inputs: which topics it subscribes to and what a message does.

Subscribed only while the node is active (omnilive.ros.lifecycle): deactivating it is the
privacy mute, it stops listening and watching, and audio and frames already queued or still in
flight are discarded and counted (muted_audio, muted_frames). The camera: only the chosen
transport is subscribed (image_transport raw | compressed); with `auto` both are, until one
publishes, and the other subscription is then destroyed, so a driver need not encode JPEG for
nobody nor raw frames cross into Python for nothing. Callbacks only enqueue; the node's workers
do the rest (omnilive.ros.perception_node).
"""
from __future__ import annotations

import queue

from nav_msgs.msg import Odometry
from rclpy.callback_groups import MutuallyExclusiveCallbackGroup, ReentrantCallbackGroup
from sensor_msgs.msg import CompressedImage, Image
from std_msgs.msg import Bool

from omnilive.audio import pcm as pcmlib
from omnilive.ros.convert import from_time, pose_from_msg
from omnilive.ros.interfaces import audio_msgs
from omnilive.ros.node_util import now_s
from omnilive.ros.qos import (AUDIO_INFO, DERIVED, LOSSLESS_AUDIO, LOSSLESS_IMAGES, SENSOR,
                              SENSOR_AUDIO)
from omnilive.util.diagnostics import Perception as K

CAMERA_TOPICS = {'raw': (Image, '/camera/image_raw'),
                 'compressed': (CompressedImage, '/camera/image_raw/compressed')}


class SensorInputs:
    """Subscriptions of `node` (a PerceptionNode) made by subscribe(), gone after unsubscribe()."""

    def __init__(self, node):
        self.node = node
        self.listening = False
        self.camera: dict = {}          # transport -> subscription
        self.others: list = []          # audio, AudioInfo, odometry, speaking
        self.audio_sub = None
        self.transport = node.cfg.image_transport   # 'auto' until a camera topic publishes
        self.stamped_audio = False
        self.camera_frame = ''          # the camera's frame_id, from its headers
        self.audio_frame = ''           # AudioDataStamped's frame_id
        self.pose_frame = ''            # the odometry's frame (of the poses items carry)

    # ------------------------------------------------------------------ subscriptions
    def subscribe(self) -> None:
        node, cfg = self.node, self.node.cfg
        audio = audio_msgs()
        # one stream's callbacks run one at a time, in arrival order: on a multi-threaded
        # executor two audio chunks (or frames) could otherwise be queued swapped
        images, sound, group = (MutuallyExclusiveCallbackGroup(),
                                MutuallyExclusiveCallbackGroup(), ReentrantCallbackGroup())
        image_qos, audio_qos = (LOSSLESS_IMAGES, LOSSLESS_AUDIO) if cfg.lossless else \
            (SENSOR, SENSOR_AUDIO)
        sub = node.create_subscription
        for transport, (msg_type, topic) in CAMERA_TOPICS.items():
            if self.transport in ('auto', transport):
                self.camera[transport] = sub(
                    msg_type, topic, lambda m, t=transport: self._on_frame(m, t), image_qos,
                    callback_group=images)
        self.audio_sub = None if self.stamped_audio else sub(
            audio.AudioData, '/audio/audio', lambda m: self._on_audio(m, False), audio_qos,
            callback_group=sound)
        self.others = [
            sub(audio.AudioDataStamped, '/audio/audio_stamped',
                lambda m: self._on_audio(m, True), audio_qos, callback_group=sound),
            *[sub(audio.AudioInfo, '/audio/audio_info', self._on_audio_info, qos,
                  callback_group=sound) for qos in AUDIO_INFO],  # latched and volatile drivers
            sub(Odometry, '/odom', self._on_odometry, SENSOR, callback_group=group),
            sub(Bool, 'speaking', self._on_speaking, DERIVED, callback_group=group)]
        self.listening = True

    def unsubscribe(self) -> None:
        """Stop listening and watching; discard (and count) what is queued."""
        self.listening = False
        node = self.node
        for subscription in [*self.camera.values(), self.audio_sub, *self.others]:
            if subscription is not None:
                node.destroy_subscription(subscription)
        self.camera, self.others, self.audio_sub = {}, [], None
        for waiting, key in ((node.audio_q, K.MUTED_AUDIO), (node.frame_q, K.MUTED_FRAMES)):
            while True:  # what was queued before the mute is dropped, counted
                try:
                    waiting.get_nowait()
                except queue.Empty:
                    break
                node.counters.add(key)
        if node.frame_slot.take(timeout=0) is not None:
            node.counters.add(K.MUTED_FRAMES)

    # ------------------------------------------------------------------ callbacks (enqueue only)
    def stamp(self, header) -> float:
        t = from_time(header.stamp)
        return t if t > 0 else now_s(self.node)

    def _on_frame(self, msg, transport: str) -> None:
        node = self.node
        node.counters.add(K.FRAMES_IN)
        if not self.listening:
            node.counters.add(K.MUTED_FRAMES)   # in flight when the node was deactivated
            return
        if self.transport == 'auto':   # keep whichever topic published first, drop the other
            self.transport = transport
            for other in [t for t in self.camera if t != transport]:
                node.destroy_subscription(self.camera.pop(other))
            node.get_logger().info(f'image transport: {transport}')
        elif transport != self.transport:
            node.counters.add(K.FRAMES_OTHER_TRANSPORT)   # in flight before the choice
            return
        self.camera_frame = msg.header.frame_id or self.camera_frame
        t = self.stamp(msg.header)
        if not node.sampler.due(t):
            return
        node.counters.add(K.FRAMES_SAMPLED)
        frame = (t, msg, transport == 'compressed')
        if node.cfg.lossless:
            node.frame_q.put(frame)
        elif node.frame_slot.put(frame):
            node.counters.add(K.FRAMES_DROPPED)  # the worker was busy: keep the newest

    def _on_audio(self, msg, stamped: bool) -> None:
        node = self.node
        if stamped and not self.stamped_audio:  # its stamps are the audio clock: drop /audio/audio
            self.stamped_audio = True
            node.get_logger().info('audio from /audio/audio_stamped (stamped clock)')
            if self.audio_sub is not None:
                node.destroy_subscription(self.audio_sub)
                self.audio_sub = None
        elif self.stamped_audio and not stamped:
            return
        node.counters.add(K.AUDIO_MSGS)
        if not self.listening:
            node.counters.add(K.MUTED_AUDIO)
            return
        if stamped:
            self.audio_frame = msg.header.frame_id or self.audio_frame
        data, stamp = (msg.audio.data, from_time(msg.header.stamp) or None) if stamped else \
            (msg.data, None)
        try:
            node.audio_q.put((bytes(data), now_s(node), stamp), block=node.cfg.lossless,
                             timeout=30)
        except queue.Full:
            node.counters.add(K.AUDIO_DROPPED)

    def _on_audio_info(self, msg) -> None:
        audio_in, log = self.node.audio_in, self.node.get_logger()
        unusable = audio_in.unusable
        try:
            changed = audio_in.set_info(msg.sample_format, msg.sample_rate, msg.channels,
                                        msg.coding_format)
        except pcmlib.AudioFormatError as err:
            # audio in a format we cannot decode is dropped (counted), never decoded as noise
            self.node.counters.add(K.AUDIO_INFO_BAD)
            if audio_in.unusable != unusable:
                log.error(f'audio dropped until a usable AudioInfo arrives: {err}')
            return
        if changed:  # drivers may publish AudioInfo with every chunk: say it once per format
            log.info(f'audio format from AudioInfo: {audio_in.format}')

    def _on_odometry(self, msg) -> None:
        self.node.counters.add(K.POSES_IN)
        self.pose_frame = msg.header.frame_id or 'odom'
        self.node.poses.add(self.stamp(msg.header), pose_from_msg(msg.pose.pose))

    def _on_speaking(self, msg) -> None:
        node = self.node
        if node.cfg.self_voice.enabled:
            node.hearing.listener.robot_speaking(bool(msg.data), now_s(node))
