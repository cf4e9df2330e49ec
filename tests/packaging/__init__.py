"""Packaging: rosdep keys, the colcon install, what `ros2 run` and PATH find."""
