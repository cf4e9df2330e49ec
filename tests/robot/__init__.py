"""On a robot as it ships: audio_capture's mp3 and QoS, what RViz and Foxglove show."""
