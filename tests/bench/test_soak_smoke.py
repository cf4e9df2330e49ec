"""`omnilive soak` end to end with a tiny stream: the whole graph comes up, the stream is
processed without drops or restarts, and the command prints and saves its figures. (The soak
itself is a command, not a test: see docs/reliability.md.)"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from omnilive.bench.soak import SyntheticStream, process_figures, summarize
from omnilive.util.diagnostics import Perception as P


def test_synthetic_stream_is_ordered_and_complete():
    stream = SyntheticStream(1200, chunk_s=0.5, frame_period_s=2.0, clip_period_s=3.0)
    events = list(stream.events())
    audio = [t for k, t, _ in events if k == 'audio']
    assert audio == sorted(audio) and len(audio) == 2400
    assert sum(k == 'frame' for k, _, _ in events) == 600
    assert sum(k == 'clip' for k, _, _ in events) == 400
    assert [k for k, _, _ in events if k in ('ask', 'note')] == ['ask', 'ask']
    pcm = np.concatenate([p for k, _, p in events if k == 'audio']).astype(np.float32)
    assert np.abs(pcm[:16000 * 60]).max() < 300            # a quiet room for the first minute
    assert 0.001 < (np.abs(pcm) > 3000).mean() < 0.05      # then spoken lines and rings


def test_process_figures_and_summary():
    me = process_figures(os.getpid())
    assert me['rss_mb'] > 10 and me['threads'] >= 1 and me['fds'] >= 3
    assert process_figures(2 ** 22 + 12345) is None  # no such process
    samples = [{'stream_s': t, 'nodes': {'a': {'rss_mb': 100 + t / 360, 'threads': 5, 'fds': 9}}}
               for t in range(0, 3601, 360)]
    summary = summarize(samples)['a']
    assert summary['rss_mb']['growth_per_stream_hour'] == pytest.approx(10, abs=0.1)
    assert summary['fds']['max'] == 9 and summary['threads']['growth_per_stream_hour'] == 0


@pytest.mark.ros
@pytest.mark.models
@pytest.mark.slow
def test_soak_command_runs_a_short_stream(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), 'omnilive')
    run = subprocess.run([exe, 'soak', '--minutes', '2', '--sample-s', '3', '--print-every', '1',
                          '--workdir', str(tmp_path), '--namespace', 'soaksmoke'],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert 'verdict: flat' in run.stdout and 'RSS MB' in run.stdout
    report = json.loads((tmp_path / 'soak.json').read_text())
    assert set(report['nodes']) == {'memory', 'perception', 'reasoning', 'tts'}
    assert report['stream_hours'] == pytest.approx(2 / 60, abs=0.01)
    p = report['perception']  # perception's counters, under their /diagnostics keys
    assert int(p[P.AUDIO_PROCESSED]) == int(p[P.AUDIO_MSGS]) == 240
    assert int(p[P.FRAMES_PROCESSED]) == int(p[P.FRAMES_IN]) == 60
    assert int(p[P.AUDIO_DROPPED]) == int(p[P.FRAMES_DROPPED]) == int(p[P.INSERT_DROPPED]) == 0
    assert report['driver']['clips_inserted'] == 40 and not any(report['restarts'].values())
    assert report['memory']['compressions'] >= 1
