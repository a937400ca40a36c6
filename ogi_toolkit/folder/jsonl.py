"""Append-only JSON Lines files: one JSON object per line, written whole, read back whole.

Each line is written with a single ``write`` on a file opened in append mode, so lines of
concurrent writers never interleave and a killed process leaves whole lines. Should the last
line still be torn (a full disk, a power cut: no trailing newline), every reader skips it with
a warning, and a writer cuts it off before appending, so a torn line is never taken for a
finished record. A last line that is a whole JSON object but lacks its newline (a file edited
by hand) is kept: readers take it, and a writer ends it before appending.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..atomic_io import atomic_write_bytes

__all__ = ["JsonlWriter", "append_jsonl", "iter_jsonl", "iter_numbered", "jsonl_bytes", "write_jsonl"]


def _whole_object(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except ValueError:
        return False


def _repair_tail(path: Path) -> None:
    """End a file whose last line has no newline: complete a whole JSON object, cut off a torn one."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as f:
        f.seek(-1, os.SEEK_END)
        if f.read(1) == b"\n":
            return
        f.seek(0)
        data = f.read()
        cut = data.rfind(b"\n") + 1
        if _whole_object(data[cut:]):
            f.write(b"\n")
            return
        f.truncate(cut)
    warnings.warn(f"{path}: removed a torn last line ({len(data) - cut} bytes); its item will be redone from the store")


class JsonlWriter:
    """Appends whole lines to one JSON Lines file (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _repair_tail(self.path)
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def check(self, record: dict[str, Any]) -> None:
        """Refuse a record this file kind must not hold (raises ValueError); subclasses say what."""

    def append(self, record: dict[str, Any]) -> None:
        self.check(record)
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        written = os.write(self._fd, line)
        if written != len(line):  # a full disk: never leave half a line for readers
            raise OSError(f"{self.path}: short write ({written} of {len(line)} bytes)")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def iter_numbered(path: str | Path, *, strict: bool = False) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` of every whole line of a JSONL file, in order; nothing when it is absent.

    A torn last line is skipped with a warning. A whole line that is not JSON is skipped with a
    warning, or with ``strict`` raises ValueError naming the file and line. Blank lines are skipped.
    """
    path = Path(path)
    if not path.is_file():
        return
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except ValueError as exc:
                if not raw.endswith(b"\n"):  # only the last line can lack its newline
                    warnings.warn(f"{path}:{number}: torn last line (no newline, not whole JSON), skipped")
                    return
                if strict:
                    raise ValueError(f"{path}:{number}: not a JSON line ({exc})") from None
                warnings.warn(f"{path}:{number}: not a JSON line, skipped")
                continue
            yield number, value


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Every whole JSON object of a JSONL file, in order (torn or garbled lines skipped, see :func:`iter_numbered`)."""
    return (value for _, value in iter_numbered(path) if isinstance(value, dict))


def append_jsonl(path: str | Path, record: dict[str, Any]) -> None:
    """Append one line to a small JSONL log (repairing a torn tail first)."""
    with JsonlWriter(path) as writer:
        writer.append(record)


def jsonl_bytes(records: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    """Write a whole JSONL file atomically (a reader sees the old file or all of the new one)."""
    atomic_write_bytes(path, jsonl_bytes(records))
