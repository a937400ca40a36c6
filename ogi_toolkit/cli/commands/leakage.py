"""``ogi leakage DATA --against SETS``: dataset texts that are benchmark prompts or near copies."""
from __future__ import annotations

import argparse

NAME = "leakage"
HELP = "find dataset items that copy or nearly copy benchmark prompts (exact, lexical, semantic); --drop writes a clean copy"


def add_benchmark_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``ogi leakage`` and ``ogi coverage`` share."""
    parser.add_argument("data", help="plan.jsonl, a dataset folder, or a .txt/.tsv/.csv/.jsonl of prompts")
    parser.add_argument("--against", default="all",
                        help="comma-separated: known set names (see `ogi benchmarks`), NAME=FILE, or prompt files; "
                             "default: every known set that is present")
    parser.add_argument("--text-column", help="column holding the dataset's prompt (.tsv/.csv/.jsonl data)")
    parser.add_argument("--bench-text-column", help="column holding the benchmark prompt in --against files")
    parser.add_argument("--label-column", help="benchmark category column in --against files (overrides a set's own)")
    parser.add_argument("--thresholds", help="YAML file over the default thresholds (ogi_toolkit/benchmarks/leakage.yaml)")
    parser.add_argument("--model", help="sentence-transformers model name or path (default: packaged all-MiniLM-L6-v2)")
    parser.add_argument("--backend", choices=("torch", "onnx-int8"), default="torch")
    parser.add_argument("--cache-dir", help="cache folder (default ~/.cache/ogi-toolkit or $OGI_CACHE_DIR)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_benchmark_arguments(parser)
    parser.add_argument("--kinds", default="exact,lexical,semantic", help="which matches to look for (default: all three)")
    parser.add_argument("--table", metavar="CSV", help="write every match (item, turn, benchmark, prompt, kind, similarity)")
    parser.add_argument("--top", type=int, default=5, help="closest pairs shown per benchmark (default 5)")
    parser.add_argument("--drop", action="store_true", help="write DATA without the matched items to --out, with dropped.csv")
    parser.add_argument("--out", help="with --drop: the new dataset folder (or plan file)")
    parser.add_argument("--overwrite", action="store_true", help="replace --out if it exists")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pandas as pd

    from ...benchmarks import closest_pairs, drop_leaks, leak_counts, leakage
    from .. import UserError

    if args.drop != bool(args.out):
        raise UserError("--drop and --out go together: --drop --out NEW writes DATA without the leaking items")
    from ...folder.output import check_output, check_output_file

    if args.table:  # refused before any work, as every command's outputs
        check_output_file(args.table, inputs=[args.data])
    if args.drop:
        (check_output if Path(args.data).is_dir() else check_output_file)(args.out, inputs=[args.data])
    matches = leakage(args.data, args.against, text_column=args.text_column, label_column=args.label_column,
                      bench_text_column=args.bench_text_column, kinds=args.kinds, thresholds=args.thresholds,
                      model=args.model, backend=args.backend, cache_dir=args.cache_dir)
    found = matches.attrs
    print(f"{found['items']:,} items ({found['texts']:,} texts) against "
          + ", ".join(f"{b} ({n:,} prompts)" for b, n in found["prompts_per_benchmark"].items()))
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 70):
        print("\nitems with a match, per benchmark:")
        print(leak_counts(matches).to_string(index=False))
        if len(matches):
            print("\nper subtask:")
            print(leak_counts(matches, by="subtask").head(20).to_string(index=False))
            print("\nclosest pairs that are not exact copies:")
            for row in closest_pairs(matches, args.top).itertuples(index=False):
                print(f"  [{row.benchmark} {row.kind} {row.similarity:.3f}] {row.text!r}\n"
                      f"  {'':>{len(row.benchmark) + len(row.kind) + 9}} ~ {row.benchmark_prompt!r}")
    if args.table:
        from ...atomic_io import atomic_write_text

        atomic_write_text(args.table, matches.to_csv(index=False))
        print(f"matches: {args.table}")
    if args.drop:
        try:
            result = drop_leaks(args.data, matches, args.out, overwrite=args.overwrite)
        except FileExistsError as exc:
            raise UserError(str(exc)) from None
        print(result.summary())
    return 0
