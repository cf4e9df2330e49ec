"""The /diagnostics schema: the key strings readers rely on, counters that refuse undeclared
keys, and the level rules."""
import pytest

from omnilive.util.diagnostics import (ERROR, OK, SCHEMAS, WARN, Counters, LevelTracker, Memory,
                                       Perception, Reasoning, Tts)

# what the evaluation, the benchmarks and the tests parse today: the strings must not change
READ_BY_OTHERS = {
    'perception': ['audio_msgs', 'audio_processed', 'audio_bad', 'audio_errors', 'audio_dropped',
                   'frames_in', 'frames_sampled', 'frames_processed', 'frames_bad',
                   'frames_errors', 'frames_dropped', 'goals_sent', 'asr_pending', 'insert_queue',
                   'utterances', 'queries', 'clips', 'sound_events', 'notes', 'inserted',
                   'utterances_dropped', 'asr_errors', 'insert_dropped', 'insert_failures',
                   'audio_queue', 'utterance_queue', 'audio_until', 'video_until',
                   'audio_info_bad', 'scene_cuts', 'last_utterance.endpointed_at',
                   'last_utterance.transcribed_at', 'last_utterance.goal_sent_at',
                   'last_utterance.question_id', 'last_utterance.text',
                   'last_utterance.speculative', 'listener.self_voice_dropped',
                   'listener.not_speech_dropped', 'ms.asr'],
    'memory': ['inserted', 'retrievals', 'items', 'bytes', 'compress_failures',
               'insert_failures', 'compressions', 'count.clip.0'],
    'reasoning': ['fault.stalls', 'fault.stalling', 'rejected', 'queued', 'max_waiting_goals',
                  'goals', 'succeeded', 'canceled', 'aborted', 'direct', 'model'],
    'tts': ['sentences', 'interrupted', 'dropped', 'audio_s', 'queued'],
}


@pytest.mark.parametrize('node', sorted(READ_BY_OTHERS))
def test_every_key_read_elsewhere_is_declared(node):
    schema = SCHEMAS[node]
    assert schema.node == node
    assert [k for k in READ_BY_OTHERS[node] if not schema.declares(k)] == []


def test_keys_are_their_strings_with_meaning_and_type():
    assert Perception.AUDIO_PROCESSED == 'audio_processed'
    assert {'audio_processed': 1}[Perception.AUDIO_PROCESSED] == 1
    assert Perception.LAST_TEXT == 'last_utterance.text' and Perception.LAST_TEXT.type is str
    assert Perception.LISTENER('chunks') == 'listener.chunks'
    assert Memory.COUNT('clip.0') == 'count.clip.0'
    for schema in SCHEMAS.values():
        for key in schema.keys.values():
            assert key.meaning and key.type in (int, float, str), key
            # the update-order guarantees name keys of the same node
            assert all(schema.declares(a) for a in key.after), key


def test_perception_declares_its_17_initial_counters_and_the_rest():
    initial = Perception.initial()
    assert {'frames_in', 'frames_processed', 'frames_dropped', 'frames_bad', 'audio_msgs',
            'audio_processed', 'audio_dropped', 'audio_bad', 'utterances', 'utterances_dropped',
            'queries', 'notes', 'sound_events', 'clips', 'inserted', 'insert_failures',
            'insert_dropped'} <= set(initial)
    assert all(v == 0 for k, v in initial.items() if Perception.keys[k].type is int)
    # keys that appear only once set, as before the schema existed
    assert 'goals_sent' not in initial and 'last_utterance.text' not in initial
    assert 'frames_sampled' not in initial


def test_pacing_order_is_declared():
    assert 'asr_pending' in Perception.AUDIO_PROCESSED.after
    assert 'insert_queue' in Perception.FRAMES_PROCESSED.after
    assert 'last_utterance.question_id' in Perception.GOALS_SENT.after


def test_counters_refuse_undeclared_keys():
    counters = Counters(Perception)
    counters.add(Perception.AUDIO_MSGS)
    counters.add('audio_msgs', 2)
    assert counters.get('audio_msgs') == 3
    with pytest.raises(KeyError, match='audio_msg'):
        counters.add('audio_msg')                 # a typo
    with pytest.raises(KeyError):
        counters.set('goals', 1)                  # reasoning's key, not perception's
    with pytest.raises(KeyError):
        Counters(Reasoning).add('frames_in')
    Counters(Tts).add(Tts.SENTENCES)


def test_undeclared_finds_keys_outside_the_schema():
    values = {'audio_msgs': 1, 'listener.chunks': 4, 'ms.audio': 'mean 1 max 1 n 1',
              'audio_mesgs': 2, 'listener.': 0}
    assert Perception.undeclared(values) == ['audio_mesgs', 'listener.']


def test_level_warns_while_drops_rise_and_errors_on_failures():
    levels = LevelTracker(Perception)
    assert levels.update({'audio_dropped': 0, 'audio_msgs': 10}) == (OK, 'running')
    level, message = levels.update({'audio_dropped': 3, 'audio_msgs': 20})
    assert level == WARN and message == 'audio_dropped +3'
    assert levels.update({'audio_dropped': 3, 'audio_msgs': 30})[0] == OK   # no longer rising
    level, message = levels.update({'audio_dropped': 4, 'frames_errors': 1})
    assert level == ERROR and 'frames_errors +1' in message and 'audio_dropped +1' in message
    # frames replaced while the worker is busy are by design: never a warning
    assert levels.update({'frames_dropped': 50, 'audio_dropped': 4, 'frames_errors': 1})[0] == OK


def test_levels_while_a_key_is_set():
    """ERROR while configure's failure is reported, WARN while audio cannot be decoded or a
    queue is over half full; OK again once they are cleared."""
    levels = LevelTracker(Perception)
    level, message = levels.update({'lifecycle': 'unconfigured',
                                    'config_error': "model file for role 'vad' not found"})
    assert level == ERROR and "config_error: model file for role 'vad' not found" in message
    level, message = levels.update({'lifecycle': 'active', 'audio_unusable': 'AudioInfo says '
                                    "coding 'opus' is not supported", 'falling_behind': ''})
    assert level == WARN and 'opus' in message and 'falling_behind' not in message
    assert levels.update({'falling_behind': 'audio 2000/3000'})[0] == WARN
    assert levels.update({'audio_unusable': '', 'falling_behind': ''}) == (OK, 'running')
    for schema in SCHEMAS.values():   # every node reports its lifecycle state and config error
        assert schema.declares('lifecycle') and schema.keys['config_error'].when_set == ERROR
