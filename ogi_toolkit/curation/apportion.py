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

__all__ = ["integer_weights", "nested_counts"]


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
