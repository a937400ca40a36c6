"""Atomic file writes: a reader sees the old file or the whole new one, never a part.

The bottom layer of the package (it imports nothing of ours), so every layer writes files the
same way: into a temporary ``.tmp-<random>-<name>`` beside the target, then ``os.replace``.
A process killed mid-write leaves at most such a temporary file, which nothing reads and
:func:`remove_orphans` cleans up on the next run. New files get the usual permissions (0666
less the umask), like any file the user's tools create.

We do not fsync: ``kill -9`` and crashes of this process lose nothing already handed to the
kernel; only a power cut could, and the readers check what they load.
"""
from __future__ import annotations

import os
import stat
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

__all__ = ["TMP_PREFIX", "atomic_path", "atomic_write_bytes", "atomic_write_chunks", "atomic_write_text",
           "refuse_non_file", "remove_orphans"]

TMP_PREFIX = ".tmp-"


def _tmp_name(path: Path) -> Path:
    # The target's name stays at the end, so its suffix (which picks a format for savefig) is kept.
    return path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def refuse_non_file(path: str | Path) -> None:
    """Raise ValueError when ``path`` exists and is not a regular file: ``os.replace`` would put
    a file where a device node (``/dev/full``), a FIFO or a socket was, or fail on a folder."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there yet; a parent that is a file fails as OSError when it is written
    except OSError as exc:  # a symlink loop, a name too long...
        raise ValueError(f"{path}: cannot be written ({exc.strerror}); give a file path") from None
    if not stat.S_ISREG(mode):
        raise ValueError(f"{path}: exists and is {_kind(mode)}, not a regular file; give a file path")


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to (for writers that want a file name,
    like ``savefig`` or ``np.savez``); moved into place when the block ends without error.
    Refused (ValueError) when ``path`` exists and is not a regular file."""
    path = Path(path)
    refuse_non_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def _open_new(path: str | Path) -> Iterator[IO[bytes]]:
    with atomic_path(path) as tmp:
        # O_EXCL: the random name is ours alone; 0o666 lets the umask decide, as for any new file.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            yield fh


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with _open_new(path) as fh:
        fh.write(data)


def atomic_write_chunks(path: str | Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` one after another (a large file need not be held whole in memory)."""
    with _open_new(path) as fh:
        for chunk in chunks:
            fh.write(chunk)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def remove_orphans(folder: str | Path) -> int:
    """Delete the temporary files that killed writers left anywhere under ``folder``; return how many.

    Only call it while no other process writes there (the generation runner holds the run
    folder's lock when it does).
    """
    removed = 0
    for tmp in Path(folder).rglob(f"{TMP_PREFIX}*"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
