"""``ogi check``: the offline checks of every finished item (OCR, edit preservation, technical, layout)."""
from __future__ import annotations

import argparse

NAME = "check"
HELP = "check every finished item of a dataset folder offline (OCR, edit preservation, technical, spec vs layout); writes DIR/checks.jsonl"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", help="dataset folder (manifest.jsonl + images/) written by `ogi generate`")
    p.add_argument("--config", help="checks thresholds YAML (default: ogi_toolkit/quality/checks/checks.yaml)")
    p.add_argument("--workers", type=int, default=2, help="processes (default 2; 1 = no extra process)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="where items are checked: this machine's processes, or Ray Data batches (extra .[ray])")
    p.add_argument("--address", help="with --engine ray: the cluster ('auto', ray://HOST:10001); default a local Ray")
    p.add_argument("--redo", action="store_true", help="check every item again, even those already checked")


def run(args: argparse.Namespace) -> int:
    from ...quality import check
    from ...quality.checks.summary import format_rates
    from .. import UserError

    if args.workers < 1:
        raise UserError(f"--workers: expected an integer >= 1, got {args.workers}")
    result = check(args.dataset, config=args.config, workers=args.workers, redo=args.redo, progress=True,
                   engine=args.engine, address=args.address)
    print(f"checked {result.checked} items ({result.items - result.checked} up to date) in {result.seconds:.1f} s: "
          f"{result.passed} of {result.items} passed")
    print(format_rates(result.lines))
    print(f"written: {result.path / 'checks.jsonl'}")
    return 0
