"""`omnilive soak`: the whole graph (bringup's executables under the respawning supervisor) fed a
multi-hour synthetic stream at the highest rate perception keeps up with, while resident memory,
open files and threads of every node are sampled from /proc. Prints figures; not a test.

What the stream exercises, per hour of stream time (defaults):
- perception: 16 kHz stamped audio (low noise; a spoken statement every 10 min, a phone ring
  every 10 min, a spoken question every 30 min) through VAD, YAMNet, Whisper and query detection;
  a 320x240 synthetic camera frame every 2 s (a new scene with a printed sign every ~45 s) through
  scene cuts, the detector, OCR and clip upserts into memory;
- memory: perception's items plus 1 synthetic clip item every 3 s with a small keyframe, inserted
  directly (memory/insert), so the store outgrows its (small, soak-sized) budget and short-term
  consolidation and long-term coarsening run on the stream's clock;
- reasoning and TTS: the spoken questions, plus a typed question every 10 min and a note
  every 30 min through the ask action.
It runs on sim time (/clock from the stream), so the memory node's maintenance follows the
stream, not the wall clock. Perception runs lossless; the feeder waits for perception before
running ahead, so nothing is dropped and the wall time is what the models cost.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from omnilive.audio.pcm import TARGET_RATE, to_int16
from omnilive.memory import describe
from omnilive.memory.types import OBJECT, TEXT, Label, MemoryItem
from omnilive.util.diagnostics import Memory, Reasoning
from omnilive.util.diagnostics import Perception as P

SIGNS = ['EXIT', 'KITCHEN', 'OFFICE', 'LAB', 'STOP', 'ROOM', 'EXIT 2', 'STORAGE']
OBJECTS = ['person', 'chair', 'cup', 'bottle', 'laptop', 'book', 'dining table', 'tv', 'couch']
STATEMENTS = ['I put the red mug on the kitchen table.', 'The delivery will come at four.',
              'The meeting moved to room twelve.', 'The spare battery is in the blue box.']
QUESTIONS = ['How many people did you see?', 'Describe what you saw.', 'What did the sign say?',
             'Did you hear a phone?', 'What did you see?', 'When did you last see a cup?']
AUDIO_LEAD_S = 20.0   # the feeder stays at most this far ahead of perception's audio
NODES = ('memory', 'perception', 'reasoning', 'tts')
RSS_GROWTH_PER_HOUR = 0.10  # of the after-warm-up RSS: more is reported as growth
MIN_HOURS_TO_JUDGE_RSS = 0.5


# ---------------------------------------------------------------------------- the stream
class SyntheticStream:
    """Deterministic stream events in time order: ('audio', t, pcm int16), ('frame', t, rgb),
    ('clip', t, MemoryItem), ('ask', t, question) and ('note', t, text); t in seconds from 0."""

    def __init__(self, duration_s: float, chunk_s: float = 0.5, frame_period_s: float = 2.0,
                 clip_period_s: float = 3.0, scene_s: float = 45.0, ask_every_s: float = 600.0,
                 seed: int = 0):
        self.duration_s = duration_s
        self.chunk_s = chunk_s
        self.frame_period_s = frame_period_s
        self.clip_period_s = clip_period_s
        self.scene_s = scene_s
        self.ask_every_s = ask_every_s
        self.rng = np.random.default_rng(seed)
        self._tone_state = np.zeros(1)
        self.sounds = self._sounds()

    def _sounds(self) -> dict[str, np.ndarray]:
        """Spoken lines (espeak-ng) and a phone ring (freedesktop), or tones where missing."""
        from omnilive.bags import media
        t = np.arange(TARGET_RATE * 2) / TARGET_RATE
        ring = (0.3 * np.sin(2 * np.pi * 440 * t) * np.sin(2 * np.pi * 480 * t)).astype(np.float32)
        try:
            ring = media.audio('sound:phone-incoming-call')[:TARGET_RATE * 3]
        except FileNotFoundError:
            pass
        sounds = {'ring': ring}
        for i, line in enumerate(STATEMENTS + ['What did you see in the last minute?']):
            try:
                sounds[f'say{i}'] = media.speak(line)
            except FileNotFoundError:  # no espeak-ng: a tone keeps the audio path busy
                sounds[f'say{i}'] = (0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
        return sounds

    def _room_tone(self, n: int) -> np.ndarray:
        """A quiet, low-passed noise floor (-60 dBFS). White noise at this level is heard by
        YAMNet as hiss ("Snake", "Rustle") and would fill memory with sound events."""
        from scipy.signal import lfilter
        x, self._tone_state = lfilter([1.0], [1.0, -0.97], self.rng.standard_normal(n),
                                      zi=self._tone_state)
        return (0.00025 * x).astype(np.float32)  # the filter's gain is ~4

    def _audio_events(self) -> list[tuple[float, np.ndarray]]:
        events = []
        for k, start in enumerate(np.arange(60.0, self.duration_s, 600.0)):
            events.append((start, self.sounds[f'say{k % len(STATEMENTS)}']))
            events.append((start + 300.0, self.sounds['ring']))
        # a spoken question, clear of the typed ones: the robot speaking their answers would
        # (rightly) gate it as its own voice
        for start in np.arange(1200.0, self.duration_s, 1800.0):
            events.append((start, self.sounds[f'say{len(STATEMENTS)}']))
        return sorted(events, key=lambda e: e[0])

    def frame(self, t: float) -> np.ndarray:
        scene = int(t // self.scene_s)
        rng = np.random.default_rng(scene)
        color = rng.integers(40, 220, 3)
        img = np.empty((240, 320, 3), np.uint8)
        img[:] = color
        for _ in range(3):  # furniture-like blocks, moving a little within the scene
            x, y = rng.integers(0, 260), rng.integers(120, 200)
            dx = int(4 * np.sin(t))
            cv2.rectangle(img, (x + dx, y), (x + dx + 50, y + 35),
                          tuple(int(c) for c in rng.integers(0, 255, 3)), -1)
        cv2.rectangle(img, (70, 30), (250, 90), (250, 250, 250), -1)
        cv2.putText(img, SIGNS[scene % len(SIGNS)], (82, 75), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                    (20, 20, 20), 3)
        noise = self.rng.integers(0, 6, img.shape, dtype=np.uint8)
        return cv2.add(img, noise)

    def clip(self, n: int, t: float) -> MemoryItem:
        scene = int(t // self.scene_s)
        rng = np.random.default_rng(1000 + scene)
        names = [str(x) for x in rng.choice(OBJECTS, 3, replace=False)]
        counts = [int(c) for c in rng.integers(1, 4, 3)]
        labels = [Label(OBJECT, name, count) for name, count in zip(names, counts)] + \
            [Label(TEXT, SIGNS[scene % len(SIGNS)])]
        thumb = cv2.resize(self.frame(t), (64, 48), interpolation=cv2.INTER_AREA)
        return MemoryItem(id=f'soak-clip-{n}', kind='clip', start=t, end=t + self.clip_period_s,
                          text=describe.caption(labels), labels=labels,
                          keyframe_jpeg=cv2.imencode('.jpg', thumb)[1].tobytes())

    def events(self):
        n_chunk = int(self.chunk_s * TARGET_RATE)
        pending = self._audio_events()
        playing: list[np.ndarray] = []
        next_frame, next_clip, next_ask, n_clip = 0.0, 0.0, self.ask_every_s / 2, 0
        t = 0.0
        while t < self.duration_s:
            chunk = self._room_tone(n_chunk)
            while pending and pending[0][0] < t + self.chunk_s:
                playing.append(pending.pop(0)[1])
            pos = 0
            while playing and pos < n_chunk:  # one event at a time, spliced in order
                take = min(n_chunk - pos, len(playing[0]))
                chunk[pos:pos + take] += playing[0][:take]
                playing[0] = playing[0][take:]
                pos += take
                if not len(playing[0]):
                    playing.pop(0)
            yield 'audio', t, to_int16(chunk)
            t_end = t + self.chunk_s
            while next_frame < t_end:
                yield 'frame', next_frame, self.frame(next_frame)
                next_frame += self.frame_period_s
            while next_clip < t_end:
                yield 'clip', next_clip, self.clip(n_clip, next_clip)
                n_clip += 1
                next_clip += self.clip_period_s
            while next_ask < t_end:
                k = int(next_ask // self.ask_every_s)
                if k % 3 == 2:
                    yield 'note', next_ask, f'the spare key {k} is in drawer {k % 7}'
                else:
                    yield 'ask', next_ask, QUESTIONS[k % len(QUESTIONS)]
                next_ask += self.ask_every_s
            t = t_end


# ---------------------------------------------------------------------------- /proc sampling
def process_figures(pid: int) -> dict | None:
    """Resident memory (MB), threads and open file descriptors of a process, from /proc."""
    try:
        status = Path(f'/proc/{pid}/status').read_text()
        fields = dict(line.split(':', 1) for line in status.splitlines() if ':' in line)
        return {'rss_mb': round(int(fields['VmRSS'].split()[0]) / 1024, 1),
                'threads': int(fields['Threads']),
                'fds': len(os.listdir(f'/proc/{pid}/fd'))}
    except (OSError, KeyError, ValueError):  # the process is gone (respawning)
        return None


def summarize(samples: list[dict], window: float = 0.1) -> dict:
    """Per node: RSS, threads and fds just after warm-up and at the end, each the median over a
    tenth of the stream (the memory node's heap saw-tooths around each compression, so single
    samples mislead), the extremes, and the growth per stream hour between the two."""
    out = {}
    if not samples:
        return out
    t_end = samples[-1]['stream_s']
    for node in samples[0]['nodes']:
        rows = [(s['stream_s'], s['nodes'].get(node)) for s in samples
                if s['stream_s'] >= window * t_end and s['nodes'].get(node)]
        if not rows:
            continue
        early = [(t, r) for t, r in rows if t <= 2 * window * t_end] or rows[:1]
        late = [(t, r) for t, r in rows if t >= (1 - window) * t_end] or rows[-1:]
        hours = max((median([t for t, _ in late]) - median([t for t, _ in early])) / 3600, 1e-9)
        figures = {}
        for k in ('rss_mb', 'threads', 'fds'):
            first, last = median([r[k] for _, r in early]), median([r[k] for _, r in late])
            figures[k] = {'after_warmup': first, 'end': last,
                          'max': max(r[k] for _, r in rows), 'min': min(r[k] for _, r in rows),
                          'growth_per_stream_hour': round((last - first) / hours, 2)}
        out[node] = figures
    return out


def median(values: list) -> float:
    return float(np.median(values)) if values else 0.0


# ---------------------------------------------------------------------------- the run
@dataclasses.dataclass
class SoakConfig:
    stream_minutes: float = 120.0
    namespace: str = 'soak'
    profile: str = 'cpu'
    workdir: str = ''
    sample_s: float = 10.0            # wall seconds between /proc samples
    print_every_min: float = 10.0     # stream minutes between printed lines
    budget_items: int = 300
    budget_bytes: int = 8_000_000
    compress_period_s: float = 60.0   # stream seconds
    frame_period_s: float = 2.0
    chunk_s: float = 0.5


class Soak:
    def __init__(self, cfg: SoakConfig, out=sys.stdout):
        self.cfg = cfg
        self.out = out
        self.workdir = Path(cfg.workdir or tempfile.mkdtemp(prefix='omnilive-soak-'))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.samples: list[dict] = []
        self.asked = self.inserted = self.insert_failures = 0
        self.stream_t = 0.0
        self.answers: list[tuple[str, int]] = []
        self.gate_timeouts = 0
        self._stop = threading.Event()

    def say(self, text: str) -> None:
        self.out.write(text + '\n')
        self.out.flush()

    # -------------------------------------------------------------- graph
    def start(self) -> None:
        from omnilive.ros.feeder import Sensors
        from omnilive.ros.harness import GraphHarness
        cfg = self.cfg
        storage = self.workdir / 'memory'
        shutil.rmtree(storage, ignore_errors=True)
        params = {
            'memory': {'storage_path': str(storage), 'budget_items': cfg.budget_items,
                       'budget_bytes': cfg.budget_bytes,
                       'compress_period_s': cfg.compress_period_s},
            'perception': {'lossless': True, 'diagnostics_period_s': 0.25},
        }
        # respawn on: a crashed node is restarted by the supervisor and counted in the report
        self.graph = GraphHarness(cfg.namespace, self.workdir / 'graph.log',
                                  arguments={'profile': cfg.profile, 'use_sim_time': 'true',
                                             'respawn': 'true'},
                                  parameters=params, client_name='omnilive_soak')
        self.supervisor, self.client = self.graph.supervisor, self.graph.client
        # perception runs lossless: the feeder publishes reliably, so nothing is lost
        self.sensors = Sensors(self.client.node, lossless=True)
        self.sensors.audio_info('S16LE', TARGET_RATE, 1)
        self.watch = self.graph.diagnostics
        self.diag, self.diag_seen = self.watch.latest, self.watch.reports

    def value(self, node: str, key: str) -> float:
        return self.watch.number(node, key)

    def wait_ready(self, timeout: float = 600.0) -> None:
        self.graph.wait(lambda: all(n in self.diag for n in NODES), timeout,
                        'the graph to come up', lambda: f'{sorted(self.diag)} reported')
        self.graph.wait(lambda: self.sensors.matched(('audio_stamped', 'image')), timeout,
                        'perception to subscribe to the stream')
        time.sleep(0.5)  # a fresh reliable match can still miss the very first message

    # -------------------------------------------------------------- sampling
    def sample(self) -> dict:
        nodes = {name: process_figures(pid) for name, pid in self.graph.pids().items()}
        row = {'wall_s': round(time.monotonic() - self.t0, 1), 'stream_s': round(self.stream_t, 1),
               'nodes': nodes, 'memory_items': int(self.value('memory', Memory.ITEMS)),
               'memory_bytes': int(self.value('memory', Memory.BYTES)),
               'restarts': dict(self.supervisor.restarts)}
        self.samples.append(row)
        return row

    def _sampler(self) -> None:
        while not self._stop.wait(self.cfg.sample_s):
            self.sample()

    def line(self, row: dict) -> str:
        parts = [f'stream {duration_text(row["stream_s"])} wall {row["wall_s"]:6.0f} s']
        for name, fig in row['nodes'].items():
            parts.append(f'{name} {fig["rss_mb"]:.0f} MB {fig["fds"]} fds {fig["threads"]} thr'
                         if fig else f'{name} (restarting)')
        parts.append(f'memory {row["memory_items"]} items {row["memory_bytes"] / 1e6:.1f} MB')
        return ' | '.join(parts)

    # -------------------------------------------------------------- feeding
    def _gate(self, t: float, last_frame: float) -> None:
        """Wait until perception is at most AUDIO_LEAD_S behind in audio and has processed the
        frames before the last one (lossless queues hold the rest)."""
        deadline = time.monotonic() + 180.0
        while True:
            audio_ok = t < AUDIO_LEAD_S or self.value('perception', P.AUDIO_UNTIL) >= \
                self.t_stream0 + t - AUDIO_LEAD_S
            video_ok = last_frame < 0 or self.value('perception', P.VIDEO_UNTIL) >= \
                self.t_stream0 + last_frame - 2 * self.cfg.frame_period_s - 1e-3
            if audio_ok and video_ok:
                return
            if time.monotonic() > deadline:  # perception restarted or stuck: counted, go on
                self.gate_timeouts += 1
                return
            time.sleep(0.02)

    def _publish_clock(self, t: float) -> None:
        self.sensors.clock(self.t_stream0 + t)

    def _ask(self, kind: str, t: float, text: str) -> None:
        question = f'Remember that {text}' if kind == 'note' else text
        self.asked += 1

        def run():
            try:
                status, _ = self.client.ask(question, asked_at=self.t_stream0 + t, timeout=300,
                                            speak=kind == 'ask')
            except TimeoutError:
                status = -1
            self.answers.append((question, int(status)))
        threading.Thread(target=run, daemon=True).start()

    def feed(self, stream: SyntheticStream) -> None:
        from omnilive.ros.convert import item_to_msg
        last_frame, next_print = -1.0, 0.0
        inserts = []
        for kind, t, payload in stream.events():
            self.stream_t = t
            if kind == 'audio':
                self._gate(t, last_frame)
                self._publish_clock(t)
                self.sensors.audio(payload.tobytes(), stamp=self.t_stream0 + t)
                if t >= next_print:
                    self.say(self.line(self.sample()))
                    next_print += self.cfg.print_every_min * 60
            elif kind == 'frame':
                self.sensors.image(payload, stamp=self.t_stream0 + t)
                last_frame = t
            elif kind == 'clip':
                payload.start += self.t_stream0
                payload.end += self.t_stream0
                inserts.append(payload)
                if len(inserts) >= 4:  # a small batch, as perception's writer sends them
                    self._insert(inserts, item_to_msg)
                    inserts = []
            else:
                self._ask(kind, t, payload)
        if inserts:
            self._insert(inserts, item_to_msg)

    def _insert(self, items, item_to_msg) -> None:
        request = self.client.srv.Insert.Request(items=[item_to_msg(i) for i in items])
        for _ in range(10):
            try:
                res = self.client.call('insert', request, timeout=30)
                if res.success:
                    self.inserted += len(items)
                    return
                self.say(f'insert refused: {res.message}')
            except TimeoutError:
                pass
        self.insert_failures += 1

    def finish(self) -> None:
        """Let perception catch up, then advance the clock past one more compression."""
        deadline = time.monotonic() + 600
        end = self.t_stream0 + self.stream_t
        while self.value('perception', P.AUDIO_UNTIL) < end - 1.0 and time.monotonic() < deadline:
            time.sleep(0.2)
        compressions = self.value('memory', Memory.COMPRESSIONS)
        t = self.stream_t
        while self.value('memory', Memory.COMPRESSIONS) <= compressions and \
                time.monotonic() < deadline:
            t += 1.0
            self._publish_clock(t)
            time.sleep(0.05)
        while len(self.answers) < self.asked and time.monotonic() < deadline:
            time.sleep(0.2)
        seen = dict(self.diag_seen)  # fresh diagnostics of every node for the report
        while any(self.diag_seen.get(n, 0) <= seen.get(n, 0) for n in NODES) and \
                time.monotonic() < deadline:
            time.sleep(0.2)

    # -------------------------------------------------------------- report
    def report(self) -> dict:
        per_node = summarize(self.samples)
        p = self.diag.get('perception', {})
        m = self.diag.get('memory', {})
        r = self.diag.get('reasoning', {})
        stats = self.client.call('stats', self.client.srv.Stats.Request(), timeout=60)
        counts = {f'{k}/{lvl}': n for k, lvl, n in zip(stats.kinds, stats.levels, stats.counts)}
        wall = time.monotonic() - self.t0
        return {
            'stream_hours': round(self.stream_t / 3600, 3), 'wall_minutes': round(wall / 60, 1),
            'speed_x_real_time': round(self.stream_t / max(wall, 1e-9), 1),
            'nodes': per_node, 'restarts': dict(self.supervisor.restarts),
            'memory': {'items': sum(counts.values()), 'budget_items': self.cfg.budget_items,
                       'max_items_sampled': max((s['memory_items'] for s in self.samples),
                                                default=0),
                       'bytes': int(stats.bytes), 'budget_bytes': self.cfg.budget_bytes,
                       'compressions': int(self.value('memory', Memory.COMPRESSIONS)),
                       'compress_failures': int(self.value('memory', Memory.COMPRESS_FAILURES)),
                       'insert_failures': int(self.value('memory', Memory.INSERT_FAILURES)),
                       'compression_ratio': round(float(stats.compression_ratio), 1),
                       'counts': counts},
            # the nodes' own counters, under their /diagnostics keys
            'perception': {str(k): p.get(k) for k in (
                P.AUDIO_MSGS, P.AUDIO_PROCESSED, P.AUDIO_DROPPED, P.AUDIO_BAD, P.FRAMES_IN,
                P.FRAMES_PROCESSED, P.FRAMES_DROPPED, P.FRAMES_BAD, P.UTTERANCES, P.QUERIES,
                P.GOALS_SENT, P.SOUND_EVENTS, P.CLIPS, P.INSERTED, P.INSERT_DROPPED,
                P.INSERT_FAILURES, P.LISTENER('self_voice_dropped'),
                P.LISTENER('not_speech_dropped'))},
            'reasoning': {str(k): r.get(k) for k in (
                Reasoning.GOALS, Reasoning.SUCCEEDED, Reasoning.CANCELED, Reasoning.ABORTED,
                Reasoning.REJECTED, Reasoning.DIRECT, Reasoning.MODEL)},
            'driver': {'clips_inserted': self.inserted, 'insert_failures': self.insert_failures,
                       'questions': len(self.answers), 'gate_timeouts': self.gate_timeouts,
                       'answer_statuses': sorted({s for _, s in self.answers})},
            'memory_node_counters': {str(k): m.get(k) for k in (
                Memory.INSERTED, Memory.RETRIEVALS, Memory.FORGOTTEN)},
        }

    def run(self) -> int:
        cfg = self.cfg
        stream = SyntheticStream(cfg.stream_minutes * 60, chunk_s=cfg.chunk_s,
                                 frame_period_s=cfg.frame_period_s)
        from omnilive.ros.harness import isolate
        domain = isolate()  # on this machine, and on a domain of its own: it publishes /clock
        self.say(f'omnilive soak: {cfg.stream_minutes:.0f} min of synthetic stream on ROS domain '
                 f'{domain}; graph log and report in {self.workdir}')
        self.start()
        try:
            self.wait_ready()
            self.t0 = time.monotonic()
            self.t_stream0 = 1_000_000.0  # stream time 0 on the sim clock (well after t=0)
            threading.Thread(target=self._sampler, daemon=True).start()
            self.feed(stream)
            self.finish()
            self.say(self.line(self.sample()))
            report = self.report()
            report['samples'] = self.samples
            (self.workdir / 'soak.json').write_text(json.dumps(report, indent=1))
        finally:
            self._stop.set()
            self.graph.close()
        return verdict(report, self.out)

def verdict(report: dict, out=sys.stdout) -> int:
    """Print the figures of a soak report; 1 when a node restarted, memory ended over its item
    budget, or a node's resident memory, open files or threads grew."""
    def say(text: str) -> None:
        out.write(text + '\n')
        out.flush()
    say('')
    say(f'{report["stream_hours"]:.2f} h of stream in {report["wall_minutes"]:.0f} min '
        f'({report["speed_x_real_time"]}x real time); restarts {report["restarts"]}')
    say(f'{"node":<11} {"RSS MB warm/end/max":>22} {"MB per h":>9} {"fds warm/end/max":>18} '
        f'{"threads warm/end/max":>21}')
    for node, f in report['nodes'].items():
        rss, fds, thr = f['rss_mb'], f['fds'], f['threads']
        say(f'{node:<11} {rss["after_warmup"]:>8.0f}/{rss["end"]:.0f}/{rss["max"]:.0f}'
            f'{rss["growth_per_stream_hour"]:>13.1f} '
            f'{fds["after_warmup"]:>8.0f}/{fds["end"]:.0f}/{fds["max"]:.0f}'
            f'{thr["after_warmup"]:>13.0f}/{thr["end"]:.0f}/{thr["max"]:.0f}')
    mem = report['memory']
    say(f'memory: {mem["items"]} items (budget {mem["budget_items"]}, most sampled '
        f'{mem["max_items_sampled"]}), {mem["bytes"] / 1e6:.1f} MB on disk (budget '
        f'{mem["budget_bytes"] / 1e6:.1f} MB counted), {mem["compressions"]} '
        f'compressions, ratio {mem["compression_ratio"]}x, {mem["counts"]}')
    say(f'perception: {report["perception"]}')
    say(f'reasoning: {report["reasoning"]}; driver: {report["driver"]}')
    problems = []
    if any(report['restarts'].values()):
        problems.append('a node restarted')
    if mem['items'] > mem['budget_items']:
        problems.append('memory over its item budget after compression')
    judge_rss = report['stream_hours'] >= MIN_HOURS_TO_JUDGE_RSS
    if not judge_rss:
        say(f'(resident memory not judged: under {MIN_HOURS_TO_JUDGE_RSS} h of stream, '
            'warm-up dominates)')
    for node, f in report['nodes'].items():
        rss = f['rss_mb']
        if judge_rss and \
                rss['growth_per_stream_hour'] > RSS_GROWTH_PER_HOUR * rss['after_warmup']:
            problems.append(f'{node}: resident memory grew '
                            f'{rss["growth_per_stream_hour"]:.0f} MB per stream hour')
        if f['fds']['end'] - f['fds']['after_warmup'] > 10:
            problems.append(f'{node}: open files grew')
        if f['threads']['end'] - f['threads']['after_warmup'] > 10:
            problems.append(f'{node}: threads grew')
    steady = 'resident memory, open files' if judge_rss else 'open files'
    say('verdict: ' + ('; '.join(problems) if problems else 'flat: no restarts, memory '
                       f'within budget, {steady} and threads steady'))
    return 1 if problems else 0


def duration_text(seconds: float) -> str:
    """A stream duration as hours:minutes:seconds (hours past 23 as they are: 27:05:00)."""
    s = int(seconds)
    return f'{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive soak', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    d = SoakConfig()
    parser.add_argument('--minutes', type=float, default=d.stream_minutes,
                        help='stream time to replay (default: 120 = 2 h)')
    parser.add_argument('--workdir', default='', help='graph log, memory and soak.json '
                        '(default: a new temporary directory)')
    parser.add_argument('--namespace', default=d.namespace)
    parser.add_argument('--profile', default=d.profile)
    parser.add_argument('--sample-s', type=float, default=d.sample_s,
                        help='wall seconds between /proc samples')
    parser.add_argument('--print-every', type=float, default=d.print_every_min,
                        help='stream minutes between printed lines')
    parser.add_argument('--budget-items', type=int, default=d.budget_items)
    parser.add_argument('--budget-bytes', type=int, default=d.budget_bytes)
    parser.add_argument('--frame-period', type=float, default=d.frame_period_s,
                        help='stream seconds between camera frames')
    parser.add_argument('--summarize', metavar='SOAK_JSON',
                        help='print the figures and verdict of a saved soak.json again '
                        '(with this version\'s summary) and exit')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.summarize:
        report = json.loads(Path(args.summarize).read_text())
        report['nodes'] = summarize(report['samples'])
        return verdict(report)
    cfg = SoakConfig(stream_minutes=args.minutes, namespace=args.namespace, profile=args.profile,
                     workdir=args.workdir, sample_s=args.sample_s,
                     print_every_min=args.print_every, budget_items=args.budget_items,
                     budget_bytes=args.budget_bytes, frame_period_s=args.frame_period)
    return Soak(cfg).run()
