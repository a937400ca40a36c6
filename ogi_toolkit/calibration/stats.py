"""Binomial rates with Wilson score intervals (sound at the small n of a calibration cell)."""
from __future__ import annotations

import math

__all__ = ["wilson"]


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``n`` (95% for z=1.96); (0, 1) when n is 0."""
    if not 0 <= successes <= n:
        raise ValueError(f"wilson: expected 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
