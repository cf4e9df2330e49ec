"""Convert a TensorFlow.js graph model (model.json + weight shards) to ONNX.

    python tfjs_to_onnx.py MODEL.json OUT.onnx INPUT_NAME OUTPUT_NAME[,OUTPUT_NAME...]
    python tfjs_to_onnx.py --run MODEL.json IN.npy OUT.npy INPUT_NAME OUTPUT_NAME

The second form runs the original graph with TensorFlow on one input (tools/
check_pose_conversion.py compares that with the ONNX model's output).

Used for the MobileNetV3-CenterNet COCO detector of npm @vladmandic/human 3.3.6. The JSON topology
is a GraphDef in protobuf-JSON form; weights are filled in from the shards (fp16-quantised weights
are dequantised to float32). TFJS-only fused ops (FusedDepthwiseConv2dNative, and _FusedConv2D
which tf2onnx cannot read) are split back into convolution + BiasAdd + activation before the
export.
"""
import base64
import json
import os
import sys

import numpy as np
import tensorflow as tf
import tf2onnx
from google.protobuf import json_format

NP_DTYPES = {'float32': np.float32, 'int32': np.int32, 'float16': np.float16, 'uint8': np.uint8,
             'bool': np.bool_}


def read_weights(model_dir: str, manifest: list) -> dict:
    weights = {}
    for group in manifest:
        blob = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        offset = 0
        for spec in group['weights']:
            quant = spec.get('quantization')
            stored = np.dtype(NP_DTYPES[quant['dtype'] if quant else spec['dtype']])
            count = int(np.prod(spec['shape'])) if spec['shape'] else 1
            raw = np.frombuffer(blob, stored, count, offset)
            offset += count * stored.itemsize
            if quant and quant['dtype'] != 'float16':
                raw = raw * quant['scale'] + quant['min']  # affine uint8/uint16 quantisation
            weights[spec['name']] = raw.astype(NP_DTYPES[spec['dtype']]).reshape(spec['shape'])
        if offset != len(blob):
            raise ValueError(f'weights manifest covers {offset} of {len(blob)} bytes')
    return weights


def _names(attr_list) -> list[str]:
    return [base64.b64decode(s).decode() for s in attr_list.get('list', {}).get('s', [])]


def split_fused(node: dict) -> list[dict]:
    """_FusedConv2D / FusedDepthwiseConv2dNative -> conv, BiasAdd, activation (same output
    name)."""
    ops = _names(node['attr'].get('fused_ops', {}))
    inputs = node['input']
    x, w, args = inputs[0], inputs[1], inputs[2:]
    conv_op = 'Conv2D' if node['op'] == '_FusedConv2D' else 'DepthwiseConv2dNative'
    keep = ['T', 'strides', 'padding', 'data_format', 'dilations']
    if conv_op == 'Conv2D':
        keep += ['explicit_paddings', 'use_cudnn_on_gpu']
    name = node['name']
    out = [{'name': f'{name}/conv', 'op': conv_op, 'input': [x, w],
            'attr': {k: v for k, v in node['attr'].items() if k in keep}}]
    t_attr = {'T': node['attr']['T']}
    for i, op in enumerate(ops):
        prev = out[-1]['name']
        if op == 'BiasAdd':
            out.append({'name': f'{name}/bias', 'op': 'BiasAdd', 'input': [prev, args[0]],
                        'attr': {**t_attr, 'data_format': node['attr'].get(
                            'data_format', {'s': base64.b64encode(b'NHWC').decode()})}})
        elif op in ('Relu', 'Relu6', 'Elu', 'Sigmoid', 'Tanh'):
            out.append({'name': f'{name}/{op.lower()}', 'op': op, 'input': [prev], 'attr': t_attr})
        elif op == 'LeakyRelu':
            out.append({'name': f'{name}/leakyrelu', 'op': 'LeakyRelu', 'input': [prev],
                        'attr': {**t_attr, 'alpha': node['attr'].get('leakyrelu_alpha',
                                                                     {'f': 0.2})}})
        else:
            raise NotImplementedError(f'fused op {op!r} in {name}')
    out[-1]['name'] = name  # consumers keep reading the original node name
    return out


def graph_def(model_json: str):
    """The TFJS model as a TensorFlow GraphDef with its weights filled in."""
    model = json.load(open(model_json))
    topology = model['modelTopology']
    weights = read_weights(os.path.dirname(os.path.abspath(model_json)), model['weightsManifest'])
    nodes = []
    for node in topology['node']:
        if node['op'] in ('_FusedConv2D', 'FusedDepthwiseConv2dNative',
                          '_FusedDepthwiseConv2dNative'):
            nodes.extend(split_fused(node))
        else:
            nodes.append(node)
    graph_def = json_format.ParseDict(
        {'node': nodes, 'versions': topology.get('versions', {})}, tf.compat.v1.GraphDef(),
        ignore_unknown_fields=True)
    for node in graph_def.node:
        if node.op == 'Const' and node.name in weights:
            value = weights[node.name]
            node.attr['value'].tensor.CopyFrom(tf.make_tensor_proto(value))
            node.attr['dtype'].type = tf.dtypes.as_dtype(value.dtype).as_datatype_enum
    return graph_def


def run_original(model_json: str, x: np.ndarray, input_name: str, output_name: str):
    """The original graph's output on `x` (TensorFlow)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.graph_util.import_graph_def(graph_def(model_json), name='')
    with tf.compat.v1.Session(graph=graph) as session:
        return session.run(f'{output_name}:0', {f'{input_name}:0': x})


def convert(model_json: str, out_path: str, inputs: list[str], outputs: list[str]) -> None:
    tf2onnx.convert.from_graph_def(graph_def(model_json), input_names=[f'{n}:0' for n in inputs],
                                   output_names=[f'{n}:0' for n in outputs], opset=13,
                                   output_path=out_path)


if __name__ == '__main__' and sys.argv[1] == '--run':
    np.save(sys.argv[4], run_original(sys.argv[2], np.load(sys.argv[3]), sys.argv[5],
                                      sys.argv[6]))
elif __name__ == '__main__':
    convert(sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(','))
