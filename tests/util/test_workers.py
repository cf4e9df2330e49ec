"""Worker threads: items handled in order, failures reported without stopping the worker;
LatestSlot keeps only the newest item; count_drops sorts bad input from failures."""
import queue
import threading

from omnilive.util.diagnostics import Counters, Perception
from omnilive.util.workers import LatestSlot, Worker, count_drops, from_queue


def test_worker_handles_in_order_and_survives_failures():
    q, stop = queue.Queue(), threading.Event()
    handled, failed, after = [], [], []
    done = threading.Event()

    def handle(item):
        if item == 'bad':
            raise ValueError('bad item')
        handled.append(item)
        if item == 'last':
            done.set()
    worker = Worker('test', from_queue(q, 0.05), handle, lambda i, e: failed.append((i, str(e))),
                    stop, after=after.append)
    worker.start()
    for item in ['a', 'bad', 'b', 'last']:
        q.put(item)
    assert done.wait(10)
    stop.set()
    worker.join(5)
    assert not worker.is_alive()
    assert handled == ['a', 'b', 'last']
    assert failed == [('bad', 'bad item')]
    assert after == ['a', 'bad', 'b', 'last']   # after every item, whatever its outcome


def test_latest_slot_keeps_the_newest_and_reports_replacements():
    slot = LatestSlot()
    assert slot.take(timeout=0.01) is None
    assert slot.put(1) is False
    assert slot.put(2) is True             # 1 was never taken: a drop
    assert slot.take() == 2
    assert slot.take(timeout=0.01) is None
    assert slot.put(3) is False


def test_count_drops_separates_bad_input_from_failures():
    counters, warnings, errors = Counters(Perception), [], []
    on_error = count_drops(counters, warnings.append, errors.append, 'frame', ValueError,
                           Perception.FRAMES_BAD, Perception.FRAMES_ERRORS)
    on_error(None, ValueError('short data'))
    on_error(None, RuntimeError('model crashed'))
    on_error(None, ValueError('bad encoding'))
    assert counters.get(Perception.FRAMES_BAD) == 2
    assert counters.get(Perception.FRAMES_ERRORS) == 1
    assert warnings == ['frame dropped: short data', 'frame dropped: bad encoding']
    assert errors == ["frame dropped: RuntimeError('model crashed')"]


def test_a_niced_worker_lowers_its_own_thread_only():
    """On Linux nice is per thread: the video worker yields the CPU to an answer being generated
    while the node's other threads (audio, endpointing) keep their priority."""
    import os
    import sys

    import pytest
    if not sys.platform.startswith('linux'):
        pytest.skip('nice is per thread on Linux only')
    q, stop, seen = queue.Queue(), threading.Event(), queue.Queue()
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    worker = Worker('niced', from_queue(q, 0.05), lambda _: seen.put(
        os.getpriority(os.PRIO_PROCESS, threading.get_native_id())), lambda i, e: None, stop,
        nice=5)
    worker.start()
    q.put('frame')
    assert seen.get(timeout=10) == min(19, before + 5)
    stop.set()
    worker.join(5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
