"""After `colcon build` and sourcing the workspace, `omnilive` is reachable both ways the README
says: on PATH, and where `ros2 run omnilive omnilive` looks (ros2cli is not on this machine, so
its lookup is done here the way ros2run does it: the package prefix from the ament index, then the
executables in <prefix>/lib/<package>)."""
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
EXECUTABLES = ['omnilive', 'perception_node', 'memory_node', 'reasoning_node', 'tts_node']


@pytest.fixture(scope='module')
def install(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('colcon')
    # `python -m colcon` from the venv, as the README says: the installed scripts then run with
    # the venv's interpreter (the libraries rosdep cannot install live there).
    cmd = [sys.executable, '-m', 'colcon', '--log-base', str(tmp / 'log'), 'build',
           '--base-paths', '.', '--packages-select', 'omnilive',
           '--build-base', str(tmp / 'build'), '--install-base', str(tmp / 'install')]
    env = {**os.environ, 'AMENT_PREFIX_PATH': str(VENV)}
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return tmp / 'install'


def sourced(install: Path, command: str) -> subprocess.CompletedProcess:
    """Run `command` in a clean bash that sourced the workspace like a user does."""
    setup = install / 'setup.bash'
    if not setup.exists():
        pytest.fail('colcon wrote no setup.bash: scripts/requirements-ros.txt installs '
                    'colcon-bash (re-run scripts/setup.sh)')
    env = {'PATH': '/usr/bin:/bin', 'HOME': os.environ.get('HOME', '/tmp'),
           'AMENT_PREFIX_PATH': str(VENV)}
    script = f'source {shlex.quote(str(setup))} && {command}'
    return subprocess.run(['bash', '-c', script], env=env, capture_output=True, text=True,
                          timeout=120)


def test_console_scripts_go_where_ros2_run_looks(install):
    lib = install / 'omnilive' / 'lib' / 'omnilive'
    for exe in EXECUTABLES:
        path = lib / exe
        assert path.is_file() and os.access(path, os.X_OK), exe
        # the interpreter that built them: the venv holding the pip-only libraries
        assert path.read_text().splitlines()[0] == f'#!{sys.executable}', exe
    share = install / 'omnilive' / 'share'
    assert (share / 'ament_index' / 'resource_index' / 'packages' / 'omnilive').is_file()
    # the views, where `rviz2 -d $(ros2 pkg prefix omnilive)/share/omnilive/config/...` finds them
    for view in ('omnilive.rviz', 'omnilive.foxglove.json'):
        assert (share / 'omnilive' / 'config' / view).is_file(), view


def test_ros2_run_lookup_finds_and_runs_omnilive(install):
    # ros2run.api.get_executable_path: get_package_prefix(pkg) / 'lib' / pkg / executable
    probe = ('import os, sys; from ament_index_python.packages import get_package_prefix; '
             "d = os.path.join(get_package_prefix('omnilive'), 'lib', 'omnilive'); "
             "print(sorted(f for f in os.listdir(d) if os.access(os.path.join(d, f), os.X_OK)))")
    run = sourced(install, f'{shlex.quote(sys.executable)} -c {shlex.quote(probe)}')
    assert run.returncode == 0, run.stderr
    assert sorted(EXECUTABLES) == eval(run.stdout.strip().splitlines()[-1])  # noqa: S307
    exe = install / 'omnilive' / 'lib' / 'omnilive' / 'omnilive'
    run = sourced(install, f'{shlex.quote(str(exe))} --help')
    assert run.returncode == 0 and 'usage: omnilive' in run.stdout, run.stderr


def test_omnilive_is_on_path_after_sourcing(install):
    run = sourced(install, 'command -v omnilive && omnilive --help')
    assert run.returncode == 0, run.stderr
    first, rest = run.stdout.split('\n', 1)
    assert Path(first).resolve() == (install / 'omnilive' / 'bin' / 'omnilive').resolve()
    assert 'usage: omnilive' in rest
