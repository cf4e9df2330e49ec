"""The node graph as supervised child processes: what `ros2 launch` does for bringup, for every
omnilive command that starts nodes (`run`, `eval`, `demo`, `bench`, `soak`) and the tests.

- A node that exits is noticed at once (a monitor thread waits on every child), with its exit
  code or the signal that killed it (`reasoning exited (SIGSEGV)`).
- It is restarted after a signal or an unexpected exit code; a node that exits with
  `graph.EXIT_CONFIG` (a missing model, a damaged database: restarting cannot help) is not, and
  the supervisor reports the graph as failed with that node's last output lines.
- SIGTERM, SIGINT and SIGHUP to the command stop every process it started (each node is a
  process-group leader, so whatever a node started goes too) before the command returns; a second
  signal kills them at once. Plain processes and signals: no rclpy.
"""
from __future__ import annotations

import atexit
import collections
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional

from omnilive.ros import graph

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# how long an exited node's last output is waited for (the pipe closes when its group is gone)
RELAY_DRAIN_S = 2.0


def executable_path(name: str) -> str:
    """A console script of this package: beside this Python (venv), in lib/omnilive (colcon),
    or on PATH."""
    candidates = [Path(sys.executable).parent / name,
                  Path(sys.prefix) / 'lib' / graph.PACKAGE / name]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f'executable {name!r} not found (looked in {candidates} and '
                                'PATH): install omnilive (bash scripts/setup.sh)')
    return found


def fastdds_profile() -> Path:
    return graph.fastdds_profile()


def exit_text(code: int) -> str:
    """'SIGSEGV' for a process killed by a signal (Popen's negative codes), else 'code N'."""
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f'signal {-code}'
    return f'code {code}'


class Interrupted(KeyboardInterrupt):
    """A stop signal (SIGTERM, SIGINT, SIGHUP) reached the command; `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclasses.dataclass
class NodeExit:
    node: str
    code: int            # Popen's returncode: negative for a signal
    monotonic: float     # time.monotonic() when it was noticed
    restart: bool        # the supervisor restarts it

    @property
    def reason(self) -> str:
        return exit_text(self.code)


class Supervisor:
    """Runs NodeSpecs as child processes, relays their output with a name prefix, restarts them
    (see the module docstring). `exits` lists every exit seen; `failed` is set (with `failure`
    saying why) when a node exited for good while the graph was meant to run."""

    def __init__(self, specs: list[graph.NodeSpec], out=sys.stdout, env: dict | None = None,
                 handle_signals: bool = True, tail_lines: int = 20):
        self.specs = {spec.name: spec for spec in specs}
        self.procs: dict[str, subprocess.Popen] = {}
        self.restarts = {name: 0 for name in self.specs}
        self.exits: list[NodeExit] = []
        self.failed = threading.Event()
        self.failure = ''
        self.out = out
        self.env = {**os.environ, **(env or {})}
        # transports sized for raw camera frames, unless the user configured Fast DDS already
        # (the same environment as under launch: graph.node_environment)
        self.env.update(graph.node_environment(self.env))
        self.tails = {name: collections.deque(maxlen=tail_lines) for name in self.specs}
        self._stopping = threading.Event()
        self._lock = threading.RLock()
        self._monitor: Optional[threading.Thread] = None
        self._due: dict[str, float] = {}          # node -> monotonic time of its restart
        self._relays: dict[str, threading.Thread] = {}   # node -> the thread logging its output
        self._old_handlers: dict[int, object] = {}
        self._signals_seen = 0
        self._handle_signals = handle_signals
        atexit.register(self.kill)  # never leave nodes behind, even on an uncaught exception

    # ------------------------------------------------------------------ output
    def log(self, name: str, line: str) -> None:
        with self._lock:
            if name in self.tails:
                self.tails[name].append(line)
            try:
                self.out.write(f'[{name}] {line}\n')
                self.out.flush()
            except ValueError:  # the log file was closed at teardown
                pass

    def _relay(self, name: str, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.log(name, line.rstrip())

    # ------------------------------------------------------------------ processes
    def command(self, spec: graph.NodeSpec) -> list[str]:
        return [executable_path(spec.executable)] + spec.ros_args()

    def start(self, name: str) -> None:
        spec = self.specs[name]
        with self._lock:
            proc = subprocess.Popen(self.command(spec), env=self.env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, bufsize=1,
                                    start_new_session=True)  # its own process group
            self.procs[name] = proc
        self.log('run', f'started {name} (pid {proc.pid}): {" ".join(self.command(spec))}')
        relay = threading.Thread(target=self._relay, args=(name, proc), daemon=True)
        self._relays[name] = relay
        relay.start()

    def start_all(self) -> None:
        if self._handle_signals:
            self._install_signal_handlers()
        for name in self.specs:
            self.start(name)
        self._monitor = threading.Thread(target=self._watch, name='supervisor', daemon=True)
        self._monitor.start()

    def pid(self, name: str) -> int:
        return self.procs[name].pid

    def _watch(self) -> None:
        """Notice exits as they happen and restart what should be restarted."""
        while not self._stopping.is_set():
            with self._lock:
                exited = [(name, proc) for name, proc in self.procs.items()
                          if name not in self._due and proc.poll() is not None]
            for name, proc in exited:
                # its last lines may still be in the pipe: the relay logs them (under the
                # lock) before the exit is reported with them
                _signal_group(proc, signal.SIGKILL)   # what the dead node started (may hold it)
                self._relays[name].join(RELAY_DRAIN_S)
            with self._lock:
                for name, proc in exited:
                    self._exited(name, proc.returncode)
                for name, due in list(self._due.items()):
                    if time.monotonic() >= due and not self._stopping.is_set():
                        del self._due[name]
                        self.restarts[name] += 1
                        self.log('run', f'restarting {name} (restart #{self.restarts[name]})')
                        self.start(name)
            self._stopping.wait(0.05)

    def _exited(self, name: str, code: int) -> None:
        spec = self.specs[name]
        restart = graph.should_respawn(spec.respawn, code)
        self.exits.append(NodeExit(name, code, time.monotonic(), restart))
        why = ('a configuration or model error: not restarted' if code == graph.EXIT_CONFIG
               else 'restarting' if restart else 'respawn is off')
        self.log('run', f'{name} exited ({exit_text(code)}): {why}')
        if restart:
            self._due[name] = time.monotonic() + spec.respawn_delay
            return
        del self.procs[name]
        if not self.failed.is_set():
            tail = ' | '.join(list(self.tails[name])[-5:])
            self.failure = f'{name} exited ({exit_text(code)}); its last output: {tail}'
            self.failed.set()

    def exits_since(self, index: int) -> list[NodeExit]:
        with self._lock:
            return list(self.exits[index:])

    # ------------------------------------------------------------------ stopping
    def stop(self, timeout: float = 10.0) -> None:
        """SIGINT to every node's process group, SIGKILL to those still there after `timeout`."""
        self._stopping.set()
        if self._monitor is not None and self._monitor is not threading.current_thread():
            self._monitor.join(timeout=5)
        with self._lock:
            procs = dict(self.procs)
        for proc in procs.values():
            _signal_group(proc, signal.SIGINT)
        deadline = time.monotonic() + timeout
        for name, proc in procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log('run', f'{name} did not stop on SIGINT within {timeout:.0f} s: killing')
            _signal_group(proc, signal.SIGKILL)  # whatever the node itself started
            if proc.poll() is None:
                proc.wait()
        self._restore_signal_handlers()
        atexit.unregister(self.kill)  # stopped: nothing of this graph is left to kill

    def kill(self) -> None:
        """SIGKILL every node's process group now (a second stop signal, or interpreter exit)."""
        self._stopping.set()
        for proc in list(self.procs.values()):
            if proc.poll() is None:  # a reaped node's pid may since belong to another process
                _signal_group(proc, signal.SIGKILL)

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set handlers; its owner handles signals then

        def on_signal(signum, frame):
            self._signals_seen += 1
            if self._signals_seen > 1:  # a second signal: no more waiting
                self.log('run', f'{signal.Signals(signum).name} again: killing every node')
                self.kill()
                os._exit(128 + signum)
            raise Interrupted(signum)
        for signum in STOP_SIGNALS:
            self._old_handlers[signum] = signal.signal(signum, on_signal)

    def _restore_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum, handler in self._old_handlers.items():
            signal.signal(signum, handler)
        self._old_handlers.clear()

    # ------------------------------------------------------------------ omnilive run
    def run_forever(self) -> int:
        """Run until a stop signal; 0 then, EXIT_CONFIG when a node could not start."""
        try:
            self.start_all()  # inside: a stop signal while the nodes start stops them too
            while not self.failed.wait(0.2):
                pass
            self.log('run', f'stopping the graph: {self.failure}')
            return graph.EXIT_CONFIG
        except Interrupted as sig:
            self.log('run', f'stopping the graph ({sig})')
            return 0
        finally:
            self.stop()


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
