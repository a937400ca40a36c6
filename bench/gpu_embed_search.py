"""GPU check of the analysis hot paths through OUR code (run by hand on a CUDA machine).

    python bench/gpu_embed_search.py --model DIR --texts plan_texts.txt.gz [--cpu-n 2000]

Uses ``ogi_toolkit.analysis.embed.Embedder`` (device picked automatically: cuda when torch
sees one), ``ogi_toolkit.analysis.knn.nearest_neighbours`` and ``near_duplicates`` on the paper-scale plan's
instructions, against a bare ``SentenceTransformer.encode`` on the same texts and device.
Checks that GPU embeddings agree with CPU ones (cosine) and that the GPU kNN equals a CPU
kNN on a subset. Prints a table and writes JSON next to ``--json``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402


def sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def clock(fn):
    sync()
    t = time.perf_counter()
    out = fn()
    sync()
    return time.perf_counter() - t, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="folder of a sentence-transformers model")
    ap.add_argument("--texts", required=True, help="one text per line (.gz ok)")
    ap.add_argument("--cpu-n", type=int, default=2000)
    ap.add_argument("--json")
    args = ap.parse_args()
    opener = gzip.open if args.texts.endswith(".gz") else open
    with opener(args.texts, "rt", encoding="utf-8") as fh:
        texts = [line.rstrip("\n") for line in fh]
    import pandas as pd
    from sentence_transformers import SentenceTransformer

    from ogi_toolkit.analysis.embed import Embedder, default_device
    from ogi_toolkit.analysis.knn import nearest_neighbours
    from ogi_toolkit.analysis.repetition import near_duplicates

    res: dict = {"n": len(texts), "device": default_device(), "torch": torch.__version__}
    if torch.cuda.is_available():
        res["gpu"] = torch.cuda.get_device_name(0)
    cache = tempfile.mkdtemp()

    # The carried weights may be stored in fp16 (to travel light); users' packaged weights are
    # fp32, so every model here runs in fp32 unless timed in fp16 on purpose.
    bare = SentenceTransformer(args.model, device=res["device"]).float()
    bare.encode(texts[:2048], batch_size=1024)  # warm-up (kernels, allocator)
    res["bare_encode_s"], _ = clock(lambda: bare.encode(texts, batch_size=1024, convert_to_numpy=True, normalize_embeddings=True))

    ours = Embedder(args.model, cache_dir=cache)
    ours.model.float()
    ours.encode(texts[:2048])  # warms up
    cold = Embedder(args.model, cache_dir=tempfile.mkdtemp())  # an empty cache, the model shared
    cold._model = ours.model
    res["ours_encode_cold_s"], X = clock(lambda: cold.encode(texts))
    res["ours_encode_warm_s"], X2 = clock(lambda: cold.encode(texts))
    res["warm_encoded_again"] = cold.n_encoded - len(set(texts))
    res["ratio_ours_vs_bare"] = res["bare_encode_s"] / res["ours_encode_cold_s"]
    res["prompts_per_s_ours"] = len(texts) / res["ours_encode_cold_s"]

    cpu = Embedder(args.model, device="cpu", cache_dir=tempfile.mkdtemp())
    cpu.model.float()
    sub = texts[: args.cpu_n]
    Xc = cpu.encode(sub)
    cos = (X[: args.cpu_n] * Xc).sum(1)
    res["gpu_vs_cpu_cosine_min"], res["gpu_vs_cpu_cosine_mean"] = float(cos.min()), float(cos.mean())

    if torch.cuda.is_available():  # the same encode in fp16, for the record
        half = SentenceTransformer(args.model, device="cuda").half()
        half.encode(texts[:2048], batch_size=1024)
        res["bare_encode_fp16_s"], Xh = clock(lambda: half.encode(texts, batch_size=1024, convert_to_numpy=True, normalize_embeddings=True))
        res["fp16_vs_fp32_cosine_min"] = float((Xh * X).sum(1).min())
    res["knn10_s"], (idx, sims) = clock(lambda: nearest_neighbours(X, 10, cache_dir=None))
    m = 5000
    ref = np.argsort(-(X[:m] @ X.T), axis=1)[:, :10]
    res["knn_top1_agreement_on_5000"] = float((ref[:, 1] == idx[:m, 1]).mean())
    res["knn_top10_set_agreement_on_5000"] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ref, idx[:m])]))
    df = pd.DataFrame({"text": texts})
    res["near_duplicates_s"], nd = clock(lambda: near_duplicates(df, embeddings=X))
    res["near_duplicate_pairs"] = int(len(nd.pairs))
    res["near_duplicate_method"] = nd.method
    width = max(map(len, res))
    for k, v in res.items():
        print(f"{k:<{width}}  {v:.4f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
