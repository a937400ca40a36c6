"""Two plans side by side (say, the templated plan and its ``ogi rewrite`` output).

For each plan: diversity (distinct-n, compression, embedding spread, Vendi, cluster entropy),
near-duplicates (semantic and lexical pairs) and the constraint-keeping share: of the items of
B that A also has (by id), the share whose instruction keeps every exact text string and
object that A's instruction states (the check ``ogi rewrite`` runs; a multi-turn item keeps
them when every turn does). A is checked against itself, so its share is 1 unless an
instruction does not state its own constraints.

``compare_plans(a, b, out)`` writes ``compare.csv`` (metric x plan), ``compare_by_subtask.csv``,
``examples.csv`` (the same items' instructions side by side), ``compare.json`` and
``compare.md``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..atomic_io import atomic_write_text
from ..instruction_constraints import check_rewrite, units
from ..spec import InstructionSpec
from .diversity import diversity_metrics
from .io import load_plan
from .repetition import lexical_near_duplicates, semantic_near_duplicates

__all__ = ["compare_plans", "constraint_keeping", "read_specs"]


def read_specs(path: str | Path) -> list[InstructionSpec]:
    """The specs of a plan file; a bad line is an error naming the file and the line."""
    path = Path(path)
    specs = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    specs.append(InstructionSpec.model_validate_json(line))
                except ValueError as exc:
                    first = str(exc).splitlines()[0]
                    raise ValueError(f"{path}: line {number} is not an InstructionSpec ({first})") from None
    return specs


def _losses(planned: InstructionSpec, written: InstructionSpec) -> list[str]:
    """Constraints of ``planned`` that ``written``'s instruction (or its turns) lost."""
    if planned.turns and len(planned.turns) == len(written.turns):
        return [p for unit, turn in zip(units(planned), written.turns) for p in check_rewrite(unit, turn.instruction)]
    return check_rewrite(planned, written.instruction)


def constraint_keeping(reference: Sequence[InstructionSpec], other: Sequence[InstructionSpec]) -> dict[str, Any]:
    """How many items of ``other`` keep the constraints of the same item (by id) in ``reference``."""
    by_id = {s.id: s for s in reference}
    paired = [(by_id[s.id], s) for s in other if s.id in by_id]
    lost = [(p, w, _losses(p, w)) for p, w in paired]
    failing = [(p, w, problems) for p, w, problems in lost if problems]
    return {"paired": len(paired), "kept_all": len(paired) - len(failing),
            "share": (len(paired) - len(failing)) / len(paired) if paired else float("nan"),
            "examples": [{"id": p.id, "problems": problems, "instruction": w.instruction} for p, w, problems in failing[:5]]}


def _rewrite_statuses(specs: Sequence[InstructionSpec]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for spec in specs:
        status = spec.rewrite.status if spec.rewrite is not None else "not rewritten"
        counts[status] = counts.get(status, 0) + 1
    return counts


def _plan_metrics(frame: pd.DataFrame, X: np.ndarray, near_threshold: float, cache_dir) -> dict[str, float]:
    texts = frame["text"].astype(str).tolist()
    metrics = diversity_metrics(texts, X)
    semantic = semantic_near_duplicates(texts, X, threshold=near_threshold, cache_dir=cache_dir)
    lexical = lexical_near_duplicates(texts)
    metrics["distinct_texts"] = len(set(texts))
    metrics["near_duplicate_pairs"] = len(semantic.pairs)
    metrics["near_duplicate_clusters"] = len(semantic.clusters)
    metrics["lexical_near_duplicate_pairs"] = len(lexical.pairs)
    metrics["mean_words"] = float(np.mean([len(t.split()) for t in texts])) if texts else float("nan")
    return metrics


def compare_plans(a: str | Path, b: str | Path, out: str | Path, *, labels: tuple[str, str] | None = None,
                  model: str | None = None, backend: str = "torch", near_threshold: float = 0.9,
                  cache_dir: str | Path | None = None) -> dict[str, Any]:
    """Compare plan ``a`` with plan ``b`` (see the module docstring); returns what ``compare.json`` holds."""
    from .embed import embed

    a, b, out = Path(a), Path(b), Path(out)
    names = labels or (a.stem, b.stem if b.stem != a.stem else b.stem + " (B)")
    frames = [load_plan(a), load_plan(b)]
    specs = [read_specs(a), read_specs(b)]
    vectors = [embed(f, column="text", model=model, backend=backend, cache_dir=cache_dir) for f in frames]
    arrays = Path(cache_dir) / "arrays" if cache_dir is not None else None
    metrics = {name: _plan_metrics(f, X, near_threshold, arrays) for name, f, X in zip(names, frames, vectors)}
    for name, own in zip(names, specs):
        metrics[name]["constraint_keeping_share"] = constraint_keeping(specs[0], own)["share"]
    keeping = constraint_keeping(specs[0], specs[1])
    table = pd.DataFrame(metrics)
    table[f"{names[1]} - {names[0]}"] = table[names[1]] - table[names[0]]

    by_subtask = []
    for name, frame, X in zip(names, frames, vectors):
        for subtask, idx in frame.groupby("subtask").indices.items():
            texts = frame["text"].astype(str).iloc[idx].tolist()
            by_subtask.append({"plan": name, "subtask": subtask, **diversity_metrics(texts, X[idx])})
    by_subtask = pd.DataFrame(by_subtask)

    texts_b = {s.id: s.instruction for s in specs[1]}
    examples = pd.DataFrame([{"id": s.id, "subtask": s.subtask, names[0]: s.instruction, names[1]: texts_b[s.id]}
                             for s in specs[0] if s.id in texts_b][:100])

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "compare.csv", table.to_csv(index_label="metric"))
    atomic_write_text(out / "compare_by_subtask.csv", by_subtask.to_csv(index=False))
    atomic_write_text(out / "examples.csv", examples.to_csv(index=False))
    changed = sum(texts_b.get(s.id) not in (None, s.instruction) for s in specs[0])
    summary = {"plans": {name: str(path) for name, path in zip(names, (a, b))},
               "metrics": {name: metrics[name] for name in names},
               "constraint_keeping": keeping, "rewrite_status": _rewrite_statuses(specs[1]),
               "items_changed": changed, "near_threshold": near_threshold}
    atomic_write_text(out / "compare.json", json.dumps(summary, indent=2, default=float))
    atomic_write_text(out / "compare.md", _markdown(table, summary, names))
    return summary


def _markdown(table: pd.DataFrame, summary: dict[str, Any], names: tuple[str, str]) -> str:
    keeping = summary["constraint_keeping"]
    lines = [f"# {names[0]} vs {names[1]}", "",
             f"{summary['items_changed']} of {keeping['paired']} shared items have a different instruction; "
             f"{keeping['kept_all']} of them keep every exact text and object of {names[0]} "
             f"(share {keeping['share']:.3f}). Rewrite status in {names[1]}: "
             + ", ".join(f"{k} {v}" for k, v in summary["rewrite_status"].items()) + ".", "",
             "| metric | " + " | ".join(table.columns) + " |", "|---" * (len(table.columns) + 1) + "|"]
    for metric, row in table.iterrows():
        lines.append(f"| {metric} | " + " | ".join(f"{v:.4g}" for v in row) + " |")
    for example in keeping["examples"]:
        lines.append(f"\n- `{example['id']}` lost: {'; '.join(example['problems'])}")
    return "\n".join(lines) + "\n"
