"""The reasoning node's goal queue and fault injector as plain Python (the graph tests drive them
through the real node): one goal at a time in arrival order, a bound on waiting goals, cancelled
waiting goals released at once; a stall that passes the real pieces through and obeys cancel."""
import threading
import time

from omnilive.reasoning.faults import StallingGenerator
from omnilive.reasoning.turns import GoalQueue


class Goal:
    def __init__(self, name):
        self.name, self.cancel = name, False


def wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.01)


def test_one_at_a_time_in_order_with_a_bound_and_prompt_cancels():
    started = []
    queue = GoalQueue(3, start=started.append, cancel_requested=lambda g: g.cancel, poll_s=0.01)
    try:
        goals = [Goal(i) for i in range(5)]
        admitted = [queue.admit() for _ in goals]
        assert admitted == [True, True, True, False, False]   # the bound counts admitted goals
        for goal in goals[:3]:
            queue.push(goal)
        wait(lambda: started == [goals[0]])                   # the first runs, two wait
        assert queue.waiting() == 2 and queue.admit()         # room again for one
        queue.push(goals[3])
        goals[2].cancel = True                                # cancelled while waiting:
        wait(lambda: goals[2] in started)                     # started at once to end
        assert started == [goals[0], goals[2]] and queue.waiting() == 2
        queue.finished(goals[2])                              # ending it frees nothing
        time.sleep(0.05)
        assert started == [goals[0], goals[2]]
        queue.finished(goals[0])
        wait(lambda: started[-1] is goals[1])                 # arrival order
        queue.finished(goals[1])
        wait(lambda: started[-1] is goals[3])
        assert queue.waiting() == 0
    finally:
        queue.stop()


def test_a_goal_that_cannot_start_does_not_stop_the_queue():
    started, errors = [], []

    def start(goal):
        if goal.name == 'bad':
            raise RuntimeError('invalid state transition')
        started.append(goal)
    queue = GoalQueue(4, start=start, cancel_requested=lambda g: False, poll_s=0.01,
                      on_error=lambda g, err: errors.append((g.name, str(err))))
    try:
        for name in ('bad', 'good'):
            assert queue.admit()
            queue.push(Goal(name))
        wait(lambda: started and started[0].name == 'good')
        assert errors == [('bad', 'invalid state transition')]
    finally:
        queue.stop()


class Pieces:
    def stream(self, messages, **kwargs):
        yield from ['I ', 'saw ', 'a ', 'cup.']


def test_stall_passes_the_real_pieces_and_obeys_cancel():
    gen = StallingGenerator(Pieces(), stall_s=0.2, after_pieces=2)
    assert ''.join(gen.stream([])) == 'I saw a cup.' and gen.stalls == 1
    stop = threading.Event()
    gen = StallingGenerator(Pieces(), stall_s=600)
    out = []
    thread = threading.Thread(target=lambda: out.extend(gen.stream([], should_stop=stop.is_set)))
    thread.start()
    wait(lambda: gen.stalling)
    stop.set()                        # a cancel ends a 10-minute stall at once
    thread.join(timeout=5)
    assert not thread.is_alive() and not gen.stalling and gen.stalls == 1
