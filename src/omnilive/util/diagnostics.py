"""The /diagnostics schema: every key each omnilive node publishes, declared once.

Each node publishes one DiagnosticStatus named 'omnilive: /<namespace>/<node>' whose values are
KeyValue strings. Readers (the evaluation's pacing, the benchmarks, tests) take the key strings
from here: `Perception.AUDIO_PROCESSED == 'audio_processed'` (a Key is a str with its type,
meaning and rules attached); `Perception.LISTENER('chunks') == 'listener.chunks'` for a family of
keys; `SCHEMAS['perception']` for a node's whole schema.

Update order (what the evaluation's pacing relies on): within one node, a key listed in another
key's `after` is already up to date whenever that key changes. So a reader that sees
`audio_processed` reach N also sees every utterance (`asr_pending`) and sound event that the
first N audio messages produced; `frames_processed` at N means the clip upserts of those frames
are in `insert_queue`; `goals_sent` at N means `last_utterance.*` describe the N-th question.

Levels: a key's `rises` is the level of the node's status while that counter rises between two
reports (e.g. WARN while audio is being dropped); a key's `when_set` is its level while its value
is set (not empty, not zero: e.g. ERROR while `config_error` says why a model failed to load);
the status is the worst of its keys. More rules belong here, next to the keys they judge."""
from __future__ import annotations

import threading
from typing import Mapping, Optional

# DiagnosticStatus levels (diagnostic_msgs uses the same numbers)
OK, WARN, ERROR = 0, 1, 2
LEVEL_NAMES = {OK: 'OK', WARN: 'WARN', ERROR: 'ERROR'}


class Key(str):
    """A /diagnostics key: the string itself, with what it means and how it is judged."""

    def __new__(cls, name: str, type_: type, meaning: str, *, from_start: bool = True,
                after: tuple[str, ...] = (), rises: int = OK, when_set: int = OK):
        key = super().__new__(cls, name)
        key.type = type_             # how readers parse the value string: int, float or str
        key.meaning = meaning
        key.from_start = from_start  # published (as 0 or '') from the start, else once set
        key.after = after            # keys already updated whenever this one changes
        key.rises = rises            # the status level while this counter rises
        key.when_set = when_set      # the status level while the value is set (not 0 or '')
        return key

    def __reduce__(self):  # copied or pickled as the plain key string it is
        return str, (str(self),)

    @property
    def initial(self):
        return '' if self.type is str else self.type(0)


class Family:
    """Keys sharing a prefix whose rest is only known at run time ('ms.<stage>')."""

    def __init__(self, prefix: str, type_: type, meaning: str):
        self.prefix, self.type, self.meaning = prefix, type_, meaning

    def __call__(self, suffix: str) -> str:
        return self.prefix + suffix

    def __contains__(self, key: str) -> bool:
        return key.startswith(self.prefix) and len(key) > len(self.prefix)


class Schema:
    """A node's keys: the Key and Family attributes of a subclass, and the keys every node
    publishes (its lifecycle state, why it could not be configured)."""

    node = ''
    keys: dict[str, Key] = {}
    families: list[Family] = []
    LIFECYCLE = Key('lifecycle', str, 'lifecycle state: unconfigured, inactive (muted: not '
                    'listening, watching or serving), active, finalized', from_start=False)
    CONFIG_ERROR = Key('config_error', str, 'why the last configure failed (a model that did '
                       'not load, a bad parameter); empty once configured', from_start=False,
                       when_set=ERROR)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        members = {}
        for klass in reversed(cls.__mro__):
            members.update(vars(klass))
        cls.keys = {str(v): v for v in members.values() if isinstance(v, Key)}
        cls.families = [v for v in members.values() if isinstance(v, Family)]

    @classmethod
    def declares(cls, key: str) -> bool:
        return key in cls.keys or any(key in f for f in cls.families)

    @classmethod
    def undeclared(cls, values: Mapping[str, object]) -> list[str]:
        return [k for k in values if not cls.declares(k)]

    @classmethod
    def initial(cls) -> dict:
        """The keys published from the start, with their zero values."""
        return {str(k): k.initial for k in cls.keys.values() if k.from_start}


def _count(name, meaning, **kw) -> Key:
    return Key(name, int, meaning, **kw)


class Perception(Schema):
    node = 'perception'
    # video
    FRAMES_IN = _count('frames_in', 'camera messages received (both transports)')
    FRAMES_OTHER_TRANSPORT = _count(
        'frames_other_transport', 'frames of the transport not in use, ignored', from_start=False)
    FRAMES_SAMPLED = _count('frames_sampled', 'frames the sampler picked for analysis',
                            from_start=False)
    FRAMES_DROPPED = _count('frames_dropped', 'sampled frames replaced by a newer one while '
                            'the video worker was busy (by design outside lossless mode)')
    FRAMES_BAD = _count('frames_bad', 'frames that could not be decoded, dropped', rises=WARN)
    FRAMES_ERRORS = _count('frames_errors', 'frames dropped by a failure in analysis (a model)',
                           from_start=False, rises=ERROR)
    CLIPS = _count('clips', 'clips finished and stored')
    FRAMES_PROCESSED = _count('frames_processed', 'sampled frames analysed', after=(
        'clips', 'insert_queue', 'scene_cuts'))
    VIDEO_UNTIL = Key('video_until', float, 'stream time of the last frame analysed (s)',
                      from_start=False, after=('frames_processed',))
    SCENE_CUTS = Key('scene_cuts', str, 'stream times of the last 50 scene cuts (s, spaces)')
    POSES_IN = _count('poses_in', 'odometry messages received (the poses items carry; none: '
                      'items have no pose)')
    # audio
    AUDIO_MSGS = _count('audio_msgs', 'audio messages received')
    AUDIO_DROPPED = _count('audio_dropped', 'audio messages dropped: the audio queue was full',
                           rises=WARN)
    AUDIO_BAD = _count('audio_bad', 'audio messages not decodable in the format in use, dropped',
                       rises=WARN)
    AUDIO_ERRORS = _count('audio_errors', 'audio messages dropped by a failure (a model)',
                          from_start=False, rises=ERROR)
    AUDIO_UNUSABLE = Key('audio_unusable', str, 'why audio cannot be decoded now (an AudioInfo '
                         "format or coding we cannot read); empty while it can", when_set=WARN)
    MUTED_AUDIO = _count('muted_audio', 'audio messages discarded because the node was inactive '
                         '(privacy mute): queued or in flight when it was deactivated')
    MUTED_FRAMES = _count('muted_frames', 'camera frames discarded because the node was inactive '
                          '(privacy mute)')
    FALLING_BEHIND = Key('falling_behind', str, 'queues more than half full (the workers do not '
                         'keep up with the input); empty while they keep up', when_set=WARN)
    AUDIO_INFO_BAD = _count('audio_info_bad', 'AudioInfo messages with an unusable format',
                            from_start=False, rises=WARN)
    SOUND_EVENTS = _count('sound_events', 'sound events published and stored')
    ASR_PENDING = Key('asr_pending', int, 'utterances queued for or in transcription',
                      from_start=False)
    AUDIO_PROCESSED = _count('audio_processed', 'audio messages handled (VAD, sound events)',
                             after=('asr_pending', 'sound_events', 'insert_queue'))
    AUDIO_UNTIL = Key('audio_until', float, 'stream time up to which audio was handled (s)',
                      from_start=False, after=('audio_processed',))
    # speech
    UTTERANCES_DROPPED = _count('utterances_dropped', 'utterances dropped: the ASR queue was '
                                'full', rises=WARN)
    ASR_ERRORS = _count('asr_errors', 'utterances dropped by a transcription failure',
                        from_start=False, rises=ERROR)
    ASR_FALLBACKS = _count('asr_fallbacks', "transcriptions redone with Whisper's full window",
                           from_start=False)
    UTTERANCES = _count('utterances', 'utterances transcribed and published')
    QUERIES = _count('queries', 'utterances classified as questions')
    SPECULATIVE_QUERIES = _count('speculative_queries', 'questions heard in an end-of-speech '
                                 'pause, published before the endpoint', from_start=False)
    NOTES = _count('notes', 'utterances classified as "remember that ..." notes')
    ASK_UNAVAILABLE = _count('ask_unavailable', 'questions heard while no ask server was up',
                             from_start=False, rises=WARN)
    REMEMBER_FAILURES = _count('remember_failures', 'notes memory/remember did not take (kept '
                               'as speech through the insert queue)', from_start=False, rises=WARN)
    LAST_ENDPOINTED_AT = Key('last_utterance.endpointed_at', float, 'wall time the last final '
                             'utterance was endpointed (s)', from_start=False)
    LAST_TRANSCRIBED_AT = Key('last_utterance.transcribed_at', float, 'wall time its '
                              'transcription ended (s)', from_start=False)
    LAST_SPECULATIVE = Key('last_utterance.speculative', str, "'hit' when its transcript came "
                           "from speculation, else 'miss'", from_start=False)
    LAST_TEXT = Key('last_utterance.text', str, 'its transcript', from_start=False)
    LAST_GOAL_SENT_AT = Key('last_utterance.goal_sent_at', float, 'wall time its Ask goal was '
                            'sent (s)', from_start=False)
    LAST_QUESTION_ID = Key('last_utterance.question_id', str, 'its Ask goal question_id',
                           from_start=False)
    GOALS_SENT = _count('goals_sent', 'Ask goals sent for spoken questions', from_start=False,
                        after=('last_utterance.goal_sent_at', 'last_utterance.question_id'))
    # memory writer
    INSERTED = _count('inserted', 'items memory acknowledged')
    INSERT_FAILURES = _count('insert_failures', 'failed memory/insert calls (retried)',
                             rises=WARN)
    INSERT_DROPPED = _count('insert_dropped', 'items pushed out of the full insert queue',
                            rises=WARN)
    # queues
    AUDIO_QUEUE = Key('audio_queue', int, 'audio messages waiting (bound: audio_queue_depth)')
    UTTERANCE_QUEUE = Key('utterance_queue', int, 'utterances waiting (bound: queue_depth)')
    INSERT_QUEUE = Key('insert_queue', int, 'items waiting for memory (bound: '
                       'insert_retry_depth)')
    LISTENER = Family('listener.', int, "the audio listener's counters (chunks, utterances, "
                      'self_voice_dropped, not_speech_dropped, sound_events, barge_ins, '
                      'speculative, speculative_used)')
    STAGE_MS = Family('ms.', str, "a stage's time: 'mean <ms> max <ms> n <count>' (audio, asr, "
                      'asr_speculative, convert, analyze, frame)')


class Memory(Schema):
    node = 'memory'
    INSERTED = _count('inserted', 'items stored')
    INSERT_FAILURES = _count('insert_failures', 'memory/insert calls refused', rises=WARN)
    RETRIEVALS = _count('retrievals', 'memory/retrieve calls answered')
    RETRIEVE_FAILURES = _count('retrieve_failures', 'memory/retrieve calls refused', rises=WARN)
    REMEMBER_FAILURES = _count('remember_failures', 'memory/remember calls refused', rises=WARN)
    FORGOTTEN = _count('forgotten', 'items removed by memory/forget')
    FORGET_FAILURES = _count('forget_failures', 'memory/forget calls that failed', rises=WARN)
    COMPRESSIONS = _count('compressions', 'compression runs')
    COMPRESS_FAILURES = _count('compress_failures', 'compression runs that failed (retried)',
                               rises=ERROR)
    LAST_RETRIEVE_MS = Key('last_retrieve_ms', float, 'duration of the last retrieve (ms)')
    ITEMS = Key('items', int, 'items stored', from_start=False)
    BYTES = Key('bytes', int, 'bytes stored, keyframes included', from_start=False)
    COMPRESSION_RATIO = Key('compression_ratio', float, 'stream items per stored item',
                            from_start=False)
    STATS_ERROR = Key('stats_error', str, 'why the store statistics could not be read',
                      from_start=False)
    COUNT = Family('count.', int, "items per kind and level: 'count.<kind>.<level>'")
    OUTBOX = Family('outbox.', int, "a shared store's outbox (backend milvus): "
                    "'outbox.buffered' / 'outbox.replayed' items, 'outbox.send_failures', "
                    "'outbox.pending_batches', 'outbox.rejected_batches'")
    SERVER = Key('server', str, "the memory server (backend milvus): 'ok' or 'away'",
                 from_start=False)
    BACKEND_ERROR = Key('backend_error', str, "the memory server's last error",
                        from_start=False)


class Reasoning(Schema):
    node = 'reasoning'
    GOALS = _count('goals', 'Ask goals received')
    SUCCEEDED = _count('succeeded', 'goals answered')
    CANCELED = _count('canceled', 'goals cancelled')
    ABORTED = _count('aborted', 'goals that failed (memory down, model failure)', rises=WARN)
    REJECTED = _count('rejected', 'goals rejected: max_waiting_goals were waiting', rises=WARN)
    DIRECT = _count('direct', 'answers given from the evidence alone')
    MODEL = _count('model', 'answers written by the model')
    QUEUED = Key('queued', int, 'goals waiting for their turn')
    MAX_WAITING_GOALS = Key('max_waiting_goals', int, 'the bound on waiting goals')
    SPECULATION = Family('speculation.', int, 'speculative prefill: speculated (questions '
                         'prepared before their endpoint), used (the goal had the same text), '
                         'discarded (another text, or stale), failed, skipped (a goal was busy)')
    PREPARED = Family('prepared.', float, "the last speculation a goal used: 'prepared."
                      "offered_at' (wall clock s), 'prepared.ready_ms' (offer to plan ready), "
                      "'prepared.retrieval_ms', 'prepared.prefill_tokens', 'prepared.prefill_ms', "
                      "'prepared.wait_ms' (the goal waited for it)")
    STANDING_TOKENS = _count('standing.tokens', 'tokens of standing records evaluated between '
                             'questions')
    STANDING_FAILED = _count('standing.failed', 'standing records not evaluated (memory or model '
                             'failure)', rises=WARN)
    FAULT_STALLS = Key('fault.stalls', int, 'stalls injected (fault.stall_s > 0 only)',
                       from_start=False)
    FAULT_STALLING = Key('fault.stalling', int, '1 while the model stalls (fault injection)',
                         from_start=False)


class Tts(Schema):
    node = 'tts'
    SENTENCES = _count('sentences', 'sentences spoken')
    INTERRUPTED = _count('interrupted', 'sentences cut short by an interrupt')
    DROPPED = _count('dropped', 'sentences dropped: the speech queue was full', rises=WARN)
    AUDIO_S = Key('audio_s', float, 'seconds of speech published')
    QUEUED = Key('queued', int, 'sentences waiting to be spoken')


SCHEMAS: dict[str, type[Schema]] = {s.node: s for s in (Perception, Memory, Reasoning, Tts)}


class LevelTracker:
    """The status level of a node's reports from its keys' rules, remembering the previous
    report to see which counters rose."""

    def __init__(self, schema: type[Schema]):
        self.schema = schema
        self._previous: dict[str, float] = {}

    def update(self, values: Mapping[str, object]) -> tuple[int, str]:
        """(level, message) of this report: 'running' when OK, else what rose and by how much."""
        level, reasons = OK, []
        for name, value in values.items():
            key: Optional[Key] = self.schema.keys.get(name)
            if key is not None and key.when_set != OK and value not in (0, '', None):
                level = max(level, key.when_set)
                reasons.append(f'{name}: {value}')
            if key is None or key.rises == OK:
                continue
            try:
                now = float(value)
            except (TypeError, ValueError):
                continue
            before = self._previous.get(name, 0.0)
            self._previous[name] = now
            if now > before:
                level = max(level, key.rises)
                reasons.append(f'{name} +{now - before:g}')
        return level, '; '.join(reasons) if reasons else 'running'


class Counters:
    """The /diagnostics values a node keeps itself, bumped from several threads (executor
    callbacks and workers): `c[k] += 1` on a dict is a read and a write, which loses counts when
    two threads interleave. Only keys its schema declares (omnilive.util.diagnostics) are
    accepted, so a misspelt key fails at once instead of publishing a key no reader knows."""

    def __init__(self, schema: type[Schema]):
        self.schema = schema
        self._lock = threading.Lock()
        self._values: dict = schema.initial()

    def _check(self, key: str) -> None:
        if key not in self.schema.keys:
            raise KeyError(f'{key!r} is not a /diagnostics key of {self.schema.node} '
                           '(declare it in omnilive.util.diagnostics)')

    def add(self, key: str, n=1) -> None:
        self._check(key)
        with self._lock:
            self._values[key] = self._values.get(key, 0) + n

    def set(self, key: str, value) -> None:
        self._check(key)
        with self._lock:
            self._values[key] = value

    def get(self, key: str, default=0):
        self._check(key)
        with self._lock:
            return self._values.get(key, default)

    def snapshot(self) -> dict:
        with self._lock:
            return dict(self._values)
