"""Perceptual-hash duplicates among outputs, without comparing every pair.

Two 64-bit hashes within ``d`` bits of each other agree exactly on at least one of ``d + 1``
disjoint bit bands (pigeonhole), so only hashes that share a band are compared.
"""
from __future__ import annotations

__all__ = ["duplicate_pairs"]


def _bands(d: int) -> list[tuple[int, int]]:
    n = d + 1
    edges = [round(64 * k / n) for k in range(n + 1)]
    return list(zip(edges[:-1], edges[1:]))


def duplicate_pairs(hashes: dict[str, str], max_distance: int) -> dict[str, tuple[str, int]]:
    """For each id whose hash is within ``max_distance`` bits of another's: (the closest id, bits)."""
    values = {key: int(h, 16) for key, h in hashes.items() if h}
    best: dict[str, tuple[str, int]] = {}
    for lo, hi in _bands(max_distance):
        mask = ((1 << (hi - lo)) - 1) << lo
        buckets: dict[int, list[str]] = {}
        for key, v in values.items():
            buckets.setdefault(v & mask, []).append(key)
        for members in buckets.values():
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    bits = (values[a] ^ values[b]).bit_count()
                    if bits > max_distance:
                        continue
                    for x, y in ((a, b), (b, a)):
                        if x not in best or (bits, y) < (best[x][1], best[x][0]):
                            best[x] = (y, bits)
    return best
