"""The one guard for paths read from data: a path in a manifest (or any file of a folder) must
name something inside that folder after links are followed."""
from __future__ import annotations

from pathlib import Path

__all__ = ["UnsafePath", "inside"]


class UnsafePath(ValueError):
    """A path from a data file that names something outside its folder."""


def inside(root: str | Path, rel: str) -> Path:
    """The file ``rel`` names under ``root``, resolved (links followed); raises
    :class:`UnsafePath` when it is empty, absolute or lands outside ``root``."""
    if not isinstance(rel, str) or not rel or "\x00" in rel:
        raise UnsafePath(f"path {rel!r}: expected a non-empty relative path")
    path = Path(rel)
    if path.is_absolute() or path.drive:
        raise UnsafePath(f"path {rel!r}: absolute; expected a path relative to the folder")
    base = Path(root).resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base):
        raise UnsafePath(f"path {rel!r}: resolves outside the folder (to {target})")
    return target
