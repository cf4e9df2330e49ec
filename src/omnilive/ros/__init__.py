"""The ROS 2 side: the nodes (thin adapters over the plain-Python packages), the graph they
form, its supervisor and the client commands (`omnilive run`, `ask`, `memory`)."""
