"""Start and stop a local Milvus standalone server (embedded Milvus 2.3.5 from PyPI `milvus`, in
its own venv) as a separate process with its own data directory: what the tests and the bench
run against, and a one-robot deployment may use. A fleet points at a Milvus server or cluster
instead (docs/fleet.md)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from omnilive.util.errors import ConfigurationError

SERVE = Path(__file__).with_name('milvus_serve.py')


def milvus_python() -> Path:
    """The interpreter of the venv scripts/setup.sh installs `milvus` into."""
    venv = os.environ.get('OMNILIVE_MILVUS_VENV') or \
        Path(os.environ.get('XDG_CACHE_HOME', Path.home() / '.cache')) / 'omnilive' / 'milvus-venv'
    return Path(venv) / 'bin' / 'python'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class MilvusServer:
    def __init__(self, data_dir: str | Path, port: int = 0, log_path: str | Path | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.log_path = Path(log_path) if log_path else self.data_dir / 'server.log'
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def start(self, timeout_s: float = 600.0) -> 'MilvusServer':
        python = milvus_python()
        if not python.exists():
            raise ConfigurationError(f'no Milvus server venv at {python.parent.parent}: run '
                                     'bash scripts/setup.sh (or set OMNILIVE_MILVUS_VENV)')
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, 'ab')
        # -I: the script's directory (omnilive.memory, with its types.py) is not put on sys.path
        self.proc = subprocess.Popen([str(python), '-I', str(SERVE), str(self.data_dir),
                                      str(self.port), str(timeout_s), str(os.getpid())],
                                     stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f'Milvus server exited with {self.proc.returncode}: see '
                                   f'{self.log_path}')
            if b'READY' in self.log_path.read_bytes()[-4096:]:
                return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f'Milvus server not ready in {timeout_s:.0f} s: see {self.log_path}')

    def stop(self) -> None:
        """SIGTERM (it stops its own server process), then the process group if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:  # the server binary is in the launcher's session: none of it may outlive stop()
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        # the READY of this run must not count for the next start
        self.log_path.write_bytes(self.log_path.read_bytes().replace(b'READY', b'ready (was)'))
