"""Plain helpers shared by the nodes' logic (no rclpy): timing, poses, worker threads, the
/diagnostics schema and the nodes' parameter dataclasses."""
