"""The supervisor with real child processes (small Python programs standing in for the node
executables: what is tested is process supervision, not ROS): a crash is noticed with its signal
and restarted, a configuration error is not restarted and fails the graph, stopping kills what a
node started too, and a stop signal to a command leaves no process behind."""
from __future__ import annotations

import dataclasses
import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from omnilive.ros import graph
from omnilive.ros.client import wait_until
from omnilive.ros.supervisor import Supervisor, exit_text
from tests.rosutil import process_running


@pytest.fixture
def programs(tmp_path, monkeypatch):
    """Executables on PATH: `sleeper` (runs until stopped, starts a grandchild that does too and
    writes both pids), `config_error` (exits with EXIT_CONFIG)."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    scripts = {
        'sleeper': '''
            import os, subprocess, sys, time
            child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])
            with open(os.environ['PIDS_FILE'], 'a') as f:
                f.write(f'{os.getpid()} {child.pid}\\n')
            print('sleeping', flush=True)
            time.sleep(600)
        ''',
        'config_error': f'''
            import sys
            print('cannot start: model file missing', flush=True)
            sys.exit({graph.EXIT_CONFIG})
        ''',
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f'#!{sys.executable}\n' + textwrap.dedent(body))
        path.chmod(0o755)
    monkeypatch.setenv('PATH', f'{bin_dir}{os.pathsep}{os.environ["PATH"]}')
    monkeypatch.setenv('PIDS_FILE', str(tmp_path / 'pids'))
    return tmp_path / 'pids'


def spec(executable: str, name: str, respawn: bool = True) -> graph.NodeSpec:
    base = graph.nodes({'respawn': 'true' if respawn else 'false', 'respawn_delay': '0.1'},
                       only=['memory'])[0]
    return dataclasses.replace(base, executable=executable, name=name)


def pids(path: Path) -> list[tuple[int, int]]:
    if not path.exists():
        return []
    return [tuple(map(int, line.split())) for line in path.read_text().split('\n') if line]


def test_exit_text_names_signals():
    assert exit_text(-signal.SIGSEGV) == 'SIGSEGV'
    assert exit_text(-9) == 'SIGKILL'
    assert exit_text(78) == 'code 78'


def test_crash_is_noticed_with_its_signal_and_restarted(programs):
    sup = Supervisor([spec('sleeper', 'reasoning')], out=io.StringIO(), handle_signals=False)
    sup.start_all()
    try:
        wait_until(lambda: len(pids(programs)) == 1, 30, 'the node to start')
        first, grandchild = pids(programs)[0]
        os.kill(first, signal.SIGSEGV)
        wait_until(lambda: len(pids(programs)) == 2, 30, 'the restart')
        assert [(e.node, e.reason, e.restart) for e in sup.exits] == \
            [('reasoning', 'SIGSEGV', True)]
        assert sup.restarts['reasoning'] == 1 and not sup.failed.is_set()
        assert sup.pid('reasoning') == pids(programs)[1][0]
        assert 'reasoning exited (SIGSEGV): restarting' in sup.out.getvalue()
    finally:
        sup.stop(timeout=5)
    # stopping ends every node and what each node started
    for node_pid, child_pid in pids(programs):
        wait_until(lambda: not process_running(node_pid) and not process_running(child_pid),
                   10, 'no orphans')
    assert not process_running(grandchild)


def test_configuration_error_is_not_restarted_and_fails_the_graph(programs):
    out = io.StringIO()
    sup = Supervisor([spec('config_error', 'memory'), spec('sleeper', 'tts')], out=out,
                     handle_signals=False)
    sup.start_all()
    try:
        assert sup.failed.wait(30)
        assert sup.restarts['memory'] == 0
        assert 'memory exited (code 78)' in sup.failure and 'model file missing' in sup.failure
        assert [e.restart for e in sup.exits] == [False]
    finally:
        sup.stop(timeout=5)


def test_respawn_off_fails_the_graph_on_a_crash(programs):
    sup = Supervisor([spec('sleeper', 'perception', respawn=False)], out=io.StringIO(),
                     handle_signals=False)
    sup.start_all()
    try:
        wait_until(lambda: len(pids(programs)) == 1, 30, 'the node to start')
        os.kill(pids(programs)[0][0], signal.SIGKILL)
        assert sup.failed.wait(30) and 'perception exited (SIGKILL)' in sup.failure
        assert sup.restarts['perception'] == 0
    finally:
        sup.stop(timeout=5)


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_stop_signal_to_the_command_leaves_no_process_behind(programs, tmp_path, signum):
    """A command that runs a supervisor (as omnilive run does) stops every node on a signal."""
    command = textwrap.dedent('''
        import dataclasses, sys
        from omnilive.ros import graph
        from omnilive.ros.supervisor import Supervisor
        base = graph.nodes({'respawn_delay': '0.1'}, only=['memory'])[0]
        specs = [dataclasses.replace(base, executable='sleeper', name=n) for n in ('a', 'b')]
        sys.exit(Supervisor(specs).run_forever())
    ''')
    proc = subprocess.Popen([sys.executable, '-c', command], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: len(pids(programs)) == 2, 60, 'both nodes to start')
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    for node_pid, child_pid in pids(programs):
        wait_until(lambda: not process_running(node_pid) and not process_running(child_pid), 10,
                   f'no process of the graph left after {signal.Signals(signum).name}')


def test_a_stop_signal_while_the_nodes_start_stops_them_cleanly(programs):
    """A signal that arrives while the supervisor is still starting nodes (a node may start,
    and be seen, before the next one is) stops the graph with exit code 0, nothing left: it
    was an uncaught exception, exit code 1 (a CI run under load)."""
    command = textwrap.dedent('''
        import dataclasses, os, signal, sys
        from omnilive.ros import graph
        from omnilive.ros.supervisor import Supervisor

        class SignalledWhileStarting(Supervisor):
            def start(self, name):
                super().start(name)
                if name == 'a':
                    os.kill(os.getpid(), signal.SIGINT)

        base = graph.nodes({'respawn_delay': '0.1'}, only=['memory'])[0]
        specs = [dataclasses.replace(base, executable='sleeper', name=n) for n in ('a', 'b')]
        sys.exit(SignalledWhileStarting(specs).run_forever())
    ''')
    proc = subprocess.run([sys.executable, '-c', command], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout
    for node_pid, child_pid in pids(programs):
        wait_until(lambda: not process_running(node_pid) and not process_running(child_pid), 10,
                   'no process of the graph left')


def test_nodes_wait_passively_in_openmp_unless_the_user_chose_a_policy():
    from omnilive.ros import graph
    # llama.cpp and CTranslate2 spin at OpenMP barriers by default, taking the cores other
    # nodes need (docs/benchmarks.md, section 1)
    assert graph.node_environment({})['OMP_WAIT_POLICY'] == 'PASSIVE'
    assert graph.node_environment({'OMP_WAIT_POLICY': 'ACTIVE'})['OMP_WAIT_POLICY'] == 'ACTIVE'
