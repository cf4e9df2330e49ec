"""The memory node over a real graph, on each backend (SQLite + faiss; a real Milvus server):
services work, and every acknowledged insert survives a SIGKILL right after the insert
returned."""
import signal

import pytest
import rclpy
from builtin_interfaces.msg import Time
from rclpy.executors import SingleThreadedExecutor

from omnilive.memory.types import OBJECT, Label, MemoryItem
from omnilive.ros.convert import item_from_msg, item_to_msg
from omnilive_msgs.srv import Forget, Insert, Remember, Retrieve, Stats
from tests.rosutil import call_resending, start_node_process, wait_future

pytestmark = [pytest.mark.ros, pytest.mark.models]


def start_memory(path, log, *backend):
    return start_node_process('memory_node', '-r', '__ns:=/memtest', '-p', f'storage_path:={path}',
                              '-p', 'compress_period_s:=3600.0', *backend, log_path=str(log))


@pytest.fixture(params=['sqlite', 'milvus'])
def backend(request) -> list[str]:
    """The memory node's backend parameters (milvus: a collection of its own on the session's
    server)."""
    if request.param == 'sqlite':
        return []
    server = request.getfixturevalue('milvus_server')
    return ['-p', 'backend:=milvus', '-p', f'milvus_uri:={server.uri}',
            '-p', f'collection:=memtest_{request.node.name.split("[")[0][-20:]}']


def call(node, executor, srv_type, name, request, timeout=60, attempt_s=None, ns='/memtest'):
    """Call a service. With `attempt_s`, resend until answered: after a SIGKILL the dead server
    stays in discovery for a while, so a request can go out before the new server matched."""
    client = node.create_client(srv_type, f'{ns}/{name}')
    assert client.wait_for_service(timeout_sec=timeout), f'{name} not available'
    if attempt_s is None:
        result = wait_future(executor, client.call_async(request), timeout, name)
    else:
        result = call_resending(executor, client, request, timeout, name, attempt_s)
    node.destroy_client(client)
    return result


def test_acknowledged_inserts_survive_sigkill(tmp_path, ros_context, backend):
    node = rclpy.create_node('memtest_client', context=ros_context)
    executor = SingleThreadedExecutor(context=ros_context)
    executor.add_node(node)
    proc = start_memory(tmp_path / 'mem', tmp_path / 'memory1.log', *backend)
    acked = []
    try:
        for batch in range(5):
            items = [MemoryItem(id=f'clip-{batch}-{i}', kind='clip', start=100.0 * batch + i,
                                end=100.0 * batch + i + 3,
                                text=f'{i + 1} people near a {["car", "bus", "truck"][i % 3]}',
                                labels=[Label(OBJECT, 'person', i + 1)]) for i in range(20)]
            res = call(node, executor, Insert, 'memory/insert',
                       Insert.Request(items=[item_to_msg(x) for x in items]), timeout=180)
            assert res.success, res.message
            acked += list(res.ids)
        note = call(node, executor, Remember, 'memory/remember',
                    Remember.Request(text='the keys are in the drawer', stamp=Time(sec=50))).id
        assert note
        acked.append(note)
        proc.send_signal(signal.SIGKILL)  # right after the last acknowledgement
        proc.wait(timeout=30)

        proc = start_memory(tmp_path / 'mem', tmp_path / 'memory2.log', *backend)
        stats = call(node, executor, Stats, 'memory/stats', Stats.Request(), attempt_s=3)
        assert sum(stats.counts) == len(acked) == 101
        res = call(node, executor, Retrieve, 'memory/retrieve',
                   Retrieve.Request(query='where are the keys?', top_k=3))
        assert item_from_msg(res.items[0]).id == note
        res = call(node, executor, Retrieve, 'memory/retrieve',
                   Retrieve.Request(query='people near a bus', top_k=200, since=Time(sec=200),
                                    until=Time(sec=299), kinds=['clip']))
        assert {i.id for i in res.items} == {f'clip-2-{i}' for i in range(20)}
        # typed labels cross the node and the store with their counts
        back = [item_from_msg(m) for m in res.items]
        assert {i.id: i.labels for i in back} == \
            {f'clip-2-{i}': [Label(OBJECT, 'person', i + 1)] for i in range(20)}
        assert res.latency_ms > 0
        removed = call(node, executor, Forget, 'memory/forget',
                       Forget.Request(ids=['clip-0-0', 'clip-0-1'])).removed
        assert removed == 2
        assert sum(call(node, executor, Stats, 'memory/stats', Stats.Request()).counts) == 99
    finally:
        proc.kill()
        proc.wait()
        node.destroy_node()
