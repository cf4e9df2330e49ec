"""Shared test set-up.

ROS graphs in tests stay on this machine (ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST) and on a domain
id of their own per run, so parallel runs and other graphs on the machine do not cross-talk.
"""
import os
import random

os.environ['ROS_AUTOMATIC_DISCOVERY_RANGE'] = 'LOCALHOST'
os.environ.setdefault('ROS_DOMAIN_ID', str(random.SystemRandom().randint(1, 100)))
os.environ.setdefault('HF_HUB_OFFLINE', '1')
# Fast DDS with a shared-memory segment large enough for raw camera frames (see the file)
os.environ.setdefault('FASTDDS_DEFAULT_PROFILES_FILE',
                      os.path.join(os.path.dirname(__file__), '..', 'config', 'fastdds.xml'))
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')

import pytest  # noqa: E402


@pytest.fixture
def ros_context():
    """A fresh rclpy context for one test; nodes created on it are destroyed with it."""
    import rclpy
    ctx = rclpy.context.Context()
    rclpy.init(context=ctx)
    try:
        yield ctx
    finally:
        rclpy.shutdown(context=ctx)
