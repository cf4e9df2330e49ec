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

WB_STRENGTH = 0.5          # share of the estimated colour cast taken off a frame
SEGMENT_ITERATIONS = 2     # GrabCut iterations on the 64 px crop
BACKGROUND_WEIGHT = 0.1    # weight of the pixels segmentation calls background
SHADOW_L, GLINT_L = 15.0, 88.0   # CIELAB lightness of deep shadow and of specular glints
SHADING_WEIGHT = 0.5       # their weight beside a colour covering SHADED_MIN_SHARE
SHADED_MIN_SHARE = 0.15
VIVID_CHROMA, VIVID_MIN_SHARE, DULL_CHROMA = 45.0, 0.08, 25.0
# chroma above which a red-orange hue is not brown, and a crimson one is pink
VIVID_ORANGE_CHROMA, VIVID_PINK_CHROMA = 65.0, 55.0


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
    # the boundaries below between red, pink, orange, brown and yellow were checked against
    # the names people gave colours in the xkcd colour survey (tools/vision_accuracy.py)
    if (hue >= 345 or hue < 10) and chroma >= VIVID_PINK_CHROMA and lightness >= 42:
        return 'pink'       # vivid crimson to magenta-red: hot pink, deep pink
    if hue < 43 or hue >= 345:
        return 'pink' if lightness >= 60 or (chroma < 35 and lightness >= 45) else 'red'
    if hue < 50:  # red-orange: brown only when dark and dull; a vivid dark one is rust red
        if chroma >= VIVID_ORANGE_CHROMA:
            return 'red' if lightness < 45 else 'orange'
        return 'brown' if lightness < 40 else 'orange'
    if hue < 60:  # red-brown side: wood, leather; vivid: burnt orange
        if chroma >= VIVID_ORANGE_CHROMA:
            return 'orange'
        return 'brown' if lightness < 60 else 'orange'
    if hue < 87:  # a light or strongly coloured orange stays orange (a bus, a ring)
        if hue >= 80 and lightness >= 75:
            return 'yellow'     # golden yellow, orange-yellow
        return 'brown' if lightness < 45 or (lightness < 60 and chroma < 55) else 'orange'
    if hue < 110:
        return 'brown' if lightness < 50 else 'yellow'
    if hue < 200:
        return 'green'
    if hue < 314:
        return 'blue'
    return 'pink' if lightness >= 65 else 'purple'


def white_balance(rgb: np.ndarray, strength: float = WB_STRENGTH) -> np.ndarray:
    """Per-channel gains (R, G, B) that take part of a colour cast off a frame: the light's
    colour is estimated as the frame's shades-of-grey mean (Finlayson & Trezzi 2004, Minkowski
    p = 6: bright surfaces count more than dark ones), and `strength` of the way to neutral is
    applied, each gain within [0.8, 1.25], so a yellowish room light is taken off a red apple
    while a frame that is mostly one colour (a lawn) keeps most of it."""
    small = rgb[::max(1, max(rgb.shape[:2]) // 96), ::max(1, max(rgb.shape[:2]) // 96)]
    x = small.reshape(-1, 3).astype(np.float64) / 255.0
    light = np.power(np.mean(np.power(x, 6.0), axis=0), 1 / 6.0) + 1e-6
    gains = np.power(light.mean() / light, strength)
    return np.clip(gains, 0.8, 1.25).astype(np.float32)


def _foreground(rgb: np.ndarray, inner) -> np.ndarray | None:
    """A 0/1 mask of the object inside `inner` (x1, y1, x2, y2 of `rgb`, the box within its
    context): OpenCV GrabCut, initialised with what lies outside the box as background; None
    when it finds too little or almost everything (nothing to tell apart)."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = inner
    if x1 < 1 and y1 < 1 and x2 > w - 2 and y2 > h - 2:   # no context: a thin border instead
        dx, dy = max(1, w // 12), max(1, h // 12)
        x1, y1, x2, y2 = dx, dy, w - dx, h - dy
    if x2 - x1 < 4 or y2 - y1 < 4:
        return None
    mask = np.zeros((h, w), np.uint8)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    try:
        cv2.grabCut(rgb, mask, (int(x1), int(y1), int(x2 - x1), int(y2 - y1)), bgd, fgd,
                    SEGMENT_ITERATIONS, cv2.GC_INIT_WITH_RECT)
    except cv2.error:
        return None
    fg = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.float32)
    share = float(fg[y1:y2, x1:x2].mean())
    return fg if 0.15 <= share <= 0.97 else None


def colour_shares(rgb: np.ndarray, box=None, k: int = 4, min_share: float = 0.0,
                  seed: int = 0, gains=None, segment: bool = False, salient: bool = False
                  ) -> list[tuple[str, float]]:
    """(colour name, share of the centre-weighted pixels) inside `box` (x1, y1, x2, y2 px; the
    whole image when None), largest first, names merged, shares summing to 1. `gains`: the
    frame's white balance (`white_balance`), applied first; `segment`: weigh the object's own
    pixels (`_foreground`, with a margin of context around the box) over its background;
    `salient`: name the object as people do, shading discounted (deep shadow and specular
    glints count half beside a real colour) and a vivid colour first over dull larger parts."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f'expected an HxWx3 RGB image, got shape {rgb.shape}')
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = 0, 0, w, h
    if box is not None:
        x1, y1, x2, y2 = (int(round(float(v))) for v in box)
        x1, y1 = max(0, min(w - 1, x1)), max(0, min(h - 1, y1))
        x2, y2 = max(x1 + 1, min(w, x2)), max(y1 + 1, min(h, y2))
    # context around the box for the segmentation: a margin of 15 % of its size
    mx, my = (int(0.15 * (x2 - x1)), int(0.15 * (y2 - y1))) if segment else (0, 0)
    cx1, cy1, cx2, cy2 = max(0, x1 - mx), max(0, y1 - my), min(w, x2 + mx), min(h, y2 + my)
    rgb = rgb[cy1:cy2, cx1:cx2]
    scale = min(1.0, 64.0 / max(rgb.shape[:2]))  # 64 px across is plenty for colour
    if scale < 1.0 and min(rgb.shape[:2]) * scale >= 1.0:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    elif scale < 1.0:  # a box 1-2 px thin: fx/fy would scale it to 0 px
        size = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    if gains is not None:
        rgb = np.clip(rgb.astype(np.float32) * np.asarray(gains, np.float32), 0, 255
                      ).astype(np.uint8)
    ch, cw = rgb.shape[:2]
    inner = (int(round((x1 - cx1) * cw / (cx2 - cx1))), int(round((y1 - cy1) * ch / (cy2 - cy1))),
             int(round((x2 - cx1) * cw / (cx2 - cx1))), int(round((y2 - cy1) * ch / (cy2 - cy1))))
    inner = (inner[0], inner[1], max(inner[0] + 1, inner[2]), max(inner[1] + 1, inner[3]))
    fg = _foreground(rgb, inner) if segment else None
    rgb = rgb[inner[1]:inner[3], inner[0]:inner[2]]
    gain = exposure_gain(rgb)
    if gain > 1.0:
        rgb = np.clip(rgb.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    weights = _centre_weights(*rgb.shape[:2])
    if fg is not None:   # the object's pixels, its background only a little
        weights = weights * (BACKGROUND_WEIGHT + (1 - BACKGROUND_WEIGHT) *
                             fg[inner[1]:inner[3], inner[0]:inner[2]])
    weights = weights.reshape(-1)
    lab = _lab(rgb)
    k = max(1, min(k, len(lab)))
    cv2.setRNGSeed(seed)  # k-means++ seeding: the same crop always gets the same clusters
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, assigned, centres = cv2.kmeans(lab, k, None, criteria, 3, cv2.KMEANS_PP_CENTERS)
    assigned = assigned.reshape(-1)
    names, discount = [], np.ones(k)
    for c in range(k):
        member = assigned == c
        spread = float(np.sqrt(np.average((lab[member, 0] - centres[c, 0]) ** 2,
                                          weights=weights[member]))) \
            if member.any() and weights[member].sum() > 0 else 0.0
        names.append(name_colour(centres[c], spread))
    raw = np.array([float(weights[assigned == c].sum()) for c in range(k)])
    if salient:
        # shading, not paint: deep shadow and white specular glints count half beside a
        # colour that covers a fair share of the object
        chroma = np.hypot(centres[:, 1], centres[:, 2])
        coloured = (chroma >= 20) & (raw / max(raw.sum(), 1e-9) >= SHADED_MIN_SHARE)
        if coloured.any():
            shading = (centres[:, 0] < SHADOW_L) | ((centres[:, 0] > GLINT_L) & (chroma < 10))
            discount[shading] = SHADING_WEIGHT
    raw = raw * discount
    shares: dict[str, float] = {}
    total = float(raw.sum())
    for c, name in enumerate(names):
        share = raw[c] / total
        if share > 0:
            shares[name] = shares.get(name, 0.0) + share
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    if salient:
        # people name a thing by its vivid colour ("the red motorcycle"), not by the dull
        # parts around it (tyres, engine, shadow): a vivid cluster covering a tenth of the
        # object goes first when the larger ones are dull (achromatic or brownish)
        chroma = np.hypot(centres[:, 1], centres[:, 2])
        share_of = raw / max(float(raw.sum()), 1e-9)
        vivid = [c for c in np.argsort(-share_of) if chroma[c] >= VIVID_CHROMA and
                 share_of[c] >= VIVID_MIN_SHARE]
        if vivid and names[vivid[0]] != ranked[0][0] and \
                all(chroma[c] < DULL_CHROMA for c in range(k) if share_of[c] > share_of[vivid[0]]):
            first = names[vivid[0]]
            ranked = [(first, shares[first])] + [(n, v) for n, v in ranked if n != first]
    return [(name, share) for name, share in ranked if share >= min_share]


def colours(rgb: np.ndarray, box=None, max_names: int = 2, min_share: float = 0.25,
            gains=None, segment: bool = False, salient: bool = False) -> list[str]:
    """The colour names of the object in `box`, main colour first: those covering at least
    `min_share` of the centre-weighted pixels, at most `max_names` (always at least one);
    `gains`, `segment` and `salient` as in `colour_shares`."""
    ranked = colour_shares(rgb, box, gains=gains, segment=segment, salient=salient)
    # the first is the main colour (the largest, or a vivid one `colour_shares` put first)
    names = [ranked[0][0]] + [name for name, share in ranked[1:] if share >= min_share]
    return names[:max(1, max_names)]


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

