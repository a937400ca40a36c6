"""``ogi split``: train / val / test folders assigned by a hash of each item's id."""
from __future__ import annotations

import argparse

NAME = "split"
HELP = "train/val/test splits of a dataset folder by a hash of each id (stable when items are added; chains kept together)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", help="dataset folder (manifest.jsonl + images/)")
    p.add_argument("--val", type=float, default=0.02, help="share of items in val (default 0.02)")
    p.add_argument("--test", type=float, default=0.02, help="share of items in test (default 0.02)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="output folder (default DATASET/splits): train/ val/ test/, splits.csv, summary.csv")
    p.add_argument("--overwrite", action="store_true", help="replace the output folder if it exists")


def run(args: argparse.Namespace) -> int:
    from ...curation import split_dataset
    from .. import UserError

    try:
        result = split_dataset(args.dataset, args.out, val=args.val, test=args.test, seed=args.seed,
                               overwrite=args.overwrite)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    print(result.text())
    return 0
