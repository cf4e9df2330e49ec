"""The Milvus server launcher stops when the process that started it is gone (a test run or
node killed before it could stop the server), without needing Milvus itself: its wait runs in a
real grandchild process whose parent is killed."""
import os
import signal
import subprocess
import sys
import textwrap
import time

from omnilive.memory import milvus_serve

SERVE_DIR = os.path.dirname(milvus_serve.__file__)
# the server's wait, as milvus_serve.main runs it, in a process of its own
WAITER = textwrap.dedent(f'''
    import os, sys, threading
    sys.path.insert(0, {SERVE_DIR!r})
    import milvus_serve
    owner = os.getppid() if sys.argv[1] == 'owned' else None
    print(milvus_serve.wait_for_stop(threading.Event(), owner, poll_s=0.1), flush=True)
''')
# its parent: starts the waiter, says its pid, then would wait forever
PARENT = textwrap.dedent(f'''
    import subprocess, sys, time
    waiter = subprocess.Popen([sys.executable, '-c', {WAITER!r}, sys.argv[2]],
                              stdout=open(sys.argv[1], 'w'))
    print(waiter.pid, flush=True)
    time.sleep(600)
''')


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not reaped by init yet) is gone as well
        with open(f'/proc/{pid}/stat') as f:
            return f.read().split()[2] != 'Z'
    except FileNotFoundError:
        return False


def start(out, mode):
    parent = subprocess.Popen([sys.executable, '-c', PARENT, str(out), mode],
                              stdout=subprocess.PIPE, text=True)
    return parent, int(parent.stdout.readline())


def test_the_server_stops_when_its_owner_is_killed(tmp_path):
    out = tmp_path / 'waiter.out'
    parent, waiter = start(out, 'owned')
    time.sleep(0.5)
    assert alive(waiter)                       # waits while its parent lives
    parent.send_signal(signal.SIGKILL)         # the starter dies without stopping it
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(waiter) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(waiter)
    assert out.read_text().strip() == 'orphaned'


def test_a_server_run_by_hand_outlives_the_shell_that_started_it(tmp_path):
    parent, waiter = start(tmp_path / 'waiter.out', 'by hand')
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    time.sleep(1.0)                            # ten of its polls
    try:
        assert alive(waiter)
    finally:
        os.kill(waiter, signal.SIGKILL)
