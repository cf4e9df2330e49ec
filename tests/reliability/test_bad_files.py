"""Bad files: a damaged bag, a damaged or foreign memory database, missing or damaged model
files. Each is a clear error naming the file and what to do (never a bare traceback from a
library, never a silently short replay); a node that cannot start says so in one line.
(tests/memory/test_store.py covers a non-SQLite file and a foreign SQLite database.)"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from omnilive.bags.replay import BagError, Player, read_bag
from omnilive.memory.store import MemoryStoreError, MemoryStore
from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.ros.graph import EXIT_CONFIG
from omnilive.models import registry

BIN = Path(sys.executable).parent


# ---------------------------------------------------------------------------- bags
@pytest.fixture(scope='module')
def bags(tmp_path_factory):
    """The same 2000 messages written as sqlite3 and as mcap rosbag2 directories."""
    from rosbags.rosbag2 import StoragePlugin, Writer
    from rosbags.typesys import Stores, get_typestore
    store = get_typestore(Stores.LATEST)
    string = store.types['std_msgs/msg/String']
    root = tmp_path_factory.mktemp('bags')
    for name, plugin in (('db3', StoragePlugin.SQLITE3), ('mcap', StoragePlugin.MCAP)):
        with Writer(root / name, version=9, storage_plugin=plugin) as writer:
            conn = writer.add_connection('/chatter', string.__msgtype__, typestore=store)
            for i in range(2000):
                writer.write(conn, 1_000_000_000 + i * 10_000_000, store.serialize_cdr(
                    string(data=f'message {i} ' + 'x' * 200), string.__msgtype__))
    return root


def damaged(bags, tmp_path, kind, how):
    bag = tmp_path / f'{kind}-{how}'
    shutil.copytree(bags / kind, bag)
    storage = next(bag.glob(f'*.{kind}'))
    data = bytearray(storage.read_bytes())
    if how == 'truncated':
        storage.write_bytes(data[:len(data) // 2])
    elif how.startswith(('overwritten', 'zeroed')):  # 3000 bytes at a fraction of the file
        at = int(len(data) * float(how.split('@')[1]))
        data[at:at + 3000] = bytes((i * 7) & 255 if how.startswith('over') else 0
                                   for i in range(3000))
        storage.write_bytes(bytes(data))
    elif how == 'no-storage':
        storage.unlink()
    elif how == 'bad-metadata':
        (bag / 'metadata.yaml').write_text('{{{ this is not yaml')
    return bag


@pytest.mark.parametrize('kind,how', [('db3', 'truncated'), ('db3', 'overwritten@0.5'),
                                      ('mcap', 'truncated'), ('db3', 'no-storage'),
                                      ('mcap', 'bad-metadata')])
def test_damaged_bag_is_refused_when_opened(bags, tmp_path, kind, how):
    bag = damaged(bags, tmp_path, kind, how)
    with pytest.raises(BagError) as err:
        read_bag(bag)
    assert str(bag) in str(err.value) and 'rosbag2' in str(err.value)


def test_not_a_bag_and_missing_bag(tmp_path):
    text = tmp_path / 'notes.txt'
    text.write_text('hello')
    for path, words in [(text, 'cannot read bag'), (tmp_path / 'nothing', 'not found')]:
        with pytest.raises(BagError, match=words) as err:
            read_bag(path)
        assert str(path) in str(err.value)


@pytest.mark.ros
@pytest.mark.parametrize('how,says', [('overwritten@0.1', 'reading failed'),  # OverflowError
                                      ('zeroed@0.5', 'could be read')])       # silently short
def test_mcap_damaged_inside_stops_replay_with_an_error(bags, tmp_path, ros_context, how, says):
    """An mcap damaged inside opens fine; reading then fails (OverflowError deep in the
    reader) or just ends early (1068 of 2000 messages, no error). Either way the replay ends
    with a BagError naming the bag, not a traceback and not a silently shorter replay."""
    import rclpy
    bag = damaged(bags, tmp_path, 'mcap', how)
    node = rclpy.create_node('bag_check', context=ros_context)
    try:
        player = Player(node, bag, rate=None, clock=False)
        with pytest.raises(BagError, match=f'is damaged: .*{says}') as err:
            player.play()
        assert str(bag) in str(err.value) and re.search(r'of (its )?2000 messages', str(err.value))
        assert player.published < 2000
        player.close()
        intact = Player(node, bags / 'mcap', rate=None, clock=False)
        intact.play()  # the control: the undamaged bag plays to the end without error
        assert intact.published == 2000
        intact.close()
    finally:
        node.destroy_node()


# ---------------------------------------------------------------------------- memory databases
@pytest.fixture(scope='module')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=1)


def items(n, start=0):
    return [MemoryItem(id=f'clip-{i}', kind='clip', start=float(i), end=i + 3.0,
                       text=f'{i % 5 + 1} people near a car',
                       labels=[Label(OBJECT, 'person', i % 5 + 1), Label(OBJECT, 'car', 1)])
            for i in range(start, start + n)]


@pytest.mark.models
def test_truncated_and_wrong_schema_databases_are_refused(tmp_path, embedder):
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert(items(300))
    store.close()
    db = tmp_path / 'mem' / 'memory.sqlite3'
    truncated = tmp_path / 'truncated'
    shutil.copytree(tmp_path / 'mem', truncated)
    data = (truncated / 'memory.sqlite3').read_bytes()
    (truncated / 'memory.sqlite3').write_bytes(data[:len(data) // 2])
    with pytest.raises(MemoryStoreError, match='move it away') as err:
        MemoryStore(truncated, embedder)
    assert str(truncated / 'memory.sqlite3') in str(err.value)

    older = tmp_path / 'older'
    shutil.copytree(tmp_path / 'mem', older)
    con = sqlite3.connect(older / 'memory.sqlite3')
    con.execute("UPDATE meta SET value='omnilive-memory-0' WHERE key='schema'")
    con.commit()
    con.close()
    with pytest.raises(MemoryStoreError, match="schema 'omnilive-memory-0'"):
        MemoryStore(older, embedder)

    # a foreign database that happens to have a table named meta
    other = tmp_path / 'other'
    other.mkdir()
    con = sqlite3.connect(other / 'memory.sqlite3')
    con.execute('CREATE TABLE meta(name TEXT, created TEXT)')
    con.commit()
    con.close()
    with pytest.raises(MemoryStoreError, match=str(other / 'memory.sqlite3')):
        MemoryStore(other, embedder)
    assert db.exists()  # nothing was touched in the good one
    assert MemoryStore(tmp_path / 'mem', embedder).count() == 300


@pytest.mark.models
def test_storage_path_that_is_a_file_is_a_clear_error(tmp_path, embedder):
    path = tmp_path / 'memory'
    path.write_text('a file, not a directory')
    with pytest.raises(MemoryStoreError, match='Point storage_path at a writable directory'):
        MemoryStore(path, embedder)


@pytest.mark.models
def test_damaged_vector_index_is_rebuilt_from_the_database(tmp_path, embedder):
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert(items(50))
    store.close()
    (tmp_path / 'mem' / 'index.faiss').write_bytes(b'\x00garbage' * 100)
    store = MemoryStore(tmp_path / 'mem', embedder)
    assert len(store.index) == 50 and store.retrieve('people near a car', top_k=3)
    store.close()


@pytest.mark.models
def test_torn_write_ahead_log_keeps_every_whole_transaction(tmp_path, embedder):
    """Power lost during a write: the last WAL frame is torn. SQLite ignores the torn frame
    (checksums), so each insert() is either all there or not there at all."""
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert(items(40))
    store.insert(items(40, start=40))
    wal = tmp_path / 'mem' / 'memory.sqlite3-wal'
    assert wal.stat().st_size > 0
    copy = tmp_path / 'copy'
    shutil.copytree(tmp_path / 'mem', copy)  # the files as a crash would leave them
    store.db.close()
    data = (copy / 'memory.sqlite3-wal').read_bytes()
    (copy / 'memory.sqlite3-wal').write_bytes(data[:len(data) - 1000])
    reopened = MemoryStore(copy, embedder)
    assert reopened.db.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
    assert reopened.count() in (40, 80)  # whole inserts only
    assert {i.id for i in reopened.get([f'clip-{i}' for i in range(40)])} == \
        {f'clip-{i}' for i in range(40)}
    reopened.close()


@pytest.mark.models
def test_bad_items_are_refused_not_stored(tmp_path, embedder):
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert(items(3))
    for bad, words in [
            (MemoryItem(id='', kind='clip', start=1, end=2, text='no id'), 'needs an id'),
            (MemoryItem(id='nan', kind='clip', start=float('nan'), end=2), 'finite'),
            (MemoryItem(id='inf', kind='clip', start=0, end=float('inf')), 'finite'),
            (MemoryItem(id='ep', kind='episode', start=0, end=1), 'compression')]:
        with pytest.raises(ValueError, match=words):
            store.insert(items(2, start=100) + [bad])  # the whole batch is refused
    assert store.count() == 3
    with pytest.raises(ValueError):
        MemoryItem(id='x', kind='video', start=0, end=1)
    with pytest.raises(ValueError):
        MemoryItem(id='x', kind='clip', start=5, end=1)
    store.close()


# ---------------------------------------------------------------------------- model files
@pytest.fixture
def model_cache(tmp_path, monkeypatch):
    """A model cache holding links to the real files, to damage without touching the real one."""
    real = registry.cache_dir()
    cache = tmp_path / 'models'
    for role in ('asr', 'llm', 'text_embedding'):
        for path in (real / role).rglob('*'):
            if path.is_file():
                link = cache / role / path.relative_to(real / role)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(path)
    monkeypatch.setenv('OMNILIVE_MODELS_DIR', str(cache))
    return cache


def test_missing_or_truncated_model_files_name_the_file(model_cache):
    assert registry.default_path('asr')  # the linked cache is complete
    (model_cache / 'asr' / 'whisper-base' / 'model.bin').unlink()
    with pytest.raises(registry.ModelNotProvisioned) as err:
        registry.default_path('asr')
    assert 'whisper-base/model.bin is missing' in str(err.value)
    assert 'omnilive models install asr' in str(err.value)

    gguf = model_cache / 'llm' / 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf'
    head = gguf.resolve().open('rb').read(1_000_000)
    gguf.unlink()
    gguf.write_bytes(head)  # an interrupted copy
    with pytest.raises(registry.ModelNotProvisioned, match='has 1000000 bytes, expected'):
        registry.default_path('llm')

    shutil.rmtree(model_cache / 'text_embedding')
    with pytest.raises(registry.ModelNotProvisioned, match='not provisioned at .*omnilive '
                                                           'models install'):
        registry.default_path('text_embedding')


def test_unloadable_configured_model_names_the_file(tmp_path):
    from omnilive.models.llm import LlamaCppGenerator
    bad = tmp_path / 'model.gguf'
    bad.write_bytes(b'GGUF' + bytes(4096))
    with pytest.raises(registry.ModelNotProvisioned, match='cannot load the llm model') as err:
        LlamaCppGenerator(str(bad))
    assert str(bad) in str(err.value)
    with pytest.raises(registry.ModelNotProvisioned, match='not found'):
        LlamaCppGenerator(str(tmp_path / 'missing.gguf'))


def run_node(executable, *ros_args, env=None, timeout=180):
    return subprocess.run([str(BIN / executable), '--ros-args', *ros_args],
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.ros
def test_reasoning_node_with_a_missing_model_says_so_in_one_line(tmp_path):
    run = run_node('reasoning_node', '-r', '__ns:=/badfiles', '-p',
                   f'llm.model:={tmp_path / "missing.gguf"}')
    assert run.returncode == EXIT_CONFIG  # not restarted: a restart cannot help
    assert '[reasoning] cannot start: model file for role \'llm\' not found' in run.stderr
    assert str(tmp_path / 'missing.gguf') in run.stderr and 'Traceback' not in run.stderr


@pytest.mark.ros
@pytest.mark.models
def test_memory_node_on_a_corrupt_database_says_so_in_one_line(tmp_path):
    (tmp_path / 'mem').mkdir()
    (tmp_path / 'mem' / 'memory.sqlite3').write_bytes(b'SQLite format 3\x00' + bytes(5000))
    run = run_node('memory_node', '-r', '__ns:=/badfiles', '-p',
                   f'storage_path:={tmp_path / "mem"}')
    assert run.returncode == EXIT_CONFIG, run.stderr[-2000:]
    assert '[memory] cannot start: cannot open memory database' in run.stderr
    assert str(tmp_path / 'mem' / 'memory.sqlite3') in run.stderr
    assert 'Traceback' not in run.stderr
