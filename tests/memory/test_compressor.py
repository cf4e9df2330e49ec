"""Compression on real keyframes (opencv-doc video, scikit-image photos): one smaller keyframe
per episode, the clips' other keyframe files deleted, consecutive clips of an unchanged view
merged into one episode whatever was said meanwhile, different views kept apart, and every
label a fact needs (speech, sounds, text read) kept with its time."""
import cv2
import numpy as np
import pytest

from omnilive.bags import media
from omnilive.memory.compressor import Compressor, thin_keyframe, view_signature
from omnilive.memory.store import MemoryStore
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label, MemoryItem
from omnilive.vision.image_convert import rgb_to_jpeg


def jpegs(source: str, n: int, offset: float = 0.0, fps: float = 0.5) -> list[bytes]:
    """Keyframes as perception's clips carry them: 640x480 JPEG at quality 80."""
    return [rgb_to_jpeg(f, 80) for f in media.frames(source, fps, n / fps, (640, 480), offset)]


def clip(i: int, t: float, jpeg: bytes, labels: list[Label]) -> MemoryItem:
    return MemoryItem(id=f'clip-{i}', kind='clip', start=t, end=t + 10, text=f'clip {i}',
                      labels=labels, keyframe_jpeg=jpeg)


@pytest.fixture
def store(tmp_path, embedder):
    s = MemoryStore(tmp_path / 'mem', embedder, short_term_window_s=60.0)
    yield s
    s.close()


def test_thin_keyframe_is_narrower_and_smaller_and_not_thinned_twice():
    big = jpegs('skimage:coffee', 1)[0]
    small = thin_keyframe(big, 320, 60)
    assert small is not None and len(small) < len(big) / 2
    image = cv2.imdecode(np.frombuffer(small, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[:2] == (240, 320)
    assert thin_keyframe(small, 320, 60) is None          # already that narrow
    assert thin_keyframe(b'not a jpeg', 320, 60) is None


def test_view_signature_tells_a_static_camera_from_another_view():
    street = [view_signature(j) for j in jpegs('opencv:data/vtest.avi', 3, offset=10, fps=0.2)]
    cat, coffee = (view_signature(jpegs(s, 1)[0]) for s in ('skimage:chelsea', 'skimage:coffee'))
    # people walk through vtest.avi's fixed view: 5 s apart it is still the same view
    assert float(street[0] @ street[1]) >= 0.9 and float(street[1] @ street[2]) >= 0.9
    assert float(street[0] @ cat) < 0.9 and float(cat @ coffee) < 0.9
    assert view_signature(b'junk') is None


def test_consolidation_keeps_one_small_keyframe_and_merges_an_unchanged_view(store):
    street = jpegs('opencv:data/vtest.avi', 4, offset=20)
    cat = jpegs('skimage:chelsea', 2)
    said = ['the meeting moved to room four', 'bring the blue folder', 'lunch is at noon',
            'the printer is broken']
    items = []
    for i in range(4):  # a fixed street view; people come and go, different words each clip
        labels = [Label(OBJECT, 'person', 3 + i % 2), Label(SPEECH, said[i])]
        if i == 2:
            labels.append(Label(SOUND, 'Telephone', 1))
        items.append(clip(i, 1000 + 10 * i, street[i], labels))
    for i in range(2):  # then a cat, with a sign read in the second clip
        labels = [Label(OBJECT, 'cat', 1)] + ([Label(TEXT, 'EXIT 12')] if i else [])
        items.append(clip(4 + i, 1040 + 10 * i, cat[i], labels))
    store.insert(items)
    originals = {p.name: p.stat().st_size for p in (store.root / 'keyframes').iterdir()}
    assert len(originals) == 6

    stats = Compressor(store).run(now=1200)
    assert stats['clips_folded'] == 6
    episodes = sorted(store.compression_rows(['episode']), key=lambda r: r.start)
    assert [(e.start, e.end) for e in episodes] == [(1000, 1040), (1040, 1060)]
    street_ep, cat_ep = episodes
    # every word said, the sound and the sign stay, at the episode spanning them
    names = {(lab.kind, lab.name) for lab in street_ep.labels}
    assert {(SPEECH, s) for s in said} <= names and (SOUND, 'Telephone') in names
    assert (TEXT, 'EXIT 12') in {(lab.kind, lab.name) for lab in cat_ep.labels}
    assert {lab.name: lab.count for lab in street_ep.labels if lab.kind == OBJECT} == \
        {'person': 4}
    # one keyframe each, re-encoded at 320 px, far smaller; the clips' files are gone
    files = {p.name: p.stat().st_size for p in (store.root / 'keyframes').iterdir()}
    assert sorted(files) == sorted(f for e in episodes for f in e.keyframes)
    assert len(files) == 2 and not set(files) & set(originals)
    assert sum(files.values()) < sum(originals.values()) / 6
    for ep in episodes:
        assert ep.keyframe_bytes == files[ep.keyframes[0]]
        image = cv2.imdecode(np.frombuffer(store.read_keyframe(ep.keyframes[0]), np.uint8), 1)
        assert image.shape[1] == 320
    assert store.stats()['keyframe_bytes'] == sum(files.values())
    # the street episode's keyframe is one of the street frames, not the cat
    street_look = view_signature(street[1])
    assert float(view_signature(store.read_keyframe(street_ep.keyframes[0])) @ street_look) > 0.9
    # found by what was said in it
    hit = store.retrieve('where is the blue folder', top_k=3, now=1200)
    assert any(h.id == street_ep.id for h in hit)

    # a later batch of the same view continues the street episode? no: the cat came between;
    # a later cat clip continues the cat episode (the tail), its keyframe not thinned twice
    store.insert([clip(6, 1060, cat[1], [Label(OBJECT, 'cat', 1), Label(SOUND, 'Meow', 1)])])
    Compressor(store).run(now=1300)
    episodes = sorted(store.compression_rows(['episode']), key=lambda r: r.start)
    assert [(e.start, e.end) for e in episodes] == [(1000, 1040), (1040, 1070)]
    assert (SOUND, 'Meow') in {(lab.kind, lab.name) for lab in episodes[1].labels}
    assert len(list((store.root / 'keyframes').iterdir())) == 2


def test_merge_views_joins_consecutive_episodes_of_one_view_only(store):
    street = jpegs('opencv:data/vtest.avi', 3, offset=40)
    coffee = jpegs('skimage:coffee', 1)[0]
    # far apart in words and labels (the text test would not merge them), 5 s gaps
    store.insert([clip(0, 1000, street[0], [Label(OBJECT, 'person', 2),
                                             Label(SPEECH, 'the train leaves at six')]),
                  clip(1, 1015, street[1], [Label(OBJECT, 'person', 4), Label(OBJECT, 'car', 1),
                                             Label(SOUND, 'Siren', 1)]),
                  clip(2, 1030, coffee, [Label(OBJECT, 'cup', 1)]),
                  clip(3, 1045, street[2], [Label(OBJECT, 'person', 1)])])
    store.view_similarity = 2.0       # consolidation alone: nothing merges
    Compressor(store).run(now=1200)
    assert len(store.compression_rows(['episode'])) == 4
    store.view_similarity = 0.9
    stats = Compressor(store).merge_views()
    assert stats == {'view_merges': 1}
    episodes = sorted(store.compression_rows(['episode']), key=lambda r: r.start)
    assert [(e.start, e.end) for e in episodes] == [(1000, 1025), (1030, 1040), (1045, 1055)]
    names = {(lab.kind, lab.name) for lab in episodes[0].labels}
    assert {(SPEECH, 'the train leaves at six'), (SOUND, 'Siren'), (OBJECT, 'car')} <= names
    assert len(list((store.root / 'keyframes').iterdir())) == 3


def test_a_failed_write_leaves_no_new_keyframe_files(store, monkeypatch):
    store.insert([clip(i, 1000 + 10 * i, j, [Label(OBJECT, 'person', 2)])
                  for i, j in enumerate(jpegs('opencv:data/vtest.avi', 2))])
    before = sorted(p.name for p in (store.root / 'keyframes').iterdir())

    def fail(removed, episodes):
        raise OSError('disk full')
    monkeypatch.setattr(store, 'replace', fail)
    with pytest.raises(OSError):
        Compressor(store).consolidate(now=1200)
    assert sorted(p.name for p in (store.root / 'keyframes').iterdir()) == before
    assert store.count() == 2


def test_folded_speech_keeps_who_it_was_for(store):
    """Over the budget, speech folds into the episode around it with its words and its
    `to_robot` mark: a question someone asked the robot must not become evidence of what it
    asked about once compressed."""
    street = jpegs('opencv:data/vtest.avi', 1, offset=40)[0]
    store.insert([clip(0, 1000, street, [Label(OBJECT, 'person', 2)]),
                  MemoryItem(id='speech-q', kind='speech', start=1003, end=1005,
                             text='did you see a ferret?',
                             labels=[Label(SPEECH, 'did you see a ferret?', 1,
                                           attributes={'to_robot': True, 'question': True})]),
                  MemoryItem(id='speech-p', kind='speech', start=1006, end=1008,
                             text='the van comes at noon',
                             labels=[Label(SPEECH, 'the van comes at noon', 1,
                                           attributes={'to_robot': False})])])
    Compressor(store).run(now=1200)
    store.budget_items = 1
    assert Compressor(store).coarsen()['folded'] == 2
    [episode] = store.compression_rows(['episode'])
    said = {lab.name: lab.attributes for lab in episode.labels if lab.kind == SPEECH}
    assert said['did you see a ferret?']['to_robot'] is True
    assert said['the van comes at noon']['to_robot'] is False
