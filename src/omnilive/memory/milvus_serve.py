"""Runs a Milvus standalone server (PyPI `milvus`, embedded Milvus 2.3) until SIGTERM/SIGINT, or,
given its owner's pid (MilvusServer passes its own), until that owner is gone: a test run or node
killed before it could stop the server must not leave it running, holding its port and a share
of the machine's cores.

Run by path with the interpreter of the venv that holds `milvus` (scripts/setup.sh makes it under
~/.cache/omnilive/milvus-venv; it imports nothing from omnilive, whose runtime venv it is not in):

    ~/.cache/omnilive/milvus-venv/bin/python src/omnilive/memory/milvus_serve.py \
        DATA_DIR PORT [START_S [OWNER_PID]]

Prints READY once the server answers. The other ports it needs (etcd, coordinators) are ones the
system reports free, not Milvus' fixed defaults, so several servers (or a restarted one whose
old sockets linger) do not collide.
"""
import os
import signal
import socket
import sys
import threading


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def bind_reusing(port: int):
    """Milvus' own port check, but with SO_REUSEADDR as the server binary binds: without it, a
    server restarted on its port (clients' connections in TIME_WAIT) moved to the next one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(('127.0.0.1', port))
        sock.listen()
        return sock
    except OSError:
        sock.close()
        return None


def wait_for_stop(stop: threading.Event, owner: int | None = None, poll_s: float = 1.0) -> str:
    """Until `stop` is set ('stopped') or, with an `owner` pid (the parent that started this
    process), until that parent is gone ('orphaned': this process was re-parented, so its owner
    can no longer stop it). Without an owner (a server run by hand) only `stop` ends it."""
    while not stop.wait(poll_s):
        if owner is not None and os.getppid() != owner:
            return 'orphaned'
    return 'stopped'


def main() -> int:
    from milvus import default_server as server
    data_dir, port = sys.argv[1], int(sys.argv[2])
    start_s = float(sys.argv[3]) if len(sys.argv) > 3 else 180.0
    owner = int(sys.argv[4]) if len(sys.argv) > 4 else None
    server.set_base_dir(data_dir)
    server.config.try_bind_port = bind_reusing
    server.config.update(proxy_port=port)  # this port or an error, never the next free one
    for key in server.config_keys:
        if key.endswith('_port') and key != 'proxy_port':
            server.config.set(key, free_port())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # the package waits a fixed 180 s for the server's health check: a loaded machine may need
    # longer, so the wait is the caller's
    server.wait_for_started = False
    server.start()
    server.wait_started(timeout=start_s * 1000)
    print('READY', flush=True)
    try:
        if wait_for_stop(stop, owner) == 'orphaned':
            print('the process that started this server is gone: stopping', flush=True)
    finally:
        server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
