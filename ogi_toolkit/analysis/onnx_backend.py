"""Optional CPU fast path: the transformer exported to ONNX, weights quantised to int8.

Needs ``onnx`` and ``onnxruntime`` (extra ``fast``); not ``optimum``, which pins an older
transformers. Measured on PartiPrompts, 2 cores: ~2x the fp32 throughput, cosine to the fp32
embeddings mean 0.993, worst 0.97 (per-channel int8 weights; per-tensor weights drop the worst
case to 0.89). Only mean-pooled models (e.g. all-MiniLM-L6-v2) are supported.
"""
from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

__all__ = ["OnnxInt8Encoder"]

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _export(st_model, directory: Path) -> Path:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = directory / "model-int8.onnx"
    if target.exists():
        return target
    directory.mkdir(parents=True, exist_ok=True)
    transformer = st_model[0].auto_model.eval().to("cpu")

    class LastHiddenState(torch.nn.Module):  # keyword call: positional order differs across transformers versions
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = st_model.tokenizer(["an example prompt", "another"], padding=True, return_tensors="pt")
    with tempfile.TemporaryDirectory(dir=directory) as tmp, warnings.catch_warnings():
        # The tracer and the quantiser warn about things that do not apply to this graph.
        warnings.simplefilter("ignore")
        fp32 = Path(tmp) / "model.onnx"
        torch.onnx.export(LastHiddenState(transformer), tuple(sample[k] for k in INPUTS), str(fp32),
                          input_names=list(INPUTS), output_names=["last_hidden_state"],
                          dynamic_axes={k: {0: "batch", 1: "tokens"} for k in (*INPUTS, "last_hidden_state")},
                          opset_version=17, dynamo=False)
        quantised = Path(tmp) / "model-int8.onnx"
        root, level = logging.getLogger(), logging.getLogger().level
        root.setLevel(logging.ERROR)  # the quantiser logs a pre-processing hint on the root logger
        try:
            quantize_dynamic(str(fp32), str(quantised), per_channel=True, reduce_range=True, weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        os.replace(quantised, target)
    return target


class OnnxInt8Encoder:
    """Tokenise with the model's own tokenizer, run the int8 graph, mean-pool, normalise (always:
    the analysis assumes unit rows)."""

    def __init__(self, onnx_path: Path, tokenizer, max_length: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.tokenizer, self.max_length = tokenizer, max_length

    @classmethod
    def from_sentence_transformer(cls, st_model, directory: Path) -> "OnnxInt8Encoder":
        pooling = st_model[1] if len(st_model) > 1 else None
        mode = getattr(pooling, "pooling_mode", None) or ("mean" if getattr(pooling, "pooling_mode_mean_tokens", False) else None)
        if mode != "mean":
            raise ValueError("backend 'onnx-int8' supports mean-pooled models only (e.g. all-MiniLM-L6-v2)")
        return cls(_export(st_model, directory), st_model.tokenizer, st_model.max_seq_length)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        order = np.argsort([len(t) for t in texts])  # similar lengths together: little padding
        out = np.zeros((len(texts), 0), np.float32)
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
            enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                 max_length=self.max_length, return_tensors="np")
            hidden = self.session.run(None, {k: enc[k].astype(np.int64) for k in INPUTS})[0]
            mask = enc["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), pooled.shape[1]), np.float32)
            out[idx] = pooled
        return out
