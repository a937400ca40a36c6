"""How many instructions each subtask (and each difficulty grade) gets in a plan."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Iterable, Mapping

from ..definition.taxonomy import MIX_TOLERANCE, Subtask, Taxonomy
from ..definition.yaml_files import load_yaml_file
from ..templates.sampler import split

__all__ = ["subtask_quotas", "grade_quotas", "parse_difficulty_mix", "check_mix", "read_counts"]


def subtask_quotas(
    taxonomy: Taxonomy,
    total: int | None = None,
    counts: Mapping[str, int] | None = None,
    subtasks: Iterable[str] | None = None,
) -> dict[str, int]:
    """Quota per subtask, in taxonomy order.

    ``counts`` gives them outright (``total``, if given too, must equal their sum). Otherwise
    ``total`` (default: the sum of the targets) is split over ``subtasks`` (default: all) in
    proportion to their targets, with largest-remainder rounding so the quotas sum to ``total``.
    """
    if counts is not None:
        if subtasks is not None:
            raise ValueError("give either counts (which name their subtasks) or subtasks, not both")
        for sid, n in counts.items():
            taxonomy.subtask(sid)  # KeyError with close matches
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ValueError(f"count of subtask {sid!r}: expected an integer >= 0, got {n!r}")
        if total is not None and total != sum(counts.values()):
            raise ValueError(f"total {total} differs from the sum of the per-subtask counts ({sum(counts.values())})")
        if not any(counts.values()):
            raise ValueError("counts: every count is 0; expected at least one subtask with a count >= 1")
        return {s.id: counts[s.id] for s in taxonomy.subtasks if s.id in counts}
    chosen = [taxonomy.subtask(sid) for sid in subtasks] if subtasks is not None else list(taxonomy.subtasks)
    if not chosen:
        raise ValueError("no subtasks to plan: the subset is empty")
    wanted = {s.id for s in chosen}
    chosen = [s for s in taxonomy.subtasks if s.id in wanted]  # taxonomy order, no repeats
    if total is None:
        total = sum(s.target for s in chosen)
    if not isinstance(total, int) or isinstance(total, bool) or total < 1:
        raise ValueError(f"total: expected an integer >= 1 (a plan of nothing is a mistake), got {total!r}")
    weights = {s.id: float(s.target) for s in chosen}
    if not any(weights.values()):  # all targets zero: equal shares
        weights = {k: 1.0 for k in weights}
    return split(total, weights)


def grade_quotas(sub: Subtask, n: int, mix: Mapping[int, float] | None = None) -> dict[int, int]:
    """``n`` split over the subtask's grades by ``mix`` (default: the subtask's own mix).

    A plan-wide mix may name grades a subtask lacks: they are dropped and the rest renormalised.
    """
    if mix is None:
        shares = sub.mix()
    else:
        shares = {g: float(mix.get(g, 0.0)) for g in sub.grades}
        if not any(shares.values()):
            raise ValueError(f"difficulty mix {dict(mix)} gives no share to any grade of subtask {sub.id!r} (grades {list(sub.grades)})")
    return split(n, shares)


def parse_difficulty_mix(text: str) -> dict[int, float]:
    """``"1=.3,2=.4,3=.3"`` -> ``{1: 0.3, 2: 0.4, 3: 0.3}``."""
    mix: dict[int, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        grade, sep, share = part.partition("=")
        try:
            if not sep:
                raise ValueError
            g, v = int(grade), float(share)
        except ValueError:
            raise ValueError(f"difficulty mix {text!r}: expected GRADE=SHARE pairs like 1=.3,2=.4,3=.3, got {part!r}") from None
        if g < 1 or v < 0:
            raise ValueError(f"difficulty mix {text!r}: grades are >= 1 and shares >= 0, got {part!r}")
        mix[g] = v
    if not mix or sum(mix.values()) <= 0:
        raise ValueError(f"difficulty mix {text!r}: expected at least one positive share")
    return check_mix(mix, f"difficulty mix {text!r}")


def check_mix(mix: Mapping[int, float], what: str = "difficulty mix") -> dict[int, float]:
    """``mix`` as a dict, if its shares are >= 0 and sum to 1; else a ValueError naming ``what``."""
    mix = dict(mix)
    if any(not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0 for v in mix.values()):
        raise ValueError(f"{what}: expected shares >= 0, got {mix}")
    if not math.isclose(sum(mix.values()), 1.0, abs_tol=MIX_TOLERANCE):
        raise ValueError(f"{what}: shares sum to {sum(mix.values()):g}; expected shares that sum to 1, like 1=.3,2=.4,3=.3")
    return mix


def read_counts(path: str | Path) -> dict[str, int]:
    """A YAML (or JSON) mapping ``subtask_id: count``; errors name the file and the key."""
    path = Path(path)
    data = load_yaml_file(path)
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: expected a mapping of subtask id -> count, e.g. 'remove: 200'")
    for key, value in data.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{path}: key {key!r}: expected an integer count >= 0, got {value!r}")
    return {str(k): v for k, v in data.items()}
