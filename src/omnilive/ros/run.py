"""`omnilive run`: start the node graph as processes, the way `ros2 launch` would, on machines
without ros2 launch. Same executables, names, parameter files and remappings (omnilive.ros.graph);
restarts a node that crashes (like launch's respawn), stops when a node cannot start (a
configuration or model error, exit code graph.EXIT_CONFIG) and stops every node on Ctrl-C,
SIGTERM or SIGHUP (omnilive.ros.supervisor).
"""
from __future__ import annotations

import argparse
import sys

from omnilive.ros import graph
from omnilive.ros.supervisor import Supervisor


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='omnilive run', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, (default, description) in graph.ARGUMENTS.items():
        parser.add_argument('--' + name.replace('_', '-'), dest=name, default=default,
                            help=f'{description} (default: {default})')
    parser.add_argument('--param', action='append', default=[], metavar='NODE:NAME=VALUE',
                        help='set a parameter of one node, e.g. memory:storage_path=/data/mem')
    parser.add_argument('--print', dest='print_only', action='store_true',
                        help='print the node commands and exit')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        parameters = graph.parse_node_params(args.param)
    except ValueError as err:
        print(f'omnilive run: {err}', file=sys.stderr)
        return 2
    try:
        specs = graph.nodes({name: getattr(args, name) for name in graph.ARGUMENTS}, parameters)
    except (KeyError, FileNotFoundError) as err:
        print(f'omnilive run: {err.args[-1] if isinstance(err, KeyError) else err}',
              file=sys.stderr)
        return 2
    supervisor = Supervisor(specs)
    if args.print_only:
        for spec in specs:
            print(' '.join(supervisor.command(spec)))
        return 0
    return supervisor.run_forever()
