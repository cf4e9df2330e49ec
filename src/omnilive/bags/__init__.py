"""Rosbag2 input and output: bags made from real media and a timed script, the player, live
recording."""
