"""mp3 as audio_common's audio_capture publishes it: lamemp3enc's output, one buffer per
message. Encoded here with FFmpeg's libmp3lame through PyAV from real speech."""
from __future__ import annotations

from pathlib import Path

import numpy as np

LIBRIVOX = Path('/usr/share/pocketsphinx/test/data/librivox')


def librivox(name: str) -> tuple[np.ndarray, str]:
    """(16 kHz float32 speech, its transcript) from Debian's pocketsphinx-testdata."""
    from omnilive.audio.pcm import load_file
    for line in (LIBRIVOX / 'transcription').read_text().splitlines():
        if line.endswith(f'({name})'):
            text = line.split('<s>')[1].split('</s>')[0].strip()
            return load_file(str(LIBRIVOX / f'{name}.wav')), text
    raise KeyError(name)


def encode_mp3(audio: np.ndarray, rate: int = 16000, bitrate: int = 64000) -> list[bytes]:
    """float32 mono -> mp3 frames (bytes each), as lamemp3enc hands them to audio_capture."""
    import av
    codec = av.CodecContext.create('libmp3lame', 'w')
    codec.sample_rate, codec.layout, codec.bit_rate = rate, 'mono', bitrate
    codec.format = 's16p'
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    packets, step = [], 1152
    for i in range(0, len(pcm), step):
        frame = av.AudioFrame.from_ndarray(pcm[None, i:i + step], format='s16p', layout='mono')
        frame.sample_rate = rate
        packets += [bytes(p) for p in codec.encode(frame)]
    packets += [bytes(p) for p in codec.encode(None)]
    return packets
