"""What one analysed frame shows, object by object: its name and WordNet place, its colours,
where it is, how near, and who named it (the detector, the classifier on a detector's box, or the
classifier on the whole frame). ClipBuilder (omnilive.vision.clips) turns the facts of a clip's
frames into typed labels; omnilive.memory.describe.clip_caption writes them as a caption.

Label attributes written from these facts (the schema reasoning reads; keep the keys):
  every object label: categories (['dog', 'animal']), colours (<= 3 of COLOUR_NAMES),
    position ('left' | 'centre' | 'right'), distance ('near' | 'far'),
    source ('detector' | 'classifier' | 'scene');
  classifier and scene labels also: alternatives ([[name, score], ...], the top 3, best first,
    the label's own name first; a detector label has them too when the whole frame was
    classified as its synset: a 'tie' box in a frame scored 'bow tie' 0.8, hedged to
    'necktie'); classifier labels: refines (the detector label whose box they name);
  person: clothing ([{'upper': colour, 'lower': colour}, ...], up to 3 largest people; 'lower'
    is left out when the box ends at the frame's bottom edge and is too squat to show legs);
    people ([{...}, ...], up to 3 people followed across the clip, most present first, each
    with what is known of: 'posture' ('standing' | 'sitting' | 'lying'), 'activity'
    ('walking' | 'standing still' | 'kicking'), 'heading' (of a walking person: 'to the left' |
    'to the right' | 'towards the camera' | 'away from the camera', as the camera sees it),
    'arms' ('raised' | 'waving'), 'clothing' ({'upper', 'lower'}), 'position', 'holding'
    ([names])); postures and activities (the distinct values over those people) for simple
    matching (omnilive.vision.people);
  any object label: relations ([[relation, other name], ...] with relation one of
    'holding' | 'on' | 'next to' | 'in front of', the label being the subject: a person
    [['holding', 'cup']], a cup [['on', 'dining table']]; omnilive.vision.relations).
"""
from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Callable, Optional

import cv2
import numpy as np

from omnilive.vision import categories as wn
from omnilive.vision.colours import COLOUR_NAMES, colours, white_balance

DETECTOR, CLASSIFIER, SCENE = 'detector', 'classifier', 'scene'
SOURCES = (DETECTOR, CLASSIFIER, SCENE)
POSITIONS = ('left', 'centre', 'right')
DISTANCES = ('near', 'far')
COLOUR_ORDER = COLOUR_NAMES   # ties between colours: this order

# 'near' when the box covers at least this share of the frame. With a typical robot camera
# (~65 x 50 degrees), an upright person (~0.5 x 1.7 m) covers about 0.7 / d^2 of the frame at
# d metres, so 5 % is a person within ~3.5-4 m (the range in which a robot talks to or
# approaches someone); a table within ~4-5 m; a cup only within arm's reach (~0.4 m). A share
# says how much of the view a thing takes, not metres: there is no depth sensor to ask.
NEAR_SHARE = 0.05
COLOUR_WIDTH = 320      # colours are read on the frame downscaled to this width (px)
COLOURS_PER_CLASS = 3   # colour analysis for the largest instances of a class in a frame
MAX_COLOUR_BOXES = 8    # ... and at most this many boxes a frame (people's halves apart)
MAX_PEOPLE = 3          # clothing of the largest people
TOP_K = 3               # classifier alternatives kept
TORSO, LEGS = (0.20, 0.55), (0.55, 0.95)   # shares of a person box's height
SCENE_MARGIN = 0.2      # a scene label's colours: the frame without this share at each side
MAX_COMMON_STEPS = 1    # a box's fine name: a kind of the detector's class or a sibling


@dataclasses.dataclass
class ObjectFact:
    name: str
    source: str                      # DETECTOR | CLASSIFIER | SCENE
    score: float
    box: tuple[float, float, float, float]   # x1, y1, x2, y2 in frame pixels
    share: float                     # of the frame area
    position: str
    distance: str
    colours: list[str] = dataclasses.field(default_factory=list)
    synset: str = ''
    categories: list[str] = dataclasses.field(default_factory=list)
    alternatives: list[tuple[str, float]] = dataclasses.field(default_factory=list)
    refines: str = ''                # classifier: the detector label of its box
    clothing: Optional[dict] = None  # a person: {'upper': colour, 'lower': colour}
    body: Optional[object] = None    # a person with a pose: omnilive.vision.people.Body
    relations: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def position(box, width: int) -> str:
    """'left', 'centre' or 'right': the box centre in thirds of the frame width."""
    centre = (float(box[0]) + float(box[2])) / 2 / max(width, 1)
    return POSITIONS[min(2, max(0, int(centre * 3)))]


def box_share(box, width: int, height: int) -> float:
    x1, y1, x2, y2 = (float(v) for v in box)
    w = max(0.0, min(width, x2) - max(0.0, x1))
    h = max(0.0, min(height, y2) - max(0.0, y1))
    return w * h / max(1, width * height)


def distance(share: float) -> str:
    return 'near' if share >= NEAR_SHARE else 'far'


class Taxonomy:
    """WordNet for labels, loaded once per process in a background thread (reading it takes
    ~10-20 s). Until it is loaded, or when the wordnet model is missing, synsets are '' and
    categories empty; a missing model is warned about once."""

    _shared: Optional['Taxonomy'] = None
    _shared_lock = threading.Lock()

    def __init__(self, path: Optional[str] = None,
                 warn: Optional[Callable[[str], None]] = None):
        self.path = path
        self.warn = warn or logging.getLogger(__name__).warning
        self.available: Optional[bool] = None        # None: still loading
        self.error = ''
        self._done = threading.Event()
        self._thread: Optional[threading.Thread] = None

    @classmethod
    def shared(cls, warn: Optional[Callable[[str], None]] = None) -> 'Taxonomy':
        """The process's taxonomy over the provisioned WordNet, its loading started."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(warn=warn).start()
            return cls._shared

    def start(self) -> 'Taxonomy':
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name='wordnet', daemon=True)
            self._thread.start()
        return self

    def _load(self) -> None:
        try:
            wn.wordnet(self.path)
            wn.categories('dog.n.01')           # warm the shared reader's caches
            self.available = True
        except Exception as err:  # noqa: BLE001 - a missing or damaged model: run without it
            self.available, self.error = False, str(err)
            self.warn(f'WordNet not available ({err}): object labels are stored without '
                      'synsets and categories')
        finally:
            self._done.set()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait for the loading to end; whether WordNet is usable."""
        self.start()
        self._done.wait(timeout)
        return bool(self.available)

    @property
    def ready(self) -> bool:
        return bool(self.available)

    def _guard(self, fn, *args, default):
        if not self.ready:
            return default
        try:
            return fn(*args)
        except Exception:  # noqa: BLE001 - an id WordNet does not know: no synset
            return default

    def synset_of_label(self, label: str) -> str:
        return self._guard(lambda n: wn.synset_of_label(n) or '', label, default='')

    def synset_of_wnid(self, wnid: str) -> str:
        return self._guard(wn.synset_of_wnid, wnid, default='')

    def categories(self, synset: str) -> list[str]:
        return self._guard(wn.categories, synset, default=[]) if synset else []

    def compatible(self, fine: str, coarse: str) -> bool:
        """Whether a classifier's synset can name what the detector saw: a kind of it, or a
        sibling under one of its parents that is in every category it is in (a 'cup' box that
        is a coffee mug: both kitchenware containers); not a more distant relative nor one of
        another category (a 'dog' box that is an Egyptian cat: WordNet files both under
        domestic animal, but a cat is not a dog). True when WordNet cannot tell."""
        if not (self.ready and fine and coarse):
            return True
        steps = self._guard(wn.common_steps, fine, coarse, default=0)
        if steps == 0:
            return True
        return steps is not None and steps <= MAX_COMMON_STEPS and \
            set(self.categories(coarse)) <= set(self.categories(fine))

    def kind_of(self, fine: str, coarse: str) -> bool:
        """Whether synset `fine` is `coarse` or a kind of it; False when WordNet cannot tell."""
        return self._guard(lambda f, c: wn.common_steps(f, c) == 0, fine, coarse,
                           default=False)

    def hedge(self, scored, threshold: float, leaf_threshold: Optional[float] = None):
        """categories.hedge over (synset, probability) pairs; None without WordNet."""
        return self._guard(lambda s, t: wn.hedge(s, t, leaf_threshold=leaf_threshold),
                           scored, threshold, default=None)

    def coco_label_of(self, synset: str) -> str:
        return self._guard(lambda s: wn.coco_label_of(s) or '', synset, default='')

    def wnid_and_name(self, synset: str) -> tuple[str, str]:
        return self._guard(wn.wnid_and_name, synset, default=('', ''))


def _scaled(box, scale: float):
    return tuple(float(v) * scale for v in box)


def clothing(small: np.ndarray, box, frame_height: float, scale: float) -> dict:
    """{'upper': colour, 'lower': colour} of a person box (frame pixels) on the downscaled
    frame: the torso (20-55 % of the box height) and the legs (55-95 %)."""
    x1, y1, x2, y2 = (float(v) for v in box)
    h = y2 - y1
    out = {'upper': colours(small, _scaled((x1, y1 + TORSO[0] * h, x2, y1 + TORSO[1] * h),
                                           scale), max_names=1)[0]}
    # a box cut by the frame's bottom edge and not tall (head and shoulders): no legs shown
    cut = y2 >= 0.98 * frame_height and h < 1.6 * (x2 - x1)
    if not cut:
        out['lower'] = colours(small, _scaled((x1, y1 + LEGS[0] * h, x2, y1 + LEGS[1] * h),
                                              scale), max_names=1)[0]
    return out


def frame_objects(rgb: np.ndarray, detections, classified=None, scene=None,
                  taxonomy: Optional[Taxonomy] = None) -> list[ObjectFact]:
    """The object facts of one frame.

    `detections`: the detector's (label, score, box); `classified`: {index into detections:
    confident top-k Classification list} for classified boxes; `scene`: the confident top-k of
    the whole frame (or None)."""
    h, w = rgb.shape[:2]
    scale = min(1.0, COLOUR_WIDTH / max(w, 1))
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) \
        if scale < 1.0 else rgb
    tax = taxonomy if taxonomy is not None and taxonomy.ready else None
    gains = white_balance(small)    # part of the light's colour cast, taken off every box
    facts = []
    for d in detections:
        share = box_share(d.box, w, h)
        synset = tax.synset_of_label(d.label) if tax else ''
        facts.append(ObjectFact(d.label, DETECTOR, float(d.score), tuple(d.box), share,
                                position(d.box, w), distance(share), synset=synset,
                                categories=tax.categories(synset) if tax else []))
    # colours: the largest instances of each class, largest boxes first, within a budget
    by_size = sorted(range(len(facts)), key=lambda i: -facts[i].share)
    per_class: dict[str, int] = {}
    budget = MAX_COLOUR_BOXES
    for i in by_size:
        f = facts[i]
        n = per_class.get(f.name, 0)
        limit = MAX_PEOPLE if f.name == 'person' else COLOURS_PER_CLASS
        if n >= limit or budget <= 0:
            continue
        per_class[f.name] = n + 1
        budget -= 1
        if f.name == 'person':
            f.clothing = clothing(small, f.box, h, scale)
            f.colours = list(dict.fromkeys(f.clothing.values()))
        else:
            f.colours = colours(small, _scaled(f.box, scale), gains=gains, salient=True)
    out = list(facts)
    for i, top in (classified or {}).items():
        parent = facts[i]
        fine = _classification_fact(top, parent.box, parent.share, parent.position,
                                    parent.distance, parent.colours, CLASSIFIER, tax)
        if fine.name == parent.name or (tax and not tax.compatible(fine.synset, parent.synset)):
            continue  # the detector's own name, or a name for something else in the box
        fine.refines = parent.name
        out.append(fine)
    if scene:
        named = {f.name for f in out}
        # a scene name that only says more generally what a box already says (a 'vehicle'
        # frame with a motorcycle box) adds nothing
        synset = tax.synset_of_wnid(scene[0].wnid) if tax else ''
        covered = bool(synset) and any(tax.kind_of(f.synset, synset) for f in out if f.synset)
        # a scene name that is a kind of what a box is (a 'bow tie' frame with a tie box)
        # names that box: its place and colours, not the frame's middle
        boxed = [f for f in facts if f.synset and synset and tax.kind_of(synset, f.synset)]
        if scene[0].name not in named and not covered and boxed:
            f = max(boxed, key=lambda f: f.share)
            fact = _classification_fact(scene, f.box, f.share, f.position, f.distance,
                                        f.colours or colours(small, _scaled(f.box, scale),
                                                             gains=gains, salient=True),
                                        SCENE, tax)
            out.append(fact)      # no `refines`: the box's own classification did not say it
        elif scene[0].name not in named and not covered:
            box = (0.0, 0.0, float(w), float(h))
            # what the whole frame is classified as is mostly in its middle: its colours there
            sh, sw = small.shape[:2]
            middle = (SCENE_MARGIN * sw, SCENE_MARGIN * sh, (1 - SCENE_MARGIN) * sw,
                      (1 - SCENE_MARGIN) * sh)
            out.append(_classification_fact(scene, box, 1.0, 'centre', 'near',
                                             colours(small, middle, gains=gains, salient=True),
                                             SCENE, tax))
    return out


def hedged(top, threshold: float, taxonomy: Optional[Taxonomy] = None,
           leaf_threshold: Optional[float] = None) -> list:
    """A classifier's top-k (Classification list, best first) reduced to what is probably
    right: [the label to store, then the best classes] or [] when nothing is. With WordNet the
    label is the most specific synset whose classes' summed score reaches `threshold`
    (categories.hedge: 'monarch' 0.55, 'admiral' 0.2, 'ringlet' 0.1 -> 'butterfly' 0.85),
    the top class itself only when its score reaches `leaf_threshold` (default: `threshold`);
    without WordNet the top class when its own score reaches `leaf_threshold`."""
    if not top:
        return []
    leaf_threshold = threshold if leaf_threshold is None else max(threshold, leaf_threshold)
    tax = taxonomy if taxonomy is not None and taxonomy.ready else None
    if tax is None:
        return list(top) if top[0].score >= leaf_threshold else []
    scored = [(tax.synset_of_wnid(c.wnid), c.score) for c in top]
    scored = [(s, p) for s, p in scored if s]
    found = tax.hedge(scored, threshold, leaf_threshold) if scored else None
    if found is None:
        return []
    synset, mass = found
    if synset == scored[0][0]:
        return list(top)
    wnid, name = tax.wnid_and_name(synset)
    if not wnid:
        return []
    return [dataclasses.replace(top[0], wnid=wnid, name=name, score=float(mass))] + list(top)


def corrected(detections, classified, taxonomy: Optional[Taxonomy] = None) -> list:
    """`detections` with a box's class replaced by the COCO class that its confident fine name
    is a kind of, when that name cannot name the detector's class (the detector's 'dog' that
    the classifier calls an Egyptian cat at 0.8 becomes a 'cat'); `classified`: {index:
    hedged top-k}. The others, and every box without WordNet, are kept as they are."""
    tax = taxonomy if taxonomy is not None and taxonomy.ready else None
    out = list(detections)
    if tax is None:
        return out
    for i, top in classified.items():
        d = out[i]
        fine, coarse = tax.synset_of_wnid(top[0].wnid), tax.synset_of_label(d.label)
        if fine and coarse and not tax.compatible(fine, coarse):
            label = tax.coco_label_of(fine)
            if label and label != d.label:
                out[i] = dataclasses.replace(d, label=label)
    return out


def _classification_fact(top, box, share, pos, dist, cols, source, tax) -> ObjectFact:
    best = top[0]
    synset = tax.synset_of_wnid(best.wnid) if tax else ''
    return ObjectFact(best.name, source, float(best.score), tuple(box), share, pos, dist,
                      list(cols), synset=synset,
                      categories=tax.categories(synset) if tax else [],
                      alternatives=[(c.name, round(float(c.score), 3)) for c in top[:TOP_K]])


def classifier_inputs(detections, max_crops: int) -> list[int]:
    """Indices of the detections whose boxes are classified: the largest first, people
    skipped (ImageNet's 1000 classes hardly name people), at most `max_crops`."""
    def area(d):
        x1, y1, x2, y2 = d.box
        return max(0.0, x2 - x1) * max(0.0, y2 - y1)
    candidates = [i for i, d in enumerate(detections) if d.label != 'person']
    return sorted(candidates, key=lambda i: -area(detections[i]))[:max(0, max_crops)]
