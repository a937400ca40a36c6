"""Benchmark leakage and coverage at paper scale (run by hand; prints the figures for the note).

    ogi plan --total 80700 --seed 0 --out /tmp/plan80k.jsonl
    python bench/bench_leakage.py measure --plan /tmp/plan80k.jsonl   # how the thresholds were chosen
    python bench/bench_leakage.py run     --plan /tmp/plan80k.jsonl --cache /tmp/warm  # timed, warm cache
    python bench/bench_leakage.py paper   --plan /tmp/plan80k.jsonl   # near the --against sets, per subtask

Embedding the plan's 97,200 texts (instructions and turns) once takes hours on two shared CPU
cores (~8 texts/s at load 11), minutes on a GPU; so ``measure`` and ``paper`` embed a stratified
sample of the plan (``--per-subtask`` items of every subtask, with their turns) and give exact
and lexical matches for the whole plan.

``measure``: the background is the sampled plan texts (none was written from a benchmark); the
near copies are light paraphrases (``benchmarks.paraphrase``: word order, synonyms, a changed
colour) of ``--sample`` prompts of every known set present. For each kind it prints each text's best
score against the benchmarks as quantiles, and for candidate thresholds the share of plan texts
flagged (false-positive rate) and of paraphrases found (recall).

``run``: the leak table against every known set present (exact, lexical, semantic) and the coverage
table + chart of the whole plan, timed stage by stage (wall and CPU seconds, and the load), with
a warm embedding cache. ``--cache DIR`` is a cache folder of its own, filled (untimed) with the
real vectors this machine's cache holds and random unit vectors for the texts it does not
(``--synthetic``): the warm path (hash, look up, search, tables, chart) costs the same, the
matches of the random rows mean nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ogi_toolkit.benchmarks import (  # noqa: E402
    closest_pairs, coverage, coverage_figure, dataset_texts, leak_counts, leakage, load_benchmarks,
)
from ogi_toolkit.benchmarks.leakage import embed_texts  # noqa: E402
from ogi_toolkit.benchmarks.matching import lexical_matches  # noqa: E402
from ogi_toolkit.benchmarks.paraphrase import PARAPHRASES, paraphrase  # noqa: E402


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


class Clock:
    def __init__(self):
        self.rows = []

    def __call__(self, name, fn, *args, **kw):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn(*args, **kw)
        self.rows.append((name, time.perf_counter() - wall, time.process_time() - cpu, os.getloadavg()[0]))
        print(f"{name:28s} {self.rows[-1][1]:7.1f} s wall {self.rows[-1][2]:7.1f} s cpu  (load {self.rows[-1][3]:.1f})",
              flush=True)
        return out


def sampled_items(plan: str, per_subtask: int, seed: int) -> pd.DataFrame:
    """Every text of ``per_subtask`` random items of each subtask (all of a smaller subtask's)."""
    texts = dataset_texts(plan)
    items = texts.drop_duplicates("id")
    picked = items.groupby("subtask").sample(n=per_subtask, random_state=seed)  # every subtask has 500 or more
    return texts[texts["id"].isin(set(picked["id"]))].reset_index(drop=True)


def fill_cache(texts: list[str], cache: Path, synthetic: bool) -> int:
    """Put a vector for every text into ``cache``'s embedding store: the real one where this
    machine's default cache has it, else (``synthetic``) a random unit vector. Returns how many
    were random."""
    from ogi_toolkit.analysis.cache import EmbeddingCache, default_cache_dir, text_key
    from ogi_toolkit.analysis.embed import DEFAULT_MODEL

    model_id = f"{DEFAULT_MODEL}|torch"
    keys = list(dict.fromkeys(text_key(t) for t in texts))
    found, vectors = EmbeddingCache(default_cache_dir() / "embeddings", model_id).lookup(keys)
    if vectors.shape[1] == 0:
        vectors = np.zeros((len(keys), 384), np.float32)
    missing = np.flatnonzero(~found)
    if len(missing) and not synthetic:
        raise SystemExit(f"{len(missing):,} texts are not in the embedding cache; embed them or pass --synthetic")
    random = np.random.default_rng(0).standard_normal((len(missing), vectors.shape[1])).astype(np.float32)
    vectors[missing] = random / np.linalg.norm(random, axis=1, keepdims=True)
    EmbeddingCache(cache / "embeddings", model_id).add(keys, vectors)
    return len(missing)


def _paraphrases(sample: int, seed: int) -> pd.DataFrame:
    prompts = load_benchmarks("all")
    picked = prompts.groupby("benchmark").sample(n=sample, random_state=seed)  # every known set has more
    rng = np.random.default_rng(seed)
    rows = [{"benchmark": r.benchmark, "how": how, "source": r.text, "text": paraphrase(r.text, how, rng)}
            for r in picked.itertuples() for how in PARAPHRASES]
    return pd.DataFrame(rows)


def _best_lexical(texts: list[str], prompts: list[str], shingle: int) -> np.ndarray:
    pairs = lexical_matches(texts, prompts, threshold=1e-9, shingle=shingle)
    best = np.zeros(len(texts))
    top = pairs.groupby("row")["similarity"].max()
    best[top.index.to_numpy()] = top.to_numpy()
    return best


def measure(args) -> None:
    from ogi_toolkit.analysis.knn import knn_against

    whole = dataset_texts(args.plan)["text"].tolist()
    plan = sampled_items(args.plan, args.per_subtask, args.seed)["text"].tolist()
    para = _paraphrases(args.sample, args.seed)
    prompts = load_benchmarks("all")["text"].tolist()
    print(f"{len(whole):,} plan texts (lexical background), {len(plan):,} sampled for the semantic one; "
          f"{len(para):,} paraphrases of {args.sample} prompts per set ({load()})")
    qs = [0.5, 0.9, 0.99, 0.999, 1.0]
    for shingle in (2, 3):
        background = _best_lexical(whole, prompts, shingle)
        near = _best_lexical(para["text"].tolist(), prompts, shingle)
        print(f"\nlexical, word {shingle}-shingles: best Jaccard quantiles {qs}")
        print(f"  plan        {np.round(np.quantile(background, qs), 3)}")
        for how in PARAPHRASES:
            print(f"  {how:11s} {np.round(np.quantile(near[para['how'] == how], qs), 3)}")
        for t in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            recall = {h: float((near[para["how"] == h] >= t).mean()) for h in PARAPHRASES}
            print(f"  J >= {t:.2f}: plan flagged {int((background >= t).sum()):6d} ({(background >= t).mean():.4%}); "
                  "recall " + ", ".join(f"{h} {r:.3f}" for h, r in recall.items()))
    prompt_vectors = embed_texts(prompts)
    background = knn_against(embed_texts(plan), prompt_vectors, 1)[1][:, 0]
    near = knn_against(embed_texts(para["text"].tolist()), prompt_vectors, 1)[1][:, 0]
    print(f"\nsemantic: best cosine quantiles {qs}")
    print(f"  plan        {np.round(np.quantile(background, qs), 3)}")
    for how in PARAPHRASES:
        print(f"  {how:11s} {np.round(np.quantile(near[para['how'] == how], qs), 3)}")
    for t in (0.75, 0.8, 0.825, 0.85, 0.875, 0.9, 0.925):
        recall = {h: float((near[para["how"] == h] >= t).mean()) for h in PARAPHRASES}
        print(f"  cos >= {t:.3f}: plan flagged {int((background >= t).sum()):6d} ({(background >= t).mean():.4%}); "
              "recall " + ", ".join(f"{h} {r:.3f}" for h, r in recall.items()))


def run(args) -> None:
    cache = Path(args.cache)
    texts = load_benchmarks("all")["text"].tolist() + dataset_texts(args.plan)["text"].tolist()
    random = fill_cache(texts, cache, args.synthetic)
    print(f"cache {cache}: {len(texts):,} texts, {random:,} of them random vectors; start: {load()}")
    clock = Clock()
    matches = clock("leak table (all sets)", leakage, args.plan, "all", cache_dir=cache)
    table = clock("coverage table (all sets)", coverage, args.plan, "all", cache_dir=cache)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from ogi_toolkit.figures.write import save_figure

    clock("coverage chart", lambda: save_figure(coverage_figure(table), out / "coverage.png"))
    matches.to_csv(out / "matches.csv", index=False)
    table.to_csv(out / "coverage.csv", index=False)
    print(f"total {sum(r[1] for r in clock.rows):.1f} s wall, {sum(r[2] for r in clock.rows):.1f} s cpu; end: {load()}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(leak_counts(matches).to_string(index=False))


def paper(args) -> None:
    """Exact and lexical matches of the whole plan; semantic ones of the stratified sample, per
    subtask, with the share scaled to the subtask's items."""
    whole = leakage(args.plan, args.against, kinds="exact,lexical")
    sample = sampled_items(args.plan, args.per_subtask, args.seed)
    specs = sample.drop_duplicates("id")
    near = leakage([{"id": i, "subtask": s, "instruction": t} for i, s, t in zip(sample["id"], sample["subtask"], sample["text"])],
                   args.against, kinds="semantic")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    whole.to_csv(out / "paper_exact_lexical.csv", index=False)
    near.to_csv(out / "paper_semantic_sample.csv", index=False)
    per_subtask = whole.attrs["items_per_subtask"]
    sampled = specs["subtask"].value_counts()
    semantic = near.groupby("subtask")["id"].nunique()
    rows = pd.DataFrame({"items": pd.Series(per_subtask), "sampled": sampled, "semantic_in_sample": semantic}).fillna(0)
    rows["semantic_share"] = rows["semantic_in_sample"] / rows["sampled"]
    rows["semantic_estimate"] = (rows["semantic_share"] * rows["items"]).round()
    lexical = leak_counts(whole, by="subtask").set_index("subtask")
    rows = rows.join(lexical[[c for c in ("exact", "lexical", "any") if c in lexical]].add_prefix("whole_")).fillna(0)
    # how near the sample comes below the threshold: each text's best cosine to the --against sets
    from ogi_toolkit.analysis.knn import knn_against

    prompts = load_benchmarks(args.against)
    best = knn_against(embed_texts(sample["text"].tolist()), embed_texts(prompts["text"].tolist()), 1)
    sample = sample.assign(best_cosine=best[1][:, 0], best_prompt=prompts["text"].to_numpy()[best[0][:, 0]],
                           best_set=prompts["benchmark"].to_numpy()[best[0][:, 0]])
    nearest = sample.groupby("subtask")["best_cosine"].agg(max_cosine="max", median_cosine="median",
                                                           share_over_0_7=lambda c: float((c >= 0.7).mean()))
    rows = rows.join(nearest)
    rows = rows.sort_values(["semantic_estimate", "whole_any", "max_cosine"], ascending=False)
    rows.to_csv(out / "paper_by_subtask.csv")
    with pd.option_context("display.width", 220, "display.max_colwidth", 70, "display.max_rows", 80):
        print(f"{whole.attrs['items']:,} planned items ({whole.attrs['texts']:,} texts); semantic on {len(specs):,} "
              f"sampled items ({len(sample):,} texts), {args.per_subtask} per subtask ({load()})")
        print(leak_counts(whole).to_string(index=False))
        print(leak_counts(near).to_string(index=False))
        print(rows.head(15).to_string())
        top = sample.sort_values("best_cosine", ascending=False).head(8)
        print(top[["subtask", "best_cosine", "best_set", "text", "best_prompt"]].to_string(index=False))
        print(closest_pairs(whole, 6).to_string(index=False))
        print(closest_pairs(near, 6).to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("measure", "run", "paper"))
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", default="/tmp/bench_leakage")
    parser.add_argument("--cache", default="/tmp/bench_leakage_cache", help="run: a cache folder of its own")
    parser.add_argument("--synthetic", action="store_true", help="run: random vectors for texts not yet embedded")
    parser.add_argument("--sample", type=int, default=200, help="measure: prompts paraphrased per known set")
    parser.add_argument("--per-subtask", type=int, default=60, help="measure, paper: plan items embedded per subtask")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--against", default="all",
                        help="paper: the sets (default: every known set present, e.g. geneval,dpg with DPG-Bench's prompts)")
    args = parser.parse_args()
    {"measure": measure, "run": run, "paper": paper}[args.mode](args)


if __name__ == "__main__":
    main()
