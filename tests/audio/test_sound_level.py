"""How loud a sound event was: the detector keeps the loudest window's level and the room's
level when it started; the memory item's main label carries both, so reasoning can answer
"what was the loudest sound?" (no model: class scores are given to the detector's step)."""
from types import SimpleNamespace

import numpy as np

from omnilive.audio.hearing import sound_item
from omnilive.audio.listener import ListenerConfig
from omnilive.audio.sound_events import Calibration, SoundEventDetector


def test_an_event_keeps_its_peak_level_and_the_room_under_it():
    labels = ['Speech', 'Explosion', 'Burst, pop']
    yamnet = SimpleNamespace(labels=labels, MIN_SAMPLES=15600)
    settings = ListenerConfig()
    detector = SoundEventDetector(yamnet, settings, Calibration(0.5, {}, 0.2, 3.0))
    hop, t = settings.sound_hop_s, 0.0
    quiet, bang = np.array([0.0, 0.01, 0.01]), np.array([0.0, 0.9, 0.8])
    for _ in range(20):  # the room: -50 dBFS, nothing heard
        detector.step(quiet, -50.0, t, t + hop)
        t += hop
    for level in (-20.0, -8.0, -15.0):  # the sound, loudest in its second window
        detector.step(bang, level, t, t + hop)
        t += hop
    for _ in range(10):
        detector.step(quiet, -50.0, t, t + hop)
        t += hop
    events = detector.finished(t + 10)
    assert [e.label for e in events] == ['Explosion'] and events[0].also == ['Burst, pop']
    assert events[0].level_db == -8.0 and abs(events[0].room_db + 50.0) < 0.5
    item = sound_item(events[0])
    assert dict(item.labels[0].attributes) == {'level_db': -8.0, 'above_room_db': 42.0}
    assert not item.labels[1].attributes


def test_a_sound_item_names_what_made_it():
    """Each label of a sound item carries the synset of its source when its class names one
    (models/data/audioset_wordnet.yaml): reasoning finds a meow under "did you hear a cat?"
    and "any animals?"; a knock names no source."""
    from omnilive.audio.sound_events import SoundEvent
    meow = SoundEvent('Meow', 0.8, 1.0, 2.0)
    meow.also = ['Cat', 'Knock']
    item = sound_item(meow)
    assert [(lab.name, lab.synset) for lab in item.labels] == [
        ('Meow', 'cat.n.01'), ('Cat', 'cat.n.01'), ('Knock', '')]
