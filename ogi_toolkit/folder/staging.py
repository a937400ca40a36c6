"""Writing a whole new folder: build it beside its place, move it in only when complete."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["place_file", "staged_folder"]


@contextmanager
def staged_folder(out: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Build a folder beside ``out`` and move it into place only when complete, so a failed or
    interrupted run never leaves a half-written ``out``."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise FileExistsError(f"{out}: already exists and is not empty (pass overwrite=True / --overwrite)")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    os.replace(stage, out)


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
