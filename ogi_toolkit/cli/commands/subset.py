"""``ogi subset``: nested, stratified subsets of a dataset (for a data-scaling study)."""
from __future__ import annotations

import argparse
from pathlib import Path

NAME = "subset"
HELP = "nested stratified subsets of a dataset folder: OUT/<size>/ (each contains every smaller one) + OUT/summary.csv"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", help="dataset folder (manifest.jsonl + images/)")
    p.add_argument("--sizes", required=True, help="comma-separated sizes, e.g. 10k,20k,30k,40k (folders are named so); all: every finished item; "
                        "a size above the dataset is refused")
    p.add_argument("--out", required=True, help="output folder: one dataset folder per size, summary.csv, strata.csv")
    p.add_argument("--stratify", default="subtask",
                   help="comma-separated keys: kind, domain, subtask, difficulty, template_id (default subtask)")
    p.add_argument("--target", default="paper",
                   help="shares per stratum: paper (the taxonomy's counts, default), dataset (its own "
                        "distribution), or a CSV with the stratify columns and count/share")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--passed-checks", action="store_true",
                   help="keep only items whose offline checks passed (DIR/checks.jsonl)")
    p.add_argument("--passed-judge", action="store_true", help="keep only items the judge passed (DIR/judgments.jsonl)")
    p.add_argument("--min-score", type=float, help="keep only items with a judge score >= this (DIR/judgments.jsonl)")
    p.add_argument("--drop-near-duplicates", action="store_true",
                   help="keep one item of each group of near-duplicate instructions")
    p.add_argument("--near-duplicates", default="semantic", choices=["semantic", "lexical"],
                   help="how near-duplicates are found: embeddings (default) or MinHash")
    p.add_argument("--near-duplicate-threshold", type=float,
                   help="similarity from which texts are near-duplicates (default 0.9 semantic, 0.8 lexical)")
    p.add_argument("--ids", type=Path, help="keep only the items on this id list (one id a line, e.g. a lasso "
                                            "selection saved from the analysis report's umap.html)")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.add_argument("--show", type=int, default=10, help="short strata to print (all are in OUT/strata.csv)")


def run(args: argparse.Namespace) -> int:
    from ...curation import QualityFilter, make_subsets
    from .. import UserError

    stratify = tuple(k.strip() for k in args.stratify.split(",") if k.strip())
    ids = None
    if args.ids is not None:
        from ...folder import read_manifest
        from ...folder.id_list import read_id_list

        try:
            ids = read_id_list(args.ids, known={r["id"] for r in read_manifest(args.dataset)})
        except (OSError, ValueError) as exc:
            raise UserError(str(exc)) from None
    quality = QualityFilter(checks=args.passed_checks, judge=args.passed_judge, min_score=args.min_score, ids=ids)
    try:
        result = make_subsets(args.dataset, args.sizes, args.out, stratify=stratify, target=args.target,
                              seed=args.seed, quality=quality, drop_near_duplicates=args.drop_near_duplicates,
                              near_duplicate_method=args.near_duplicates,
                              near_duplicate_threshold=args.near_duplicate_threshold, overwrite=args.overwrite)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    print(result.text(limit=args.show))
    print(f"written: {args.out} (summary.csv, strata.csv, left_out.csv)")
    return 0
