"""Raw audio messages to what the listener takes: 16 kHz float32 mono with a stream time.

The PCM format comes from the parameters until an AudioInfo says otherwise. An AudioInfo whose
format cannot be decoded makes the audio after it a counted drop until a usable one arrives:
decoding it anyway would feed noise to the VAD and Whisper."""
from __future__ import annotations

from typing import Optional

import numpy as np

from omnilive.audio import pcm as pcmlib
from omnilive.audio.listener import SampleClock


class AudioInput:
    def __init__(self, default_format: tuple[str, int, int]):
        pcmlib.check_format(*default_format)   # a bad parameter stops the start here
        self.default = tuple(default_format)
        self.info: Optional[tuple[str, int, int]] = None   # from the last usable AudioInfo
        self.unusable: Optional[str] = None   # why audio cannot be decoded now, or None
        self.clock = SampleClock()

    @property
    def format(self) -> tuple[str, int, int]:
        """(sample format, rate, channels) in use."""
        return self.info or self.default

    def set_info(self, sample_format: str, rate: int, channels: int,
                 coding_format: str = '') -> bool:
        """Use an AudioInfo's format. True when this changes what is in use (drivers repeat
        AudioInfo often: worth a log line only on a change). AudioFormatError for a format
        that cannot be decoded; audio is then refused until a usable AudioInfo arrives."""
        info = (sample_format or 'S16LE', int(rate), int(channels))
        try:
            pcmlib.check_format(*info, coding_format)
        except pcmlib.AudioFormatError as err:
            self.unusable = f'AudioInfo says {err}'
            raise
        changed = info != self.format or self.unusable is not None or self.info is None
        self.info, self.unusable = info, None
        return changed

    def decode(self, data: bytes, received: float,
               stamp: Optional[float] = None) -> tuple[np.ndarray, float]:
        """(16 kHz float32 mono, stream time of its first sample); AudioFormatError for data
        that does not fit the format in use, or while the format is unusable."""
        if self.unusable:
            raise pcmlib.AudioFormatError(self.unusable)
        fmt, rate, channels = self.format
        audio = pcmlib.decode(data, fmt, channels)
        t = self.clock.start_of(len(audio), rate, received, stamp)
        return pcmlib.resample(audio, rate), t
