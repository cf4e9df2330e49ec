"""The colours of an object inside its box, named with the basic colour terms people use.

Pixels near the box's centre count more than those near its edges (a box holds background at
its corners); the crop's exposure is normalised (its bright end scaled towards white, within
limits) so a dim or bright view of the same object gets the same names; k-means in CIELAB
(OpenCV) finds the main colours and each cluster is named from its lightness, chroma and hue
(`name_colour`).
Silver and gold are told apart from grey/white and yellow/brown by a metallic look: a bright,
little-saturated cluster whose lightness varies strongly (highlights and reflections). That
rule is weak on real photos (k-means splits a polished surface into flat light and dark
clusters; a spoon mirrors the table's brown), so silver and gold are rarely named yet.
"""
from __future__ import annotations

import cv2
import numpy as np

# The shared vocabulary: the 11 basic colour terms, then two metallic ones. Reasoning and the
# scorer match colour words in questions and answers against exactly these names.
COLOUR_NAMES = ('black', 'white', 'grey', 'red', 'orange', 'yellow', 'green', 'blue', 'purple',
                'pink', 'brown', 'silver', 'gold')

def _lab(rgb_uint8: np.ndarray) -> np.ndarray:
    """uint8 RGB [..., 3] -> float32 CIELAB (L 0-100, a and b about -128..127)."""
    rgb = rgb_uint8.reshape(-1, 1, 3).astype(np.float32) / 255.0
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).reshape(-1, 3)


def _centre_weights(h: int, w: int) -> np.ndarray:
    """A Gaussian bump over the box: its centre 1, its corners ~0.04."""
    y = (np.arange(h, dtype=np.float32) + 0.5) / h - 0.5
    x = (np.arange(w, dtype=np.float32) + 0.5) / w - 0.5
    return np.exp(-(y[:, None] ** 2 + x[None, :] ** 2) / (2 * 0.25 ** 2))


def exposure_gain(rgb: np.ndarray) -> float:
    """How much to brighten an image so its bright end (99th percentile of the brightest
    channel) is near white: a 0.6x dimmer view comes back, a dark scene is not made grey
    (at most 2x), and nothing is darkened. Measured inside the box: the object's own
    highlights say how it is lit better than a bright window elsewhere in the frame."""
    small = rgb[::max(1, max(rgb.shape[:2]) // 128), ::max(1, max(rgb.shape[:2]) // 128)]
    bright = float(np.percentile(small.max(axis=2), 99))
    return max(1.0, min(2.0, 245.0 / max(bright, 1.0)))


def name_colour(lab, lightness_spread: float = 0.0) -> str:
    """The name of one CIELAB colour, from its lightness L, chroma C and hue angle h (degrees in
    the a-b plane: red ~40, orange ~65, yellow ~100, green ~135, cyan ~195, blue ~305, purple
    ~325); `lightness_spread` (std of L within its cluster) tells metallic surfaces apart."""
    lightness, a, b = (float(v) for v in lab)
    chroma = float(np.hypot(a, b))
    hue = float(np.degrees(np.arctan2(b, a))) % 360
    if lightness_spread >= 14 and lightness >= 50:  # highlights and reflections: metal
        if chroma < 12:
            return 'silver'
        if chroma < 45 and 60 <= hue < 100:
            return 'gold'
    if lightness < 8 or (lightness < 16 and chroma < 40):
        return 'black'
    pale_warm = lightness >= 70 and chroma < 30 and 45 <= hue < 110  # cream, ivory: white
    if chroma < 10 + 0.15 * max(0.0, lightness - 50) or pale_warm:
        return 'black' if lightness < 25 else 'white' if lightness >= 70 else 'grey'
    if hue < 43 or hue >= 345:
        return 'pink' if lightness >= 60 or (chroma < 35 and lightness >= 45) else 'red'
    if hue < 50:  # red-orange: brown only when dark
        return 'brown' if lightness < 40 else 'orange'
    if hue < 87:
        return 'brown' if lightness < 60 else 'orange'
    if hue < 110:
        return 'brown' if lightness < 50 else 'yellow'
    if hue < 200:
        return 'green'
    if hue < 314:
        return 'blue'
    return 'pink' if lightness >= 65 else 'purple'


def colour_shares(rgb: np.ndarray, box=None, k: int = 4, min_share: float = 0.0,
                  seed: int = 0) -> list[tuple[str, float]]:
    """(colour name, share of the centre-weighted pixels) inside `box` (x1, y1, x2, y2 px; the
    whole image when None), largest first, names merged, shares summing to 1."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f'expected an HxWx3 RGB image, got shape {rgb.shape}')
    if box is not None:
        h, w = rgb.shape[:2]
        x1, y1, x2, y2 = (int(round(float(v))) for v in box)
        x1, y1 = max(0, min(w - 1, x1)), max(0, min(h - 1, y1))
        rgb = rgb[y1:max(y1 + 1, min(h, y2)), x1:max(x1 + 1, min(w, x2))]
    scale = min(1.0, 64.0 / max(rgb.shape[:2]))  # 64 px across is plenty for colour
    if scale < 1.0:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gain = exposure_gain(rgb)
    if gain > 1.0:
        rgb = np.clip(rgb.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    weights = _centre_weights(*rgb.shape[:2]).reshape(-1)
    lab = _lab(rgb)
    k = max(1, min(k, len(lab)))
    cv2.setRNGSeed(seed)  # k-means++ seeding: the same crop always gets the same clusters
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, assigned, centres = cv2.kmeans(lab, k, None, criteria, 3, cv2.KMEANS_PP_CENTERS)
    assigned = assigned.reshape(-1)
    names = []
    for c in range(k):
        member = assigned == c
        spread = float(np.sqrt(np.average((lab[member, 0] - centres[c, 0]) ** 2,
                                          weights=weights[member]))) if member.any() else 0.0
        names.append(name_colour(centres[c], spread))
    shares: dict[str, float] = {}
    total = float(weights.sum())
    for c, name in enumerate(names):
        share = float(weights[assigned == c].sum()) / total
        if share > 0:
            shares[name] = shares.get(name, 0.0) + share
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    return [(name, share) for name, share in ranked if share >= min_share]


def colours(rgb: np.ndarray, box=None, max_names: int = 2, min_share: float = 0.25
            ) -> list[str]:
    """The colour names of the object in `box`, main colour first: those covering at least
    `min_share` of the centre-weighted pixels, at most `max_names` (always at least one)."""
    ranked = colour_shares(rgb, box)
    names = [name for name, share in ranked if share >= min_share][:max_names]
    return names or [ranked[0][0]]


ACHROMATIC = ('black', 'white', 'grey')
SALIENT_SHARE = 0.35


def garment_colour(rgb: np.ndarray, box=None) -> str:
    """The one colour name people would give a garment in `box`: its main colour, except
    that a chromatic colour covering at least SALIENT_SHARE of it wins over black, white or
    grey (a red and black jacket is called red; dark folds and shadows read as black)."""
    ranked = colour_shares(rgb, box)
    for name, share in ranked:
        if name not in ACHROMATIC and share >= SALIENT_SHARE:
            return name
    return ranked[0][0]

