"""Runs a Milvus standalone server (PyPI `milvus`, embedded Milvus 2.3) until SIGTERM/SIGINT or
until the process that started it is gone (a test run or node killed before it could stop the
server must not leave it running, holding its port and a core's share of the machine).

Run by path with the interpreter of the venv that holds `milvus` (scripts/setup.sh makes it under
~/.cache/omnilive/milvus-venv; it imports nothing from omnilive, whose runtime venv it is not in):

    ~/.cache/omnilive/milvus-venv/bin/python src/omnilive/memory/milvus_serve.py \
        DATA_DIR PORT [START_S]

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


def wait_for_stop(stop: threading.Event, poll_s: float = 1.0) -> str:
    """Until `stop` is set ('stopped') or this process's parent is gone ('orphaned': it was
    re-parented, so whoever started the server can no longer stop it)."""
    parent = os.getppid()
    while not stop.wait(poll_s):
        if os.getppid() != parent:
            return 'orphaned'
    return 'stopped'


def main() -> int:
    from milvus import default_server as server
    data_dir, port = sys.argv[1], int(sys.argv[2])
    start_s = float(sys.argv[3]) if len(sys.argv) > 3 else 180.0
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
        if wait_for_stop(stop) == 'orphaned':
            print('the process that started this server is gone: stopping', flush=True)
    finally:
        server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
