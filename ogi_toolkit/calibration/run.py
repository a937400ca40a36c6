"""``calibrate(strong, weak, ...)``: find the (subtask, grade) cells the strong configuration
solves and the weak one does not.

Steps, all through the existing machinery, so a second run resumes and pays for nothing:
plan ``per_cell`` items per cell (``OUT/plan.jsonl``); generate them with each configuration
(``OUT/strong``, ``OUT/weak``: ordinary dataset folders, by the runner); run the offline
checks on both (``checks.jsonl``) and, when ``judge_model`` is given, the judge
(``judgments.jsonl``); then per cell the pass rates with Wilson intervals and the sweet-spot
share (:mod:`.cells`), written as ``OUT/calibration.json``, ``OUT/cells.csv`` and
``OUT/heatmap.png``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..atomic_io import atomic_write_bytes
from ..calls import make_backend
from ..config import load_models_config
from ..definition.taxonomy import load_taxonomy
from ..generate.runner import run_plan
from ..planning import plan, write_specs
from ..spec import InstructionSpec
from .cells import cell_table, verdicts
from .heatmap import plot_heatmap
from .sides import Side, parse_side

__all__ = ["CALIBRATION_NAME", "CalibrationResult", "calibrate", "calibration_plan"]

CALIBRATION_NAME = "calibration.json"
CALIBRATION_VERSION = 1


@dataclass
class CalibrationResult:
    path: Path  # calibration.json
    heatmap: Path
    table: Path  # cells.csv
    cells: list[dict[str, Any]]
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)  # per side: generation (and judge) counts

    def frame(self):
        """The cells as a DataFrame (one row per subtask and grade); each interval as two
        columns (``strong_lo``, ``strong_hi``, ...)."""
        import pandas as pd

        rows = []
        for cell in self.cells:
            row = {}
            for key, value in cell.items():
                if key.endswith("_ci"):
                    name = key.removesuffix("_ci").removesuffix("_pass")
                    row[f"{name}_lo"], row[f"{name}_hi"] = value
                else:
                    row[key] = value
            rows.append(row)
        return pd.DataFrame(rows)

    def sweet_spot_cells(self) -> list[tuple[str, int]]:
        return [(c["subtask"], c["difficulty"]) for c in self.cells if c["in_sweet_spot"]]


def calibration_plan(per_cell: int, seed: int = 0, subtasks: Iterable[str] | None = None,
                     taxonomy=None) -> list[InstructionSpec]:
    """``per_cell`` distinct specs for every grade of every subtask (default: all subtasks)."""
    if not isinstance(per_cell, int) or isinstance(per_cell, bool) or per_cell < 1:
        raise ValueError(f"per_cell: expected an integer >= 1, got {per_cell!r}")
    taxonomy = taxonomy or load_taxonomy()
    chosen = [taxonomy.subtask(s) for s in subtasks] if subtasks is not None else list(taxonomy.subtasks)
    grades = sorted({g for sub in chosen for g in sub.grades})
    # an even mix over every grade: each subtask's quota (per_cell x its grades) splits evenly
    return plan(counts={sub.id: per_cell * len(sub.grades) for sub in chosen}, seed=seed,
                difficulty_mix={g: 1 / len(grades) for g in grades}, taxonomy=taxonomy)


def _side(side: Side | str, base_url: str | None, what: str) -> Side:
    return side if isinstance(side, Side) else parse_side(side, base_url, what)


def calibrate(
    strong: Side | str,
    weak: Side | str,
    *,
    out: str | Path,
    per_cell: int = 20,
    seed: int = 0,
    subtasks: Iterable[str] | None = None,
    strong_base_url: str | None = None,
    weak_base_url: str | None = None,
    judge_model: str | None = None,
    judge_base_url: str | None = None,
    size: str | None = None,
    concurrency: int = 8,
    max_cost: float | None = None,
    threshold: float = 0.5,
    check_workers: int = 2,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> CalibrationResult:
    """Calibrate ``strong`` against ``weak`` into the folder ``out`` (see the module docstring).

    ``strong``/``weak``: ``"sketch"``, ``"sketch-ablated"`` (the offline baseline with known
    gaps) or ``"openai:MODEL"`` (with ``strong_base_url``/``weak_base_url`` for an
    OpenAI-compatible server); ``judge_model``: also judge both sides with this vision model
    (through ``judge_base_url``, default OpenAI); ``max_cost``: US dollars per side and step;
    ``threshold``: the sweet-spot share from which a cell counts as in the sweet spot.
    """
    from ..quality import check  # the offline checks (`ogi check`)

    if not 0 < threshold <= 1:
        raise ValueError(f"threshold: expected a share in (0, 1], got {threshold!r}")
    say = log or (lambda message: None)
    sides = {"strong": _side(strong, strong_base_url, "--strong"), "weak": _side(weak, weak_base_url, "--weak")}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    specs = calibration_plan(per_cell, seed, subtasks)
    write_specs(out / "plan.jsonl", specs)
    config = load_models_config()
    records, runs, found = {}, {}, {}
    for name, side in sides.items():
        folder = out / name
        records[name] = side.record(make_backend(side.backend, side.options, config).identity())
        summary = run_plan(specs, folder, backend=side.backend, backend_options=side.options, size=size,
                           concurrency=concurrency, max_cost=max_cost, progress=progress)
        say(f"{name} ({side.label}): {summary}")
        runs[name] = {"generated": summary.done, "errors": summary.errors, "requests_sent": summary.requests_sent,
                      "spent_usd": summary.spent_usd}
        checked = check(folder, workers=check_workers, progress=progress)
        say(f"{name}: {checked.passed} of {checked.items} items passed the checks")
        if judge_model:
            from ..quality.judge import judge

            judged = judge(folder, backend="openai", judge_model=judge_model, concurrency=concurrency,
                           backend_options={"base_url": judge_base_url} if judge_base_url else None,
                           max_cost=max_cost, progress=progress)
            say(f"{name}: judge {judged}")
            runs[name]["judge_requests_sent"] = judged.requests_sent
            runs[name]["judge_spent_usd"] = judged.spent_usd
        found[name] = verdicts(folder, judged=bool(judge_model))
    cells = cell_table(specs, found["strong"], found["weak"], threshold)
    document = {
        "version": CALIBRATION_VERSION, "strong": records["strong"], "weak": records["weak"],
        "per_cell": per_cell, "seed": seed, "size": size or config.defaults.size, "threshold": threshold,
        "pass": "checks passed" + (f" and judge {judge_model} passed" if judge_model else ""),
        "judge": judge_model, "cells": cells, "runs": runs,
    }
    path = out / CALIBRATION_NAME
    atomic_write_bytes(path, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    result = CalibrationResult(path, out / "heatmap.png", out / "cells.csv", cells, runs)
    atomic_write_bytes(result.table, result.frame().to_csv(index=False).encode("utf-8"))
    plot_heatmap(cells, result.heatmap, title=f"sweet spot: {sides['strong'].label} passes, {sides['weak'].label} fails"
                 " (outlined: in the sweet spot)")
    say(f"{len(result.sweet_spot_cells())} of {len(cells)} cells in the sweet spot -> {path}")
    return result
