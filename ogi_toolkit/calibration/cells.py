"""Per (subtask, grade) cell: how often each configuration passes, and the sweet-spot share.

An item *passes* on one side when its offline checks passed (``checks.jsonl``) and, when the
side was judged, its judgment passed too (``judgments.jsonl``). Items are paired by id (both
sides drew the same plan); a pair counts in its cell only when both sides have a verdict (an
item that failed to generate, or whose judgment is an error, has none). The sweet-spot share
is the share of pairs the strong side passes and the weak side fails.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..folder import read_checks, read_judgments
from ..spec import InstructionSpec
from .stats import wilson

__all__ = ["cell_table", "verdicts"]


def verdicts(folder: str | Path, judged: bool) -> dict[str, bool]:
    """Item id -> passed, for the items of ``folder`` that have a verdict."""
    checks = {item_id: line["passed"] for item_id, line in read_checks(folder).items()}
    if not judged:
        return checks
    judgments = read_judgments(folder)
    out = {}
    for item_id, passed in checks.items():
        j = judgments.get(item_id)
        if j is not None and not j.get("error") and j.get("passed") is not None:
            out[item_id] = passed and bool(j["passed"])
    return out


def _rate(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"rate": k / n if n else None, "ci": [round(lo, 4), round(hi, 4)]}


def cell_table(specs: Iterable[InstructionSpec], strong: dict[str, bool], weak: dict[str, bool],
               threshold: float = 0.5) -> list[dict[str, Any]]:
    """One cell per (subtask, grade) of ``specs``, in plan order. ``in_sweet_spot``: the cell's
    sweet-spot share is at least ``threshold``."""
    cells: dict[tuple[str, int], dict[str, Any]] = {}
    for spec in specs:
        cell = cells.setdefault((spec.subtask, spec.difficulty), {"planned": 0, "pairs": []})
        cell["planned"] += 1
        if spec.id in strong and spec.id in weak:
            cell["pairs"].append((strong[spec.id], weak[spec.id]))
    out = []
    for (subtask, grade), cell in cells.items():
        pairs = cell["pairs"]
        n = len(pairs)
        s, w = _rate(sum(a for a, _ in pairs), n), _rate(sum(b for _, b in pairs), n)
        sweet = _rate(sum(a and not b for a, b in pairs), n)
        out.append({"subtask": subtask, "difficulty": grade, "planned": cell["planned"], "n": n,
                    "strong_pass": s["rate"], "strong_ci": s["ci"], "weak_pass": w["rate"], "weak_ci": w["ci"],
                    "sweet_spot": sweet["rate"], "sweet_spot_ci": sweet["ci"],
                    "in_sweet_spot": bool(n) and sweet["rate"] >= threshold})
    return out
