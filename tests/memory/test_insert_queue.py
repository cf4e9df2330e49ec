"""Perception's memory writer: retries with backoff while memory refuses, de-duplicates upserts
of the same id keeping the newest, bounds the queue, and never loses an in-flight update."""
import threading
import time

from omnilive.memory.insert_queue import Backoff, InsertQueue
from omnilive.memory.types import MemoryItem


def item(id_, text='x'):
    return MemoryItem(id=id_, kind='speech', start=1.0, end=2.0, text=text)


class Memory:
    """The memory side: takes batches while `up`, records what it stored."""

    def __init__(self, up=True):
        self.up, self.batches, self.stored = up, [], {}

    def insert(self, items):
        self.batches.append([i.id for i in items])
        if not self.up:
            return False
        self.stored.update({i.id: i.text for i in items})
        return True


def until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.01)


def test_backoff_doubles_up_to_its_limit_and_resets():
    b = Backoff(0.5, 5.0)
    assert [b.failed() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    b.succeeded()
    assert b.failed() == 0.5


def test_retry_with_backoff_until_memory_is_up():
    memory = Memory(up=False)
    q = InsertQueue(memory.insert)
    q.put(item('a'))
    q.put(item('b'))
    assert [q.send_once() for _ in range(3)] == [0.5, 1.0, 2.0]
    assert q.failures == 3 and len(q) == 2 and memory.stored == {}
    memory.up = True
    assert q.send_once() == 0.0
    assert memory.stored == {'a': 'x', 'b': 'x'} and len(q) == 0 and q.inserted == 2
    q.put(item('c'))
    memory.up = False
    assert q.send_once() == 0.5            # the backoff started again after the success


def test_an_exception_from_insert_is_a_failed_attempt():
    def broken(items):
        raise TimeoutError('memory/insert did not answer')
    q = InsertQueue(broken)
    q.put(item('a'))
    assert q.send_once() == 0.5 and q.failures == 1 and len(q) == 1


def test_upserts_of_one_id_keep_the_newest_in_place():
    memory = Memory()
    q = InsertQueue(memory.insert)
    q.put(item('clip-1', 'two people'))
    q.put(item('sound-1'))
    q.put(item('clip-1', 'three people'))
    assert [(i.id, i.text) for i in q.pending()] == [('clip-1', 'three people'), ('sound-1', 'x')]
    q.send_once()
    assert memory.batches == [['clip-1', 'sound-1']]
    assert memory.stored['clip-1'] == 'three people'


def test_an_update_queued_while_its_older_version_is_in_flight_is_sent_after():
    q = None
    sent = []

    def insert(items):  # while memory stores this batch, the clip is upserted again
        sent.append([(i.id, i.text) for i in items])
        if len(sent) == 1:
            q.put(item('clip-1', 'newer'))
        return True
    q = InsertQueue(insert)
    q.put(item('clip-1', 'older'))
    q.send_once()
    assert [(i.id, i.text) for i in q.pending()] == [('clip-1', 'newer')]
    q.send_once()
    assert sent == [[('clip-1', 'older')], [('clip-1', 'newer')]] and len(q) == 0


def test_bounded_oldest_dropped_and_batches_limited():
    memory = Memory()
    q = InsertQueue(memory.insert, max_items=3, batch=2)
    for name in 'abcde':
        q.put(item(name))
    assert [i.id for i in q.pending()] == ['c', 'd', 'e'] and q.dropped == 2
    q.send_once()
    assert memory.batches == [['c', 'd']] and [i.id for i in q.pending()] == ['e']


def test_run_delivers_after_memory_comes_back_and_stops():
    memory = Memory(up=False)
    q = InsertQueue(memory.insert, backoff=Backoff(0.01, 0.02))
    stop = threading.Event()
    writer = threading.Thread(target=q.run, args=(stop,))
    writer.start()
    q.put(item('a'))
    until(lambda: q.failures >= 3)
    memory.up = True
    until(lambda: len(q) == 0)
    stop.set()
    q.wake()
    writer.join(5)
    assert not writer.is_alive() and memory.stored == {'a': 'x'}
