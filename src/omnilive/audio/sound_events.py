"""Sound events from YAMNet's scores, over whatever noise the room makes.

YAMNet scores a sliding ~1 s window every hop. A class becomes an event when its score passes
its own calibrated threshold (models/data/sound_events.json, made by
tools/calibrate_sound_events.py on real recordings mixed into room noise) and stands clear of the
room's noise floor: a running estimate, per class, of the score under stationary sound, and of
the sound level. A fan, a hum or music left playing become the floor (they are not events); a
ring, a slam or a bark rise above it. Classes that overlap in time are one sound, reported under
its most specific class (a phone ring scores Alarm, Telephone and Ringtone at once: Telephone).

Under room noise at ~10 dB SNR YAMNet's own classes collapse (a door closing scores Sewing
machine, a cough nothing), while its 1024-d embedding still separates the sounds: when the
calibration names a head (models/data/sound_events_head.npz, a logistic regression on the
embedding trained by the calibration tool on noisy mixes of the fit half of the labelled set),
the head's families fire beside YAMNet's classes, each reported under one AudioSet name (dog ->
'Dog'; 'background' (room noise) and 'speech' are never events), and YAMNet's classes still fire
on their own calibrated thresholds (sounds the head never heard: an alarm, a siren, a vacuum
cleaner; and the finer names of a sound it did: a slam, a knock); a sound both name is one
event, under the higher score.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Optional

import numpy as np

from omnilive.audio.pcm import rms_db

CALIBRATION = Path(__file__).resolve().parents[1] / 'models' / 'data' / 'sound_events.json'

# YAMNet classes that are speech, rooms or noise floors: never reported as sound events
NOT_EVENTS = {'Speech', 'Child speech, kid speaking', 'Conversation', 'Narration, monologue',
              'Babbling', 'Speech synthesizer', 'Male speech, man speaking',
              'Female speech, woman speaking', 'Whispering', 'Silence', 'Inside, small room',
              'Inside, large room or hall', 'Inside, public space', 'Outside, urban or manmade',
              'Outside, rural or natural', 'Environmental noise', 'Static', 'Hum', 'Noise',
              'White noise', 'Pink noise', 'Echo', 'Reverberation', 'Mains hum', 'Sound effect',
              'Vehicle', 'Tick', 'Clicking', 'Background noise',
              # vocal sounds that ride along with speech
              'Sigh', 'Breathing', 'Gasp', 'Grunt', 'Groan', 'Whimper', 'Humming', 'Sniff',
              'Throat clearing', 'Chatter', 'Hubbub, speech noise, speech babble', 'Crowd',
              'Singing', 'Chant', 'Mantra'}
SPEECH_CLASSES = ('Speech', 'Conversation', 'Narration, monologue', 'Male speech, man speaking',
                  'Female speech, woman speaking', 'Child speech, kid speaking')
# AudioSet classes that name a family of sounds: an event is reported under one of them only when
# no more specific class fired with it
GENERAL = ('Alarm', 'Musical instrument', 'Mechanisms', 'Animal', 'Domestic animals, pets',
           'Tools', 'Generic impact sounds', 'Liquid', 'Glass', 'Wood', 'Domestic sounds, home '
           'sounds', 'Livestock, farm animals, working animals')


@dataclasses.dataclass
class SoundEvent:
    label: str              # the best-scoring class
    score: float
    start: float
    end: float
    also: list = dataclasses.field(default_factory=list)  # other classes of the same sound
    level_db: Optional[float] = None   # the loudest window's level while it sounded (dBFS)
    room_db: Optional[float] = None    # the room's level when it started (the noise floor)


class Head:
    """Sound families from YAMNet's embedding: multinomial logistic regression (`coef` [K, 1024],
    `intercept` [K]) over `classes` (families, plus 'background' and 'speech', which never fire);
    `labels[k]` is the AudioSet name a family is reported under ('' for the two that never
    fire). A family fires at `threshold` (its probability)."""

    NEVER = ('background', 'speech')

    def __init__(self, classes, labels, coef, intercept, threshold: float):
        self.classes = [str(c) for c in classes]
        self.labels = [str(x) for x in labels]
        self.coef = np.asarray(coef, np.float32)
        self.intercept = np.asarray(intercept, np.float32)
        self.threshold = float(threshold)
        k = len(self.classes)
        if self.coef.ndim != 2 or self.coef.shape[0] != k or self.intercept.shape != (k,) or \
                len(self.labels) != k:
            raise ValueError(f'head: weights {self.coef.shape}, {self.intercept.shape} and '
                             f'{len(self.labels)} labels for {k} classes')
        self._never = np.array([c in self.NEVER for c in self.classes])

    @property
    def thresholds(self) -> np.ndarray:
        """The probability each class fires at, in class order (never, for the two that don't)."""
        return np.where(self._never, np.inf, self.threshold).astype(np.float32)

    @classmethod
    def load(cls, path: Path | str, threshold: float) -> 'Head':
        with np.load(path) as data:
            return cls(data['classes'].tolist(), data['labels'].tolist(), data['coef'],
                       data['intercept'], threshold)

    def save(self, path: Path | str) -> None:
        with open(path, 'wb') as f:
            np.savez_compressed(f, classes=np.array(self.classes), labels=np.array(self.labels),
                                coef=self.coef, intercept=self.intercept)

    def probs(self, embedding: np.ndarray) -> np.ndarray:
        """Class probabilities of one embedding [1024] (or rows [N, 1024])."""
        z = np.asarray(embedding, np.float32) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=-1, keepdims=True))
        return z / z.sum(axis=-1, keepdims=True)


@dataclasses.dataclass
class Calibration:
    """Per-class score thresholds and noise-floor margins (tools/calibrate_sound_events.py), and
    the embedding head whose families fire beside YAMNet's classes when there is one."""

    default: float = 0.5                     # classes the calibration does not name
    thresholds: dict = dataclasses.field(default_factory=dict)
    floor_margin: float = 0.2                # above the class's own score under room noise
    level_margin_db: float = 3.0             # window level above the room's level, to start
    head: Optional[Head] = None

    @classmethod
    def load(cls, path: Path | str = CALIBRATION) -> 'Calibration':
        data = json.loads(Path(path).read_text())
        head = None
        if data.get('head'):
            head = Head.load(Path(path).with_name(data['head']['file']),
                             float(data['head']['threshold']))
        return cls(float(data['default']), {k: float(v) for k, v in data['thresholds'].items()},
                   float(data['floor_margin']), float(data['level_margin_db']), head)

    def vector(self, labels: list[str]) -> np.ndarray:
        """Thresholds in class order; speech, rooms and noise classes never fire."""
        return np.array([np.inf if name in NOT_EVENTS else self.thresholds.get(name, self.default)
                         for name in labels], np.float32)


class NoiseFloor:
    """A running floor under stationary sound: it follows a drop within `fall_s` and a rise only
    over `rise_s`, so a steady fan or a tune left playing become the floor, a 5 s ring does not."""

    def __init__(self, rise_s: float = 30.0, fall_s: float = 2.0):
        self.rise_s, self.fall_s = rise_s, fall_s
        self.value = None

    def update(self, x, dt: float):
        x = np.asarray(x, np.float64)
        if self.value is None:
            self.value = x.copy()
            return self.value
        rate = np.where(x > self.value, dt / self.rise_s, dt / self.fall_s)
        self.value = self.value + np.minimum(rate, 1.0) * (x - self.value)
        return self.value


class SoundEventDetector:
    """Fed consecutive float32 16 kHz chunks; `finished(now)` hands out events whose sound has
    stopped. `settings`: .sound_threshold (lowest score any class may fire at), .sound_hop_s,
    .sound_release_s, .sound_refractory_s, read on every hop (live parameters)."""

    RATE = 16000

    def __init__(self, classifier, settings, calibration: Optional[Calibration] = None):
        self.sounds = classifier
        self.settings = settings
        self.calibration = calibration or Calibration.load()
        self.thresholds = self.calibration.vector(classifier.labels)
        general = set(GENERAL)
        self._general = {name for name in classifier.labels if name in general}
        self.score_floor = NoiseFloor()
        self.head_floor = NoiseFloor()
        self.level_floor = NoiseFloor()
        self._window = np.zeros(0, np.float32)
        self._since_hop = 0
        self._active: dict[str, SoundEvent] = {}
        self._last_emit: dict[str, float] = {}
        self.emitted = 0

    def push(self, chunk: np.ndarray, t: float) -> None:
        """One chunk starting at stream time `t`; scores the window once per hop."""
        self._window = np.concatenate([self._window, chunk])[-self.sounds.MIN_SAMPLES:]
        self._since_hop += chunk.size
        if self._since_hop < self.settings.sound_hop_s * self.RATE or \
                self._window.size < self.sounds.MIN_SAMPLES:
            return
        self._since_hop = 0
        end = t + chunk.size / self.RATE
        scores, embeddings = self.sounds.outputs(self._window)
        self.step(scores[-1], rms_db(self._window), end - self._window.size / self.RATE, end,
                  embeddings[-1])

    def step(self, scores: np.ndarray, level_db: float, start: float, end: float,
             embedding: Optional[np.ndarray] = None) -> None:
        """One hop's class scores (and embedding) and window level (dBFS) over [start, end].
        With a head (and the embedding), the head's families fire as well as YAMNet's classes,
        each against its own thresholds and noise floor."""
        head = self.calibration.head
        paths = [(scores, self.thresholds, self.sounds.labels, self.score_floor)]
        if head is not None and embedding is not None:
            paths = [(head.probs(embedding), head.thresholds, head.labels, self.head_floor),
                     paths[0]]
        hop = self.settings.sound_hop_s
        room = self.level_floor.value
        loud = room is None or level_db >= float(room) + self.calibration.level_margin_db
        for values, thresholds, labels, floors in paths:
            above = values >= np.maximum(thresholds, self.settings.sound_threshold)
            if floors.value is not None:
                above &= values >= floors.value + self.calibration.floor_margin
            for idx in np.nonzero(above)[0]:
                label = labels[idx]
                event = self._active.get(label)
                if event:   # a sound under way goes on while its class stays clear of the floor
                    event.end, event.score = end, max(event.score, float(values[idx]))
                    event.level_db = max(event.level_db, float(level_db))
                elif loud and end - self._last_emit.get(label, -1e9) > \
                        self.settings.sound_refractory_s:
                    self._active[label] = SoundEvent(
                        label, float(values[idx]), start, end, level_db=float(level_db),
                        room_db=None if room is None else float(room))
            # the floors learn after the decision: a hop never raises its own bar
            floors.update(values, hop)
        self.level_floor.update(level_db, hop)

    def finished(self, now: float) -> list[SoundEvent]:
        """Events whose sound has stopped; classes that overlap in time are one sound (a phone
        ring is Telephone, Ringtone and Alarm at once) reported under its most specific class."""
        release = self.settings.sound_release_s
        done = [e for e in self._active.values() if now - e.end >= release]
        # classes still active that overlap a finished one are the same sound: finish them too
        done += [e for e in self._active.values() if e not in done and
                 any(e.start < d.end and d.start < e.end for d in done)]
        done.sort(key=lambda e: (e.label in self._general, -e.score))
        merged: list[SoundEvent] = []
        for event in done:
            del self._active[event.label]
            self._last_emit[event.label] = event.end
            host = next((m for m in merged if event.start < m.end and m.start < event.end), None)
            if host:
                host.also.append(event.label)
                host.start, host.end = min(host.start, event.start), max(host.end, event.end)
                if event.level_db is not None:
                    host.level_db = max(host.level_db if host.level_db is not None
                                        else event.level_db, event.level_db)
            else:
                merged.append(event)
        self.emitted += len(merged)
        return merged
