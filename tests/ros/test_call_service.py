"""omnilive.ros.node_util.call_service over a real graph. A request can go unanswered (Fast DDS
drops the answer when the server has not yet matched the client's reply reader,
ros2/rmw_fastrtps#390): with `resend_s` it is sent again and the second answer is taken; without,
the call times out."""
import threading

import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from std_srvs.srv import Trigger

from omnilive.ros.node_util import call_service

pytestmark = pytest.mark.ros


class Dropped(Exception):
    """Raised by the server's callback: the request is taken and never answered."""


@pytest.fixture
def graph(ros_context):
    """A Trigger server that leaves its first `drop[0]` requests unanswered, and a client."""
    drop, seen = [1], []

    def serve(request, response):
        seen.append(request)
        if len(seen) <= drop[0]:
            raise Dropped
        response.success, response.message = True, f'answer to request {len(seen)}'
        return response

    server = rclpy.create_node('dropping_server', context=ros_context)
    server.create_service(Trigger, '/calltest/trigger', serve)
    client_node = rclpy.create_node('calltest_client', context=ros_context)
    client = client_node.create_client(Trigger, '/calltest/trigger')
    executor = SingleThreadedExecutor(context=ros_context)
    executor.add_node(server)
    executor.add_node(client_node)
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            try:
                executor.spin_once(timeout_sec=0.05)
            except Dropped:
                pass

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    yield client, drop, seen
    stop.set()
    thread.join(timeout=5)


def test_an_unanswered_request_is_sent_again(graph):
    client, drop, seen = graph
    answer = call_service(client, Trigger.Request(), timeout=30, resend_s=0.5)
    assert answer.success and answer.message == 'answer to request 2' and len(seen) == 2


def test_without_resend_an_unanswered_request_times_out(graph):
    client, drop, seen = graph
    with pytest.raises(TimeoutError, match='did not answer within 2 s'):
        call_service(client, Trigger.Request(), timeout=2)
    assert len(seen) == 1


def test_resending_gives_up_at_the_timeout(graph):
    client, drop, seen = graph
    drop[0] = 100
    with pytest.raises(TimeoutError, match='did not answer within 2 s'):
        call_service(client, Trigger.Request(), timeout=2, resend_s=0.5)
    assert 3 <= len(seen) <= 5
