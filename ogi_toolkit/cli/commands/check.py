"""``ogi check``: the offline checks of every finished item (OCR, edit preservation, technical, layout)."""
from __future__ import annotations

import argparse

NAME = "check"
HELP = "check every finished item of a dataset folder offline (OCR, edit preservation, technical, spec vs layout); writes DIR/checks.jsonl"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", nargs="?", help="dataset folder (manifest.jsonl + images/) written by `ogi generate`")
    p.add_argument("--list", action="store_true", help="list the registered checks (group, what each reads) and exit")
    p.add_argument("--config", help="checks thresholds YAML: sections named by check group, each key replacing "
                                    "the default beside its check (ogi_toolkit/quality/checks/suite/*.yaml)")
    p.add_argument("--workers", type=int, default=2, help="processes (default 2; 1 = no extra process)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="where items are checked: this machine's processes, or Ray Data batches (extra .[ray])")
    p.add_argument("--address", help="with --engine ray: the cluster ('auto', ray://HOST:10001); default a local Ray")
    p.add_argument("--redo", action="store_true", help="check every item again, even those already checked")


def run(args: argparse.Namespace) -> int:
    from ...dataset.paths import require_dataset
    from ...quality import check
    from ...quality.checks.summary import format_rates
    from .. import UserError

    if args.list:
        from ...quality.checks.registry import checks

        for c in checks():
            print(f"{c.group:14s} {'' if c.counts else '(report, never decides) '}reads {c.reads}")
        return 0
    if args.dataset is None:
        raise UserError("a dataset folder is required (or --list)")
    if args.workers < 1:
        raise UserError(f"--workers: expected an integer >= 1, got {args.workers}")
    require_dataset(args.dataset, "ogi check")  # a file or device given as the folder: one line, no traceback
    result = check(args.dataset, config=args.config, workers=args.workers, redo=args.redo, progress=True,
                   engine=args.engine, address=args.address)
    print(f"checked {result.checked} items ({result.items - result.checked} up to date) in {result.seconds:.1f} s: "
          f"{result.passed} of {result.items} passed")
    print(format_rates(result.lines))
    print(f"written: {result.path / 'checks.jsonl'}")
    return 0
