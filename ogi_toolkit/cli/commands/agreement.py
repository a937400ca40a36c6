"""``ogi agreement``: raters vs the judge and raters vs raters, per rubric criterion."""
from __future__ import annotations

import argparse

NAME = "agreement"
HELP = "agreement of DIR/ratings.jsonl with the judge (DIR/judgments.jsonl) and among raters: table + figure"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="dataset folder with ratings.jsonl (RatingPanel) and, for the judge, judgments.jsonl")
    p.add_argument("--out", help="folder for agreement.csv, agreement.md, agreement.png (default DIR/agreement)")
    p.add_argument("--rubric", help="the rubric YAML the judge used (default: Pico-Banana's)")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples for the intervals (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")


def run(args: argparse.Namespace) -> int:
    from ...quality.ratings.agreement import agreement

    if args.n_boot < 1:
        raise ValueError(f"--n-boot {args.n_boot}: expected at least 1")
    report = agreement(args.dir, args.out, rubric=args.rubric, n_boot=args.n_boot, seed=args.seed)
    print(report.markdown.read_text(encoding="utf-8"))
    print(report)
    return 0
