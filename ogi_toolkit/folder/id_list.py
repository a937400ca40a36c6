"""An id list: one item id a line (blank lines and ``#`` comments skipped), as the UMAP page's
lasso saves it; ``ogi subset --ids`` and ``ogi filter --ids`` keep only the items it names."""
from __future__ import annotations

from pathlib import Path
from typing import Collection

__all__ = ["read_id_list"]


def read_id_list(path: str | Path, known: Collection[str] | None = None) -> frozenset[str]:
    """The ids in ``path``. With ``known`` (the dataset's ids), an id not among them is an error
    naming the first few: a list saved from another dataset is caught, not silently half-applied."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such id list (one item id a line)")
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    ids = frozenset(line for line in lines if line and not line.startswith("#"))
    if not ids:
        raise ValueError(f"{path}: the id list is empty (expected one item id a line)")
    if known is not None:
        unknown = sorted(ids - set(known))
        if unknown:
            raise ValueError(f"{path}: {len(unknown)} id(s) not in the dataset, e.g. {', '.join(map(repr, unknown[:5]))}")
    return ids
