"""A stable pseudo-random number per item: the same id and seed give the same number on every
machine and every run, whatever else is in the dataset (so orders and splits stay put when
items are added)."""
from __future__ import annotations

import hashlib

__all__ = ["unit_hash"]


def unit_hash(seed: int, key: str, salt: str = "") -> float:
    """A number in [0, 1) from ``(seed, salt, key)`` (BLAKE2b; not Python's salted ``hash``)."""
    digest = hashlib.blake2b(f"{seed}\x1f{salt}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
