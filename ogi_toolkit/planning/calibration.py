"""The planner's calibration input: move each subtask's difficulty mix toward its sweet spot.

A calibration file (``calibration.json``, written by ``ogi calibrate``) holds, per (subtask,
difficulty grade) cell, the share of items the strong configuration passes and the weak one
fails: the *sweet spot* share. Planning with it (``plan(..., calibration=path)``):

* each calibrated subtask's mix becomes ``(1 - strength) * mix + strength * target``, where
  ``target`` is its cells' sweet-spot shares normalised over its grades (a subtask with no
  sweet spot anywhere keeps its mix);
* with ``quotas=True``, the calibrated subtasks' quotas are moved the same way toward their
  weight times their mean sweet-spot share, among themselves: their sum, the other subtasks'
  quotas and so the user's total stay as they were;
* every spec of a shaped subtask records it in ``spec.calibration`` (file, its sha256, the
  two configurations, strength, the mix before and after, the quota before and after).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import orjson

from ..definition.taxonomy import Taxonomy
from ..templates.sampler import Draw, split

__all__ = ["VERDICT_SOURCES", "Calibration", "Shaping", "load_calibration", "shape"]

# what a calibration's verdicts may come from (calibration.json's "verdict_sources")
VERDICT_SOURCES = ("pixel_checks", "judge")

_RATES = ("strong_pass", "weak_pass", "sweet_spot")


@dataclass(frozen=True)
class Calibration:
    path: str
    sha256: str
    strong: Any
    weak: Any
    sweet: dict[str, dict[int, float]]  # subtask -> grade -> sweet-spot share

    def label(self, side: Any) -> str:
        return side.get("label", json.dumps(side, sort_keys=True)) if isinstance(side, dict) else str(side)


def _fail(path: Path, where: str, what: str) -> ValueError:
    return ValueError(f"{path}: {where}: {what}")


def load_calibration(path: str | Path, taxonomy: Taxonomy) -> Calibration:
    """Read and check a calibration file; errors name the file, the key and what was expected."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the calibration file ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _fail(path, "top level", "expected an object with 'strong', 'weak' and 'cells'")
    for key in ("strong", "weak", "cells"):
        if key not in data:
            raise _fail(path, key, "missing; expected the keys 'strong', 'weak' and 'cells' (written by ogi calibrate)")
    if not isinstance(data["cells"], list):
        raise _fail(path, "cells", "expected a list of {subtask, difficulty, n, strong_pass, weak_pass, sweet_spot}")
    sweet: dict[str, dict[int, float]] = {}
    for i, cell in enumerate(data["cells"]):
        where = f"cells[{i}]"
        if not isinstance(cell, dict):
            raise _fail(path, where, "expected an object")
        sid, grade = cell.get("subtask"), cell.get("difficulty")
        try:
            sub = taxonomy.subtask(sid)
        except (KeyError, TypeError):
            raise _fail(path, f"{where}.subtask", f"{sid!r} is not a subtask of the taxonomy") from None
        if not isinstance(grade, int) or isinstance(grade, bool) or grade not in sub.grades:
            raise _fail(path, f"{where}.difficulty", f"{grade!r} is not a grade of {sid} (grades {list(sub.grades)})")
        n = cell.get("n")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise _fail(path, f"{where}.n", f"expected an integer >= 0, got {n!r}")
        for key in _RATES:
            value = cell.get(key)
            if value is None and n == 0:
                continue  # an empty cell has no rates
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise _fail(path, f"{where}.{key}", f"expected a rate between 0 and 1, got {value!r}")
        if grade in sweet.get(sid, {}):
            raise _fail(path, where, f"a second cell for {sid} grade {grade}")
        if n > 0:
            sweet.setdefault(sid, {})[grade] = float(cell["sweet_spot"])
    sources = data.get("verdict_sources")
    if not isinstance(sources, list) or not set(sources) & set(VERDICT_SOURCES):
        raise _fail(path, "verdict_sources", f"{sources!r}: its verdicts came from no pixel check or judge (a "
                    "calibration made before checks read the pixels compared the spec with the renderer's own "
                    "record, which says nothing about difficulty); run `ogi calibrate` again")
    return Calibration(str(path), hashlib.sha256(raw).hexdigest(), data["strong"], data["weak"], sweet)


@dataclass(frozen=True)
class Shaping:
    """What a calibration does to one plan: quotas per subtask, and per shaped subtask its mix
    and the record its specs carry."""

    quotas: dict[str, int]
    mixes: dict[str, dict[int, float]]
    records: dict[str, dict[str, Any]]

    def stamp(self, d: Draw) -> Draw:
        """``d`` with every spec carrying its subtask's calibration record (if it was shaped)."""
        record = self.records.get(d.subtask)
        if record is None:
            return d
        lines = bytearray()
        for line in d.lines.splitlines():
            lines += orjson.dumps({**orjson.loads(line), "calibration": record}, option=orjson.OPT_APPEND_NEWLINE)
        d.lines = lines
        return d


def _blend(base: Mapping[Any, float], target: Mapping[Any, float], strength: float) -> dict[Any, float]:
    return {k: (1 - strength) * base.get(k, 0.0) + strength * target.get(k, 0.0) for k in base}


def _normalised(weights: Mapping[Any, float]) -> dict[Any, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}


def shape(calibration: Calibration, taxonomy: Taxonomy, quotas: dict[str, int],
          mix: Mapping[int, float] | None = None, *, strength: float = 1.0, move_quotas: bool = False) -> Shaping:
    """The plan's quotas and mixes moved toward the calibration's sweet spots (module docstring).

    ``mix``: the plan-wide difficulty mix the user gave (default: each subtask's own);
    ``strength``: 0 changes nothing, 1 moves all the way to the sweet-spot shares."""
    if not isinstance(strength, (int, float)) or not 0 <= strength <= 1:
        raise ValueError(f"calibration strength: expected a number between 0 and 1, got {strength!r}")
    calibrated = [sid for sid in quotas if sid in calibration.sweet]
    new_quotas = dict(quotas)
    if move_quotas and calibrated:
        pool = sum(quotas[sid] for sid in calibrated)
        base = _normalised({sid: quotas[sid] or 0.0 for sid in calibrated}) if pool else {}
        means = {sid: sum(calibration.sweet[sid].values()) / len(calibration.sweet[sid]) for sid in calibrated}
        weighted = {sid: base.get(sid, 0.0) * means[sid] for sid in calibrated}
        if pool and sum(weighted.values()) > 0:
            new_quotas.update(split(pool, _blend(base, _normalised(weighted), strength)))
    mixes, records = {}, {}
    for sid in calibrated:
        sub = taxonomy.subtask(sid)
        base_mix = {g: float(mix.get(g, 0.0)) for g in sub.grades} if mix is not None else sub.mix()
        if not any(base_mix.values()):
            raise ValueError(f"difficulty mix {dict(mix)} gives no share to any grade of subtask {sid!r} "
                             f"(grades {list(sub.grades)})")
        base_mix = _normalised(base_mix)
        sweet = {g: calibration.sweet[sid].get(g, 0.0) for g in base_mix}
        new_mix = _blend(base_mix, _normalised(sweet), strength) if sum(sweet.values()) > 0 else dict(base_mix)
        mixes[sid] = new_mix
        records[sid] = {
            "file": Path(calibration.path).name, "sha256": calibration.sha256,
            "strong": calibration.label(calibration.strong), "weak": calibration.label(calibration.weak),
            "strength": strength, "sweet_spot": {str(g): sweet[g] for g in sweet},
            "mix_before": {str(g): round(v, 6) for g, v in base_mix.items()},
            "mix": {str(g): round(v, 6) for g, v in new_mix.items()},
            "quota_before": quotas[sid], "quota": new_quotas[sid]}
    return Shaping(new_quotas, mixes, records)
