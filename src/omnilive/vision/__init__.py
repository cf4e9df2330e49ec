"""Seeing, without ROS: image conversion, frame sampling and scene changes, the clip being
tracked and what it showed (objects, colours, categories)."""
