"""The per-item random generator builders get as ``ctx.rng``.

Builders make a few dozen scalar draws per item, and a paper-scale plan makes ~80,000 items.
A scalar draw from a numpy ``Generator`` costs 0.8-10 us (its API is built for arrays); the
same draw from Python's Mersenne Twister costs ~0.05-0.4 us, and seeding it ~5 us. So
:class:`ItemRandom` offers the numpy ``Generator`` methods builders use (``random``,
``integers``, ``choice``, ``permutation``, ``shuffle``, ``uniform``, ``normal``) on a
``random.Random``, and hands any other numpy method to a numpy Generator seeded from its own
stream (still a function of the item's seed alone).
"""
from __future__ import annotations

import bisect
import itertools
import random as _random
from typing import Any, Sequence

import numpy as np

__all__ = ["ItemRandom"]


class ItemRandom:
    """numpy-``Generator``-compatible draws on a seeded ``random.Random`` (see the module doc)."""

    __slots__ = ("_py", "_numpy")

    def __init__(self, seed: int = 0):
        self._py = _random.Random()
        self._numpy: np.random.Generator | None = None
        self.seed(seed)

    def seed(self, seed: int) -> "ItemRandom":
        self._py.seed(int(seed))
        self._numpy = None
        return self

    def random(self, size: int | None = None):
        """A float in [0, 1), or an array of ``size`` of them."""
        if size is None:
            return self._py.random()
        draw = self._py.random
        return np.array([draw() for _ in range(int(size))])

    def integers(self, low: int, high: int | None = None, size: int | None = None, endpoint: bool = False):
        """An int in [low, high) ([low, high] with ``endpoint``), or [0, low) with one bound."""
        if high is None:
            low, high = 0, low
        low, high = int(low), int(high) + (1 if endpoint else 0)
        if high <= low:
            raise ValueError(f"integers: high ({high}) must be above low ({low})")
        if size is None:
            return self._py.randrange(low, high)
        return np.array([self._py.randrange(low, high) for _ in range(int(size))])

    def uniform(self, low: float = 0.0, high: float = 1.0, size: int | None = None):
        if size is None:
            return self._py.uniform(low, high)
        return np.array([self._py.uniform(low, high) for _ in range(int(size))])

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: int | None = None):
        if size is None:
            return self._py.gauss(loc, scale)
        return np.array([self._py.gauss(loc, scale) for _ in range(int(size))])

    def permutation(self, x: int | Sequence) -> list:
        """A shuffled list of ``range(x)`` or of the elements of ``x`` (a list, not an array:
        callers index with its elements and keep tuples of pool items as they are)."""
        items = list(range(x)) if isinstance(x, (int, np.integer)) else list(x)
        self._py.shuffle(items)
        return items

    def shuffle(self, x: list) -> None:
        self._py.shuffle(x)

    def choice(self, a: int | Sequence, size: int | None = None, replace: bool = True, p: Sequence[float] | None = None):
        """Like ``Generator.choice`` for an int or a 1-D sequence; elements keep their type."""
        n = int(a) if isinstance(a, (int, np.integer)) else len(a)
        if n <= 0:
            raise ValueError("choice: cannot choose from an empty sequence")
        if p is not None:
            if len(p) != n:
                raise ValueError(f"choice: p has {len(p)} weights for {n} elements")
            cumulative = list(itertools.accumulate(float(w) for w in p))
        count = 1 if size is None else int(size)
        if not replace and count > n:
            raise ValueError(f"choice: cannot take {count} elements from {n} without replacement")
        if p is None:
            picks = self._py.sample(range(n), count) if not replace else [self._py.randrange(n) for _ in range(count)]
        else:
            picks = []
            while len(picks) < count:
                i = min(bisect.bisect_right(cumulative, self._py.random() * cumulative[-1]), n - 1)
                if replace or i not in picks:
                    picks.append(i)
        values = picks if isinstance(a, (int, np.integer)) else [a[i] for i in picks]
        return values[0] if size is None else np.array(values)

    def __getattr__(self, name: str) -> Any:
        # Any other numpy Generator method (a user's builder may call one): from a Generator
        # seeded by this stream, so the item stays a function of its seed.
        if name.startswith("_"):
            raise AttributeError(name)
        if self._numpy is None:
            self._numpy = np.random.default_rng(self._py.getrandbits(64))
        return getattr(self._numpy, name)
