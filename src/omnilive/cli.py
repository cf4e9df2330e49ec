"""The `omnilive` command: one entry point, a subcommand per tool.

Each subcommand lives with its concern and exposes `main(argv) -> int`; this module only
dispatches, so `omnilive --help` stays fast (nothing heavy is imported until a subcommand runs).
"""
from __future__ import annotations

import importlib
import sys

SUBCOMMANDS = {
    'models': ('omnilive.models.cli', 'provision and check the model set (install, check, path)'),
    'run': ('omnilive.ros.run', 'start the node graph without ros2 launch'),
    'ask': ('omnilive.ros.ask', 'ask a running graph a question and stream the answer'),
    'memory': ('omnilive.ros.memory_cli',
               'search or show stats of a memory (running graph or store)'),
    'demo': ('omnilive.eval.demo', 'build the demo bag, run the full graph on it, ask questions'),
    'bag': ('omnilive.bags.make', 'build a bag from a video, audio files and a timed script'),
    'soak': ('omnilive.bench.soak',
             'run the graph on hours of synthetic stream; print RSS, files, threads'),
    'eval': ('omnilive.eval.evaluate', 'replay a bag with timed questions, score the answers'),
    'record': ('omnilive.bags.record',
               'record live topics into a bag (where ros2 bag is missing)'),
    'bench': ('omnilive.bench.main', 'benchmarks: latency, capacity, retrieval, memory growth'),
}


def usage() -> str:
    lines = ['usage: omnilive <command> [args]', '', 'commands:']
    lines += [f'  {name:<8} {help_}' for name, (_, help_) in SUBCOMMANDS.items()]
    return '\n'.join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ('-h', '--help', 'help'):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        print(f'omnilive: unknown command {name!r}\n\n{usage()}', file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[name][0])
    return int(module.main(rest) or 0)


if __name__ == '__main__':
    sys.exit(main())
