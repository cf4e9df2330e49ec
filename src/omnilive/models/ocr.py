"""Scene text (role ocr): RapidOCR (PP-OCRv4 detection + recognition) through onnxruntime."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np

from omnilive.models import registry


@dataclasses.dataclass
class TextBox:
    text: str
    score: float
    box: list[list[float]]  # four corner points in input pixels


class TextReader:
    def __init__(self, model: str | None = None, device: str = 'cpu', threads: int = 1,
                 min_score: float = 0.6):
        from rapidocr_onnxruntime import RapidOCR
        root = Path(registry.resolve('ocr', model))
        use_cuda = device != 'cpu' and 'CUDAExecutionProvider' in registry.onnx_providers(device)
        self.engine = RapidOCR(det_model_path=str(root / 'det.onnx'),
                               rec_model_path=str(root / 'rec.onnx'),
                               cls_model_path=str(root / 'cls.onnx'),
                               intra_op_num_threads=max(1, int(threads)),
                               inter_op_num_threads=1,
                               det_use_cuda=use_cuda, rec_use_cuda=use_cuda, cls_use_cuda=use_cuda)
        self.min_score = min_score

    def read(self, rgb: np.ndarray) -> list[TextBox]:
        bgr = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR)  # RapidOCR wants BGR
        result, _ = self.engine(bgr)
        boxes = [TextBox(text.strip(), float(score), [list(map(float, p)) for p in box])
                 for box, text, score in (result or [])]
        return [b for b in boxes if b.text and b.score >= self.min_score]
