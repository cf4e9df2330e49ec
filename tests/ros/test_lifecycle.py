"""Managed nodes through the real lifecycle services (as a lifecycle manager or `ros2 lifecycle
set` drives them): unconfigured until configure, inactive nodes neither listen nor speak (the
mute), active ones do; cleanup frees the models; a model that fails to load fails configure with
an ERROR /diagnostics status saying why, and the node stays up for another try."""
import pytest
from action_msgs.msg import GoalStatus
from rclpy.action import ActionClient
from std_msgs.msg import Bool

from audio_common_msgs.msg import AudioData
from omnilive.ros.qos import DERIVED
from omnilive.util.diagnostics import ERROR, OK
from omnilive_msgs.action import Ask
from omnilive_msgs.msg import Sentence
from tests.ros.managed import ManagedProcess
from tests.rosutil import wait_future

pytestmark = [pytest.mark.ros, pytest.mark.models]


@pytest.fixture
def tts(ros_context, tmp_path):
    node = ManagedProcess(ros_context, 'tts_node', '/lctest', 'tts',
                          ['-p', 'autostart:=false'], str(tmp_path / 'log'))
    yield node
    assert node.close() == 0, open(node.log).read()[-2000:]


def test_tts_transitions_and_mute(tts):
    audio, speaking = [], []
    tts.node.create_subscription(AudioData, '/lctest/speech/audio', audio.append, DERIVED)
    tts.node.create_subscription(Bool, '/lctest/speaking', lambda m: speaking.append(m.data),
                                 DERIVED)
    say = tts.node.create_publisher(Sentence, '/lctest/tts', DERIVED)
    assert tts.state() == 'unconfigured'
    tts.wait_status(lambda s, v: v.get('lifecycle') == 'unconfigured', 'unconfigured status')

    assert tts.transition('configure') and tts.state() == 'inactive'
    assert say.get_subscription_count() == 0            # inactive: not listening
    assert tts.transition('activate') and tts.state() == 'active'
    tts.wait(lambda: say.get_subscription_count() == 1, 30, 'tts to subscribe')
    say.publish(Sentence(question_id='q', index=0, text='The keys are on the table.'))
    tts.wait(lambda: audio and True in speaking and speaking[-1] is False, 60, 'speech')
    status = tts.wait_status(lambda s, v: v.get('sentences') == '1', 'a sentence counted')
    assert status.level == bytes([OK]) and tts.values()['lifecycle'] == 'active'

    assert tts.transition('deactivate') and tts.state() == 'inactive'
    tts.wait(lambda: say.get_subscription_count() == 0, 30, 'tts to stop listening')
    assert tts.transition('cleanup') and tts.state() == 'unconfigured'
    assert tts.transition('configure') and tts.transition('activate')   # and back again
    tts.wait(lambda: say.get_subscription_count() == 1, 30, 'tts to listen again')


def test_model_that_fails_to_load_fails_configure_with_an_error_status(ros_context, tmp_path):
    missing = tmp_path / 'missing.gguf'
    reasoning = ManagedProcess(ros_context, 'reasoning_node', '/lcfail', 'reasoning',
                               ['-p', 'autostart:=false', '-p', f'llm.model:={missing}'],
                               str(tmp_path / 'log'))
    try:
        assert not reasoning.transition('configure')
        assert reasoning.state() == 'unconfigured'   # still up: configure may be tried again
        status = reasoning.wait_status(lambda s, v: s.level == bytes([ERROR]), 'ERROR status')
        assert str(missing) in reasoning.values()['config_error']
        assert 'config_error' in status.message and str(missing) in status.message
    finally:
        assert reasoning.close() == 0, open(reasoning.log).read()[-2000:]


def test_reasoning_serves_only_while_active_and_a_failed_answer_says_why(ros_context, tmp_path):
    """No memory node: the answer fails, and the result says so in `status` and `error`
    instead of in the answer text."""
    reasoning = ManagedProcess(ros_context, 'reasoning_node', '/lcask', 'reasoning',
                               ['-p', 'autostart:=false', '-p', 'retrieve_timeout_s:=0.5'],
                               str(tmp_path / 'log'))
    try:
        ask = ActionClient(reasoning.node, Ask, '/lcask/ask')
        assert reasoning.transition('configure') and not ask.server_is_ready()
        assert reasoning.transition('activate')
        reasoning.wait(ask.server_is_ready, 60, 'the ask action server')
        handle = wait_future(reasoning.executor, ask.send_goal_async(
            Ask.Goal(question='Where did I leave the charger?')), 60, 'goal')
        result = wait_future(reasoning.executor, handle.get_result_async(), 120, 'result')
        assert result.status == GoalStatus.STATUS_ABORTED
        assert result.result.status == Ask.Result.STATUS_FAILED
        assert 'memory/retrieve is not available' in result.result.error
        assert result.result.answer.answer == ''
        assert reasoning.transition('deactivate')
        reasoning.wait(lambda: not ask.server_is_ready(), 60, 'the action server to go')
    finally:
        assert reasoning.close() == 0, open(reasoning.log).read()[-2000:]
