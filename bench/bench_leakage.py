"""Benchmark leakage and coverage at paper scale (run by hand; prints the figures for the note).

    ogi plan --total 80700 --seed 0 --out /tmp/plan80k.jsonl
    python bench/bench_leakage.py warm    --plan /tmp/plan80k.jsonl   # embed everything once
    python bench/bench_leakage.py measure --plan /tmp/plan80k.jsonl   # how the thresholds were chosen
    python bench/bench_leakage.py run     --plan /tmp/plan80k.jsonl --out /tmp/leak  # timed, warm cache
    python bench/bench_leakage.py paper   --plan /tmp/plan80k.jsonl   # near GenEval / DPG, per subtask

``measure``: the background is every text of the plan (none was written from a benchmark);
the near copies are light paraphrases (``benchmarks.paraphrase``: word order, synonyms, a
changed colour) of a sample of every bundled set's prompts. For each kind it prints each
text's best score against the benchmarks as quantiles, and for candidate thresholds the share
of plan texts flagged (false-positive rate) and of paraphrases found (recall).

``run``: the leak table against every bundled set (exact, lexical, semantic) and the coverage
table + chart, timed stage by stage (wall and CPU seconds, and the load).
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


def warm(args) -> None:
    texts = load_benchmarks("all")["text"].tolist() + dataset_texts(args.plan)["text"].tolist()
    started = time.perf_counter()
    embed_texts(texts)
    print(f"embedded {len(texts):,} texts in {time.perf_counter() - started:.0f} s ({load()})")


def _paraphrases(sample: int, seed: int) -> pd.DataFrame:
    prompts = load_benchmarks("all")
    picked = prompts.groupby("benchmark", group_keys=False).apply(
        lambda g: g.sample(min(sample, len(g)), random_state=seed))
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

    plan = dataset_texts(args.plan)["text"].tolist()
    para = _paraphrases(args.sample, args.seed)
    prompts = load_benchmarks("all")["text"].tolist()
    print(f"{len(plan):,} plan texts (background), {len(para):,} paraphrases of {args.sample} prompts per set "
          f"({load()})")
    qs = [0.5, 0.9, 0.99, 0.999, 1.0]
    for shingle in (2, 3):
        background = _best_lexical(plan, prompts, shingle)
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
    print(f"start: {load()}")
    clock = Clock()
    matches = clock("leak table (all sets)", leakage, args.plan, "all")
    table = clock("coverage table (all sets)", coverage, args.plan, "all")
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
    matches = leakage(args.plan, "geneval,dpg")
    with pd.option_context("display.width", 220, "display.max_colwidth", 70, "display.max_rows", 80):
        print(f"{matches.attrs['items']:,} planned items ({matches.attrs['texts']:,} texts), {len(matches):,} pairs")
        print(leak_counts(matches).to_string(index=False))
        print(leak_counts(matches, by="subtask").to_string(index=False))
        print(closest_pairs(matches, 8).to_string(index=False))
    matches.to_csv(args.out or "/tmp/paper_leaks.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("warm", "measure", "run", "paper"))
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", default="/tmp/bench_leakage")
    parser.add_argument("--sample", type=int, default=200, help="measure: prompts paraphrased per bundled set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    {"warm": warm, "measure": measure, "run": run, "paper": paper}[args.mode](args)


if __name__ == "__main__":
    main()
