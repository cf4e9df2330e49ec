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
        self.threshold = (float(json.loads(CALIBRATION_FILE.read_text())['threshold'])
                          if CALIBRATION_FILE.is_file() else 1.0)

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
        bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if bgr is None:
            raise FileNotFoundError(f'cannot read {path}')
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return crop(rgb, item['box']) if 'box' in item else rgb


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


def hedged_figures(rows: list[dict], threshold: float) -> dict:
    """Precision, recall and how specific the hedged labels of `rows` are at `threshold`: each
    row's label is categories.hedge over its top classes (`scored`), judged by
    `label_is_true`; 'leaf' is the share of accepted labels that are one of the 1000 classes."""
    from omnilive.vision import categories
    accepted = correct = leaf = 0
    for r in rows:
        found = categories.hedge([tuple(x) for x in r['scored']], threshold)
        if found is None:
            continue
        accepted += 1
        leaf += found[0] == r['scored'][0][0]
        correct += label_is_true(found[0], r['truth'])
    positives = sum(1 for r in rows if r['truth'])
    return {'precision': round(correct / accepted if accepted else 1.0, 3),
            'recall': round(correct / positives if positives else 0.0, 3),
            'accepted': accepted, 'leaf_share': round(leaf / accepted if accepted else 0.0, 3),
            'items': len(rows), 'with_true_class': positives}


def calibrate(target_precision: float = 0.9, threads: int = 2, top_k: int = 10) -> dict:
    """Choose `threshold` on labelled real photos and crops (classifier_calibration_set.yaml).

    Items alternate between a fit half (even positions) and a held-out half (odd). A label is
    the classifier's top class hedged up WordNet (categories.hedge over its `top_k` classes:
    the most specific synset whose classes' scores sum to the threshold), judged by
    `label_is_true`. The threshold is the lowest (on a 0.01 grid) at which the fit half's
    labels are at least `target_precision` true, and stay so at every higher threshold;
    precision and recall are then measured on the held-out half only. 'before' gives the
    earlier rule's figures on the same half (the top class alone above the old threshold)
    judged by the same strict rule."""
    import yaml
    from omnilive.vision import categories
    old = json.loads(CALIBRATION_FILE.read_text()) if CALIBRATION_FILE.is_file() else {}
    model = ImageClassifier(threads=threads)
    items = yaml.safe_load(CALIBRATION_SET.read_text())['items']
    rows = []
    for i, item in enumerate(items):
        top = model.classify(load_item_image(item), top_k=top_k)
        scored = [[categories.synset_of_wnid(c.wnid), round(c.score, 4)] for c in top]
        truth = list(item.get('truth') or [])
        rows.append({'half': 'fit' if i % 2 == 0 else 'heldout', 'id': item['id'],
                     'predicted': scored[0][0], 'score': scored[0][1], 'truth': truth,
                     'correct': label_is_true(scored[0][0], truth), 'scored': scored})
    fit = [r for r in rows if r['half'] == 'fit']
    heldout = [r for r in rows if r['half'] == 'heldout']
    threshold = 1.0
    for candidate in [round(x, 2) for x in np.arange(0.99, 0.199, -0.01)]:
        if hedged_figures(fit, candidate)['precision'] < target_precision:
            break
        threshold = candidate
    for r in rows:
        found = categories.hedge([tuple(x) for x in r['scored']], threshold)
        r['label'] = found[0] if found else ''
    before = {}
    if 'old_threshold' in old or 'threshold' in old:
        t_old = float(old.get('old_threshold', old['threshold']))
        p, rec, n = precision_recall(heldout, t_old)
        before = {'threshold': t_old, 'precision': round(p, 3), 'recall': round(rec, 3),
                  'accepted': n, 'rule': 'top class alone, judged by label_is_true'}
    return {
        'threshold': threshold,
        'heldout': hedged_figures(heldout, threshold),
        'fit': hedged_figures(fit, threshold),
        'before_heldout': before,
        'old_threshold': before.get('threshold'),
        'target_precision': target_precision,
        'how': ' '.join(calibrate.__doc__.split('\n\n')[1].split()) + ' ' +
               ' '.join(label_is_true.__doc__.split()),
        'set': CALIBRATION_SET.name,
        'model': 'efficientnet_lite0.onnx (models/manifest.yaml, image_classifier)',
        'rows': rows,
    }


def main(argv: list[str]) -> int:
    if argv[:1] != ['calibrate']:
        print('usage: python -m omnilive.models.classifier calibrate [--write]')
        return 2
    result = calibrate()
    for row in result['rows']:
        ok = row['label'] and label_is_true(row['label'], row['truth'])
        print(f"{row['half']:8s} {row['id']:24s} {row['predicted']:28s} {row['score']:.3f} "
              f"{row['label'] or '-':24s} {'ok' if ok else '--'} {row['truth']}")
    print(json.dumps({k: v for k, v in result.items() if k != 'rows'}, indent=1))
    if '--write' in argv:
        CALIBRATION_FILE.write_text(json.dumps(result, indent=1) + '\n')
        print(f'written {CALIBRATION_FILE}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
