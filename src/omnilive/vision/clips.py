"""Clip descriptors: what was in a clip, as a memory item with a caption.

Per clip: objects and people with counts (the most seen at once in any frame), what kind of
thing each is (WordNet synset and categories), its colours, where it was and how near (see
omnilive.vision.facts for the attribute schema), finer names from the image classifier on the
detector's boxes and on the whole frame, people's clothing colours, text read by OCR on
keyframes, sounds and speech heard during it, a JPEG keyframe, the robot's pose, and an image
embedding when configured. The caption reads like "A white cup in the centre; 2 people on the
left, one in a red top and blue trousers; text reading "EXIT"" (memory.describe.clip_caption; or
is written by the VLM in the GPU profile).
"""
from __future__ import annotations

import copy
import dataclasses
import time
from typing import Callable, Optional

import numpy as np

from omnilive.memory import describe
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label, MemoryItem, new_id
from omnilive.vision import facts as F
from omnilive.vision import people as P
from omnilive.vision import relations as R
from omnilive.vision.colours import garment_colour
from omnilive.vision.image_convert import rgb_to_jpeg


# glyphs OCR reads into regular texture (a grille, a row of rings, stripes): a reading that is
# only one of them, repeated, is such a texture, not a sign ("00000" read in the demo video)
_TEXTURE_GLYPHS = set('0Oo1Il|i')


def clean_text(text: str) -> Optional[str]:
    """OCR output worth remembering: at least 3 letters/digits, mostly alphanumeric, and not
    one texture glyph repeated 5 times or more."""
    text = ' '.join(text.split()).strip(' .,:;-_|')
    alnum = sum(ch.isalnum() for ch in text)
    if alnum < 3 or alnum < 0.6 * len(text.replace(' ', '')):
        return None
    glyphs = set(text.replace(' ', ''))
    if len(glyphs) == 1 and glyphs <= _TEXTURE_GLYPHS and alnum >= 5:
        return None
    return text


class _Seen:
    """One object name across a clip's frames: how it was seen, for its label's attributes."""

    def __init__(self):
        self.source = F.SCENE
        self.count = 0            # classifier labels: most boxes of that name in one frame
        self.score = 0.0
        self.synset = ''
        self.categories: list[str] = []
        self.alternatives: list = []
        self.refines = ''
        self.colour_votes: dict[str, float] = {}
        self.position_votes: dict[str, float] = {}
        self.distance_votes: dict[str, float] = {}
        self.clothing: list[dict] = []
        self._clothing_rank = (0, 0.0)
        self.frames = 0
        self.relation_votes: dict[tuple[str, str], int] = {}

    def add(self, group: list[F.ObjectFact]) -> None:
        """The facts of one frame with this name."""
        group = sorted(group, key=lambda f: -f.share)
        self.frames += 1
        for pair in dict.fromkeys(r for f in group for r in f.relations):   # once a frame
            self.relation_votes[pair] = self.relation_votes.get(pair, 0) + 1
        # the most direct source that saw it: the detector, else the classifier on a box
        self.source = min([f.source for f in group] + ([self.source] if self.position_votes
                                                       else []), key=F.SOURCES.index)
        if self.source == F.CLASSIFIER:
            self.count = max(self.count, sum(f.source == F.CLASSIFIER for f in group))
        best = max(group, key=lambda f: f.score)
        if best.score > self.score:
            self.score = best.score
            self.alternatives = best.alternatives or self.alternatives
        for f in group:
            if f.synset and not self.synset:
                self.synset, self.categories = f.synset, list(f.categories)
            self.refines = self.refines or f.refines
        # colours of the largest instances (at most 3 a frame), the largest counting most and
        # each one's main colour more than its second; 0.01 so that small boxes still vote
        for rank, f in enumerate([f for f in group if f.colours][:F.COLOURS_PER_CLASS]):
            for j, colour in enumerate(f.colours):
                weight = (f.share + 0.01) / (1 + rank) / (1 + j)
                self.colour_votes[colour] = self.colour_votes.get(colour, 0.0) + weight
        largest = group[0]
        self.position_votes[largest.position] = \
            self.position_votes.get(largest.position, 0.0) + largest.share + 0.01
        self.distance_votes[largest.distance] = \
            self.distance_votes.get(largest.distance, 0.0) + largest.share + 0.01
        dressed = [f for f in group if f.clothing][:F.MAX_PEOPLE]
        rank = (len(dressed), sum(f.share for f in dressed))
        if dressed and rank > self._clothing_rank:
            self.clothing, self._clothing_rank = [dict(f.clothing) for f in dressed], rank

    @staticmethod
    def _top(votes: dict[str, float], order, n: int) -> list[str]:
        return sorted(votes, key=lambda k: (-round(votes[k], 9), order.index(k)
                                            if k in order else len(order), k))[:n]

    def label(self, name: str, count: Optional[int], people: Optional[list] = None) -> Label:
        attributes = {
            'categories': self.categories,
            'colours': self._top(self.colour_votes, F.COLOUR_ORDER, 3),
            'position': (self._top(self.position_votes, F.POSITIONS, 1) or ['centre'])[0],
            'distance': (self._top(self.distance_votes, F.DISTANCES, 1) or ['far'])[0],
            'source': self.source}
        if self.alternatives:   # a detector's own label has some only from a scene name
            attributes['alternatives'] = [[n, s] for n, s in self.alternatives]
        if self.refines and self.source == F.CLASSIFIER:
            attributes['refines'] = self.refines
        if self.clothing:
            attributes['clothing'] = self.clothing
        # relations seen in at least a third of the frames that saw this name
        relations = [list(pair) for pair, n in sorted(self.relation_votes.items(),
                                                      key=lambda kv: -kv[1])
                     if n >= self.frames / 3][:6]
        if relations:
            attributes['relations'] = relations
        if people:
            attributes['people'] = people
            for key, plural in (('posture', 'postures'), ('activity', 'activities')):
                values = list(dict.fromkeys(p[key] for p in people if key in p))
                if values:
                    attributes[plural] = values
        if count is None:
            count = self.count if self.source == F.CLASSIFIER else 0
        return Label(OBJECT, name, count, synset=self.synset, score=round(self.score, 4),
                     attributes=attributes)


class ClipBuilder:
    """Accumulates one clip. The node creates one per clip and calls `item()` to upsert it."""

    def __init__(self, start: float, keyframe_jpeg_quality: int = 80):
        self.id = new_id('clip')
        self.start = start
        self.end = start
        self.objects: dict[str, int] = {}
        self.seen: dict[str, _Seen] = {}
        self.texts: dict[str, None] = {}
        self.heard: dict[str, int] = {}
        self.said: dict[str, None] = {}
        self.frames = 0
        self.pose = None
        self.keyframe: Optional[np.ndarray] = None
        self._keyframe_score = -1.0
        self.embedding: Optional[np.ndarray] = None
        self.caption_override: Optional[str] = None
        self.quality = keyframe_jpeg_quality
        self.people = P.PersonTracks()

    def add_frame(self, t: float, rgb: np.ndarray, counts: dict[str, int],
                  texts: list[str] = (), pose=None, embedding: Optional[np.ndarray] = None,
                  objects: Optional[list[F.ObjectFact]] = None) -> None:
        """`counts`: the detector's labels and how many of each; `objects`: the frame's object
        facts (omnilive.vision.facts), when analysed."""
        self.end = max(self.end, t)
        self.frames += 1
        for label, n in counts.items():
            self.objects[label] = max(self.objects.get(label, 0), n)
        grouped: dict[str, list[F.ObjectFact]] = {}
        for fact in objects or ():
            grouped.setdefault(fact.name, []).append(fact)
        for name, group in grouped.items():
            self.seen.setdefault(name, _Seen()).add(group)
        self.people.add(t, [f for f in grouped.get('person', ()) if f.source == F.DETECTOR])
        for text in texts:
            cleaned = clean_text(text)
            if cleaned:
                self.texts.setdefault(cleaned)
        if pose is not None:
            self.pose = pose
        # keyframe: the frame that shows the most (objects, finer names and text), earliest on
        # ties
        named = sum(1 for f in objects or () if f.source != F.DETECTOR)
        score = sum(counts.values()) + named + 2 * len(texts)
        if score > self._keyframe_score:
            self.keyframe, self._keyframe_score = rgb, score
        if embedding is not None:
            self.embedding = embedding if self.embedding is None else \
                (self.embedding * (self.frames - 1) + embedding) / self.frames

    def add_sound(self, label: str) -> None:
        self.heard[label] = self.heard.get(label, 0) + 1

    def add_speech(self, text: str) -> None:
        if text.strip():  # an empty transcript says nothing (and makes no label)
            self.said.setdefault(text.strip())

    def object_labels(self) -> list[Label]:
        """The detector's labels (most seen at once), then the classifier's finer names, then
        whole-frame (scene) names; with attributes when the frames were analysed for them."""
        people = self.people.summary(F.MAX_PEOPLE)
        rest = [name for name in self.seen if name not in self.objects and
                not self._said_more_specifically(name)]
        rest.sort(key=lambda name: F.SOURCES.index(self.seen[name].source))  # stable
        seen = dict(self.seen)      # copies where a scene name and a boxed one meet
        kept = []
        for name in rest:
            scene = seen[name]
            boxed = self._boxed_as(scene.synset) if scene.source == F.SCENE else None
            if boxed is not None and boxed.synset == scene.synset:
                # 'necktie' from the whole frame, 'tie' boxed: one thing, said once; the boxed
                # label keeps the frame's top classes ('bow tie' 0.8) when it has none
                boxed_name = next(n for n, v in self.seen.items() if v is boxed)
                if not boxed.alternatives and scene.alternatives:
                    seen[boxed_name] = copy.copy(boxed)
                    seen[boxed_name].alternatives = scene.alternatives
                continue
            if boxed is not None:   # a 'bow tie' frame, a tie box: the box's colours
                seen[name] = scene = copy.copy(scene)
                scene.colour_votes = dict(boxed.colour_votes)
                scene.position_votes = dict(boxed.position_votes)
                scene.distance_votes = dict(boxed.distance_votes)
            kept.append(name)
        out = [seen[name].label(name, n, people if name == 'person' else None)
               if name in seen else Label(OBJECT, name, n)
               for name, n in self.objects.items()]
        return out + [seen[name].label(name, None) for name in kept]

    def _boxed_as(self, synset: str) -> Optional[_Seen]:
        """The boxed name (the detector's, or the classifier's on a box) of this clip that
        names the thing a whole-frame name `synset` is: the same synset, or one it is a kind
        of (the most seen first), or None. A whole frame's name is given the colours of the
        frame's middle (facts.frame_objects), which are not the thing's when it is small (a
        bow tie under a face): in a frame where the thing is boxed the scene name takes the
        box, and across a clip the frames that boxed it say its colours and place."""
        if not synset:
            return None
        from omnilive.vision import categories
        try:
            above = set(categories.hypernyms(synset))
        except Exception:  # noqa: BLE001 - a synset WordNet does not know
            return None
        boxed = [seen for seen in self.seen.values() if seen.source != F.SCENE and seen.synset
                 and (seen.synset == synset or seen.synset in above) and seen.colour_votes]
        same = [seen for seen in boxed if seen.synset == synset]
        return max(same or boxed, key=lambda seen: seen.frames, default=None)

    def _said_more_specifically(self, name: str) -> bool:
        """Whether a classifier name is a hypernym of another name of the clip (an 'animal'
        from the first frame of a clip whose later frames say 'tree squirrel')."""
        synset = self.seen[name].synset
        if not synset:          # no WordNet (yet): nothing to compare
            return False
        from omnilive.vision import categories
        try:
            return any(other.synset and other.synset != synset and
                       synset in categories.hypernyms(other.synset)
                       for other in self.seen.values())
        except Exception:  # noqa: BLE001 - a synset WordNet does not know: keep the name
            return False

    def labels(self) -> list[Label]:
        """Objects, text read, sounds (times heard), words said."""
        return self.object_labels() + \
            [Label(TEXT, t) for t in self.texts] + \
            [Label(SOUND, s, n) for s, n in self.heard.items()] + \
            [Label(SPEECH, s) for s in self.said]

    def item(self, period_s: float = 1.0) -> MemoryItem:
        labels = self.labels()
        text = self.caption_override or describe.clip_caption(labels)
        return MemoryItem(id=self.id, kind='clip', start=self.start,
                          end=max(self.end + period_s, self.start), text=text, labels=labels,
                          pose=self.pose,
                          keyframe_jpeg=rgb_to_jpeg(self.keyframe, self.quality)
                          if self.keyframe is not None else b'',
                          image_embedding=self.embedding.tolist() if self.embedding is not None
                          else None)


@dataclasses.dataclass
class FrameFacts:
    """What `FrameAnalyzer.analyze` found in one frame."""

    counts: dict[str, int]
    texts: list[str]
    embedding: Optional[np.ndarray] = None
    objects: list[F.ObjectFact] = dataclasses.field(default_factory=list)


HEDGE_K = 10           # classifier classes whose scores a label's WordNet ancestors sum
MIN_PERSON_PX = 32     # people shorter than this (frame pixels) show no usable pose


class FrameAnalyzer:
    """Runs the detector on every sampled frame and OCR every `ocr_every` frames of a clip; the
    image classifier (when given) on the largest non-person boxes and the whole frame, in one
    batch; colours and positions of what was found (omnilive.vision.facts)."""

    def __init__(self, detector, reader=None, ocr_every: int = 3,
                 embedder=None, captioner: Optional[Callable[[np.ndarray], str]] = None,
                 classifier=None, taxonomy: Optional[F.Taxonomy] = None, max_crops: int = 4,
                 min_score: float = 0.0, taxonomy_wait_s: float = 0.0, timer=None,
                 pose=None, max_people: int = F.MAX_PEOPLE, pose_every: int = 1):
        """`classifier`: an ImageClassifier or None; `taxonomy`: WordNet (F.Taxonomy) or None
        for labels without synsets; `min_score` > 0 replaces the classifier's calibrated
        threshold; `taxonomy_wait_s`: how long the first frame waits for WordNet to load
        (lossless runs wait so that every clip gets synsets; live ones do not); `pose`: a
        PoseEstimator or None, run only on frames with people, on the `max_people` largest,
        every `pose_every`-th frame of a clip (postures change slowly; walking is read from
        the boxes of every frame)."""
        self.detector = detector
        self.reader = reader
        self.ocr_every = max(1, ocr_every)
        self.embedder = embedder
        self.captioner = captioner
        self.classifier = classifier
        self.taxonomy = taxonomy
        self.max_crops = max_crops
        self.min_score = min_score
        self.taxonomy_wait_s = taxonomy_wait_s
        self.timer = timer
        self.pose = pose
        self.max_people = max_people
        self.pose_every = max(1, pose_every)
        self.views = None     # None: FRAME_VIEWS, one a frame in turn (`classify`)
        self._other_view = None   # (view, probabilities) of the clip's previous frame

    def classify(self, rgb: np.ndarray, detections, frame_in_clip: Optional[int] = None):
        """({detection index: hedged top-k}, whole-frame hedged top-k or None): only what is
        probably right, the label named as specifically as the scores allow
        (omnilive.vision.facts.hedged).

        The whole frame is named from the mean of its views (models.classifier.frame_views:
        the squeezed whole and its centre square), so that a subject the detector has no
        class for is named however the frame is framed. With `frame_in_clip` and the default
        views, one view a frame is classified, in turn, and averaged with the other view of
        the clip's previous frame: the classifier's cost stays one image for the frame, and a
        still view gets exactly the two-view mean from its second frame on (a moving one a
        mean over two frames 2/3 s apart). Without it, or with `views` set, every view of
        this frame."""
        from omnilive.models.classifier import FRAME_VIEWS, crop, frame_views
        chosen = F.classifier_inputs(detections, self.max_crops)
        alternate = frame_in_clip is not None and self.views is None
        if alternate:
            views = (FRAME_VIEWS[frame_in_clip % len(FRAME_VIEWS)],)
            if frame_in_clip == 0:
                self._other_view = None
        else:
            views = FRAME_VIEWS if self.views is None else tuple(self.views)
        images = [crop(rgb, detections[i].box, 0.1) for i in chosen] + frame_views(rgb, views)
        p = self.classifier.probabilities(images)
        frame = p[len(chosen):].mean(axis=0)
        if alternate:
            previous, self._other_view = self._other_view, (views[0], frame)
            if previous is not None and previous[0] != views[0]:
                frame = (frame + previous[1]) / 2
        p = np.concatenate([p[:len(chosen)], frame[None]])
        results = [self.classifier.ranked(row, HEDGE_K) for row in p]
        if self.min_score > 0:
            threshold = leaf = self.min_score
        else:
            threshold, leaf = self.classifier.threshold, self.classifier.leaf_threshold
        kept = [F.hedged(top, threshold, self.taxonomy, leaf)[:F.TOP_K] for top in results]
        boxes = {i: top for i, top in zip(chosen, kept) if top}
        return boxes, kept[-1] or None

    def analyze(self, rgb: np.ndarray, frame_in_clip: int) -> FrameFacts:
        if self.taxonomy is not None and self.taxonomy_wait_s > 0:
            self.taxonomy.wait(self.taxonomy_wait_s)
            self.taxonomy_wait_s = 0.0          # once: later frames never wait
        start = time.perf_counter()
        detections = self.detector.detect(rgb)
        detected = time.perf_counter()
        texts = []
        if self.reader is not None and frame_in_clip % self.ocr_every == 0:
            texts = [b.text for b in self.reader.read(rgb)]
        read = time.perf_counter()
        embedding = self.embedder.embed([rgb])[0] if self.embedder is not None else None
        t0 = time.perf_counter()
        boxes, scene = (self.classify(rgb, detections, frame_in_clip)
                        if self.classifier is not None else ({}, None))
        detections = F.corrected(detections, boxes, self.taxonomy)
        counts = self.detector.counts(detections)
        t1 = time.perf_counter()
        objects = F.frame_objects(rgb, detections, boxes, scene, self.taxonomy)
        t2 = time.perf_counter()
        if self.pose is not None and frame_in_clip % self.pose_every == 0:
            self.add_bodies(rgb, detections, objects)
        t3 = time.perf_counter()
        R.attach(objects, rgb.shape[0])
        if self.timer is not None:
            self.timer.add('detect', detected - start)
            if read > detected + 1e-4:
                self.timer.add('ocr', read - detected)
            self.timer.add('classify', t1 - t0)
            self.timer.add('pose', t3 - t2)
            self.timer.add('facts', time.perf_counter() - t3 + t2 - t1)
        return FrameFacts(counts, texts, embedding, objects)

    def add_bodies(self, rgb: np.ndarray, detections, objects: list[F.ObjectFact]) -> None:
        """Pose facts on the person facts (the first len(detections) objects are the
        detections, in order) of the largest people tall enough to show a pose."""
        people = [i for i, d in enumerate(detections) if d.label == 'person'
                  and d.box[3] - d.box[1] >= MIN_PERSON_PX]
        if not people:
            return
        poses = self.pose.estimate(rgb, [detections[i].box for i in people], self.max_people)
        for i, pose in zip(people, poses):
            if pose is None:
                continue
            objects[i].body = P.body(pose.keypoints)
            boxes = P.clothing_boxes(pose.keypoints)
            if boxes is not None:   # clothes read on the body itself, not its whole box
                worn = {'upper': garment_colour(rgb, boxes[0])}
                if boxes[1] is not None:
                    worn['lower'] = garment_colour(rgb, boxes[1])
                objects[i].clothing = worn
                objects[i].colours = list(dict.fromkeys(worn.values()))
