"""Output folders of commands: where a command may write, and what ``--overwrite`` may remove.

Every command that writes a folder (``subset``, ``split``, ``export``, ``import-opengpt``,
``filter``, ``generate``, ``demo``, ``analyse``, ``figures``, ``calibrate``) asks here first:

* :func:`check_output` refuses an output that is one of the command's inputs, contains one, or
  lies inside one (symlinks followed), and an existing output that is not a folder (a file, a
  device node, a FIFO): ``--out ds`` must never replace ``ds``, ``--out .`` never the working
  folder, ``--out ds/images`` never the images of ``ds``. :func:`check_output_file` does the
  same for commands writing one file (``plan``, ``rewrite``, ``gallery``): never a device node.
* :func:`staged_output` builds a replaced folder beside ``out`` and moves it into place when
  complete, with a marker file (:data:`MARKER`) naming the command and every path it wrote.
  ``--overwrite`` replaces only a folder whose marker names the same command and which holds
  nothing the marker does not list: a folder with foreign files is refused, never emptied.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..atomic_io import refuse_non_file

__all__ = ["MARKER", "OutputRefused", "check_output", "check_output_file", "prepare_output", "staged_output"]

MARKER = ".ogi-output.json"
_SHOWN = 3  # foreign paths named in a refusal


class OutputRefused(ValueError):
    """An output path a command must not write (its message says why and what to do)."""


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop: RuntimeError before Python 3.13
        raise OutputRefused(f"{path}: cannot be resolved ({exc}); give a real folder") from None


def check_output(out: str | Path, *, inputs: Iterable[str | Path] = (), allow_inside: Iterable[str | Path] = ()) -> Path:
    """``out`` as given, after refusing an overlap with ``inputs`` (equal to one, containing one,
    or inside an input folder unless it is one of ``allow_inside``, a command's own default such
    as ``DATASET/splits``) and an existing ``out`` that is not a folder."""
    out = Path(out)
    if out.is_symlink() and not out.exists():
        raise OutputRefused(f"--out {out}: a broken or looping symlink; give a real folder")
    target = _resolved(out)
    allowed = {_resolved(Path(p)) for p in allow_inside}
    for given in inputs:
        source = _resolved(Path(given))
        if target == source:
            raise OutputRefused(f"--out {out} is the input {given}; choose another --out")
        if source.is_relative_to(target):
            raise OutputRefused(f"--out {out} contains the input {given}; choose a folder outside it")
        if target.is_relative_to(source) and target not in allowed:
            raise OutputRefused(f"--out {out} lies inside the input {given}; choose a folder outside it")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"--out {out} exists and is not a folder; give a folder path")
    return out


def check_output_file(out: str | Path, *, inputs: Iterable[str | Path] = ()) -> Path:
    """``out`` as given, after refusing a file output that is one of ``inputs`` or exists and is
    not a regular file (a folder, a device node such as ``/dev/full``, a FIFO, a socket)."""
    out = Path(out)
    target = _resolved(out)
    for given in inputs:
        if _resolved(Path(given)) == target:
            raise OutputRefused(f"--out {out} is the input {given}; choose another --out")
    refuse_non_file(out)
    return out


def _entries(folder: Path) -> set[str]:
    """Every path under ``folder`` (files, links, folders), relative, in POSIX form."""
    found = set()
    for top, dirs, files in os.walk(folder):
        rel = Path(top).relative_to(folder)
        found.update((rel / name).as_posix() for name in (*dirs, *files))
    return found


def _marker(folder: Path) -> dict | None:
    path = folder / MARKER
    if not path.is_file():
        return None
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    ok = isinstance(marker, dict) and isinstance(marker.get("command"), str) and isinstance(marker.get("paths"), list)
    return marker if ok else None


def _refuse_foreign(out: Path, command: str) -> None:
    """Raise unless everything in ``out`` was written there by ``command`` (its marker says so)."""
    marker = _marker(out)
    if marker is None:
        raise OutputRefused(f"--out {out} holds files {command} did not write (no valid {MARKER}); "
                            f"--overwrite replaces only a folder {command} wrote: choose another --out, "
                            "or empty or remove it yourself")
    if marker["command"] != command:
        raise OutputRefused(f"--out {out} was written by {marker['command']}, not {command}; "
                            "choose another --out")
    foreign = sorted(_entries(out) - set(marker["paths"]) - {MARKER})
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (f" and {len(foreign) - _SHOWN} more" if len(foreign) > _SHOWN else "")
        raise OutputRefused(f"--out {out} holds files {command} did not write ({shown}); "
                            "--overwrite never removes them: move them away or choose another --out")


def prepare_output(out: str | Path, *, inputs: Iterable[str | Path] = (), command: str, overwrite: bool = False,
                   allow_inside: Iterable[str | Path] = ()) -> Path:
    """:func:`check_output`, then refuse a non-empty ``out`` without ``overwrite``, and with it one
    holding anything ``command`` did not write. Cheap: call it before any work."""
    out = check_output(out, inputs=inputs, allow_inside=allow_inside)
    if out.is_symlink():
        raise OutputRefused(f"--out {out} is a symlink; give the folder it points to")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out}: already exists and is not empty; pass --overwrite to replace "
                                  "what an earlier run wrote there, or choose another --out")
        _refuse_foreign(out, command)
    return out


@contextmanager
def staged_output(out: str | Path, *, command: str, inputs: Iterable[str | Path] = (), overwrite: bool = False,
                  allow_inside: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Yield a new folder beside ``out`` to build the output in; when the block ends without an
    error, mark it as ``command``'s and move it into place (replacing the earlier ``out`` only
    after :func:`prepare_output`'s checks hold again). A failed run leaves ``out`` as it was."""
    inputs = list(inputs)
    out = prepare_output(out, inputs=inputs, command=command, overwrite=overwrite, allow_inside=allow_inside)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        yield stage
        marker = {"command": command, "paths": sorted(_entries(stage))}
        (stage / MARKER).write_text(json.dumps(marker, ensure_ascii=False) + "\n", encoding="utf-8")
        # checked again: files may have appeared in out while the stage was built
        prepare_output(out, inputs=inputs, command=command, overwrite=overwrite, allow_inside=allow_inside)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
    if out.exists():
        os.replace(out, old)
    os.replace(stage, out)
    shutil.rmtree(old, ignore_errors=True)
