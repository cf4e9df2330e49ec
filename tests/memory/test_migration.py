"""A memory directory written before labels were typed (tests/data/memory_v1, schema
omnilive-memory-1, made by the code of its README) opens with today's code, migrated in place:
every item with its labels as typed values, keyword and semantic retrieval, keyframes and the
saved vector index kept; it opens again at the new schema. A label the migration cannot read
stops it with a clear error and nothing changed."""
import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from omnilive.memory.store import SCHEMA, SCHEMA_V1, MemoryStoreError, MemoryStore
from omnilive.memory.types import OBJECT, SOUND, SPEECH, TEXT, Label

DATA = Path(__file__).resolve().parents[1] / 'data' / 'memory_v1'
POSE = (1.5, -2.0, 0.0, 0.0, 0.0, 0.7071, 0.7071)
# id (episodes and notes by kind: their ids were generated) -> (kind, level, labels)
EXPECTED = {
    'episode': ('episode', 'long', [Label(OBJECT, 'cup', 2), Label(OBJECT, 'person', 1),
                                    Label(TEXT, 'STOP'), Label(SOUND, 'Siren', 1)]),
    'sound-siren': ('sound', 'long', [Label(SOUND, 'Siren', 1)]),
    'clip-street': ('clip', 'short', [Label(OBJECT, 'person', 3), Label(OBJECT, 'car', 1),
                                      Label(TEXT, 'EXIT'), Label(TEXT, 'GATE: 17')]),
    'clip-office': ('clip', 'short', [Label(OBJECT, 'laptop', 1), Label(SOUND, 'Telephone', 2),
                                      Label(SPEECH, 'call me: at noon')]),
    'sound-phone': ('sound', 'short', [Label(SOUND, 'Telephone', 1), Label(SOUND, 'Ringtone', 1),
                                       Label(SOUND, 'Baby cry, infant cry', 1)]),
    'speech-meeting': ('speech', 'short', []),
    'note': ('note', 'long', []),
}


def raw(path: Path, sql: str, args=()):
    db = sqlite3.connect(path / 'memory.sqlite3')
    try:
        with db:
            return db.execute(sql, args).fetchall()
    finally:
        db.close()


@pytest.fixture
def v1(tmp_path) -> Path:
    path = tmp_path / 'memory'
    shutil.copytree(DATA, path, ignore=shutil.ignore_patterns('README.md'))
    assert raw(path, "SELECT value FROM meta WHERE key='schema'") == [(SCHEMA_V1,)]
    return path


def key(item) -> str:
    return item.kind if item.kind in ('episode', 'note') else item.id


def check_items(store: MemoryStore) -> None:
    items = store.retrieve('', top_k=100)
    assert sorted(key(i) for i in items) == sorted(EXPECTED)
    for item in items:
        kind, level, labels = EXPECTED[key(item)]
        assert (item.kind, item.level, item.labels) == (kind, level, labels), item.id
    by = {key(i): i for i in items}
    assert by['clip-street'].pose == pytest.approx(POSE)
    assert by['clip-street'].image_embedding == [0.25, -0.5, 1.0]
    assert by['clip-street'].counts(OBJECT) == {'person': 3, 'car': 1}
    assert by['episode'].counts(SOUND) == {'Siren': 1}
    assert (by['episode'].start, by['episode'].end) == (10, 19)
    assert by['note'].text == 'my keys are in the top drawer'
    assert by['speech-meeting'].text == 'the meeting is at noon'
    for clip in ('clip-street', 'clip-office', 'episode'):  # keyframe files kept
        assert by[clip].keyframe_jpeg[:2] == b'\xff\xd8', clip
    # keyword search finds label names (FTS rewritten from the typed labels)
    assert store.retrieve('GATE 17', top_k=1)[0].id == 'clip-street'
    assert store.retrieve('Ringtone', top_k=1)[0].id == 'sound-phone'
    assert store.db.execute("SELECT rowid FROM fts WHERE fts MATCH 'laptop'").fetchall()
    # semantic search through the vector index the directory came with
    assert store.retrieve('did a phone ring?', top_k=1, kinds=['sound'])[0].id == 'sound-phone'
    assert store.retrieve('where did I put my keys?', top_k=1)[0].kind == 'note'
    assert store.retrieve('what did someone say about the meeting?', top_k=1)[0].id == \
        'speech-meeting'


def test_a_v1_memory_opens_migrated_in_place(v1, embedder, caplog):
    rows_before = raw(v1, 'SELECT rowid, id, embedding FROM items ORDER BY rowid')
    frames_before = sorted(p.name for p in (v1 / 'keyframes').iterdir())
    index_before = (v1 / 'index.faiss').read_bytes()
    assert len(rows_before) == len(EXPECTED)

    with caplog.at_level(logging.INFO, logger='omnilive.memory.store'):
        store = MemoryStore(v1, embedder, short_term_window_s=300)
    assert any('migrated from omnilive-memory-1' in r.message for r in caplog.records)
    assert not any('index rebuilt' in r.message for r in caplog.records)  # the saved one loads
    assert len(store.index) == len(EXPECTED)
    assert (v1 / 'index.faiss').read_bytes() == index_before
    try:
        assert raw(v1, "SELECT value FROM meta WHERE key='schema'") == [(SCHEMA,)]
        columns = [r[1] for r in raw(v1, 'PRAGMA table_info(items)')]
        assert 'label_counts' not in columns
        stored = raw(v1, "SELECT labels FROM items WHERE id='clip-street'")[0][0]
        assert json.loads(stored)[0] == {'kind': 'object', 'name': 'person', 'count': 3}
        # same rows, same embeddings (the vector index is keyed by rowid)
        assert raw(v1, 'SELECT rowid, id, embedding FROM items ORDER BY rowid') == rows_before
        check_items(store)
        store.insert(store.get(['speech-meeting']))  # an upsert at the new schema
    finally:
        store.close()
    assert sorted(p.name for p in (v1 / 'keyframes').iterdir()) == frames_before

    caplog.clear()
    with caplog.at_level(logging.INFO, logger='omnilive.memory.store'):
        again = MemoryStore(v1, embedder, short_term_window_s=300)
    try:
        assert not any('migrated' in r.message for r in caplog.records)
        check_items(again)
    finally:
        again.close()


def test_a_label_that_cannot_be_migrated_changes_nothing(v1, embedder):
    raw(v1, "UPDATE items SET labels=? WHERE id='sound-phone'", (json.dumps(['sound:']),))
    raw(v1, "UPDATE items SET label_counts='[1, 2]' WHERE id='clip-office'")  # 3 labels
    before = raw(v1, 'SELECT * FROM items ORDER BY rowid')
    with pytest.raises(MemoryStoreError, match="cannot migrate .* item '(sound-phone|clip-office)'"
                                           '.*Nothing was changed'):
        MemoryStore(v1, embedder)
    assert raw(v1, "SELECT value FROM meta WHERE key='schema'") == [(SCHEMA_V1,)]
    assert raw(v1, 'SELECT * FROM items ORDER BY rowid') == before  # no item dropped or changed

    raw(v1, "UPDATE items SET labels=? WHERE id='sound-phone'",
        (json.dumps(['sound:Telephone', 'sound:Ringtone', 'sound:Baby cry, infant cry']),))
    raw(v1, "UPDATE items SET label_counts='[1, 2, 0]' WHERE id='clip-office'")
    store = MemoryStore(v1, embedder, short_term_window_s=300)  # repaired: migrates
    try:
        check_items(store)
    finally:
        store.close()


def test_a_memory_from_a_newer_version_is_refused(v1, embedder):
    raw(v1, "UPDATE meta SET value='omnilive-memory-99' WHERE key='schema'")
    with pytest.raises(MemoryStoreError, match="schema 'omnilive-memory-99'.*another omnilive"):
        MemoryStore(v1, embedder)
