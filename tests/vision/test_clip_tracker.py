"""Clip lifecycle on real media with the real segmenter and detector: a clip opens with the
first frame, the open clip is upserted every clip_update_s, a scene cut stores the finished clip
and opens the next one, and sounds and speech land in the open clip."""
from types import SimpleNamespace

import pytest

from omnilive.bags import media
from omnilive.util.timing import StageTimer
from omnilive.vision.clip_tracker import ClipTracker
from omnilive.vision.clips import FrameAnalyzer
from omnilive.vision.scenes import SceneSegmenter

pytestmark = pytest.mark.models


@pytest.fixture(scope='module')
def analyzer():
    from omnilive.models.detector import Detector
    return FrameAnalyzer(Detector(threads=2), reader=None)


def names(item, kind):
    """The item's label names of one kind, whether labels are prefixed strings ('sound:...')
    or typed labels (omnilive.memory.types.Label)."""
    prefix = {'object': '', 'sound': 'sound:', 'speech': 'said:'}[kind]
    out = set()
    for label in item.labels:
        if isinstance(label, str):
            if prefix and label.startswith(prefix):
                out.add(label[len(prefix):])
            elif not prefix and ':' not in label:
                out.add(label)
        elif label.kind == kind:
            out.add(label.name)
    return out


def frames(source, n):
    return list(media.frames(source, 1, n, (320, 240)))


def test_clips_open_upsert_and_close_on_scene_cuts(analyzer):
    stored, timer = [], StageTimer()
    settings = SimpleNamespace(clip_update_s=3.0, frame_rate_hz=1.0)
    tracker = ClipTracker(SceneSegmenter(0.9, 2, 16), analyzer, stored.append, settings,
                          pose_at=lambda t: None, timer=timer)
    street = frames('opencv:data/vtest.avi', 5)      # people walking: one scene
    coffee = frames('skimage:coffee', 3)
    t = 0.0
    for rgb in street[:3]:
        tracker.push(t, rgb)
        t += 1.0
    first = tracker.clip.id
    # frames at 0, 1, 2: no upsert yet (the clip opened at 0, upserts every 3 s)
    assert stored == [] and tracker.frames_in_clip == 3
    tracker.add_sound('Telephone')
    tracker.add_speech('the meeting moved to room five')
    for rgb in street[3:]:
        tracker.push(t, rgb)
        t += 1.0
    assert [i.id for i in stored] == [first]          # upserted at t=3, same id
    assert 'person' in names(stored[0], 'object')
    for rgb in coffee:
        tracker.push(t, rgb)
        t += 1.0
    # the cut at t=5 stored the street clip in its final form and opened the next clip
    assert tracker.cuts and tracker.cuts[0] == 5.0 and tracker.closed == 1
    assert [i.id for i in stored] == [first, first]
    final = stored[-1]
    assert final.start == 0.0 and final.end == 4.0 + 1.0      # last frame + one sample period
    assert names(final, 'sound') == {'Telephone'}
    assert names(final, 'speech') == {'the meeting moved to room five'}
    assert tracker.clip.id != first and tracker.frames_in_clip == 3
    assert names(tracker.clip.item(), 'sound') == set()
    assert timer.stats('analyze')[0] == 8


def test_upsert_period_is_read_at_every_frame(analyzer):
    stored = []
    settings = SimpleNamespace(clip_update_s=100.0, frame_rate_hz=1.0)
    tracker = ClipTracker(SceneSegmenter(0.9, 2, 16), analyzer, stored.append, settings)
    street = frames('opencv:data/vtest.avi', 4)
    tracker.push(0.0, street[0])
    tracker.push(1.0, street[1])
    assert stored == []
    settings.clip_update_s = 1.0                  # a parameter changed at run time
    tracker.push(2.0, street[2])
    assert len(stored) == 1 and tracker.last_upsert == 2.0
    tracker.push(2.5, street[3])
    assert len(stored) == 1                       # 0.5 s later: not due yet
