"""`omnilive bench [--quick] [--out DIR] [--only a,b] [--doc PATH]`: the numbers users choose
omnilive by, each printed beside a baseline measured in the same run and their ratio.

    latency     spoken question -> first spoken sentence, full graph, vs the sequential flow
    asr         Whisper per utterance and WER, short encoder window vs the fixed 30 s window
    capacity    perception at 30 fps camera + 16 kHz microphone, 1x and faster
    retrieval   memory/retrieve at 10k/100k real descriptors, the index alone up to 1M
    fleet       retrieval on a real Milvus server beside the default store, 10k/100k
    memory      bytes per hour of stream and planted-fact accuracy, compressed vs not
    memory_real the same on an hour of real media through perception's vision path (slow)
    eval        realtime factor of `omnilive eval` on the demo bag at --rate max

Writes bench.json to --out (default ~/.cache/omnilive/bench/) and the Markdown table to --doc
(default docs/benchmarks.md in the source tree). `--quick` runs every figure at reduced sizes.
Graphs run on this machine only (ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST) on a domain of their own.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from omnilive.bench.report import Section, machine, markdown, now_text

SIZES = {
    'full': {'questions': 24, 'memory_hours_latency': 1.0, 'capacity_s': 60.0,
             'capacity_rates': [1.0, 2.0, 4.0, 8.0], 'store_sizes': [10_000, 100_000],
             'index_sizes': [10_000, 100_000, 1_000_000], 'retrieve_queries': 200,
             'fleet_sizes': [10_000, 100_000], 'fleet_index_sizes': [100_000],
             'memory_hours': 8.0, 'asr_questions': 24, 'eval_baseline': True,
             'memory_real_minutes': 60.0},
    'quick': {'questions': 6, 'memory_hours_latency': 0.5, 'capacity_s': 20.0,
              'capacity_rates': [1.0, 2.0], 'store_sizes': [10_000], 'index_sizes': [100_000],
              'fleet_sizes': [10_000], 'fleet_index_sizes': [100_000],
              'retrieve_queries': 60, 'memory_hours': 1.0, 'asr_questions': 8,
              'eval_baseline': False, 'eval_until': 48.0, 'memory_real_minutes': 3.0},
    # the smoke test: library figures only, in seconds
    'tiny': {'store_sizes': [], 'index_sizes': [2_000], 'retrieve_queries': 20,
             'memory_hours': 0.2, 'asr_questions': 2},
}
TITLES = {
    'latency': '1. Spoken question to first spoken sentence',
    'asr': '1b. Speech recognition per utterance (the main lever of figure 1)',
    'capacity': '2. Perception capacity',
    'retrieval': '3. Retrieval at scale',
    'fleet': '3b. Fleet memory: retrieval on a Milvus server (issue 19)',
    'memory': '4. Memory growth',
    'memory_real': '4b. Memory growth on a real stream',
    'eval': '5. Evaluation speed',
}
ORDER = ['latency', 'asr', 'capacity', 'retrieval', 'fleet', 'memory', 'memory_real', 'eval']


def default_out() -> Path:
    from omnilive.models.registry import cache_dir
    return cache_dir().parent / 'bench'


def run_latency(section, size, work, log, overrides=None):
    from omnilive.bench.latency import latency_figures
    latency_figures(section, size['questions'], size['memory_hours_latency'], work, log,
                    overrides=overrides)


def run_asr(section, size, work, log):
    from omnilive.bench.asr import asr_figures
    asr_figures(section, size['asr_questions'], log)


def run_capacity(section, size, work, log):
    from omnilive.bench.perception import capacity_figures
    capacity_figures(section, size['capacity_s'], size['capacity_rates'], work, log)


def run_retrieval(section, size, work, log):
    from omnilive.bench.retrieval import call_figures, index_figures, query_figures
    query_figures(section, size['retrieve_queries'], log)
    if size['store_sizes']:
        call_figures(section, size['store_sizes'], size['retrieve_queries'], work, log)
    index_figures(section, size['index_sizes'], size['retrieve_queries'], log=log)


def run_fleet(section, size, work, log):
    from omnilive.bench.fleet import fleet_figures
    fleet_figures(section, size.get('fleet_sizes', [2_000]), min(size['retrieve_queries'], 100),
                  work, log, index_sizes=size.get('fleet_index_sizes', []))


def run_memory(section, size, work, log):
    from omnilive.bench.memory import memory_figures
    memory_figures(section, size['memory_hours'], work, log)


def run_memory_real(section, size, work, log):
    from omnilive.bench.memory_real import memory_real_figures
    memory_real_figures(section, size['memory_real_minutes'], work, log=log)


def run_eval(section, size, work, log):
    """`omnilive eval` as a user runs it, on the demo bag and the demo questions."""
    from omnilive.bags.make import demo_bag
    from omnilive.paths import SOURCE_ROOT
    questions = SOURCE_ROOT / 'tests' / 'data' / 'demo_questions.yaml'
    if not questions.is_file():
        raise FileNotFoundError(f'{questions} not found (the demo evaluation set)')
    bag, truth = demo_bag(work)
    rates = ['max'] + (['1.0'] if size.get('eval_baseline') else [])
    factors = {}
    for rate in rates:
        out = work / f'eval-{rate}'
        cmd = [sys.executable, '-m', 'omnilive.cli', 'eval', str(bag), str(questions),
               '--out', str(out), '--rate', rate, '--no-progress']
        if size.get('eval_until'):
            cmd += ['--until', str(size['eval_until'])]
        log(f'[eval] {" ".join(cmd[2:])}')
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f'omnilive eval exited {run.returncode}: {" / ".join(tail)}')
        summary = json.loads((out / 'report.json').read_text())['summary']
        factors[rate] = summary
        log(f'[eval]   realtime factor {summary.get("realtime_factor")} at --rate {rate}')
    ours = factors['max']['realtime_factor']
    base = factors['1.0']['realtime_factor'] if '1.0' in factors else 1.0
    section.add('realtime factor at --rate max (bag seconds per wall second)', ours, 'x', base,
                'measured at --rate 1.0' if '1.0' in factors else 'real time (nominal, --quick)',
                note=f'accuracy {factors["max"].get("accuracy")}')
    section.details.update(summaries=factors, bag=str(bag))


RUNNERS = {'latency': run_latency, 'asr': run_asr, 'capacity': run_capacity,
           'retrieval': run_retrieval, 'fleet': run_fleet,
           'memory': run_memory, 'memory_real': run_memory_real,
           'eval': run_eval}


# the figures that start the node graph take `--param` overrides (the others call the library)
GRAPH_RUNNERS = {'latency'}


def run(sections: list[str], size_name: str, out: Path, log=print, command: str = '',
        overrides: dict | None = None) -> dict:
    from omnilive.ros.harness import isolate
    isolate()
    size = SIZES[size_name]
    out.mkdir(parents=True, exist_ok=True)
    report = {'command': command, 'quick': size_name != 'full', 'size': size_name,
              'started': now_text(), 'machine': machine(), 'sections': {}}
    t0 = time.monotonic()
    for key in sections:
        section = Section(key, TITLES[key])
        started = now_text()
        work = out / 'work' / key
        work.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        log(f'=== {section.title}')
        try:
            if key in GRAPH_RUNNERS:
                RUNNERS[key](section, size, work, log, overrides=overrides)
            else:
                RUNNERS[key](section, size, work, log)
        except Exception as err:  # one failing figure must not lose the others
            section.error = f'{type(err).__name__}: {err}'
            section.details['traceback'] = traceback.format_exc()
            log(f'[{key}] FAILED: {section.error}')
        section.seconds = time.monotonic() - start
        section.details['load_average_at_end'] = [round(x, 2) for x in os.getloadavg()]
        report['sections'][key] = dict(section.to_dict(), command=command, started=started)
        print_section(section.to_dict(), log)
        report['seconds'] = time.monotonic() - t0
        (out / 'bench.json').write_text(json.dumps(report, indent=1, default=float))
    return report


def print_section(section: dict, log=print) -> None:
    for f in section['figures']:
        ratio = f'{f["ratio"]:.3g}x' if f['ratio'] is not None else '-'
        value = '-' if f['value'] is None else f'{f["value"]:.4g}'
        base = '-' if f['baseline'] is None else f'{f["baseline"]:.4g}'
        met = {True: ' [target met]', False: ' [TARGET MISSED]', None: ''}[f['met']]
        log(f'  {f["name"]}: {value} {f["unit"]} | baseline ({f["baseline_name"]}) {base} | '
            f'ratio {ratio}{" | target " + f["target"] if f["target"] else ""}{met}')
    if section.get('error'):
        log(f'  not measured: {section["error"]}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive bench', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--quick', action='store_true', help='every figure at reduced sizes')
    parser.add_argument('--out', type=Path, default=None,
                        help='directory for bench.json and work files '
                        '(default ~/.cache/omnilive/bench)')
    parser.add_argument('--only', default='', help=f'comma-separated figures of {ORDER}')
    parser.add_argument('--doc', type=Path, default=None,
                        help='Markdown output (default docs/benchmarks.md of the source tree; '
                             "'-' for none)")
    parser.add_argument('--param', action='append', default=[], metavar='NODE:NAME=VALUE',
                        help='override a node parameter in every graph the figures start (both '
                             'runs of latency), e.g. reasoning:llm.model=qwen2.5-coder-0.5b')
    parser.add_argument('--note', default='', help='a note on the machine for the Markdown, '
                        'e.g. "shared with two other developers"')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    sections = [s for s in args.only.split(',') if s] or ORDER
    unknown = set(sections) - set(ORDER)
    if unknown:
        parser.error(f'unknown figures {sorted(unknown)}; choose from {ORDER}')
    from omnilive.ros.graph import parse_node_params
    try:
        overrides = parse_node_params(args.param)
    except ValueError as err:
        parser.error(str(err))
    out = (args.out or default_out()).expanduser()
    command = 'omnilive bench ' + ' '.join(sys.argv[1:] if argv is None else argv)
    previous = out / 'bench.json'
    previous = json.loads(previous.read_text()) if args.only and previous.is_file() else None
    report = run(sections, 'quick' if args.quick else 'full', out, command=command.strip(),
                 overrides=overrides)
    report['shared_note'] = args.note
    if previous:  # --only re-measures some figures: keep the others from the last run
        kept = {k: {'command': previous['command'], 'started': previous['started'], **v}
                for k, v in previous['sections'].items() if k not in report['sections']}
        merged = {**kept, **report['sections']}
        report['sections'] = {k: merged[k] for k in ORDER if k in merged}
        report['shared_note'] = args.note or previous.get('shared_note', '')
    (out / 'bench.json').write_text(json.dumps(report, indent=1, default=float))
    if str(args.doc) != '-':
        from omnilive.paths import SOURCE_ROOT
        doc = args.doc or SOURCE_ROOT / 'docs' / 'benchmarks.md'
        doc.write_text(markdown(report))
        print(f'wrote {out / "bench.json"} and {doc}')
    missed = [f['name'] for s in report['sections'].values() for f in s['figures']
              if f['met'] is False]
    failed = [k for k, s in report['sections'].items() if s['error']]
    print(f'targets missed: {missed or "none"}; figures not measured: {failed or "none"}')
    return 0 if not failed else 1


if __name__ == '__main__':
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    sys.exit(main())
