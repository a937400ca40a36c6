"""``ogi calibrate``: per subtask and grade, how often a strong and a weak configuration pass,
and the sweet spot (strong passes, weak fails) -> calibration.json, cells.csv, heatmap.png."""
from __future__ import annotations

import argparse
import sys

NAME = "calibrate"
HELP = ("find the difficulty sweet spot: generate N items per subtask and grade with a strong and a weak "
        "configuration, check (and judge) both; rerun to resume")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strong", required=True,
                   help="strong configuration: openai:MODEL, or sketch (offline)")
    p.add_argument("--weak", required=True,
                   help="weak configuration: openai:MODEL, or sketch-ablated (the offline baseline with known gaps)")
    p.add_argument("--strong-base-url", help="an OpenAI-compatible server for the strong side")
    p.add_argument("--weak-base-url", help="an OpenAI-compatible server for the weak side (an open model, say)")
    p.add_argument("--per-cell", type=int, default=20, help="items per (subtask, grade) cell (default 20)")
    p.add_argument("--seed", type=int, default=0, help="plan seed (default 0)")
    p.add_argument("--subtasks", help="comma-separated subtask ids (default: all)")
    p.add_argument("--out", required=True, help="output folder: plan.jsonl, strong/, weak/, calibration.json, heatmap.png")
    p.add_argument("--judge-model", help="also judge both sides with this vision chat model (default: checks only)")
    p.add_argument("--judge-base-url", help="an OpenAI-compatible server for the judge")
    p.add_argument("--size", help="image size (default: the models config's, 1024x1024)")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight at most (default 8)")
    p.add_argument("--max-cost", type=float, help="US dollars per side and step: no request is sent that would pass it")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="sweet-spot share from which a cell is in the sweet spot (default 0.5)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    from ...backends.errors import BackendError
    from ...calibration import calibrate
    from ...folder.output import check_output
    from ...generate import RunAborted
    from .. import UserError

    check_output(args.out)
    subtasks = [s.strip() for s in args.subtasks.split(",") if s.strip()] if args.subtasks else None
    try:
        result = calibrate(args.strong, args.weak, out=args.out, per_cell=args.per_cell, seed=args.seed,
                           subtasks=subtasks, strong_base_url=args.strong_base_url, weak_base_url=args.weak_base_url,
                           judge_model=args.judge_model, judge_base_url=args.judge_base_url, size=args.size,
                           concurrency=args.concurrency, max_cost=args.max_cost, threshold=args.threshold,
                           progress=not args.no_progress and sys.stderr.isatty(),
                           log=lambda message: print(f"ogi calibrate: {message}", file=sys.stderr, flush=True))
    except (RunAborted, BackendError) as exc:
        raise UserError(str(exc)) from None
    import pandas as pd

    columns = ["subtask", "difficulty", "n", "strong_pass", "weak_pass", "sweet_spot", "in_sweet_spot"]
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(result.frame()[columns].to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print(f"wrote {result.path}, {result.table} and {result.heatmap}")
    return 0
