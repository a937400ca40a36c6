"""One run at a time per dataset folder.

Two runs writing the same folder would each miss the other's fresh results and could pay for
the same call twice. An advisory lock on ``<out>/.ogi-run.lock`` refuses the second run; the
kernel drops it when the holder exits, ``kill -9`` included, so a resume never waits on it.
"""
from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs are not guarded there
    fcntl = None

__all__ = ["FolderBusy", "RunLock"]


class FolderBusy(ValueError):
    pass


class RunLock:
    """``hint``: what the refused user may do besides waiting (e.g. "or use another --out")."""

    def __init__(self, folder: Path, hint: str = ""):
        self.path = Path(folder) / ".ogi-run.lock"
        self.hint = hint
        self._fd: int | None = None

    def acquire(self) -> "RunLock":
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(self._fd)
                raise FolderBusy(f"another run is writing to {self.path.parent}; wait for it to end"
                                 + (f" {self.hint}" if self.hint else "")) from None
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
