"""The evaluation's pacing on perception's /diagnostics counters, without a graph: a message the
transport never delivered is counted as lost after a while instead of stalling the run, and a
graph that stops making progress is an error naming where it stopped."""
import types

import numpy as np
import pytest
import rclpy
from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue

from omnilive.bags.make import typestore
from omnilive.eval.evaluate import EvalError, Evaluation
from omnilive.ros.client import GraphDiagnostics

pytestmark = pytest.mark.ros


@pytest.fixture
def evaluation(tmp_path, ros_context):
    """An Evaluation of a 1 s bag of ten audio messages, watching a real GraphDiagnostics."""
    from rosbags.rosbag2 import Writer
    store = typestore()
    data = store.types['audio_common_msgs/msg/AudioData']
    with Writer(tmp_path / 'bag', version=9) as writer:
        conn = writer.add_connection('/audio/audio', data.__msgtype__, typestore=store)
        for i in range(10):
            writer.write(conn, 10**9 + i * 10**8, store.serialize_cdr(
                data(data=np.zeros(640, np.uint8)), data.__msgtype__))
    ev = Evaluation(tmp_path / 'bag', [], tmp_path / 'out', rate=None, progress=False,
                    lost_after_s=0.3, stall_timeout_s=1.0)
    node = rclpy.create_node('pacing_test', context=ros_context)
    ev.session = types.SimpleNamespace(diagnostics=GraphDiagnostics(node), answers=[])
    ev.times['/audio/audio'] = [i * 0.1 for i in range(10)]
    yield ev
    node.destroy_node()


def report(ev, **values):
    status = DiagnosticStatus(name='omnilive: /omnilive/perception', values=[
        KeyValue(key=k, value=str(v)) for k, v in values.items()])
    ev.session.diagnostics._on_message(DiagnosticArray(status=[status]))


def test_a_message_never_delivered_is_counted_lost_not_waited_for(evaluation):
    report(evaluation, audio_msgs=9, audio_processed=9)
    evaluation._wait_done(1.0, strict=True)
    assert evaluation.lost == {'audio': 1, 'frames': 0}
    evaluation._wait_done(1.0, strict=True)  # counted once: no further wait, no double count
    assert evaluation.lost == {'audio': 1, 'frames': 0}


def test_everything_received_needs_no_allowance(evaluation):
    report(evaluation, audio_msgs=10, audio_processed=10)
    evaluation._wait_done(1.0, strict=True)
    evaluation._wait_done(0.45, strict=False)  # received beyond t: nothing missing either
    assert evaluation.lost == {'audio': 0, 'frames': 0}


def test_received_but_never_processed_is_a_stall_error(evaluation):
    report(evaluation, audio_msgs=10, audio_processed=7)
    with pytest.raises(EvalError, match='no progress for 1 s at bag time 1.0'):
        evaluation._wait_done(1.0, strict=True)
    assert evaluation.lost == {'audio': 0, 'frames': 0}
