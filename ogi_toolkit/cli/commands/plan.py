"""``ogi plan``: a plan of instruction specs, one JSON line each."""
from __future__ import annotations

import sys
import time

from ..arguments import positive_int

NAME = "plan"
HELP = "plan N instructions across subtasks (default: the paper's 80,700) and write them as JSON Lines"


def add_arguments(parser) -> None:
    parser.add_argument("--total", type=int, default=None, help="number of instructions (default: the sum of the targets, 80,700)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--out", required=True, help="output file (.jsonl), written atomically as it is drawn")
    parser.add_argument("--subtasks", default=None, help="comma-separated subtask ids (default: all)")
    parser.add_argument("--counts", default=None, help="YAML file of 'subtask_id: count' lines (instead of --total/--subtasks)")
    parser.add_argument("--difficulty-mix", default=None, help="shares per grade for every subtask, e.g. 1=.3,2=.4,3=.3")
    parser.add_argument("--taxonomy", default=None, help="taxonomy folder (default: the project's taxonomy/, or $OGI_TAXONOMY_DIR)")
    parser.add_argument("--workers", type=positive_int, default=None,
                        help="processes drawing subtasks (default: this machine's CPUs); the plan is the same for any number")
    parser.add_argument("--validate", action="store_true",
                        help="check every line against the spec model before writing (drawing checks each grade's first item)")
    parser.add_argument("--calibration", default=None,
                        help="calibration.json of `ogi calibrate`: move each calibrated subtask's difficulty mix toward its sweet spot")
    parser.add_argument("--calibration-strength", type=float, default=1.0,
                        help="how far to move (0: not at all, 1: to the sweet-spot shares; default 1)")
    parser.add_argument("--calibration-quotas", action="store_true",
                        help="also move the calibrated subtasks' quotas toward their sweet spots (the total is kept)")
    parser.add_argument("--avoid", metavar="SETS",
                        help="redraw items that copy or nearly copy a prompt of these benchmarks (as `ogi leakage "
                             "--against`, e.g. geneval,parti), with the default leakage thresholds")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or per-subtask summary")


def run(args) -> int:
    from ...planning import available_workers, draws_summary, read_counts, write_plan
    from ...folder.output import check_output_file
    from ...templates.validate import load_valid_taxonomy

    started = time.perf_counter()
    if args.total is not None and args.total < 1:
        raise ValueError(f"--total: expected a number of instructions >= 1, got {args.total}")
    counts = read_counts(args.counts) if args.counts else None
    subtasks = [s.strip() for s in args.subtasks.split(",") if s.strip()] if args.subtasks else None
    out = check_output_file(args.out, inputs=[p for p in (args.counts, args.calibration) if p])
    taxonomy = load_valid_taxonomy(args.taxonomy)
    avoid = None
    if args.avoid:
        from ...benchmarks import LeakFinder

        avoid = LeakFinder(args.avoid)
    # Written as drawn, a batch of subtasks at a time (workers send JSON lines, never parsed back)
    draws = write_plan(out, total=args.total, counts=counts, subtasks=subtasks, seed=args.seed,
                       difficulty_mix=args.difficulty_mix, taxonomy=taxonomy,
                       workers=args.workers or available_workers(), progress=not args.quiet and sys.stderr.isatty(),
                       validate=args.validate, calibration=args.calibration,
                       calibration_strength=args.calibration_strength, calibration_quotas=args.calibration_quotas,
                       avoid=avoid)
    if not args.quiet:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.width", 200):
            print(draws_summary(draws, taxonomy).to_string(index=False))
    total = sum(sum(d.found.values()) for d in draws)
    print(f"wrote {total:,} specs to {out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
