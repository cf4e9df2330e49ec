"""The robot's voice: queued sentences spoken in order as paced audio chunks."""
