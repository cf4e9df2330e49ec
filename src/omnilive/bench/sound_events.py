"""Sound events over room noise: a labelled set of real recordings that Debian and PyPI packages
ship (each file's label from its name or its package), mixed into room noise at a set SNR, and
the figures of the detector (omnilive.audio.sound_events) on it: precision, recall, and false
events per hour of noise alone. Used by tools/calibrate_sound_events.py (which chooses the
thresholds on the fit half) and by the tests (which check the held-out half).

The room noise is synthetic: no recording of a quiet room ships in a package we found (the
pauses of the pocketsphinx-testdata recordings hold 4.5 s of room tone in 50 ms pieces, which
YAMNet hears as speech and animals once joined). It is a ventilation-like stationary noise,
brown + pink (seeded), its level drifting slowly by +-2 dB around -40 dBFS. SNRs are over the
full band unless said; A-weighted (dB(A), as a room's noise level is given) the noise is 9 dB
below its full-band level, so 10 dB full band is ~19 dB(A).
"""
from __future__ import annotations

import dataclasses
import glob
import importlib.util
import os
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from omnilive.audio.pcm import load_file, rms_db
from omnilive.audio.sound_events import Calibration, SoundEvent, SoundEventDetector

RATE = 16000
FREEDESKTOP = '/usr/share/sounds/freedesktop/stereo'
POCKETSPHINX = '/usr/share/pocketsphinx/test/data'
# Debian data packages that scripts/setup.sh unpacks (dpkg-deb -x) without installing them
MEDIA = Path(os.environ.get('OMNILIVE_MEDIA_DIR') or Path(
    os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'omnilive' / 'media')
SCRATCH = MEDIA / 'scratch' / 'usr' / 'share' / 'scratch' / 'Media' / 'Sounds'   # CC-BY-SA 3.0
LMMS = MEDIA / 'lmms-common' / 'usr' / 'share' / 'lmms' / 'samples'              # GPL-2+
TUXPAINT = MEDIA / 'tuxpaint-stamps-default' / 'usr' / 'share' / 'tuxpaint' / 'stamps'  # GPL-2
# Scratch 1.4's sound library: family -> its files (every file of the library whose name says
# one of these families; the rest are musical, electronic or vehicle sounds)
SCRATCH_FILES = {
    'dog': ['Animal/Dog1.wav', 'Animal/Dog2.wav'],
    'cat': ['Animal/Cat.mp3', 'Animal/Meow.wav', 'Animal/Kitten.wav'],
    'bird': ['Animal/Bird.wav', 'Animal/Owl.wav', 'Animal/Rooster.wav', 'Animal/Duck.wav',
             'Animal/Goose.wav'],
    'horse': ['Animal/Horse.wav', 'Animal/HorseGallop.wav'],
    'door': ['Effects/DoorClose.mp3', 'Effects/DoorCreak.wav'],
    'bell': ['Effects/BellToll.wav'],
    'applause': ['Percussion/HandClap.wav'],
    'cough': ['Human/Cough-female.wav', 'Human/Cough-male.wav'],
    'sneeze': ['Human/Sneeze-female.wav', 'Human/Sneeze-male.wav'],
    'laughter': ['Human/Laugh-female.wav', 'Human/Laugh-male1.wav', 'Human/Laugh-male2.wav',
                 'Human/Laugh-male3.mp3'],
    'scream': ['Human/Scream-female.wav', 'Human/Scream-male1.wav', 'Human/Scream-male2.mp3'],
    'crying': ['Human/BabyCry.mp3'],
    'footsteps': ['Human/Footsteps-1.wav', 'Human/Footsteps-2.mp3'],
    'water': ['Effects/WaterRunning.mp3', 'Effects/WaterDrop.mp3', 'Effects/Ripples.wav'],
}
# LMMS's samples named for an everyday sound (its drum, 'hit' and 'dong' samples are musical)
LMMS_FILES = {'applause': ['misc/applause01.ogg', 'misc/raving_crowd01.ogg'],
              'explosion': ['effects/explode01.ogg']}
# Tux Paint's stamp sounds: the sound a stamp makes, named by the stamp (every file whose stamp
# is a thing of one of these families; left out: silent files, animals with no family here,
# sounds whose stamp does not name them, such as a road sign's horn)
TUXPAINT_FILES = {
    'bird': [f'animals/birds/{n}.ogg' for n in (
        'blackbird', 'crow', 'cuckoo', 'drake', 'duck', 'gander', 'hen', 'heron_greatblue_flying',
        'lark', 'owl', 'penguin', 'quetzal', 'rooster', 'seagull', 'tucan', 'turkey', 'vulture')],
    'dog': ['animals/mammals/dogs/dog.ogg'],
    'cat': ['seasonal/halloween/blackcat.ogg'],
    'horse': ['animals/mammals/equines/horse.ogg'],
    'cattle': [f'animals/mammals/bovines/{n}.ogg' for n in ('cow', 'cow_white', 'bull', 'bison')],
    'sheep': [f'animals/mammals/bovines/{n}.ogg'
              for n in ('sheep', 'sheep_lamb', 'ram', 'goat', 'mountaingoat')],
    'pig': [f'animals/mammals/{n}.ogg' for n in ('pig', 'pig_golden', 'pig_golden2')],
    'insect': [f'animals/insects/{n}.ogg' for n in ('bee', 'mosquito', 'hornet', 'grasshopper')],
    'music': [f'hobbies/music/{n}.ogg' for n in (
        'string/cello', 'string/violin', 'wind/bassoon', 'percussion/cymbal_crash',
        'percussion/drum_tomtom_floor', 'percussion/drumkit')] + ['military/final-roll-call.ogg'],
    'camera': ['hobbies/camera_35mm.ogg'],
    'explosion': ['seasonal/newyears/fireworks.ogg'],
    'vehicle': ['vehicles/emergency/firetruck.ogg'],    # its siren, horn and engine
    'water': ['household/toilet.ogg'],
    'hit': ['household/tools/hammer.ogg', 'household/tools/mallet_metal.ogg'],
}


def _pygame(name: str) -> str:
    spec = importlib.util.find_spec('pygame')
    root = Path(spec.submodule_search_locations[0]) if spec else Path('/nonexistent')
    return str(root / 'examples' / 'data' / name)


# family -> the YAMNet classes that name it correctly (the class, its kinds and its AudioSet
# parent: a phone ring called "Alarm" is general but not wrong)
FAMILIES = {
    'phone': {'Telephone', 'Telephone bell ringing', 'Ringtone', 'Telephone dialing, DTMF',
              'Dial tone', 'Busy signal', 'Alarm'},
    'alarm': {'Alarm', 'Alarm clock', 'Beep, bleep', 'Buzzer', 'Smoke detector, smoke alarm',
              'Fire alarm', 'Siren', 'Civil defense siren', 'Car alarm'},
    'door': {'Door', 'Slam', 'Knock', 'Thunk', 'Sliding door', 'Cupboard open or close', 'Tap',
             'Wood', 'Thump, thud', 'Generic impact sounds'},
    'vehicle': {'Vehicle', 'Motor vehicle (road)', 'Car', 'Truck', 'Emergency vehicle',
                'Police car (siren)', 'Ambulance (siren)', 'Fire engine, fire truck (siren)',
                'Siren', 'Vehicle horn, car horn, honking', 'Toot', 'Air horn, truck horn',
                'Engine', 'Traffic noise, roadway noise'},
    'explosion': {'Explosion', 'Burst, pop', 'Boom', 'Bang', 'Artillery fire', 'Fireworks',
                  'Gunshot, gunfire'},
    'camera': {'Camera', 'Single-lens reflex camera', 'Mechanisms', 'Ratchet, pawl', 'Gears'},
    'hit': {'Whack, thwack', 'Slap, smack', 'Thump, thud', 'Generic impact sounds', 'Hammer'},
    'dog': {'Dog', 'Bark', 'Yip', 'Howl', 'Bow-wow', 'Growling', 'Whimper (dog)',
            'Canidae, dogs, wolves', 'Domestic animals, pets', 'Animal'},
    'cat': {'Cat', 'Purr', 'Meow', 'Hiss', 'Caterwaul', 'Domestic animals, pets', 'Animal'},
    'bird': {'Bird', 'Bird vocalization, bird call, bird song', 'Chirp, tweet', 'Squawk',
             'Pigeon, dove', 'Coo', 'Crow', 'Caw', 'Owl', 'Hoot', 'Fowl', 'Chicken, rooster',
             'Cluck', 'Crowing, cock-a-doodle-doo', 'Duck', 'Quack', 'Goose', 'Honk', 'Turkey',
             'Gobble', 'Wild animals', 'Livestock, farm animals, working animals', 'Animal'},
    'horse': {'Horse', 'Clip-clop', 'Neigh, whinny',
              'Livestock, farm animals, working animals', 'Animal'},
    'cattle': {'Cattle, bovinae', 'Moo', 'Livestock, farm animals, working animals', 'Animal'},
    'sheep': {'Sheep', 'Goat', 'Bleat', 'Livestock, farm animals, working animals', 'Animal'},
    'pig': {'Pig', 'Oink', 'Livestock, farm animals, working animals', 'Animal'},
    'insect': {'Insect', 'Bee, wasp, etc.', 'Mosquito', 'Fly, housefly', 'Buzz', 'Cricket',
               'Wild animals', 'Animal'},
    'bell': {'Bell', 'Church bell', 'Change ringing (campanology)', 'Jingle bell', 'Chime',
             'Tubular bells', 'Gong', 'Ding-dong', 'Ding'},
    'applause': {'Applause', 'Clapping', 'Cheering', 'Hands', 'Crowd', 'Children playing'},
    'cough': {'Cough', 'Throat clearing'},
    'sneeze': {'Sneeze'},
    'laughter': {'Laughter', 'Baby laughter', 'Giggle', 'Snicker', 'Belly laugh',
                 'Chuckle, chortle'},
    'scream': {'Screaming', 'Shout', 'Bellow', 'Yell', 'Children shouting', 'Wail, moan'},
    'crying': {'Crying, sobbing', 'Baby cry, infant cry', 'Whimper', 'Wail, moan'},
    'footsteps': {'Walk, footsteps', 'Run', 'Shuffle'},
    'water': {'Water', 'Liquid', 'Water tap, faucet', 'Sink (filling or washing)', 'Pour',
              'Trickle, dribble', 'Drip', 'Gush', 'Fill (with liquid)', 'Splash, splatter',
              'Stream', 'Gurgling', 'Plop', 'Toilet flush'},
    'music': set(),         # Music and the AudioSet classes under it (filled from the labels)
    'speech': set(),        # speech goes to the recogniser: any sound event on it is false
}
# the AudioSet name the embedding head reports a family under (one of the family's classes)
FAMILY_LABEL = {'phone': 'Telephone', 'alarm': 'Alarm', 'door': 'Door', 'explosion': 'Explosion',
                'camera': 'Camera', 'hit': 'Whack, thwack', 'dog': 'Dog', 'cat': 'Cat',
                'bird': 'Bird', 'horse': 'Horse', 'cattle': 'Cattle, bovinae', 'sheep': 'Sheep',
                'pig': 'Pig', 'insect': 'Insect', 'bell': 'Bell', 'applause': 'Applause',
                'cough': 'Cough', 'sneeze': 'Sneeze', 'laughter': 'Laughter',
                'scream': 'Screaming', 'crying': 'Crying, sobbing', 'footsteps': 'Walk, footsteps',
                'water': 'Water', 'music': 'Music', 'vehicle': 'Vehicle'}


@dataclasses.dataclass
class Recording:
    path: str
    family: str
    package: str
    offset_s: float = 0.0   # long tracks: an excerpt from here
    max_s: float = 8.0


def recordings() -> list[Recording]:
    """The labelled set: every file that exists (a missing package leaves its files out)."""
    fd = FREEDESKTOP
    rows = [Recording(f'{fd}/phone-incoming-call.oga', 'phone', 'sound-theme-freedesktop'),
            Recording(f'{fd}/phone-outgoing-busy.oga', 'phone', 'sound-theme-freedesktop'),
            Recording(f'{fd}/phone-outgoing-calling.oga', 'phone', 'sound-theme-freedesktop'),
            Recording('/usr/share/sounds/Oxygen-Im-Phone-Ring.ogg', 'phone', 'oxygen-sounds'),
            Recording(f'{fd}/alarm-clock-elapsed.oga', 'alarm', 'sound-theme-freedesktop'),
            Recording(_pygame('car_door.wav'), 'door', 'pygame'),
            Recording(_pygame('boom.wav'), 'explosion', 'pygame'),
            Recording(_pygame('punch.wav'), 'hit', 'pygame'),
            Recording(f'{fd}/camera-shutter.oga', 'camera', 'sound-theme-freedesktop'),
            Recording('/usr/share/sounds/deepin/stereo/camera-shutter.wav', 'camera',
                      'deepin-sound-theme'),
            Recording(_pygame('house_lo.wav'), 'music', 'pygame'),
            Recording(_pygame('secosmic_lo.wav'), 'music', 'pygame')]
    rows += [Recording(str(SCRATCH / name), family, 'scratch')
             for family, names in SCRATCH_FILES.items() for name in names]
    rows += [Recording(str(LMMS / name), family, 'lmms-common')
             for family, names in LMMS_FILES.items() for name in names]
    rows += [Recording(str(TUXPAINT / name), family, 'tuxpaint-stamps-default')
             for family, names in TUXPAINT_FILES.items() for name in names]
    rows += [Recording(p, 'music', 'asterisk-moh-opsound-wav', offset_s=30.0)
             for p in sorted(glob.glob('/usr/share/asterisk/moh/*.wav'))]
    rows += [Recording(p, 'speech', 'sound-theme-freedesktop')
             for p in sorted(glob.glob(f'{fd}/audio-channel-*.oga'))]
    rows += [Recording(p, 'speech', 'pocketsphinx-testdata')
             for p in sorted(glob.glob(f'{POCKETSPHINX}/librivox/*.wav') +
                             glob.glob(f'{POCKETSPHINX}/cards/*.wav'))]
    return [r for r in rows if Path(r.path).exists()]


def halves(rows: list[Recording]) -> tuple[list[Recording], list[Recording]]:
    """(fit, held-out): files alternate within each family, the first to the fit half; a family
    with one file goes to the held-out half (its classes then keep the default threshold)."""
    fit, held = [], []
    for family in FAMILIES:
        members = [r for r in rows if r.family == family]
        if len(members) == 1:
            held += members
            continue
        for i, r in enumerate(members):
            (fit if i % 2 == 0 else held).append(r)
    return fit, held


def correct_labels(labels: list[str]) -> dict[str, set]:
    """FAMILIES with 'music' filled: Music and the classes after it in AudioSet's order, up to
    the first class that is not music ('Wind')."""
    out = {k: set(v) for k, v in FAMILIES.items()}
    first, last = labels.index('Music'), labels.index('Wind')
    out['music'] = set(labels[first:last])
    return out


# ---------------------------------------------------------------------------------- noise
def room_noise(seconds: float, seed: int = 0, level_db: float = -40.0) -> np.ndarray:
    """Room noise (module docstring), float32 16 kHz."""
    from scipy.signal import lfilter
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    white = rng.standard_normal(n)
    brown = lfilter([1.0], [1.0, -0.995], white)
    brown = lfilter([1.0, -1.0], [1.0, -0.999], brown)          # no DC drift
    pink = lfilter([0.049922035, -0.095993537, 0.050612699, -0.004408786],
                   [1.0, -2.494956002, 2.017265875, -0.522189400], rng.standard_normal(n))
    noise = brown / (brown.std() + 1e-12) + 0.7 * pink / (pink.std() + 1e-12)
    t = np.arange(n) / RATE
    drift_db = 2.0 * np.sin(2 * np.pi * t / 23.0 + rng.uniform(0, 6.3))
    noise *= 10 ** (drift_db / 20)
    noise *= 10 ** (level_db / 20) / (noise.std() + 1e-12)
    return noise.astype(np.float32)


def a_weighted(audio: np.ndarray) -> np.ndarray:
    """`audio` through the A-weighting filter (IEC 61672; bilinear transform at 16 kHz), as a
    sound level meter weighs a room's noise: the rumble below ~100 Hz, which brown room noise
    is mostly made of and which neither a listener nor YAMNet (125-7500 Hz) hears much of,
    counts little."""
    from scipy.signal import bilinear_zpk, sosfilt, sosfreqz, zpk2sos
    w = [2 * np.pi * f for f in (20.598997, 107.65265, 737.86223, 12194.217)]
    z, p, k = bilinear_zpk([0, 0, 0, 0], [-w[0], -w[0], -w[1], -w[2], -w[3], -w[3]],
                           w[3] ** 2, RATE)
    sos = zpk2sos(z, p, k)
    _, h = sosfreqz(sos, worN=[1000.0], fs=RATE)
    return sosfilt(sos, np.asarray(audio, np.float64)) / abs(h[0])     # 0 dB at 1 kHz


def active_level_db(audio: np.ndarray) -> float:
    """Level of a recording where it sounds: 50 ms frames within 30 dB of its loudest."""
    frames = audio[:max(audio.size // 800, 1) * 800]
    frames = np.pad(frames, (0, 800 - frames.size)) if frames.size < 800 else frames
    frames = frames.reshape(-1, 800)
    power = np.mean(np.square(frames, dtype=np.float64), axis=1)
    keep = power >= power.max() * 1e-3
    return 10 * np.log10(max(power[keep].mean(), 1e-12))


def load(rec: Recording) -> np.ndarray:
    audio = load_file(rec.path)
    start = int(rec.offset_s * RATE) if audio.size > (rec.offset_s + rec.max_s) * RATE else 0
    return audio[start:start + int(rec.max_s * RATE)]


@dataclasses.dataclass
class Placed:
    rec: Recording
    start: float
    end: float


def mix(rows: Iterable[Recording], snr_db: float = 10.0, seed: int = 0, lead_s: float = 12.0,
        gap_s: float = 8.0, repeats: int = 2, weighting: str = '',
        noise_db: float = -40.0) -> tuple[np.ndarray, list[Placed]]:
    """One stream of room noise with each recording placed `repeats` times (in turn) at
    `snr_db` over the noise, `gap_s` of noise between them. Returns (audio, placements).
    `weighting` '': the SNR over the full band, where the noise's rumble counts in full (10 dB
    is ~19 dB(A) over room_noise); 'A': in dB(A), as a room's noise level is given (a_weighted).
    `noise_db`: the room noise's level (dBFS); a quiet room (-75) with the sounds 40 dB above
    is the clean condition."""
    clips = [(rec, load(rec)) for rec in rows] * repeats
    total = lead_s + sum(a.size / RATE + gap_s for _, a in clips)
    noise = room_noise(total, seed, noise_db)
    weigh = a_weighted if weighting == 'A' else np.asarray
    noise_db = rms_db(weigh(noise))
    placed, t = [], lead_s
    for rec, audio in clips:
        gain = 10 ** ((noise_db + snr_db - active_level_db(weigh(audio))) / 20)
        i = int(t * RATE)
        noise[i:i + audio.size] += gain * audio
        placed.append(Placed(rec, t, t + audio.size / RATE))
        t += audio.size / RATE + gap_s
    return np.clip(noise, -1, 1), placed


# ---------------------------------------------------------------------------------- scoring
@dataclasses.dataclass
class Hop:
    scores: np.ndarray
    level_db: float
    start: float
    end: float
    embedding: Optional[np.ndarray] = None


class _Recorder(SoundEventDetector):
    def __init__(self, classifier, settings):
        super().__init__(classifier, settings, Calibration())
        self.hops: list[Hop] = []

    def step(self, scores, level_db, start, end, embedding=None):
        self.hops.append(Hop(scores.copy(), level_db, start, end,
                             None if embedding is None else embedding.copy()))


def trace(classifier, audio: np.ndarray, settings) -> list[Hop]:
    """YAMNet's scores on `audio` exactly as the detector sees them, hop by hop (scored once,
    replayed under many calibrations)."""
    rec = _Recorder(classifier, settings)
    chunk = 512
    for i in range(0, audio.size - chunk + 1, chunk):
        rec.push(audio[i:i + chunk], i / RATE)
    return rec.hops


def replay(classifier, hops: list[Hop], settings, calibration: Calibration) -> list[SoundEvent]:
    detector = SoundEventDetector(classifier, settings, calibration)
    events = []
    for hop in hops:
        detector.step(hop.scores, hop.level_db, hop.start, hop.end, hop.embedding)
        events += detector.finished(hop.end)
    return events + detector.finished(float('inf'))


def hop_targets(hops: list[Hop], placed: list[Placed], level_margin_db: float = 3.0,
                slack_s: float = 1.5) -> list[Optional[str]]:
    """What each hop of a mix holds, to train the embedding head: a family where the hop's
    window overlaps a placed recording and is `level_margin_db` above the room's (median) level,
    'speech' over speech, 'background' clear of every placement by `slack_s`; None (left out)
    for the quiet parts and edges of a placement, which may hold the sound or not."""
    levels = np.array([h.level_db for h in hops])
    room = float(np.median(levels)) if hops else 0.0
    out: list[Optional[str]] = []
    for h in hops:
        target: Optional[str] = 'background'
        for p in placed:
            if h.start < p.end + slack_s and p.start - slack_s < h.end:
                target = None
                if h.start < p.end and p.start < h.end:
                    if p.rec.family == 'speech':
                        target = 'speech'
                    elif h.level_db >= room + level_margin_db:
                        target = p.rec.family
                    break
        out.append(target)
    return out


@dataclasses.dataclass
class Figures:
    precision: float
    recall: float
    events: int
    correct: int
    placed: int       # sounds placed that should be found (speech excluded)
    found: int
    wrong: list       # (file, family, reported label) of each false or mislabelled event
    missed: list      # files placed and not found
    families: dict = dataclasses.field(default_factory=dict)  # family -> [found, placed, wrong]

    def as_dict(self) -> dict:
        return {'precision': round(self.precision, 3), 'recall': round(self.recall, 3),
                'events': self.events, 'correct': self.correct, 'placed': self.placed,
                'found': self.found, 'wrong': self.wrong, 'missed': self.missed,
                'families': self.families}


def score(events: list[SoundEvent], placed: list[Placed], correct: dict[str, set],
          slack_s: float = 1.5) -> Figures:
    """An event is correct when it overlaps a placed sound (within `slack_s`) and its label
    names that sound's family; a placed sound is found when some correct event covers it.
    Events on speech or on noise alone are false."""
    found, ok, wrong = set(), 0, []
    for ev in events:
        hit = next((i for i, p in enumerate(placed)
                    if ev.start < p.end + slack_s and p.start - slack_s < ev.end), None)
        if hit is not None and ev.label in correct[placed[hit].rec.family]:
            ok += 1
            found.add(hit)
        else:
            where = placed[hit].rec if hit is not None else None
            wrong.append((Path(where.path).name if where else 'noise',
                          where.family if where else 'noise', ev.label))
    targets = [i for i, p in enumerate(placed) if p.rec.family != 'speech']
    missed = sorted({Path(placed[i].rec.path).name for i in targets if i not in found})
    families: dict[str, list] = {}
    for i, p in enumerate(placed):
        row = families.setdefault(p.rec.family, [0, 0, 0])
        row[0] += i in found and p.rec.family != 'speech'
        row[1] += p.rec.family != 'speech'
    for _, family, _ in wrong:
        families.setdefault(family, [0, 0, 0])[2] += 1
    return Figures(ok / len(events) if events else 1.0,
                   len(found & set(targets)) / len(targets) if targets else 1.0,
                   len(events), ok, len(targets), len(found & set(targets)), wrong, missed,
                   dict(sorted(families.items())))


def false_per_hour(events: list[SoundEvent], seconds: float) -> float:
    return len(events) * 3600.0 / seconds


def default_settings(threshold: float = 0.1):
    """The listener's sound settings (ListenerConfig's defaults)."""
    from omnilive.audio.listener import ListenerConfig
    return ListenerConfig(sound_threshold=threshold)


def evaluate(classifier, rows: list[Recording], noise_s: float, calibration: Optional[
        Calibration] = None, seed: int = 1, snr_db: float = 10.0) -> dict:
    """Figures of `calibration` (default: the committed one) on `rows` and on `noise_s` of
    noise alone."""
    settings = default_settings()
    calibration = calibration or Calibration.load()
    audio, placed = mix(rows, snr_db, seed)
    events = replay(classifier, trace(classifier, audio, settings), settings, calibration)
    figures = score(events, placed, correct_labels(classifier.labels))
    noise = room_noise(noise_s, seed + 1000)
    noise_events = replay(classifier, trace(classifier, noise, settings), settings, calibration)
    return {'figures': figures, 'false_per_hour': false_per_hour(noise_events, noise_s),
            'noise_events': [e.label for e in noise_events]}


def main(argv: Optional[list] = None) -> None:
    """`python -m omnilive.bench.sound_events BAG...`: the sound events the detector finds in
    each bag's microphone stream, with the committed calibration (the head beside YAMNet's
    classes) and with YAMNet's classes alone, beside the sounds its truth sidecar planted."""
    import argparse

    import yaml

    from omnilive.bags.make import microphone_track
    from omnilive.models.sound import SoundClassifier
    ap = argparse.ArgumentParser(description=main.__doc__.split('\n')[0])
    ap.add_argument('bags', nargs='+')
    args = ap.parse_args(argv)
    classifier, settings = SoundClassifier(threads=2), default_settings()
    cal = Calibration.load()
    calibrations = {'with the head': cal,
                    "YAMNet's classes alone": dataclasses.replace(cal, head=None)}
    for bag in args.bags:
        truth = Path(bag.rstrip('/') + '.truth.yaml')
        if truth.exists():
            planted = [(line['at'], line['sound']) for line in
                       yaml.safe_load(truth.read_text())['audio'] if line.get('sound')]
            print(f'{bag}: planted {planted}')
        hops = trace(classifier, microphone_track(bag), settings)
        for name, calibration in calibrations.items():
            events = replay(classifier, hops, settings, calibration)
            print(f'  {name}: ' + '; '.join(
                f'{e.start:.1f} s {e.label} {e.score:.2f}' + (f' (+ {", ".join(e.also)})'
                                                             if e.also else '')
                for e in events))


if __name__ == '__main__':
    main()
