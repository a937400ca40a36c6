"""The per-item random generator builders get as ``ctx.rng``.

Builders make a few dozen scalar draws per item, and a paper-scale plan makes ~80,000 items.
A scalar draw from a numpy ``Generator`` costs 0.8-10 us (its API is built for arrays); the
same draw from Python's Mersenne Twister costs ~0.05-0.4 us, and seeding it ~5 us. So
:class:`ItemRandom` offers the numpy ``Generator`` methods builders use (``random``,
``integers``, ``choice``, ``permutation``) on a ``random.Random``, and hands any other numpy
method to a numpy Generator seeded from its own stream (still a function of the item's seed).
"""
from __future__ import annotations

import random as _random
from _random import Random as _CRandom
from typing import Any, Sequence

import numpy as np

__all__ = ["ItemRandom", "pick"]

_seed = _CRandom.seed  # the C method under random.Random.seed


class ItemRandom:
    """numpy-``Generator``-compatible draws on a seeded ``random.Random`` (see the module doc)."""

    __slots__ = ("_py", "_numpy", "next_float")

    def __init__(self, seed: int = 0):
        self._py = _random.Random()
        self._numpy: np.random.Generator | None = None
        # random() without its numpy-style arguments: the C method itself, for the library's
        # builders (~17 draws per item; a Python-level call costs more than the draw)
        self.next_float = self._py.random
        self.seed(seed)

    def seed(self, seed: int) -> "ItemRandom":
        # the C method: random.Random.seed's Python wrapper only resets gauss_next (unused here)
        _seed(self._py, int(seed))
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

    def permutation(self, x: int | Sequence) -> list:
        """A shuffled list of ``range(x)`` or of the elements of ``x`` (a list, not an array:
        callers index with its elements and keep tuples of pool items as they are)."""
        items = list(range(x)) if isinstance(x, (int, np.integer)) else list(x)
        self._py.shuffle(items)
        return items

    def choice(self, a: int | Sequence, size: int | None = None, replace: bool = True, p: Sequence[float] | None = None):
        """Like ``Generator.choice`` for an int or a 1-D sequence; elements keep their type.
        Weighted choices (``p``) are numpy's own."""
        if p is not None:
            return self._generator().choice(a, size=size, replace=replace, p=p)
        n = int(a) if isinstance(a, (int, np.integer)) else len(a)
        if n <= 0:
            raise ValueError("choice: cannot choose from an empty sequence")
        count = 1 if size is None else int(size)
        if not replace and count > n:
            raise ValueError(f"choice: cannot take {count} elements from {n} without replacement")
        picks = self._py.sample(range(n), count) if not replace else [self._py.randrange(n) for _ in range(count)]
        values = picks if isinstance(a, (int, np.integer)) else [a[i] for i in picks]
        return values[0] if size is None else np.array(values)

    def _generator(self) -> np.random.Generator:
        """A numpy Generator seeded from this stream: the item stays a function of its seed."""
        if self._numpy is None:
            self._numpy = np.random.default_rng(self._py.getrandbits(64))
        return self._numpy



def _delegate(name: str):
    def method(self: ItemRandom, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._generator(), name)(*args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"numpy ``Generator.{name}`` on a generator seeded from this item's stream."
    return method


# Any other numpy Generator method (uniform, normal, ...: a user's builder may call one) is
# handed over by a method of its own. Not by __getattr__: a class with __getattr__ takes
# the slow path for every attribute read, and builders call rng methods ~10^6 times a plan.
for _name in dir(np.random.Generator):
    if not _name.startswith("_") and not hasattr(ItemRandom, _name):
        if callable(getattr(np.random.Generator, _name)):
            setattr(ItemRandom, _name, _delegate(_name))
        else:  # bit_generator
            setattr(ItemRandom, _name, property(lambda self, _n=_name: getattr(self._generator(), _n)))


def pick(rng: ItemRandom, seq: Sequence):
    """One element of ``seq``, uniformly. ``next_float`` is several times cheaper than
    ``integers`` or ``choice`` (which would also turn tuples of pool items into arrays), and
    builders pick ~9 times per item."""
    return seq[int(rng.next_float() * len(seq))]
