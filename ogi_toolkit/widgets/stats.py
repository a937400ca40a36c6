"""The quick, lexical numbers the prototyping panel shows after each Sample (no embeddings)."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..analysis.diversity import compression_ratio, distinct_n

__all__ = ["sample_stats"]


def sample_stats(texts: Sequence[str], template_ids: Sequence[str] = ()) -> dict:
    """Size, exact repeats, distinct-1/2, gzip ratio and templates used for one sample."""
    counts = Counter(texts)
    stats = {
        "n": len(texts),
        "exact_duplicates": sum(c - 1 for c in counts.values()),
        "distinct_1": round(distinct_n(texts, 1), 3),
        "distinct_2": round(distinct_n(texts, 2), 3),
        "gzip_ratio": round(compression_ratio(texts), 2),
    }
    if template_ids:
        stats["templates_used"] = len(set(template_ids))
    return stats
