"""``ogi sample SUBTASK``: a few instructions of one subtask, to see what its templates make."""
from __future__ import annotations

import sys

NAME = "sample"
HELP = "print sampled instructions of one subtask (with --json: the full specs)"


def add_arguments(parser) -> None:
    parser.add_argument("subtask", help="subtask id, e.g. relative_position (see `ogi taxonomy`)")
    parser.add_argument("-n", type=int, default=5, help="how many (default: 5)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--difficulty", type=int, default=None, help="one grade only (default: the subtask's mix)")
    parser.add_argument("--taxonomy", default=None, help="taxonomy folder (default: the project's taxonomy/, or $OGI_TAXONOMY_DIR)")
    parser.add_argument("--json", action="store_true", help="print one spec JSON per line")


def run(args) -> int:
    from ...templates.validate import load_valid_taxonomy
    from ...templates.sampler import sample

    if args.n < 1:
        raise ValueError(f"-n: expected a count >= 1, got {args.n}")
    specs = sample(args.subtask, args.n, seed=args.seed, difficulty=args.difficulty, taxonomy=load_valid_taxonomy(args.taxonomy))
    for spec in specs:
        print(spec.to_json() if args.json else f"[{spec.difficulty}|{spec.template_id}] {spec.instruction}")
    if len(specs) < args.n:
        print(f"note: subtask {args.subtask!r} has only {len(specs)} distinct instructions at this difficulty", file=sys.stderr)
    return 0
