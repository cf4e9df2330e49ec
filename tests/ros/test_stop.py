"""A stop signal ends a node with exit code 0 whatever its executor was doing: rclpy raises
'the given context is not valid' when SIGTERM shuts the context down while the executor builds
its next wait set (ros2/rclpy#398). Before omnilive.ros.node_util.spin took that as a stop, about
half of these stops exited 1, and supervisors would have respawned a node they were stopping."""
import random
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.ros

# busy timers on six executor threads: the executor is rebuilding its wait set nearly always
BUSY_NODE = '''
import sys
from rclpy.node import Node
from std_msgs.msg import String
from omnilive.ros.node_util import spin

class Busy(Node):
    def __init__(self):
        super().__init__('busy')
        pub = self.create_publisher(String, 'busy', 10)
        for _ in range(4):
            self.create_timer(0.0005, lambda: pub.publish(String(data='x' * 100)))
        print('spinning', flush=True)

sys.exit(spin(Busy, threads=6))
'''


def test_sigterm_while_busy_exits_cleanly():
    rng = random.Random(7)
    for attempt in range(8):
        proc = subprocess.Popen([sys.executable, '-c', BUSY_NODE], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == 'spinning', proc.stderr.read()
            time.sleep(rng.uniform(0.05, 0.5))   # stop at a different point of the spin each time
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
        finally:
            proc.kill()
        assert code == 0, f'stop {attempt}: exit {code}\n{proc.stderr.read()[-3000:]}'
