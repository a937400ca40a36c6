"""Read a plan: ``plan.jsonl`` with one ``InstructionSpec`` per line, or specs from Python."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from ..spec import InstructionSpec

__all__ = ["read_plan", "as_specs"]


def read_plan(path: str | Path) -> list[InstructionSpec]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"plan {path} does not exist")
    specs = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                specs.append(InstructionSpec.model_validate_json(line))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "(line)"
                raise ValueError(f"{path}:{number}: not an InstructionSpec: {where}: {first['msg']}") from None
    return _unique(specs, str(path))


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
