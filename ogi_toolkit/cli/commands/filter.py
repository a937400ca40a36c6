"""``ogi filter``: a new dataset folder with only the items that pass the checks and/or the judge."""
from __future__ import annotations

import argparse
from pathlib import Path

NAME = "filter"
HELP = "write a new dataset folder with the items that pass (checks.jsonl, judgments.jsonl) and OUT/dropped.csv"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", help="dataset folder checked with `ogi check` (and judged with `ogi judge`)")
    p.add_argument("--out", required=True, help="new dataset folder (must be new or empty unless --overwrite)")
    p.add_argument("--min-score", type=float, help="keep items the judge scored at least this (0-1; needs judgments.jsonl)")
    p.add_argument("--require", help="comma-separated check groups that must not fail: text,preservation,technical,layout "
                                     "(default without --min-score: every check)")
    p.add_argument("--ids", type=Path, help="keep only the items on this id list (one id a line, e.g. a lasso "
                                            "selection saved from the analysis report's umap.html)")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")


def run(args: argparse.Namespace) -> int:
    from ...quality import filter_dataset
    from .. import UserError

    try:
        report = filter_dataset(args.dataset, args.out, min_score=args.min_score, require=args.require,
                                overwrite=args.overwrite, ids=args.ids)
    except (FileExistsError, ValueError) as exc:
        raise UserError(str(exc)) from None
    print(report.summary())
    print(f"written: {args.out}")
    return 0
