"""Memory store: upsert, durability, hybrid retrieval, time windows, forget everywhere,
compression of a scripted clip sequence into the expected episodes."""
import cv2
import numpy as np
import pytest

from omnilive.memory.compressor import Compressor
from omnilive.memory.store import MemoryStoreError, MemoryStore
from omnilive.memory.types import OBJECT, SOUND, TEXT, Label, MemoryItem


def jpeg(seed: int) -> bytes:
    img = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    return cv2.imencode('.jpg', img)[1].tobytes()


def labels(objects: dict[str, int], texts=()) -> list[Label]:
    return [Label(OBJECT, name, n) for name, n in objects.items()] + \
        [Label(TEXT, t) for t in texts]


def clip(i, start, labels, text=None, pose=None):
    from omnilive.memory.describe import caption
    return MemoryItem(id=f'clip-{i}', kind='clip', start=start, end=start + 3,
                      text=text or caption(labels), labels=labels, pose=pose,
                      keyframe_jpeg=jpeg(i))


@pytest.fixture
def store(tmp_path, embedder):
    s = MemoryStore(tmp_path / 'mem', embedder, short_term_window_s=60)
    yield s
    s.close()


def test_insert_upsert_and_reopen(tmp_path, embedder):
    s = MemoryStore(tmp_path / 'm', embedder)
    s.insert([clip(1, 10, labels({'person': 1}))])
    s.insert([clip(1, 10, labels({'person': 2, 'car': 1}))])  # the open clip, updated in place
    assert s.count() == 1
    [item] = s.get(['clip-1'])
    assert item.counts(OBJECT) == {'person': 2, 'car': 1} and item.keyframe_jpeg
    s.db.close()  # no clean shutdown: the index file is stale
    s2 = MemoryStore(tmp_path / 'm', embedder)
    assert s2.count() == 1 and len(s2.index) == 1
    assert s2.retrieve('a car', top_k=1)[0].id == 'clip-1'


def test_hybrid_keyword_semantic_and_time(store):
    store.insert([
        clip(1, 100, labels({'person': 2}, ['EXIT'])),
        clip(2, 200, labels({'cup': 1, 'dining table': 1})),
        clip(3, 300, labels({'car': 3, 'truck': 1})),
        MemoryItem(id='snd-1', kind='sound', start=250, end=251, text='heard telephone',
                   labels=[Label(SOUND, 'Telephone', 1)]),
        MemoryItem(id='sp-1', kind='speech', start=260, end=262, text='the meeting is at noon'),
    ])
    assert store.retrieve('exit sign', top_k=1)[0].id == 'clip-1'            # keyword
    assert store.retrieve('did a phone ring?', top_k=1)[0].id == 'snd-1'      # semantic
    assert store.retrieve('vehicles on the road', top_k=1)[0].id == 'clip-3'
    assert store.retrieve('when is the meeting', top_k=1)[0].id == 'sp-1'
    window = store.retrieve('what did you see', top_k=10, since=150, until=280)
    assert {i.id for i in window} == {'clip-2', 'snd-1', 'sp-1'}
    assert [i.id for i in store.retrieve('anything', kinds=['sound'])] == ['snd-1']
    assert store.retrieve('', top_k=2)[0].id == 'clip-3'                       # newest first
    scores = [i.score for i in store.retrieve('car', top_k=5)]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_keyword_search_finds_what_perception_noticed_of_a_label(store):
    """Categories and colours stored on a label are searchable: 'animals' finds the setter's
    clip although no word of its caption or name says animal."""
    setter = Label(OBJECT, 'Irish setter', 1, synset='irish_setter.n.01',
                   attributes={'categories': ['dog', 'animal'], 'colours': ['red']})
    store.insert([clip(1, 100, [setter], text='something by the door'),
                  clip(2, 200, labels({'cup': 1}), text='a cup on a table'),
                  clip(3, 300, labels({'car': 1}), text='a car on the road')])
    assert store.retrieve('which animals did you see', top_k=1)[0].id == 'clip-1'
    assert store.retrieve('anything red', top_k=1)[0].id == 'clip-1'


def test_notes_and_forget_everywhere(store):
    note = store.remember('my keys are in the top drawer', 50.0)
    store.insert([clip(1, 100, labels({'person': 1})), clip(2, 400, labels({'dog': 1}))])
    frames = store.keyframe_paths('clip-1')
    assert frames and all(p.exists() for p in frames)
    assert store.retrieve('where are my keys?', top_k=1)[0].id == note
    assert store.forget(ids=['clip-1']) == 1
    assert not store.get(['clip-1']) and not any(p.exists() for p in frames)
    assert all(i.id != 'clip-1' for i in store.retrieve('person', top_k=10))
    assert store.db.execute("SELECT COUNT(*) FROM fts WHERE fts MATCH 'person'").fetchone()[0] == 0
    assert store.forget(query='keys drawer') == 1
    assert store.forget(since=390, until=410) == 1
    assert store.count() == 0 and len(store.index) == 0


def test_compression_merges_scripted_clips_into_expected_episodes(store):
    # kitchen 0-27 s (10 clips), a cut to the street 30-57 s, back to a kitchen 300 s later
    kitchen = [clip(i, 3 * i, labels({'cup': 1 + i % 2, 'person': 1})) for i in range(10)]
    street = [clip(10 + i, 30 + 3 * i, labels({'car': 2, 'person': 3 if i == 4 else 1}, ['STOP']))
              for i in range(10)]
    later = [clip(20 + i, 360 + 3 * i, labels({'cup': 1, 'person': 1})) for i in range(3)]
    store.insert(kitchen + street + later)
    store.insert([MemoryItem(id='snd', kind='sound', start=40, end=41, text='heard siren',
                             labels=[Label(SOUND, 'Siren', 1)])])
    stats = Compressor(store).run(now=1000)
    episodes = sorted((i for i in store.retrieve('', top_k=50) if i.kind == 'episode'),
                      key=lambda e: e.start)
    assert [(e.start, e.end) for e in episodes] == [(0, 30), (30, 60), (360, 369)], stats
    assert episodes[0].labels == [Label(OBJECT, 'cup', 2), Label(OBJECT, 'person', 1)]
    assert episodes[1].counts(OBJECT) == {'car': 2, 'person': 3}
    assert episodes[1].names(TEXT) == ['STOP']
    assert 'STOP' in episodes[1].text and '3 people' in episodes[1].text
    assert all(len(store.keyframe_paths(e.id)) <= 3 for e in episodes)
    assert len(list((store.root / 'keyframes').glob('*.jpg'))) <= 9
    assert store.get(['snd'])[0].level == 'long'
    assert store.stats()['compression_ratio'] > 5
    # forgetting a clip that was folded into an episode removes that episode (privacy)
    assert store.forget(ids=['clip-12']) == 1
    assert not any(e.start == 30 for e in store.retrieve('', top_k=50) if e.kind == 'episode')


def test_bad_databases_give_clear_errors(tmp_path, embedder):
    bad = tmp_path / 'corrupt'
    bad.mkdir()
    (bad / 'memory.sqlite3').write_bytes(b'this is not a database at all' * 100)
    with pytest.raises(MemoryStoreError, match='corrupt'):
        MemoryStore(bad, embedder)
    import sqlite3
    foreign = tmp_path / 'foreign'
    foreign.mkdir()
    sqlite3.connect(foreign / 'memory.sqlite3').execute('CREATE TABLE users(name TEXT)')
    with pytest.raises(MemoryStoreError, match='not an omnilive memory'):
        MemoryStore(foreign, embedder)
