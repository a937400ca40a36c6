"""The checks' configuration: one section per registered check (see :mod:`.registry`), each
validated by the check's own model, so that a typo fails at once with the file, the key and
what was expected.

The defaults of a section are the YAML file beside its check (``suite/text.yaml``, ...). A
user's file (``ogi check DIR --config mine.yaml``) is a mapping of sections; each key it gives
replaces that default, the rest stay::

    text: {max_distance: 0.1}
    preservation: {min_changed_share: 0.001}
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ...definition.yaml_files import load_yaml_file
from .registry import Check, checks

__all__ = ["ChecksConfig", "Section", "load_checks_config"]


class Section(BaseModel):
    """The base of every check's config section: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class ChecksConfig:
    """The validated sections of every registered check, and the checks themselves (in order)."""

    sections: dict[str, BaseModel]
    checks: tuple[Check, ...]

    def section(self, group: str) -> Any:
        return self.sections[group]

    def replace(self, group: str, **changes: Any) -> ChecksConfig:
        """A copy with some values of one section changed (validated like a file's)."""
        section = self.sections[group]
        new = type(section).model_validate({**section.model_dump(), **changes})
        return ChecksConfig({**self.sections, group: new}, self.checks)

    def fingerprint(self) -> str:
        """A short hash of the thresholds: a result made under other ones is made again."""
        dump = {group: s.model_dump() for group, s in sorted(self.sections.items())}
        return hashlib.sha256(json.dumps(dump, sort_keys=True).encode()).hexdigest()[:16]


def _read_yaml(path: Path, what: str) -> Any:
    return load_yaml_file(path, what)


def _section(check: Check, given: Any, path: Path | None) -> BaseModel:
    defaults = _read_yaml(check.defaults, "check defaults") if check.defaults is not None else {}
    if given is not None and not isinstance(given, dict):
        raise ValueError(f"checks config {path}: {check.group}: expected a mapping of its thresholds")
    try:
        return check.config.model_validate({**(defaults or {}), **(given or {})})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        source = path if given and first["loc"] and first["loc"][0] in given else check.defaults
        raise ValueError(f"checks config {source}: {check.group}.{where}: {first['msg']}") from None


def load_checks_config(path: str | Path | None = None) -> ChecksConfig:
    """Every registered check's section: its defaults, with the values ``path`` gives replacing them."""
    path = Path(path) if path is not None else None
    registered = checks()
    given = _read_yaml(path, "checks config") if path is not None else {}
    names = [c.group for c in registered]
    if not isinstance(given, dict):
        raise ValueError(f"checks config {path}: expected a mapping with sections from {', '.join(names)}")
    unknown = [key for key in given if key not in names]
    if unknown:
        raise ValueError(f"checks config {path}: unknown section {', '.join(map(str, unknown))}; "
                         f"expected sections from {', '.join(names)}")
    return ChecksConfig({c.group: _section(c, given.get(c.group), path) for c in registered}, tuple(registered))
