"""Fine-grained objects (role image_classifier): EfficientNet-Lite0, ImageNet-1k, onnxruntime.

The detector knows 80 COCO labels; this classifier names 1000 ImageNet classes, each a WordNet
noun synset (its `wnid`, 'n02099601' golden retriever), so a frame or a detector's box can be
called an espresso, a fox squirrel or a minivan and placed in WordNet (omnilive.vision.categories).

Preprocessing is the official EfficientNet-Lite one (the TF-Lite models the checkpoint was
converted from): RGB resized to 224x224 as a whole (a box is never cropped further), then
(pixel - 127) / 128. Measured on the photos of tests/models/test_classifier.py, ImageNet's
mean/std scaling instead lowered the top-1 score on every photo and lost apple, orange and a
circuit board to unrelated classes.

Scores are softmax probabilities. `threshold` is the top-1 score above which a label is trusted;
it was chosen on labelled real photos and crops (data/classifier_calibration.json, written by
`python -m omnilive.models.classifier calibrate`; how: see `calibrate`).
"""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

import cv2
import numpy as np

from omnilive.models import registry

DATA = Path(__file__).parent / 'data'
CALIBRATION_FILE = DATA / 'classifier_calibration.json'
CALIBRATION_SET = DATA / 'classifier_calibration_set.yaml'


@dataclasses.dataclass
class Classification:
    wnid: str     # WordNet 3.0 noun offset, 'n02099601'
    name: str     # first lemma, 'golden retriever'
    score: float  # softmax probability


class ImageClassifier:
    SIZE = 224

    def __init__(self, path: str | None = None, device: str = 'cpu', threads: int = 1):
        self.path = registry.resolve('image_classifier', path)
        self.session = registry.load_onnx('image_classifier', self.path, device, threads)
        self.input_name = self.session.get_inputs()[0].name
        folder = Path(self.path).parent
        self.wnids = (folder / 'imagenet_synsets.txt').read_text().split()
        lemmas = dict(line.split('\t', 1) for line in
                      (folder / 'imagenet_synset_to_lemma.txt').read_text().splitlines())
        self.names = [lemmas[w].split(',')[0].strip() for w in self.wnids]
        if len(self.wnids) != 1000:
            raise registry.ModelNotProvisioned(f'{folder}/imagenet_synsets.txt has '
                                               f'{len(self.wnids)} classes, expected 1000')
        # 1.0 (nothing trusted) only while `calibrate` writes the file the package ships
        calibration = json.loads(CALIBRATION_FILE.read_text()) \
            if CALIBRATION_FILE.is_file() else {}
        self.threshold = float(calibration.get('threshold', 1.0))
        # the best class named itself (not a more general synset): at least this score
        self.leaf_threshold = float(calibration.get('leaf_threshold', self.threshold))

    def preprocess(self, rgb: np.ndarray) -> np.ndarray:
        """HxWx3 uint8 RGB -> float32 [3, 224, 224] in the model's (x - 127) / 128 range."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or min(rgb.shape[:2]) < 1:
            raise ValueError(f'expected an HxWx3 RGB image, got shape {rgb.shape}')
        shrink = max(rgb.shape[:2]) > self.SIZE
        x = cv2.resize(rgb, (self.SIZE, self.SIZE),
                       interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
        return ((x.astype(np.float32) - 127.0) / 128.0).transpose(2, 0, 1)

    def probabilities(self, images: list[np.ndarray]) -> np.ndarray:
        """[n, 1000] softmax probabilities for a batch of RGB images of any sizes."""
        if not images:
            return np.zeros((0, len(self.wnids)), np.float32)
        batch = np.stack([self.preprocess(im) for im in images])
        logits = self.session.run(None, {self.input_name: batch})[0].astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return (p / p.sum(axis=1, keepdims=True)).astype(np.float32)

    def ranked(self, p: np.ndarray, top_k: int) -> list[Classification]:
        """The top_k classes of one row of `probabilities`, best first."""
        return self._top(p, top_k)

    def _top(self, p: np.ndarray, top_k: int) -> list[Classification]:
        order = np.argsort(-p)[:max(1, top_k)]
        return [Classification(self.wnids[i], self.names[i], float(p[i])) for i in order]

    def classify(self, rgb: np.ndarray, top_k: int = 5) -> list[Classification]:
        """The top_k classes of one image (a frame or a crop), best first."""
        return self._top(self.probabilities([rgb])[0], top_k)

    def classify_batch(self, images: list[np.ndarray], top_k: int = 5
                       ) -> list[list[Classification]]:
        """`classify` for several images (crops of one frame) in one inference."""
        return [self._top(p, top_k) for p in self.probabilities(images)]

    def classify_boxes(self, rgb: np.ndarray, boxes, top_k: int = 5, margin: float = 0.1
                       ) -> list[list[Classification]]:
        """`classify` of each box (x1, y1, x2, y2 px) of a frame, with `margin` of context on
        every side (the fraction of the box's size), clipped to the frame."""
        return self.classify_batch([crop(rgb, box, margin) for box in boxes], top_k)

    def confident(self, results: list[Classification]) -> list[Classification]:
        """The results whose score reaches the calibrated threshold."""
        return [r for r in results if r.score >= self.threshold]


ALL_VIEWS = ('whole', 'centre')
FRAME_VIEWS = ('whole', 'centre')


def frame_views(rgb: np.ndarray, views=FRAME_VIEWS) -> list[np.ndarray]:
    """The views of a whole frame whose probabilities are averaged: 'whole' (the frame squeezed
    to a square: all of it, its shapes stretched) and 'centre' (the middle square of the
    shorter side's size: its shapes true, what fills the middle larger, the sides cut). A
    4:3 frame squeezed to 224x224 had a fox squirrel at 0.68 that its centre square has at
    0.83; the mean of both was chosen on the fit half of the calibration set
    (docs/benchmarks.md 2b)."""
    h, w = rgb.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    made = {'whole': lambda: rgb, 'centre': lambda: rgb[top:top + side, left:left + side]}
    return [made[v]() for v in views]


def crop(rgb: np.ndarray, box, margin: float = 0.0) -> np.ndarray:
    """The box (x1, y1, x2, y2 px) of an image, grown by `margin` of its size, clipped; never
    empty."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = (float(v) for v in box)
    dx, dy = (x2 - x1) * margin, (y2 - y1) * margin
    left, top = int(max(0, min(w - 1, x1 - dx))), int(max(0, min(h - 1, y1 - dy)))
    right, bottom = int(min(w, max(left + 1, x2 + dx))), int(min(h, max(top + 1, y2 + dy)))
    return rgb[top:bottom, left:right]


# --- calibration: how `threshold` was chosen ----------------------------------------------------

def resolve_media(spec: str) -> Path:
    """'pkg:rel/path' (a file inside an installed Python package) or an absolute path."""
    if spec.startswith('/'):
        return Path(spec)
    pkg, _, rel = spec.partition(':')
    found = importlib.util.find_spec(pkg)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(f'Python package {pkg!r} (for {spec}) is not installed')
    return Path(list(found.submodule_search_locations)[0]) / rel


def load_item_image(item: dict) -> np.ndarray:
    """The RGB image of a calibration item: a photo, or a frame of a video, optionally a box."""
    path = resolve_media(item['image'])
    if 'frame' in item:
        capture = cv2.VideoCapture(str(path))
        for _ in range(int(item['frame']) + 1):
            ok, bgr = capture.read()
            if not ok:
                raise ValueError(f'{path} has no frame {item["frame"]}')
        capture.release()
    else:
        bgr = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if bgr is None:
            raise FileNotFoundError(f'cannot read {path}')
        if bgr.ndim == 2:
            bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
        if bgr.shape[2] == 4:
            bgr = _on_background(bgr, item)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return crop(rgb, item['box']) if 'box' in item else rgb


def _on_background(bgra: np.ndarray, item: dict) -> np.ndarray:
    """A cut-out photo (alpha) pasted in the middle of a 4:3 frame, its longer side `scale`
    (0.6 by default) of the frame's; the frame is the item's `background` photo (an image
    spec, resized to 640x480) or mid-grey."""
    if 'background' in item:
        back = cv2.imread(str(resolve_media(item['background'])), cv2.IMREAD_COLOR)
        if back is None:
            raise FileNotFoundError(item['background'])
        back = cv2.resize(back, (640, 480), interpolation=cv2.INTER_AREA)
    else:
        back = np.full((480, 640, 3), 128, np.uint8)
    h, w = bgra.shape[:2]
    f = float(item.get('scale', 0.6)) * min(640 / w, 480 / h)
    fg = cv2.resize(bgra, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    fh, fw = fg.shape[:2]
    top, left = (480 - fh) // 2, (640 - fw) // 2
    alpha = fg[..., 3:].astype(np.float32) / 255.0
    region = back[top:top + fh, left:left + fw].astype(np.float32)
    back[top:top + fh, left:left + fw] = (alpha * fg[..., :3] + (1 - alpha) * region
                                          ).astype(np.uint8)
    return back


def label_is_correct(predicted: str, truth: list[str]) -> bool:
    """Whether a predicted synset names what a labeller wrote (`truth`: the acceptable synsets,
    empty when none of the 1000 classes names the object). Correct when, for some true synset t,
    the prediction is t, a kind of t (t is among its hypernyms: 'tabby' for 'domestic_cat') or
    t's direct hypernym (one step more general)."""
    from omnilive.vision import categories
    for t in truth:
        if predicted == t or t in categories.hypernyms(predicted) or \
                predicted in categories.direct_hypernyms(t):
            return True
    return False


def label_is_true(predicted: str, truth: list[str]) -> bool:
    """The stricter rule the hedged labels are calibrated with: a stored label must be true of
    what the labeller saw, so it is one of `truth` or more general than one (a hypernym:
    'butterfly' or 'insect' for a butterfly); a kind of it is a claim nobody checked ('monarch'
    for a black and white butterfly is wrong)."""
    from omnilive.vision import categories
    return any(predicted == t or predicted in categories.hypernyms(t) for t in truth)


def precision_recall(rows: list[dict], threshold: float) -> tuple[float, float, int]:
    """(precision of the accepted top-1 labels, recall over items that have a true class,
    number accepted) at `threshold`."""
    accepted = [r for r in rows if r['score'] >= threshold]
    correct = sum(r['correct'] for r in accepted)
    positives = sum(1 for r in rows if r['truth'])
    precision = correct / len(accepted) if accepted else 1.0
    return precision, (correct / positives if positives else 0.0), len(accepted)


def _candidates(row: dict, key: str, rule: dict) -> list:
    """categories.hedge_candidates of a row's `key` classes, computed once per rule."""
    from omnilive.vision import categories
    cache = row.setdefault('_candidates', {})
    tag = (key, tuple(sorted(rule.items())))
    if tag not in cache:
        cache[tag] = categories.hedge_candidates([tuple(x) for x in row[key]], **rule)
    return cache[tag]


def hedged_label(row: dict, threshold: float, leaf_threshold: float | None = None,
                 key: str = 'scored', **rule):
    """categories.hedge over a calibration row's top classes: (synset, probability) or None."""
    from omnilive.vision import categories
    return categories.pick(_candidates(row, key, rule), threshold,
                           threshold if leaf_threshold is None else leaf_threshold)


def hedged_figures(rows: list[dict], threshold: float, leaf_threshold: float | None = None,
                   key: str = 'scored', **rule) -> dict:
    """Precision, recall and how specific the hedged labels of `rows` are at `threshold`
    (`leaf_threshold` for naming the best class itself): each row's label is categories.hedge
    (with `rule`'s options) over its top classes (`key`), judged by `label_is_true`; 'leaf' is
    the share of accepted labels that are one of the 1000 classes."""
    accepted = correct = leaf = 0
    for r in rows:
        found = hedged_label(r, threshold, leaf_threshold, key, **rule)
        if found is None:
            continue
        accepted += 1
        leaf += found[0] == r[key][0][0]
        correct += label_is_true(found[0], r['truth'])
    positives = sum(1 for r in rows if r['truth'])
    return {'precision': round(correct / accepted if accepted else 1.0, 3),
            'recall': round(correct / positives if positives else 0.0, 3),
            'accepted': accepted, 'leaf_share': round(leaf / accepted if accepted else 0.0, 3),
            'items': len(rows), 'with_true_class': positives}


# the rule before the frame views and the wider hedge (b339333): the whole frame squeezed, at
# most 2 steps up from the best class, at 0.80
BEFORE = {'threshold': 0.8, 'key': 'scored_whole',
          'rule': dict(max_steps=2, roots=False, lineages=False)}


def choose_thresholds(fit: list[dict], target_precision: float, margin: float = 0.05
                      ) -> tuple[float, float]:
    """(threshold, leaf_threshold) on a 0.01 grid, leaf_threshold >= threshold: the pair whose
    labels on `fit` are most often true (recall) among the pairs whose labels are at least
    `target_precision` true there and stay so with either threshold up to `margin` higher
    (a choice on the edge of a cliff would not hold on other photos); the higher pair on
    ties."""
    grid = [round(x, 2) for x in np.arange(0.30, 0.995, 0.01)]
    figures = {}

    def precise(t, tl):
        t, tl = min(round(t, 2), 0.99), min(round(tl, 2), 0.99)
        if (t, tl) not in figures:
            figures[(t, tl)] = hedged_figures(fit, t, tl)
        return figures[(t, tl)]['precision'] >= target_precision

    best = (-1.0, 0.0, 0.0)
    steps = [round(x, 2) for x in np.arange(0.0, margin + 1e-9, 0.01)]
    for t in grid:
        for tl in [x for x in grid if x >= t]:
            if not all(precise(t + a, max(tl, t + a)) and precise(t, tl + a) for a in steps):
                continue
            recall = figures[(t, tl)]['recall']
            if (recall, t, tl) > best:
                best = (recall, t, tl)
    return (best[1], best[2]) if best[0] >= 0 else (1.0, 1.0)


def calibrate(target_precision: float = 0.9, threads: int = 2, top_k: int = 10,
              views=FRAME_VIEWS) -> dict:
    """Choose `threshold` on labelled real photos and crops (classifier_calibration_set.yaml).

    Items alternate between a fit half (even positions) and a held-out half (odd); items
    marked `public` (the photos a public evaluation bag shows) are in neither and are listed
    apart. A whole photo is classified as a frame is (the mean over `frame_views`), a box as
    a detector's box is. A label is the classifier's top classes hedged up WordNet
    (categories.hedge over the `top_k` classes: the most specific synset whose classes'
    scores sum to the threshold; the best class named itself only above a leaf threshold),
    judged by `label_is_true`. Both thresholds are chosen on the fit half
    (`choose_thresholds`: the most true labels at a precision of at least
    `target_precision`, held with either threshold a little higher); precision and recall
    are then measured on the held-out half only. 'before_heldout' gives the earlier rule's
    figures (`BEFORE`) on the same half, judged by the same strict rule."""
    import yaml
    from omnilive.vision import categories
    model = ImageClassifier(threads=threads)
    items = yaml.safe_load(CALIBRATION_SET.read_text())['items']
    rows = []
    labelled = 0
    for item in items:
        rgb = load_item_image(item)
        p = model.probabilities([rgb] if 'box' in item else frame_views(rgb, ALL_VIEWS))
        chosen = [0] if 'box' in item else [ALL_VIEWS.index(v) for v in views]
        truth = list(item.get('truth') or [])
        row = {'id': item['id'], 'truth': truth}
        for key, probs in (('scored', p[chosen].mean(axis=0)), ('scored_whole', p[0])):
            top = model.ranked(probs, top_k)
            row[key] = [[categories.synset_of_wnid(c.wnid), round(c.score, 4)] for c in top]
        row['predicted'], row['score'] = row['scored'][0]
        if item.get('public'):
            row['half'] = 'public'
        else:
            row['half'] = 'fit' if labelled % 2 == 0 else 'heldout'
            labelled += 1
        rows.append(row)
    fit = [r for r in rows if r['half'] == 'fit']
    heldout = [r for r in rows if r['half'] == 'heldout']
    public = [r for r in rows if r['half'] == 'public']
    threshold, leaf_threshold = choose_thresholds(fit, target_precision)
    for r in rows:
        found = hedged_label(r, threshold, leaf_threshold)
        r['label'] = found[0] if found else ''
        old = hedged_label(r, BEFORE['threshold'], None, BEFORE['key'], **BEFORE['rule'])
        r['label_before'] = old[0] if old else ''
    before = {half: hedged_figures(part, BEFORE['threshold'], None, BEFORE['key'],
                                   **BEFORE['rule'])
              for half, part in (('heldout', heldout), ('public', public))}
    result = {
        'threshold': threshold,
        'views': list(views),
        'leaf_threshold': leaf_threshold,
        'heldout': hedged_figures(heldout, threshold, leaf_threshold),
        'fit': hedged_figures(fit, threshold, leaf_threshold),
        'public': hedged_figures(public, threshold, leaf_threshold),
        'before_heldout': dict(before['heldout'], threshold=BEFORE['threshold'],
                               rule='whole frame squeezed, at most 2 steps up the best class'),
        'before_public': before['public'],
        'target_precision': target_precision,
        'how': ' '.join(calibrate.__doc__.split('\n\n')[1].split()) + ' ' +
               ' '.join(label_is_true.__doc__.split()),
        'set': CALIBRATION_SET.name,
        'model': 'efficientnet_lite0.onnx (models/manifest.yaml, image_classifier)',
        'rows': rows,
    }
    for r in rows:
        r.pop('_candidates', None)
    return result


def main(argv: list[str]) -> int:
    if argv[:1] != ['calibrate']:
        print('usage: python -m omnilive.models.classifier calibrate [--views whole,centre] '
              '[--write]')
        return 2
    views = FRAME_VIEWS
    if '--views' in argv:
        views = tuple(argv[argv.index('--views') + 1].split(','))
    result = calibrate(views=views)
    for row in result['rows']:
        ok = row['label'] and label_is_true(row['label'], row['truth'])
        was = row['label_before'] and label_is_true(row['label_before'], row['truth'])
        print(f"{row['half']:8s} {row['id']:24s} {row['predicted']:28s} {row['score']:.3f} "
              f"{row['label'] or '-':24s} {'ok' if ok else '--'} "
              f"(before {row['label_before'] or '-'} {'ok' if was else '--'}) {row['truth']}")
    print(json.dumps({k: v for k, v in result.items() if k != 'rows'}, indent=1))
    if '--write' in argv:
        head = json.dumps({k: v for k, v in result.items() if k != 'rows'}, indent=1)
        rows = ',\n  '.join(json.dumps(r) for r in result['rows'])   # a row a line
        CALIBRATION_FILE.write_text(f'{head[:-2]},\n "rows": [\n  {rows}\n ]\n}}\n')
        print(f'written {CALIBRATION_FILE}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
