"""`omnilive memory export/import`: one robot's SQLite memory moved into a real Milvus server
(tests/memory/conftest.py) and back, with every level, label field and keyframe; re-import is
idempotent; an old-schema memory directory (tests/data/memory_v1) imports as it is."""
import shutil
from pathlib import Path

import numpy as np
import pytest

from omnilive.memory.compressor import Compressor
from omnilive.memory.milvus import MilvusStore
from omnilive.memory.store import MemoryStore
from omnilive.memory.transfer import (FORMAT, TransferError, export_memory, export_robot_id,
                                      import_memory)
from omnilive.memory.types import OBJECT, SOUND, SPEECH, Label, MemoryItem

pytestmark = [pytest.mark.models]
V1 = Path(__file__).resolve().parents[1] / 'data' / 'memory_v1'


def _jpeg(seed: int) -> bytes:
    import cv2
    img = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    return cv2.imencode('.jpg', img)[1].tobytes()


def _robot_memory(path, embedder) -> MemoryStore:
    """A store with short-term clips, sound, speech, a note, and an episode compression folded
    from old clips (long-term), labels carrying synsets and attributes."""
    store = MemoryStore(path, embedder, short_term_window_s=100, robot_id='robot1')
    dog = Label(OBJECT, 'dog', 1, 'dog.n.01', 0.9, {'colours': ['red'], 'categories': ['animal']})
    store.insert([MemoryItem(id=f'old-{i}', kind='clip', start=10 + 3 * i, end=13 + 3 * i,
                             text='a red setter on the lawn', labels=[dog],
                             keyframe_jpeg=_jpeg(i)) for i in range(3)])
    store.insert([
        MemoryItem(id='cart', kind='clip', start=1000, end=1004,
                   text='a warehouse cart carrying a blue crate', frame_id='map',
                   labels=[Label(OBJECT, 'cart', 1, 'handcart.n.01', 0.8,
                                 {'colours': ['blue'], 'box': [1, 2, 30, 40]})],
                   pose=(4.0, 2.0, 0, 0, 0, 0, 1), keyframe_jpeg=_jpeg(9),
                   image_embedding=[0.25, -0.5]),
        MemoryItem(id='bell', kind='sound', start=1010, end=1011, text='heard doorbell',
                   labels=[Label(SOUND, 'Doorbell', 2, score=0.7)], score=0.7),
        MemoryItem(id='said', kind='speech', start=1020, end=1023,
                   text='the parcel arrives on friday',
                   labels=[Label(SPEECH, 'the parcel arrives on friday')])])
    store.remember('the spare key is under the blue pot', 1030)
    Compressor(store).run(now=1040)  # the setter clips -> one long-term episode
    return store


def _snapshot(items):
    return {i.id: (i.kind, i.level, i.start, i.end, i.text, i.labels, i.pose, i.frame_id,
                   i.robot_id, bool(i.keyframe_jpeg)) for i in items}


def test_sqlite_memory_moves_into_milvus_and_back(tmp_path, embedder, milvus_server):
    source = _robot_memory(tmp_path / 'robot1', embedder)
    ids = [r[0] for r in source.db.execute('SELECT id FROM items')]
    assert len(ids) == 5 and {'cart', 'bell', 'said'} < set(ids)
    episode = [i for i in ids if i.startswith('episode')]
    assert len(episode) == 1
    before = _snapshot(source.get(ids))
    manifest = export_memory(source, tmp_path / 'robot1.tar.gz')
    source.close()
    assert manifest['format'] == FORMAT and manifest['items'] == 5
    assert manifest['counts']['episode/long'] == 1 and manifest['counts']['note/long'] == 1
    assert export_robot_id(tmp_path / 'robot1.tar.gz') == 'robot1'

    target = MilvusStore(milvus_server.uri, embedder, local_dir=tmp_path / 'robot1-milvus',
                         robot_id='robot1', collection='transfer_test')
    try:
        report = import_memory(tmp_path / 'robot1.tar.gz', target)
        assert report['items'] == 5 and report['reembedded'] == 0 and report['vectors_reused']
        assert report['missing_keyframes'] == 0
        again = import_memory(tmp_path / 'robot1.tar.gz', target)  # idempotent
        assert again['items'] == 5 and target.count() == 5
        moved = target.get(ids)
        assert _snapshot(moved) == before  # ids, times, levels, labels, pose, robot, keyframes
        cart = next(i for i in moved if i.id == 'cart')
        assert cart.labels[0].synset == 'handcart.n.01'
        assert cart.labels[0].attributes['box'] == (1, 2, 30, 40)
        assert cart.image_embedding == [0.25, -0.5]
        ep = target.compression_rows(['episode'])[0]
        assert sorted(ep.sources) == ['old-0', 'old-1', 'old-2'] and ep.raw_count == 3
        # retrieval on Milvus: by keyword, by time window, long-term included
        assert target.retrieve('blue crate', top_k=1, now=1040)[0].id == 'cart'
        assert target.retrieve('red setter', top_k=1, now=1040)[0].id == episode[0]
        assert [i.id for i in target.retrieve('', top_k=5, since=1009, until=1012)] == ['bell']
        assert target.retrieve('where is the spare key', top_k=1,
                               kinds=['note'])[0].text.startswith('the spare key')
        # and back out of Milvus into a new SQLite store
        export_memory(target, tmp_path / 'from-milvus')
    finally:
        target.close()
    back = MemoryStore(tmp_path / 'robot1-back', embedder, robot_id='robot1')
    try:
        assert import_memory(tmp_path / 'from-milvus', back)['items'] == 5
        assert _snapshot(back.get(ids)) == before
        assert back.retrieve('parcel friday', top_k=1)[0].id == 'said'
    finally:
        back.close()


def test_old_schema_directory_imports_unchanged(tmp_path, embedder):
    src = tmp_path / 'v1'
    shutil.copytree(V1, src)
    db_before = (src / 'memory.sqlite3').read_bytes()
    target = MemoryStore(tmp_path / 'new', embedder, robot_id='robot9')
    try:
        report = import_memory(src, target)
        assert report['items'] == 7 and report['keyframes'] == 5
        assert report['counts'] == {'clip/short': 2, 'episode/long': 1, 'note/long': 1,
                                    'sound/long': 1, 'sound/short': 1, 'speech/short': 1}
        street = target.get(['clip-street'])[0]
        assert [(lb.kind, lb.name, lb.count) for lb in street.labels][:2] == [
            (OBJECT, 'person', 3), (OBJECT, 'car', 1)]
        assert street.keyframe_jpeg and street.pose[0] == 1.5
        assert target.retrieve('where are my keys', top_k=1, kinds=['note'])[0].text == \
            'my keys are in the top drawer'
        assert target.retrieve('siren', top_k=3, until=30)
    finally:
        target.close()
    assert (src / 'memory.sqlite3').read_bytes() == db_before  # the source was not migrated


def test_vectors_of_another_embedder_are_recomputed(tmp_path, embedder):
    store = MemoryStore(tmp_path / 'a', embedder)
    store.insert([MemoryItem(id='n1', kind='speech', start=1, end=2, text='lunch at noon')])
    export_memory(store, tmp_path / 'out')
    store.close()
    lines = (tmp_path / 'out' / 'items.jsonl').read_text().splitlines()
    import base64
    import json
    doc = json.loads(lines[0])
    doc['embedding'] = base64.b64encode(np.ones(embedder.dim, '<f4').tobytes()).decode()
    (tmp_path / 'out' / 'items.jsonl').write_text(json.dumps(doc) + '\n')
    target = MemoryStore(tmp_path / 'b', embedder)
    try:
        report = import_memory(tmp_path / 'out', target)
        assert report['reembedded'] == 1 and not report['vectors_reused']
        assert target.retrieve('when is lunch', top_k=1)[0].id == 'n1'
    finally:
        target.close()
    (tmp_path / 'out' / 'items.jsonl').write_text('{"id": "x"}\n')
    other = MemoryStore(tmp_path / 'c', embedder)
    try:
        with pytest.raises(TransferError, match='line 1'):
            import_memory(tmp_path / 'out', other)
        with pytest.raises(TransferError, match='exists'):
            export_memory(other, tmp_path / 'out')
        assert other.count() == 0
    finally:
        other.close()
