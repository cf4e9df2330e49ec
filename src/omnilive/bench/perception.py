"""Perception capacity: the perception node (and the memory node it writes to) as processes, fed a
30 fps 640x480 camera of a real scene and a 50 Hz 16 kHz microphone at 1x, then faster (rate r:
camera frames stamped r times faster, audio r times faster than real time). Per rate: frames
processed per second against the frames the sampler asked for, drop rate, audio messages lost,
CPU share per node, and how far audio processing lags behind the stream at the end of the feed.
A rate is sustained when no audio is lost, the audio lag stays under a second and at least 90% of
the sampled frames are analysed."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from omnilive.bench.report import Section
from omnilive.util.diagnostics import Perception as P

AUDIO_MSG_S = 0.02


def _count(diag: dict, key: str) -> int:
    return int(float(diag.get(key, 0) or 0))


class CapacityRig:
    """The memory and perception nodes as processes and a camera and microphone feeding them
    (omnilive.ros.feeder) at a chosen rate."""

    def __init__(self, workdir: Path, log=print):
        from omnilive.bags import media
        from omnilive.ros.feeder import Sensors
        from omnilive.ros.harness import GraphHarness, isolate
        self.log = log
        self.frames = list(media.frames('opencv:data/vtest.avi', 10, 1.0, (640, 480)))
        isolate()
        self.log_path = workdir / 'capacity.log'
        self.graph = GraphHarness('bench_capacity', self.log_path, arguments={'respawn': 'false'},
                                  parameters={'memory': {'storage_path': str(workdir / 'memory')},
                                              'perception': {'diagnostics_period_s': 0.25}},
                                  only=['memory', 'perception'], client_name='bench_capacity')
        try:
            self.sensors = Sensors(self.graph.node)
            self.graph.wait(lambda: self.sensors.matched(('audio', 'image')) and bool(self.diag),
                            300, 'perception to come up')
        except BaseException:
            self.graph.close()
            raise

    @property
    def diag(self) -> dict:
        """Perception's latest /diagnostics values."""
        return self.graph.diagnostics.of('perception')

    def feed(self, rate: float, seconds: float, t0: float, profile: Path | None = None) -> dict:
        """Stream `seconds` of sensor time at `rate`; returns what was sent and measured."""
        from omnilive.bench.nodes import CpuMeter, PySpy
        from omnilive.ros.feeder import Camera, pace
        spy = PySpy(self.graph.pids()['perception'], profile) if profile else None
        rng = np.random.default_rng(0)
        noise = (0.01 * 32767 * rng.standard_normal(int(16000 * AUDIO_MSG_S))).astype(np.int16)
        chunk = noise.tobytes()
        before = dict(self.diag)
        meter = CpuMeter(self.graph.pids())
        meter.start()
        # 30 fps in sensor time (stamps), `rate` times faster on the wall clock
        camera = Camera(self.sensors, self.frames, 30.0 * rate, stamp=lambda i: t0 + i / 30.0)
        camera.start()
        start = time.monotonic()
        n_audio = int(seconds / AUDIO_MSG_S)
        for i in pace(AUDIO_MSG_S / rate):
            if i == n_audio:
                break
            self.sensors.audio(chunk)
        camera.stop()
        sent = {'images': camera.sent, 'audio': n_audio}
        wall = time.monotonic() - start
        cpu = meter.stop()
        profiled = spy.stop() if spy else None
        at_end = dict(self.diag)
        # how far audio processing is behind the stream when the feed ends
        processed = _count(at_end, P.AUDIO_PROCESSED) - _count(before, P.AUDIO_PROCESSED)
        lag_msgs = sent['audio'] - processed
        drain_start = time.monotonic()
        while _count(self.diag, P.AUDIO_MSGS) - _count(before, P.AUDIO_MSGS) > \
                _count(self.diag, P.AUDIO_PROCESSED) - _count(before, P.AUDIO_PROCESSED) + \
                _count(self.diag, P.AUDIO_DROPPED) - _count(before, P.AUDIO_DROPPED) \
                and time.monotonic() - drain_start < 120:
            time.sleep(0.1)
        time.sleep(1.0)  # let the last diagnostics arrive
        after = dict(self.diag)
        # per diagnostics key, what it rose by (the JSON's field names are the keys)
        delta = {str(k): _count(after, k) - _count(before, k) for k in
                 (P.FRAMES_IN, P.FRAMES_SAMPLED, P.FRAMES_PROCESSED, P.FRAMES_DROPPED,
                  P.AUDIO_MSGS, P.AUDIO_PROCESSED, P.AUDIO_DROPPED)}
        return {'rate': rate, 'seconds': seconds, 'wall_s': wall, 'sent': sent, 'delta': delta,
                'audio_lag_s': max(0, lag_msgs) * AUDIO_MSG_S / rate,
                'drain_s': time.monotonic() - drain_start - 1.0, 'cpu': cpu, 'profile': profiled}

    def close(self) -> None:
        self.graph.close()


MODEL_STAGES = (('detect', 'object detector'), ('ocr', 'OCR'),
                ('classify', 'image classifier'), ('pose', 'pose model'),
                ('facts', 'colours, positions, relations'))


def model_costs(section: Section, seconds: float = 8.0, log=print) -> None:
    """Each vision model's cost per analysed frame, in this process on one thread, through
    the real FrameAnalyzer with the CPU profile's models on vtest.avi (640x480, people walking
    in every frame) at the default 1.5 frames/s, pose on every 2nd frame of a clip as in
    config/cpu.yaml: milliseconds per frame beside the whole analysis (its share), and the pose
    model's cost per person."""
    from omnilive.bags import media
    from omnilive.models.classifier import ImageClassifier
    from omnilive.models.detector import Detector
    from omnilive.models.ocr import TextReader
    from omnilive.models.pose import PoseEstimator
    from omnilive.util.timing import StageTimer
    from omnilive.vision.clips import FrameAnalyzer
    from omnilive.vision.facts import Taxonomy
    taxonomy = Taxonomy.shared()
    taxonomy.wait(300)
    timer = StageTimer()
    analyzer = FrameAnalyzer(Detector(threads=1), TextReader(threads=1), 3,
                             classifier=ImageClassifier(threads=1), taxonomy=taxonomy,
                             timer=timer, pose=PoseEstimator(threads=1), pose_every=2)
    frames = list(media.frames('opencv:data/vtest.avi', 1.5, seconds, (640, 480)))
    analyzer.analyze(frames[0], 1)          # warm-up (first-run allocations), not counted
    timer = analyzer.timer = StageTimer()
    people = 0
    t0 = time.perf_counter()
    for i, rgb in enumerate(frames):
        found = analyzer.analyze(rgb, i)
        people += sum(1 for f in found.objects if f.body is not None)
    total_ms = (time.perf_counter() - t0) * 1000 / len(frames)
    log(f'[capacity] analysis of {len(frames)} frames: {total_ms:.0f} ms per frame')
    for stage, name in MODEL_STAGES:
        n, mean, _ = timer.stats(stage)
        per_frame = mean * n / len(frames)
        section.add(f'{name}: cost per analysed frame (1 thread)', per_frame, 'ms', total_ms,
                    'the whole frame analysis', note=f'ran on {n} of {len(frames)} frames')
    n, mean, _ = timer.stats('pose')
    if people:
        section.add('pose model: cost per person (1 thread)', mean * n / people, 'ms',
                    total_ms, 'the whole frame analysis',
                    note=f'{people / len(frames):.1f} people posed per frame (at most 3)')
    section.add('frames one core can analyse per second', 1000 / total_ms, 'frames/s', 1.5,
                'frames sampled per second (frame_rate_hz)')
    frame_views_cost(section, analyzer, frames)


def frame_views_cost(section: Section, analyzer, frames) -> None:
    """The image classifier stage (crops + the whole frame) as it runs (the frame's two views
    in turn, one a frame: issue 16) and with both views every frame, against the whole frame
    alone (before), alternating on the same frames and detections, in this process."""
    from omnilive.models.classifier import FRAME_VIEWS
    modes = {'before': ('whole',), 'after': None, 'both': FRAME_VIEWS}
    costs: dict[str, list[float]] = {m: [] for m in modes}
    for i, rgb in enumerate(frames):
        detections = analyzer.detector.detect(rgb)
        order = list(modes) if i % 2 == 0 else list(modes)[::-1]
        for mode in order:
            analyzer.views = modes[mode]
            t0 = time.perf_counter()
            analyzer.classify(rgb, detections, i)
            costs[mode].append((time.perf_counter() - t0) * 1000)
    analyzer.views = None
    ms = {m: float(np.median(c)) for m, c in costs.items()}
    note = f'median of {len(frames)} frames each, alternating'
    section.add('image classifier, the frame\'s 2 views in turn: cost per analysed frame '
                '(1 thread)', ms['after'], 'ms', ms['before'],
                'the same with the whole frame only (before)', note=note)
    section.add('image classifier, both views every frame: cost per analysed frame (1 thread)',
                ms['both'], 'ms', ms['before'], 'the same with the whole frame only (before)',
                note=note)


def capacity_figures(section: Section, seconds: float, rates: list[float],
                     workdir: Path | None = None, log=print) -> None:
    model_costs(section, log=log)
    workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-bench-capacity-'))
    rig = CapacityRig(workdir, log)
    results = []
    try:
        t0 = time.time()
        for rate in rates:
            log(f'[capacity] {seconds:g} s of camera + microphone at {rate:g}x ...')
            res = rig.feed(rate, seconds, t0, workdir / f'py-spy-perception-{rate:g}x.txt')
            t0 += seconds + 10
            d = res['delta']
            res['frames_per_s'] = d[P.FRAMES_PROCESSED] / res['wall_s']
            res['sampled_per_s'] = d[P.FRAMES_SAMPLED] / res['wall_s']
            res['audio_lost'] = res['sent']['audio'] - d[P.AUDIO_MSGS] + d[P.AUDIO_DROPPED]
            res['sustained'] = (res['audio_lost'] == 0 and res['audio_lag_s'] < 1.0 and
                                d[P.FRAMES_PROCESSED] >= 0.9 * d[P.FRAMES_SAMPLED])
            results.append(res)
            log(f'[capacity]   {rate:g}x: {res["frames_per_s"]:.2f} frames/s of '
                f'{res["sampled_per_s"]:.2f} sampled, audio lost {res["audio_lost"]}, lag '
                f'{res["audio_lag_s"]:.2f} s, cpu {res["cpu"]}')
            if not res['sustained']:
                break
    finally:
        rig.close()
    one = results[0]
    d = one['delta']
    section.add('frames analysed per second at 1x', one['frames_per_s'], 'frames/s',
                one['sampled_per_s'], 'frames sampled (frame_rate_hz)')
    section.add('camera frames received per second at 1x', d[P.FRAMES_IN] / one['wall_s'],
                'frames/s', one['sent']['images'] / one['wall_s'], 'frames published')
    section.add('sampled frames dropped (worker busy) at 1x', d[P.FRAMES_DROPPED], 'frames',
                d[P.FRAMES_SAMPLED], 'frames sampled')
    section.add('audio messages lost at 1x', one['audio_lost'], 'msgs', one['sent']['audio'],
                'messages published', target='0', met=one['audio_lost'] == 0)
    section.add('audio processing lag at the end of the feed, 1x', one['audio_lag_s'], 's',
                one['seconds'], 'stream length')
    for name, share in one['cpu'].items():
        section.add(f'CPU share of the {name} node at 1x', share, 'cores', 2.0,
                    'the whole machine')
    sustained = [r['rate'] for r in results if r['sustained']]
    section.add('highest input rate sustained', max(sustained) if sustained else 0.0, 'x', 1.0,
                'real time', note=f'rates tried: {[r["rate"] for r in results]}')
    from omnilive.bench.nodes import profile_note
    last = results[-1]
    if last.get('profile'):
        section.notes.append(profile_note(
            f'Profile of the perception node at {last["rate"]:g}x, the highest rate tried '
            f'({"sustained" if last["sustained"] else "not sustained"}; py-spy)', last['profile']))
    section.details['runs'] = results
