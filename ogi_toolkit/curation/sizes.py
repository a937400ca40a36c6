"""Sizes as people write them: ``10k``, ``1.5k``, ``2M``, ``500``, and ``all`` (every finished
item of the dataset: the size is known only once it is read, so it parses to None)."""
from __future__ import annotations

import re

__all__ = ["ALL", "parse_size", "parse_sizes"]

ALL = "all"

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")
_FACTOR = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_size(text: str | int) -> int | None:
    """``"10k"`` -> 10000, ``"all"`` -> None; raises ValueError naming the text when it is not a whole size."""
    if str(text).strip().lower() == ALL:
        return None
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"size {text}: expected a whole number >= 0")
        return text
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"size {text!r}: expected a whole number, optionally with k or M (10k, 1.5k, 2M), or 'all'")
    value = float(match.group(1)) * _FACTOR[match.group(2).lower()]
    if value != int(value):
        raise ValueError(f"size {text!r}: is not a whole number of items")
    return int(value)


def parse_sizes(text: str) -> dict[str, int]:
    """``"10k,20k"`` -> ``{"10k": 10000, "20k": 20000}`` (names as written, in order)."""
    names = [part.strip() for part in str(text).split(",") if part.strip()]
    if not names:
        raise ValueError(f"sizes {text!r}: expected a comma-separated list such as 10k,20k,40k")
    sizes = {name: parse_size(name) for name in names}
    if len(set(sizes.values())) != len(sizes):
        raise ValueError(f"sizes {text!r}: the same size is given twice")
    return sizes
