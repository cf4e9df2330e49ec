"""The nodes' parameters, grouped as dataclasses (plain Python). The ROS parameter name of a
field is its group and name joined with a dot ('asr.model'); defaults are config/cpu.yaml's.
`restart=True` parameters are read-only once the node runs; the others apply at once."""
from __future__ import annotations

import dataclasses

from omnilive.util.params import group, param

THREADS = (1, 64)
UNIT = (0.0, 1.0)


def _model(description: str):
    return param('', description + ' (empty: the provisioned default)', restart=True)


def _device(default: str = 'cpu'):
    return param(default, 'device: cpu, cuda, or tensorrt for ONNX models', restart=True)


def _threads(default: int = 1):
    return param(default, 'CPU threads', restart=True, range=THREADS)


def _robot_id():
    return param('', "this robot's id on the memory items it stores (a fleet memory tells "
                 "robots apart by it; empty: the node's namespace without its slashes)",
                 restart=True)


def robot_id(configured: str, namespace: str) -> str:
    """The robot id a node uses: its `robot_id` parameter, else its namespace ('/robot1' ->
    'robot1'), else the host name (one robot started without a namespace); perception and
    memory agree on it."""
    import socket
    return configured.strip() or namespace.strip('/') or socket.gethostname() or 'robot'


# ---------------------------------------------------------------------------------- perception
@dataclasses.dataclass
class AudioFormatConfig:
    sample_format: str = param('S16LE', 'PCM format until an AudioInfo says otherwise',
                               restart=True)
    sample_rate: int = param(16000, 'sample rate until an AudioInfo says otherwise (Hz)',
                             restart=True)
    channels: int = param(1, 'channels until an AudioInfo says otherwise', restart=True)
    coding: str = param('wave', "coding until an AudioInfo says otherwise: 'wave' (raw PCM) or "
                        "'mp3' (audio_capture's default)", restart=True)


@dataclasses.dataclass
class VadConfig:
    model: str = _model('Silero VAD model')
    device: str = _device()
    threads: int = _threads()
    threshold: float = param(0.5, 'speech probability threshold', range=UNIT)
    hangover_s: float = param(0.6, 'silence that ends an utterance (s)', restart=True,
                              range=(0.03, 10.0))
    preroll_s: float = param(0.3, 'audio kept before speech onset (s)', restart=True,
                             range=(0.0, 10.0))
    max_utterance_s: float = param(20.0, 'longest utterance (s)', restart=True,
                                   range=(1.0, 300.0))


@dataclasses.dataclass
class SelfVoiceConfig:
    enabled: bool = param(True, "ignore the robot's own voice while `speaking` is true "
                          '(evaluation turns it off: a replayed microphone never heard the '
                          'live TTS)')
    tail_s: float = param(0.6, "after speaking ends, still the robot's voice (s)",
                          range=(0.0, 30.0))
    margin_db: float = param(10.0, "user speech during the robot's speech must be this much "
                             'louder (dB)', range=(-20.0, 60.0))


@dataclasses.dataclass
class AsrConfig:
    model: str = _model('faster-whisper model directory or hub id')
    device: str = _device()
    threads: int = _threads(2)
    compute_type: str = param('int8', 'CTranslate2 compute type', restart=True)
    beam_size: int = param(5, 'beam width', range=(1, 20))
    window_s: float = param(15.0, "Whisper encoder window for utterances shorter than it (s); "
                            "30: Whisper's fixed window for every utterance", restart=True,
                            range=(1.0, 30.0))
    speculate_s: float = param(0.2, 'pause after which transcription starts, before the '
                               'hangover ends; the result is kept when no more speech comes '
                               '(0: transcribe at the endpoint)', restart=True, range=(0.0, 10.0))
    language: str = param('', 'force a language (empty: detect per utterance)')
    # decoding and front end, chosen by measurement (docs/benchmarks.md 1c)
    patience: float = param(1.0, 'beam search patience', restart=True, range=(0.5, 4.0))
    pad: str = param('features', "how Whisper's window is filled after the speech: features "
                     "(zero log-mel frames, faster-whisper's) or silence (OpenAI Whisper's)",
                     restart=True, choices=('features', 'silence'))
    peak_db: float = param(0.0, "the utterance's peak scaled to this level, dBFS (0: as it "
                           'comes)', restart=True, range=(-60.0, 0.0))
    lead_s: float = param(0.0, 'silence put before the utterance (s)', restart=True,
                          range=(0.0, 2.0))
    trim_s: float = param(0.0, 'quiet kept before and after the speech (s; 0: all of the '
                          "endpointer's pre-roll and tail)", restart=True, range=(0.0, 2.0))
    timestamps: bool = param(False, "decode with Whisper's timestamp tokens", restart=True)
    prompt: str = param('', 'text Whisper takes as said before each utterance, ahead of the '
                        'wake word (one that ends there made Whisper drop the spoken wake word)',
                        restart=True)
    retry_below: float = param(0.0, 'an utterance decoded with a mean token log-probability '
                               'below this is decoded again with its quiet ends trimmed the '
                               'other way, the more probable kept (0: off)', restart=True,
                               range=(-5.0, 0.0))


@dataclasses.dataclass
class SoundEventsConfig:
    model: str = _model('YAMNet model')
    device: str = _device()
    threads: int = _threads()
    threshold: float = param(0.1, 'lowest YAMNet score of an event (per-class thresholds '
                             'calibrated above it: models/data/sound_events.json)', range=UNIT)


@dataclasses.dataclass
class DetectorConfig:
    model: str = _model('object detector (ONNX)')
    device: str = _device()
    threads: int = _threads()
    score_threshold: float = param(0.35, 'detection score threshold', range=UNIT)


@dataclasses.dataclass
class OcrConfig:
    model: str = _model('OCR model')
    device: str = _device()
    threads: int = _threads()
    every_n_frames: int = param(3, 'OCR on every Nth frame of a clip', range=(1, 1000))


@dataclasses.dataclass
class ClassifierConfig:
    enabled: bool = param(True, 'name fine-grained objects (ImageNet-1k classes, WordNet '
                          "synsets) in the detector's boxes and whole frames", restart=True)
    model: str = _model('image classifier (EfficientNet-Lite0 ONNX)')
    device: str = _device()
    threads: int = _threads()
    min_score: float = param(0.0, 'top-1 score a classification needs to be stored (0 or '
                             'negative: the calibrated threshold)', range=(-1.0, 1.0))
    max_crops: int = param(4, "detector boxes classified per frame, largest first, people "
                           'skipped (0: whole frames only)', restart=True, range=(0, 32))


@dataclasses.dataclass
class PoseConfig:
    enabled: bool = param(True, "people's body keypoints (posture, arms, clothing on the body) "
                          'on frames with people', restart=True)
    model: str = _model('pose model (MoveNet MultiPose ONNX)')
    device: str = _device()
    threads: int = _threads()
    max_people: int = param(3, 'people per frame whose pose is estimated, largest first',
                            restart=True, range=(1, 6))
    size: int = param(192, "the model's input side per person (px, a multiple of 32; 256 "
                      'costs ~1.5x)', restart=True, range=(96, 512))
    every_n_frames: int = param(2, 'pose on every Nth analysed frame of a clip (postures '
                                'change slowly; walking is read from every frame)',
                                restart=True, range=(1, 1000))


@dataclasses.dataclass
class SceneConfig:
    threshold: float = param(0.9, 'frame similarity below which a new clip starts',
                             range=(-1.0, 1.0))
    min_frames: int = param(2, 'shortest clip (frames)', range=(1, 1000))
    max_frames: int = param(16, 'longest clip (frames)', range=(1, 1000))


@dataclasses.dataclass
class OptionalModelConfig:
    model: str = param('', 'model path or hub id (empty: off)', restart=True)
    device: str = _device()
    threads: int = _threads()


@dataclasses.dataclass
class PerceptionConfig:
    image_transport: str = param('auto', 'raw (Image), compressed (CompressedImage) or auto '
                                 '(whichever is published first)', restart=True,
                                 choices=('auto', 'raw', 'compressed'))
    lossless: bool = param(False, 'process every sampled frame and utterance, waiting instead '
                           'of dropping, with reliable sensor subscriptions (evaluation: '
                           'repeatable results)', restart=True)
    frame_rate_hz: float = param(1.5, 'frames sampled per second for clips', range=(0.05, 60.0))
    clip_update_s: float = param(3.0, 'the open clip is upserted this often (s of stream)',
                                 range=(0.1, 3600.0))
    video_nice: int = param(10, 'nice steps the video worker (its vision models) runs below '
                            'the node on Linux: an answer being generated on the same cores is '
                            'not slowed by frame analysis, which takes the CPU left over '
                            '(0: same priority)', restart=True, range=(0, 19))
    wake_word: str = param('', 'optional wake word (empty: none)')
    send_questions: bool = param(True, 'send detected questions to the ask action')
    speculative_queries: bool = param(True, 'publish the question heard so far on '
                                      'speech/speculative_query when the end-of-speech pause '
                                      'reaches asr.speculate_s, before the endpoint (reasoning '
                                      'prepares its answer); false: publish nothing')
    queue_depth: int = param(8, 'bounded queue length (frames, utterances)', restart=True,
                             range=(1, 10000))
    audio_queue_depth: int = param(3000, 'audio messages buffered (60 s at 50 Hz)', restart=True,
                                   range=(1, 1000000))
    insert_retry_depth: int = param(500, 'items held while memory is down', restart=True,
                                    range=(1, 1000000))
    diagnostics_period_s: float = param(2.0, '/diagnostics period (s, steady clock)',
                                        restart=True, range=(0.01, 3600.0))
    debug_image: bool = param(False, 'publish each analysed frame annotated (boxes, names, '
                              'people, text read) on debug_image, for RViz or Foxglove')
    robot_id: str = _robot_id()
    frame_id: str = param('base_link', 'frame of the outputs whose sensor message names none '
                          '(utterances and sound events from unstamped audio, frames without '
                          'a header frame)')
    audio: AudioFormatConfig = group(AudioFormatConfig)
    vad: VadConfig = group(VadConfig)
    self_voice: SelfVoiceConfig = group(SelfVoiceConfig)
    asr: AsrConfig = group(AsrConfig)
    sound_events: SoundEventsConfig = group(SoundEventsConfig)
    object_detector: DetectorConfig = group(DetectorConfig)
    ocr: OcrConfig = group(OcrConfig)
    classifier: ClassifierConfig = group(ClassifierConfig)
    pose: PoseConfig = group(PoseConfig)
    scene: SceneConfig = group(SceneConfig)
    image_embedding: OptionalModelConfig = group(OptionalModelConfig)   # GPU profile
    vlm: OptionalModelConfig = group(OptionalModelConfig)               # clip captions (GPU)


# ---------------------------------------------------------------------------------- memory
@dataclasses.dataclass
class TextEmbeddingConfig:
    model: str = _model('sentence-transformers model (all-MiniLM-L6-v2)')
    device: str = _device()
    threads: int = _threads()


@dataclasses.dataclass
class MemoryConfig:
    storage_path: str = param('~/.local/share/omnilive/memory', 'directory of this memory '
                              '(SQLite, vector index, keyframes); one directory per memory, e.g. '
                              'per robot', restart=True)
    short_term_window_s: float = param(300.0, 'recent window kept in full detail (s)',
                                       range=(0.0, 1e9))
    budget_items: int = param(20000, 'max items kept (notes excepted)', range=(1, 10**12))
    budget_bytes: int = param(500_000_000, 'max bytes kept, keyframes included',
                              range=(1, 10**15))
    episode_gap_s: float = param(15.0, 'max gap between clips of one episode (s)',
                                 range=(0.0, 1e6))
    scene_similarity: float = param(0.75, 'text-embedding similarity above which clips are the '
                                    'same scene', range=(-1.0, 1.0))
    keyframes_per_episode: int = param(1, 'keyframes kept per episode (re-encoded smaller)',
                                       range=(0, 1000))
    compress_period_s: float = param(30.0, 'how often compression runs (s)', restart=True,
                                     range=(0.1, 1e12))
    default_top_k: int = param(8, 'results when a request asks for top_k 0', range=(1, 10000))
    robot_id: str = _robot_id()
    backend: str = param('sqlite', 'where items are stored: sqlite (storage_path, one robot) or '
                         'milvus (milvus_uri, shared by a fleet; keyframes and the outbox stay '
                         'in storage_path)', restart=True, choices=('sqlite', 'milvus'))
    milvus_uri: str = param('http://127.0.0.1:19530', 'Milvus server or cluster (backend '
                            'milvus); token or user/password only from the environment: '
                            'MILVUS_TOKEN, MILVUS_USER, MILVUS_PASSWORD', restart=True)
    collection: str = param('omnilive_memory', 'Milvus collection the fleet shares',
                            restart=True)
    default_scope: str = param('robot', 'retrieval scope of a request that names none: robot '
                               '(what this robot perceived) or fleet (every robot)',
                               choices=('robot', 'fleet'))
    text_embedding: TextEmbeddingConfig = group(TextEmbeddingConfig)


# ---------------------------------------------------------------------------------- reasoning
@dataclasses.dataclass
class LlmConfig:
    model: str = param('qwen2.5-coder-1.5b', 'GGUF file or model id (chosen by measurement, '
                       'docs/benchmarks.md; empty or qwen2.5-coder-0.5b: the faster 0.5B)',
                       restart=True)
    n_ctx: int = param(2048, 'context length (tokens)', restart=True, range=(128, 1048576))
    threads: int = _threads(2)
    gpu_layers: int = param(0, 'layers offloaded to the GPU (-1: all)', restart=True,
                            range=(-1, 10000))


@dataclasses.dataclass
class VlmConfig:
    model: str = param('', 'local path or hub id', restart=True)
    device: str = _device()
    threads: int = _threads(2)


@dataclasses.dataclass
class FaultConfig:
    stall_s: float = param(0.0, 'fault injection (tests, drills): the model stalls this long '
                           'in every answer (0: off)', restart=True, range=(0.0, 86400.0))
    stall_after_pieces: int = param(0, 'text pieces generated before the stall (0: before the '
                                    'first)', restart=True, range=(0, 1000000))


@dataclasses.dataclass
class StandingConfig:
    window_s: float = param(120.0, 'standing records: memory\'s items of the last window_s, '
                            'kept evaluated between questions; an open question ("what did you '
                            'see?") is answered from them and pays only for its own words (0: '
                            'off)', range=(0.0, 86400.0))
    max_chars: int = param(1600, 'bound on the settled standing records (characters; ~4 per '
                           'token)', range=(0, 10**6))
    growing_s: float = param(30.0, 'a record still growing (the open clip) is shown as it was '
                             'up to this long ago, so its evaluated tokens stay valid; lower on '
                             'a GPU', range=(0.0, 3600.0))
    refresh_s: float = param(2.0, 'between questions, new standing records are evaluated this '
                             'often (0: never ahead; `omnilive eval` at --rate max)',
                             restart=True, range=(0.0, 3600.0))


@dataclasses.dataclass
class ReasoningConfig:
    backend: str = param('llama_cpp', 'llama_cpp (GGUF, default) or vlm (transformers '
                         'image-text-to-text model that also sees retrieved keyframes)',
                         restart=True, choices=('llama_cpp', 'vlm'))
    top_k: int = param(6, 'memories retrieved per question', range=(1, 1000))
    direct_answers: bool = param(True, 'answer counts, times and notes without the model when '
                                 'the evidence makes the answer certain')
    max_answer_tokens: int = param(80, 'generation cap per answer', range=(1, 100000))
    max_answer_sentences: int = param(2, 'answers stop after this many sentences',
                                      range=(1, 1000))
    first_clause_words: int = param(3, "a model answer's first clause of at least this many "
                                    'words ("I saw four people,") goes to TTS on its own, '
                                    'before its sentence ends (0: whole sentences only)',
                                    range=(0, 100))
    temperature: float = param(0.0, 'sampling temperature (0: greedy, repeatable)',
                               range=(0.0, 5.0))
    seed: int = param(0, 'sampling seed', restart=True, range=(0, 2**31 - 1))
    history_turns: int = param(3, 'question/answer turns kept for follow-ups', restart=True,
                               range=(1, 1000))
    retrieve_timeout_s: float = param(10.0, 'memory/retrieve timeout (s)', range=(0.1, 3600.0))
    max_question_chars: int = param(1000, 'longer questions are refused', range=(1, 10**7))
    max_waiting_goals: int = param(16, 'goals waiting for their turn; more are rejected '
                                   '(counted as rejected)', range=(1, 100000))
    speculative_prefill: bool = param(True, 'prepare the answer (retrieval, prompt evaluated) '
                                      'to the question on speech/speculative_query while the '
                                      'user may still be speaking; used when the spoken goal has '
                                      'the same text, else discarded')
    llm: LlmConfig = group(LlmConfig)
    vlm: VlmConfig = group(VlmConfig)
    standing: StandingConfig = group(StandingConfig)
    fault: FaultConfig = group(FaultConfig)


# ---------------------------------------------------------------------------------- tts
@dataclasses.dataclass
class TtsConfig:
    voice: str = param('', 'espeak-ng voice id (empty: default)', restart=True)
    rate_wpm: int = param(175, 'speaking rate, words per minute', restart=True, range=(20, 1000))
    play: str = param('auto', 'play on the sound device: auto (when one exists), true, false',
                      restart=True, choices=('auto', 'true', 'false'))
    chunk_s: float = param(0.1, 'seconds of audio per speech/audio message', range=(0.01, 2.0))


# ---------------------------------------------------------------------------------- building
def listener_config(cfg: PerceptionConfig):
    """The audio listener's settings from perception's parameters."""
    from omnilive.audio.listener import ListenerConfig
    return ListenerConfig(
        vad_threshold=cfg.vad.threshold, hangover_s=cfg.vad.hangover_s,
        preroll_s=cfg.vad.preroll_s, max_utterance_s=cfg.vad.max_utterance_s,
        self_voice_tail_s=cfg.self_voice.tail_s, self_voice_margin_db=cfg.self_voice.margin_db,
        sound_threshold=cfg.sound_events.threshold, speculate_s=cfg.asr.speculate_s)


def perception_models(cfg: PerceptionConfig):
    """(VAD, sound classifier, transcriber, frame analyzer) as configured. WordNet (labels'
    synsets and categories) starts loading in a background thread, once per process; a missing
    WordNet is logged once (Python logging) and labels go without synsets."""
    from omnilive.models.asr import Transcriber
    from omnilive.models.detector import Detector
    from omnilive.models.ocr import TextReader
    from omnilive.models.sound import SoundClassifier
    from omnilive.models.vad import VoiceActivityDetector
    from omnilive.vision.clips import FrameAnalyzer

    def role(c):
        return c.model, c.device, c.threads
    asr = cfg.asr
    transcriber = Transcriber(asr.model, asr.device, asr.compute_type, asr.threads,
                              asr.beam_size, asr.window_s, patience=asr.patience, pad=asr.pad,
                              peak_db=asr.peak_db, lead_s=asr.lead_s, trim_s=asr.trim_s,
                              timestamps=asr.timestamps, prompt=asr.prompt,
                              retry_below=asr.retry_below)
    detector = Detector(*role(cfg.object_detector),
                        score_threshold=cfg.object_detector.score_threshold)
    embedder = captioner = None
    if cfg.image_embedding.model:
        from omnilive.models.image_embedding import ImageEmbedder
        embedder = ImageEmbedder(*role(cfg.image_embedding))
    if cfg.vlm.model:
        from omnilive.models.vlm import VisionLanguageModel
        captioner = VisionLanguageModel(*role(cfg.vlm)).caption
    classifier = None
    if cfg.classifier.enabled:
        from omnilive.models.classifier import ImageClassifier
        classifier = ImageClassifier(*role(cfg.classifier))
    pose = None
    if cfg.pose.enabled:
        from omnilive.models.pose import PoseEstimator
        pose = PoseEstimator(*role(cfg.pose), size=cfg.pose.size)
    from omnilive.vision.facts import Taxonomy
    taxonomy = Taxonomy.shared()   # loads while the other models load
    analyzer = FrameAnalyzer(detector, TextReader(*role(cfg.ocr)), cfg.ocr.every_n_frames,
                             embedder, captioner, classifier, taxonomy,
                             cfg.classifier.max_crops, cfg.classifier.min_score,
                             taxonomy_wait_s=120.0 if cfg.lossless else 0.0,
                             pose=pose, max_people=cfg.pose.max_people,
                             pose_every=cfg.pose.every_n_frames)
    return (VoiceActivityDetector(*role(cfg.vad)), SoundClassifier(*role(cfg.sound_events)),
            transcriber, analyzer)
