"""The curve of a science plot: which shape a concept draws, and each shape as y = f(x).

A pool concept of kind ``plot`` names its shape (``curve``, one of ``PLOT_CURVES``) and, where
its first two labels are not the axis titles, its ``axes``. A concept outside the pools (a
user's own) gets its shape from keywords in its name, as before; anything else is a sine.
Shapes are schematic (the right form, round numbers), defined on their own x range; a shape
of two curves (two lines, predator and prey) returns two rows.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ...definition.pool_items import ConceptItem
from .vocab import pool_item, pools

__all__ = ["CURVES", "DOMAINS", "axis_titles", "concept_item", "curve_of", "sample_curve"]


def _segments(x: np.ndarray, points: list[tuple[float, float]]) -> np.ndarray:
    """Straight segments through ``points`` (x ascending): rises, plateaus and drops."""
    xs, ys = zip(*points)
    return np.interp(x, xs, ys)


def _stress_strain(x: np.ndarray) -> np.ndarray:
    # mild steel: a straight elastic line to the yield point, a drop onto the yield plateau,
    # strain hardening up to the ultimate tensile strength, then necking down to fracture
    # at the end of the range
    elastic = 125 * x
    yield_ = 232 + 18 * np.exp(-np.clip(x - 2, 0, None) / 0.08)
    hardening = 232 + 168 * np.sin(np.pi / 2 * np.clip((x - 3.2) / 1.6, 0, 1)) ** 0.8
    necking = 400 - 100 * ((x - 4.8) / 3.2) ** 2
    return np.select([x < 2, x < 3.2, x < 4.8], [elastic, yield_, hardening], necking)


def _burst(x: np.ndarray) -> np.ndarray:
    # a seismogram: quiet, small fast P waves, larger S waves, then the largest slow surface waves
    y = np.zeros_like(x)
    for start, amplitude, frequency, decay in ((2.2, 0.15, 3.0, 1.5), (4.6, 0.4, 2.2, 1.2), (6.8, 1.0, 1.0, 1.4)):
        t = np.clip(x - start, 0, None)  # 0 until the wave arrives
        rise = np.clip(t / 0.3, 0, 1)
        y += amplitude * rise * np.exp(-t / decay) * np.sin(2 * np.pi * frequency * t)
    return y


def _sawtooth(x: np.ndarray) -> np.ndarray:
    # ice ages, x in thousands of years ago, y the temperature against today's: a sudden fall
    # (a glacial termination, read backwards in time) into a long cold stretch, then a slow
    # rise to the interglacial 100,000 years before
    phase = np.mod(x, 100)
    return -8 + 10 * np.where(phase < 10, 1 - phase / 10, ((phase - 10) / 90) ** 2)


def _hyperbola(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        y = 1 / x
    return np.where(np.abs(y) > 6, np.nan, y)  # a gap at x = 0 keeps the branches apart


CURVES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: 0.75 * x + 1.5,  # passes through (2, 3), meets the y-axis at 1.5
    "proportional": lambda x: 0.8 * x,  # through the origin
    "scatter": lambda x: 0.8 * x + 1,  # the trend line; the dots are scattered about it
    "crossing_lines": lambda x: np.vstack([0.75 * x + 1.5, -0.5 * x + 4]),  # meet at (2, 3)
    "parabola": lambda x: 0.5 * (x - 1) ** 2 - 4.5,  # roots -2 and 4, vertex (1, -4.5)
    "arch": lambda x: x * (10 - x) / 2.5,  # a projectile's path, ground to ground
    "exp_growth": lambda x: 2.0 ** x,
    "exp_decay": lambda x: 100 * 0.5 ** (x / 2.5),  # half-life 2.5
    "logistic": lambda x: 100 / (1 + np.exp(-1.4 * (x - 3.5))),  # S-curve levelling off at 100
    "cliff": lambda x: 5 + 95 * (1 - x / 25) / (1 + np.exp(3 * (x - 7))),  # slow decline, then collapse
    "log": np.log,
    "inverse": lambda x: 10 / x,  # y = k / x for x > 0
    "hyperbola": _hyperbola,  # y = 1 / x, both branches
    "bell": lambda x: np.exp(-x ** 2 / 2) / np.sqrt(2 * np.pi),
    "sine": np.sin,
    "periodic": lambda x: 50 * (1 + np.cos(2 * np.pi * (x - 5.5) / 11)),  # rise and fall every 11, never below 0
    "offset_cycles": lambda x: np.vstack([60 + 40 * np.cos(2 * np.pi * (x - 3.3) / 5),  # prey, then its predator
                                          25 + 15 * np.cos(2 * np.pi * (x - 4.55) / 5)]),  # a quarter cycle later
    "sawtooth": _sawtooth,
    # Mauna Loa carbon dioxide, x in years: an accelerating rise and a yearly wiggle
    "rising_wiggle": lambda x: 315 + 0.8 * (x - 1960) + 0.0135 * (x - 1960) ** 2 + 3 * np.sin(2 * np.pi * x),
    "dip": lambda x: _segments(x, [(0, 100), (3, 100), (3.5, 97), (6.5, 97), (7, 100), (10, 100)]),  # in per cent
    "burst": _burst,
    "trapezoid": lambda x: _segments(x, [(0, 0), (3, 15), (7, 15), (10, 0)]),  # speed up, steady, slow down
    "ramp": lambda x: _segments(x, [(0, 20), (3.5, 20), (10, 100)]),  # stationary, then steady motion
    "plateaus": lambda x: _segments(x, [(0, -20), (0.8, 0), (2.6, 0), (4.4, 100), (9.4, 100), (10, 115)]),
    "two_levels": lambda x: np.where(x < 4.5, 55 * (1 - np.exp(-x / 0.7)),  # terminal speed, then parachute
                                     6 + (55 * (1 - np.exp(-4.5 / 0.7)) - 6) * np.exp(-(x - 4.5) / 0.4)),
    "stress_strain": _stress_strain,
}
# x range of each shape; (0, 10) when not listed
DOMAINS: dict[str, tuple[float, float]] = {
    "linear": (-5, 5), "crossing_lines": (-5, 5), "parabola": (-5, 5), "hyperbola": (-5, 5), "bell": (-4, 4),
    "exp_growth": (0, 5), "log": (0.02, 10), "inverse": (0.5, 10), "sine": (0, 3 * np.pi), "stress_strain": (0, 8),
    "periodic": (0, 22), "sawtooth": (0, 200), "rising_wiggle": (1960, 2020),
}
# Keyword rules for concepts without a ``curve`` (a user's own), first match wins.
_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("projectile", "trajector"), "arch"),
    (("parabol", "quadratic"), "parabola"),
    (("logistic", "carrying capacity"), "logistic"),
    (("decay", "half"), "exp_decay"),
    (("expon", "growth", "population"), "exp_growth"),
    (("normal", "gauss", "distribution", "bell"), "bell"),
    (("logarithm",), "log"),
    (("reciprocal", "inverse"), "inverse"),
    (("heating curve", "cooling curve"), "plateaus"),
    (("proportional",), "proportional"),
    (("linear", "line"), "linear"),
)


@functools.lru_cache(maxsize=1024)
def concept_item(key: str | None) -> ConceptItem | None:
    """The pool concept whose id or name is ``key``, from any concept pool; None for others."""
    p = pools()
    if p is None or not key:
        return None
    for name in p.names():
        if p[name] and isinstance(p[name][0], ConceptItem):
            found = pool_item(name, key)
            if found is not None:
                return found
    return None


def curve_of(concept: Any) -> str:
    """The shape a plot of ``concept`` (a ConceptItem, or a concept id or name) draws."""
    item = concept if isinstance(concept, ConceptItem) else concept_item(concept)
    if item is not None and item.curve:
        return item.curve
    words = f"{item.id} {item.name}" if item is not None else str(concept or "")
    words = words.lower().replace("_", " ")
    for keywords, curve in _KEYWORDS:
        if any(k in words for k in keywords):
            return curve
    return "sine"


def axis_titles(concept: Any, labels: list[str]) -> list[str]:
    """A plot's x and y titles: the pool concept's ``axes``, else its first two labels; for a
    concept outside the pools, the first two of the scene's ``labels`` (fewer when it has fewer)."""
    item = concept if isinstance(concept, ConceptItem) else concept_item(concept)
    if item is None:
        return list(labels[:2])
    return list(item.axes or item.labels[:2])


def sample_curve(curve: str, n: int = 1200) -> tuple[np.ndarray, np.ndarray]:
    """``n`` x values over the shape's range and its y values, one row per curve (NaN: a gap)."""
    x = np.linspace(*DOMAINS.get(curve, (0, 10)), n)
    return x, np.atleast_2d(np.asarray(CURVES[curve](x), dtype=float))
