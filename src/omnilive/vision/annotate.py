"""The annotated debug image of an analysed frame (perception's `debug_image`, off by default):
boxes with their names and scores, people with what is known of them (clothing, posture,
wrists), and the text read in the frame listed under the image. Pure numpy in and out (RGB
uint8), drawn with OpenCV."""
from __future__ import annotations

from typing import Iterable, Sequence

import cv2
import numpy as np

from omnilive.vision.facts import SCENE, ObjectFact

OBJECT_RGB = (40, 170, 255)
PERSON_RGB = (255, 80, 60)
REFINED_RGB = (60, 220, 90)
TEXT_RGB = (255, 255, 255)
PANEL_RGB = (20, 20, 20)
FONT = cv2.FONT_HERSHEY_SIMPLEX


def _scale(image: np.ndarray) -> tuple[float, int]:
    """Font scale and line thickness readable at this image size."""
    s = max(image.shape[:2]) / 900.0
    return max(0.35, 0.5 * s), max(1, int(round(2 * s)))


def _label(image: np.ndarray, text: str, x: int, y: int, rgb, scale: float, thick: int) -> None:
    """`text` on a filled tag of colour `rgb`, its top-left corner at (x, y), kept inside."""
    (w, h), base = cv2.getTextSize(text, FONT, scale, max(1, thick - 1))
    h_img, w_img = image.shape[:2]
    x = int(min(max(0, x), max(0, w_img - w - 4)))
    y = int(min(max(0, y), max(0, h_img - h - base - 4)))
    cv2.rectangle(image, (x, y), (x + w + 4, y + h + base + 4), rgb, -1)
    cv2.putText(image, text, (x + 2, y + h + 2), FONT, scale, (0, 0, 0), max(1, thick - 1),
                cv2.LINE_AA)


def describe(fact: ObjectFact, refined: Sequence[ObjectFact] = ()) -> str:
    """The tag of one box: 'golden retriever 0.81 (dog 0.92)', a person with clothes and
    posture: 'person 0.88: red top, blue trousers, standing'."""
    names = [f'{f.name} {f.score:.2f}' for f in refined]
    text = ' / '.join(names) + f' ({fact.name} {fact.score:.2f})' if names else \
        f'{fact.name} {fact.score:.2f}'
    extra = []
    if fact.clothing:
        extra += [f'{colour} {"top" if part == "upper" else "trousers"}'
                  for part, colour in fact.clothing.items()]
    posture = getattr(fact.body, 'posture', '') if fact.body is not None else ''
    if posture:
        extra.append(posture)
    return text + (': ' + ', '.join(extra) if extra else '')


def annotate(rgb: np.ndarray, objects: Iterable[ObjectFact], texts: Sequence[str] = ()) \
        -> np.ndarray:
    """A new RGB uint8 image: `rgb` with the boxes of `objects` (FrameFacts.objects; classifier
    names shown on the detector box they refine; whole-frame scene names in the top-left
    corner), people's wrists as dots, and `texts` (FrameFacts.texts) in a panel below."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f'expected an RGB image (H, W, 3), got shape {rgb.shape}')
    image = np.ascontiguousarray(rgb, dtype=np.uint8).copy()
    scale, thick = _scale(image)
    objects = list(objects)
    detected = [f for f in objects if f.source != SCENE and not f.refines]
    refining = [f for f in objects if f.refines]
    scene = [f for f in objects if f.source == SCENE]
    for fact in detected:
        x1, y1, x2, y2 = (int(round(float(v))) for v in fact.box)
        refined = [f for f in refining if tuple(f.box) == tuple(fact.box)]
        colour = PERSON_RGB if fact.name == 'person' else REFINED_RGB if refined else OBJECT_RGB
        cv2.rectangle(image, (x1, y1), (x2, y2), colour, thick)
        _, h = cv2.getTextSize('Ag', FONT, scale, thick)[0]
        _label(image, describe(fact, refined), x1, y1 - h - 8, colour, scale, thick)
        for wx, wy in getattr(fact.body, 'wrists', None) or []:
            cv2.circle(image, (int(wx), int(wy)), 2 * thick + 1, PERSON_RGB, -1)
    if scene:
        _label(image, 'scene: ' + ', '.join(f'{f.name} {f.score:.2f}' for f in scene), 0, 0,
               TEXT_RGB, scale, thick)
    return _text_panel(image, [t for t in texts if t.strip()], scale, thick)


def _text_panel(image: np.ndarray, texts: Sequence[str], scale: float, thick: int) \
        -> np.ndarray:
    """`image` with a dark panel below listing the text read (none: the image unchanged)."""
    if not texts:
        return image
    lines = [f'text: "{t.strip()}"' for t in texts]
    (_, h), base = cv2.getTextSize('Ag', FONT, scale, 1)
    line_h = h + base + 6
    panel = np.empty((line_h * len(lines) + 6, image.shape[1], 3), np.uint8)
    panel[:] = PANEL_RGB
    for i, line in enumerate(lines):
        cv2.putText(panel, line, (6, 4 + h + i * line_h), FONT, scale, TEXT_RGB,
                    max(1, thick - 1), cv2.LINE_AA)
    return np.vstack([image, panel])
