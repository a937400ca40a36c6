"""``ogi coverage DATA --against SETS``: which benchmark categories the data covers."""
from __future__ import annotations

import argparse

from .leakage import add_benchmark_arguments

NAME = "coverage"
HELP = "items per benchmark category against the benchmark's own distribution, and how near the items come"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_benchmark_arguments(parser)
    parser.add_argument("--out", help="folder for coverage.csv and coverage.png")
    parser.add_argument("--map", help="another category -> subtask map (CSV: benchmark,category,subtask,reason)")
    parser.add_argument("--no-nearest", action="store_true", help="skip the nearest-neighbour view (no embeddings)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pandas as pd

    from ...benchmarks import coverage, coverage_figure
    from ...folder.output import check_output

    if args.out:
        check_output(args.out, inputs=[args.data])
    table = coverage(args.data, args.against, text_column=args.text_column, label_column=args.label_column,
                     bench_text_column=args.bench_text_column, mapping=args.map, nearest=not args.no_nearest,
                     thresholds=args.thresholds, model=args.model, backend=args.backend, cache_dir=args.cache_dir)
    shown = ["benchmark", "category", "benchmark_prompts", "benchmark_share", "dataset_items", "dataset_share",
             *(c for c in ("nearest_median", "near_share") if c in table), "subtasks"]
    with pd.option_context("display.width", 220, "display.max_rows", None, "display.max_colwidth", 60,
                           "display.float_format", "{:.3f}".format):
        print(table[shown].to_string(index=False))
    if args.out:
        from ...atomic_io import atomic_write_text
        from ...figures.write import save_figure

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out / "coverage.csv", table.to_csv(index=False))
        save_figure(coverage_figure(table), out / "coverage.png")
        print(f"written: {out / 'coverage.csv'}, {out / 'coverage.png'}")
    return 0
