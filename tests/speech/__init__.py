"""The robot's voice: the speaker queue over the speech synthesizer."""
