"""Read a plan: ``plan.jsonl`` with one ``InstructionSpec`` per line, or specs from Python."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from ..spec import InstructionSpec

__all__ = ["read_plan", "as_specs"]


# Byte order marks of text that is not UTF-8 (a plan saved by an editor as UTF-16)
_BOMS = ((b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\x00\x00\xfe\xff", "UTF-32"))


def read_plan(path: str | Path) -> list[InstructionSpec]:
    """The specs of a plan file; errors name the file and the line (or byte) that is wrong."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"plan {path} is a folder; expected a plan file (.jsonl, one spec per line, from `ogi plan`)")
    if not path.is_file():
        raise FileNotFoundError(f"plan {path} does not exist")
    specs = []
    offset = 0  # of the line's first byte in the file
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            line = _decoded(path, raw, number, offset)
            offset += len(raw)
            if not line.strip():
                continue
            try:
                specs.append(InstructionSpec.model_validate_json(line))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "(line)"
                raise ValueError(f"{path}:{number}: not an InstructionSpec: {where}: {first['msg']}") from None
    return _unique(specs, str(path))


def _decoded(path: Path, raw: bytes, number: int, offset: int) -> str:
    if number == 1:
        for bom, name in _BOMS:
            if raw.startswith(bom):
                raise ValueError(f"{path}: byte 0: {name} text; expected a UTF-8 plan file (one spec JSON per line)")
    if b"\x00" in raw:
        at = offset + raw.index(b"\x00")
        raise ValueError(f"{path}:{number}: byte {at}: a NUL byte, so a binary file; expected a UTF-8 plan file "
                         f"(one spec JSON per line, from `ogi plan`)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}:{number}: byte {offset + exc.start}: not UTF-8 (0x{raw[exc.start]:02x}); "
                         f"expected a UTF-8 plan file (one spec JSON per line, from `ogi plan`)") from None


def as_specs(plan: str | Path | Iterable[InstructionSpec | dict]) -> list[InstructionSpec]:
    """A plan file path, or an iterable of specs (or spec dicts), as a checked list of specs."""
    if isinstance(plan, (str, Path)):
        return read_plan(plan)
    specs = [s if isinstance(s, InstructionSpec) else InstructionSpec.model_validate(s) for s in plan]
    return _unique(specs, "plan")


def _unique(specs: list[InstructionSpec], where: str) -> list[InstructionSpec]:
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise ValueError(f"{where}: item id {spec.id!r} appears twice; ids must be unique")
        seen.add(spec.id)
    return specs
