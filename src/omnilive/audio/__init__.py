"""Hearing, without ROS: microphone PCM in, endpointed utterances, sound events and the
question/note/neither verdict on what was said out."""
