"""The perception node: camera and microphone in; utterances, questions, sound events and clips
out. A thin adapter: the audio path is omnilive.audio.listener, the video path
omnilive.vision.scenes/clips; this module converts messages and runs them on worker threads.

Threads: subscription callbacks only enqueue (audio: a bounded queue, never dropped while it has
room; video: the newest sampled frame, older ones counted as dropped, or a blocking queue in
`lossless` mode); an audio worker (decode, VAD, sound events), an ASR worker (Whisper, query
detection), a video worker (scene cuts, detector, OCR, clips) and a memory writer with a bounded
retry queue for when the memory node is down.
"""
from __future__ import annotations

import bisect
import collections
import queue
import threading
import time
import uuid

from nav_msgs.msg import Odometry
from rclpy.action import ActionClient
from rclpy.callback_groups import MutuallyExclusiveCallbackGroup, ReentrantCallbackGroup
from rclpy.node import Node
from sensor_msgs.msg import CompressedImage, Image
from std_msgs.msg import Bool, Empty

from omnilive.audio import pcm as pcmlib
from omnilive.audio.listener import Listener, ListenerConfig, SampleClock
from omnilive.audio.queries import QueryDetector
from omnilive.memory.types import MemoryItem, new_id
from omnilive.ros.convert import from_time, item_to_msg, pose_from_msg, to_time
from omnilive.ros.interfaces import audio_msgs, omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.node_util import Counters, Diagnostics, declare, now_s, spin, wait_future
from omnilive.ros.qos import (DERIVED, LATCHED, LOSSLESS_AUDIO, LOSSLESS_IMAGES, SENSOR,
                              SENSOR_AUDIO)
from omnilive.vision.clips import ClipBuilder, FrameAnalyzer
from omnilive.vision.image_convert import compressed_to_rgb, image_to_rgb
from omnilive.vision.scenes import FrameSampler, SceneSegmenter, frame_features


class StageTimer:
    """Per-stage timing for /diagnostics: count and mean/max milliseconds."""

    def __init__(self):
        self.stats = collections.defaultdict(lambda: [0, 0.0, 0.0])

    def add(self, stage: str, seconds: float) -> None:
        s = self.stats[stage]
        s[0] += 1
        s[1] += seconds * 1000
        s[2] = max(s[2], seconds * 1000)

    def values(self) -> dict:
        return {f'ms.{k}': f'mean {v[1] / v[0]:.1f} max {v[2]:.1f} n {v[0]}'
                for k, v in self.stats.items() if v[0]}


class PerceptionNode(Node):
    def __init__(self):
        super().__init__('perception')
        p = lambda *a: declare(self, *a)  # noqa: E731
        from omnilive.models.asr import Transcriber
        from omnilive.models.detector import Detector
        from omnilive.models.ocr import TextReader
        from omnilive.models.sound import SoundClassifier
        from omnilive.models.vad import VoiceActivityDetector

        self.transport = p('image_transport', 'auto', 'raw (Image), compressed (CompressedImage) '
                           'or auto (whichever is published)')
        self.lossless = p('lossless', False, 'process every sampled frame and utterance, '
                          'waiting instead of dropping, with reliable sensor subscriptions '
                          '(evaluation: repeatable results)')
        self.frame_rate = p('frame_rate_hz', 1.5, 'frames sampled per second for clips')
        self.clip_update_s = p('clip_update_s', 3.0, 'the open clip is upserted this often (s)')
        self.audio_format = (p('audio.sample_format', 'S16LE', 'PCM format when no AudioInfo'),
                             p('audio.sample_rate', 16000, 'Hz, when no AudioInfo is published'),
                             p('audio.channels', 1, 'channels, when no AudioInfo'))
        pcmlib.check_format(*self.audio_format)  # a bad audio.* parameter stops the start here
        self.asr_language = p('asr.language', '', 'force a language (empty: detect)')
        self.ask_enabled = p('send_questions', True, 'send detected questions to the ask action')
        self.self_voice_gate = p('self_voice.enabled', True, 'ignore the robot\'s own voice while '
                                 '`speaking` is true (evaluation turns it off: a replayed '
                                 'microphone never heard the live TTS)')
        threads = lambda role, d=1: p(f'{role}.threads', d, f'CPU threads for {role}')  # noqa
        device = lambda role: p(f'{role}.device', 'cpu', f'device for {role}')  # noqa
        model = lambda role: p(f'{role}.model', '', f'{role} model (empty: provisioned default)')  # noqa
        vad = VoiceActivityDetector(model('vad'), device('vad'), threads('vad'))
        sounds = SoundClassifier(model('sound_events'), device('sound_events'),
                                 threads('sound_events'))
        self.transcriber = Transcriber(model('asr'), device('asr'),
                                       p('asr.compute_type', 'int8', 'CTranslate2 compute type'),
                                       threads('asr', 2), p('asr.beam_size', 5, 'beam width'),
                                       p('asr.window_s', 15.0, 'Whisper encoder window for '
                                         'utterances shorter than it (s); 30: Whisper\'s fixed '
                                         'window for every utterance'))
        cfg = ListenerConfig(
            vad_threshold=p('vad.threshold', 0.5, 'speech probability threshold'),
            hangover_s=p('vad.hangover_s', 0.6, 'silence that ends an utterance (s)'),
            preroll_s=p('vad.preroll_s', 0.3, 'audio kept before speech onset (s)'),
            max_utterance_s=p('vad.max_utterance_s', 20.0, 'longest utterance (s)'),
            self_voice_tail_s=p('self_voice.tail_s', 0.6, 'after speaking ends, still the '
                                'robot\'s voice (s)'),
            self_voice_margin_db=p('self_voice.margin_db', 10.0, 'user speech during the robot\'s '
                                   'speech must be this much louder (dB)'),
            sound_threshold=p('sound_events.threshold', 0.35, 'YAMNet score for an event'),
            speculate_s=p('asr.speculate_s', 0.2, 'pause after which transcription starts, '
                          'before the hangover ends; the result is kept when no more speech '
                          'comes (0: transcribe at the endpoint)'))
        self.listener = Listener(vad, sounds, cfg)
        self.queries = QueryDetector(p('wake_word', '', 'optional wake word (empty: none)'))
        detector = Detector(model('object_detector'), device('object_detector'),
                            threads('object_detector'),
                            score_threshold=p('object_detector.score_threshold', 0.35,
                                              'detection score threshold'))
        reader = TextReader(model('ocr'), device('ocr'), threads('ocr'))
        embedder = captioner = None
        if p('image_embedding.model', '', 'SigLIP/CLIP model for frame embeddings (GPU profile)'):
            from omnilive.models.image_embedding import ImageEmbedder
            embedder = ImageEmbedder(self.get_parameter('image_embedding.model').value,
                                     device('image_embedding'), threads('image_embedding'))
        if p('vlm.model', '', 'VLM that writes clip captions (GPU profile)'):
            from omnilive.models.vlm import VisionLanguageModel
            vlm = VisionLanguageModel(self.get_parameter('vlm.model').value, device('vlm'),
                                      threads('vlm'))
            captioner = vlm.caption
        self.analyzer = FrameAnalyzer(detector, reader, p('ocr.every_n_frames', 3,
                                                          'OCR on every Nth frame of a clip'),
                                      embedder, captioner)
        self.sampler = FrameSampler(self.frame_rate)
        self.segmenter = SceneSegmenter(p('scene.threshold', 0.9, 'frame similarity below '
                                          'which a new clip starts'),
                                        p('scene.min_frames', 2, 'shortest clip (frames)'),
                                        p('scene.max_frames', 16, 'longest clip (frames)'))
        self.clip: ClipBuilder | None = None
        self.cuts: collections.deque = collections.deque(maxlen=50)  # recent scene-cut times
        self.clip_frames = 0
        self.last_upsert = 0.0

        depth = p('queue_depth', 8, 'bounded queue length (frames, utterances)')
        self.audio_q: queue.Queue = queue.Queue(maxsize=p('audio_queue_depth', 3000,
                                                          'audio messages buffered (60 s at 50 Hz)'))
        self.frame_lock = threading.Lock()
        self.frame_slot = None                      # newest sampled frame (drop mode)
        self.frame_q: queue.Queue = queue.Queue(maxsize=depth)   # lossless mode
        self.utt_q: queue.Queue = queue.Queue(maxsize=depth)
        self.insert_q: collections.deque = collections.deque()
        self.insert_max = p('insert_retry_depth', 500, 'items held while memory is down')
        self.insert_cv = threading.Condition()
        self.poses: collections.deque = collections.deque(maxlen=2000)
        # drop counters exist from the start, so /diagnostics shows a zero rather than nothing
        self.counters = Counters('frames_in', 'frames_processed', 'frames_dropped', 'frames_bad',
                                 'audio_msgs', 'audio_processed', 'audio_dropped', 'audio_bad',
                                 'utterances', 'utterances_dropped', 'queries', 'notes',
                                 'sound_events', 'clips', 'inserted', 'insert_failures',
                                 'insert_dropped')
        self.timer = StageTimer()
        self.audio_info = None
        self.audio_unusable = None  # why audio cannot be decoded (a bad AudioInfo), or None
        self.stamped_audio = False
        self._stop = threading.Event()

        msgs, audio = omnilive_msgs(), audio_msgs()
        self.Utterance, self.SoundEvent = msgs.Utterance, msgs.SoundEvent
        self.utt_pub = self.create_publisher(msgs.Utterance, 'utterances', DERIVED)
        self.sound_pub = self.create_publisher(msgs.SoundEvent, 'sound_events', DERIVED)
        self.interrupt_pub = self.create_publisher(Empty, 'interrupt', DERIVED)
        group = ReentrantCallbackGroup()
        # one stream's callbacks run one at a time, in arrival order: on a multi-threaded
        # executor two audio chunks (or frames) could otherwise be queued swapped
        images, sound = MutuallyExclusiveCallbackGroup(), MutuallyExclusiveCallbackGroup()
        image_qos, audio_qos = (LOSSLESS_IMAGES, LOSSLESS_AUDIO) if self.lossless else \
            (SENSOR, SENSOR_AUDIO)
        self.create_subscription(Image, '/camera/image_raw', self._on_image, image_qos,
                                 callback_group=images)
        self.create_subscription(CompressedImage, '/camera/image_raw/compressed',
                                 self._on_compressed, image_qos, callback_group=images)
        self.audio_sub = self.create_subscription(audio.AudioData, '/audio/audio', self._on_audio,
                                                  audio_qos, callback_group=sound)
        self.create_subscription(audio.AudioDataStamped, '/audio/audio_stamped',
                                 self._on_audio_stamped, audio_qos, callback_group=sound)
        self.create_subscription(audio.AudioInfo, '/audio/audio_info', self._on_audio_info,
                                 LATCHED, callback_group=sound)
        self.create_subscription(Odometry, '/odom', self._on_odom, SENSOR, callback_group=group)
        self.create_subscription(Bool, 'speaking', self._on_speaking, DERIVED,
                                 callback_group=group)
        srv = omnilive_srvs()
        self.insert_client = self.create_client(srv.Insert, 'memory/insert', callback_group=group)
        self.remember_client = self.create_client(srv.Remember, 'memory/remember',
                                                  callback_group=group)
        self.Ask = omnilive_actions().Ask
        self.ask_client = ActionClient(self, self.Ask, 'ask', callback_group=group)
        self.diagnostics = Diagnostics(self, p('diagnostics_period_s', 2.0, '/diagnostics period '
                                                 '(s, steady clock)'))
        self.diagnostics.values = self._diagnostic_values
        self.workers = [threading.Thread(target=f, name=n, daemon=True) for f, n in
                        [(self._audio_worker, 'audio'), (self._asr_worker, 'asr'),
                         (self._video_worker, 'video'), (self._memory_worker, 'memory')]]
        for worker in self.workers:
            worker.start()
        self.get_logger().info(f'perception ready: images via {self.transport}, audio '
                               f'{self.audio_format}, {self.frame_rate} fps sampling'
                               f'{", lossless" if self.lossless else ""}')

    # ------------------------------------------------------------------ callbacks (enqueue only)
    def _stamp(self, header) -> float:
        t = from_time(header.stamp)
        return t if t > 0 else now_s(self)

    def _offer_frame(self, t: float, msg, compressed: bool) -> None:
        self.counters.add('frames_in', 1)
        if self.transport == 'raw' and compressed or self.transport == 'compressed' and not compressed:
            self.counters.add('frames_other_transport', 1)  # the camera's other topic: unused
            return
        if self.transport == 'auto':  # follow whichever topic published first
            self.transport = 'compressed' if compressed else 'raw'
            self.get_logger().info(f'image transport: {self.transport}')
        if not self.sampler.due(t):
            return
        self.counters.add('frames_sampled')
        if self.lossless:
            self.frame_q.put((t, msg, compressed))
            return
        with self.frame_lock:
            if self.frame_slot is not None:
                self.counters.add('frames_dropped', 1)  # the worker was busy: keep the newest
            self.frame_slot = (t, msg, compressed)

    def _on_image(self, msg) -> None:
        self._offer_frame(self._stamp(msg.header), msg, False)

    def _on_compressed(self, msg) -> None:
        self._offer_frame(self._stamp(msg.header), msg, True)

    def _enqueue_audio(self, data: bytes, stamp) -> None:
        self.counters.add('audio_msgs', 1)
        try:
            self.audio_q.put((data, stamp, now_s(self)), block=self.lossless, timeout=30)
        except queue.Full:
            self.counters.add('audio_dropped', 1)

    def _on_audio(self, msg) -> None:
        if not self.stamped_audio:
            self._enqueue_audio(bytes(msg.data), None)

    def _on_audio_stamped(self, msg) -> None:
        if not self.stamped_audio:  # its stamps are the audio clock: drop the unstamped topic
            self.stamped_audio = True
            self.get_logger().info('audio from /audio/audio_stamped (stamped clock)')
            self.destroy_subscription(self.audio_sub)
        self._enqueue_audio(bytes(msg.audio.data), from_time(msg.header.stamp) or None)

    def _on_audio_info(self, msg) -> None:
        info = (msg.sample_format or 'S16LE', int(msg.sample_rate), int(msg.channels))
        try:
            pcmlib.check_format(*info, msg.coding_format)
        except pcmlib.AudioFormatError as err:
            # audio in a format we cannot decode is dropped (counted), never decoded as noise
            self.audio_unusable = f'AudioInfo says {err}'
            self.counters.add('audio_info_bad', 1)
            self.get_logger().error(f'audio dropped until a usable AudioInfo arrives: {err}')
            return
        self.audio_info, self.audio_unusable = info, None
        self.get_logger().info(f'audio format from AudioInfo: {self.audio_info}')

    def _on_odom(self, msg) -> None:
        self.poses.append((self._stamp(msg.header), pose_from_msg(msg.pose.pose)))

    def _on_speaking(self, msg) -> None:
        if self.self_voice_gate:
            self.listener.robot_speaking(bool(msg.data), now_s(self))

    def pose_at(self, t: float):
        if not self.poses:
            return None
        times = [pt for pt, _ in self.poses]
        i = min(bisect.bisect_left(times, t), len(times) - 1)
        return self.poses[i][1]

    # ------------------------------------------------------------------ audio
    def _audio_worker(self) -> None:
        clock = SampleClock()
        while not self._stop.is_set():
            try:
                data, stamp, received = self.audio_q.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                self._handle_audio(clock, data, stamp, received)
            except pcmlib.AudioFormatError as err:
                self.counters.add('audio_bad', 1)
                self.get_logger().warning(f'audio message dropped: {err}',
                                          throttle_duration_sec=10.0)
            except Exception as err:  # a failing model must not stop the audio path
                self.counters.add('audio_errors', 1)
                self.get_logger().error(f'audio message dropped: {err!r}',
                                        throttle_duration_sec=10.0)

    def _handle_audio(self, clock: SampleClock, data: bytes, stamp, received: float) -> None:
        t0 = time.perf_counter()
        if self.audio_unusable:
            raise pcmlib.AudioFormatError(self.audio_unusable)
        fmt, rate, channels = self.audio_info or self.audio_format
        audio = pcmlib.decode(data, fmt, channels)
        t = clock.start_of(len(audio), rate, received, stamp)
        audio = pcmlib.resample(audio, rate)
        utterances, sounds, barge_in = self.listener.push(audio, t)
        if barge_in:
            self.interrupt_pub.publish(Empty())
        for utt in utterances:
            utt.endpointed_at = time.time()  # wall clock: latency figures across processes
            if utt.provisional:  # speculation only when Whisper is idle: never delays a final one
                if self.counters.get('asr_pending') == 0:
                    try:
                        self.utt_q.put_nowait(utt)
                        self.counters.add('asr_pending')
                    except queue.Full:
                        pass
            elif self._put(self.utt_q, utt, 'utterances_dropped'):
                self.counters.add('asr_pending')  # queued or being transcribed
        for event in sounds:
            self._sound_event(event)
        # counted last: whoever sees this count also sees the utterances and events it produced
        self.counters.add('audio_processed', 1)
        self.counters.set('audio_until', round(t + len(audio) / pcmlib.TARGET_RATE, 3))
        self.timer.add('audio', time.perf_counter() - t0)

    def _put(self, q: queue.Queue, item, drop_counter: str) -> bool:
        try:
            q.put(item, block=self.lossless, timeout=60)
            return True
        except queue.Full:
            self.counters.add(drop_counter, 1)
            return False

    def _sound_event(self, event) -> None:
        msg = self.SoundEvent(label=event.label, score=event.score, start=to_time(event.start),
                              end=to_time(event.end))
        msg.header.stamp = to_time(event.end)
        self.sound_pub.publish(msg)
        self.counters.add('sound_events', 1)
        if self.clip is not None:
            self.clip.add_sound(event.label)
        labels = [f'sound:{label}' for label in [event.label] + event.also]
        self._store(MemoryItem(id=new_id('sound'), kind='sound', start=event.start, end=event.end,
                               text=f'heard {event.label.lower()}', labels=labels,
                               label_counts=[1] * len(labels), score=event.score,
                               pose=self.pose_at(event.end)))

    def _asr_worker(self) -> None:
        while not self._stop.is_set():
            try:
                utt = self.utt_q.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                self._handle_utterance(utt)
            except Exception as err:  # one bad utterance must not stop the ASR worker
                self.counters.add('asr_errors', 1)
                self.get_logger().error(f'utterance dropped: {err!r}', throttle_duration_sec=10.0)
            finally:
                self.counters.add('asr_pending', -1)

    def _handle_utterance(self, utt) -> None:
        t0 = time.perf_counter()
        speculated = self.listener.speculation_ready(utt)
        heard = self.listener.transcribe(utt, self.transcriber, self.queries,
                                         self.asr_language or None)
        self.timer.add('asr_speculative' if utt.provisional else 'asr', time.perf_counter() - t0)
        if utt.provisional:
            return
        # the stages of the last utterance, wall clock (the benchmark's latency breakdown)
        self.counters.set('last_utterance.endpointed_at', round(utt.endpointed_at, 4))
        self.counters.set('last_utterance.transcribed_at', round(time.time(), 4))
        self.counters.set('last_utterance.speculative', 'hit' if speculated else 'miss')
        self.counters.set('asr_fallbacks', self.transcriber.fallbacks)
        if heard is None:
            return
        self.counters.set('last_utterance.text', heard.text)
        uid = uuid.uuid4().hex[:12]
        msg = self.Utterance(id=uid, text=heard.text, language=heard.language,
                             is_query=heard.kind == 'query', confidence=heard.confidence,
                             start=to_time(heard.start), end=to_time(heard.end))
        msg.header.stamp = to_time(heard.end)
        self.utt_pub.publish(msg)
        self.counters.add('utterances', 1)
        self.get_logger().info(f'heard ({heard.kind}): {heard.text!r}')
        if heard.kind == 'query':
            self.counters.add('queries', 1)
            self._ask(uid, heard)
        elif heard.kind == 'note':
            self.counters.add('notes', 1)
            self._remember(QueryDetector.note_text(self.queries.classify(heard.text)) or
                           heard.text, heard.end)
        else:
            if self.clip is not None:
                self.clip.add_speech(heard.text)
            self._store(MemoryItem(id=f'speech-{uid}', kind='speech', start=heard.start,
                                   end=heard.end, text=heard.text, score=heard.confidence,
                                   pose=self.pose_at(heard.end)))

    def _ask(self, uid: str, heard) -> None:
        if not self.ask_enabled:
            return
        if not self.ask_client.server_is_ready():
            self.counters.add('ask_unavailable', 1)
            self.get_logger().warning('question heard but the ask action server is not up')
            return
        goal = self.Ask.Goal(question_id=f'voice-{uid}', question=heard.text, source='voice',
                             asked_at=to_time(heard.end), speak=True)
        self.ask_client.send_goal_async(goal)  # answered asynchronously: never wait here
        self.counters.set('last_utterance.goal_sent_at', round(time.time(), 4))
        self.counters.set('last_utterance.question_id', goal.question_id)
        self.counters.add('goals_sent', 1)  # last: whoever sees this count sees the lines above

    def _remember(self, text: str, stamp: float) -> None:
        """Store a note (on the ASR thread, so a note is durable before the next utterance);
        while memory is down it goes through the retry queue as speech, never lost."""
        try:
            if not self.remember_client.wait_for_service(timeout_sec=2.0):
                raise TimeoutError('memory/remember is not available')
            res = wait_future(self.remember_client.call_async(
                self.remember_client.srv_type.Request(text=text, stamp=to_time(stamp))), 30.0,
                'memory/remember')
            if not res.id:
                raise ValueError('memory/remember refused the note')
        except (TimeoutError, ValueError) as err:
            self.counters.add('remember_failures', 1)
            self.get_logger().warning(f'{err}: note {text!r} kept as speech')
            self._store(MemoryItem(id=new_id('speech'), kind='speech', start=stamp, end=stamp,
                                   text=f'remember that {text}'))

    # ------------------------------------------------------------------ video
    def _next_frame(self):
        if self.lossless:
            try:
                return self.frame_q.get(timeout=0.2)
            except queue.Empty:
                return None
        with self.frame_lock:
            frame, self.frame_slot = self.frame_slot, None
        if frame is None:
            time.sleep(0.02)
        return frame

    def _video_worker(self) -> None:
        while not self._stop.is_set():
            frame = self._next_frame()
            if frame is None:
                continue
            try:
                self._handle_frame(*frame)
            except ValueError as err:
                self.counters.add('frames_bad', 1)
                self.get_logger().warning(f'frame dropped: {err}', throttle_duration_sec=10.0)
            except Exception as err:  # a failing model must not stop the video path
                self.counters.add('frames_errors', 1)
                self.get_logger().error(f'frame dropped: {err!r}', throttle_duration_sec=10.0)

    def _handle_frame(self, t: float, msg, compressed: bool) -> None:
        t0 = time.perf_counter()
        rgb = compressed_to_rgb(msg) if compressed else image_to_rgb(msg)
        self.timer.add('convert', time.perf_counter() - t0)
        boundary = self.segmenter.push(frame_features(rgb))
        if self.clip is None or boundary is not None:
            if boundary is not None and boundary.cut:
                self.cuts.append(round(t, 3))
            if self.clip is not None:
                self._store(self.clip.item(1.0 / self.frame_rate))  # the finished clip
                self.counters.add('clips', 1)
            self.clip, self.clip_frames, self.last_upsert = ClipBuilder(t), 0, t
        t1 = time.perf_counter()
        counts, texts, embedding = self.analyzer.analyze(rgb, self.clip_frames)
        self.timer.add('analyze', time.perf_counter() - t1)
        self.clip.add_frame(t, rgb, counts, texts, self.pose_at(t), embedding)
        if self.analyzer.captioner is not None and self.clip_frames == 0:
            self.clip.caption_override = self.analyzer.captioner(rgb)
        self.clip_frames += 1
        if t - self.last_upsert >= self.clip_update_s:  # "what do you see now?"
            self._store(self.clip.item(1.0 / self.frame_rate))
            self.last_upsert = t
        self.counters.add('frames_processed', 1)  # after the upsert it caused (see audio)
        self.counters.set('video_until', round(t, 3))
        self.timer.add('frame', time.perf_counter() - t0)

    # ------------------------------------------------------------------ memory writer
    def _store(self, item: MemoryItem) -> None:
        with self.insert_cv:
            # an upsert of the open clip replaces its queued older version
            for i, queued in enumerate(self.insert_q):
                if queued.id == item.id:
                    self.insert_q[i] = item
                    break
            else:
                if len(self.insert_q) >= self.insert_max:
                    self.insert_q.popleft()
                    self.counters.add('insert_dropped', 1)
                self.insert_q.append(item)
            self.insert_cv.notify()

    def _memory_worker(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            with self.insert_cv:
                self.insert_cv.wait_for(lambda: self.insert_q or self._stop.is_set(), timeout=0.5)
                batch = list(self.insert_q)[:32]
            if not batch:
                continue
            ok = False
            if self.insert_client.wait_for_service(timeout_sec=1.0):
                done = threading.Event()
                future = self.insert_client.call_async(self.insert_client.srv_type.Request(
                    items=[item_to_msg(i) for i in batch]))
                future.add_done_callback(lambda _: done.set())
                ok = done.wait(30.0) and future.result() is not None and future.result().success
                if not ok:
                    future.cancel()
            if ok:
                with self.insert_cv:
                    sent = {i.id: i for i in batch}
                    # keep items that were replaced by a newer version while in flight
                    self.insert_q = collections.deque(
                        q for q in self.insert_q if sent.get(q.id) is not q)
                self.counters.add('inserted', len(batch))
                backoff = 0.5
            else:
                self.counters.add('insert_failures', 1)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _diagnostic_values(self) -> dict:
        values = self.counters.snapshot()
        values.update({f'listener.{k}': v for k, v in self.listener.counters.items()})
        values.update(audio_queue=self.audio_q.qsize(), utterance_queue=self.utt_q.qsize(),
                      insert_queue=len(self.insert_q))
        values.update(self.timer.values())
        values['scene_cuts'] = ' '.join(f'{c:.3f}' for c in self.cuts)
        return values

    def close(self) -> None:
        self._stop.set()


def main() -> int:
    return spin(PerceptionNode, threads=4)
