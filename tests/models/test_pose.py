"""The pose model (MoveNet MultiPose, converted at install time) on real frames.

Expectations from looking at the frames: vtest.avi at 0 s (640x480) shows three people walking
upright on a path, at about x 416-441, 535-566 and 210-235 px; the astronaut photo shows a
woman's head and shoulders, her face in the upper half of the frame.
"""
import numpy as np
import pytest

from omnilive.bags import media
from omnilive.models.pose import INDEX, KEYPOINTS, PoseEstimator

pytestmark = pytest.mark.models
WALKERS = [(416, 130, 441, 193), (535, 199, 566, 266), (210, 185, 235, 257)]


@pytest.fixture(scope='module')
def estimator():
    return PoseEstimator(threads=1)


def frame(source, offset=0.0):
    return next(iter(media.frames(source, 1, 1, (640, 480), offset)))


def test_upright_walkers_have_head_above_hips_above_ankles(estimator):
    poses = estimator.estimate(frame('opencv:data/vtest.avi'), WALKERS)
    assert len(poses) == 3 and all(p is not None for p in poses)
    for pose, (x1, y1, x2, y2) in zip(poses, WALKERS):
        assert pose.keypoints.shape == (len(KEYPOINTS), 3)
        sure = pose.keypoints[pose.keypoints[:, 2] >= 0.3]
        assert len(sure) >= 10
        # confident keypoints lie on the person (the box with a few pixels of slack)
        assert np.all((sure[:, 0] > x1 - 8) & (sure[:, 0] < x2 + 8))
        assert np.all((sure[:, 1] > y1 - 8) & (sure[:, 1] < y2 + 8))
        kp = pose.keypoints
        shoulders = kp[[INDEX['left_shoulder'], INDEX['right_shoulder']], 1].mean()
        hips = kp[[INDEX['left_hip'], INDEX['right_hip']], 1].mean()
        ankles = kp[[INDEX['left_ankle'], INDEX['right_ankle']], 1].mean()
        assert shoulders < hips < ankles


def test_only_the_largest_boxes_are_estimated(estimator):
    poses = estimator.estimate(frame('opencv:data/vtest.avi'), WALKERS, max_people=1)
    assert poses[0] is None and poses[1] is not None and poses[2] is None


def test_whole_frame_finds_the_astronaut_face_up(estimator):
    rgb = frame('skimage:astronaut')
    [pose] = estimator.estimate_frame(rgb)[:1]
    nose, shoulder = pose.point('nose'), pose.point('left_shoulder')
    assert nose and shoulder and nose[1] < shoulder[1] and nose[1] < rgb.shape[0] / 2


def test_bad_input_is_a_clear_error(estimator):
    with pytest.raises(ValueError, match='HxWx3'):
        estimator.estimate(np.zeros((10, 10), np.uint8), [])
    with pytest.raises(ValueError, match='multiple of 32'):
        PoseEstimator(size=100)
