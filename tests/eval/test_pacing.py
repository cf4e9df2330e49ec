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
from omnilive.ros.supervisor import NodeExit, Supervisor
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
    # a supervisor with no nodes: the pacing asks it which nodes exited
    ev.session = types.SimpleNamespace(diagnostics=GraphDiagnostics(node), answers=[],
                                       supervisor=Supervisor([], handle_signals=False))
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


def test_a_restarted_perception_counts_from_zero_again(evaluation):
    """Perception killed after 6 of 10 messages (4 of them handled, 2 lost with it) and
    restarted: the new process's counters start at 0, and only what was published after the
    restart is expected from it."""
    report(evaluation, audio_msgs=6, audio_processed=4, goals_sent=1)
    evaluation.times['/audio/audio'] = [i * 0.1 for i in range(8)]  # 8 published at the crash
    evaluation.session.supervisor.exits.append(NodeExit('perception', -9, 0.0, restart=True))
    evaluation._note_exits()
    assert evaluation.lost_in_crash == {'audio': 2, 'frames': 0}
    assert evaluation.node_exits == [{'node': 'perception', 'exit': 'SIGKILL',
                                      'bag_time': 0.0, 'restarted': True}]
    assert evaluation.goals_before == 1
    evaluation.times['/audio/audio'] = [i * 0.1 for i in range(10)]
    report(evaluation, audio_msgs=2, audio_processed=2, goals_sent=0)
    evaluation.session.answers.append(types.SimpleNamespace(source='voice'))
    evaluation._wait_done(1.0, strict=True)  # satisfied: no stall, nothing lost in transport
    assert evaluation.lost == {'audio': 0, 'frames': 0}


def test_at_max_rate_nothing_is_evaluated_ahead_unless_the_user_asks(evaluation):
    """At --rate max the bag plays as fast as perception goes: the standing records are not
    evaluated between questions (the node's standing.refresh_s 0); a user's --param wins, and
    a real-time replay keeps the node's own setting."""
    assert evaluation._overrides() == {'reasoning': {'standing.refresh_s': 0.0}}
    evaluation.overrides = {'reasoning': {'standing.refresh_s': 2.0, 'top_k': 3},
                            'memory': {'compress_period_s': 5.0}}
    assert evaluation._overrides() == evaluation.overrides
    evaluation.rate = 1.0
    assert evaluation._overrides() == evaluation.overrides
    evaluation.overrides = {}
    assert evaluation._overrides() == {}
