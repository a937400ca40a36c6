"""Putting a dataset's file into a new folder: a copy, or a hard link where allowed."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["place_file"]


def place_file(src: Path, dst: Path, *, link: bool = False) -> bool:
    """Copy ``src`` to ``dst``, or hard-link it when ``link`` and the file system allows;
    True when it was linked."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(src, dst)
            return True
        except OSError:
            pass  # another device, or links not supported: copy
    shutil.copyfile(src, dst)
    return False
