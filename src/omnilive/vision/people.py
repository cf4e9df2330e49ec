"""What people are doing, from their body keypoints (omnilive.models.pose) and boxes.

Per frame, per person (`body`): posture (standing, sitting, lying) from the angles of the torso
(shoulders -> hips) and thighs (hips -> knees); how many arms are raised (a wrist above the
head); a kick (`kicking`: one leg raised and extended above the other's knee, that foot
down). Per clip (`PersonTracks`): people followed from frame to frame by their boxes; a person
whose feet move steadily across the frame is walking (with a heading: to the left or right of
the view, towards or away from the camera), one who stays put is standing still; an
arm raised in several frames whose wrist swings from side to side is waving. Lengths are
measured in torso or body heights, so the rules hold near and far from the camera.

Speeds are in the image: on a moving robot the camera's own motion is not subtracted, so
"walking" means moving across the view.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

POSTURES = ('standing', 'sitting', 'lying')
ACTIVITIES = ('walking', 'standing still', 'kicking')
ARMS = ('raised', 'waving')
# where a walking person goes, as seen by the camera (left and right of the image)
HEADINGS = ('to the left', 'to the right', 'towards the camera', 'away from the camera')
MIN_KEYPOINT = 0.3         # keypoints the model is less sure of are not used
# posture: the torso leaning more than this from vertical (degrees) is lying
LYING_TORSO_DEG = 55.0
# thigh drop (hip to knee, vertical) in torso lengths: upright legs ~0.8-1.0, a seated
# person's thighs are near horizontal (~0-0.3 even seen from above or in front)
SITTING_THIGH = 0.45
# walking: feet moving at least this many body heights per second, over at least this many
# body heights in the clip; standing still: under STILL_SPEED over at least STILL_MIN_S
WALK_SPEED, WALK_MIN_TRAVEL = 0.2, 0.3
STILL_SPEED, STILL_MIN_S = 0.08, 1.0
# heading: the feet's net sideways travel over the track, in body heights, at least
# HEAD_SIDEWAYS and larger than the change of height says of depth; else the body's height
# grown or shrunk by at least HEAD_DEPTH (log ratio) is towards or away from the camera
HEAD_SIDEWAYS, HEAD_DEPTH = 0.3, 0.2
WAVE_SWING = 0.25          # std of the raised wrist's sideways offset, in torso lengths
MATCH_DISTANCE = 1.2       # a box in the next frame continues a track within this many heights
# kicking: a leg raised (hip -> ankle at least KICK_LEG_DEG from straight down) and extended
# (knee angle at least KICK_KNEE_DEG), its ankle above the other leg's knee while the other
# foot stays at least KICK_FOOT_DOWN torso lengths lower (on the ground): a walking stride
# (legs ~20-30 deg) or a seated person (knees bent, or both feet at one height) is not a kick
KICK_LEG_DEG, KICK_KNEE_DEG, KICK_FOOT_DOWN = 50.0, 130.0, 0.3


def _mean_point(kp: np.ndarray, indices) -> Optional[np.ndarray]:
    rows = kp[list(indices)]
    rows = rows[rows[:, 2] >= MIN_KEYPOINT]
    return rows[:, :2].mean(axis=0) if len(rows) else None


# COCO keypoint indices (omnilive.models.pose.KEYPOINTS)
NOSE, SHOULDERS, WRISTS, HIPS, KNEES = 0, (5, 6), (9, 10), (11, 12), (13, 14)
ANKLES = (15, 16)


def posture(kp: np.ndarray) -> str:
    """'standing', 'sitting' or 'lying' from [17, 3] keypoints (x, y, score); '' when the
    keypoints that decide it (shoulders, hips, and knees unless lying) are not visible."""
    shoulders, hips = _mean_point(kp, SHOULDERS), _mean_point(kp, HIPS)
    if shoulders is None or hips is None:
        return ''
    dx, dy = hips - shoulders
    torso = float(np.hypot(dx, dy))
    if torso < 1e-6:
        return ''
    if np.degrees(np.arctan2(abs(dx), dy)) > LYING_TORSO_DEG:   # dy <= 0: upside down
        return 'lying'
    knees = _mean_point(kp, KNEES)
    if knees is None:
        return ''
    return 'sitting' if (knees[1] - hips[1]) / torso < SITTING_THIGH else 'standing'


def torso_length(kp: np.ndarray) -> float:
    shoulders, hips = _mean_point(kp, SHOULDERS), _mean_point(kp, HIPS)
    if shoulders is None or hips is None:
        return 0.0
    return float(np.hypot(*(hips - shoulders)))


def raised_arms(kp: np.ndarray) -> list[float]:
    """For each raised arm (its wrist above the nose, or above its shoulder by half a torso
    when the face is not seen), the wrist's sideways offset from its shoulder in torso
    lengths."""
    torso = torso_length(kp)
    if torso <= 0:
        return []
    nose = kp[NOSE]
    out = []
    for wrist_i, shoulder_i in zip(WRISTS, SHOULDERS):
        wrist, shoulder = kp[wrist_i], kp[shoulder_i]
        if wrist[2] < MIN_KEYPOINT or shoulder[2] < MIN_KEYPOINT:
            continue
        head = nose[1] if nose[2] >= MIN_KEYPOINT else shoulder[1] - 0.5 * torso
        if wrist[1] < head:
            out.append(float((wrist[0] - shoulder[0]) / torso))
    return out


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """The angle at b (degrees) between b -> a and b -> c."""
    u, v = a - b, c - b
    norm = float(np.hypot(*u) * np.hypot(*v))
    if norm <= 0:
        return 0.0
    return float(np.degrees(np.arccos(np.clip(float(u @ v) / norm, -1.0, 1.0))))


def kicking(kp: np.ndarray) -> bool:
    """Whether the pose is a kick: one leg raised and extended (its hip -> ankle at least
    KICK_LEG_DEG from straight down, the knee opened to at least KICK_KNEE_DEG), its ankle above
    the other leg's knee, and the other foot at least KICK_FOOT_DOWN torso lengths lower. Seen
    in one frame, so the moment of the kick (the leg swung out), not its wind-up."""
    torso = torso_length(kp)
    if torso <= 0:
        return False
    for side, other in ((0, 1), (1, 0)):
        hip, knee, ankle = kp[HIPS[side]], kp[KNEES[side]], kp[ANKLES[side]]
        o_knee, o_ankle = kp[KNEES[other]], kp[ANKLES[other]]
        if min(hip[2], knee[2], ankle[2], o_knee[2], o_ankle[2]) < MIN_KEYPOINT:
            continue
        dx, dy = ankle[:2] - hip[:2]
        raised = np.degrees(np.arctan2(abs(dx), dy)) >= KICK_LEG_DEG   # dy < 0: above the hip
        extended = _angle(hip[:2], knee[:2], ankle[:2]) >= KICK_KNEE_DEG
        if raised and extended and ankle[1] <= o_knee[1] and \
                o_ankle[1] - ankle[1] >= KICK_FOOT_DOWN * torso:
            return True
    return False


def _span(points: list[np.ndarray], pad: float):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) - pad, min(ys), max(xs) + pad, max(ys))


def clothing_boxes(kp: np.ndarray):
    """(torso box, legs box or None) from the keypoints, or None without shoulders and hips:
    the torso between the shoulders, from just below them down to the hips; the legs (the
    thighs: a stride spreads the shins over the ground behind) as wide as the hips plus a
    little, down to the knees. A person's clothes are read on the person, not on a neighbour
    or the sofa sharing their detector box."""
    shoulders = [kp[i] for i in SHOULDERS if kp[i, 2] >= MIN_KEYPOINT]
    hips = [kp[i] for i in HIPS if kp[i, 2] >= MIN_KEYPOINT]
    torso = torso_length(kp)
    if len(shoulders) == 2 and not hips:
        # hips out of view (a portrait, a person behind a table): the chest below the
        # shoulders, about as tall as they are wide
        (ax, ay), (bx, by) = shoulders[0][:2], shoulders[1][:2]
        width = abs(ax - bx)
        if width <= 0:
            return None
        top = (ay + by) / 2
        return (min(ax, bx), top + 0.1 * width, max(ax, bx), top + 0.9 * width), None
    if not shoulders or not hips or torso <= 0:
        return None
    top, bottom = _mean_point(kp, SHOULDERS)[1], _mean_point(kp, HIPS)[1]
    if bottom - top < 0.3 * torso:
        return None                     # lying or bent over: no upright torso to read
    x1, _, x2, _ = _span(shoulders + hips, 0.05 * torso)
    torso_box = (x1, top, x2, bottom)
    knees = _mean_point(kp, KNEES)
    legs_box = None
    if knees is not None and knees[1] - bottom >= 0.3 * torso:
        lx1, _, lx2, _ = _span(hips, 0.15 * torso)
        legs_box = (lx1, bottom + 0.1 * torso, lx2, knees[1])
    return torso_box, legs_box


@dataclasses.dataclass
class Body:
    """One person's pose facts in one frame."""

    posture: str                       # one of POSTURES, or '' when not visible
    raised: list[float]                # sideways wrist offsets of the raised arms
    wrists: list[tuple[float, float]]  # confident wrists, frame pixels (for 'holding')
    action: str = ''                   # 'kicking' when the pose shows it, else ''


def body(kp: np.ndarray) -> Body:
    wrists = [(float(kp[i, 0]), float(kp[i, 1])) for i in WRISTS if kp[i, 2] >= MIN_KEYPOINT]
    return Body(posture(kp), raised_arms(kp), wrists, 'kicking' if kicking(kp) else '')


# ------------------------------------------------------------------ people across a clip
@dataclasses.dataclass
class _Seen:
    t: float
    box: tuple[float, float, float, float]
    fact: object                       # the frame's ObjectFact of this person


def _height(box) -> float:
    return max(1.0, float(box[3]) - float(box[1]))


def _feet(box) -> np.ndarray:
    return np.array([(float(box[0]) + float(box[2])) / 2, float(box[3])])


class PersonTracks:
    """People followed across a clip's frames by their boxes (nearest feet, similar height)."""

    def __init__(self):
        self.tracks: list[list[_Seen]] = []

    def add(self, t: float, people: list) -> None:
        """`people`: the frame's person ObjectFacts (box, share, body, clothing...)."""
        open_tracks = [tr for tr in self.tracks if tr[-1].t < t]
        pairs = []
        for ti, track in enumerate(open_tracks):
            last = track[-1].box
            for pi, fact in enumerate(people):
                ratio = _height(fact.box) / _height(last)
                gap = float(np.hypot(*(_feet(fact.box) - _feet(last)))) / _height(last)
                if 0.6 <= ratio <= 1.6 and gap <= MATCH_DISTANCE:
                    pairs.append((gap, ti, pi))
        used_t, used_p = set(), set()
        for _, ti, pi in sorted(pairs):
            if ti in used_t or pi in used_p:
                continue
            used_t.add(ti)
            used_p.add(pi)
            open_tracks[ti].append(_Seen(t, tuple(people[pi].box), people[pi]))
        for pi, fact in enumerate(people):
            if pi not in used_p:
                self.tracks.append([_Seen(t, tuple(fact.box), fact)])

    @staticmethod
    def activity(track: list[_Seen]) -> str:
        """'walking', 'standing still' or '' (too short to tell, or in between). Speeds are
        the median over the steps between frames, so one wrong match between two people does
        not make a still person walk."""
        if len(track) < 2 or track[-1].t - track[0].t <= 0:
            return ''
        steps, travel = [], 0.0
        for a, b in zip(track, track[1:]):
            step = float(np.hypot(*(_feet(b.box) - _feet(a.box)))) / \
                ((_height(a.box) + _height(b.box)) / 2)
            travel += step
            steps.append(step / max(b.t - a.t, 1e-3))
        speed = float(np.median(steps))
        if speed >= WALK_SPEED and travel >= WALK_MIN_TRAVEL:
            return 'walking'
        postures = [s.fact.body.posture for s in track if getattr(s.fact, 'body', None)]
        upright = postures.count('standing') > len(postures) / 2
        if speed < STILL_SPEED and track[-1].t - track[0].t >= STILL_MIN_S and upright:
            return 'standing still'
        return ''

    @staticmethod
    def heading(track: list[_Seen]) -> str:
        """Where a walking person goes over the track (one of HEADINGS), or '' when the net
        travel is too small or mixed: sideways from the feet's net move in body heights, depth
        from the change of the body's height (a person coming nearer grows). The first and
        last thirds of the track are averaged, so one bad box does not decide it."""
        if len(track) < 2:
            return ''
        third = max(1, len(track) // 3)
        head, tail = track[:third], track[-third:]
        x0 = float(np.mean([_feet(s.box)[0] for s in head]))
        x1 = float(np.mean([_feet(s.box)[0] for s in tail]))
        h0 = float(np.mean([_height(s.box) for s in head]))
        h1 = float(np.mean([_height(s.box) for s in tail]))
        sideways = (x1 - x0) / ((h0 + h1) / 2)
        depth = float(np.log(h1 / h0))
        if abs(sideways) >= HEAD_SIDEWAYS and abs(sideways) >= abs(depth):
            return HEADINGS[0] if sideways < 0 else HEADINGS[1]
        if abs(depth) >= HEAD_DEPTH:
            return HEADINGS[2] if depth > 0 else HEADINGS[3]
        return ''

    @staticmethod
    def arms(track: list[_Seen]) -> str:
        """'waving' (a raised arm swinging sideways over >= 3 frames), 'raised', or ''."""
        offsets = [s.fact.body.raised for s in track if getattr(s.fact, 'body', None)]
        raised = [o for o in offsets if o]
        if len(raised) >= 3 and float(np.std([o[0] for o in raised])) >= WAVE_SWING:
            return 'waving'
        return 'raised' if raised and len(raised) >= len(offsets) / 2 else ''

    def summary(self, max_people: int = 3) -> list[dict]:
        """Per person, most present first (frames seen x size): posture, activity, heading,
        arms, clothing, position, what they held. Keys whose value is unknown are left out."""
        def presence(track):
            return sum(s.fact.share for s in track)
        out = []
        for track in sorted(self.tracks, key=presence, reverse=True)[:max_people]:
            person: dict = {}
            votes: dict[str, int] = {}
            for s in track:
                b = getattr(s.fact, 'body', None)
                if b is not None and b.posture:
                    votes[b.posture] = votes.get(b.posture, 0) + 1
            if votes:
                person['posture'] = max(POSTURES, key=lambda p: (votes.get(p, 0),
                                                                 -POSTURES.index(p)))
            # a kick seen in any frame with a pose says more than walking or standing still
            kicked = any(getattr(getattr(s.fact, 'body', None), 'action', '') == 'kicking'
                         for s in track)
            activity = 'kicking' if kicked else self.activity(track)
            heading = self.heading(track) if activity == 'walking' else ''
            for key, value in (('activity', activity), ('heading', heading),
                               ('arms', self.arms(track))):
                if value:
                    person[key] = value
            worn = {}
            for part in ('upper', 'lower'):   # the colour most frames saw, ties: the largest
                seen = [s.fact.clothing[part] for s in sorted(track, key=lambda s: -s.fact.share)
                        if s.fact.clothing and s.fact.clothing.get(part)]
                if seen:
                    worn[part] = max(dict.fromkeys(seen), key=seen.count)
            if worn:
                person['clothing'] = worn
            person['position'] = track[-1].fact.position
            # held in at least a third of the frames with a pose (a hand passing a cup is not
            # holding it)
            held = [other for s in track for rel, other in s.fact.relations
                    if rel == 'holding']
            posed = sum(1 for s in track if getattr(s.fact, 'body', None) is not None)
            kept = [o for o in dict.fromkeys(held) if held.count(o) >= posed / 3]
            if kept:
                person['holding'] = kept[:2]
            out.append(person)
        return out
