"""omnilive: long-term audio-visual memory and spoken question answering for ROS 2 robots."""

__version__ = '0.1.0'
