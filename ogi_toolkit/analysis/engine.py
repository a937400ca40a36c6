"""Where per-item work runs: in this process (``"local"``) or as Ray Data ``map_batches`` over a
Ray cluster (``"ray"``, extra ``.[ray]``); the aggregate steps always run on the driver.

    hashes = map_batches(perceptual_hashes, paths, engine="ray")          # same as perceptual_hashes(paths)
    vectors = map_batches(encode_texts, texts, engine="ray", batch_size=256)

``fn`` takes a list of items and returns one result per item, in order: a NumPy array (rows per
item) or a DataFrame (one row per item). Results come back in the items' order, concatenated,
so ``map_batches(fn, items, engine=...)`` equals ``fn(items)`` whichever engine ran it. ``fn``
must be importable by the workers (a module-level function), not a lambda of a notebook cell.

Ray is started on first use: ``address=None`` starts a local Ray with this machine's CPUs (or
``num_cpus``), ``"auto"`` joins the cluster this machine belongs to, ``"ray://host:10001"`` a
remote one (see the README).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

__all__ = ["ENGINES", "map_batches", "start_ray", "ray_available"]

ENGINES = ("local", "ray")
ROW = "_row"  # the item's position, carried through Ray so results can be put back in order
ARRAY = "_array"  # the column holding an array result's per-item rows


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def start_ray(address: str | None = None, num_cpus: int | None = None) -> None:
    """Connect to (or start) Ray once per process; later calls reuse the connection."""
    if not ray_available():
        raise ImportError("--engine ray needs Ray: pip install 'ogi-toolkit[ray]' (or pip install 'ray[data]')")
    import ray

    if ray.is_initialized():
        return
    kwargs: dict[str, Any] = {"address": address, "include_dashboard": False, "log_to_driver": False}
    if address is None and num_cpus is not None:
        kwargs["num_cpus"] = num_cpus
    ray.init(**kwargs)
    ray.data.DataContext.get_current().enable_progress_bars = False


class _Apply:
    """The batch function Ray runs: ``fn`` on the batch's items, results as columns beside the
    rows. A class (not a closure) so it pickles by reference to ``fn``."""

    def __init__(self, fn: Callable[[list], Any], kwargs: dict):
        self.fn, self.kwargs = fn, kwargs

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        result = self.fn(batch["item"].tolist(), **self.kwargs)
        if isinstance(result, pd.DataFrame):
            out = result.reset_index(drop=True).copy()
        else:
            array = np.asarray(result)
            # One column of per-item rows: Ray keeps an (n, d) array as a tensor column.
            out = pd.DataFrame({ARRAY: list(array) if array.ndim > 1 else array})
        if len(out) != len(batch):
            raise ValueError(f"{getattr(self.fn, '__name__', self.fn)} returned {len(out)} results for {len(batch)} items")
        out.insert(0, ROW, batch[ROW].to_numpy())
        return out


def _assemble(frames: pd.DataFrame) -> Any:
    """The batches' results in the items' order: an array, or a DataFrame."""
    frames = frames.sort_values(ROW, kind="stable").reset_index(drop=True)
    if ARRAY in frames.columns:
        values = frames[ARRAY].to_numpy()
        return np.stack(values) if np.ndim(values[0]) else values
    # Ray hands columns back Arrow-backed: back to the NumPy-backed columns fn itself returns
    # (None where a value is missing, floats as float64 with NaN).
    columns = {c: frames[c].to_numpy(dtype=object, na_value=None) for c in frames.columns if c != ROW}
    return pd.DataFrame(columns).infer_objects()


def map_batches(fn: Callable[..., Any], items: Sequence, *, engine: str = "local", batch_size: int = 512,
                address: str | None = None, num_cpus: int | None = None, **kwargs) -> Any:
    """``fn(items, **kwargs)``, computed in batches of ``batch_size`` by ``engine`` (see the module docstring)."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {ENGINES}")
    items = list(items)
    if engine == "local" or not items:
        return fn(items, **kwargs)
    start_ray(address, num_cpus)
    import ray

    frame = pd.DataFrame({ROW: np.arange(len(items)), "item": pd.Series(items, dtype=object)})
    # One block per batch (at most 200): the blocks are what Ray spreads over its workers.
    blocks = np.array_split(np.arange(len(items)), max(1, min(-(-len(items) // batch_size), 200)))
    dataset = ray.data.from_pandas([frame.iloc[rows[0]:rows[-1] + 1] for rows in blocks if len(rows)])
    mapped = dataset.map_batches(_Apply(fn, kwargs), batch_size=batch_size, batch_format="pandas")
    return _assemble(mapped.to_pandas())
