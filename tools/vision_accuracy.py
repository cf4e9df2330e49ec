"""Colour naming accuracy of object boxes in real photos (omnilive.vision.colours), before and
after the frame-level white balance and the box's foreground segmentation, with the image
classifier's calibrated figures beside them.

The labelled set is tools/data/vision_colour_set.yaml: objects in photos from packages the
project provisions, boxed by the photo's own annotation, the detector or by hand, with the
colour names a person accepts for each (written by looking at it). Items alternate between a
fit half (even positions) and a held-out half (odd); the settings were chosen looking at the
fit half only, the held-out half is reported as the figure. Each box is read as the perception
node reads it: the frame downscaled to COLOUR_WIDTH, then `colours` in the scaled box.

The boundaries of `name_colour` between hues are also checked against the xkcd colour survey
(`survey_agreement`: the share of 569 colours people named with a basic term that it names
the same).

Figures per half and method: main (the first name given is one the person accepts), named
(the share of all names given that the person accepts: a second colour named wrongly counts
against it). The `errands` items (photos the second public bag uses) are listed apart.

    .venv/bin/python tools/vision_accuracy.py [--markdown]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np
import yaml

from omnilive.models.classifier import CALIBRATION_FILE, resolve_media
from omnilive.vision import colours as C
from omnilive.vision.facts import COLOUR_WIDTH

SET = Path(__file__).parent / 'data' / 'vision_colour_set.yaml'
METHODS = {'before': dict(balance=False, segment=False, salient=False),
           'after': dict(balance=True, segment=False, salient=True)}
VARIANTS = {'balance': dict(balance=True, segment=False, salient=False),
            'salient': dict(balance=False, segment=False, salient=True),
            'segment': dict(balance=True, segment=True, salient=True)}


def load(item: dict, detector=None) -> tuple[np.ndarray, tuple]:
    bgr = cv2.imread(str(resolve_media(item['image'])), cv2.IMREAD_COLOR)
    if bgr is None:
        raise FileNotFoundError(item['image'])
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    if 'box' in item:
        return rgb, tuple(item['box'])
    found = [d for d in detector.detect(rgb) if d.label == item['detector']] if detector else []
    if not found:   # the detector named it otherwise (a cat called a dog): its largest box
        found = detector.detect(rgb)
    d = max(found, key=lambda d: (d.box[2] - d.box[0]) * (d.box[3] - d.box[1]))
    return rgb, tuple(d.box)


def names(rgb: np.ndarray, box, method: dict) -> list[str]:
    scale = min(1.0, COLOUR_WIDTH / rgb.shape[1])
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gains = C.white_balance(small) if method['balance'] else None
    return C.colours(small, [v * scale for v in box], gains=gains, segment=method['segment'],
                    salient=method['salient'])


# the basic colour terms as the last word of an xkcd survey name ('burnt orange', 'hot pink')
_SURVEY_TERMS = {'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'grey',
                 'gray', 'black', 'white'}


def survey_colours() -> list[tuple[str, str, tuple[int, int, int]]]:
    """(name, basic term, sRGB) of the xkcd colour survey's colours (about 200,000 people
    named colour patches; the 949 names most agreed on and their mean colour, public domain,
    shipped in matplotlib) whose name ends in a basic colour term: 569 colours with the term
    people would say ('gray' read as grey)."""
    from matplotlib._color_data import XKCD_COLORS
    out = []
    for key, hexcode in XKCD_COLORS.items():
        name = key.split(':', 1)[1]
        last = name.replace('/', ' ').replace('-', ' ').split()[-1]
        if last in _SURVEY_TERMS:
            rgb = tuple(int(hexcode[i:i + 2], 16) for i in (1, 3, 5))
            out.append((name, 'grey' if last == 'gray' else last, rgb))
    return out


def survey_agreement(name_colour=C.name_colour) -> tuple[float, list]:
    """The share of the survey's colours (`survey_colours`) that `name_colour` names with the
    term people used, and the (name, term, ours) of those it names otherwise."""
    colours = survey_colours()
    lab = C._lab(np.array([rgb for _, _, rgb in colours], np.uint8))
    named = [name_colour(row) for row in lab]
    wrong = [(n, t, ours) for (n, t, _), ours in zip(colours, named) if ours != t]
    return 1 - len(wrong) / len(colours), wrong


def figures(rows: list[dict], method: str) -> dict:
    main = sum(r[method][0] in r['truth'] for r in rows)
    given = sum(len(r[method]) for r in rows)
    right = sum(n in r['truth'] for r in rows for n in r[method])
    return {'items': len(rows), 'main': round(main / len(rows), 3),
            'named': round(right / max(given, 1), 3)}


def run() -> dict:
    from omnilive.models.detector import Detector
    spec = yaml.safe_load(SET.read_text())
    detector = Detector(threads=1)
    rows, costs = [], {m: [] for m in METHODS}
    for group in ('items', 'errands'):
        for i, item in enumerate(spec[group]):
            rgb, box = load(item, detector)
            row = {'id': item['id'], 'truth': item['colours'],
                   'half': 'errands' if group == 'errands' else ('fit', 'heldout')[i % 2]}
            for m, method in METHODS.items():
                start = time.perf_counter()
                row[m] = names(rgb, box, method)
                costs[m].append(time.perf_counter() - start)
            rows.append(row)
    out = {'rows': rows, 'cost_ms': {m: round(1000 * float(np.median(c)), 2)
                                     for m, c in costs.items()}}
    for half in ('fit', 'heldout', 'errands'):
        part = [r for r in rows if r['half'] == half]
        out[half] = {m: figures(part, m) for m in METHODS}
    out['survey'] = {'colours': len(survey_colours()),
                     'agreement': round(survey_agreement()[0], 3)}
    cal = json.loads(CALIBRATION_FILE.read_text())
    out['classifier'] = {'threshold': cal['threshold'],
                         'leaf_threshold': cal.get('leaf_threshold', cal['threshold']),
                         'after': cal['heldout'], 'before': cal.get('before_heldout', {}),
                         'public_after': cal.get('public', {}),
                         'public_before': cal.get('before_public', {})}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--markdown', action='store_true', help='a table for docs/benchmarks.md')
    args = parser.parse_args()
    out = run()
    for r in out['rows']:
        mark = ''.join('+' if r[m][0] in r['truth'] else '-' for m in METHODS)
        print(f"{r['half']:8s} {r['id']:18s} {mark} before {','.join(r['before']):18s} "
              f"after {','.join(r['after']):18s} truth {','.join(r['truth'])}")
    print(json.dumps({k: v for k, v in out.items() if k != 'rows'}, indent=1))
    if args.markdown:
        print('\n| half | items | main colour before | after | names right before | after |')
        print('|---|---|---|---|---|---|')
        for half in ('fit', 'heldout', 'errands'):
            b, a = out[half]['before'], out[half]['after']
            print(f"| {half} | {b['items']} | {b['main']:.2f} | {a['main']:.2f} | "
                  f"{b['named']:.2f} | {a['named']:.2f} |")
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
