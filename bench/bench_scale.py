"""Cost of every analysis stage at 10k, 80k, 320k and 1M prompts: time and peak memory, one
process; and the per-item stages on Ray with two local workers (run by hand; writes JSON).

    ogi plan --seed 0 --out /tmp/plan80k.jsonl                       # the planner's 80,700 texts
    python bench/bench_scale.py embed --plan /tmp/plan80k.jsonl --n 10000 --out /tmp/base10k.npy
    python bench/bench_scale.py stages --plan /tmp/plan80k.jsonl --base /tmp/base10k.npy \
        --sizes 10000,80000,320000,1000000 --json /tmp/scale.json
    python bench/bench_scale.py ray --plan /tmp/plan80k.jsonl --n 300 --json /tmp/ray.json

``embed`` measures the embedding stage for real (planner texts, cold cache). ``stages`` runs one
fresh process per size: the planner texts grown to the size by light perturbations
(``bench_scale_data``), written as a plan file and read back by ``load_plan`` (the streaming
read), embeddings of the right shape built from the real ones plus noise (they cannot all be
embedded on two cores), then each stage on them. Exact kNN is measured up to ``--exact-max``
rows and extrapolated beyond (n^2). UMAP.transform is measured on up to ``--transform-max``
rows and extrapolated linearly to the rest (it places each row independently). Peak memory is
the process's maximum resident set so far (ru_maxrss), read after each stage.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import orjson  # noqa: E402

from bench_scale_data import read_plan_texts, scaled_embeddings, scaled_texts  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stages(dict):
    def run(self, name, fn, *args, **kw):
        # CPU seconds beside wall seconds: on a shared machine the wall time follows the others' load.
        t, cpu = time.perf_counter(), time.process_time()
        result = fn(*args, **kw)
        self[name] = {"s": round(time.perf_counter() - t, 2), "cpu_s": round(time.process_time() - cpu, 2),
                      "peak_mib": round(peak_mib())}
        print(f"  {name:28s} {self[name]['s']:9.2f} s  {self[name]['cpu_s']:9.2f} CPU s  "
              f"peak {self[name]['peak_mib']:7.0f} MiB", flush=True)
        return result


def write_scaled_plan(plan: str, n: int, path: Path, seed: int = 0) -> None:
    """A plan file of ``n`` lines: the plan's specs, then copies whose instruction is perturbed."""
    lines = Path(plan).read_bytes().splitlines()
    texts, labels = read_plan_texts(plan)
    scaled, _, source = scaled_texts(texts, labels, n, seed)
    with path.open("wb") as fh:
        for i, (text, s) in enumerate(zip(scaled, source)):
            if i < len(lines):
                fh.write(lines[s] + b"\n")
            else:
                spec = orjson.loads(lines[s])
                spec["id"], spec["instruction"] = f"{spec['id']}-p{i}", text
                fh.write(orjson.dumps(spec) + b"\n")


def one_size(args) -> dict:
    from ogi_toolkit.analysis import repetition
    from ogi_toolkit.analysis.diversity import cluster_entropy, distinct_n, mean_pairwise_cosine_distance, vendi_score
    from ogi_toolkit.analysis.io import load_plan
    from ogi_toolkit.analysis.knn import knn_graph
    from ogi_toolkit.analysis.project import FIT_SAMPLE, stratified_sample

    n, st = args.n, Stages()
    # Numba compiles NN-descent and UMAP once per process (~30-60 s here): paid on a small set
    # first, so the stages measure the work, not the compiler.
    import umap

    warm = scaled_embeddings(np.load(args.base)[:2000], np.arange(6000))
    knn_graph(warm, 15, method="approximate")
    umap.UMAP(n_neighbors=15, metric="cosine", random_state=0).fit(warm[:5000]).transform(warm[5000:])
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-scale-{n}-"))
    print(f"n = {n:,}", flush=True)
    t = time.perf_counter()
    write_scaled_plan(args.plan, n, tmp / "plan.jsonl")
    prep = {"write_plan_s": round(time.perf_counter() - t, 1), "plan_mib": round((tmp / "plan.jsonl").stat().st_size / 2**20)}
    base_mib = peak_mib()
    df = st.run("read_plan_streaming", load_plan, tmp / "plan.jsonl")
    texts = df["text"].tolist()
    first, codes = st.run("exact_duplicates", repetition.unique_texts, texts)
    # Embeddings of the distinct texts: a memory-mapped .npy, as analyse keeps them.
    from numpy.lib.format import open_memmap

    source = np.random.default_rng(1).integers(1 << 30, size=len(first))
    source[:min(len(first), 10_000)] = np.arange(min(len(first), 10_000))
    X = open_memmap(tmp / "embeddings.npy", mode="w+", dtype=np.float32, shape=(len(first), 384))
    scaled_embeddings(np.load(args.base), source, out=X)
    X.flush()
    X = np.load(tmp / "embeddings.npy", mmap_mode="r")
    st.run("distinct_1_2_3", lambda: [distinct_n(texts, k) for k in (1, 2, 3)])
    st.run("vendi_mpcd", lambda: (vendi_score(X), mean_pairwise_cosine_distance(X)))
    st.run("cluster_entropy_k20", cluster_entropy, X)
    graph = st.run("knn_approximate", knn_graph, X, 15, method="approximate", cache_dir=tmp)
    st["knn_approximate"]["recall_at_10"] = graph.recall_at_10
    if len(X) <= args.exact_max:
        st.run("knn_exact", knn_graph, X, 15, method="exact")
    st.run("near_duplicates_from_graph", repetition.semantic_near_duplicates, texts, X[codes] if len(first) < n else X,
           threshold=0.9, knn_method="approximate", cache_dir=tmp)
    st.run("lexical_minhash_lsh", repetition.lexical_near_duplicates, texts)
    st.run("skeletons_ngrams", lambda: (repetition.skeletons(df), repetition.repeated_ngrams(texts)))
    # UMAP: fitted on a stratified sample of FIT_SAMPLE, the rest placed with transform.
    labels = df["subtask"].to_numpy()[first]
    rows = stratified_sample(labels, min(FIT_SAMPLE, len(X)), 0)
    reducer = umap.UMAP(n_components=2, n_neighbors=15, min_dist=0.1, metric="cosine", random_state=0)
    st.run("umap_fit_sample", reducer.fit, np.asarray(X[rows]))
    rest = np.setdiff1d(np.arange(len(X)), rows)
    if len(rest):
        measured = rest[:args.transform_max]
        st.run("umap_transform_measured", reducer.transform, np.asarray(X[measured]))
        st["umap_transform_measured"]["rows"] = len(measured)
        st["umap_transform_all_extrapolated_s"] = round(st["umap_transform_measured"]["s"] * len(rest) / len(measured), 1)
    out = {"n": n, "distinct": len(first), "rss_before_read_mib": round(base_mib), **prep, "stages": dict(st)}
    for path in tmp.iterdir():
        path.unlink()
    tmp.rmdir()
    return out


def stages(args) -> None:
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        cmd = [sys.executable, __file__, "one", "--plan", args.plan, "--base", args.base, "--n", str(n),
               "--exact-max", str(args.exact_max), "--transform-max", str(args.transform_max), "--json", f"{args.json}.{n}"]
        subprocess.run(cmd, check=True)
        results.append(json.loads(Path(f"{args.json}.{n}").read_text()))
        Path(args.json).write_text(json.dumps(results, indent=2))
    print(growth(results))


def growth(results: list[dict]) -> str:
    """Exponent b of time ~ n^b between the 80k and 1M runs (or the two largest measured), per stage."""
    by_n = {r["n"]: r for r in results}
    sizes = sorted(by_n)
    lo, hi = (80_000 if 80_000 in by_n else sizes[0]), sizes[-1]
    if lo == hi:
        return ""
    lines = [f"growth exponent {lo:,} -> {hi:,} (time ~ n^b):"]
    for name, cost in by_n[hi]["stages"].items():
        if isinstance(cost, dict) and name in by_n[lo]["stages"] and by_n[lo]["stages"][name]["s"] > 0:
            b = np.log(cost["s"] / by_n[lo]["stages"][name]["s"]) / np.log(hi / lo)
            lines.append(f"  {name:28s} b = {b:.2f}")
    return "\n".join(lines)


def embed_stage(args) -> None:
    from ogi_toolkit.analysis.embed import Embedder

    texts, _ = read_plan_texts(args.plan)
    rows = np.random.default_rng(0).choice(len(texts), args.n, replace=False)
    emb = Embedder(backend=args.backend, cache_dir=tempfile.mkdtemp(prefix="bench-scale-embed-"))
    t = time.perf_counter()
    X = emb.encode([texts[i] for i in rows])
    dt = time.perf_counter() - t
    np.save(args.out, X)
    result = {"n": args.n, "backend": args.backend, "encoded": emb.n_encoded, "s": round(dt, 1),
              "prompts_per_s": round(emb.n_encoded / dt, 1), "peak_mib": round(peak_mib())}
    print(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


def ray_stage(args) -> None:
    """Per-item stages, one process against Ray Data with two local workers, on the same items."""
    import ray
    from PIL import Image

    from ogi_toolkit.analysis.embed import encode_texts
    from ogi_toolkit.analysis.engine import map_batches
    from ogi_toolkit.analysis.images import image_stats, perceptual_hashes

    texts, _ = read_plan_texts(args.plan)
    texts = [texts[i] for i in np.random.default_rng(2).choice(len(texts), args.n, replace=False)]
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-img-"))
    rng = np.random.default_rng(0)
    paths = []
    for i in range(args.images):
        path = folder / f"{i}.png"
        Image.fromarray((rng.random((16, 16, 3)) * 255).astype(np.uint8)).resize((512, 512)).save(path)
        paths.append(str(path))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    result = {"texts": len(texts), "images": len(paths)}
    for engine in ("local", "ray"):
        cache = tempfile.mkdtemp(prefix=f"bench-scale-{engine}-")
        for name, fn, items, kw in (("embed", encode_texts, texts, {"cache_dir": cache}),
                                    ("image_stats", image_stats, paths, {}), ("phash", perceptual_hashes, paths, {})):
            t = time.perf_counter()
            value = map_batches(fn, items, engine=engine, batch_size=64, **kw)
            result[f"{name}_{engine}_s"] = round(time.perf_counter() - t, 2)
            result.setdefault("_values", {})[f"{name}_{engine}"] = value
    values = result.pop("_values")
    result["embed_min_cosine"] = float((values["embed_local"] * values["embed_ray"]).sum(1).min())
    result["phash_identical"] = bool(np.array_equal(values["phash_local"], values["phash_ray"]))
    result["image_stats_identical"] = bool(values["image_stats_local"].equals(values["image_stats_ray"]))
    print(result)
    Path(args.json).write_text(json.dumps(result, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("embed", "stages", "one", "ray"):
        p = sub.add_parser(name)
        p.add_argument("--plan", required=True)
        p.add_argument("--json")
        if name in ("stages", "one"):
            p.add_argument("--base", required=True, help="embeddings of planner texts (bench_scale.py embed)")
            p.add_argument("--exact-max", type=int, default=80_700)
            p.add_argument("--transform-max", type=int, default=100_000)
        if name == "stages":
            p.add_argument("--sizes", default="10000,80000,320000,1000000")
        if name in ("one", "embed", "ray"):
            p.add_argument("--n", type=int, default=10_000)
        if name == "embed":
            p.add_argument("--out", required=True)
            p.add_argument("--backend", default="torch")
        if name == "ray":
            p.add_argument("--images", type=int, default=300)
    args = parser.parse_args()
    if args.command == "one":
        Path(args.json).write_text(json.dumps(one_size(args), indent=2))
    elif args.command == "stages":
        stages(args)
    elif args.command == "embed":
        embed_stage(args)
    else:
        ray_stage(args)


if __name__ == "__main__":
    main()
