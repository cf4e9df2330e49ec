"""Check the converted pose model against the original TFJS graph on one real photo.

Runs the original MoveNet MultiPose graph with TensorFlow (in the conversion venv that
`omnilive models install` keeps in the model cache) and the provisioned ONNX model with
onnxruntime, on scikit-image's astronaut photo scaled to 256x256, and prints the largest
difference of their outputs. Not part of the test suite (it needs TensorFlow):
    .venv/bin/python tools/check_pose_conversion.py
Measured 2026-11-29: max |onnx - tensorflow| = 1.5e-06 (person score 0.502 in both).
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
from skimage import data

from omnilive.models import provision, registry
from omnilive.models.pose import PoseEstimator


def main() -> int:
    entry = registry.manifest()['pose']
    recipe = entry['produce']
    model_json = provision.fetch_source(entry['sources'][0]) / recipe['input']
    image = cv2.resize(data.astronaut(), (256, 256), interpolation=cv2.INTER_AREA)
    ours = PoseEstimator().run(image)
    with tempfile.TemporaryDirectory() as tmp:
        x, y = Path(tmp) / 'x.npy', Path(tmp) / 'y.npy'
        np.save(x, image.astype(np.int32)[None])
        converter = str(provision.CONVERTERS / recipe['converter'])
        subprocess.run([provision.convert_python(), converter,
                        '--run', str(model_json), str(x), str(y), *recipe['args']],
                       check=True, capture_output=True)
        original = np.load(y)[0]
    diff = float(np.abs(ours - original).max())
    print(f'pose: max |onnx - tensorflow| = {diff:.3g} on astronaut 256x256 '
          f'(best person score {ours[:, 55].max():.3f} vs {original[:, 55].max():.3f})')
    return 0 if diff < 1e-3 else 1


if __name__ == '__main__':
    sys.exit(main())
