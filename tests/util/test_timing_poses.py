"""StageTimer statistics and PoseBuffer lookup by time."""
import threading

from omnilive.util.poses import PoseBuffer
from omnilive.util.timing import StageTimer


def test_stage_timer_counts_mean_and_max_per_stage():
    timer = StageTimer()
    for seconds in (0.010, 0.030, 0.020):
        timer.add('asr', seconds)
    timer.add('frame', 0.5)
    n, mean, peak = timer.stats('asr')
    assert n == 3 and abs(mean - 20.0) < 1e-9 and abs(peak - 30.0) < 1e-9
    assert timer.values() == {'ms.asr': 'mean 20.0 max 30.0 n 3',
                              'ms.frame': 'mean 500.0 max 500.0 n 1'}
    assert timer.stats('never') == (0, 0.0, 0.0)


def test_stage_timer_loses_no_count_across_threads():
    timer = StageTimer()

    def work():
        for _ in range(5000):
            timer.add('audio', 0.001)
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert timer.stats('audio')[0] == 20000


def test_pose_lookup_by_time():
    poses = PoseBuffer()
    assert poses.at(5.0) is None
    for t in (1.0, 2.0, 3.0):
        poses.add(t, f'pose@{t}')
    assert poses.at(0.5) == 'pose@1.0'     # before all: the oldest
    assert poses.at(2.0) == 'pose@2.0'     # exact
    assert poses.at(2.4) == 'pose@3.0'     # between: the first at or after
    assert poses.at(9.0) == 'pose@3.0'     # after all: the newest


def test_pose_buffer_keeps_order_and_bound():
    poses = PoseBuffer(maxlen=3)
    for t in (1.0, 3.0, 2.0, 4.0):          # 2.0 arrives late
        poses.add(t, t)
    assert len(poses) == 3
    assert poses.at(0.0) == 2.0             # 1.0 pushed out, 2.0 kept in order
    assert poses.at(2.5) == 3.0
