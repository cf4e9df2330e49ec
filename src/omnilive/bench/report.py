"""Figures of `omnilive bench`: each measured value beside a baseline measured in the same run,
their ratio and, where the issue sets one, the target and whether it is met; rendered as JSON
(bench.json) and as the Markdown of docs/benchmarks.md."""
from __future__ import annotations

import dataclasses
import os
import platform
import sys
import time
from pathlib import Path
from typing import Optional

import numpy as np


@dataclasses.dataclass
class Figure:
    name: str
    value: Optional[float]
    unit: str
    baseline: Optional[float] = None
    baseline_name: str = ''
    target: str = ''               # human-readable, e.g. '<= 2.5 s and <= 0.6x'
    met: Optional[bool] = None     # None: no target
    note: str = ''

    @property
    def ratio(self) -> Optional[float]:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d['ratio'] = None if self.ratio is None else round(self.ratio, 4)
        return d


@dataclasses.dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = dataclasses.field(default_factory=list)
    details: dict = dataclasses.field(default_factory=dict)   # raw measurements, per-item data
    notes: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    error: str = ''

    def add(self, *args, **kwargs) -> Figure:
        figure = Figure(*args, **kwargs)
        self.figures.append(figure)
        return figure

    def to_dict(self) -> dict:
        return {'title': self.title, 'seconds': round(self.seconds, 1), 'error': self.error,
                'figures': [f.to_dict() for f in self.figures], 'notes': self.notes,
                'details': self.details}


def percentiles(values, qs=(50, 95)) -> list[Optional[float]]:
    values = [v for v in values if v is not None]
    if not values:
        return [None for _ in qs]
    return [float(np.percentile(values, q)) for q in qs]


def machine() -> dict:
    cpu = platform.processor() or ''
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    info = {'cpu': cpu, 'cores': os.cpu_count(), 'python': sys.version.split()[0],
            'os': platform.platform(),
            'load_average_at_start': [round(x, 2) for x in os.getloadavg()]}
    try:
        import psutil
        info['memory_gib'] = round(psutil.virtual_memory().total / 2 ** 30, 1)
    except ImportError:
        pass
    try:
        os_release = dict(line.rstrip().split('=', 1) for line in open('/etc/os-release')
                          if '=' in line)
        info['distribution'] = os_release.get('PRETTY_NAME', '').strip('"')
    except OSError:
        pass
    return info


def _fmt(value: Optional[float], unit: str = '') -> str:
    if value is None:
        return '–'
    if isinstance(value, float) and not value.is_integer() or abs(value) < 10:
        text = f'{value:.3g}' if abs(value) < 100 else f'{value:,.0f}'
    else:
        text = f'{value:,.0f}'
    return f'{text} {unit}'.strip()


def markdown(report: dict) -> str:
    m = report['machine']
    lines = ['# Benchmarks', '',
             'Written by `omnilive bench` (src/omnilive/bench/main.py): every figure is measured '
             'beside a baseline in the same run and reported as a ratio, because these machines '
             'are noisy. Regenerate with the command below; `--quick` runs the same figures at '
             'reduced sizes.', '',
             '## Machine and command', '',
             f'- CPU: {m.get("cpu")}, {m.get("cores")} cores, {m.get("memory_gib", "?")} GiB RAM, '
             f'no GPU; {m.get("distribution", m.get("os"))}; Python {m.get("python")}',
             f'- load average when the run started: {m.get("load_average_at_start")}'
             + (f'; {report["shared_note"]}' if report.get('shared_note') else ''),
             ]
    commands = list(dict.fromkeys(s.get('command', report['command'])
                                  for s in report['sections'].values()))
    for command in commands:
        keys = [k for k, s in report['sections'].items()
                if s.get('command', report['command']) == command]
        when = min(s.get('started', report['started'])
                   for k, s in report['sections'].items() if k in keys)
        minutes = sum(report['sections'][k].get('seconds', 0) for k in keys) / 60
        lines.append(f'- command: `{command}` ({when}, {minutes:.0f} min; '
                     f'figures: {", ".join(keys)})')
    lines.append('')
    for key, section in report['sections'].items():
        lines += [f'## {section["title"]}', '']
        if section.get('error'):
            lines += [f'**Not measured:** {section["error"]}', '']
        if section['figures']:
            lines += ['| figure | value | baseline | ratio | target | met |',
                      '|---|---|---|---|---|---|']
            for f in section['figures']:
                base = f'{_fmt(f["baseline"], f["unit"])} ({f["baseline_name"]})' \
                    if f['baseline'] is not None else '–'
                ratio = f'{f["ratio"]:.3g}x' if f['ratio'] is not None else '–'
                met = {True: 'yes', False: '**MISSED**', None: ''}[f['met']]
                name = f['name'] + (f' — {f["note"]}' if f.get('note') else '')
                lines.append(f'| {name} | {_fmt(f["value"], f["unit"])} | {base} | {ratio} | '
                             f'{f["target"]} | {met} |')
            lines.append('')
        for note in section.get('notes', []):
            lines += [note, '']
        load = section.get('details', {}).get('load_average_at_end')
        minutes = section.get('seconds', 0) / 60
        lines += [f'*{minutes:.1f} min; machine load average (1, 5, 15 min) '
                  f'when this section ended: {load}*', '']
    return '\n'.join(lines).rstrip() + '\n'


def now_text() -> str:
    return time.strftime('%Y-%m-%d %H:%M %Z')


def disk_bytes(root: Path) -> dict:
    """Bytes of a memory directory on disk by part (database, index, keyframes) and in total."""
    files = {'database': ['memory.sqlite3', 'memory.sqlite3-wal', 'memory.sqlite3-shm'],
             'index': ['index.faiss', 'index.json']}
    out = {part: sum((root / f).stat().st_size for f in names if (root / f).exists())
           for part, names in files.items()}
    out['keyframes'] = sum(p.stat().st_size for p in (root / 'keyframes').iterdir() if p.is_file())
    out['total'] = sum(out.values())
    return out
