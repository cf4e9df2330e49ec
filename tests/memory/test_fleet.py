"""Fleet memory on a real Milvus server (tests/memory/conftest.py: embedded Milvus 2.3.5, its own
process and data directory): two robots' memory nodes write to one collection and one answers a
fleet-scope question with what the other saw; the outbox loses nothing while the server is
stopped and restarted mid-stream; a server that never answers is a clear error naming it."""
import subprocess
import time

import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor

from omnilive.memory.milvus import MilvusStore, keywords
from omnilive.memory.milvus_server import free_port
from omnilive.memory.store import MemoryStoreError
from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.ros.client import wait_until
from omnilive.ros.convert import item_from_msg, item_to_msg
from omnilive_msgs.srv import Insert, Retrieve
from tests.memory.test_memory_node import call
from tests.rosutil import start_node_process

pytestmark = [pytest.mark.models]

CART = 'a warehouse cart carrying a red crate next to the loading dock'
DOOR = 'two people talking next to an open door'


def test_keywords_are_normalised_content_words():
    assert keywords('Did any robot see the Crates?') == ['robot', 'crates', 'crate']


@pytest.mark.ros
def test_two_robots_share_one_milvus(tmp_path, ros_context, milvus_server):
    procs = [start_node_process(
        'memory_node', '-r', f'__ns:=/{robot}', '-p', f'storage_path:={tmp_path / robot}',
        '-p', 'backend:=milvus', '-p', f'milvus_uri:={milvus_server.uri}',
        '-p', 'collection:=fleet_test', '-p', 'compress_period_s:=3600.0',
        log_path=str(tmp_path / f'{robot}.log')) for robot in ('robot_a', 'robot_b')]
    node = rclpy.create_node('fleet_client', context=ros_context)
    executor = SingleThreadedExecutor(context=ros_context)
    executor.add_node(node)
    try:
        cart = MemoryItem(id='a-cart', kind='clip', start=100, end=104, text=CART,
                          labels=[Label(OBJECT, 'cart', 1)], pose=(4.0, 2.0, 0, 0, 0, 0, 1),
                          frame_id='map')
        door = MemoryItem(id='b-door', kind='clip', start=101, end=105, text=DOOR,
                          labels=[Label(OBJECT, 'person', 2)])
        for robot, item in (('robot_a', cart), ('robot_b', door)):
            res = call(node, executor, Insert, 'memory/insert',
                       Insert.Request(items=[item_to_msg(item)]), ns=f'/{robot}', timeout=180)
            assert res.success, res.message

        def ask(scope):
            res = call(node, executor, Retrieve, 'memory/retrieve', Retrieve.Request(
                query='did any robot see the cart with the red crate?', top_k=2, scope=scope),
                ns='/robot_b')
            return [item_from_msg(m) for m in res.items]

        fleet = []

        def both_seen():  # robot_a's write reaches robot_b's session within Milvus' bound
            fleet[:] = ask('fleet')
            return len(fleet) == 2

        wait_until(both_seen, 30, "both robots' items in a fleet answer", step=0.5)
        top = fleet[0]
        assert (top.id, top.robot_id, top.frame_id) == ('a-cart', 'robot_a', 'map')
        assert top.pose[:2] == (4.0, 2.0)
        assert {i.robot_id for i in fleet} == {'robot_a', 'robot_b'}
        # this robot's scope: only what robot_b saw
        assert [(i.id, i.robot_id) for i in ask('robot')] == [('b-door', 'robot_b')]
        res = call(node, executor, Retrieve, 'memory/retrieve', Retrieve.Request(
            query='cart', top_k=5, scope='fleet', robot_ids=['robot_b']), ns='/robot_a')
        assert [item_from_msg(m).id for m in res.items] == ['b-door']
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        node.destroy_node()


def test_nothing_is_lost_while_the_server_is_stopped_and_restarted(tmp_path, embedder,
                                                                   milvus_server):
    store = MilvusStore(milvus_server.uri, embedder, local_dir=tmp_path / 'robot',
                        robot_id='robot_c', collection='outage_test', timeout_s=2, retry_s=1)
    sent = []
    try:
        for batch in range(9):
            if batch == 3:
                milvus_server.stop()
            if batch == 6:
                assert store.health()['server'] == 'away'
                assert store.health()['outbox.pending_batches'] == 3
                milvus_server.start()
            items = [MemoryItem(id=f'c-{batch}-{i}', kind='speech', start=10.0 * batch + i,
                                end=10.0 * batch + i + 1, text=f'utterance {i} of batch {batch}')
                     for i in range(5)]
            sent += store.insert(items)  # acknowledged: on the server or in the outbox
        wait_until(lambda: store.health()['outbox.pending_batches'] == 0, 60,
                   'the outbox sent after the restart', step=0.5,
                   detail=lambda: str(store.health()))
        health = store.health()
        assert health['server'] == 'ok' and health['outbox.rejected_batches'] == 0
        assert health['outbox.buffered'] >= 15 and health['outbox.replayed'] >= 15
        assert sorted(i.id for i in store.get(sent)) == sorted(sent)  # nothing lost
        # in order: the last write of an id wins, also for ids written while the server was away
        store.insert([MemoryItem(id='c-4-0', kind='speech', start=40, end=41, text='rewritten')])
        assert store.get(['c-4-0'])[0].text == 'rewritten'
    finally:
        store.close()


def test_a_server_that_never_answers_is_a_clear_error(tmp_path, embedder):
    uri = f'http://127.0.0.1:{free_port()}'
    t0 = time.monotonic()
    with pytest.raises(MemoryStoreError, match=f'Milvus at {uri} did not answer'):
        MilvusStore(uri, embedder, local_dir=tmp_path, robot_id='r', connect_timeout_s=2)
    assert time.monotonic() - t0 < 30


def test_the_default_store_keeps_robots_apart(tmp_path, embedder):
    from omnilive.memory.store import MemoryStore
    store = MemoryStore(tmp_path / 'mem', embedder, robot_id='home')
    try:
        store.insert([MemoryItem(id='own', kind='clip', start=1, end=2, text=CART),
                      MemoryItem(id='other', kind='clip', start=1, end=2, text=CART,
                                 robot_id='visitor', pose=(1, 2, 0, 0, 0, 0, 1),
                                 frame_id='map')])
        mine = store.retrieve('red crate', top_k=5, robot_ids=['home'])
        assert [(i.id, i.robot_id) for i in mine] == [('own', 'home')]
        every = {i.id: (i.robot_id, i.frame_id) for i in store.retrieve('red crate', top_k=5)}
        assert every == {'own': ('home', ''), 'other': ('visitor', 'map')}
        assert [i.id for i in store.retrieve('', top_k=5, robot_ids=['visitor'])] == ['other']
    finally:
        store.close()
