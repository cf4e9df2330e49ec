"""Process accounting for the graph benchmarks (graphs start with omnilive.ros.harness): CPU
share per node process (psutil) and where a node spends its time (py-spy)."""
from __future__ import annotations

import time
from pathlib import Path


class CpuMeter:
    """CPU seconds used by processes (and their children) between start() and stop()."""

    def __init__(self, pids: dict[str, int]):
        import psutil
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self._start: dict[str, float] = {}
        self._t0 = 0.0

    def _cpu(self, proc) -> float:
        try:
            times = proc.cpu_times()
            return times.user + times.system
        except Exception:  # the process ended
            return 0.0

    def start(self) -> None:
        self._start = {name: self._cpu(p) for name, p in self.procs.items()}
        self._t0 = time.monotonic()

    def stop(self) -> dict[str, float]:
        """Share of one core used by each process since start() (1.0 = one core busy)."""
        wall = max(1e-9, time.monotonic() - self._t0)
        return {name: (self._cpu(p) - self._start.get(name, 0.0)) / wall
                for name, p in self.procs.items()}


class PySpy:
    """py-spy sampling a node process while a figure is measured; `stop()` returns where its time
    went (share of samples per function, leaf = self time, and inclusive)."""

    def __init__(self, pid: int, out: Path, native: bool = False, rate: int = 50):
        import subprocess
        import sys
        exe = Path(sys.executable).with_name('py-spy')
        self.out = Path(out)
        cmd = [str(exe), 'record', '--pid', str(pid), '--rate', str(rate), '--format', 'raw',
               '--output', str(self.out), '--nonblocking'] + (['--native'] if native else [])
        self.log = open(self.out.with_suffix('.log'), 'w')
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self, top: int = 8) -> dict:
        import signal
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except Exception:
            self.proc.kill()
        self.log.close()
        return summarize_collapsed(self.out, top)


def _frame_name(frame: str) -> str:
    """'encode (sentence_transformers/SentenceTransformer.py:1050)'
    -> 'encode (SentenceTransformer.py)'"""
    name, _, where = frame.partition(' (')
    where = where.rstrip(')').rsplit(':', 1)[0]
    return f'{name} ({Path(where).name})' if where else name


def summarize_collapsed(path: Path, top: int = 8) -> dict:
    """Self and inclusive shares of the busiest functions in a py-spy raw (collapsed) profile,
    idle waits left out."""
    if not Path(path).is_file():
        return {'error': f'no profile written ({Path(path).with_suffix(".log")})'}
    leaf, inclusive, ours, total = {}, {}, {}, 0
    idle = ('wait (threading.py)', 'select (selectors.py)', '_wait_for_tstate_lock (threading.py)',
            'sleep', 'get (queue.py)', 'spin_once', '_spin_once_impl',
            'Executor._wait_for_ready_callbacks', '_worker (thread.py)', 'Condition.wait')
    for line in Path(path).read_text(errors='replace').splitlines():
        stack, _, count = line.rpartition(' ')
        if not count.isdigit():
            continue
        raw = stack.split(';')
        frames = [_frame_name(f) for f in raw]
        if not frames or any(frames[-1].startswith(i) for i in idle):
            continue
        n = int(count)
        total += n
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + n
        for f in set(frames):
            inclusive[f] = inclusive.get(f, 0) + n
        for f in {_frame_name(f) for f in raw if '(omnilive/' in f and '/entry.py' not in f
                  and '/node_util.py' not in f and '_worker (' not in f}:
            ours[f] = ours.get(f, 0) + n  # omnilive's own library code: which stage
    if not total:
        return {'error': 'no busy samples'}

    def best(counts: dict) -> list:
        return [(f, round(c / total, 3))
                for f, c in sorted(counts.items(), key=lambda kv: -kv[1])[:top]]

    return {'busy_samples': total, 'self': best(leaf), 'inclusive': best(inclusive),
            'omnilive': best(ours)}


def profile_note(title: str, summary: dict, top: int = 5) -> str:
    """One Markdown line from a summarize_collapsed() result."""
    if 'error' in summary:
        return f'{title}: {summary["error"]}.'
    parts = ', '.join(f'{share:.0%} {name}' for name, share in summary['self'][:top])
    stages = ', '.join(f'{share:.0%} {name}' for name, share in summary.get('omnilive', [])[:8])
    return (f'{title} ({summary["busy_samples"]} busy samples), self time: {parts}'
            + (f'; inclusive, in omnilive\'s library code: {stages}' if stages else '') + '.')
