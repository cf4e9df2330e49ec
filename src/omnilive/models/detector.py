"""Objects and people (role object_detector): MobileNetV3-CenterNet (80 COCO classes), onnxruntime.

The model takes a 512x512 RGB float image (0-255, no normalisation) and returns 100 candidate
boxes (x1, y1, x2, y2 in 512-px units, score, class); boxes are filtered by score, suppressed with
NMS per class and scaled back to the input image.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np

from omnilive.models import registry


@dataclasses.dataclass
class Detection:
    label: str
    score: float
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in input pixels


class Detector:
    SIZE = 512

    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1,
                 score_threshold: float = 0.35, nms_iou: float = 0.4):
        self.path = registry.resolve('object_detector', model)
        self.session = registry.onnx_session(self.path, device, threads)
        self.input_name = self.session.get_inputs()[0].name
        self.labels = Path(self.path).with_name('labels.txt').read_text().split('\n')[:80]
        self.score_threshold = score_threshold
        self.nms_iou = nms_iou

    def detect(self, rgb: np.ndarray) -> list[Detection]:
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f'expected an HxWx3 RGB image, got shape {rgb.shape}')
        h, w = rgb.shape[:2]
        x = cv2.resize(rgb, (self.SIZE, self.SIZE), interpolation=cv2.INTER_LINEAR)
        raw = self.session.run(None, {self.input_name: x.astype(np.float32)[None]})[0]
        raw = raw.reshape(-1, 6)
        raw = raw[raw[:, 4] >= self.score_threshold]
        found = []
        for cls in np.unique(raw[:, 5]).astype(int):
            rows = raw[raw[:, 5] == cls]
            boxes = [[float(r[0]), float(r[1]), float(r[2] - r[0]), float(r[3] - r[1])]
                     for r in rows]
            keep = cv2.dnn.NMSBoxes(boxes, rows[:, 4].tolist(), self.score_threshold, self.nms_iou)
            for i in np.asarray(keep).reshape(-1):
                x1, y1, x2, y2, score, _ = rows[i]
                sx, sy = w / self.SIZE, h / self.SIZE
                found.append(Detection(self.labels[cls], float(score),
                                       (float(x1 * sx), float(y1 * sy), float(x2 * sx),
                                        float(y2 * sy))))
        return sorted(found, key=lambda d: -d.score)

    @staticmethod
    def counts(detections: list[Detection]) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in detections:
            out[d.label] = out.get(d.label, 0) + 1
        return out
