"""The perception node: camera and microphone in; utterances, questions, sound events and clips
out. A thin adapter over omnilive.audio.hearing (audio), vision.clip_tracker (video) and
memory.insert_queue (the memory writer): subscription callbacks only enqueue (audio: a bounded
queue; video: the newest sampled frame, or a blocking queue in `lossless` mode); worker threads
(audio, ASR, video, memory writer) run the logic; this module converts and publishes.

Managed (omnilive.ros.lifecycle): configure loads the models and starts the workers, activate
subscribes to the sensors (omnilive.ros.perception_inputs), deactivate is the privacy mute
(nothing heard or seen; what was queued is discarded and counted), cleanup frees the models.
Every stamped output names its frame: the sensor message's frame_id, else the `frame_id`
parameter; memory items carry this robot's id and the odometry frame of their pose."""
from __future__ import annotations

import functools
import queue
import threading
import time
import uuid
from dataclasses import astuple

from rclpy.action import ActionClient
from rclpy.callback_groups import ReentrantCallbackGroup
from sensor_msgs.msg import Image
from std_msgs.msg import Empty

from omnilive.audio import pcm as pcmlib
from omnilive.audio.hearing import Hearing, sound_item, speech_item, unsaved_note_item
from omnilive.audio.input import AudioInput
from omnilive.audio.listener import Listener
from omnilive.audio.queries import QueryDetector
from omnilive.audio.speculative import SPECULATIVE_QUERY_TOPIC
from omnilive.memory.insert_queue import InsertQueue
from omnilive.ros.convert import item_to_msg, to_time
from omnilive.ros.interfaces import omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.lifecycle import ManagedNode
from omnilive.ros.node_util import RESEND_S, call_service, spin
from omnilive.ros.params import attribute_setters
from omnilive.ros.perception_inputs import SensorInputs
from omnilive.ros.qos import DERIVED
from omnilive.ros.visualization import (DEBUG_IMAGE_TOPIC, DETECTIONS_TOPIC, detections_msg,
                                        vision_msgs)
from omnilive.util.diagnostics import Perception as K
from omnilive.util.node_config import (PerceptionConfig, listener_config, perception_models,
                                       robot_id)
from omnilive.util.poses import PoseBuffer
from omnilive.util.timing import StageTimer
from omnilive.util.workers import LatestSlot, Worker, count_drops, from_queue
from omnilive.vision.clip_tracker import ClipTracker
from omnilive.vision.annotate import annotate
from omnilive.vision.image_convert import compressed_to_rgb, image_to_rgb, rgb_to_image_fields
from omnilive.vision.scenes import FrameSampler, SceneSegmenter


# parameters also held by objects the node builds: the attributes (from the node) a change sets
RUN_TIME_TARGETS = {
    'vad.threshold': ['hearing.listener.cfg.vad_threshold',
                      'hearing.listener.endpointer.threshold'],
    'self_voice.tail_s': ['hearing.listener.cfg.self_voice_tail_s'],
    'self_voice.margin_db': ['hearing.listener.cfg.self_voice_margin_db'],
    'sound_events.threshold': ['hearing.listener.cfg.sound_threshold'],
    'asr.beam_size': ['hearing.transcriber.beam_size'],
    'object_detector.score_threshold': ['analyzer.detector.score_threshold'],
    'ocr.every_n_frames': ['analyzer.ocr_every'], 'classifier.min_score': ['analyzer.min_score'],
    **{f'scene.{a}': [f'clips.segmenter.{a}'] for a in ('threshold', 'min_frames', 'max_frames')},
}


class PerceptionNode(ManagedNode):
    schema = K

    def __init__(self):
        self.workers: list[threading.Thread] = []
        super().__init__('perception', PerceptionConfig(), self._run_time_changes())
        self.timer, self.poses = StageTimer(), PoseBuffer(2000)
        self.robot_id = robot_id(self.cfg.robot_id, self.get_namespace())
        self.inputs = SensorInputs(self)
        msgs, srv = omnilive_msgs(), omnilive_srvs()
        self.Utterance, self.SoundEvent = msgs.Utterance, msgs.SoundEvent
        publisher = self.create_lifecycle_publisher
        self.utt_pub = publisher(msgs.Utterance, 'utterances', DERIVED)
        self.speculative_pub = publisher(msgs.Utterance, SPECULATIVE_QUERY_TOPIC, DERIVED)
        self.sound_pub = publisher(msgs.SoundEvent, 'sound_events', DERIVED)
        self.interrupt_pub = publisher(Empty, 'interrupt', DERIVED)
        self.detections_pub = publisher(vision_msgs().Detection2DArray, DETECTIONS_TOPIC,
                                        DERIVED)
        self.debug_pub = publisher(Image, DEBUG_IMAGE_TOPIC, DERIVED)
        group = ReentrantCallbackGroup()
        self.insert_client = self.create_client(srv.Insert, 'memory/insert', callback_group=group)
        self.remember_client = self.create_client(srv.Remember, 'memory/remember',
                                                  callback_group=group)
        self.Ask = omnilive_actions().Ask
        self.ask_client = ActionClient(self, self.Ask, 'ask', callback_group=group)

    def configure(self) -> None:
        cfg = self.cfg
        self.audio_in = AudioInput(astuple(cfg.audio))  # a bad audio.* parameter stops here
        vad, sounds, transcriber, self.analyzer = perception_models(cfg)
        self.hearing = Hearing(Listener(vad, sounds, listener_config(cfg)), transcriber,
                               self.audio_in, self.counters, self.timer, cfg, cfg.queue_depth)
        self.sampler = FrameSampler(cfg.frame_rate_hz)
        self.inserts = InsertQueue(self._insert, cfg.insert_retry_depth)
        self.clips = ClipTracker(SceneSegmenter(cfg.scene.threshold, cfg.scene.min_frames,
                                                cfg.scene.max_frames),
                                 self.analyzer, self.inserts.put, cfg, self.poses.at, self.timer)
        self.audio_q: queue.Queue = queue.Queue(maxsize=cfg.audio_queue_depth)
        self.frame_q: queue.Queue = queue.Queue(maxsize=cfg.queue_depth)   # lossless mode
        self.frame_slot = LatestSlot()                                      # dropping mode
        self._stop = threading.Event()
        self.workers = self._workers()
        self.get_logger().info(f'perception configured: images via {cfg.image_transport}, '
                               f'audio {self.audio_in.format}, {cfg.frame_rate_hz} fps sampling'
                               f'{", lossless" if cfg.lossless else ""}, robot {self.robot_id}')

    def activate(self) -> None:
        self.inputs.subscribe()

    def deactivate(self) -> None:
        self.inputs.unsubscribe()

    def release(self) -> None:
        """Stop the workers (the memory writer flushes what it can first) and free the models."""
        if self.workers:
            self._stop.set()
            self.inserts.wake()
            for worker in self.workers:
                worker.join(timeout=2.0)
        self.workers = []
        self.hearing = self.analyzer = self.clips = None

    def _run_time_changes(self) -> dict:
        """Parameters whose value also lives outside self.cfg: where a change goes."""
        return {'frame_rate_hz': lambda v: setattr(self.sampler, 'period', 1.0 / v),
                'wake_word': lambda v: setattr(self.hearing, 'queries', QueryDetector(v)),
                **attribute_setters(self, RUN_TIME_TARGETS)}

    def _workers(self) -> list[threading.Thread]:
        log = self.get_logger()
        drops = functools.partial(count_drops, self.counters,
                                  lambda m: log.warning(m, throttle_duration_sec=10.0),
                                  lambda m: log.error(m, throttle_duration_sec=10.0))
        hear = lambda item: self.hearing.hear(  # noqa: E731
            *item, self._sound_event, lambda: self.interrupt_pub.publish(Empty()))
        frames = from_queue(self.frame_q) if self.cfg.lossless else self.frame_slot.take
        workers = [
            Worker('audio', from_queue(self.audio_q), hear, drops(
                'audio message', pcmlib.AudioFormatError, K.AUDIO_BAD, K.AUDIO_ERRORS),
                   self._stop),
            Worker('asr', from_queue(self.hearing.utterances), self._handle_utterance,
                   drops('utterance', (), K.ASR_ERRORS, K.ASR_ERRORS), self._stop,
                   after=lambda _: self.counters.add(K.ASR_PENDING, -1)),
            Worker('video', frames, self._handle_frame,
                   drops('frame', ValueError, K.FRAMES_BAD, K.FRAMES_ERRORS), self._stop,
                   nice=self.cfg.video_nice),
            threading.Thread(target=self.inserts.run, args=(self._stop,), name='memory',
                             daemon=True)]
        for worker in workers:
            worker.start()
        return workers

    def _header(self, msg, stamp: float, frame: str) -> None:
        msg.header.stamp = to_time(stamp)
        msg.header.frame_id = frame or self.cfg.frame_id

    def _sound_event(self, event) -> None:
        msg = self.SoundEvent(label=event.label, score=event.score, start=to_time(event.start),
                              end=to_time(event.end))
        self._header(msg, event.end, self.inputs.audio_frame)
        self.sound_pub.publish(msg)
        self.counters.add(K.SOUND_EVENTS)
        self.clips.add_sound(event.label)
        self.inserts.put(sound_item(event, self.poses.at(event.end)))

    # ------------------------------------------------------------------ speech
    def _handle_utterance(self, utt) -> None:
        heard = self.hearing.transcribe(utt)
        if utt.provisional:
            self._speculative_query(utt)
        if heard is None:
            return
        uid = uuid.uuid4().hex[:12]
        msg = self.Utterance(id=uid, text=heard.text, language=heard.language,
                             is_query=heard.kind == 'query', confidence=heard.confidence,
                             start=to_time(heard.start), end=to_time(heard.end))
        self._header(msg, heard.end, self.inputs.audio_frame)
        self.utt_pub.publish(msg)
        self.counters.add(K.UTTERANCES)
        self.get_logger().info(f'heard ({heard.kind}): {heard.text!r}')
        if heard.kind == 'query':
            self.counters.add(K.QUERIES)
            self._ask(uid, heard)
        elif heard.kind == 'note':
            self.counters.add(K.NOTES)
            self._remember(self.hearing.note_text(heard), heard.end)
        else:
            self.clips.add_speech(heard.text)
        if heard.kind != 'note':  # all that was said is kept, questions to the robot marked
            self.inserts.put(speech_item(heard, uid, self.poses.at(heard.end)))

    def _speculative_query(self, utt) -> None:
        """The question heard so far, published in the end-of-speech pause (before the endpoint)
        so reasoning can prepare its answer; its final Ask goal follows."""
        query = self.hearing.speculative_query(utt)
        if query is None or not self.cfg.send_questions:
            return
        msg = self.Utterance(id=f'speculative-{uuid.uuid4().hex[:12]}', text=query.text,
                             language=query.language, is_query=True,
                             confidence=query.confidence, start=to_time(query.start),
                             end=to_time(query.end))
        self._header(msg, query.end, self.inputs.audio_frame)
        self.speculative_pub.publish(msg)
        self.counters.add(K.SPECULATIVE_QUERIES)

    def _ask(self, uid: str, heard) -> None:
        if not self.cfg.send_questions:
            return
        if not self.ask_client.server_is_ready():
            self.counters.add(K.ASK_UNAVAILABLE)
            self.get_logger().warning('question heard but the ask action server is not up')
            return
        goal = self.Ask.Goal(question_id=f'voice-{uid}', question=heard.text, source='voice',
                             asked_at=to_time(heard.end), speak=True)
        self.ask_client.send_goal_async(goal)  # answered asynchronously: never wait here
        self.counters.set(K.LAST_GOAL_SENT_AT, round(time.time(), 4))
        self.counters.set(K.LAST_QUESTION_ID, goal.question_id)
        self.counters.add(K.GOALS_SENT)  # last: whoever sees this count sees the lines above

    def _remember(self, text: str, stamp: float) -> None:
        """Store a note (on the ASR thread, so a note is durable before the next utterance);
        while memory is down it goes through the retry queue as speech, never lost."""
        request = self.remember_client.srv_type.Request(text=text, stamp=to_time(stamp))
        try:
            if not call_service(self.remember_client, request, 30.0, wait_s=2.0).id:
                raise ValueError('memory/remember refused the note')
        except (TimeoutError, ValueError) as err:
            self.counters.add(K.REMEMBER_FAILURES)
            self.get_logger().warning(f'{err}: note {text!r} kept as speech')
            self.inserts.put(unsaved_note_item(text, stamp))

    def _handle_frame(self, frame) -> None:
        t, msg, compressed = frame
        t0 = time.perf_counter()
        rgb = compressed_to_rgb(msg) if compressed else image_to_rgb(msg)
        self.timer.add('convert', time.perf_counter() - t0)
        facts = self.clips.push(t, rgb)
        self._show(msg.header, rgb, facts)
        self.counters.add(K.FRAMES_PROCESSED)  # after the upserts it caused (see audio)
        self.counters.set(K.VIDEO_UNTIL, round(t, 3))
        self.timer.add('frame', time.perf_counter() - t0)

    def _show(self, header, rgb, facts) -> None:
        """What RViz and Foxglove show of an analysed frame: its detections, and the annotated
        image when `debug_image` is on and someone looks; in the camera's frame and stamp."""
        stamp, frame = header.stamp, header.frame_id or self.cfg.frame_id
        self.detections_pub.publish(detections_msg(facts.objects, stamp, frame))
        if self.cfg.debug_image and self.debug_pub.get_subscription_count():
            debug = Image(**rgb_to_image_fields(annotate(rgb, facts.objects, facts.texts)))
            debug.header.stamp, debug.header.frame_id = stamp, frame
            self.debug_pub.publish(debug)

    def _insert(self, items) -> bool:
        messages = [item_to_msg(i) for i in items]
        for msg in messages:   # this robot's items, their poses in the odometry frame
            msg.robot_id = msg.robot_id or self.robot_id
            if msg.has_pose and not msg.frame_id:
                msg.frame_id = self.inputs.pose_frame or 'odom'
        request = self.insert_client.srv_type.Request(items=messages)
        try:
            res = call_service(self.insert_client, request, 30.0, wait_s=1.0,
                               resend_s=RESEND_S)   # items are stored by id
        except TimeoutError:
            return False
        return res is not None and res.success

    def diagnostic_values(self) -> dict:
        cfg = self.cfg
        bounds = {'audio': (self.audio_q.qsize(), cfg.audio_queue_depth),
                  'utterances': (self.hearing.utterances.qsize(), cfg.queue_depth),
                  'frames': (self.frame_q.qsize(), cfg.queue_depth),
                  'inserts': (len(self.inserts), cfg.insert_retry_depth)}
        values = self.counters.snapshot()
        values[K.FALLING_BEHIND] = ' '.join(f'{name} {n}/{bound}' for name, (n, bound)
                                            in bounds.items() if n > bound / 2)
        values[K.AUDIO_UNUSABLE] = self.audio_in.unusable or ''
        values.update({K.LISTENER(k): v for k, v in self.hearing.listener.counters.items()})
        values.update({K.CLIPS: self.clips.closed, K.INSERTED: self.inserts.inserted,
                       K.INSERT_FAILURES: self.inserts.failures,
                       K.INSERT_DROPPED: self.inserts.dropped,
                       K.AUDIO_QUEUE: self.audio_q.qsize(), K.INSERT_QUEUE: len(self.inserts),
                       K.UTTERANCE_QUEUE: self.hearing.utterances.qsize()})
        values.update(self.timer.values())
        values[K.SCENE_CUTS] = ' '.join(f'{c:.3f}' for c in self.clips.cuts)
        return values


def main() -> int:
    # live, callbacks only hand messages to the workers and never wait: one thread receives the
    # camera and microphone at a fraction of the multi-threaded executor's CPU (a question's prompt
    # is evaluated on the same 2 cores); lossless (eval) waits on a full frame queue: 4 threads
    return spin(PerceptionNode, threads=lambda node: 4 if node.cfg.lossless else 1)
