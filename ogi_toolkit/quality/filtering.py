"""``filter_dataset(path, out, ...)``: a new dataset folder with only the items that pass.

What passes: with ``require`` (check groups: the registered checks, :mod:`.checks.registry`), no check
of those groups failed; with ``min_score``, the judge (``judgments.jsonl``) scored the item at
least that; with neither, no check failed at all. Checks that could not run never drop an
item. ``out`` gets ``manifest.jsonl`` (the kept items' records, image paths unchanged), their
images (hard-linked where the filesystem allows, else copied), their lines of ``calls.jsonl``,
``checks.jsonl`` and ``judgments.jsonl``, and ``dropped.csv`` (``id``, ``reason``) listing every
item left out.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..atomic_io import atomic_write_bytes
from ..folder import (CALLS_NAME, CHECKS_NAME, DROPPED_NAME, JUDGMENTS_NAME, MANIFEST_NAME, iter_jsonl, jsonl_bytes,
                      read_checks, read_judgments, read_manifest)
from ..folder.id_list import read_id_list
from ..folder.output import prepare_output, staged_output
from .checks.items import safe_path
from .checks.registry import groups as check_groups
from .checks.result import group_of

__all__ = ["FilterReport", "filter_dataset"]


@dataclass
class FilterReport:
    out: Path
    kept: int
    dropped: list[tuple[str, str]]  # (id, reason)
    linked: bool  # images were hard-linked (False: copied)

    def summary(self) -> str:
        how = "hard-linked" if self.linked else "copied"
        return f"kept {self.kept} items, dropped {len(self.dropped)} (see {self.out / DROPPED_NAME}); images {how}"


def _groups(require: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if require is None:
        return None
    names = [g.strip() for g in (require.split(",") if isinstance(require, str) else require) if g.strip()]
    known = check_groups()
    unknown = [g for g in names if g not in known]
    if unknown or not names:
        raise ValueError(f"require: {', '.join(unknown) or 'nothing'}: expected check groups from {', '.join(known)}")
    return tuple(names)


def _reason(record: dict, checks: dict | None, judgment: dict | None, groups: tuple[str, ...] | None,
            min_score: float | None, need_checks: bool) -> str | None:
    if record.get("status") != "done":
        return f"status {record.get('status')}"
    if need_checks:
        if checks is None:
            return "not checked (run `ogi check` again)"
        failed = [c["name"] for c in checks["checks"] if c.get("passed") is False and (groups is None or group_of(c["name"]) in groups)]
        if failed:
            return "failed " + ", ".join(dict.fromkeys(failed))
    if min_score is not None:
        if judgment is None:
            return "not judged"
        error = judgment.get("error")
        if error:  # the judge writes {kind, message}
            return "judge error: " + (f"{error.get('kind')}: {error.get('message')}" if isinstance(error, dict) else str(error))
        score = judgment.get("score")
        if not isinstance(score, (int, float)) or score < min_score:
            return f"judge score {score} < {min_score}"
    return None


def _place(src: Path, dst: Path) -> bool:
    """Hard-link ``src`` at ``dst`` (True), or copy it where links are not allowed (False)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        return True
    try:
        os.link(src, dst)
        return True
    except OSError:
        shutil.copyfile(src, dst)
        return False


def filter_dataset(path: str | Path, out: str | Path, *, min_score: float | None = None,
                   require: str | Iterable[str] | None = None, overwrite: bool = False,
                   ids: str | Path | None = None) -> FilterReport:
    """Write the items of dataset ``path`` that pass into the new dataset folder ``out`` (see the module docstring).
    ``ids``: an id list file (one id a line): only the items it names can pass; with it and no
    ``checks.jsonl`` (and no ``require``) the checks are not asked for."""
    root, out = Path(path), Path(out)
    groups = _groups(require)
    if min_score is not None and not 0 <= min_score <= 1:
        raise ValueError(f"min_score: expected a number from 0 to 1, got {min_score!r}")
    records = read_manifest(root)
    wanted = read_id_list(ids, known={r["id"] for r in records}) if ids is not None else None
    checks_path, judgments_path = root / CHECKS_NAME, root / JUDGMENTS_NAME
    # checks apply as without --ids, except that an id list alone needs no check results
    need_checks = groups is not None or (min_score is None and (wanted is None or checks_path.is_file()))
    if need_checks and not checks_path.is_file():
        raise FileNotFoundError(f"{checks_path}: no check results; run `ogi check {root}` first")
    if min_score is not None and not judgments_path.is_file():
        raise FileNotFoundError(f"{judgments_path}: no judgments for --min-score; run `ogi judge {root}` first, "
                                "or filter on checks with --require")
    prepare_output(out, inputs=[root], command="ogi filter", overwrite=overwrite)  # before any work
    ids = {record["id"] for record in records}
    checks, judgments = read_checks(root, known_ids=ids), read_judgments(root, known_ids=ids)
    kept, dropped = [], []
    for record in records:
        why = "not in the id list" if wanted is not None and record["id"] not in wanted else \
            _reason(record, checks.get(record["id"]), judgments.get(record["id"]), groups, min_score, need_checks)
        if why:
            dropped.append((record["id"], why))
        else:
            kept.append(record)
    with staged_output(out, command="ogi filter", inputs=[root], overwrite=overwrite) as stage:
        linked = True
        for record in kept:
            for rel in {*(record.get("input_images") or []), *(record.get("turn_images") or []), record["output_image"]}:
                linked &= _place(safe_path(root, rel), safe_path(stage, rel))
        ids = {r["id"] for r in kept}
        keys = {k for r in kept for k in (r.get("request_keys") or {}).values()}
        atomic_write_bytes(stage / CALLS_NAME, jsonl_bytes(c for c in iter_jsonl(root / CALLS_NAME) if c.get("key") in keys))
        atomic_write_bytes(stage / CHECKS_NAME, jsonl_bytes(checks[i] for i in ids if i in checks))
        if judgments:
            atomic_write_bytes(stage / JUDGMENTS_NAME, jsonl_bytes(judgments[i] for i in ids if i in judgments))
        table = io.StringIO()
        writer = csv.writer(table)
        writer.writerow(["id", "reason"])
        writer.writerows(dropped)
        atomic_write_bytes(stage / DROPPED_NAME, table.getvalue().encode("utf-8"))
        atomic_write_bytes(stage / MANIFEST_NAME, jsonl_bytes(kept))  # last: a folder with a manifest is complete
    return FilterReport(out, len(kept), dropped, linked)
