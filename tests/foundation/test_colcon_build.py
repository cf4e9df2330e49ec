"""Both packages build the ROS way: `colcon build --base-paths . msg` (as the README says)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)


@pytest.mark.slow
def test_colcon_builds_both_packages(tmp_path):
    env = {**os.environ, 'AMENT_PREFIX_PATH': str(VENV), 'CMAKE_PREFIX_PATH': str(VENV)}
    cmd = [str(VENV / 'bin' / 'colcon'), '--log-base', str(tmp_path / 'log'), 'build',
           '--base-paths', '.', 'msg',
           '--build-base', str(tmp_path / 'build'), '--install-base', str(tmp_path / 'install'),
           '--cmake-args', f'-DPython3_EXECUTABLE={sys.executable}', '-DBUILD_TESTING=OFF']
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert 'Finished <<< omnilive_msgs' in run.stdout and 'Finished <<< omnilive ' in run.stdout

    install = tmp_path / 'install'
    share = install / 'omnilive' / 'share' / 'omnilive'
    for path in ['package.xml', 'launch/bringup.launch.py', 'config/cpu.yaml', 'config/gpu.yaml',
                 'models/manifest.yaml']:
        assert (share / path).is_file(), path
    assert (install / 'omnilive' / 'share' / 'ament_index' / 'resource_index' / 'packages' /
            'omnilive').is_file()
    for exe in ['perception_node', 'memory_node', 'reasoning_node', 'tts_node', 'omnilive']:
        assert (install / 'omnilive' / 'lib' / 'omnilive' / exe).is_file(), exe

    # The freshly built interfaces import from the install tree alone.
    python = f'python{sys.version_info.major}.{sys.version_info.minor}'
    site = install / 'omnilive_msgs' / 'lib' / python / 'site-packages'
    probe = subprocess.run(
        [sys.executable, '-c', 'import omnilive_msgs.action as a, omnilive_msgs.msg as m; '
         'print(a.Ask.__module__, m.MemoryItem.__module__, m.MemoryItem.KIND_EPISODE)'],
        env={**os.environ, 'PYTHONPATH': str(site)}, capture_output=True, text=True, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    assert str(site) in subprocess.run(
        [sys.executable, '-c', 'import omnilive_msgs; print(omnilive_msgs.__file__)'],
        env={**os.environ, 'PYTHONPATH': str(site)}, capture_output=True, text=True,
        cwd=tmp_path).stdout
    assert probe.stdout.split() == ['omnilive_msgs.action._ask', 'omnilive_msgs.msg._memory_item',
                                    'episode']
