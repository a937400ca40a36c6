"""Whole-item counts per stratum for several sizes at once, nested and within one of the target.

Rounding shares to whole items for one size is easy (largest remainders); doing it for growing
sizes so that no stratum ever *loses* an item as the size grows (the Alabama paradox of
largest remainders) while every count stays within one item of its exact share is what the
Balinski-Young quota method does: seats are handed out one at a time, each to the stratum with
the highest ``weight / (count + 1)`` among those still below their exact share at the new size.
It satisfies quota (``floor(q) <= n <= ceil(q)``) at every size and is house-monotone, which
is what makes the subsets nest.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["integer_weights", "nested_counts", "nested_counts_by_group"]


def integer_weights(weights: Sequence[float]) -> np.ndarray:
    """Weights as integers with the same ratios (exactly, for counts; to 1e-9, for shares), so
    the quota comparisons below are exact."""
    w = np.asarray(weights, dtype=float)
    if len(w) == 0 or (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
        raise ValueError(f"weights must be finite, >= 0 and not all zero; got {list(w)[:10]}")
    if np.all(w == np.round(w)) and w.sum() < 2**40:
        return w.astype(np.int64)
    return np.round(w / w.sum() * 1e9).astype(np.int64)


def nested_counts(weights: Sequence[float], sizes: Sequence[int]) -> dict[int, np.ndarray]:
    """For each size, the count per stratum: they sum to the size, each within one of
    ``size * w / sum(w)``, and each size's counts are >= those of every smaller size."""
    if any(int(s) != s or s < 0 for s in sizes):
        raise ValueError(f"sizes must be whole numbers >= 0; got {list(sizes)}")
    w = integer_weights(weights)
    total = int(w.sum())
    wanted = sorted({int(s) for s in sizes})
    counts = np.zeros(len(w), dtype=np.int64)
    out: dict[int, np.ndarray] = {}
    h = 0
    for size in wanted:
        while h < size:
            h += 1
            eligible = counts * total < w * h  # still below its exact share at size h
            priority = np.where(eligible, w / (counts + 1), -1.0)
            counts[int(np.argmax(priority))] += 1
        out[size] = counts.copy()
    return out


def nested_counts_by_group(weights: Sequence[float], groups: Sequence, sizes: Sequence[int]) -> dict[int, np.ndarray]:
    """:func:`nested_counts` in two levels: first among the groups (each group's weight the sum
    of its strata's), then among each group's strata for the group's count. Every group is then
    within one item of its share at every size (a flat apportionment only bounds each stratum,
    so a group of several strata could drift by several items), each stratum within one of its
    share of its group's count, and the counts still nest as the size grows."""
    weights = np.asarray(weights, dtype=float)
    names = list(dict.fromkeys(groups))
    members = {g: [i for i, group in enumerate(groups) if group == g] for g in names}
    group_weights = [weights[members[g]].sum() for g in names]
    live = [g for g, w in zip(names, group_weights) if w > 0]
    top = nested_counts([w for w in group_weights if w > 0], sizes)
    out = {int(size): np.zeros(len(weights), dtype=np.int64) for size in sizes}
    for pos, g in enumerate(live):
        rows = members[g]
        own = {int(size): int(top[int(size)][pos]) for size in sizes}
        inner = nested_counts(weights[rows], list(own.values()))
        for size, n in own.items():
            out[size][rows] = inner[n]
    return out
