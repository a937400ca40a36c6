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
from typing import Any, Iterable

from ..atomic_io import atomic_write_bytes
from ..folder import (CALLS_NAME, CHECKS_NAME, DROPPED_NAME, JUDGMENTS_NAME, MANIFEST_NAME, iter_jsonl, jsonl_bytes,
                      read_checks, read_judgments, read_manifest)
from ..folder.id_list import read_id_list
from ..folder.output import prepare_output, staged_output
from .checks.items import safe_path
from .checks.registry import checks as registered_checks
from .checks.registry import groups as check_groups
from .checks.result import group_of

__all__ = ["FilterReport", "QualityFilter", "filter_dataset"]


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


@dataclass(frozen=True)
class QualityFilter:
    """Which quality results an item must have to be kept: the one rule of ``ogi filter`` and of
    ``ogi subset --passed-checks/--passed-judge/--min-score``.

    ``checks``: no check failed (of the ``require`` groups, when given; checks that could not
    run never drop an item); ``judge``: the judge passed it (rubric score and checklist);
    ``min_score``: the judge scored it at least this. Only items *known* to pass are kept: one
    with no line (not yet checked or judged) or with a judge error is left out, and says so.
    """

    checks: bool = False
    judge: bool = False
    min_score: float | None = None
    require: tuple[str, ...] | None = None  # check groups (default: every check)
    ids: frozenset[str] | None = None  # it is on this id list (`--ids FILE`, e.g. a lasso selection)

    @property
    def active(self) -> bool:
        return self.checks or self.judge or self.min_score is not None or self.ids is not None

    def describe(self) -> dict[str, Any]:
        """The filter as JSON for a subset's view file (an id list by its length)."""
        return {"checks": self.checks, "judge": self.judge, "min_score": self.min_score,
                "ids": None if self.ids is None else f"{len(self.ids)} listed ids"}

    def reason(self, check: dict | None, judgment: dict | None, item_id: str | None = None) -> tuple[str, str] | None:
        """Why an item with these results is left out, as (reason, detail), or None to keep it.
        The reason is short, to count items by; the detail names the checks, score or error."""
        if self.ids is not None and item_id not in self.ids:
            return "not in the id list", ""
        if self.checks:
            if check is None:
                return "not checked", "run `ogi check` again"
            if check.get("passed") is None and not check.get("checks"):  # the item could not be checked
                return "not checked", str(check.get("reason") or "")
            failed = [c["name"] for c in check.get("checks") or [] if c.get("passed") is False
                      and group_of(c["name"]) not in _reports()
                      and (self.require is None or group_of(c["name"]) in self.require)]
            if failed or (self.require is None and check.get("passed") is False):
                return "failed checks", ", ".join(dict.fromkeys(failed))
        if self.judge or self.min_score is not None:
            if judgment is None:
                return "not judged", ""
            error = judgment.get("error")
            if error is not None or not isinstance(judgment.get("score"), (int, float)):
                detail = f"{error.get('kind')}: {error.get('message')}" if isinstance(error, dict) else str(error or "")
                return "judge error", detail
            if self.judge and judgment.get("passed") is not True:
                return "failed the judge", f"score {judgment['score']}, checklist yes {judgment.get('checklist_yes')}"
            if self.min_score is not None and judgment["score"] < self.min_score:
                return f"judge score below {self.min_score}", str(judgment["score"])
        return None

    def verdicts(self, dataset: Path, ids: list[str]) -> dict[str, str]:
        """Why each left-out item of ``dataset`` is left out: ``{id: reason}`` (kept items are absent)."""
        checks = _required(dataset, CHECKS_NAME, ids) if self.checks else {}
        judgments = _required(dataset, JUDGMENTS_NAME, ids) if self.judge or self.min_score is not None else {}
        out = {}
        for rid in ids:
            why = self.reason(checks.get(rid), judgments.get(rid), rid)
            if why is not None:  # failed checks name the first three, the rest count by reason
                named = ", ".join(why[1].split(", ")[:3]) if why[0] == "failed checks" and why[1] else ""
                out[rid] = f"{why[0]} ({named})" if named else why[0]
        return out


def _reports() -> set[str]:
    """The check groups registered as reports (``counts=False``): they never drop an item."""
    return {c.group for c in registered_checks() if not c.counts}


_READERS = {CHECKS_NAME: (read_checks, "check"), JUDGMENTS_NAME: (read_judgments, "judge")}


def _required(dataset: Path, name: str, ids: list[str]) -> dict[str, dict]:
    """The results of ``dataset``'s file ``name`` by id (raises when it is missing)."""
    reader, command = _READERS[name]
    if not (dataset / name).is_file():
        raise FileNotFoundError(f"{dataset / name}: not found; run `ogi {command}` on the dataset first, "
                                "or leave out the filter that needs it")
    return reader(dataset, known_ids=set(ids))


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
    rule = QualityFilter(checks=need_checks, min_score=min_score, require=groups,
                         ids=frozenset(wanted) if wanted is not None else None)
    kept, dropped = [], []
    for record in records:
        if record.get("status") != "done":
            dropped.append((record["id"], f"status {record.get('status')}"))
            continue
        why = rule.reason(checks.get(record["id"]), judgments.get(record["id"]), record["id"])
        if why:
            dropped.append((record["id"], f"{why[0]}: {why[1]}" if why[1] else why[0]))
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
