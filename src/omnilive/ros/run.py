"""`omnilive run`: start the node graph as processes, the way `ros2 launch` would, on machines
without ros2 launch. Same executables, names, parameter files and remappings (omnilive.ros.graph);
restarts a node that exits (like launch's respawn) and stops all cleanly on Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from omnilive.ros import graph


def executable_path(name: str) -> str:
    """A console script of this package: next to this Python (venv), in lib/omnilive (colcon), or on PATH."""
    candidates = [Path(sys.executable).parent / name,
                  Path(sys.prefix) / 'lib' / graph.PACKAGE / name]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f'executable {name!r} not found (looked in {candidates} and PATH): '
                                'install omnilive (bash scripts/setup.sh)')
    return found


def fastdds_profile() -> Path:
    from omnilive.paths import share_dir
    return share_dir() / 'config' / 'fastdds.xml'


class Supervisor:
    """Runs NodeSpecs as child processes, relays their output with a name prefix, respawns."""

    def __init__(self, specs: list[graph.NodeSpec], out=sys.stdout, env: dict | None = None):
        self.specs = {spec.name: spec for spec in specs}
        self.procs: dict[str, subprocess.Popen] = {}
        self.restarts = {name: 0 for name in self.specs}
        self.out = out
        self.env = {**os.environ, **(env or {})}
        # transports sized for raw camera frames, unless the user configured Fast DDS already
        self.env.setdefault('FASTDDS_DEFAULT_PROFILES_FILE', str(fastdds_profile()))
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def log(self, name: str, line: str) -> None:
        with self._lock:
            self.out.write(f'[{name}] {line}\n')
            self.out.flush()

    def command(self, spec: graph.NodeSpec) -> list[str]:
        return [executable_path(spec.executable)] + spec.ros_args()

    def start(self, name: str) -> None:
        spec = self.specs[name]
        proc = subprocess.Popen(self.command(spec), env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1,
                                start_new_session=True)  # Ctrl-C reaches children only through us
        self.procs[name] = proc
        self.log('run', f'started {name} (pid {proc.pid}): {" ".join(self.command(spec))}')
        threading.Thread(target=self._relay, args=(name, proc), daemon=True).start()

    def _relay(self, name: str, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.log(name, line.rstrip())

    def start_all(self) -> None:
        for name in self.specs:
            self.start(name)

    def poll(self) -> None:
        """Respawn nodes that exited while the graph is meant to run."""
        for name, proc in list(self.procs.items()):
            code = proc.poll()
            if code is None or self._stopping.is_set():
                continue
            spec = self.specs[name]
            self.log('run', f'{name} exited with code {code}')
            if not spec.respawn:
                del self.procs[name]
                continue
            time.sleep(spec.respawn_delay)
            if self._stopping.is_set():
                return
            self.restarts[name] += 1
            self.log('run', f'respawning {name} (restart #{self.restarts[name]})')
            self.start(name)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log('run', f'{name} did not stop on SIGINT within {timeout:.0f} s: killing')
                proc.kill()
                proc.wait()

    def run_forever(self) -> None:
        def on_signal(signum, frame):
            raise KeyboardInterrupt
        signal.signal(signal.SIGTERM, on_signal)
        self.start_all()
        try:
            while True:
                self.poll()
                time.sleep(0.2)
        except KeyboardInterrupt:
            self.log('run', 'stopping the graph')
        finally:
            self.stop()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='omnilive run', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, (default, description) in graph.ARGUMENTS.items():
        parser.add_argument('--' + name.replace('_', '-'), dest=name, default=default,
                            help=f'{description} (default: {default})')
    parser.add_argument('--only', default='',
                        help='comma-separated node names to start (default: all)')
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
        specs = graph.nodes({name: getattr(args, name) for name in graph.ARGUMENTS}, parameters,
                            only=args.only.split(',') if args.only else None)
    except KeyError as err:
        print(f'omnilive run: {err.args[0]}', file=sys.stderr)
        return 2
    supervisor = Supervisor(specs)
    if args.print_only:
        for spec in specs:
            print(' '.join(supervisor.command(spec)))
        return 0
    supervisor.run_forever()
    return 0
