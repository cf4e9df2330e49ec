"""A still view stays one clip: real photos held for a minute with camera sensor noise (the
noise a real camera adds to every frame: per-pixel Gaussian, sigma 4 grey levels, and a small
exposure flicker), one of them a featureless patch of evening sky. A cut to another view starts a
new clip at once (tests/vision/test_scenes.py: a scene that keeps changing, people walking, is
still split at max_frames)."""
import numpy as np
from skimage import data

from omnilive.vision.scenes import SceneSegmenter, frame_features

FPS = 1.5


def sky() -> np.ndarray:
    """The plain sky between the launch towers of skimage's rocket photo (looked at: dark blue,
    a smooth gradient, nothing in it)."""
    import cv2
    return cv2.resize(data.rocket()[10:150, 190:430], (320, 240), interpolation=cv2.INTER_AREA)


def coffee() -> np.ndarray:
    import cv2
    return cv2.resize(data.coffee(), (320, 240), interpolation=cv2.INTER_AREA)


def noisy(still: np.ndarray, seconds: float, rng) -> list[np.ndarray]:
    out = []
    for _ in range(int(seconds * FPS)):
        gain = 1.0 + rng.normal(0, 0.01)               # exposure flicker
        frame = still.astype(np.float32) * gain + rng.normal(0, 4.0, still.shape)
        out.append(np.clip(frame, 0, 255).astype(np.uint8))
    return out


def boundaries(frames: list[np.ndarray]):
    segmenter = SceneSegmenter()
    cuts, splits = [], []
    for i, frame in enumerate(frames):
        b = segmenter.push(frame_features(frame))
        if b is not None:
            (cuts if b.cut else splits).append(i)
    return cuts, splits


def test_a_still_featureless_view_is_one_clip_for_a_minute():
    rng = np.random.default_rng(0)
    cuts, splits = boundaries(noisy(sky(), 60, rng))
    assert cuts == [] and splits == []


def test_a_blank_wall_from_a_small_camera_is_one_clip():
    """160x120 frames of an evenly lit wall (the brown of the table in skimage's coffee photo):
    what is left of the view's structure is the sensor noise (before the fix: a cut every 2
    frames, a new clip every 1.3 s)."""
    rng = np.random.default_rng(2)
    wall = np.zeros((120, 160, 3), np.uint8) + data.coffee()[330, 480]
    cuts, splits = boundaries(noisy(wall, 60, rng))
    assert cuts == [] and splits == []


def test_a_still_textured_view_is_one_clip_and_a_cut_starts_the_next():
    rng = np.random.default_rng(1)
    frames = noisy(coffee(), 60, rng) + noisy(sky(), 30, rng)
    cuts, splits = boundaries(frames)
    assert cuts == [int(60 * FPS)] and splits == []
