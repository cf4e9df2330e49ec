"""The lint policy (ruff.toml: pycodestyle, pyflakes, docstring rules, 99 columns) holds over
the whole tree."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    done = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--no-cache', 'src', 'tests',
                           'tools', 'launch', 'setup.py'], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
