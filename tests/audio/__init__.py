"""Speech recognition: Whisper's front end and decoding settings."""
