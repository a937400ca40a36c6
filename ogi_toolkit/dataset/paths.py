"""What a command that reads a dataset folder checks first, so a wrong path gets one clear line
before anything is built: a plan or prompt file is not a dataset, a folder needs its manifest."""
from __future__ import annotations

from pathlib import Path

from ..folder import MANIFEST_NAME

__all__ = ["require_dataset"]


def require_dataset(path: str | Path, command: str = "ogi gallery") -> Path:
    """The dataset folder ``path`` names (a folder holding ``manifest.jsonl``, or that file);
    raises ValueError / FileNotFoundError saying what ``path`` is instead and what to run."""
    path = Path(path)
    if path.is_file() and path.name == MANIFEST_NAME:
        return path.parent
    if path.is_file():
        what = "a plan (one instruction spec per line)" if path.suffix == ".jsonl" else "a file"
        raise ValueError(f"{path}: {what}, not a dataset folder; run `ogi generate {path} --out DIR` to make one, "
                         f"then `{command} DIR`")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such dataset folder")
    if not (path / MANIFEST_NAME).is_file():
        raise FileNotFoundError(f"{path}: no {MANIFEST_NAME} in it; expected a dataset folder written by `ogi generate`")
    return path
