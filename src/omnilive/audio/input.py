"""Raw audio messages to what the listener takes: 16 kHz float32 mono with a stream time.

The format (coding, sample format, rate, channels) comes from the parameters until an AudioInfo
says otherwise. Raw PCM ('wave') is decoded here; a compressed stream ('mp3', audio_common's
audio_capture default) goes through FFmpeg, which reads rate and channels from the stream itself.
An AudioInfo whose format cannot be decoded makes the audio after it a counted drop until a
usable one arrives: decoding it anyway would feed noise to the VAD and Whisper."""
from __future__ import annotations

from typing import Optional

import numpy as np

from omnilive.audio import pcm as pcmlib
from omnilive.audio.listener import SampleClock


class AudioInput:
    def __init__(self, default_format: tuple):
        """`default_format`: (sample format, rate, channels[, coding]), perception's audio.*
        parameters; coding 'wave' (raw PCM, the default) or 'mp3'."""
        fmt, rate, channels, *rest = default_format
        coding = pcmlib.coding_of(rest[0] if rest else '')
        pcmlib.check_format(fmt, rate, channels, coding)   # a bad parameter stops the start here
        self.default = (fmt, int(rate), int(channels), coding)
        self.info: Optional[tuple[str, int, int, str]] = None   # from the last usable AudioInfo
        self.unusable: Optional[str] = None   # why audio cannot be decoded now, or None
        self.clock = SampleClock()
        self._stream: Optional[pcmlib.StreamDecoder] = None

    @property
    def format(self) -> tuple[str, int, int]:
        """(sample format, rate, channels) in use."""
        return (self.info or self.default)[:3]

    @property
    def coding(self) -> str:
        """'wave' (raw PCM) or the compressed coding in use ('mp3')."""
        return (self.info or self.default)[3]

    def set_info(self, sample_format: str, rate: int, channels: int,
                 coding_format: str = '') -> bool:
        """Use an AudioInfo's format. True when this changes what is in use (drivers repeat
        AudioInfo often: worth a log line only on a change). AudioFormatError for a format
        that cannot be decoded; audio is then refused until a usable AudioInfo arrives."""
        try:
            coding = pcmlib.coding_of(coding_format)
            info = (sample_format or 'S16LE', int(rate), int(channels), coding)
            pcmlib.check_format(*info)
        except pcmlib.AudioFormatError as err:
            self.unusable = f'AudioInfo says {err}'
            raise
        changed = info != (self.info or self.default) or self.unusable is not None \
            or self.info is None
        if info[3] != self.coding:
            self._stream = None   # a new stream: a fresh decoder
        self.info, self.unusable = info, None
        return changed

    def decode(self, data: bytes, received: float,
               stamp: Optional[float] = None) -> tuple[np.ndarray, float]:
        """(16 kHz float32 mono, stream time of its first sample); AudioFormatError for data
        that does not fit the format in use, or while the format is unusable. A compressed
        chunk may complete no audio yet (an empty array)."""
        if self.unusable:
            raise pcmlib.AudioFormatError(self.unusable)
        if self.coding != 'wave':
            if self._stream is None:
                self._stream = pcmlib.StreamDecoder(self.coding)
            audio = self._stream.decode(data)
            return audio, self.clock.start_of(len(audio), pcmlib.TARGET_RATE, received, stamp)
        fmt, rate, channels = self.format
        audio = pcmlib.decode(data, fmt, channels)
        t = self.clock.start_of(len(audio), rate, received, stamp)
        return pcmlib.resample(audio, rate), t
