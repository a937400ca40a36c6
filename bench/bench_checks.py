"""Items and checks per second of `ogi check` on a sketch dataset, with 1 and 2 processes.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_checks.py [--dataset DIR] [--per-subtask 2]

Without ``--dataset`` it draws ``--per-subtask`` items of each of the 51 subtasks at 512x512
(the demo's data) into a temporary folder first. Each worker count checks every item from
scratch (``redo=True``); then a rerun with nothing changed shows the cost of resuming. Also
prints the machine's load average, since a busy shared machine slows every number.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from ogi_toolkit.quality import check


def make_dataset(root: Path, per_subtask: int) -> Path:
    from ogi_toolkit.definition.taxonomy import load_taxonomy
    from ogi_toolkit.generate import run_plan
    from ogi_toolkit.planning import plan

    specs = plan(counts={s.id: per_subtask for s in load_taxonomy().subtasks}, seed=0)
    run_plan(specs, root, size="512x512")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, help="an existing dataset folder (default: draw one)")
    parser.add_argument("--per-subtask", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-checks-") as tmp:
        root = args.dataset or make_dataset(Path(tmp) / "data", args.per_subtask)
        print(f"dataset {root}; load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"{'workers':>7} {'items':>6} {'checks':>7} {'seconds':>8} {'items/s':>8} {'checks/s':>9}")
        for workers in args.workers:
            start = time.perf_counter()
            run = check(root, workers=workers, redo=True)
            seconds = time.perf_counter() - start
            n_checks = sum(len(line["checks"]) for line in run.lines)
            print(f"{workers:>7} {run.items:>6} {n_checks:>7} {seconds:>8.1f} {run.items / seconds:>8.1f} "
                  f"{n_checks / seconds:>9.0f}")
        start = time.perf_counter()
        rerun = check(root, workers=2)
        print(f"rerun with nothing changed: {rerun.checked} items checked in {time.perf_counter() - start:.2f} s; "
              f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
