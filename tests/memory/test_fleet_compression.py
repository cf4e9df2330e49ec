"""The Milvus backend under compression and diagnostics, on the real Milvus server of the session
(tests/memory/conftest.py): the compressor turns one robot's short-term clips into episodes and
keeps its budget without losing an item or touching another robot's; stats() answers from
per-row figures it keeps on every write instead of scanning the collection each time."""
import io

import numpy as np
import pytest
from PIL import Image

from omnilive.memory.compressor import Compressor
from omnilive.memory.milvus import MilvusStore
from omnilive.memory.types import OBJECT, SOUND, Label, MemoryItem

pytestmark = [pytest.mark.models]


def jpeg(seed: int, size=(640, 480)) -> bytes:
    """A real JPEG of a photo-like texture (noise over a colour gradient), `seed` apart."""
    rng = np.random.default_rng(seed)
    h, w = size[1], size[0]
    base = np.linspace(0, 255, w)[None, :, None] * rng.random(3)[None, None, :]
    image = np.clip(base + rng.normal(0, 40, (h, w, 3)), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(image).save(out, format='JPEG', quality=85)
    return out.getvalue()


def scene(prefix: str, t0: float, n: int, labels: list[Label], text: str, seed: int):
    return [MemoryItem(id=f'{prefix}-{i}', kind='clip', start=t0 + 3 * i, end=t0 + 3 * i + 3,
                       text=text, labels=labels, pose=(float(i), 1.0, 0, 0, 0, 0, 1),
                       frame_id='map', keyframe_jpeg=jpeg(seed + i)) for i in range(n)]


def fresh(store: MilvusStore) -> dict:
    """stats() computed by a full scan of the server, bypassing the kept figures."""
    store._stat_rows = None
    return store.stats()


@pytest.fixture(scope='module')
def stores(tmp_path_factory, embedder, milvus_server):
    root = tmp_path_factory.mktemp('fleet-compression')
    made = [MilvusStore(milvus_server.uri, embedder, local_dir=root / robot, robot_id=robot,
                        collection='compression_test', timeout_s=10)
            for robot in ('robot_k', 'robot_l')]
    yield made
    for store in made:
        store.close()


def test_stats_are_kept_on_every_write_and_match_a_scan(stores):
    store, _ = stores
    store.insert(scene('s-cart', 0, 3, [Label(OBJECT, 'cart', 1)], 'a cart', seed=0))
    first = store.stats()
    assert first['items'] == 3 and first['counts'] == {('clip', 'short'): 3}
    scans = store.stats_scans
    # insert, update by id (keeping the stored keyframe), remember, forget: no rescan, and
    # the same figures as a scan
    updated = scene('s-cart', 0, 5, [Label(OBJECT, 'cart', 2)], 'two carts', seed=0)
    for item in updated[:3]:
        item.keyframe_jpeg = b''
    store.insert(updated)
    store.insert([MemoryItem(id='s-bell', kind='sound', start=20, end=21, text='heard a bell',
                             labels=[Label(SOUND, 'Bell', 1)])])
    store.remember('the spare key is under the mat', 22)
    assert store.forget(ids=['s-cart-4']) == 1
    kept = store.stats()
    assert store.stats_scans == scans
    assert kept['items'] == 6 and kept['counts'] == {('clip', 'short'): 4, ('note', 'long'): 1,
                                                     ('sound', 'short'): 1}
    assert kept['keyframe_bytes'] > 0 and (kept['oldest'], kept['newest']) == (0.0, 22.0)
    assert kept == fresh(store)
    assert store.budget_bytes_used() == kept['bytes']
    # a row written behind this store's back (another process, same robot) is seen: the
    # server's count(*) differs from the kept figures, so the next call rescans
    scans = store.stats_scans
    row = store._row(MemoryItem(id='s-import', kind='speech', start=30, end=31, text='hello'),
                     store.embedder.embed(['hello'])[0], [], 0, ['s-import'], 1)
    store._call(store.coll.upsert, [row])
    assert store.stats()['items'] == 7 and store.stats_scans == scans + 1
    assert store.forget(since=-1, until=1e9) == 7
    assert store.stats()['items'] == 0 and store.stats() == fresh(store)


def test_compression_on_milvus_makes_episodes_and_keeps_the_budget(stores):
    store, other = stores
    cart = [Label(OBJECT, 'cart', 1), Label(OBJECT, 'box', 2)]
    desk = [Label(OBJECT, 'laptop', 1), Label(OBJECT, 'cup', 1)]
    clips = scene('k-cart', 0, 5, cart, 'a cart with a red crate and two boxes at the dock', 10) \
        + scene('k-desk', 100, 5, desk, 'a laptop and a cup on the desk', 20)
    speech = [MemoryItem(id='k-say', kind='speech', start=105, end=107,
                         text='the meeting moved to room five')]
    sound = [MemoryItem(id='k-ring', kind='sound', start=6, end=7, text='heard a telephone',
                        labels=[Label(SOUND, 'Telephone', 1)])]
    store.insert(clips + speech + sound)
    note = store.remember('the charger is in the second drawer', 108)
    theirs = scene('l-cart', 0, 4, cart, 'a cart with a red crate and two boxes at the dock', 30)
    other.insert(theirs)
    before = store.stats()
    assert before['items'] == 13 and before['compression_ratio'] == 1.0

    store.short_term_window_s = 60.0
    result = Compressor(store).run(now=1000.0)
    assert result['clips_folded'] == 10 and result['episodes_written'] == 2
    assert result['moved_long'] == 2
    after = store.stats()
    assert after == fresh(store)
    assert after['counts'] == {('episode', 'long'): 2, ('note', 'long'): 1,
                               ('sound', 'long'): 1, ('speech', 'long'): 1}
    assert after['compression_ratio'] == pytest.approx(13 / 5)
    assert after['keyframe_bytes'] < before['keyframe_bytes']
    episodes = store.compression_rows(['episode'])
    assert sorted(s for e in episodes for s in e.sources) == sorted(c.id for c in clips)
    for ep in episodes:  # the keyframes an episode names are on disk, and counted
        assert ep.keyframes and all(store.keyframe_size(f) for f in ep.keyframes)
        assert ep.keyframe_bytes == sum(store.keyframe_size(f) for f in ep.keyframes)
    on_disk = sum(p.stat().st_size for p in (store.root / 'keyframes').iterdir())
    assert on_disk == after['keyframe_bytes']  # the clips' other keyframe files went
    top = store.retrieve('where was the cart with the red crate?', top_k=1,
                         robot_ids=['robot_k'])[0]
    assert top.kind == 'episode' and top.start == 0.0 and top.end == 15.0
    assert 'cart' in top.text and top.keyframe_jpeg

    # over the budget: the sound and speech fold into their episodes; the note stays
    store.budget_items = 3
    result = Compressor(store).run(now=1000.0)
    assert result['folded'] == 2
    final = store.stats()
    assert final == fresh(store) and final['items'] == 3
    assert final['counts'] == {('episode', 'long'): 2, ('note', 'long'): 1}
    assert final['compression_ratio'] == pytest.approx(13 / 3)
    assert [i.id for i in store.get([note])] == [note]
    folded = {s for e in store.compression_rows(['episode']) for s in e.sources}
    assert folded >= {'k-say', 'k-ring'} | {c.id for c in clips}
    ring = store.retrieve('did you hear a telephone?', top_k=1, robot_ids=['robot_k'])[0]
    assert ring.kind == 'episode' and ring.start == 0.0
    # the other robot's items, in the same collection, are untouched
    assert other.stats()['counts'] == {('clip', 'short'): 4}
    assert sorted(i.id for i in other.get([c.id for c in theirs])) == sorted(c.id for c in theirs)


def test_an_update_with_a_new_keyframe_removes_the_old_file(stores):
    store, _ = stores
    item = scene('s-kf', 100, 1, [Label(OBJECT, 'cart', 1)], 'a cart', seed=40)[0]
    store.insert([item])
    folder = store.root / 'keyframes'
    first = {p.name for p in folder.iterdir() if p.name.startswith('s-kf-')}
    assert len(first) == 1
    item.keyframe_jpeg, item.text = jpeg(41), 'a cart and a crate'
    store.insert([item])
    second = {p.name for p in folder.iterdir() if p.name.startswith('s-kf-')}
    assert len(second) == 1 and second != first
    got = store.get([item.id])[0]
    assert got.text == 'a cart and a crate' and got.keyframe_jpeg == item.keyframe_jpeg
    assert fresh(store)['keyframe_bytes'] == sum(p.stat().st_size for p in folder.iterdir())


def test_scans_read_past_the_servers_query_window(tmp_path, embedder, milvus_server):
    # one Milvus query returns at most 16384 rows: stats() and compression's reads must see all
    store = MilvusStore(milvus_server.uri, embedder, local_dir=tmp_path / 'big', robot_id='big',
                        collection='query_window_test', timeout_s=30)
    try:
        n = 16384 + 1500
        vectors = np.random.default_rng(0).normal(size=(n, embedder.dim)).astype(np.float32)
        rows = [store._row(MemoryItem(id=f'w-{i}', kind='sound', start=i, end=i + 1,
                                      text='heard a bell', labels=[Label(SOUND, 'Bell', 1)]),
                           vectors[i], [], 0, [f'w-{i}'], 1) for i in range(n)]
        for lo in range(0, n, 4000):
            store._call(store.coll.upsert, rows[lo:lo + 4000])
        assert fresh(store)['items'] == n
        assert len(store.compression_rows(['sound'])) == n
    finally:
        store.coll.drop()
        store.close()
