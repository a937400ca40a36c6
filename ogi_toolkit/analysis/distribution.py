"""Where the data sits: counts per label against targets, entropy and Gini, and how often each
pool value is used (and which are never used)."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["entropy", "gini", "flat_values", "label_counts", "distribution_summary", "slot_value_counts", "pool_usage", "skew"]


def entropy(counts: Iterable[float]) -> float:
    """Shannon entropy in bits of the distribution given by ``counts`` (zeros ignored)."""
    c = np.asarray(list(counts), float)
    p = c[c > 0] / c.sum() if c.sum() else np.array([])
    return float(-(p * np.log2(p)).sum()) if len(p) else float("nan")


def gini(counts: Iterable[float]) -> float:
    """Gini coefficient of ``counts``: 0 when every category has the same count, towards 1
    when one has everything. G = sum_i (2i - m - 1) c_(i) / (m sum c), c sorted ascending."""
    c = np.sort(np.asarray(list(counts), float))
    m = len(c)
    if m == 0 or c.sum() == 0:
        return float("nan")
    i = np.arange(1, m + 1)
    return float(((2 * i - m - 1) * c).sum() / (m * c.sum()))


def label_counts(df: pd.DataFrame, column: str, targets: Mapping[Any, float] | None = None) -> pd.DataFrame:
    """Count and share per value of ``column``; with ``targets`` also the target, the ratio
    count/target and values that were targeted but never produced (count 0)."""
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns are {list(df.columns)}")
    counts = df[column].value_counts(dropna=False)
    out = pd.DataFrame({"count": counts})
    if targets:
        out = out.join(pd.Series(dict(targets), name="target"), how="outer")
        out["count"] = out["count"].fillna(0).astype(int)
        out["ratio"] = out["count"] / out["target"]
    out["share"] = out["count"] / max(len(df), 1)
    out.index.name = column
    return out.sort_values("count", ascending=False, kind="stable")


def distribution_summary(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Per label column: number of values, entropy (bits), normalised entropy and Gini."""
    rows = []
    for col in columns:
        counts = df[col].value_counts().to_numpy()
        h = entropy(counts)
        rows.append({"column": col, "values": len(counts), "entropy_bits": h,
                     "normalised_entropy": h / np.log2(len(counts)) if len(counts) > 1 else float("nan"),
                     "gini": gini(counts)})
    return pd.DataFrame(rows).set_index("column")


def flat_values(value: Any) -> Iterable[str]:
    """Every scalar in a cell (lists and dict values flattened) as a string; None/NaN give nothing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return
    if isinstance(value, Mapping):
        for v in value.values():
            yield from flat_values(v)
    elif isinstance(value, (list, tuple, set)):
        for v in value:
            yield from flat_values(v)
    else:
        yield str(value)


def slot_value_counts(df: pd.DataFrame, column: str = "slots") -> pd.DataFrame:
    """How often each value fills each slot, from the spec's ``slots`` dicts (lists and
    nested dicts are flattened). Columns: slot, value, count."""
    counts: Counter = Counter()
    for slots in df[column] if column in df.columns else []:
        for slot, value in (slots or {}).items():
            for v in flat_values(value):
                counts[(slot, v)] += 1
    rows = [{"slot": s, "value": v, "count": c} for (s, v), c in counts.items()]
    out = pd.DataFrame(rows, columns=["slot", "value", "count"])
    return out.sort_values(["slot", "count"], ascending=[True, False], kind="stable").reset_index(drop=True)


def pool_usage(used: Iterable[str], pools: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """For every value of every pool, how often it was used (0 = never used).

    ``used``: every value occurrence (e.g. all slot values, all object names).
    ``pools``: {pool name: [values or (id, name) pairs]}, e.g. ``bias.taxonomy_pools()``.
    """
    counts = Counter(str(u) for u in used)

    def used_count(entry) -> tuple[str, int]:
        if isinstance(entry, tuple):  # (id, name): a spec may name the item either way
            ident, name = map(str, entry)
            return ident, counts.get(ident, 0) + (counts.get(name, 0) if name != ident else 0)
        return str(entry), counts.get(str(entry), 0)

    rows = [{"pool": name, "value": value, "count": count}
            for name, values in pools.items() for value, count in map(used_count, values)]
    return pd.DataFrame(rows, columns=["pool", "value", "count"])


def skew(counts: Mapping[str, int] | pd.Series, pool: Iterable[str] | None = None) -> dict[str, float]:
    """How far the use of values is from uniform use of the pool.

    ``kl_bits`` = KL(p || u) = log2 m - H(p), p the observed shares, u uniform over the m pool
    values (or over the values seen, without a pool); ``max_over_expected`` = the most used
    value's count / (total / m); ``unused`` = pool values never used.
    """
    counts = pd.Series(counts, dtype=float)
    values = list(dict.fromkeys(map(str, pool))) if pool is not None else list(counts.index.astype(str))
    counts.index = counts.index.astype(str)
    full = counts.reindex(values, fill_value=0.0) if pool is not None else counts
    m, total = len(full), float(full.sum())
    if m == 0 or total == 0:
        return {"values": m, "used": 0, "unused": m, "kl_bits": float("nan"), "max_over_expected": float("nan")}
    return {"values": m, "used": int((full > 0).sum()), "unused": int((full == 0).sum()),
            "kl_bits": float(np.log2(m) - entropy(full)), "max_over_expected": float(full.max() / (total / m))}
