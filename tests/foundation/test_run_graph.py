"""`omnilive run` starts the graph without ros2 launch; `omnilive ask` gets an answer; a killed
node is restarted; SIGTERM stops every node it started."""
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.rosutil import process_running

pytestmark = [pytest.mark.ros, pytest.mark.models, pytest.mark.slow]
BIN = os.path.dirname(sys.executable)


def test_run_ask_and_respawn(tmp_path):
    ns = 'runtest'
    run = subprocess.Popen([os.path.join(BIN, 'omnilive'), 'run', '--namespace', ns,
                            '--respawn-delay', '1.0',
                            '--param', f'memory:storage_path={tmp_path / "mem"}'],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    threading.Thread(target=lambda: lines.extend(iter(run.stdout.readline, '')),
                     daemon=True).start()

    def wait_line(pattern, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(lines):
                m = re.search(pattern, line)
                if m:
                    return m
            time.sleep(0.2)
        raise TimeoutError(f'no line matching {pattern!r}:\n' + ''.join(lines[-40:]))

    def ask(question):
        return subprocess.run([os.path.join(BIN, 'omnilive'), 'ask', question, '--namespace',
                               ns, '--timeout', '240'], capture_output=True, text=True,
                              timeout=300)
    try:
        for node in ('memory', 'reasoning', 'tts', 'perception'):
            wait_line(rf'\[{node}\] .*{node} ready')
        first = ask('Remember that the charger is in the blue bag')
        assert first.returncode == 0, first.stdout + first.stderr
        assert 'remember' in first.stdout.lower()
        answer = ask('Where is the charger?')
        assert answer.returncode == 0 and 'blue bag' in answer.stdout, answer.stdout
        assert 'timings:' in answer.stdout and 'evidence: [note' in answer.stdout

        memory = subprocess.run([os.path.join(BIN, 'omnilive'), 'memory', '--namespace', ns,
                                 'search', 'charger'], capture_output=True, text=True, timeout=120)
        assert memory.returncode == 0 and 'blue bag' in memory.stdout, memory.stdout
        stats = subprocess.run([os.path.join(BIN, 'omnilive'), 'memory', '--namespace', ns,
                                'stats'], capture_output=True, text=True, timeout=120)
        assert stats.returncode == 0 and re.search(r'note\s+long\s+1', stats.stdout), stats.stdout

        pid = int(wait_line(r'started reasoning \(pid (\d+)\)').group(1))
        os.kill(pid, signal.SIGKILL)
        wait_line(r'reasoning exited \(SIGKILL\): restarting')
        wait_line(r'restarting reasoning \(restart #1\)')
        wait_line(r'started reasoning \(pid (?!%d\b)\d+\)' % pid)
        again = ask('Where is the charger?')
        assert again.returncode == 0 and 'blue bag' in again.stdout, again.stdout
    finally:
        run.send_signal(signal.SIGTERM)  # what `timeout`, systemd and container stops send
        run.wait(timeout=60)
    assert run.returncode == 0
    # no process of the graph is left behind, the restarted one included
    pids = [int(m) for m in re.findall(r'started \w+ \(pid (\d+)\)', ''.join(lines))]
    assert len(pids) == 5, pids
    assert not [pid for pid in pids if process_running(pid)], ''.join(lines[-40:])

