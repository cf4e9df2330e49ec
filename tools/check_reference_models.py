"""Compare the project's converted ONNX models with the reference conversions in ../shared/models.

Not part of the test suite (tests never read ../shared): run by hand after
`omnilive models install`:
    .venv/bin/python tools/check_reference_models.py [SHARED_MODELS_DIR]
"""
import sys
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from omnilive.audio.pcm import load_file
from omnilive.models import registry

SHARED = Path(sys.argv[1] if len(sys.argv) > 1
              else Path(__file__).resolve().parents[2] / 'shared' / 'models')


def run(path, feed_value):
    session = ort.InferenceSession(str(path), providers=['CPUExecutionProvider'])
    outputs = session.run(None, {session.get_inputs()[0].name: feed_value})
    return {o.name: v for o, v in zip(session.get_outputs(), outputs)}


def main() -> int:
    worst = 0.0
    frames = []
    cap = cv2.VideoCapture('/usr/share/doc/opencv-doc/examples/data/vtest.avi')
    for index in (0, 100, 400):
        cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = cap.read()
        frames.append((f'vtest.avi frame {index}', cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)))
    from skimage import data
    frames += [('skimage coffee', data.coffee()), ('skimage astronaut', data.astronaut())]
    for name, rgb in frames:
        x = cv2.resize(rgb, (512, 512)).astype(np.float32)[None]
        ours = run(registry.default_path('object_detector'), x)['tower_0/detections:0']
        ref = run(SHARED / 'centernet.onnx', x)['tower_0/detections:0']
        diff = float(np.abs(ours - ref).max())
        worst = max(worst, diff)
        print(f'centernet  {name:<22} max |ours - reference| = {diff:.3g}  '
              f'(top score {ours[0, 0, 4]:.3f} vs {ref[0, 0, 4]:.3f})')
    sounds = ['/usr/share/sounds/freedesktop/stereo/phone-incoming-call.oga',
              '/usr/share/sounds/freedesktop/stereo/bell.oga',
              '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav']
    for path in sounds:
        pcm = load_file(path)
        ours = run(registry.default_path('sound_events'), pcm)
        ref = run(SHARED / 'yamnet.onnx', pcm)
        ref_scores = next(v for v in ref.values() if v.shape[-1] == 521)
        ref_emb = next(v for v in ref.values() if v.shape[-1] == 1024)
        diff = max(float(np.abs(ours['scores'] - ref_scores).max()),
                   float(np.abs(ours['embeddings'] - ref_emb).max()))
        worst = max(worst, diff)
        print(f'yamnet     {Path(path).name:<22.22} max |ours - reference| = {diff:.3g}  '
              f'({ours["scores"].shape[0]} frames)')
    print(f'worst difference: {worst:.3g}')
    return 0 if worst < 1e-3 else 1


if __name__ == '__main__':
    sys.exit(main())
